"""No personnummer leaves the building, however it got into the data.

Every free-text field of a meeting, its people, its plan, the rooms and the area's contact
list is set directly on the models (as an import, the admin or an old row would, past the
forms that refuse it) to a text with the test personnummer in one of its written forms.
Then every kind of message is sent (one for each templates/emails/<kind>-subject.txt) and
every byte a reader could see is scanned: subject, bodies, headers, attachment names, the
text of every PDF, the calendar file. So is every PDF the app renders.
"""

import io
import re
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from followup.services.deviations import report_deviation
from meetings.enums import Answer
from meetings.services import booking, invitations, polls
from meetings.services.documents import (
    render_general_invitation_pdf,
    render_individual_letter_pdf,
    render_invitation_pdf,
)
from outbox import services as outbox_services
from parties.services.documents import render_contact_list_pdf
from plans.models import AreaPlanSettings, Signature
from plans.services.distribution import distribute_plan
from plans.services.documents import render_plan_letter_pdf, render_plan_pdf
from plans.services.start import get_or_create_plan
from plans.services.versions import freeze_plan
from tests.factories import (
    ActionFactory,
    CaseFactory,
    ConsentFactory,
    ContactPersonFactory,
    GoalFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    RoomFactory,
    UnitFactory,
    UserFactory,
)
from tests.helpers import PNR, PNR_FORMS, deliver_all, outgoing_text

pytestmark = pytest.mark.django_db

SAMORDNINGSNUMMER = "701063-2391"
# The written forms put into the data: those of tests.helpers (but the last four alone,
# which are just four digits), and what Word and web pages paste: dashes, a minus sign,
# non-breaking and thin spaces, an invisible zero-width space; a samordningsnummer too.
POISON = [
    *PNR_FORMS[:4],
    f"{PNR[:8]} {PNR[8:]}",
    f"{PNR[2:8]}+{PNR[8:]}",
    f"{PNR[:8]}\u2013{PNR[8:]}",  # en dash
    f"{PNR[2:8]} \u2013 {PNR[8:]}",  # Word's " - " autocorrected
    f"{PNR[:8]}\u2212{PNR[8:]}",  # minus sign
    f"{PNR[2:8]}\u2011{PNR[8:]}",  # non-breaking hyphen
    f"{PNR[2:8]}\u00a0{PNR[8:]}",  # non-breaking space
    f"{PNR[:8]}\u202f{PNR[8:]}",  # narrow no-break space
    f"{PNR[2:6]}\u200b{PNR[6:8]}-{PNR[8:]}",  # a zero-width space inside
    SAMORDNINGSNUMMER,
]
# Whatever separates the parts: up to three characters that are not digits.
FOUND = [
    re.compile(rf"{PNR[2:8]}\D{{0,3}}{PNR[8:]}"),
    re.compile(rf"{PNR[2:6]}\D{{0,2}}{PNR[6:8]}\D{{0,3}}{PNR[8:]}"),
    re.compile(r"701063\D{0,3}2391"),
]
EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"


def leaks(text: str) -> list[str]:
    return [match[0] for pattern in FOUND for match in pattern.finditer(text)]


class Poison:
    """Free text with the number in it, a different written form each time."""

    def __init__(self):
        self.n = 0

    def __call__(self, text: str) -> str:
        form = POISON[self.n % len(POISON)]
        self.n += 1
        return f"{text} {form} slut"


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def poison():
    return Poison()


@pytest.fixture
def world(poison):
    """A meeting with every free-text field poisoned, its people, plan and contact list."""
    area_org = OrganisationFactory(name=poison("Sävsjö kommun"), kind="kommun")
    af = OrganisationFactory(name=poison("Arbetsförmedlingen"), kind="arbetsformedlingen")
    convener = UserFactory(
        username="kallande",
        first_name=poison("Karin"),
        last_name="Kallesson",
        title=poison("Socialsekreterare"),
        phone=poison("0382-150 00"),
        organisation=area_org,
    )
    case = CaseFactory(
        owner=convener,
        first_name="Alva",
        last_name=poison("Andersson"),
        personnummer=PNR,
        email="alva@example.se",
        contact_preference="email",
        address=poison("Storgatan 1\n571 31 Sävsjö"),
        interpreter_language=poison("arabiska"),
        needs_support_person=True,
    )
    area = case.area
    ConsentFactory(case=case, organisations=[area_org, af], given_on=timezone.localdate())
    starts = timezone.now().replace(microsecond=0) + timedelta(days=3)
    meeting = MeetingFactory(
        case=case,
        kind="sip",
        convened_by=convener,
        convening_organisation=area_org,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        room=RoomFactory(area=area, name=poison("Rum Ljuset"), address=poison("Storgatan 2")),
        location=poison("Ingång B"),
        remote_link=poison("https://video.example.se/m/1?pin="),
        purpose=poison("Planera stöd för"),
        questions=poison("Vad behöver"),
    )
    contact = ContactPersonFactory(
        area=area,
        organisation=af,
        unit=UnitFactory(
            organisation=af,
            area=area,
            name=poison("Enhet Arbete"),
            way_in=poison("Ring växeln, uppge"),
            phone=poison("010-486 00 00"),
        ),
        name=poison("Kim Kontakt"),
        title=poison("Samverkanskontakt"),
        phone=poison("010-486 10 00"),
        email="kim@af.example",
    )
    people = {
        "contact": ParticipantFactory(
            meeting=meeting,
            kind="contact",
            contact_person=contact,
            organisation=af,
            name=contact.name,
            email=contact.email,
            note=poison("Kontakt"),
        ),
        "external": ParticipantFactory(
            meeting=meeting,
            kind="external",
            name=poison("Erik Extern"),
            organisation_name=poison("Bemanning AB"),
            email="erik@extern.example",
        ),
        "staff": ParticipantFactory(
            meeting=meeting,
            kind="staff",
            organisation=af,
            user=UserFactory(organisation=af, first_name=poison("Ada"), email="ada@af.example"),
            name=poison("Ada Arbetsson"),
            email="ada@af.example",
            attendance="present",
        ),
        "individual": ParticipantFactory(
            meeting=meeting,
            kind="individual",
            name=case.individual_name,
            email=case.email,
            attendance="present",
        ),
        "support": ParticipantFactory(
            meeting=meeting, kind="support_person", name=poison("Stina Stöd"), email=""
        ),
        "interpreter": ParticipantFactory(
            meeting=meeting, kind="interpreter", name=poison("Tolk Tolksson"), email=""
        ),
    }
    plan = get_or_create_plan(meeting)
    for name in (
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
    ):
        setattr(plan, name, poison(name))
    plan.save()
    goal = GoalFactory(plan=plan, text=poison("Mål"))
    GoalFactory(plan=plan, parent=goal, text=poison("Delmål"))
    ActionFactory(
        plan=plan,
        what=poison("Insats"),
        responsible_organisation=af,
        responsible_name=poison("Handläggare"),
        due_on=timezone.localdate() + timedelta(days=30),
    )
    AreaPlanSettings.objects.create(area=area, attach_pdf=True)
    return {
        "convener": convener,
        "case": case,
        "meeting": meeting,
        "people": people,
        "plan": plan,
        "area": area,
    }


def scan(text: str, where: str):
    found = leaks(text)
    assert not found, f"{where}: {found}"


def send_every_poll_mail(meeting, convener, poison):
    """Two polls of the ärende with the meeting's people: one reminded and picked (the
    kallelse and "Tid vald"), one cancelled with a poisoned message."""
    template = booking.Booking(
        case=meeting.case,
        kind="samverkansmote",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        convening_organisation=meeting.convening_organisation,
        convened_by=convener,
        purpose=meeting.purpose,
        questions=meeting.questions,
        location=poison("Kommunhuset, ingång B"),
        participants=booking.existing_participant_specs(meeting),
    )

    def proposed(days):
        start = timezone.now().replace(microsecond=0) + timedelta(days=days)
        time = polls.ProposedTime(starts_at=start, ends_at=start + timedelta(hours=1))
        time.accepted = {w.code for w in booking.booking_warnings(polls.booking_at(template, time))}
        return time

    answer_by = timezone.localdate() + timedelta(days=7)
    first = polls.propose_times(template, [proposed(30), proposed(31)], answer_by=answer_by)
    assert polls.remind_now(poll=first, user=convener)
    time = first.times.first()
    picked = polls.booking_from_poll(first, time, user=convener)
    accepted = {w.code for w in booking.booking_warnings(picked)}
    polls.pick_time(
        poll=first, time=time, user=convener, accepted=accepted, oral_consent_at_start=True
    )
    second = polls.propose_times(template, [proposed(40), proposed(41)], answer_by=answer_by)
    polls.cancel_poll(poll=second, user=convener, reason=poison("Ny handläggare"))


def send_every_group_mail(area, convener, poison):
    from groups.models import Group, GroupMember
    from groups.services import booking as group_booking
    from groups.services import invitations as group_invitations
    from groups.services import minutes as group_minutes

    group = Group.objects.create(area=area, kind="annan", name=poison("Nätverket"))
    GroupMember.objects.create(
        group=group,
        name=poison("Greta Grupp"),
        organisation=convener.organisation,
        email="greta@savsjo.example",
    )
    starts = timezone.now() + timedelta(days=1)
    meeting = group_booking.book_meeting(
        group=group,
        user=convener,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=poison("Kommunhuset"),
        items=[{"title": poison("Ekonomi"), "presenter": poison("Ordförande")}],
    )
    group_invitations.send_invitations(meeting)
    deliver_all()
    group_invitations.send_reminders(days_before=7)
    deliver_all()
    group_invitations.notify_changed(meeting)
    deliver_all()
    item = meeting.items.get()
    group_minutes.save_item_field(
        item=item, field="notes", value=poison("Anteckning"), seen_version=0
    )
    group_minutes.freeze_minutes(meeting, user=convener)
    group_minutes.send_minutes(meeting)
    deliver_all()
    group_invitations.cancel_meeting(meeting, reason="other", note="")


def send_every_spindeln_mail(area, convener, poison):
    from followup.services import spindeln
    from groups.models import Group, GroupMember

    group = Group.objects.create(area=area, kind="styrgrupp")
    GroupMember.objects.create(
        group=group,
        name=poison("Sigrid Spindel"),
        organisation=convener.organisation,
        email="sigrid@savsjo.example",
    )
    survey = spindeln.start_round(
        area=area,
        user=convener,
        title="Spindeln hösten",
        closes_on=timezone.localdate() + timedelta(days=2),
        groups=[group],
    )
    assert spindeln.remind_now(survey) == 1


def test_no_message_of_any_kind_carries_a_personnummer(
    world, poison, monkeypatch, django_capture_on_commit_callbacks
):
    kinds = []
    render = outbox_services.render_message

    def recording(kind, context):
        kinds.append(kind)
        return render(kind, context)

    monkeypatch.setattr(outbox_services, "render_message", recording)
    meeting, convener, people = world["meeting"], world["convener"], world["people"]

    invitations.send_invitations(meeting=meeting, user=convener)  # kallelse
    deliver_all()
    people["external"].refresh_from_db()
    invitations.record_answer(  # a substitute: kallelse to them, the convener told
        participant=people["external"],
        answer=Answer.SUBSTITUTE,
        substitute_name=poison("Sara Ersättare"),
        substitute_email="sara@extern.example",
    )
    deliver_all()
    invitations.record_answer(  # another substitute: the first is told she no longer is
        participant=people["external"],
        answer=Answer.SUBSTITUTE,
        substitute_name=poison("Sven Ersättare"),
        substitute_email="sven@extern.example",
    )
    invitations.name_caseworker(  # anmäld handläggare: kallelse, the convener told
        participant=people["contact"], name=poison("Harald Handläggare"), email="h@af.example"
    )
    deliver_all()
    assert invitations.send_reminders(days_before=7)  # påminnelse
    deliver_all()
    move = {
        "meeting": meeting,
        "user": convener,
        "starts_at": meeting.starts_at + timedelta(days=1),
        "ends_at": meeting.ends_at + timedelta(days=1),
        "room": meeting.room,
        "location": poison("Annan ingång"),
        "remote_link": meeting.remote_link,
    }
    try:
        booking.reschedule_meeting(**move)  # ändrad tid
    except booking.NeedsConfirmation as confirm:  # short notice: accepted, as the user would
        booking.reschedule_meeting(**move, accepted={w.code for w in confirm.warnings})
    deliver_all()
    plan = world["plan"]
    version = freeze_plan(plan=plan, user=convener)
    for role in ("individual", "staff"):
        Signature.objects.create(
            version=version, role=role, method="paper", name=poison(role), recorded_by=convener
        )
    distribute_plan(plan=plan, user=convener)  # handlingsplan to participants, individual
    deliver_all()
    booking.cancel_meeting(meeting=meeting, user=convener, reason=poison("Sjuk, gäller"))
    deliver_all()
    # "Föreslå tider" (issue 16): the request, a reminder, the chosen time, a cancellation.
    send_every_poll_mail(meeting, convener, poison)
    deliver_all()
    # The sign-in's mail (parties.accounts.AccountAdapter): a reset link, a changed password.
    account = Client()
    account.post(reverse("account_reset_password"), {"email": convener.email})
    account.force_login(convener)
    new = "ett-nytt-bra-lösenord-42"
    changed = account.post(
        reverse("account_change_password"),
        {"oldpassword": "lösenord-för-test", "password1": new, "password2": new},
    )
    assert changed.status_code == 302
    # The second factor's notice (account-second-factor): an authenticator app added, after
    # the password is confirmed again.
    account.post(reverse("account_reauthenticate"), {"password": new})
    secret = account.get(reverse("mfa_activate_totp")).context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):  # allauth mails after the commit
        activated = account.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert activated.status_code == 302
    deliver_all()
    # An avvikelse (issue 19): its texts poisoned, the coordinator's mail (a link, no PDF).
    area = meeting.case.area
    UserFactory(
        username="avvikelse-koordinator", email="k@savsjo.example", coordinated_areas=[area]
    )
    report_deviation(
        user=convener,
        area=area,
        occurred_on=timezone.localdate(),
        category="ovrigt",
        what_happened=poison("Ingen tog ansvar"),
        consequence=poison("Mellan stolarna"),
        parties=[convener.organisation],
    )
    deliver_all()

    # The groups' mail (issue 18): kallelse, update, reminder, cancellation, the minutes.
    send_every_group_mail(area, convener, poison)
    deliver_all()
    # Spindeln (issue 19): a round's personal link and its reminder (no PDF, no calendar).
    send_every_spindeln_mail(area, convener, poison)
    deliver_all()

    every_kind = {p.name.removesuffix("-subject.txt") for p in EMAILS.glob("*-subject.txt")}
    assert set(kinds) == every_kind, every_kind - set(kinds)
    assert len(mail.outbox) >= 20
    pdfs = ics = 0
    for message in mail.outbox:
        names = [name for name, _content, _type in message.attachments]
        pdfs += sum(name.endswith(".pdf") for name in names)
        ics += sum(name.endswith(".ics") for name in names)
        scan(outgoing_text(message), message.subject)
    # The PDFs and calendar files were there to scan (the convener's notices have none, and
    # the withdrawn substitute's notice only the calendar file's cancellation; nor has the
    # sign-in's mail, nor the time poll's; a group meeting's kallelse has its calendar file
    # only, its minnesanteckningar the PDF).
    notices = sum(
        kind in ("answer-to-convener", "substitute-withdrawn")
        or kind in ("group-invitation", "group-update", "group-reminder", "group-cancellation")
        or kind.startswith(("account-", "poll-", "deviation-", "spindeln-"))
        for kind in kinds
    )
    assert pdfs == len(mail.outbox) - notices and ics
    assert "[personnummer borttaget]" in "".join(m.body for m in mail.outbox)


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def every_pdf(world):
    meeting, plan = world["meeting"], world["plan"]
    yield "kallelse", render_invitation_pdf(world["people"]["external"])
    yield "kallelse till alla", render_general_invitation_pdf(meeting)
    yield "brev till den enskilde", render_individual_letter_pdf(meeting)
    yield "handlingsplan, utkast", render_plan_pdf(plan)
    yield "handlingsplan, brev, utkast", render_plan_letter_pdf(plan)
    if plan.versions.exists():
        yield "handlingsplan, fastställd", render_plan_pdf(plan, 1)
        yield "handlingsplan, brev, fastställd", render_plan_letter_pdf(plan, 1)
    yield "kontaktlista", render_contact_list_pdf(world["area"])


def test_no_pdf_the_app_renders_carries_a_personnummer(world, poison):
    convener, meeting = world["convener"], world["meeting"]
    freeze_plan(plan=world["plan"], user=convener)
    rendered = list(every_pdf(world))
    booking.cancel_meeting(meeting=meeting, user=convener, reason=poison("Sjuk, gäller"))
    meeting.refresh_from_db()
    rendered += [(f"{name}, inställt", pdf) for name, pdf in every_pdf(world)]
    assert len(rendered) == 16
    for name, pdf in rendered:
        text = pdf_text(pdf)
        assert len(text) > 200, name
        scan(text, name)
    # The poisoned data did reach the documents: the numbers were removed, not missed.
    assert "[personnummer borttaget]" in pdf_text(rendered[0][1])
