"""The group meeting's bench page (issue 18): 6 areas × 4 groups × 30 meetings, each group
with 10 members of four parties, each meeting with 4 agenda items, a background PDF row,
10 answers and 2 uppdrag; the measured page is the measured area's styrgrupp's next
meeting, with every earlier open uppdrag carried onto its agenda."""

from datetime import timedelta

from django.utils import timezone

from groups.enums import GroupAnswer, GroupKind
from groups.models import (
    AgendaAttachment,
    AgendaItem,
    Assignment,
    Group,
    GroupAttendee,
    GroupMeeting,
    GroupMember,
)

GROUPS_PER_AREA, MEETINGS_PER_GROUP, MEMBERS_PER_GROUP = 4, 30, 10
KINDS = [GroupKind.STEERING, GroupKind.WORKING, GroupKind.INDIVIDUAL, GroupKind.OTHER]
ANSWERS = [GroupAnswer.ATTENDING, GroupAnswer.DECLINED, GroupAnswer.NONE, GroupAnswer.SUBSTITUTE]


def build_groups(data, *, groups=GROUPS_PER_AREA, meetings=MEETINGS_PER_GROUP):
    """The groups of every area (replacing the bench's earlier ones); returns the
    measured meeting."""
    Group.objects.filter(name__startswith="Bench grupp").delete()
    parties = list(data.organisations.values())[:4]
    now = timezone.now()
    measured = None
    for area in data.areas.values():
        for g in range(groups):
            group = Group.objects.create(
                area=area, kind=KINDS[g % 4], name=f"Bench grupp {g + 1}", turnout_rule="per_party"
            )
            members = GroupMember.objects.bulk_create(
                GroupMember(
                    group=group,
                    user=data.user if area == data.measured_area and n == 0 else None,
                    name=f"Ledamot {n + 1}",
                    organisation=parties[n % 4],
                    email=f"ledamot{n + 1}@example.se",
                    rotation_order=n + 1,
                )
                for n in range(MEMBERS_PER_GROUP)
            )
            rows = GroupMeeting.objects.bulk_create(
                GroupMeeting(
                    group=group,
                    starts_at=now + timedelta(days=30 * (m - meetings + 2)),
                    ends_at=now + timedelta(days=30 * (m - meetings + 2), hours=2),
                    place="Kommunhuset",
                    convener=members[m % len(members)],
                    invitations_sent_at=now - timedelta(days=60),
                )
                for m in range(meetings)
            )
            items = AgendaItem.objects.bulk_create(
                AgendaItem(
                    meeting=meeting,
                    position=p,
                    title=f"Punkt {p}",
                    presenter="Samverkanskoordinator",
                    minutes=20,
                    notes="Anteckningar om punkten. " * 20,
                    decisions="Beslut om punkten. " * 5,
                )
                for meeting in rows
                for p in range(1, 5)
            )
            AgendaAttachment.objects.bulk_create(
                AgendaAttachment(item=item, file="gruppmoten/bench.pdf", filename="Bakgrund.pdf")
                for item in items[::4]
            )
            GroupAttendee.objects.bulk_create(
                GroupAttendee(
                    meeting=meeting,
                    member=member,
                    name=member.name,
                    email=member.email,
                    organisation_id=member.organisation_id,
                    answer=ANSWERS[(i + j) % 4],
                )
                for i, meeting in enumerate(rows)
                for j, member in enumerate(members)
            )
            Assignment.objects.bulk_create(
                Assignment(
                    meeting=meeting,
                    what=f"Uppdrag {k} från mötet",
                    owner=members[k % len(members)],
                    due_on=(meeting.starts_at + timedelta(days=20)).date(),
                    done_on=None if k == 0 else meeting.starts_at.date(),
                )
                for meeting in rows
                for k in range(2)
            )
            if area == data.measured_area and g == 0:
                measured = rows[-2]  # the next meeting: the last but one is still to come
    return measured
