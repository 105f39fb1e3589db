"""Demo data: one closed Spindeln round per area this year, so the radar chart has the
other areas to compare with. Sävsjö's round went to its styrgrupp (groups/demo.py); the
other areas' to made-up members. Idempotent: an area with a round keeps it as it is."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from groups.access import current_members_q
from groups.models import GroupMember
from parties.models import SamverkArea

from .models import SurveyInvitation, SurveyResponse, SurveyRound
from .services.spindeln import GENERIC_KEYS

COMMENTS = [
    ("information", "Vi får veta för sent när en part ändrar rutin."),
    ("samsyn", "Bättre sedan vi började med gemensamma ärendegenomgångar."),
    ("resurser", "Svårt att få tid till möten under sommaren."),
    ("ledning", "Ledningen frågar efter statistiken, det märks."),
]


@transaction.atomic
def build_spindeln_rounds(coordinator=None) -> list[SurveyRound]:
    today = timezone.localdate()
    closes = min(date(today.year, 5, 31), today - timedelta(days=7))
    rng = random.Random(19)  # noqa: S311 - the same demo every time, no secret
    built = []
    for n, area in enumerate(SamverkArea.objects.order_by("name")):
        if SurveyRound.objects.filter(area=area).exists():
            continue
        survey = SurveyRound.objects.create(
            area=area,
            title=f"Våren {closes.year}",
            closes_on=closes,
            started_by=area.coordinators.order_by("pk").first() or coordinator,
            local_factor_1="Vägen in för den enskilde" if area.slug == "savsjo" else "",
        )
        members = list(
            GroupMember.objects.filter(group__area=area)
            .filter(current_members_q())
            .exclude(email="")
            .order_by("name", "pk")
        )
        people = {m.email.lower(): (m.name, m.organisation_id, m) for m in members}
        if not people:
            people = {
                f"ledamot{i}@{area.slug}.example": (f"Ledamot {i}", None, None) for i in range(1, 8)
            }
        level = 2.2 + 0.35 * (n % 4)  # each area its own shape
        answered = 0
        for i, (email, (name, organisation_id, member)) in enumerate(sorted(people.items())):
            answers = i < len(people) - 1  # all but one answered
            SurveyInvitation.objects.create(
                round=survey,
                member=member,
                name=name,
                email=email,
                organisation_id=organisation_id,
                answered=answers,
            )
            answered += answers
        for _i in range(answered):
            values = {
                key: max(0, min(4, round(level + rng.uniform(-1.2, 1.2) - 0.3 * (k % 3))))
                for k, key in enumerate(GENERIC_KEYS)
            }
            if survey.local_factor_1:
                values["lokal1"] = rng.choice([1, 2, 2, 3])
            SurveyResponse.objects.create(round=survey, values=values)
        for key, text in COMMENTS[: 2 + n % 3]:
            response = SurveyResponse.objects.filter(round=survey).order_by("?").first()
            if response:
                response.comments[key] = text
                response.save(update_fields=["comments"])
        survey.closed_at = timezone.now()
        survey.save(update_fields=["closed_at"])
        built.append(survey)
    return built
