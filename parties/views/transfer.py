"""Import and export of contact lists (CSV, XLSX).

The upload is read and stored as a pending ContactImport; the preview checks it
against the database each time it is shown, and saving checks it once more.
"""

import secrets
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from ..forms.transfer import ContactImportForm
from ..models import ContactImport
from ..services.transfer import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    apply_plan,
    export_csv,
    export_xlsx,
    validate_rows,
)
from .mixins import AreaMixin

# An unconfirmed upload is dropped after this long.
PENDING_FOR = timedelta(hours=24)


class ImportUploadView(AreaMixin, FormView):
    needs_edit = True
    form_class = ContactImportForm
    template_name = "parties/contact_import.html"

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        # One pending import per coordinator and area; stale ones from anyone go too.
        ContactImport.objects.filter(
            Q(area=self.area, uploaded_by=self.request.user)
            | Q(created_at__lt=timezone.now() - PENDING_FOR)
        ).delete()
        pending = ContactImport.objects.create(
            token=secrets.token_urlsafe(16),
            area=self.area,
            uploaded_by=self.request.user,
            filename=form.filename[:200],
            rows=form.rows,
        )
        return redirect(
            "parties:contact_import_preview", area_slug=self.area.slug, token=pending.token
        )


class ImportPreviewView(AreaMixin, TemplateView):
    needs_edit = True
    template_name = "parties/contact_import_preview.html"

    @cached_property
    def pending(self):
        pending = ContactImport.objects.filter(
            token=self.kwargs["token"],
            area=self.area,
            uploaded_by=self.request.user,
            created_at__gte=timezone.now() - PENDING_FOR,
        ).first()
        if pending is None:
            raise Http404(_("Importen finns inte längre. Ladda upp filen igen."))
        return pending

    def get_context_data(self, plan=None, **kwargs):
        plan = plan or validate_rows(self.area, self.pending.rows)
        return super().get_context_data(
            plan=plan,
            counts=plan.counts,
            filename=self.pending.filename,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        plan = validate_rows(self.area, self.pending.rows)
        if not plan.has_errors and request.POST.get("fingerprint") != plan.fingerprint:
            return self._refuse(
                plan,
                _(
                    "Kontaktlistan har ändrats sedan du granskade filen. Inget har sparats. "
                    "Granska ändringarna igen innan du sparar."
                ),
                status=409,
            )
        try:
            counts = apply_plan(self.area, plan, request.user)
        except ValidationError as error:
            status = 409 if error.code == "changed" else 400
            return self._refuse(None, " ".join(error.messages), status=status)
        self.pending.delete()
        messages.success(
            request,
            _(
                "Importen är klar: %(created)s nya, %(updated)s ändrade och "
                "%(unchanged)s oförändrade kontaktpersoner."
            )
            % counts,
        )
        return HttpResponseRedirect(self.area.get_absolute_url())

    def _refuse(self, plan, message, status):
        context = self.get_context_data(plan=plan, refusal=message)
        return self.render_to_response(context, status=status)


class ExportView(AreaMixin, View):
    formats = {
        "csv": (CSV_CONTENT_TYPE, export_csv),
        "xlsx": (XLSX_CONTENT_TYPE, export_xlsx),
    }

    def get(self, request, *args, **kwargs):
        file_format = kwargs["file_format"]
        if file_format not in self.formats:
            raise Http404
        content_type, export = self.formats[file_format]
        filename = f"kontaktlista-{self.area.slug}-{timezone.localdate():%Y-%m-%d}.{file_format}"
        response = HttpResponse(export(self.area), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"  # personal data: keep it out of shared caches
        return response
