"""Spindeln (issue 19): a round for the area's groups, personal links by e-mail through the
outbox, one anonymous answer per link, reminders, closing, results (radar chart against the
other areas, spread, comments), the trend and the downloads."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from followup.models import SURVEY_FACTORS, SurveyInvitation, SurveyResponse, SurveyRound
from followup.services import spindeln
from groups.enums import GroupKind, MemberRole
from groups.models import Group, GroupMember
from outbox.models import OutboundMessage
from tests.factories import UserFactory

TODAY = timezone.localdate()
KEYS = [key for key, _label in SURVEY_FACTORS]


@pytest.fixture
def styrgrupp(area, parties):
    group = Group.objects.create(area=area, kind=GroupKind.STEERING)
    for n in range(6):
        GroupMember.objects.create(
            group=group,
            name=f"Ledamot {n + 1}",
            organisation=parties[n % 3],
            email=f"ledamot{n + 1}@savsjo.se",
            role=MemberRole.MEMBER,
        )
    # Left the group: gets no link.
    GroupMember.objects.create(
        group=group,
        name="Slutat Ledamot",
        organisation=parties[0],
        email="slutat@savsjo.se",
        left_on=TODAY - timedelta(days=30),
    )
    return group


def start(area, coordinator, groups, **kw):
    return spindeln.start_round(
        area=area,
        user=coordinator,
        title=kw.pop("title", "Hösten 2026"),
        closes_on=kw.pop("closes_on", TODAY + timedelta(days=14)),
        groups=groups,
        **kw,
    )


def values(n: int, **override):
    return {key: n for key in KEYS} | override


def answer_all(survey, scores, comments=None):
    links = list(survey.invitations.order_by("pk"))
    for link, score in zip(links, scores, strict=False):
        spindeln.submit_answer(link, values=values(score), comments=comments or {})


def test_a_round_mails_each_current_member_a_personal_link(area, coordinator, styrgrupp):
    survey = start(area, coordinator, [styrgrupp], local_factors=["Vägen in", ""])
    links = list(survey.invitations.all())
    assert sorted(i.email for i in links) == [f"ledamot{n}@savsjo.se" for n in range(1, 7)]
    mails = OutboundMessage.objects.filter(subject__startswith="Spindeln")
    assert mails.count() == 6
    for link in links:
        mail = mails.get(to_email=link.email)
        assert reverse("followup:spindeln_answer", args=[spindeln.token(link)]) in mail.text_body
    assert [k for k, _l in survey.factors()] == [*KEYS, "lokal1"]


def test_bad_input_saves_nothing(area, coordinator, styrgrupp):
    with pytest.raises(ValidationError) as error:
        start(area, coordinator, [], title="", closes_on=TODAY, local_factors=["a", "b", "c"])
    assert {"title", "closes_on", "local_factors", "groups"} <= set(error.value.message_dict)
    assert not SurveyRound.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_another_areas_group_or_member_is_refused(area, other_area, coordinator, parties):
    group = Group.objects.create(area=other_area, kind=GroupKind.STEERING)
    member = GroupMember.objects.create(
        group=group, name="Annan Ledamot", organisation=parties[0], email="annan@tranas.se"
    )
    with pytest.raises(ValidationError) as error:
        start(area, coordinator, [group], members=[member])
    assert "members" in error.value.message_dict
    assert not SurveyRound.objects.exists()


def test_the_answer_page_takes_one_answer_per_link(client, area, coordinator, styrgrupp):
    survey = start(area, coordinator, [styrgrupp])
    link = survey.invitations.first()
    url = reverse("followup:spindeln_answer", args=[spindeln.token(link)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Ledningens stöd och engagemang" in page.content.decode()
    data = {key: "3" for key in KEYS} | {"samsyn_comment": "Vi pratar mer nu."}
    missing = client.post(url, {k: v for k, v in data.items() if k != "resurser"})
    assert missing.status_code == 400
    assert "Välj ett svar." in missing.content.decode()
    assert not SurveyResponse.objects.exists()
    done = client.post(url, data)
    assert done.status_code == 200
    assert "Tack för ditt svar" in done.content.decode()
    again = client.post(url, data)
    assert again.status_code == 400
    assert "redan lämnats" in again.content.decode()
    assert client.get(url).status_code == 400
    assert SurveyResponse.objects.count() == 1
    response = SurveyResponse.objects.get()
    assert response.values == values(3)
    assert response.comments == {"samsyn": "Vi pratar mer nu."}


def test_a_double_submit_stores_one_answer(area, coordinator, styrgrupp):
    survey = start(area, coordinator, [styrgrupp])
    link = survey.invitations.first()
    spindeln.submit_answer(link, values=values(4), comments={})
    with pytest.raises(spindeln.LinkError):
        spindeln.submit_answer(link, values=values(0), comments={})
    assert SurveyResponse.objects.count() == 1


def test_a_comment_with_a_personnummer_is_refused(client, area, coordinator, styrgrupp):
    survey = start(area, coordinator, [styrgrupp])
    link = survey.invitations.first()
    url = reverse("followup:spindeln_answer", args=[spindeln.token(link)])
    data = {key: "2" for key in KEYS} | {"ledning_comment": "Gäller 19121212-1212"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "personnummer" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    assert not SurveyInvitation.objects.filter(answered=True).exists()


@pytest.mark.parametrize("case", ["tampered", "closed", "expired", "unknown"])
def test_a_link_that_no_longer_holds_gets_a_clear_page(client, area, coordinator, styrgrupp, case):
    survey = start(area, coordinator, [styrgrupp])
    link = survey.invitations.first()
    value = spindeln.token(link)
    if case == "tampered":
        value = value[:-4] + "AAAA"
    elif case == "closed":
        spindeln.close_round(survey)
    elif case == "expired":
        SurveyRound.objects.filter(pk=survey.pk).update(closes_on=TODAY - timedelta(days=1))
    else:
        link.delete()
    url = reverse("followup:spindeln_answer", args=[value])
    for response in (client.get(url), client.post(url, {k: "2" for k in KEYS})):
        assert response.status_code == 400
        assert "Länken fungerar inte" in response.content.decode()
    assert not SurveyResponse.objects.exists()


# --- anonymity, at the database level ------------------------------------------------------


def _columns(model):
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
        relations = connection.introspection.get_relations(cursor, model._meta.db_table)
    return {c.name for c in description}, relations


def test_the_stored_answer_points_to_nothing_but_the_round(db):
    columns, relations = _columns(SurveyResponse)
    assert columns == {"id", "round_id", "values", "comments"}
    assert {target for _column, target in relations.values()} == {SurveyRound._meta.db_table}
    # No field of the model reaches a person, a link or a user, in either direction.
    related = {f.related_model for f in SurveyResponse._meta.get_fields() if f.is_relation}
    assert related == {SurveyRound}


def test_the_link_keeps_no_time_of_answering(db):
    columns, _relations = _columns(SurveyInvitation)
    assert "answered" in columns
    assert not [c for c in columns if c.endswith(("_at", "_on")) and c != "reminded_at"]
    assert not {"answered_at", "updated_at", "created_at"} & columns


def test_closing_writes_the_answers_anew(area, coordinator, styrgrupp):
    survey = start(area, coordinator, [styrgrupp])
    answer_all(survey, [4, 3, 2, 1])
    before = set(SurveyResponse.objects.values_list("id", flat=True))
    assert spindeln.close_round(survey)
    assert not spindeln.close_round(survey)
    after = set(SurveyResponse.objects.values_list("id", flat=True))
    assert len(after) == 4
    assert not before & after
    assert sorted(r.values["resurser"] for r in SurveyResponse.objects.all()) == [1, 2, 3, 4]
    if connection.vendor == "postgresql":
        # One transaction wrote them all: their xmin joins them to no link's mark.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(DISTINCT xmin::text) FROM followup_surveyresponse")
            assert cursor.fetchone()[0] == 1


# --- the coordinator's view, reminders, closing ---------------------------------------------


def test_the_coordinator_sees_who_has_not_answered_never_what(
    client_for, area, coordinator, styrgrupp
):
    survey = start(area, coordinator, [styrgrupp])
    first = survey.invitations.get(name="Ledamot 1")
    spindeln.submit_answer(first, values=values(1), comments={"resurser": "Hemlig kommentar"})
    page = client_for(coordinator).get(reverse("followup:spindeln_round", args=[survey.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 av 6" in text
    not_answered = text.split('id="not-answered"')[1].split("</ul>")[0]
    assert "Ledamot 1<" not in not_answered and "Ledamot 2" in not_answered
    assert "Hemlig kommentar" not in text
    assert "<svg" not in text


def test_reminders_go_once_to_those_who_have_not_answered(client_for, area, coordinator, styrgrupp):
    survey = start(area, coordinator, [styrgrupp], closes_on=TODAY + timedelta(days=2))
    spindeln.submit_answer(survey.invitations.get(name="Ledamot 1"), values=values(2), comments={})
    assert spindeln.send_reminders() == 5
    assert spindeln.send_reminders() == 0
    reminders = OutboundMessage.objects.filter(subject__startswith="Påminnelse: Spindeln")
    assert reminders.count() == 5
    assert not reminders.filter(to_email="ledamot1@savsjo.se").exists()
    # The button: not twice the same day.
    client = client_for(coordinator)
    assert client.post(reverse("followup:spindeln_remind", args=[survey.pk])).status_code == 302
    assert reminders.count() == 5


def test_the_command_closes_rounds_past_their_date(area, coordinator, styrgrupp):
    survey = start(area, coordinator, [styrgrupp])
    SurveyRound.objects.filter(pk=survey.pk).update(closes_on=TODAY - timedelta(days=1))
    spindeln.send_reminders()
    survey.refresh_from_db()
    assert survey.is_closed
    assert not OutboundMessage.objects.filter(subject__startswith="Påminnelse").exists()


# --- results ---------------------------------------------------------------------------------


@pytest.fixture
def closed_rounds(area, other_area, coordinator, styrgrupp, parties):
    survey = start(area, coordinator, [styrgrupp], local_factors=["Vägen in"])
    links = list(survey.invitations.order_by("pk"))
    for link, score in zip(links, [4, 3, 3, 2, 1], strict=False):
        spindeln.submit_answer(
            link,
            values=values(score, lokal1=2),
            comments={"samsyn": f"Kommentar {score}"},
        )
    spindeln.close_round(survey)
    other_group = Group.objects.create(area=other_area, kind=GroupKind.STEERING)
    other_coordinator = UserFactory(username="tranas-k", coordinated_areas=[other_area])
    for n in range(3):
        GroupMember.objects.create(
            group=other_group,
            name=f"Tranås {n}",
            organisation=parties[n],
            email=f"t{n}@tranas.se",
        )
    other = start(other_area, other_coordinator, [other_group])
    for link in other.invitations.all():
        spindeln.submit_answer(link, values=values(1), comments={})
    spindeln.close_round(other)
    return survey


def test_results_mean_spread_and_the_other_areas(closed_rounds):
    result = spindeln.results(closed_rounds)
    assert result.shown and result.answered == 5 and result.invited == 6 and result.rate == 83
    resources = result.factors[0]
    assert resources.mean == pytest.approx(2.6)
    assert (resources.minimum, resources.maximum) == (1, 4)
    assert resources.sd == pytest.approx(1.0198, abs=1e-3)
    assert resources.others == pytest.approx(1.0)
    local = result.factors[-1]
    assert local.key == "lokal1" and local.mean == 2 and local.others is None
    samsyn = next(f for f in result.factors if f.key == "samsyn")
    assert samsyn.comments == sorted(f"Kommentar {n}" for n in [4, 3, 3, 2, 1])


def test_the_round_page_shows_the_radar_chart_against_the_other_areas(
    client_for, coordinator, closed_rounds
):
    page = client_for(coordinator).get(reverse("followup:spindeln_round", args=[closed_rounds.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    svg = text.split("<svg")[1].split("</svg>")[0]
    assert 'stroke-dasharray="8 5"' in svg  # the other areas
    assert "Tillgång till" in svg and "resurser" in svg
    assert "style=" not in svg and "<script" not in svg
    assert "Kommentar 4" in text
    assert "2,60" in text or "2.60" in text


def test_fewer_than_three_answers_show_no_result(client_for, area, coordinator, styrgrupp):
    survey = start(area, coordinator, [styrgrupp])
    answer_all(survey, [4, 0])
    spindeln.close_round(survey)
    client = client_for(coordinator)
    text = client.get(reverse("followup:spindeln_round", args=[survey.pk])).content.decode()
    assert "Färre än 3 svar" in text and "<svg" not in text
    url = reverse("followup:spindeln_export", args=[survey.pk, "csv"])
    assert client.get(url).status_code == 400


def test_the_downloads(client_for, coordinator, closed_rounds):
    from pypdf import PdfReader

    client = client_for(coordinator)

    def get(fmt):
        response = client.get(reverse("followup:spindeln_export", args=[closed_rounds.pk, fmt]))
        assert response.status_code == 200, fmt
        return response

    csv_text = get("csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Faktor;Medelvärde;Övriga områden")
    assert "Tillgång till resurser;2,60;1,00;1;4" in csv_text
    png = get("png").content
    assert png.startswith(b"\x89PNG")
    pdf = get("pdf")
    assert pdf["Content-Disposition"].endswith(
        "spindeln-savsjo-" + f'{closed_rounds.closes_on:%Y%m%d}.pdf"'
    )
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Ledningens stöd" in text and "Kommentar 4" in text


def test_the_trend_over_rounds_and_years(client_for, area, coordinator, styrgrupp, closed_rounds):
    earlier = SurveyRound.objects.create(
        area=area, title="Våren 2025", closes_on=date(2025, 5, 1), closed_at=timezone.now()
    )
    for score in (1, 2, 3):
        SurveyResponse.objects.create(round=earlier, values=values(score))
    rows = spindeln.trend(area)
    assert [r.survey for r in rows] == [earlier, closed_rounds]
    assert rows[0].overall == pytest.approx(2.0)
    years = spindeln.year_trend(rows)
    assert [y for y, _m, _n in years] == [2025, closed_rounds.closes_on.year]
    page = client_for(coordinator).get(reverse("followup:spindeln_rounds", args=[area.slug]))
    assert page.status_code == 200
    assert "<polyline" in page.content.decode()


# --- who sees what ----------------------------------------------------------------------------


def test_members_see_closed_results_only(client_for, area, coordinator, styrgrupp, closed_rounds):
    member = UserFactory(username="ledamot", is_caseworker=False)
    styrgrupp.members.filter(name="Ledamot 2").update(user=member)
    client = client_for(member)
    assert (
        client.get(reverse("followup:spindeln_round", args=[closed_rounds.pk])).status_code == 200
    )
    opened = start(area, coordinator, [styrgrupp], title="Ny")
    assert client.get(reverse("followup:spindeln_round", args=[opened.pk])).status_code == 403
    listing = client.get(reverse("followup:spindeln_rounds", args=[area.slug])).content.decode()
    assert closed_rounds.title in listing and "Ny<" not in listing
    assert client.get(reverse("followup:spindeln_create", args=[area.slug])).status_code == 403
    assert client.post(reverse("followup:spindeln_close", args=[opened.pk])).status_code == 403


def test_the_coordinator_starts_a_round_through_the_form(client_for, area, coordinator, styrgrupp):
    client = client_for(coordinator)
    url = reverse("followup:spindeln_create", args=[area.slug])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"title": "", "closes_on": "inte ett datum"})
    assert bad.status_code == 400
    assert not SurveyRound.objects.exists()
    ok = client.post(
        url,
        {
            "title": "Hösten",
            "closes_on": (TODAY + timedelta(days=10)).isoformat(),
            "groups": [styrgrupp.pk],
            "local_factor_1": "Vägen in",
        },
    )
    survey = SurveyRound.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse(
        "followup:spindeln_round", args=[survey.pk]
    )
    assert survey.invitations.count() == 6
    assert client.post(reverse("followup:spindeln_close", args=[survey.pk])).status_code == 302
    survey.refresh_from_db()
    assert survey.is_closed


@pytest.mark.parametrize("field", ["groups", "members"])
def test_an_id_no_database_holds_is_a_choice_error(client_for, area, coordinator, field):
    url = reverse("followup:spindeln_create", args=[area.slug])
    data = {"title": "Hösten", "closes_on": (TODAY + timedelta(days=5)).isoformat()}
    response = client_for(coordinator).post(url, data | {field: "99999999999999999999"})
    assert response.status_code == 400
    assert not SurveyRound.objects.exists()
