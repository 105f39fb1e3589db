"""Minnesanteckningar written live: the page, the autosave, attendance, uppdrag,
fastställ and send. The page speaks the handlingsplan's autosave protocol
(static/js/plan.js, plans' _saved/_conflict/_status_error partials)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.forms import clean_text, parse_id
from common.htmx import session_required
from plans.services.shared import Busy, Conflict

from ..access import get_meeting_for_user
from ..forms import AssignmentForm
from ..models import ITEM_TEXT_FIELDS, NOTES_MAX, AgendaItem, Assignment, GroupMeeting
from ..services import documents
from ..services import minutes as service

TEXT_KEPT = gettext_lazy("Du har loggats ut – logga in igen i en ny flik, texten sparas sedan")


def _status(request, template, context, status=200):
    return HttpResponse(render_to_string(template, context, request=request), status=status)


def _fields(request, meeting, items):
    """Each item's notes and decisions as the handlingsplan's autosave fields
    (plans.markup.RowMarkup.autosave_attrs: the same attributes plan.js drives)."""
    from plans.markup import RowMarkup

    markup = RowMarkup(autosave_url=reverse("groups:autosave", args=[meeting.pk]), rows_url="")
    rows = []
    for item in items:
        fields = []
        for field, label in (("notes", _("Anteckningar")), ("decisions", _("Beslut"))):
            key = f"item-{item.pk}-{field}"
            fields.append(
                {
                    "key": key,
                    "label": label,
                    "value": getattr(item, field),
                    "version": int(item.field_versions.get(field, 0)),
                    # Safe markup: RowMarkup escapes what it writes.
                    "attrs": markup.autosave_attrs(
                        key, key, typing=True, sync=False, limit=NOTES_MAX
                    ),
                }
            )
        rows.append({"item": item, "fields": fields})
    return rows


def _page(
    request, meeting, *, assignment_form=None, conflicts=(), posted=None, errors=None, status=200
):
    items = list(meeting.items.prefetch_related("attachments"))
    rows = _fields(request, meeting, items)
    # After a refused no-JS save: what was posted stays in the fields, with the other's
    # saved text beside it (the plans' conflict box) or the message by the field.
    by_key = {c.key: c for c in conflicts}
    for row in rows:
        for f in row["fields"]:
            if posted and f["key"] in posted:
                f["value"] = posted[f["key"]][0]
            if f["key"] in by_key:
                conflict = by_key[f["key"]]
                f["version"] = conflict.version
                f["conflict"] = {
                    "key": conflict.key,
                    "version": conflict.version,
                    "mine": conflict.mine or "–",
                    "theirs": conflict.theirs or "–",
                    "theirs_raw": conflict.theirs,
                }
            f["error"] = (errors or {}).get(f["key"], "")
    return render(
        request,
        "groups/minutes.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "rows": rows,
            "limit": NOTES_MAX,
            "attendees": list(meeting.attendees.select_related("organisation")),
            "assignments": list(meeting.assignments.select_related("owner")),
            "carried": list(service.carried_over(meeting)),
            "assignment_form": assignment_form or AssignmentForm(group=meeting.group),
            "latest_version": meeting.versions.order_by("-number").first(),
            "nav": "groups",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def minutes_page(request, pk):
    """GET: the page. POST: the form without JavaScript (the plans page's way): every
    field with the version it was shown at, saved by the autosave's own rules; a field
    someone else saved meanwhile is left as theirs and shown beside the posted text (409);
    bad input saves nothing (400)."""
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    if request.method == "GET":
        return _page(request, meeting)
    changes, errors = service.parse_posted_fields(request.POST)
    if errors:
        return _page(request, meeting, posted=changes, errors=errors, status=400)
    try:
        result = service.save_posted_fields(meeting, changes)
    except Busy:
        messages.error(request, _("Inte sparat – många sparar just nu. Försök igen."))
        return _page(request, meeting, posted=changes, status=503)
    if result.conflicts:
        return _page(request, meeting, conflicts=result.conflicts, posted=changes, status=409)
    if result.gone:
        messages.warning(
            request, _("En punkt har tagits bort av någon annan; dess text kunde inte sparas.")
        )
    else:
        messages.success(request, _("Minnesanteckningarna sparades."))
    anchor = request.POST.get("saved_from", "")
    anchor = f"#{anchor}" if parse_id(anchor.removeprefix("item-")) is not None else ""
    return redirect(reverse("groups:minutes", args=[meeting.pk]) + anchor)


@session_required(TEXT_KEPT)
@require_POST
def autosave(request, pk):
    """One field typed into the page: 200 saved (new version out of band), 409 someone
    else saved it first (both texts), 400 bad input, 503 busy (plan.js retries)."""
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    keys = [k for k in request.POST if k.startswith("item-")]
    if len(keys) != 1:
        return _status(request, "plans/_status_error.html", {"message": _("Inget att spara.")}, 400)
    key = keys[0]
    _prefix, raw_pk, field = (key.split("-", 2) + ["", ""])[:3]
    item_pk = parse_id(raw_pk)
    seen = parse_id(request.POST.get(f"version-{key}", ""))
    if item_pk is None or field not in ITEM_TEXT_FIELDS or seen is None:
        return _status(request, "plans/_status_error.html", {"message": _("Okänt fält.")}, 400)
    item = AgendaItem.objects.filter(pk=item_pk, meeting=meeting).first()
    if item is None:
        return _status(
            request,
            "plans/_status_error.html",
            {"message": _("Punkten har tagits bort av någon annan. Din text finns kvar här.")},
            410,
        )
    value = clean_text(request.POST[key])
    try:
        version = service.save_item_field(item=item, field=field, value=value, seen_version=seen)
    except Conflict as conflict:
        return _status(
            request,
            "plans/_conflict.html",
            {
                "conflict": {
                    "key": conflict.key,
                    "version": conflict.version,
                    "mine": conflict.mine or "–",
                    "theirs": conflict.theirs or "–",
                    "theirs_raw": conflict.theirs,
                }
            },
            409,
        )
    except Busy:
        return _status(
            request, "plans/_status_error.html", {"message": _("Inte sparat – försöker igen")}, 503
        )
    except ValidationError as error:
        return _status(request, "plans/_status_error.html", {"message": error.messages[0]}, 400)
    return _status(
        request, "plans/_saved.html", {"versions": {key: version}, "now": timezone.now()}
    )


@require_POST
def attendance(request, pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    ids = [i for i in (parse_id(v) for v in request.POST.getlist("present")) if i is not None]
    service.set_attendance(meeting, ids)
    messages.success(request, _("Närvaron sparades."))
    return redirect("groups:minutes", pk=meeting.pk)


@require_POST
def assignment_add(request, pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    form = AssignmentForm(request.POST, group=meeting.group)
    if not form.is_valid():
        return _page(request, meeting, assignment_form=form, status=400)
    item = None
    item_pk = parse_id(request.POST.get("item", ""))
    if item_pk is not None:
        item = AgendaItem.objects.filter(pk=item_pk, meeting=meeting).first()
    service.add_assignment(
        meeting=meeting,
        what=form.cleaned_data["what"],
        owner=form.cleaned_data["owner"],
        due_on=form.cleaned_data["due_on"],
        item=item,
    )
    messages.success(request, _("Uppdraget lades till."))
    return redirect("groups:minutes", pk=meeting.pk)


@require_POST
def assignment_done(request, assignment_pk):
    """Done: by the uppdrag's owner, or by whoever keeps the group."""
    from ..access import may_manage

    assignment = get_object_or_404(
        Assignment.objects.select_related("meeting__group", "owner"), pk=assignment_pk
    )
    is_owner = bool(assignment.owner_id and assignment.owner.user_id == request.user.pk)
    if not (is_owner or may_manage(request.user, assignment.meeting.group)):
        raise PermissionDenied
    service.mark_done(assignment)
    messages.success(request, _("Uppdraget är markerat som klart."))
    if request.POST.get("next") == "mine":
        return redirect("groups:my_assignments")
    # From a later meeting's list of carried uppdrag: back to that meeting (of the group).
    back = parse_id(request.POST.get("back", ""))
    if back is not None and back != assignment.meeting_id:
        later = GroupMeeting.objects.filter(pk=back, group_id=assignment.meeting.group_id).first()
        if later is not None:
            return redirect(later)
    return redirect(assignment.meeting)


@require_POST
def freeze(request, pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    try:
        version = service.freeze_minutes(meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Minnesanteckningarna fastställdes (version %(n)s).") % {"n": version.number}
        )
    return redirect("groups:minutes", pk=meeting.pk)


@require_POST
def send(request, pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    try:
        count = service.send_minutes(meeting)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Minnesanteckningarna skickas som PDF till %(n)s medlemmar.") % {"n": count}
        )
    return redirect("groups:minutes", pk=meeting.pk)


@require_GET
def minutes_pdf(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    response = HttpResponse(documents.render_minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minnesanteckningar-{meeting.pk}.pdf"'
    return response


@require_GET
def my_assignments(request):
    """The user's open uppdrag from group meetings (also listed on Mina åtaganden)."""
    return render(
        request,
        "groups/my_assignments.html",
        {"assignments": list(service.open_assignments_for(request.user)), "nav": "commitments"},
    )
