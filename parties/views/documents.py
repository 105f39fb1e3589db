"""PDF documents of the parties domain."""

from django.http import HttpResponse
from django.views import View

from ..services.documents import contact_list_pdf
from .mixins import AreaMixin


class ContactListPdfView(AreaMixin, View):
    """ "Kontaktlista Samverk <område>" as a PDF, for every staff role to print."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(contact_list_pdf(self.area), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="kontaktlista-{self.area.slug}.pdf"'
        return response
