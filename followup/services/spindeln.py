"""Spindeln (issue 19): the survey of Danermark and Germundsson in rounds.

The coordinator starts a round for the area's groups or chosen members; each member gets a
personal signed link through the outbox; one answer per link. The answer (SurveyResponse)
keeps the round and the values only: no person, no link, no time, a random id. The link is
marked "answered" (a flag, no time) in the same transaction, so an answer is never lost
nor counted twice; closing the round writes all its answers anew in random order, so
neither the order of the rows nor their transaction id (PostgreSQL's xmin) tells which
link's mark went with which answer after the close (README, Spindeln).

Results are shown only for a closed round with at least MIN_ANSWERS answers: while the
round is open the coordinator sees the response rate and who has not answered, and a
result that changed after each answer would tell who answered what.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common import links
from common.links import absolute
from common.personnummer import contains_personnummer
from groups.access import current_members_q
from groups.models import Group, GroupMember
from outbox.services import queue_templated

from ..models import (
    SURVEY_COMMENT_MAX,
    SURVEY_FACTORS,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
)

SALT = "samverk.followup.spindeln"
INVITATION_KIND = "spindeln-invitation"
REMINDER_KIND = "spindeln-reminder"
# Results (means, spread, comments) need this many answers, else only the response rate.
MIN_ANSWERS = 3
# The reminder command reminds, once, this many days before the closing date.
REMINDER_DAYS_BEFORE = 3
# The coordinator's button reminds a member at most once a day.
REMIND_AGAIN_AFTER = timedelta(hours=20)
# mycket bra … mycket dåligt, as in the report.
SCALE = [
    (4, _("Mycket bra")),
    (3, _("Bra")),
    (2, _("Varken bra eller dåligt")),
    (1, _("Dåligt")),
    (0, _("Mycket dåligt")),
]
GENERIC_KEYS = [key for key, _label in SURVEY_FACTORS]


def scale():
    # Translated at call time (the module-level gettext runs before a language is active).
    return [(value, _(str(label))) for value, label in SCALE]


class LinkError(links.LinkError):
    """A tampered, unknown, used, closed or expired link; the message is for the visitor."""


# --- the round ----------------------------------------------------------------------------


def candidate_members(area):
    """The area's groups' current members with an e-mail address."""
    return (
        GroupMember.objects.filter(group__area=area)
        .filter(current_members_q())
        .exclude(email="")
        .select_related("group", "organisation")
        .order_by("group__kind", "name", "pk")
    )


def token(invitation: SurveyInvitation) -> str:
    return signing.Signer(salt=SALT).sign(invitation.key)


def answer_url(invitation: SurveyInvitation) -> str:
    return absolute(reverse("followup:spindeln_answer", args=[token(invitation)]))


def closing_text(survey: SurveyRound) -> str:
    return formats.date_format(survey.closes_on, "j F Y")


def _mail(invitation: SurveyInvitation, kind: str):
    survey = invitation.round
    return queue_templated(
        kind,
        context={
            "invitation": invitation,
            "round": survey,
            "area": survey.area,
            "closes": closing_text(survey),
            "answer_url": answer_url(invitation),
            "coordinator": survey.started_by,
        },
        to_email=invitation.email,
        to_name=invitation.name,
        reply_to=survey.started_by.email if survey.started_by_id else "",
        related=invitation,
    )


def _clean_local(label: str) -> str:
    label = (label or "").strip()
    if contains_personnummer(label):
        raise ValidationError(_("Skriv inte personnummer här."))
    return label


@transaction.atomic
def start_round(
    *,
    area,
    user,
    title: str,
    closes_on: date,
    groups=(),
    members=(),
    local_factors=(),
    today: date | None = None,
) -> SurveyRound:
    """Create the round, a link per member (of the chosen groups, and the chosen members;
    one per e-mail address) and queue the e-mails. Raises ValidationError (a dict by
    field) and saves nothing on bad input."""
    today = today or timezone.localdate()
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Ge omgången en rubrik.")
    elif contains_personnummer(title):
        errors["title"] = _("Skriv inte personnummer här.")
    if closes_on is None or closes_on <= today:
        errors["closes_on"] = _("Sista svarsdagen måste vara efter i dag.")
    elif closes_on > today + timedelta(days=366):
        errors["closes_on"] = _("Sista svarsdagen får vara högst ett år fram.")
    local = [label.strip() for label in local_factors if label and label.strip()]
    if len(local) > 2:
        errors["local_factors"] = _("Högst två lokala faktorer.")
    try:
        local = [_clean_local(label) for label in local]
    except ValidationError as error:
        errors["local_factors"] = error.messages
    groups = [g for g in groups if g.area_id == area.pk]
    chosen = {m.pk: m for m in candidate_members(area).filter(group__in=groups)}
    wanted = [m.pk for m in members]
    for member in candidate_members(area).filter(pk__in=wanted):
        chosen[member.pk] = member
    if len(set(wanted) - set(candidate_members(area).values_list("pk", flat=True))):
        errors["members"] = _("Välj bara medlemmar i områdets grupper.")
    by_email = {}
    for member in sorted(chosen.values(), key=lambda m: (m.name, m.pk)):
        by_email.setdefault(member.email.strip().lower(), member)
    if not by_email and "members" not in errors:
        errors["groups"] = _("Välj minst en grupp eller medlem med e-postadress.")
    if errors:
        raise ValidationError(errors)
    survey = SurveyRound.objects.create(
        area=area,
        title=title,
        closes_on=closes_on,
        started_by=user,
        local_factor_1=local[0] if local else "",
        local_factor_2=local[1] if len(local) > 1 else "",
    )
    survey.groups.set(groups)
    for email, member in by_email.items():
        invitation = SurveyInvitation.objects.create(
            round=survey,
            member=member,
            name=member.name,
            email=email,
            organisation=member.organisation,
        )
        _mail(invitation, INVITATION_KIND)
    return survey


def is_open(survey: SurveyRound, *, today: date | None = None) -> bool:
    return not survey.is_closed and survey.closes_on >= (today or timezone.localdate())


def _shuffle_answers(survey: SurveyRound) -> None:
    """Write the round's answers anew, in random order with new ids, in one transaction:
    their rows then share one transaction id and an order that says nothing."""
    rows = list(SurveyResponse.objects.filter(round=survey).values_list("values", "comments"))
    SurveyResponse.objects.filter(round=survey).delete()
    random.SystemRandom().shuffle(rows)
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(round=survey, values=values, comments=comments)
            for values, comments in rows
        ]
    )


@transaction.atomic
def close_round(survey: SurveyRound) -> bool:
    """Close the round (once: a second click changes nothing). Returns whether it closed."""
    locked = SurveyRound.objects.select_for_update().get(pk=survey.pk)
    if locked.closed_at is not None:
        survey.closed_at = locked.closed_at
        return False
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    _shuffle_answers(locked)
    survey.closed_at = locked.closed_at
    return True


def close_expired(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    closed = 0
    for survey in SurveyRound.objects.filter(closed_at__isnull=True, closes_on__lt=today):
        closed += close_round(survey)
    return closed


def _remind(invitations, *, now) -> int:
    sent = 0
    for invitation in invitations:
        with transaction.atomic():
            claimed = (
                SurveyInvitation.objects.filter(pk=invitation.pk, answered=False)
                .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_AGAIN_AFTER))
                .update(reminded_at=now)
            )
            if claimed != 1:
                continue
            _mail(invitation, REMINDER_KIND)
            sent += 1
    return sent


def remind_now(survey: SurveyRound, *, now=None) -> int:
    """The coordinator's button: remind those who have not answered (not twice a day)."""
    if not is_open(survey):
        raise ValidationError(_("Omgången är stängd."))
    now = now or timezone.now()
    return _remind(
        survey.invitations.filter(answered=False).select_related("round", "round__area"), now=now
    )


def send_reminders(*, now=None, days_before=None) -> int:
    """manage.py send_reminders: close the rounds past their date, and remind once those
    who have not answered a round closing within REMINDER_DAYS_BEFORE days."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    close_expired(today=today)
    days = REMINDER_DAYS_BEFORE if days_before is None else days_before
    due = SurveyInvitation.objects.filter(
        answered=False,
        reminded_at__isnull=True,
        round__closed_at__isnull=True,
        round__closes_on__gte=today,
        round__closes_on__lte=today + timedelta(days=days),
    ).select_related("round", "round__area", "round__started_by")
    return _remind(due, now=now)


# --- the answer ---------------------------------------------------------------------------


def invitation_from_token(value: str, *, today: date | None = None) -> SurveyInvitation:
    key = links.unsign_link_key(value, salt=SALT, error=LinkError)
    invitation = (
        SurveyInvitation.objects.select_related("round", "round__area").filter(key=key).first()
    )
    if invitation is None:
        raise LinkError(_("Länken gäller inte längre. Kontakta samordnaren om du vill svara."))
    check_link(invitation, today=today)
    return invitation


def check_link(invitation: SurveyInvitation, *, today: date | None = None) -> None:
    if invitation.answered:
        raise LinkError(
            _(
                "Ett svar har redan lämnats med den här länken, och varje länk ger ett svar. "
                "Har någon skickat vidare länken till dig: be samordnaren om en egen länk."
            )
        )
    if invitation.round.is_closed:
        raise LinkError(_("Enkäten är stängd. Tack ändå!"))
    if invitation.round.closes_on < (today or timezone.localdate()):
        raise LinkError(_("Sista svarsdagen har passerat, så enkäten är stängd."))


def clean_answer(survey: SurveyRound, values: dict, comments: dict):
    """(values, comments) checked against the round's factors; ValidationError by key."""
    errors = {}
    clean_values, clean_comments = {}, {}
    allowed = {value for value, _label in SCALE}
    for key, _label in survey.factors():
        raw = values.get(key)
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = None
        if number not in allowed:
            errors[key] = _("Välj ett svar.")
        else:
            clean_values[key] = number
        comment = (comments.get(key) or "").strip()
        if len(comment) > SURVEY_COMMENT_MAX:
            errors[f"{key}_comment"] = _("Högst %(max)d tecken.") % {"max": SURVEY_COMMENT_MAX}
        elif contains_personnummer(comment):
            errors[f"{key}_comment"] = _("Skriv inte personnummer i kommentaren.")
        elif comment:
            clean_comments[key] = comment
    if errors:
        raise ValidationError(errors)
    return clean_values, clean_comments


def submit_answer(invitation: SurveyInvitation, *, values: dict, comments: dict) -> None:
    """Store the answer with the round only and mark the link used, in one transaction
    with the round and the link locked: a double click or a close at the same moment
    stores nothing twice. Raises LinkError (used/closed) or ValidationError (bad input)."""
    with transaction.atomic():
        survey = SurveyRound.objects.select_for_update().get(pk=invitation.round_id)
        locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        locked.round = survey
        check_link(locked)
        clean_values, clean_comments = clean_answer(survey, values, comments)
        SurveyResponse.objects.create(round=survey, values=clean_values, comments=clean_comments)
        SurveyInvitation.objects.filter(pk=locked.pk).update(answered=True)


# --- results ------------------------------------------------------------------------------


@dataclass
class FactorResult:
    key: str
    label: str
    n: int = 0
    mean: float | None = None
    minimum: int | None = None
    maximum: int | None = None
    sd: float | None = None
    others: float | None = None
    comments: list[str] = field(default_factory=list)


@dataclass
class Results:
    survey: SurveyRound
    invited: int
    answered: int
    factors: list[FactorResult]
    shown: bool
    others_areas: int = 0

    @property
    def rate(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0


def _stats(numbers):
    if not numbers:
        return None, None, None, None
    mean = sum(numbers) / len(numbers)
    sd = math.sqrt(sum((x - mean) ** 2 for x in numbers) / len(numbers))
    return mean, min(numbers), max(numbers), sd


def period_of(survey: SurveyRound) -> tuple[date, date]:
    """The period the other areas are compared in: the calendar year of the closing date."""
    year = survey.closes_on.year
    return date(year, 1, 1), date(year, 12, 31)


def countable_rounds():
    """Closed rounds with enough answers to show."""
    from django.db.models import Count

    return (
        SurveyRound.objects.filter(closed_at__isnull=False)
        .annotate(n=Count("responses"))
        .filter(n__gte=MIN_ANSWERS)
    )


def others_means(survey: SurveyRound) -> tuple[dict[str, float], int]:
    """The mean per generic factor of the other areas' closed rounds (with at least
    MIN_ANSWERS answers) closing in the same year: each area's mean over its answers,
    then the plain mean over the areas (a large area does not outweigh a small one).
    Returns ({key: mean}, number of areas)."""
    start, end = period_of(survey)
    rounds = countable_rounds().filter(closes_on__range=(start, end)).exclude(area=survey.area)
    per_area: dict[int, dict[str, list[int]]] = {}
    for area_id, values in SurveyResponse.objects.filter(round__in=rounds).values_list(
        "round__area_id", "values"
    ):
        bucket = per_area.setdefault(area_id, {})
        for key in GENERIC_KEYS:
            if key in values:
                bucket.setdefault(key, []).append(values[key])
    means = {}
    for key in GENERIC_KEYS:
        area_means = [sum(v[key]) / len(v[key]) for v in per_area.values() if v.get(key)]
        if area_means:
            means[key] = sum(area_means) / len(area_means)
    return means, len(per_area)


def results(survey: SurveyRound) -> Results:
    invited = survey.invitations.count()
    answered = survey.invitations.filter(answered=True).count()
    rows = list(SurveyResponse.objects.filter(round=survey).values_list("values", "comments"))
    shown = survey.is_closed and len(rows) >= MIN_ANSWERS
    factors = []
    others, areas = others_means(survey) if shown else ({}, 0)
    for key, label in survey.factors():
        result = FactorResult(key=key, label=label, others=others.get(key))
        if shown:
            numbers = [values[key] for values, _c in rows if key in values]
            result.n = len(numbers)
            result.mean, result.minimum, result.maximum, result.sd = _stats(numbers)
            # Sorted, not in the order of arrival.
            result.comments = sorted(c[key] for _v, c in rows if c.get(key))
        factors.append(result)
    return Results(survey, invited, answered, factors, shown, areas)


@dataclass
class TrendRow:
    survey: SurveyRound
    answered: int
    invited: int
    means: dict[str, float]
    overall: float


def trend(area) -> list[TrendRow]:
    """The area's closed rounds with enough answers, oldest first: the mean per generic
    factor and over the seven."""
    rows = []
    for survey in countable_rounds().filter(area=area).order_by("closes_on", "pk"):
        answers = list(SurveyResponse.objects.filter(round=survey).values_list("values", flat=True))
        means = {}
        for key in GENERIC_KEYS:
            numbers = [v[key] for v in answers if key in v]
            if numbers:
                means[key] = sum(numbers) / len(numbers)
        overall = sum(means.values()) / len(means) if means else 0.0
        rows.append(
            TrendRow(
                survey=survey,
                answered=len(answers),
                invited=survey.invitations.count(),
                means=means,
                overall=overall,
            )
        )
    return rows


def year_trend(rows: list[TrendRow]) -> list[tuple[int, float, int]]:
    """(year, mean over the year's rounds' overall means, rounds)."""
    by_year: dict[int, list[float]] = {}
    for row in rows:
        by_year.setdefault(row.survey.closes_on.year, []).append(row.overall)
    return [(year, sum(v) / len(v), len(v)) for year, v in sorted(by_year.items())]


def means_csv_rows(result: Results) -> list[list]:
    header = [
        _("Faktor"),
        _("Medelvärde"),
        _("Övriga områden"),
        _("Lägst"),
        _("Högst"),
        _("Standardavvikelse"),
        _("Antal svar"),
    ]
    rows = [header]
    for f in result.factors:
        rows.append(
            [
                f.label,
                _fmt(f.mean),
                _fmt(f.others),
                "" if f.minimum is None else f.minimum,
                "" if f.maximum is None else f.maximum,
                _fmt(f.sd),
                f.n,
            ]
        )
    return rows


def _fmt(value):
    return "" if value is None else formats.number_format(value, 2)


def groups_of(area):
    return Group.objects.filter(area=area).order_by("kind", "name")


# --- who sees what ------------------------------------------------------------------------


def may_coordinate(user, area) -> bool:
    """The area's coordinators and the administrators start rounds and see their state."""
    from ..access import may_handle

    return may_handle(user, area)


def is_area_member(user, area) -> bool:
    """A current member (an account on a roster) of one of the area's groups: sees the
    results of the area's closed rounds."""
    if not user.is_authenticated:
        return False
    return (
        GroupMember.objects.filter(group__area=area, user=user).filter(current_members_q()).exists()
    )


def may_see_results(user, survey: SurveyRound) -> bool:
    if may_coordinate(user, survey.area):
        return True
    return survey.is_closed and is_area_member(user, survey.area)


def get_area(user, slug):
    """The area of the round list: its coordinator or a member of its groups, else 403."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from parties.models import SamverkArea

    area = get_object_or_404(SamverkArea, slug=slug)
    if not (may_coordinate(user, area) or is_area_member(user, area)):
        raise PermissionDenied
    return area


def get_round(user, pk, *, manage: bool = False) -> SurveyRound:
    """The round for its coordinator (``manage``) or for whoever may see its results."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    survey = get_object_or_404(SurveyRound.objects.select_related("area", "started_by"), pk=pk)
    allowed = may_coordinate(user, survey.area) if manage else may_see_results(user, survey)
    if not allowed:
        raise PermissionDenied
    survey.user_coordinates = may_coordinate(user, survey.area)
    return survey
