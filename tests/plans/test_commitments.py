"""Mina åtaganden: actions become tracked commitments until marked done."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from plans.services.commitments import commitments_for
from tests.factories import MeetingFactory, UserFactory, take_part


def test_mine_by_organisation_or_by_name(client_for, convener, af_user, plan, orgs):
    by_org = plan.actions.create(what="Kommunens insats", responsible_organisation=orgs["kommun"])
    by_name = plan.actions.create(
        what="Min egen", responsible_organisation=orgs["af"], responsible_user=convener
    )
    plan.actions.create(what="AF:s insats", responsible_organisation=orgs["af"])
    assert set(commitments_for(convener)) == {by_org, by_name}
    response = client_for(convener).get(reverse("plans:commitments"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kommunens insats" in html and "Min egen" in html and "AF:s insats" not in html
    per_org = client_for(af_user).get(reverse("plans:commitments"), {"part": orgs["af"].pk})
    assert "AF:s insats" in per_org.content.decode() and "Min egen" in per_org.content.decode()


def test_overdue_is_highlighted_with_text(client_for, convener, plan, orgs):
    plan.actions.create(
        what="Sen",
        responsible_organisation=orgs["kommun"],
        due_on=timezone.localdate() - timedelta(days=1),
    )
    html = client_for(convener).get(reverse("plans:commitments")).content.decode()
    assert "table-danger" in html and "Försenad" in html and "1 försenad" in html


def test_actions_of_an_arende_the_user_cannot_open_are_never_listed(client_for, plan, orgs):
    fk_user = UserFactory(organisation=orgs["fk"], is_caseworker=True)
    action = plan.actions.create(what="Hemlig insats", responsible_organisation=orgs["fk"])
    assert list(commitments_for(fk_user)) == []
    client = client_for(fk_user)
    assert "Hemlig insats" not in client.get(reverse("plans:commitments")).content.decode()
    done = client.post(
        reverse("plans:action_done", args=[action.pk]),
        {"done_on": timezone.localdate().isoformat()},
    )
    assert done.status_code == 404
    # FK being involved in the ärende opens nothing; taking part in a meeting does.
    plan.meeting.case.involved_organisations.add(orgs["fk"])
    assert list(commitments_for(fk_user)) == []
    take_part(plan.meeting.case, fk_user)
    assert list(commitments_for(fk_user)) == [action]


def test_carried_over_actions_are_one_commitment(convener, plan, orgs, case):
    from plans.services.start import get_or_create_plan

    from .helpers import at

    plan.actions.create(what="Följs upp", responsible_organisation=orgs["kommun"])
    starts = at(30)
    get_or_create_plan(
        MeetingFactory(
            case=case, convened_by=convener, starts_at=starts, ends_at=starts + timedelta(hours=1)
        )
    )
    assert [a.what for a in commitments_for(convener)] == ["Följs upp"]


def test_marking_done_with_a_date(client_for, convener, plan, orgs):
    action = plan.actions.create(what="Gör", responsible_organisation=orgs["kommun"])
    client = client_for(convener)
    url = reverse("plans:action_done", args=[action.pk])
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(url, {"done_on": yesterday.isoformat()})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == yesterday
    assert plan.meeting.case.events.filter(
        action="plan.changed", data__field="action.done_on"
    ).exists()
    html = client.get(reverse("plans:commitments")).content.decode()
    assert "Klar " in html


def test_a_future_or_missing_date_is_refused(client_for, convener, plan, orgs):
    action = plan.actions.create(what="Gör", responsible_organisation=orgs["kommun"])
    client = client_for(convener)
    url = reverse("plans:action_done", args=[action.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(url, {"done_on": tomorrow.isoformat()})
    client.post(url, {"done_on": ""})
    action.refresh_from_db()
    assert action.done_on is None


def test_next_must_stay_on_this_site(client_for, convener, plan, orgs):
    action = plan.actions.create(what="Gör", responsible_organisation=orgs["kommun"])
    response = client_for(convener).post(
        reverse("plans:action_done", args=[action.pk]),
        {"done_on": timezone.localdate().isoformat(), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("plans:commitments")
