"""A group's minimum turnout and whether a meeting's answers reach it."""

import math

from ..enums import GroupAnswer, TurnoutRule
from ..models import Group

COMING = (GroupAnswer.ATTENDING, GroupAnswer.SUBSTITUTE)


def required_count(group: Group, member_count: int) -> int:
    """How many must come under the group's fraction rule (rounded up)."""
    return math.ceil(member_count * group.turnout_percent / 100)


def turnout_shortfall(group: Group, attendees) -> str | None:
    """Why the answers fall below the group's minimum, or None when they do not (yet).

    Counted on what is known: those who said no, or whose party cannot be covered any
    more. Not answered yet counts as possibly coming, so the warning shows as soon as
    the minimum can no longer be reached."""
    from django.utils.translation import gettext as _

    attendees = list(attendees)
    if group.turnout_rule == TurnoutRule.NONE or not attendees:
        return None
    possible = [a for a in attendees if a.answer != GroupAnswer.DECLINED]
    if group.turnout_rule == TurnoutRule.FRACTION:
        needed = required_count(group, len(attendees))
        if len(possible) < needed:
            return _("Bara %(possible)s av %(total)s kan komma; minst %(needed)s behövs.") % {
                "possible": len(possible),
                "total": len(attendees),
                "needed": needed,
            }
        return None
    parties = {a.organisation_id: a.organisation for a in attendees}
    covered = {a.organisation_id for a in possible}
    missing = sorted(p.name for pk, p in parties.items() if pk not in covered)
    if missing:
        return _("Ingen kommer från: %(parties)s.") % {"parties": ", ".join(missing)}
    return None
