"""Every field whose text leaves the app (e-mail, calendar file, PDF) refuses a personnummer
or samordningsnummer in any common written form, with a Swedish message by the field, and
saves nothing; ordinary text with numbers in it passes.

The fields: the booking's syfte, frågeställningar, plats, telefon-/videolänk, stödperson,
tolk and external participants; the same place fields when a meeting is moved; the reason
a meeting is cancelled; a participant added later; the answer page's substitute and the
contact person's handläggare; a walk-in on the run page; the plan's texts, goals and
actions (autosave and the whole form without JavaScript) and the signer's name; the
contact list's people and units; the ärende's name, address and interpreter language
(the number has a field of its own).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.forms import CaseForm
from common.personnummer import REFUSED, contains_personnummer, redact
from meetings.forms.answers import AnswerForm, NameCaseworkerForm
from meetings.forms.booking import BookingForm, ExternalParticipantForm
from meetings.forms.changes import CancelForm, RescheduleForm
from meetings.forms.meeting import AddParticipantForm
from meetings.forms.run import WalkInForm
from meetings.models import Meeting
from meetings.services import invitations
from parties.forms.contacts import ContactPersonForm
from parties.forms.units import UnitForm
from plans.forms import SignForm, parse_changes
from plans.page import Choices
from plans.services.start import get_or_create_plan
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)
from tests.helpers import PNR, PNR_FORMS

pytestmark = pytest.mark.django_db

MESSAGE = str(REFUSED)
assert MESSAGE == "Skriv inte personnummer här – texten skickas med e-post"

# Each written form, inside a sentence.
REFUSED_FORMS = {
    "12 siffror": PNR,
    "10 siffror": PNR[2:],
    "12 med bindestreck": PNR_FORMS[2],
    "10 med bindestreck": PNR_FORMS[3],
    "plus": f"{PNR[2:8]}+{PNR[8:]}",
    "mellanslag": f"{PNR[:8]} {PNR[8:]}",
    "hårt mellanslag": f"{PNR[2:8]}\u00a0{PNR[8:]}",
    "smalt hårt mellanslag": f"{PNR[:8]}\u202f{PNR[8:]}",
    "radbrytning": f"{PNR[2:8]}\r\n{PNR[8:]}",
    "tankstreck från Word": f"{PNR[:8]}\u2013{PNR[8:]}",
    "mellanslag, tankstreck, mellanslag": f"{PNR[2:8]} \u2013 {PNR[8:]}",
    "långt tankstreck": f"{PNR[2:8]}\u2014{PNR[8:]}",
    "hårt bindestreck": f"{PNR[:8]}\u2011{PNR[8:]}",
    "bindestreck U+2010": f"{PNR[2:8]}\u2010{PNR[8:]}",
    "minustecken": f"{PNR[:8]}\u2212{PNR[8:]}",
    "osynligt tecken inuti": f"{PNR[2:6]}\u200b{PNR[6:8]}-{PNR[8:]}",
    "samordningsnummer": "701063-2391",
    "samordningsnummer, 12 siffror": "197010632391",
}
ACCEPTED = [
    "Ring mig på 070-123 45 67 eller 0382-150 00",
    "Mötet den 2026-12-03 kl. 10.00–11.30, rum 12",
    "Org.nr 556012-5790 (Arbetsförmedlingen 202100-2114)",
    "Kundnummer 8112289875",  # ten digits that fail the check digit
    "Ärende 2026-1234, beslut 2025-11-30",
    "https://video.example.se/m/123456789?pin=4321",
]


def sentence(number):
    return f"Gäller {number}, se bifogat"


@pytest.fixture
def org():
    return OrganisationFactory(name="Sävsjö kommun")


@pytest.fixture
def convener(org):
    return UserFactory(username="kallande", organisation=org, is_caseworker=True)


@pytest.fixture
def case(area, convener):
    return CaseFactory(area=area, owner=convener)


@pytest.fixture
def meeting_of(case, convener):
    return MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )


def _booking(ctx, data):
    return BookingForm(data, case=ctx["case"], user=ctx["convener"])


def _plan_errors(ctx, data):
    plan = get_or_create_plan(ctx["meeting"])
    _changes, errors = parse_changes(data, choices=Choices(plan))
    return errors


# (form, field): a function of (context, posted data) -> the bound form.
FORMS = {
    ("booking", "purpose"): _booking,
    ("booking", "questions"): _booking,
    ("booking", "location"): _booking,
    ("booking", "remote_link"): _booking,
    ("booking", "support_person"): _booking,
    ("booking", "interpreter_language"): _booking,
    ("external participant", "name"): lambda ctx, data: ExternalParticipantForm(data),
    ("external participant", "organisation_name"): lambda ctx, data: ExternalParticipantForm(
        data
    ),
    ("reschedule", "location"): lambda ctx, data: RescheduleForm(data, area=ctx["case"].area),
    ("reschedule", "remote_link"): lambda ctx, data: RescheduleForm(data, area=ctx["case"].area),
    ("cancel", "reason"): lambda ctx, data: CancelForm(data),
    ("add participant", "name"): lambda ctx, data: AddParticipantForm(data, meeting=ctx["meeting"]),
    ("add participant", "organisation_name"): lambda ctx, data: AddParticipantForm(
        data, meeting=ctx["meeting"]
    ),
    ("answer", "substitute_name"): lambda ctx, data: AnswerForm(data),
    ("name caseworker", "name"): lambda ctx, data: NameCaseworkerForm(data),
    ("walk-in", "name"): lambda ctx, data: WalkInForm(data),
    ("walk-in", "organisation_name"): lambda ctx, data: WalkInForm(data),
    ("walk-in", "role"): lambda ctx, data: WalkInForm(data),
    ("signature", "name"): lambda ctx, data: SignForm(data),
    ("contact person", "name"): lambda ctx, data: ContactPersonForm(data, area=ctx["case"].area),
    ("contact person", "title"): lambda ctx, data: ContactPersonForm(data, area=ctx["case"].area),
    ("unit", "name"): lambda ctx, data: UnitForm(data),
    ("unit", "way_in"): lambda ctx, data: UnitForm(data),
    ("case", "first_name"): lambda ctx, data: CaseForm(data),
    ("case", "last_name"): lambda ctx, data: CaseForm(data),
    ("case", "address"): lambda ctx, data: CaseForm(data),
    ("case", "interpreter_language"): lambda ctx, data: CaseForm(data),
}
PLAN_FIELDS = [
    "current_situation",
    "desired_situation",
    "way_forward",
    "follow_up_who",
    "follow_up_where",
    "follow_up_when",
    "follow_up_responsible",
    "coordinator_name",
    "coordinator_contact",
    "individual_words",
    "goal-{goal}-text",
    "action-{action}-what",
    "action-{action}-responsible_name",
]


@pytest.fixture
def ctx(case, convener, meeting_of):
    return {"case": case, "convener": convener, "meeting": meeting_of}


def field_errors(ctx, key, value):
    form = FORMS[key](ctx, {key[1]: value})
    form.is_valid()
    return form.errors.get(key[1], [])


@pytest.mark.parametrize("key", list(FORMS), ids=" / ".join)
@pytest.mark.parametrize("number", list(REFUSED_FORMS.values()), ids=list(REFUSED_FORMS))
def test_every_field_refuses_every_form_of_the_number(ctx, key, number):
    assert MESSAGE in field_errors(ctx, key, sentence(number))


@pytest.mark.parametrize("key", list(FORMS), ids=" / ".join)
@pytest.mark.parametrize("text", ACCEPTED)
def test_every_field_accepts_text_with_other_numbers(ctx, key, text):
    assert MESSAGE not in field_errors(ctx, key, text)


def plan_key(ctx, template):
    plan = get_or_create_plan(ctx["meeting"])
    goal, action = plan.goals.create(), plan.actions.create()
    return template.format(goal=goal.pk, action=action.pk)


@pytest.mark.parametrize("template", PLAN_FIELDS)
@pytest.mark.parametrize("number", list(REFUSED_FORMS.values()), ids=list(REFUSED_FORMS))
def test_every_plan_text_refuses_every_form_of_the_number(ctx, template, number):
    key = plan_key(ctx, template)
    assert _plan_errors(ctx, {key: sentence(number)}) == {key: MESSAGE}


@pytest.mark.parametrize("template", PLAN_FIELDS)
@pytest.mark.parametrize("text", ACCEPTED)
def test_every_plan_text_accepts_text_with_other_numbers(ctx, template, text):
    key = plan_key(ctx, template)
    if template.startswith("action-") and template.endswith("responsible_name"):
        text = text[:150]
    assert _plan_errors(ctx, {key: text}) == {}


def test_the_door_and_the_exit_agree():
    for number in REFUSED_FORMS.values():
        assert contains_personnummer(sentence(number))
        assert redact(sentence(number)) == "Gäller [personnummer borttaget], se bifogat"
    for text in ACCEPTED:
        assert not contains_personnummer(text) and redact(text) == text


# --- through the pages: the message by the field, nothing saved -------------------------


def booking_data(**overrides):
    day = timezone.localdate() + timedelta(days=30)
    return {
        "kind": "samverkansmote",
        "date": day.isoformat(),
        "start_time": "10:00",
        "length": "60",
        "location": "Kommunhuset, rum 3",
        "purpose": "Planera vägen till arbete",
        "questions": "Vilka insatser behövs?",
        "individual_attends": "on",
        "extern-TOTAL_FORMS": "1",
        "extern-INITIAL_FORMS": "0",
        "extern-MIN_NUM_FORMS": "0",
        "extern-MAX_NUM_FORMS": "20",
        **overrides,
    }


def field_block(html, name):
    """The markup from the field's id to the next field's wrapper."""
    start = html.index(f'id="id_{name}"')
    return html[start : start + 1500]


@pytest.mark.parametrize(
    "field", ["purpose", "questions", "location", "remote_link", "extern-0-name"]
)
def test_booking_refuses_and_books_nothing(client_for, convener, case, field):
    data = booking_data(**{field: f"Stöd för {PNR_FORMS[3]}"})
    if field == "extern-0-name":
        data["extern-0-email"] = "extern@example.se"
    response = client_for(convener).post(reverse("meetings:book", args=[case.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert MESSAGE in field_block(html, field)
    assert not Meeting.objects.exists()


def test_cancelling_refuses_a_reason_with_a_number(client_for, convener, meeting_of):
    response = client_for(convener).post(
        reverse("meetings:cancel", args=[meeting_of.pk]), {"reason": f"Sjuk, {PNR_FORMS[2]}"}
    )
    assert MESSAGE in field_block(response.content.decode(), "reason")
    meeting_of.refresh_from_db()
    assert not meeting_of.is_cancelled and meeting_of.cancelled_reason == ""


def test_the_answer_page_refuses_a_substitute_named_by_number(client, meeting_of):
    participant = ParticipantFactory(meeting=meeting_of, kind="external")
    token = invitations.answer_token(participant)
    response = client.post(
        reverse("meetings:answer", args=[token]),
        {
            "answer": "substitute",
            "substitute_name": f"Sara {PNR_FORMS[3]}",
            "substitute_email": "sara@example.se",
        },
    )
    assert response.status_code == 400
    assert MESSAGE in field_block(response.content.decode(), "substitute_name")
    participant.refresh_from_db()
    assert participant.answer == "none"
    assert meeting_of.participants.count() == 1


def test_the_plan_autosave_answers_400_with_the_message(client_for, convener, meeting_of):
    plan = get_or_create_plan(meeting_of)
    response = client_for(convener).post(
        reverse("plans:autosave", args=[meeting_of.pk]),
        {"individual_words": f"Mitt nummer är {PNR_FORMS[2]}", "version-individual_words": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    plan.refresh_from_db()
    assert plan.individual_words == "" and plan.version_of("individual_words") == 0


def test_the_plan_form_without_javascript_saves_nothing(client_for, convener, meeting_of):
    plan = get_or_create_plan(meeting_of)
    goal, action = plan.goals.create(), plan.actions.create()
    response = client_for(convener).post(
        reverse("plans:edit", args=[meeting_of.pk]),
        {
            "current_situation": "Ny text",
            "version-current_situation": "0",
            f"goal-{goal.pk}-text": f"Mål för {PNR_FORMS[3]}",
            f"version-goal-{goal.pk}": "0",
            f"action-{action.pk}-what": f"Insats, {PNR[2:8]}\u2013{PNR[8:]}",
            f"version-action-{action.pk}": "0",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    # By each refused field, and what was typed is still there to correct.
    for key in (f"goal-{goal.pk}-text", f"action-{action.pk}-what"):
        status = html[html.index(f'id="status-{key}"') :][:400]
        assert MESSAGE in status, key
    assert "Ny text" in html and f"Mål för {PNR_FORMS[3]}" in html
    plan.refresh_from_db()
    goal.refresh_from_db()
    action.refresh_from_db()
    assert (plan.current_situation, goal.text, action.what) == ("", "", "")
