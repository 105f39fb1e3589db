"""After the meeting: the plan as PDF, the letter to the individual, "Skicka
handlingsplanen". Access is that of the plan page (404 for the uninvolved);
sending also needs the right to change the meeting (403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cases.access import may_book
from common.forms import parse_id
from common.htmx import is_htmx
from meetings.access import can_change_meeting
from meetings.enums import ParticipantKind

from ..access import get_plan_for_user
from ..enums import PlanAction
from ..services import documents
from ..services.distribution import (
    delivery_states,
    distribute_plan,
    individual_by_email,
    latest_version,
)
from ..services.follow_up import follow_up_url


def _version_from_query(request, plan, *, default_latest=False):
    """`?version=N`: that fastställd version (404 if there is none); else the current
    text, or the latest version when `default_latest`."""
    value = request.GET.get("version", "")
    if value:
        number = parse_id(value)
        if number is None:
            raise Http404
        version = plan.versions.select_related("frozen_by").filter(number=number).first()
        if version is None:
            raise Http404
        return version
    return latest_version(plan) if default_latest else None


def _pdf_response(request, plan, content, filename, document, version):
    plan.meeting.case.log(
        request.user,
        PlanAction.VIEWED,
        meeting=plan.meeting_id,
        document=document,
        version=version.number if version else None,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Holds the individual's name and the plan: never in a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def plan_pdf(request, meeting_pk):
    plan = get_plan_for_user(request.user, meeting_pk)
    version = _version_from_query(request, plan)
    pdf = documents.render_plan_pdf(plan, version)
    suffix = f"-v{version.number}" if version else "-utkast"
    return _pdf_response(
        request, plan, pdf, f"handlingsplan-{meeting_pk}{suffix}.pdf", "handlingsplan.pdf", version
    )


@require_GET
def letter_pdf(request, meeting_pk):
    """The letter with the plan for the individual, to print and post (latest version)."""
    plan = get_plan_for_user(request.user, meeting_pk)
    version = _version_from_query(request, plan, default_latest=True)
    pdf = documents.render_plan_letter_pdf(plan, version)
    return _pdf_response(
        request,
        plan,
        pdf,
        f"brev-handlingsplan-{meeting_pk}.pdf",
        "brev-handlingsplan.pdf",
        version,
    )


@require_POST
def distribute(request, meeting_pk):
    plan = get_plan_for_user(request.user, meeting_pk)
    if not can_change_meeting(request.user, plan.meeting):
        raise PermissionDenied
    back = reverse("plans:edit", args=[plan.meeting_id]) + "#distribution"
    try:
        count = distribute_plan(plan=plan, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(back)
    text = ngettext(
        "Handlingsplanen skickas till %(n)d mottagare.",
        "Handlingsplanen skickas till %(n)d mottagare.",
        count,
    ) % {"n": count}
    if not individual_by_email(plan.meeting.case):
        text += " " + _("Skriv ut brevet till den enskilde och skicka det med post.")
    messages.success(request, text)
    return HttpResponseRedirect(back)


def distribution_context(request, plan) -> dict:
    """Who receives the plan, how, and what became of each message."""
    meeting = plan.meeting
    case = meeting.case
    participants = list(
        meeting.participants.filter(removed_at__isnull=True)
        .select_related("organisation")
        .order_by("kind", "organisation__name", "name")
    )
    states = delivery_states(plan, participants)
    by_email = individual_by_email(case)
    individual = None
    for participant in participants:
        participant.message = states.get(participant.pk)
        if participant.kind == ParticipantKind.INDIVIDUAL:
            individual = participant
    individual_message = individual.message if individual else states.get("case")
    return {
        "plan": plan,
        "meeting": meeting,
        "case": case,
        "latest_version": latest_version(plan),
        "can_distribute": can_change_meeting(request.user, meeting),
        "recipients": [p for p in participants if p.kind != ParticipantKind.INDIVIDUAL],
        "individual_by_email": by_email,
        "individual_message": individual_message,
        "follow_up_url": follow_up_url(meeting),
        "can_book": may_book(request.user, case),
        "nav": "cases",
    }


@require_GET
def distribution(request, meeting_pk):
    """The plan page's "Efter mötet" section (loaded into it with htmx), or on its own
    page without JavaScript."""
    plan = get_plan_for_user(request.user, meeting_pk)
    plan.meeting.case.log(
        request.user, PlanAction.VIEWED, meeting=plan.meeting_id, page="distribution"
    )
    context = distribution_context(request, plan)
    template = "plans/_distribution.html" if is_htmx(request) else "plans/distribution.html"
    return render(request, template, context)
