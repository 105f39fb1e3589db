"""Minnesanteckningar written live per agenda item, attendance, uppdrag, fastställ, send.

The texts are saved by the handlingsplan's autosave protocol (plans: one field at a time,
a version per field, a Conflict instead of writing over someone's newer text, Busy after
WRITE_ATTEMPTS; static/js/plan.js and the plans/_saved, _conflict and _status_error
partials on the page), against the agenda item's own ``field_versions``/``revision``."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

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


@dataclass
class PostedSave:
    versions: dict = dataclass_field(default_factory=dict)  # key -> new version
    conflicts: list = dataclass_field(default_factory=list)
    gone: list = dataclass_field(default_factory=list)  # keys of items removed meanwhile


def parse_posted_fields(post) -> tuple[dict, dict]:
    """The no-JS form's fields: {"item-<pk>-<field>": (text, seen version)} and the
    messages by key of those refused (too long, no version). Checked all before any is
    saved, so nothing is saved half-way."""
    from common.forms import clean_text, parse_id

    changes, errors = {}, {}
    for key in post:
        parts = key.split("-", 2)
        if len(parts) != 3 or parts[0] != "item" or parts[2] not in ITEM_TEXT_FIELDS:
            continue
        if parse_id(parts[1]) is None:
            continue
        value = clean_text(post.get(key, ""))
        seen = parse_id(post.get(f"version-{key}", ""))
        changes[key] = (value, seen)
        if seen is None:
            errors[key] = _("Sidan saknar fältets version. Ladda om sidan.")
        elif message := too_long(value, NOTES_MAX):
            errors[key] = message
    return changes, errors


def save_posted_fields(meeting: GroupMeeting, changes: dict) -> PostedSave:
    """Save each posted field by the autosave's rules (save_item_field): unchanged text
    is a no-op, someone else's newer text a Conflict (left as theirs)."""
    result = PostedSave()
    items = {i.pk: i for i in meeting.items.all()}
    for key, (value, seen) in changes.items():
        _prefix, raw_pk, field = key.split("-", 2)
        item = items.get(int(raw_pk))
        if item is None:
            result.gone.append(key)
            continue
        try:
            result.versions[key] = save_item_field(
                item=item, field=field, value=value, seen_version=seen
            )
        except Conflict as conflict:
            result.conflicts.append(conflict)
    return result


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
    """Klart (by the owner or whoever keeps the group); a second click changes nothing."""
    Assignment.objects.filter(pk=assignment.pk, done_on__isnull=True).update(
        done_on=done_on or timezone.localdate(), version=F("version") + 1
    )
    assignment.refresh_from_db(fields=["done_on", "version"])
    return assignment


class AssignmentChanged(Exception):
    """Someone else changed the uppdrag after the form was opened; nothing was saved."""

    def __init__(self, current: Assignment):
        super().__init__("changed")
        self.current = current


@transaction.atomic
def update_assignment(
    assignment: Assignment, *, what: str, owner=None, owner_name="", due_on=None, seen_version
) -> bool:
    """Change an uppdrag's what, who and by when after the meeting. ``seen_version`` is
    the version the form showed: a newer one (someone else saved meanwhile) raises
    AssignmentChanged and writes nothing; the same values again (a double click) change
    nothing. Returns whether it changed."""
    check_assignment(what=what, owner=owner, owner_name=owner_name, meeting=assignment.meeting)
    current = Assignment.objects.select_for_update().get(pk=assignment.pk)
    new = {
        "what": what.strip(),
        "owner_id": owner.pk if owner else None,
        "owner_name": "" if owner else owner_name.strip(),
        "due_on": due_on,
    }
    if all(getattr(current, k) == v for k, v in new.items()):
        return False
    if current.version != seen_version:
        raise AssignmentChanged(current)
    Assignment.objects.filter(pk=assignment.pk).update(**new, version=F("version") + 1)
    assignment.refresh_from_db()
    return True


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
