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


@transaction.atomic
def book_meeting(
    *, group: Group, user, starts_at, ends_at, place="", remote_link="", convener=None, items=()
) -> GroupMeeting:
    """The meeting, its agenda items (title, presenter, minutes) and one attendee row per
    current member of the group (who then gets the kallelse)."""
    check_times(starts_at, ends_at)
    check_place(place, remote_link)
    if convener is not None and convener.group_id != group.pk:
        raise ValidationError({"convener": _("Den sammankallande måste vara med i gruppen.")})
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


def add_item(meeting: GroupMeeting, *, title: str, presenter: str = "", minutes=None):
    if not title.strip():
        raise ValidationError({"title": _("Skriv punktens rubrik.")})
    last = meeting.items.order_by("-position").values_list("position", flat=True).first() or 0
    return AgendaItem.objects.create(
        meeting=meeting, position=last + 1, title=title, presenter=presenter, minutes=minutes
    )


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
