"""Samtycke pages of one ärende: history, record, revoke, and the scanned document."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from cases.access import get_case_for_user
from common.mixins import InvalidFormIs400Mixin

from . import services
from .enums import ConsentAction
from .forms import ConsentRecordForm, ConsentRevokeForm, add_service_errors
from .models import Consent


class ConsentCaseMixin:
    """Every consent URL goes through get_case_for_user first: 404 for the uninvolved,
    whatever the method. Views that change consent set ``needs_record = True`` (403 for
    those who may open the ärende but not record consent)."""

    needs_record = False

    @cached_property
    def case(self):
        return get_case_for_user(self.request.user, self.kwargs["case_pk"])

    @cached_property
    def can_record(self):
        return services.can_record_consent(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        self.case  # noqa: B018 -- 404 before 403 and before 405
        if self.needs_record and not self.can_record:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_consent(self) -> Consent:
        # Only this ärende's consents: another ärende's id is a 404 here.
        return get_object_or_404(
            Consent.objects.filter(case=self.case).select_related("recorded_by", "revoked_by"),
            pk=self.kwargs["pk"],
        )

    def list_url(self):
        return reverse("consent:list", kwargs={"case_pk": self.case.pk})

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case, can_record=self.can_record, nav="cases", **kwargs
        )


class ConsentListView(ConsentCaseMixin, ListView):
    """Every consent of the ärende, current and past; reading it is logged."""

    template_name = "consent/consent_list.html"
    context_object_name = "consents"

    def get_queryset(self):
        return self.case.consents.prefetch_related("organisations").select_related(
            "recorded_by", "revoked_by"
        )

    def get(self, request, *args, **kwargs):
        self.case.log(request.user, ConsentAction.VIEWED)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class ConsentCreateView(ConsentCaseMixin, InvalidFormIs400Mixin, FormView):
    needs_record = True
    form_class = ConsentRecordForm
    template_name = "consent/consent_form.html"

    def get(self, request, *args, **kwargs):
        self.case.log(request.user, ConsentAction.VIEWED, page="create")
        return super().get(request, *args, **kwargs)

    def form_invalid(self, form):
        # The page again, with the ärende's name and the parties: a read like the GET.
        self.case.log(self.request.user, ConsentAction.VIEWED, page="create")
        return super().form_invalid(form)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.record_consent(
                case=self.case,
                user=self.request.user,
                organisations=list(data["organisations"]),
                form=data["form"],
                covers_premeeting=data["covers_premeeting"],
                given_on=data["given_on"],
                valid_until=data["valid_until"],
                restrictions=data["restrictions"],
                document=data.get("document") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Samtycket är registrerat."))
        return HttpResponseRedirect(self.list_url())


class ConsentRevokeView(ConsentCaseMixin, View):
    """GET: confirm with a reason; POST: revoke at once, the record stays in the history."""

    needs_record = True
    template_name = "consent/consent_revoke.html"

    def render_form(self, consent, form, status=200):
        # The confirmation (and its errors) shows the consent: a read, the GET's and a
        # refused POST's alike.
        self.case.log(self.request.user, ConsentAction.VIEWED, consent=consent.pk, page="revoke")
        context = {
            "case": self.case,
            "consent": consent,
            "form": form,
            "can_record": self.can_record,
            "nav": "cases",
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        consent = self.get_consent()
        if consent.is_revoked:
            messages.info(request, _("Samtycket är redan återkallat."))
            return HttpResponseRedirect(self.list_url())
        return self.render_form(consent, ConsentRevokeForm())

    def post(self, request, *args, **kwargs):
        consent = self.get_consent()
        form = ConsentRevokeForm(request.POST)
        if not form.is_valid():
            return self.render_form(consent, form, status=400)
        try:
            services.revoke_consent(
                consent=consent, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if consent.is_revoked:
                messages.info(request, " ".join(error.messages))
                return HttpResponseRedirect(self.list_url())
            add_service_errors(form, error)
            return self.render_form(consent, form, status=400)
        messages.success(request, _("Samtycket är återkallat och gäller inte längre."))
        return HttpResponseRedirect(self.list_url())


class ConsentDocumentView(ConsentCaseMixin, View):
    """The scanned consent, as a download only; media files are never served publicly."""

    def get(self, request, *args, **kwargs):
        consent = self.get_consent()
        if not consent.document:
            raise Http404
        # Documents are at most 10 MB: read whole, so no file handle outlives the request.
        try:
            with consent.document.open("rb") as handle:
                content = handle.read()
        except OSError:
            raise Http404 from None
        unknown = ("bin", "application/octet-stream")
        extension, content_type = services.document_type(content[:8]) or unknown
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"samtycke-{consent.pk}.{extension}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        self.case.log(request.user, ConsentAction.DOCUMENT_VIEWED, consent=consent.pk)
        return response
