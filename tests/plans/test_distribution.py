"""Skicka handlingsplanen: who receives it and how, the attach setting, the link that
requires login, refused before fastställ, access, delivery states, no personnummer."""

import pytest
from django.core import mail
from django.urls import reverse

from outbox.models import OutboundMessage
from plans.models import AreaPlanSettings
from plans.services.distribution import PLAN_BUILDER, distribute_plan
from plans.services.versions import freeze_plan
from tests.factories import ParticipantFactory
from tests.helpers import PNR, PNR_FORMS, deliver_all, outgoing_text


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def people(meeting, orgs, convener, af_user):
    case = meeting.case
    return {
        "convener": ParticipantFactory(
            meeting=meeting,
            kind="staff",
            user=convener,
            name="Karin Kallande",
            email=convener.email,
            organisation=orgs["kommun"],
            attendance="present",
        ),
        "af": ParticipantFactory(
            meeting=meeting,
            kind="staff",
            user=af_user,
            name="Anders Förmedlare",
            email=af_user.email,
            organisation=orgs["af"],
            attendance="present",
        ),
        "absent": ParticipantFactory(
            meeting=meeting,
            kind="external",
            name="Fia Frånvarosson",
            email="fia@fk.example",
            organisation=orgs["fk"],
            attendance="absent",
        ),
        "no_email": ParticipantFactory(
            meeting=meeting, kind="interpreter", name="Tolk Utan Epost", email=""
        ),
        "removed": ParticipantFactory(
            meeting=meeting,
            kind="external",
            name="Borttagen",
            email="bort@example.se",
            removed_at=meeting.starts_at,
        ),
        "individual": ParticipantFactory(
            meeting=meeting, kind="individual", name=case.individual_name, email=""
        ),
    }


@pytest.fixture
def frozen(plan, convener, people):
    plan.current_situation = f"Alva vill arbeta. {PNR}"
    plan.save()
    plan.actions.create(what="Kartläggning")
    freeze_plan(plan=plan, user=convener)
    return plan


def distribute_url(meeting):
    return reverse("plans:distribute", args=[meeting.pk])


def test_refused_before_fastställ(plan, convener, people):
    with pytest.raises(Exception, match="Fastställ handlingsplanen innan den skickas."):
        distribute_plan(plan=plan, user=convener)
    assert not OutboundMessage.objects.exists()


def test_refused_before_fastställ_through_the_page(client, plan, meeting, convener, people):
    client.force_login(convener)
    response = client.post(distribute_url(meeting), follow=True)
    assert "Fastställ handlingsplanen innan den skickas." in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_one_per_participant_with_email_and_the_individual_by_letter(frozen, convener, people):
    count = distribute_plan(plan=frozen, user=convener)
    assert count == 3  # convener, af, absent: not the one without e-mail, nor the removed
    to = set(OutboundMessage.objects.values_list("to_email", flat=True))
    assert to == {people["convener"].email, people["af"].email, "fia@fk.example"}
    assert set(OutboundMessage.objects.values_list("attachments_builder", flat=True)) == {
        PLAN_BUILDER
    }
    event = frozen.meeting.case.events.get(action="plan.distributed")
    assert event.data["count"] == 3 and event.data["version"] == 1
    assert event.data["individual"] == "letter"


def test_individual_by_email_when_asked_gets_the_pdf(frozen, convener, people):
    case = frozen.meeting.case
    case.contact_preference, case.email = "email", "alva@example.se"
    case.save()
    assert distribute_plan(plan=frozen, user=convener) == 4
    deliver_all()
    to_alva = next(m for m in mail.outbox if "alva@example.se" in m.to[0])
    assert [a[0] for a in to_alva.attachments] == ["handlingsplan-v1.pdf"]
    staff = [m for m in mail.outbox if m is not to_alva]
    assert all(m.attachments == [] for m in staff)  # area setting off by default
    message = OutboundMessage.objects.get(to_email="alva@example.se")
    assert message.related == people["individual"]


def test_attach_setting_on_attaches_the_pdf_for_staff(frozen, convener, people):
    AreaPlanSettings.objects.create(area=frozen.meeting.case.area, attach_pdf=True)
    distribute_plan(plan=frozen, user=convener)
    deliver_all()
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert [a[0] for a in message.attachments] == ["handlingsplan-v1.pdf"]


def test_sends_the_latest_version(frozen, convener, people):
    frozen.way_forward = "Ändrat"
    frozen.save()
    freeze_plan(plan=frozen, user=convener)
    distribute_plan(plan=frozen, user=convener)
    assert {m.builder_args["version"] for m in OutboundMessage.objects.all()} == {2}


def test_link_requires_login(client, frozen, convener, people, af_user):
    distribute_plan(plan=frozen, user=convener)
    deliver_all()
    body = next(m for m in mail.outbox if af_user.email in m.to[0]).body
    links = [w for w in body.split() if w.startswith("http")]
    assert links
    for link in links:
        path = link.split("://", 1)[1].split("/", 1)[1]
        response = client.get("/" + path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    client.force_login(af_user)
    for link in links:
        path = "/" + link.split("://", 1)[1].split("/", 1)[1]
        assert client.get(path).status_code == 200


def test_no_personnummer_in_anything_sent(frozen, convener, people):
    case = frozen.meeting.case
    case.personnummer = PNR
    case.contact_preference, case.email = "email", "alva@example.se"
    case.save()
    AreaPlanSettings.objects.create(area=case.area, attach_pdf=True)
    distribute_plan(plan=frozen, user=convener)
    deliver_all()
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        text = outgoing_text(message)
        assert "handlingsplan-v1.pdf" in str([a[0] for a in message.attachments])
        for form in PNR_FORMS[:4]:
            assert form not in text, (message.subject, form)
            assert form not in text.replace(" ", "").replace("\n", "")


def test_access_uninvolved_404_viewer_403(client, frozen, meeting, af_user, outsider):
    client.force_login(outsider)
    assert client.post(distribute_url(meeting)).status_code == 404
    assert client.get(reverse("plans:distribution", args=[meeting.pk])).status_code == 404
    client.force_login(af_user)  # may open the plan, may not change the meeting
    assert client.post(distribute_url(meeting)).status_code == 403
    assert not OutboundMessage.objects.exists()
    page = client.get(reverse("plans:distribution", args=[meeting.pk])).content.decode()
    assert distribute_url(meeting) not in page
    client.logout()
    response = client.post(distribute_url(meeting))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_delivery_state_on_the_plan_page(client, frozen, meeting, convener, people):
    client.force_login(convener)
    plan_page = client.get(reverse("plans:edit", args=[meeting.pk])).content.decode()
    section_url = reverse("plans:distribution", args=[meeting.pk])
    assert f'hx-get="{section_url}"' in plan_page and 'id="distribution"' in plan_page
    response = client.post(distribute_url(meeting))
    assert response.status_code == 302
    assert response["Location"].endswith("#distribution")
    section = client.get(section_url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in section
    assert section.count("Köad") == 3
    assert "Ingen e-postadress" in section
    assert "Brev med handlingsplanen (PDF för post)" in section
    assert reverse("plans:letter", args=[meeting.pk]) in section
    assert "Borttagen" not in section
    deliver_all()
    section = client.get(section_url, HTTP_HX_REQUEST="true").content.decode()
    assert section.count("Skickad") == 3
    # Without JavaScript: the same section on its own page.
    page = client.get(section_url).content.decode()
    assert "<html" in page and "Skickad" in page
    letter = client.get(reverse("plans:letter", args=[meeting.pk]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"


def test_kallelse_states_are_not_mistaken_for_plan_states(frozen, meeting, convener, people):
    from meetings.services import invitations

    invitations.queue_invitation(people["af"])
    distribute_plan(plan=frozen, user=convener)
    from plans.services.distribution import delivery_states

    states = delivery_states(frozen, [people["af"]])
    assert states[people["af"].pk].attachments_builder == PLAN_BUILDER
