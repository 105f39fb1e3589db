"""Minnesanteckningar written live per agenda item, attendance, uppdrag, fastställ, send.

The texts are saved by the handlingsplan's autosave protocol (plans: one field at a time,
a version per field, a Conflict instead of writing over someone's newer text, Busy after
WRITE_ATTEMPTS; static/js/plan.js and the plans/_saved, _conflict and _status_error
partials on the page), against the agenda item's own ``field_versions``/``revision``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.forms import too_long
from plans.services.shared import WRITE_ATTEMPTS, Busy, Conflict

from ..models import (
    ITEM_TEXT_FIELDS,
    NOTES_MAX,
    AgendaItem,
    Assignment,
    GroupAttendee,
    GroupMeeting,
    MinutesVersion,
)

MINUTES_BUILDER = "groups.minutes"


def save_item_field(*, item: AgendaItem, field: str, value: str, seen_version: int) -> int:
    """Save an agenda item's notes or decisions; returns the field's new version.
    Raises Conflict when someone else saved it after ``seen_version`` (nothing written).
    Saving the text already stored is a no-op (a retried request never conflicts)."""
    if field not in ITEM_TEXT_FIELDS:
        raise ValidationError(_("Okänt fält."))
    if message := too_long(value, NOTES_MAX):
        raise ValidationError(message, code="max_length")
    for _attempt in range(WRITE_ATTEMPTS):
        current = (
            AgendaItem.objects.filter(pk=item.pk).values(field, "field_versions", "revision").get()
        )
        server_version = int(current["field_versions"].get(field, 0))
        if current[field] == value:
            return server_version
        if seen_version != server_version:
            raise Conflict(
                key=f"item-{item.pk}-{field}",
                mine=value,
                theirs=current[field],
                version=server_version,
            )
        versions = {**current["field_versions"], field: server_version + 1}
        written = AgendaItem.objects.filter(pk=item.pk, revision=current["revision"]).update(
            **{field: value}, field_versions=versions, revision=F("revision") + 1
        )
        if written:
            setattr(item, field, value)
            item.field_versions = versions
            return server_version + 1
    raise Busy


def set_attendance(meeting: GroupMeeting, present_ids) -> None:
    present = {int(pk) for pk in present_ids}
    attendees = GroupAttendee.objects.filter(meeting=meeting)
    attendees.filter(pk__in=present).update(attended=True)
    attendees.exclude(pk__in=present).update(attended=False)


def check_assignment(*, what: str, owner, owner_name: str, meeting: GroupMeeting) -> None:
    errors = {}
    if not (what or "").strip():
        errors["what"] = _("Skriv vad uppdraget är.")
    if owner is None and not (owner_name or "").strip():
        errors["owner"] = _("Välj vem som har uppdraget, eller skriv ett namn.")
    if owner is not None and owner.group_id != meeting.group_id:
        errors["owner"] = _("Den ansvarige måste vara med i gruppen.")
    if errors:
        raise ValidationError(errors)


def add_assignment(
    *, meeting: GroupMeeting, what: str, owner=None, owner_name="", due_on=None, item=None
) -> Assignment:
    check_assignment(what=what, owner=owner, owner_name=owner_name, meeting=meeting)
    return Assignment.objects.create(
        meeting=meeting,
        item=item,
        what=what.strip(),
        owner=owner,
        owner_name="" if owner else owner_name.strip(),
        due_on=due_on,
    )


def mark_done(assignment: Assignment, *, done_on=None) -> Assignment:
    assignment.done_on = done_on or timezone.localdate()
    assignment.version = F("version") + 1
    assignment.save(update_fields=["done_on", "version"])
    assignment.refresh_from_db(fields=["version"])
    return assignment


def carried_over(meeting: GroupMeeting):
    """The group's uppdrag from earlier meetings not done yet: on this meeting's agenda."""
    return (
        Assignment.objects.filter(
            meeting__group_id=meeting.group_id,
            meeting__starts_at__lt=meeting.starts_at,
            done_on__isnull=True,
        )
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )


def open_assignments_for(user):
    """The user's open uppdrag (as a member of the group, by account), for Mina åtaganden."""
    return (
        Assignment.objects.filter(owner__user=user, done_on__isnull=True)
        .filter(Q(meeting__status="planned"))
        .select_related("meeting", "meeting__group", "meeting__group__area")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def snapshot(meeting: GroupMeeting) -> dict:
    items = list(meeting.items.all())
    return {
        "items": [{"title": i.title, "notes": i.notes, "decisions": i.decisions} for i in items],
        "present": list(meeting.attendees.filter(attended=True).values_list("name", flat=True)),
        "assignments": [
            {"what": a.what, "owner": a.owner_display, "due_on": a.due_on and a.due_on.isoformat()}
            for a in meeting.assignments.select_related("owner")
        ],
    }


@transaction.atomic
def freeze_minutes(meeting: GroupMeeting, *, user) -> MinutesVersion:
    """Fastställ: a numbered snapshot of the notes as they stand now."""
    meeting = GroupMeeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("Mötet är inställt."))
    number = meeting.versions.order_by("-number").values_list("number", flat=True).first() or 0
    now = timezone.now()
    version = MinutesVersion.objects.create(
        meeting=meeting,
        number=number + 1,
        snapshot=snapshot(meeting),
        frozen_at=now,
        frozen_by=user,
    )
    GroupMeeting.objects.filter(pk=meeting.pk).update(notes_frozen_at=now, notes_frozen_by=user)
    return version


@transaction.atomic
def send_minutes(meeting: GroupMeeting) -> int:
    """The fastställda minnesanteckningar as PDF to every current member with an address."""
    from outbox.services import queue_templated

    from .invitations import when
    from .roster import current_members

    meeting = (
        GroupMeeting.objects.select_for_update()
        .select_related("group", "group__area")
        .get(pk=meeting.pk)
    )
    if meeting.notes_frozen_at is None:
        raise ValidationError(_("Fastställ minnesanteckningarna innan du skickar dem."))
    count = 0
    for member in current_members(meeting.group):
        if not member.email:
            continue
        queue_templated(
            "group-minutes",
            context={
                "meeting": meeting,
                "group": meeting.group,
                "member": member,
                "when": when(meeting),
            },
            to_email=member.email,
            to_name=member.name,
            attachments_builder=MINUTES_BUILDER,
            builder_args={"meeting": meeting.pk},
            related=member,
        )
        count += 1
    GroupMeeting.objects.filter(pk=meeting.pk).update(notes_sent_at=timezone.now())
    return count
