"""Booking a group meeting: time, place or video link, convener, agenda, background PDFs."""

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.personnummer import contains_personnummer
from common.uploads import check_pdf

from ..models import AgendaAttachment, AgendaItem, Group, GroupAttendee, GroupMeeting
from .roster import current_members


def check_times(starts_at, ends_at) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Mötet måste sluta efter att det börjar.")})


def check_place(place: str, remote_link: str) -> None:
    if not (place or "").strip() and not (remote_link or "").strip():
        raise ValidationError({"place": _("Skriv en plats eller en videolänk.")})


def check_booking(*, group: Group, starts_at, ends_at, place="", remote_link="", convener=None):
    """The rules a group meeting's time and place keep, booked or moved: it ends after it
    starts, it has a place or a video link, its convener is in the group. (A group meeting
    has no soft warnings: the individual meetings' guidelines, three weeks' notice and
    about an hour, are not the groups'.)"""
    check_times(starts_at, ends_at)
    check_place(place, remote_link)
    if convener is not None and convener.group_id != group.pk:
        raise ValidationError({"convener": _("Den sammankallande måste vara med i gruppen.")})


@transaction.atomic
def book_meeting(
    *, group: Group, user, starts_at, ends_at, place="", remote_link="", convener=None, items=()
) -> GroupMeeting:
    """The meeting, its agenda items (title, presenter, minutes) and one attendee row per
    current member of the group (who then gets the kallelse)."""
    check_booking(
        group=group,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        remote_link=remote_link,
        convener=convener,
    )
    meeting = GroupMeeting.objects.create(
        group=group,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        remote_link=remote_link,
        convener=convener,
        created_by=user,
    )
    for position, item in enumerate(items, start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, **item)
    GroupAttendee.objects.bulk_create(
        GroupAttendee(
            meeting=meeting,
            member=m,
            name=m.name,
            email=m.email,
            organisation_id=m.organisation_id,
        )
        for m in current_members(group)
    )
    return meeting


def move_meeting(
    meeting: GroupMeeting, *, starts_at, ends_at, place="", remote_link="", convener=None
) -> tuple[bool, int]:
    """Move (reschedule) a meeting with the booking's rules; the members who had the
    kallelse get the update (same UID, higher SEQUENCE) through the outbox. Answers stay
    (as an individual meeting's do); reminders are due again for the new date. Posting
    the same time and place again (a double click) changes nothing and sends nothing.
    Returns (changed, updates queued)."""
    from django.utils import timezone

    from .invitations import notify_changed

    check_booking(
        group=meeting.group,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        remote_link=remote_link,
        convener=convener,
    )
    with transaction.atomic():
        locked = GroupMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.is_cancelled:
            raise ValidationError(_("Mötet är inställt och kan inte flyttas."))
        new = {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place.strip(),
            "remote_link": remote_link.strip(),
            "convener_id": convener.pk if convener else None,
        }
        if all(getattr(locked, k) == v for k, v in new.items()):
            return False, 0
        moved = locked.starts_at != starts_at
        for field, value in new.items():
            setattr(meeting, field, value)
        meeting.save(update_fields=["starts_at", "ends_at", "place", "remote_link", "convener"])
        if moved:
            meeting.attendees.filter(reminded_at__isnull=False).update(reminded_at=None)
        count = notify_changed(meeting) if meeting.ends_at > timezone.now() else 0
    return True, count


def check_background_file(upload) -> None:
    """Background material: a real PDF (by its content), within MAX_UPLOAD_SIZE, and no
    personnummer in its file name (the name is shown to every member)."""
    name = os.path.basename(upload.name or "")
    if contains_personnummer(name):
        raise ValidationError(
            _("Filnamnet innehåller ett personnummer. Byt namn på filen och ladda upp den igen.")
        )
    check_pdf(upload)


def attach_background(item: AgendaItem, upload) -> AgendaAttachment:
    check_background_file(upload)
    name = os.path.basename(upload.name or "")[:200] or "bakgrund.pdf"
    return AgendaAttachment.objects.create(item=item, file=upload, filename=name, size=upload.size)
