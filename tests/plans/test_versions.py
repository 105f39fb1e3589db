"""Fastställ: a frozen snapshot per version, all kept, each readable and signable."""

from django.urls import reverse

from plans.models import PlanVersion

from .helpers import autosave


def freeze(client, meeting):
    return client.post(reverse("plans:freeze", args=[meeting.pk]))


def test_freezing_keeps_every_version(client_for, convener, meeting, plan, orgs):
    from tests.factories import ParticipantFactory

    ParticipantFactory(meeting=meeting, name="Eva Ek", organisation=orgs["af"])
    client = client_for(convener)
    autosave(
        client, meeting, {"current_situation": "Version ett", "version-current_situation": "0"}
    )
    goal = plan.goals.create(text="Arbete")
    plan.goals.create(text="Praktik", parent=goal)
    plan.actions.create(what="Kartläggning", responsible_organisation=orgs["af"])
    response = freeze(client, meeting)
    assert response.status_code == 302
    first = PlanVersion.objects.get(plan=plan, number=1)
    assert response["Location"] == first.get_absolute_url()
    assert first.snapshot["fields"]["current_situation"] == "Version ett"
    assert first.snapshot["goals"] == [{"text": "Arbete", "subgoals": ["Praktik"]}]
    assert first.snapshot["actions"][0]["responsible"] == "Arbetsförmedlingen"
    assert first.snapshot["attendance"][0]["name"] == "Eva Ek"

    autosave(
        client, meeting, {"current_situation": "Version två", "version-current_situation": "1"}
    )
    page = client.get(reverse("plans:edit", args=[meeting.pk])).content.decode()
    assert "Ändrad efter det" in page and "Fastställ version 2" in page
    freeze(client, meeting)
    assert list(plan.versions.values_list("number", flat=True)) == [2, 1]
    first.refresh_from_db()
    assert first.snapshot["fields"]["current_situation"] == "Version ett"  # frozen
    one = client.get(reverse("plans:version", args=[meeting.pk, 1])).content.decode()
    assert "Version ett" in one and "Version två" not in one and "Praktik" in one
    listing = client.get(reverse("plans:versions", args=[meeting.pk])).content.decode()
    assert "Version 1" in listing and "Version 2" in listing
    events = meeting.case.events
    assert events.filter(action="plan.frozen").count() == 2
    assert events.filter(action="plan.viewed", data__version=1).exists()


def test_signatures_on_paper_or_in_the_app(client_for, convener, meeting, plan):
    client = client_for(convener)
    freeze(client, meeting)
    url = reverse("plans:sign", args=[meeting.pk, 1])
    paper = client.post(url, {"role": "individual", "method": "paper", "name": "Alva Andersson"})
    assert paper.status_code == 302
    app = client.post(url, {"role": "staff", "method": "app", "name": "Kim Kallande"})
    assert app.status_code == 302
    again = client.post(url, {"role": "staff", "method": "app", "name": "Någon annan"})
    assert again.status_code == 400
    assert "redan signerad" in again.content.decode()
    assert client.post(url, {"role": "staff", "method": "app", "name": ""}).status_code == 400
    page = client.get(reverse("plans:version", args=[meeting.pk, 1])).content.decode()
    assert "Signerat på papper" in page or "signerat på papper" in page
    assert "Kim Kallande" in page
    version = plan.versions.get()
    assert {s.role: s.method for s in version.signatures.all()} == {
        "individual": "paper",
        "staff": "app",
    }
    signed = meeting.case.events.filter(action="plan.signed")
    assert signed.count() == 2
    assert all("Alva" not in str(e.data) for e in signed)


def test_an_unknown_version_is_404(client_for, convener, meeting, plan):
    assert (
        client_for(convener).get(reverse("plans:version", args=[meeting.pk, 7])).status_code == 404
    )


def test_freezing_again_without_a_change_makes_no_new_version(client_for, convener, meeting, plan):
    """One version per fastställ (issue 15): a double click, or "Fastställ" again with
    nothing changed, keeps the version there is (the concurrent clicks against a live
    server: tests/test_double_clicks.py)."""
    client = client_for(convener)
    autosave(client, meeting, {"current_situation": "Läget", "version-current_situation": "0"})
    assert freeze(client, meeting).status_code == 302
    response = freeze(client, meeting)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:version", args=[meeting.pk, 1])
    assert list(plan.versions.values_list("number", flat=True)) == [1]
    page = client.get(response["Location"]).content.decode()
    assert "Inget har ändrats sedan version 1 fastställdes" in page
    assert meeting.case.events.filter(action="plan.frozen").count() == 1
    # A change in any part of the plan makes the next one.
    plan.actions.create(what="Kartläggning")
    freeze(client, meeting)
    assert list(plan.versions.values_list("number", flat=True)) == [2, 1]
