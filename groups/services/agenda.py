"""A booked meeting's agenda, edited: add, change, move up/down and remove items.

The members get the update kallelse (invitations.notify_changed: same UID, higher
SEQUENCE, older queued rows superseded) only when what the kallelse told them is no
longer true: an item added or removed, or an item's title changed, after the kallelse was
sent and before the meeting is over. A new presenter, new minutes or a new order is shown
on the meeting page and in the next mail, but sends nothing on its own.

Each change is made on the locked meeting row, so two people (or a double click) change
nothing twice: a move names the position it was seen at, a removal of what is gone is a
no-op, an edit to the same values changes nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.personnummer import contains_personnummer

from ..models import AgendaItem, GroupMeeting
from .invitations import notify_changed

MAX_ITEMS = 20
UP, DOWN = "up", "down"


def _lock(meeting: GroupMeeting) -> GroupMeeting:
    locked = GroupMeeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled:
        raise ValidationError(_("Mötet är inställt; dagordningen kan inte ändras."))
    return locked


def _tell_members(meeting: GroupMeeting) -> int:
    if meeting.ends_at <= timezone.now():
        return 0
    return notify_changed(meeting)


def check_item(*, title: str, presenter: str = "", minutes=None) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Skriv punktens rubrik.")
    elif contains_personnummer(title):
        errors["title"] = _("Skriv inte personnummer här.")
    if contains_personnummer(presenter or ""):
        errors["presenter"] = _("Skriv inte personnummer här.")
    if minutes is not None and not 1 <= minutes <= 480:
        errors["minutes"] = _("Ange minuter mellan 1 och 480.")
    if errors:
        raise ValidationError(errors)


def _renumber(meeting: GroupMeeting) -> None:
    items = list(meeting.items.order_by("position", "pk"))
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def add_item(
    meeting: GroupMeeting, *, title: str, presenter: str = "", minutes=None
) -> tuple[AgendaItem, int]:
    """A new item last on the agenda; returns it and how many updates were queued."""
    check_item(title=title, presenter=presenter, minutes=minutes)
    _lock(meeting)
    if meeting.items.count() >= MAX_ITEMS:
        raise ValidationError(
            {"title": _("Dagordningen har redan %(n)s punkter.") % {"n": MAX_ITEMS}}
        )
    last = meeting.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        title=title.strip(),
        presenter=(presenter or "").strip(),
        minutes=minutes,
    )
    return item, _tell_members(meeting)


@transaction.atomic
def edit_item(
    item: AgendaItem, *, title: str, presenter: str = "", minutes=None
) -> tuple[bool, int]:
    """Change an item's title, presenter or minutes; returns (changed, updates queued)."""
    check_item(title=title, presenter=presenter, minutes=minutes)
    meeting = _lock(item.meeting)
    current = AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
    if current is None:
        raise ValidationError(_("Punkten har tagits bort av någon annan."))
    new = {"title": title.strip(), "presenter": (presenter or "").strip(), "minutes": minutes}
    if all(getattr(current, k) == v for k, v in new.items()):
        return False, 0
    retitled = current.title != new["title"]
    AgendaItem.objects.filter(pk=item.pk).update(**new)
    for field, value in new.items():
        setattr(item, field, value)
    return True, _tell_members(meeting) if retitled else 0


@transaction.atomic
def move_item(item: AgendaItem, *, direction: str, seen_position: int | None) -> bool:
    """One step up or down. ``seen_position`` is where the item stood on the page the
    button was pressed on: a second click of the same button (the item has moved since)
    moves nothing. Returns whether it moved."""
    if direction not in (UP, DOWN):
        raise ValidationError(_("Välj upp eller ner."))
    meeting = _lock(item.meeting)
    _renumber(meeting)
    items = list(meeting.items.order_by("position", "pk"))
    index = next((i for i, row in enumerate(items) if row.pk == item.pk), None)
    if index is None or items[index].position != seen_position:
        return False
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(items):
        return False
    a, b = items[index], items[other]
    a.position, b.position = b.position, a.position
    a.save(update_fields=["position"])
    b.save(update_fields=["position"])
    return True


@transaction.atomic
def remove_item(item_pk: int, meeting: GroupMeeting) -> tuple[bool, int]:
    """Remove an item (and its background material); not one with minnesanteckningar or
    uppdrag, whose text would go with it. Returns (removed, updates queued); an item
    already gone is not an error (a double click)."""
    meeting = _lock(meeting)
    item = AgendaItem.objects.select_for_update().filter(pk=item_pk, meeting=meeting).first()
    if item is None:
        return False, 0
    if item.notes.strip() or item.decisions.strip() or item.assignments.exists():
        raise ValidationError(
            _("Punkten har anteckningar, beslut eller uppdrag och kan inte tas bort.")
        )
    item.delete()
    _renumber(meeting)
    return True, _tell_members(meeting)
