"""Import and export of contact lists (CSV, XLSX).

The upload is read and stored in the session; the preview checks it against
the database each time it is shown, and saving checks it once more.
"""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from ..forms_transfer import ContactImportForm
from ..transfer import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    apply_plan,
    export_csv,
    export_xlsx,
    validate_rows,
)
from .mixins import AreaMixin

SESSION_PREFIX = "contact_import"


def session_key(area, token: str) -> str:
    return f"{SESSION_PREFIX}:{area.slug}:{token}"


class ImportUploadView(AreaMixin, FormView):
    needs_edit = True
    form_class = ContactImportForm
    template_name = "parties/contact_import.html"

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        session = self.request.session
        # Keep one pending import per area: an earlier, unconfirmed upload is dropped.
        prefix = session_key(self.area, "")
        # A session is not iterable, hence keys().
        for key in [key for key in session.keys() if key.startswith(prefix)]:  # noqa: SIM118
            del session[key]
        token = secrets.token_urlsafe(16)
        session[session_key(self.area, token)] = {"filename": form.filename, "rows": form.rows}
        return redirect("parties:contact_import_preview", area_slug=self.area.slug, token=token)


class ImportPreviewView(AreaMixin, TemplateView):
    needs_edit = True
    template_name = "parties/contact_import_preview.html"

    @cached_property
    def key(self):
        return session_key(self.area, self.kwargs["token"])

    @cached_property
    def pending(self):
        pending = self.request.session.get(self.key)
        if not pending:
            raise Http404(_("Importen finns inte längre. Ladda upp filen igen."))
        return pending

    def get_context_data(self, plan=None, **kwargs):
        plan = plan or validate_rows(self.area, self.pending["rows"])
        return super().get_context_data(
            plan=plan,
            counts=plan.counts,
            filename=self.pending["filename"],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        plan = validate_rows(self.area, self.pending["rows"])
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
        del request.session[self.key]
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
