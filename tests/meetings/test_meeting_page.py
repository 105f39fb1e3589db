"""The meeting page: what it reads in one pass (participants with their kallelse's state,
the declines and consent checks on that list, the previous plan's actions) and how
few queries that takes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.enums import Answer, MeetingKind
from meetings.services import invitations
from outbox.enums import MessageState
from plans.services.commitments import previous_plan_actions
from plans.services.start import previous_plan_for
from tests.factories import (
    ActionPlanFactory,
    ConsentFactory,
    ContactPersonFactory,
    MeetingFactory,
    OutboundMessageFactory,
    ParticipantFactory,
    UserFactory,
    take_part,
)


@pytest.fixture
def meeting(case, convener, orgs):
    meeting = MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )
    ParticipantFactory(
        meeting=meeting,
        kind="staff",
        user=convener,
        organisation=convener.organisation,
        name=str(convener),
        email=convener.email,
        answer=Answer.ATTENDING,
    )
    return meeting


def message(participant, state, *, builder=invitations.INVITATION_BUILDER):
    return OutboundMessageFactory(
        state=state,
        to_email=participant.email or "x@example.se",
        attachments_builder=builder,
        related=participant,
    )


def test_participants_carry_the_state_of_their_latest_kallelse(meeting, orgs):
    anna = ParticipantFactory(meeting=meeting, name="Anna", organisation=orgs["af"])
    bo = ParticipantFactory(meeting=meeting, name="Bo", organisation=orgs["fk"])
    message(anna, MessageState.FAILED)
    message(anna, MessageState.SENT)  # the latest counts
    # A notice to the convener about Bo's answer is no kallelse.
    message(bo, MessageState.SENT, builder="")
    people = {p.name: p for p in invitations.participants_for_page(meeting)}
    assert people["Anna"].delivery == MessageState.SENT
    assert people["Anna"].delivery.label == MessageState.SENT.label
    assert people["Bo"].delivery is None
    assert people["Anna"].kind_label == anna.get_kind_display()
    assert people["Anna"].answer_label == anna.get_answer_display()


def test_removed_participants_are_listed_last(meeting, orgs):
    ParticipantFactory(
        meeting=meeting, name="Aaron Borttagen", organisation=orgs["af"], removed_at=timezone.now()
    )
    ParticipantFactory(meeting=meeting, name="Zelda Kvar", organisation=orgs["af"])
    names = [p.name for p in invitations.participants_for_page(meeting)]
    assert names[-1] == "Aaron Borttagen"


def test_checks_on_the_page_list_agree_with_the_checks_that_read_for_themselves(
    meeting, case, orgs
):
    ConsentFactory(case=case, organisations=[orgs["kommun"], orgs["af"]])
    ParticipantFactory(meeting=meeting, name="Anna", organisation=orgs["af"])
    ParticipantFactory(meeting=meeting, name="Fia", organisation=orgs["fk"], answer=Answer.DECLINED)
    # Removed: their party is neither missing consent nor a key person's decline.
    ParticipantFactory(
        meeting=meeting,
        name="Vera",
        organisation=orgs["vc"],
        answer=Answer.DECLINED,
        removed_at=timezone.now(),
    )
    people = invitations.participants_for_page(meeting)
    assert invitations.consent_gaps(meeting, people) == invitations.consent_gaps(meeting)
    assert invitations.consent_gaps(meeting, people) == [orgs["fk"]]
    declines = invitations.key_person_declines(meeting, people)
    assert declines == invitations.key_person_declines(meeting)
    assert [p.name for p in declines] == ["Fia"]


def test_the_page_shows_state_decline_gap_and_remove_buttons(client_for, meeting, convener, orgs):
    fia = ParticipantFactory(
        meeting=meeting, name="Fia Kassa", organisation=orgs["fk"], answer=Answer.DECLINED
    )
    message(fia, MessageState.SENT)
    ParticipantFactory(
        meeting=meeting, name="Vera Borta", organisation=orgs["vc"], removed_at=timezone.now()
    )
    page = client_for(convener).get(meeting.get_absolute_url()).content.decode()
    assert f'<span class="badge message-sent">{MessageState.SENT.label}</span>' in page
    assert "Nyckelperson kan inte delta" in page
    assert "Samtycke saknas för:" in page and "Försäkringskassan" in page
    remove = reverse("meetings:remove_participant", args=[meeting.pk, fia.pk])
    assert f'action="{remove}"' in page
    assert "<s>Vera Borta</s>" in page
    assert page.index("Fia Kassa") < page.index("Vera Borta")
    # The convener cannot be taken off: one button for Fia only.
    assert page.count('btn-outline-danger" type="submit">Ta bort') == 1


def test_a_rejected_contact_keeps_the_typed_text_and_says_why(client_for, meeting, convener):
    url = reverse("meetings:add_participant", args=[meeting.pk])
    response = client_for(convener).post(url, {"contact": "Ingen <Alls>"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Ingen &lt;Alls&gt;"' in page
    assert 'aria-describedby="id_contact_helptext id_contact_error"' in page
    assert 'id="id_contact_error"' in page and "Ingen på områdets lista heter så" in page


def suggested(client, meeting, text) -> str:
    url = reverse("meetings:contact_suggestions", args=[meeting.pk])
    response = client.get(url, {"contact": text})
    assert response.status_code == 200
    return response.content.decode()


def test_labels_are_escaped_in_the_list(client_for, meeting, convener, orgs):
    ContactPersonFactory(area=meeting.case.area, organisation=orgs["af"], name='Ö "<b>" & Co')
    listed = suggested(client_for(convener), meeting, "<b>")
    assert listed == '<option value="Ö &quot;&lt;b&gt;&quot; &amp; Co (Arbetsförmedlingen)">'


def test_the_list_is_not_in_the_page_but_suggested_for_what_is_typed(
    client_for, meeting, convener, orgs, other_area
):
    """The page no longer carries the area's whole list; the field asks for the people
    whose label or e-mail address holds every typed word, in any order and case."""
    area = meeting.case.area
    ContactPersonFactory(area=area, organisation=orgs["af"], name="Per Persson", email="pp@af.se")
    ContactPersonFactory(area=area, organisation=orgs["fk"], name="Per Kassa", email="kassa@fk.se")
    ContactPersonFactory(area=other_area, organisation=orgs["fk"], name="Per Annat")
    client = client_for(convener)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert '<datalist id="contact-options"></datalist>' in page
    assert "Per Persson" not in page
    assert suggested(client, meeting, "PER") == (
        '<option value="Per Persson (Arbetsförmedlingen)">'
        '<option value="Per Kassa (Försäkringskassan)">'
    )
    assert suggested(client, meeting, "kassan per") == (
        '<option value="Per Kassa (Försäkringskassan)">'
    )
    assert (
        suggested(client, meeting, "pp@af") == '<option value="Per Persson (Arbetsförmedlingen)">'
    )
    assert suggested(client, meeting, "Per Annat") == ""


def test_suggestions_stop_at_fifty(client_for, meeting, convener, orgs):
    for number in range(55):
        ContactPersonFactory(
            area=meeting.case.area, organisation=orgs["af"], name=f"Anna {number:02}"
        )
    listed = suggested(client_for(convener), meeting, "anna")
    assert listed.count("<option") == 50
    assert "Anna 00 (Arbetsförmedlingen)" in listed and "Anna 50" not in listed


def test_suggestions_refuse_overlong_text(client_for, meeting, convener):
    url = reverse("meetings:contact_suggestions", args=[meeting.pk])
    response = client_for(convener).get(url, {"contact": "x" * 501})
    assert response.status_code == 400


def test_suggestions_are_for_those_who_may_change_the_meeting(client_for, meeting, orgs):
    """Someone who may open the meeting but not change it gets no list of contacts."""
    involved = UserFactory(organisation=orgs["vc"], is_caseworker=True)
    take_part(meeting.case, involved)
    client = client_for(involved)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    url = reverse("meetings:contact_suggestions", args=[meeting.pk])
    assert client.get(url, {"contact": "a"}).status_code == 403


def test_the_previous_plans_actions_are_those_of_the_previous_plan(case, convener, meeting):
    def plan_for(starts_at, **extra):
        earlier = MeetingFactory(
            case=case,
            convened_by=convener,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            **extra,
        )
        plan = ActionPlanFactory(meeting=earlier)
        plan.actions.create(what=f"Beslut {earlier.pk}")
        plan.actions.create(what="")  # an empty row never shows
        return earlier, plan

    assert previous_plan_actions(meeting) == []
    older, _ = plan_for(meeting.starts_at - timedelta(days=60))
    newer, newer_plan = plan_for(meeting.starts_at - timedelta(days=20))
    plan_for(meeting.starts_at + timedelta(days=20))  # a later meeting's plan is not earlier
    assert previous_plan_for(meeting) == newer_plan
    assert [a.what for a in previous_plan_actions(meeting)] == [f"Beslut {newer.pk}"]
    # With no earlier plan by time, the förmöte's plan is the previous one.
    follow_up = MeetingFactory(
        case=case,
        convened_by=convener,
        starts_at=older.starts_at - timedelta(days=10),
        ends_at=older.starts_at - timedelta(days=10, hours=-1),
        premeeting=newer,
    )
    assert previous_plan_for(follow_up) == newer_plan
    assert [a.what for a in previous_plan_actions(follow_up)] == [f"Beslut {newer.pk}"]


@pytest.mark.parametrize("kind", [MeetingKind.COLLABORATION, MeetingKind.PREMEETING])
def test_the_page_takes_few_queries(client_for, meeting, convener, orgs, kind):
    """Session, user, meeting, audit row, participants, consent, the previous plan's
    actions, the contacts to add, and the follow-ups of a förmöte: nothing per row."""
    meeting.kind = kind
    meeting.save()
    for i in range(5):
        contact = ContactPersonFactory(area=meeting.case.area, organisation=orgs["af"])
        person = ParticipantFactory(
            meeting=meeting, contact_person=contact, organisation=orgs["af"], name=f"P{i}"
        )
        message(person, MessageState.QUEUED)
    client = client_for(convener)
    client.get(meeting.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(meeting.get_absolute_url()).status_code == 200
    assert len(captured) <= 9, "\n".join(q["sql"][:150] for q in captured.captured_queries)


def test_kind_label_is_djangos_for_every_kind():
    from meetings.enums import MeetingKind
    from meetings.models import Meeting

    for kind in MeetingKind:
        meeting = Meeting(kind=kind.value)
        assert meeting.get_kind_display() == str(kind.label)
        assert meeting._get_FIELD_display(Meeting._meta.get_field("kind")) == str(kind.label)
    assert Meeting(kind="okand").get_kind_display() == "okand"


def test_the_page_names_the_guidelines_the_booking_departed_from(client_for, meeting, convener):
    meeting.accepted_warnings = ["short_notice"]
    meeting.save()
    page = client_for(convener).get(meeting.get_absolute_url()).content.decode()
    assert "1 riktlinje avvek vid bokningen: kallelse minst tre veckor i förväg." in page
    meeting.accepted_warnings = ["consent:3", "double_booked:Anna A,Bo B", "length"]
    meeting.save()
    page = client_for(convener).get(meeting.get_absolute_url()).content.decode()
    assert (
        "3 riktlinjer avvek vid bokningen: samtycke för varje inbjuden part; "
        "ingen dubbelbokad (Anna A, Bo B); mötet ungefär en timme långt." in page
    )
