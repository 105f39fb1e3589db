"""Fastställ, the list of fastställda versions, one version read-only, signatures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import get_plan_for_user
from ..enums import PlanAction, SignerRole
from ..forms import SignForm
from ..services.shared import Busy
from ..services.versions import freeze_plan, sign_version


@require_POST
def freeze(request, meeting_pk):
    plan = get_plan_for_user(request.user, meeting_pk)
    try:
        version = freeze_plan(plan=plan, user=request.user)
    except Busy:
        messages.error(request, _("Planen kunde inte fastställas just nu. Försök igen."))
        return HttpResponseRedirect(plan.get_absolute_url())
    if version.created:
        messages.success(
            request,
            _("Version %(n)d är fastställd. Ändringar efter detta blir nästa version.")
            % {"n": version.number},
        )
    else:
        messages.info(
            request,
            _("Inget har ändrats sedan version %(n)d fastställdes, så den gäller fortfarande.")
            % {"n": version.number},
        )
    return HttpResponseRedirect(version.get_absolute_url())


@require_GET
def version_list(request, meeting_pk):
    plan = get_plan_for_user(request.user, meeting_pk)
    plan.meeting.case.log(request.user, PlanAction.VIEWED, meeting=plan.meeting_id, page="versions")
    versions = plan.versions.defer("snapshot").select_related("frozen_by")
    versions = versions.prefetch_related("signatures")
    return render(
        request,
        "plans/versions.html",
        {
            "plan": plan,
            "meeting": plan.meeting,
            "case": plan.meeting.case,
            "versions": versions,
            "nav": "cases",
        },
    )


def _version_page(request, plan, version, form, status=200):
    """One version, read-only, with its signatures: on GET and again with a refused
    signature's errors. A read of the plan either way, logged."""
    plan.meeting.case.log(
        request.user, PlanAction.VIEWED, meeting=plan.meeting_id, version=version.number
    )
    signatures = {s.role: s for s in version.signatures.all()}
    return render(
        request,
        "plans/version_detail.html",
        {
            "plan": plan,
            "meeting": plan.meeting,
            "case": plan.meeting.case,
            "version": version,
            "snapshot": version.snapshot,
            "signatures": [(role, signatures.get(role)) for role in SignerRole],
            "form": form,
            "nav": "cases",
        },
        status=status,
    )


@require_GET
def version_detail(request, meeting_pk, number):
    plan = get_plan_for_user(request.user, meeting_pk)
    version = get_object_or_404(plan.versions, number=number)
    version.plan = plan
    initial = {"role": SignerRole.STAFF, "method": "app", "name": request.user.get_full_name()}
    return _version_page(request, plan, version, SignForm(initial=initial))


@require_http_methods(["POST"])
def sign(request, meeting_pk, number):
    plan = get_plan_for_user(request.user, meeting_pk)
    version = get_object_or_404(plan.versions, number=number)
    version.plan = plan
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            sign_version(version=version, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Underskriften är registrerad."))
            return HttpResponseRedirect(version.get_absolute_url())
    return _version_page(request, plan, version, form, status=400)
