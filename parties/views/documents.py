"""PDF documents of the parties domain."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from ..services.documents import build_progress, open_contact_list_pdf
from ..services.pdf_queue import contact_list_document, request_contact_list_pdf
from .mixins import AreaMixin


class ContactListPdfView(AreaMixin, View):
    """ "Kontaktlista Samverk <område>" as a PDF, for every staff role to print: the last
    one the worker built (issue 20), also while a newer one is being made. Before the first
    is ready: a page that says "Skapas…". ``?status=1``: the state alone, for htmx polling
    (and the contact list page)."""

    def get(self, request, *args, **kwargs):
        document = contact_list_document(self.area)
        context = {
            "area": self.area,
            "document": document,
            "progress": build_progress(document),
        }
        if "status" in request.GET:
            return render(request, "parties/_contact_list_pdf_status.html", context)
        pdf = open_contact_list_pdf(document)
        if pdf is None:
            if not document.is_behind:  # the file is gone (MEDIA_ROOT restored without it)
                request_contact_list_pdf(self.area.pk)
                document.refresh_from_db()
            return render(request, "parties/contact_list_pdf_pending.html", context)
        with pdf:
            response = HttpResponse(pdf.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="kontaktlista-{self.area.slug}.pdf"'
        return response
