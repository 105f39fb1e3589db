"""The plan page: written live (htmx autosave per field) or posted as one form."""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access import check_case_access
from common.htmx import is_htmx, session_required
from meetings.models import Meeting

from ..access import get_plan_for_user
from ..enums import PlanAction
from ..forms import parse_changes, parse_row_op
from ..page import Choices, conflict_view, page_context
from ..services.live import live_state, plan_etag
from ..services.rows import add_action, add_goal, move_action, move_goal, remove_action, remove_goal
from ..services.shared import Busy, log_read_once, saved_stamp
from ..services.start import get_or_create_plan
from ..services.whole_form import save_changes

# What an autosave from an expired session answers: the text stays in the browser.
TEXT_KEPT = gettext_lazy("Du har loggats ut – logga in igen i en ny flik, texten sparas sedan")


@require_http_methods(["GET", "POST"])
def edit(request, meeting_pk):
    """GET: the plan page (logged as viewed once per load). POST: the no-JS form,
    saving every field at once, then the row button that was pressed, if any."""
    plan = get_plan_for_user(request.user, meeting_pk)
    if request.method == "GET":
        plan.meeting.case.log(request.user, PlanAction.VIEWED, meeting=plan.meeting_id)
        return render(request, "plans/edit.html", page_context(request, plan))

    changes, errors = parse_changes(request.POST, choices=Choices(plan))
    if errors:  # nothing saved half-way: the whole form comes back with its messages
        plan.meeting.case.log(request.user, PlanAction.VIEWED, meeting=plan.meeting_id)
        context = page_context(request, plan, errors=errors, unsaved=changes)
        return render(request, "plans/edit.html", context, status=400)
    result = save_changes(plan=plan, user=request.user, changes=changes)
    if result.conflicts:
        # The page again, with the others' texts beside the sender's: a read.
        plan.meeting.case.log(request.user, PlanAction.VIEWED, meeting=plan.meeting_id)
        meeting = plan.meeting
        plan.refresh_from_db()
        plan.meeting = meeting
        context = page_context(request, plan, conflicts=result.conflicts)
        return render(request, "plans/edit.html", context, status=409)
    anchor = ""
    op, pk = parse_row_op(request.POST.get("op", ""))
    if op:
        apply_row_op(plan, request.user, op, pk)
        anchor = "#goals" if op.startswith("goal") else "#actions"
    return HttpResponseRedirect(reverse("plans:edit", args=[plan.meeting_id]) + anchor)


def status_response(request, template, context, status=200):
    return HttpResponse(render_to_string(template, context, request=request), status=status)


@session_required(TEXT_KEPT)
@require_POST
def autosave(request, meeting_pk):
    """One field typed into the page. 200: saved (and its new version, out of band);
    409: someone else saved it first (both texts); 410: the row is gone; 400: bad input."""
    plan = get_plan_for_user(request.user, meeting_pk, related=())
    changes, errors = parse_changes(request.POST, choices=Choices(plan))
    if errors:
        return status_response(
            request, "plans/_status_error.html", {"message": next(iter(errors.values()))}, 400
        )
    if not len(changes):
        return status_response(
            request, "plans/_status_error.html", {"message": _("Inget att spara.")}, 400
        )
    try:
        result = save_changes(plan=plan, user=request.user, changes=changes)
    except Busy:
        return status_response(
            request, "plans/_status_error.html", {"message": _("Inte sparat – försöker igen")}, 503
        )
    except ValidationError as error:
        return status_response(
            request, "plans/_status_error.html", {"message": error.messages[0]}, 400
        )
    if result.conflicts:
        # Shows the text someone else saved: a read (a save shows nothing of the plan).
        plan.meeting.case.log(
            request.user, PlanAction.VIEWED, meeting=plan.meeting_id, page="conflict"
        )
        return status_response(
            request,
            "plans/_conflict.html",
            {"conflict": conflict_view(result.conflicts[0], Choices(plan))},
            409,
        )
    if result.gone:
        return status_response(
            request,
            "plans/_status_error.html",
            {"message": _("Raden har tagits bort av någon annan. Din text finns kvar här.")},
            410,
        )
    return status_response(
        request,
        "plans/_saved.html",
        {
            "versions": result.versions,
            "now": timezone.now(),
            "by": saved_stamp(request.user, timezone.now())["by"],
        },
    )


def apply_row_op(plan, user, op, pk):
    """The row buttons: add (a delmål when pk names its mål), remove, move up/down."""
    if op == "goal_add":
        parent = get_object_or_404(plan.goals, pk=pk, parent=None) if pk else None
        return add_goal(plan=plan, user=user, parent=parent)
    if op == "action_add":
        return add_action(plan=plan, user=user)
    if pk is None:
        raise Http404
    if op.startswith("goal_"):
        goal = get_object_or_404(plan.goals, pk=pk)
        if op == "goal_remove":
            return remove_goal(plan=plan, user=user, goal=goal)
        return move_goal(plan=plan, user=user, goal=goal, direction=-1 if op == "goal_up" else 1)
    action = get_object_or_404(plan.actions, pk=pk)
    if op == "action_remove":
        return remove_action(plan=plan, user=user, action=action)
    return move_action(
        plan=plan, user=user, action=action, direction=-1 if op == "action_up" else 1
    )


@session_required(TEXT_KEPT)
@require_POST
def row_buttons(request, meeting_pk):
    """Row buttons with htmx: answers with the re-rendered section; without htmx
    (a plain POST here) redirects back to the page."""
    plan = get_plan_for_user(request.user, meeting_pk)
    op, pk = parse_row_op(request.POST.get("op", ""))
    if op is None:
        return status_response(
            request, "plans/_status_error.html", {"message": _("Okänd åtgärd.")}, 400
        )
    created = apply_row_op(plan, request.user, op, pk)
    if not is_htmx(request):
        anchor = "#goals" if op.startswith("goal") else "#actions"
        return HttpResponseRedirect(reverse("plans:edit", args=[plan.meeting_id]) + anchor)
    context = page_context(request, plan)
    context["focus_key"] = (
        f"{'goal' if op.startswith('goal') else 'action'}-{created.pk}"
        if op.endswith("_add")
        else ""
    )
    template = "plans/_goals.html" if op.startswith("goal") else "plans/_actions.html"
    return render(request, template, context)


@session_required(TEXT_KEPT)
@require_GET
def changes(request, meeting_pk):
    """What every open page polls every few seconds (static/js/plan.js): with the ETag it
    was last given (If-None-Match) it gets 304 from one query while nothing changed;
    otherwise every field's saved value, version and who saved it, and the rows. A poll,
    not Server-Sent Events: a sync gunicorn worker held by each open stream would serve
    nobody else (README, "Live updates")."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("case").annotate(plan_revision=F("plan__revision")),
        pk=meeting_pk,
    )
    check_case_access(request.user, meeting.case)
    etag = plan_etag(meeting.pk, meeting.plan_revision)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        plan = get_or_create_plan(meeting)
        # Shows what others saved: a read of the plan, logged once a minute per reader.
        log_read_once(plan, request.user, page="live")
        state = live_state(plan)
        etag = plan_etag(meeting.pk, state["revision"])
        response = JsonResponse(state)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


SECTIONS = {"goals": "plans/_goals.html", "actions": "plans/_actions.html"}


@session_required(TEXT_KEPT)
@require_GET
def section(request, meeting_pk):
    """The goals or actions section (?del=goals|actions, goals when not given) as it is
    saved now: an open page fetches it when the poll shows rows added, removed or moved by
    someone else."""
    name = request.GET.get("del", "goals")
    if name not in SECTIONS:
        return status_response(
            request, "plans/_status_error.html", {"message": _("Okänd del av planen.")}, 400
        )
    plan = get_plan_for_user(request.user, meeting_pk)
    log_read_once(plan, request.user, page="section")
    return render(request, SECTIONS[name], page_context(request, plan))
