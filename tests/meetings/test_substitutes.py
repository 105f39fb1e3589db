"""Forwarded answer links (issue 15): a substitute must be of the invited party, one per
invitation, never named by a substitute, and the convener hears of it at once.

The issue's case: one participant's answer link, forwarded, created five substitutes at
attacker{n}@evil.example in five POSTs, each sent a kallelse with the individual's name,
purpose and questions, and each substitute's own link could do it again.
"""

import re
from email.utils import parseaddr

import pytest
from django.core import mail
from django.urls import reverse

from meetings.enums import Answer
from meetings.models import Participant
from meetings.services import invitations
from outbox.enums import MessageState
from outbox.models import OutboundMessage
from tests.factories import ContactPersonFactory, MeetingFactory, ParticipantFactory, UserFactory
from tests.helpers import deliver_all


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def af(orgs):
    orgs["af"].email_domains = "arbetsformedlingen.se\naf.se"
    orgs["af"].save()
    return orgs["af"]


@pytest.fixture
def meeting(case, convener):
    return MeetingFactory(
        case=case,
        convened_by=convener,
        convening_organisation=convener.organisation,
        location="Kommunhuset",
    )


@pytest.fixture
def anna(meeting, af):
    return ParticipantFactory(
        meeting=meeting,
        kind="staff",
        organisation=af,
        name="Anna Arbete",
        email="anna.arbete@arbetsformedlingen.se",
    )


def url(participant):
    return reverse("meetings:answer", args=[invitations.answer_token(participant)])


def name_substitute(client, participant, email, name="Sam Ersätt"):
    return client.post(
        url(participant),
        {"answer": Answer.SUBSTITUTE, "substitute_name": name, "substitute_email": email},
    )


def field_block(html, name):
    """The field's wrapper, up to the next field's (crispy's markup)."""
    start = html.index(f'id="div_id_{name}"')
    end = html.find('id="div_id_', start + 1)
    return html[start : end if end > 0 else None]


def active_substitutes(participant):
    return Participant.objects.filter(substitute_for=participant, removed_at__isnull=True)


def test_the_five_post_attack_creates_nothing_and_sends_nothing(client, anna, meeting, case):
    before = meeting.participants.count()
    for n in range(5):
        response = name_substitute(client, anna, f"attacker{n}@evil.example", name=f"Angripare {n}")
        assert response.status_code == 400
        block = field_block(response.content.decode(), "substitute_email")
        assert "Ersättaren ska arbeta hos Arbetsförmedlingen" in block
        assert "@arbetsformedlingen.se eller @af.se" in block
    assert meeting.participants.count() == before
    assert OutboundMessage.objects.count() == 0  # no kallelse, and no notice either
    anna.refresh_from_db()
    assert anna.answer == Answer.NONE
    assert not case.events.filter(action="meeting.answered").exists()


@pytest.mark.parametrize(
    "email",
    [
        "sam@af.se",  # one of the party's domains
        "Sam.Ersatt@ARBETSFORMEDLINGEN.SE",
    ],
)
def test_an_address_at_the_partys_domains_is_accepted(client, anna, email):
    assert name_substitute(client, anna, email).status_code == 200
    [substitute] = active_substitutes(anna)
    assert substitute.email == email and substitute.organisation == anna.organisation
    assert OutboundMessage.objects.filter(to_email=email, subject__startswith="Kallelse").exists()


def test_a_contact_person_or_user_of_the_party_is_accepted_at_any_address(
    client, anna, af, orgs, area
):
    contact = ContactPersonFactory(area=area, organisation=af, email="samverk@af-hoglandet.example")
    assert name_substitute(client, anna, contact.email).status_code == 200
    user = UserFactory(username="af-kollega", organisation=af, email="kollega@annan.example")
    assert name_substitute(client, anna, user.email).status_code == 200
    assert [p.email for p in active_substitutes(anna)] == [user.email]
    # Of another party, or no longer active: refused.
    fk_contact = ContactPersonFactory(area=area, organisation=orgs["fk"], email="x@fk.example")
    assert name_substitute(client, anna, fk_contact.email).status_code == 400
    UserFactory(username="gammal", organisation=af, email="gammal@annan.example", is_active=False)
    assert name_substitute(client, anna, "gammal@annan.example").status_code == 400


def test_the_domain_the_kallelse_went_to_counts_unless_it_is_a_public_service(
    client, meeting, orgs
):
    # No domains kept for the party: the address the convener invited shows its domain.
    vera = ParticipantFactory(
        meeting=meeting, kind="external", organisation=orgs["vc"], email="vera@rjl.example"
    )
    assert name_substitute(client, vera, "kollega@rjl.example").status_code == 200
    # An outside organisation, no party in Samverk: the same.
    erik = ParticipantFactory(
        meeting=meeting, kind="external", organisation_name="Bemanning AB", email="erik@bem.example"
    )
    assert name_substitute(client, erik, "kollega@bem.example").status_code == 200
    assert name_substitute(client, erik, "kollega@evil.example").status_code == 400
    # Anyone can have a gmail address.
    gmail = ParticipantFactory(
        meeting=meeting, kind="external", organisation_name="Firma", email="firma@gmail.com"
    )
    response = name_substitute(client, gmail, "angripare@gmail.com")
    assert response.status_code == 400
    assert "kan inte kontrolleras här" in field_block(response.content.decode(), "substitute_email")


def test_one_substitute_per_invitation_and_the_previous_one_is_told(
    client, anna, meeting, convener
):
    assert name_substitute(client, anna, "first@af.se", name="Första").status_code == 200
    deliver_all()
    first = Participant.objects.get(email="first@af.se")
    mail.outbox.clear()

    assert name_substitute(client, anna, "second@af.se", name="Andra").status_code == 200
    deliver_all()

    first.refresh_from_db()
    assert first.is_removed
    assert [p.name for p in active_substitutes(anna)] == ["Andra"]
    by_recipient = {parseaddr(m.to[0])[1]: m for m in mail.outbox}
    assert set(by_recipient) == {"first@af.se", "second@af.se", convener.email}
    told = by_recipient["first@af.se"]
    assert told.subject.startswith("Du är inte längre anmäld som ersättare")
    assert "Du är inte längre anmäld som ersättare" in told.body
    # Their calendar entry goes; no kallelse (with the individual's name) again.
    assert [name for name, _c, _t in told.attachments] == ["inbjudan.ics"]
    assert "METHOD:CANCEL" in str(told.attachments[0][1])
    assert by_recipient["second@af.se"].subject.startswith("Kallelse")
    notice = by_recipient[convener.email]
    assert "Andra, second@af.se" in notice.body and "i stället för Första" in notice.body
    # The first one's link no longer works.
    assert client.get(url(first)).status_code == 400

    # Naming the same one again changes nothing and sends no second kallelse.
    mail.outbox.clear()
    assert name_substitute(client, anna, "Second@af.se", name="Andra").status_code == 200
    deliver_all()
    assert [parseaddr(m.to[0])[1] for m in mail.outbox] == [convener.email]
    assert active_substitutes(anna).count() == 1


def test_five_posts_of_the_partys_own_addresses_leave_one_substitute(client, anna, convener):
    for n in range(5):
        assert name_substitute(client, anna, f"kollega{n}@af.se", name=f"Kollega {n}").status_code
    assert [p.email for p in active_substitutes(anna)] == ["kollega4@af.se"]
    withdrawn = OutboundMessage.objects.filter(
        subject__startswith="Du är inte längre anmäld som ersättare"
    )
    assert sorted(m.to_email for m in withdrawn) == [f"kollega{n}@af.se" for n in range(4)]
    # The kallelser of those replaced before the worker got to them are never sent.
    deliver_all()
    kallelser = {parseaddr(m.to[0])[1] for m in mail.outbox if m.subject.startswith("Kallelse")}
    assert kallelser == {"kollega4@af.se"}
    assert OutboundMessage.objects.filter(state=MessageState.SUPERSEDED).count() == 4


def test_a_substitute_cannot_name_a_substitute(client, anna, meeting):
    name_substitute(client, anna, "sam@af.se")
    sam = Participant.objects.get(email="sam@af.se")
    page = client.get(url(sam)).content.decode()
    assert "Jag skickar en ersättare" not in page and "substitute_email" not in page
    before = (meeting.participants.count(), OutboundMessage.objects.count())

    response = name_substitute(client, sam, "sam2@af.se")

    assert response.status_code == 400
    assert "Du är själv ersättare och kan inte skicka en ersättare" in field_block(
        response.content.decode(), "answer"
    )
    assert (meeting.participants.count(), OutboundMessage.objects.count()) == before
    sam.refresh_from_db()
    assert sam.answer == Answer.NONE
    # A substitute still answers for themselves.
    assert client.post(url(sam), {"answer": Answer.ATTENDING}).status_code == 200


def test_the_convener_is_told_at_once(client, anna, convener):
    name_substitute(client, anna, "sam@af.se", name="Sam Ersätt")
    notice = OutboundMessage.objects.get(to_email=convener.email)
    assert notice.subject.startswith("Svar på kallelse: Anna Arbete")
    assert "Skickar ersättare: Sam Ersätt, sam@af.se" in notice.text_body
    assert notice.state == MessageState.QUEUED  # queued in the answer's own request


def test_someone_already_invited_is_not_added_twice(client, anna, meeting, af):
    ParticipantFactory(meeting=meeting, kind="staff", organisation=af, email="bertil@af.se")
    response = name_substitute(client, anna, "bertil@af.se")
    assert response.status_code == 400
    assert "bertil@af.se är redan kallad till mötet" in response.content.decode()


def test_the_answer_page_says_who_may_be_substitute(client, anna):
    page = client.get(url(anna)).content.decode()
    assert re.search(r"Ersättaren ska arbeta hos Arbetsförmedlingen", page)


def test_the_delegate_link_names_only_someone_of_the_party(client, meeting, af, area):
    contact = ContactPersonFactory(area=area, organisation=af, email="samverk@af.se")
    link = ParticipantFactory(
        meeting=meeting,
        kind="contact",
        contact_person=contact,
        organisation=af,
        name=contact.name,
        email=contact.email,
    )
    delegate = reverse("meetings:delegate", args=[invitations.delegate_token(link)])
    response = client.post(delegate, {"name": "Angripare", "email": "attacker@evil.example"})
    assert response.status_code == 400
    assert "Handläggaren ska arbeta hos Arbetsförmedlingen" in field_block(
        response.content.decode(), "email"
    )
    link.refresh_from_db()
    assert link.email == "samverk@af.se" and OutboundMessage.objects.count() == 0
    response = client.post(delegate, {"name": "Hugo", "email": "hugo@arbetsformedlingen.se"})
    assert response.status_code == 200
