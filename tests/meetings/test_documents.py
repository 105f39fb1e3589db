"""The kallelse PDF, the letter to the individual, "svara senast", and their downloads."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.services import documents
from meetings.services.booking import cancel_meeting
from meetings.services.documents import (
    render_general_invitation_pdf,
    render_individual_letter_pdf,
    render_invitation_pdf,
    reply_by,
)
from tests.factories import MeetingFactory, ParticipantFactory, RoomFactory, UserFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PERSONNUMMER_FORMS = ["198112289874", "8112289874", "19811228-9874", "811228-9874"]


def local(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


@pytest.fixture(autouse=True)
def documents_made_three_weeks_before(monkeypatch):
    """The meeting below is on 14 December 2026 and the texts expected name its days ("Svara
    senast måndag 7 december 2026"): the documents are made on a fixed day three weeks before,
    not on the day the tests happen to run (from 7 December on, "svara senast" is tomorrow)."""
    monkeypatch.setattr(documents.timezone, "localdate", lambda *args, **kwargs: date(2026, 11, 23))


@pytest.fixture
def meeting(case, convener, orgs, area):
    convener.first_name, convener.last_name = "Karin", "Kallesson"
    convener.title = "Socialsekreterare"
    convener.phone = "0382-150 00"
    convener.email = "karin.kallesson@savsjo.se"
    convener.save()
    case.address = "Storgatan 7 B\n576 31 Sävsjö"
    case.phone = "070-555 12 34"
    case.interpreter_language = "arabiska"
    case.needs_support_person = True
    case.save()
    meeting = MeetingFactory(
        case=case,
        kind="sip",
        convened_by=convener,
        convening_organisation=orgs["kommun"],
        starts_at=local(2026, 12, 14, 10),
        ends_at=local(2026, 12, 14, 11, 30),
        room=RoomFactory(area=area, name="Rum Ljuset", address="Stadshuset, Storgatan 1"),
        location="",
        remote_link="https://video.example.se/m/12345",
        purpose="Planera vägen till arbete och samordna insatserna.",
        questions="Vilka insatser behövs från varje part?\nVem håller ihop planen?",
    )
    ParticipantFactory(meeting=meeting, kind="individual", name=case.individual_name, email="")
    ParticipantFactory(
        meeting=meeting,
        kind="staff",
        name="Erik Arbetsson",
        organisation=orgs["af"],
        email="erik.arbetsson@arbetsformedlingen.se",
    )
    ParticipantFactory(
        meeting=meeting,
        kind="contact",
        name="Vera Vårdsson",
        organisation=orgs["vc"],
        email="vera@rjl.se",
    )
    ParticipantFactory(meeting=meeting, kind="support", name="Sven Stödsson", email="")
    ParticipantFactory(
        meeting=meeting,
        kind="interpreter",
        name="Tina Tolksson",
        organisation_name="Tolkförmedlingen",
        email="",
    )
    return meeting


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def assert_no_personnummer(text):
    digits_only = re.sub(r"\D", "", text)
    for form in PERSONNUMMER_FORMS:
        assert form not in text, form
    assert "8112289874" not in digits_only


def staff_participant(meeting):
    return meeting.participants.get(name="Erik Arbetsson")


# --- the kallelse -------------------------------------------------------------------


def test_the_kallelse_carries_every_field_of_the_form(meeting):
    text = pdf_text(render_invitation_pdf(staff_participant(meeting)))
    for expected in [
        "Kallelse",
        "Mötestyp",
        "SIP (samordnad individuell plan)",
        "Till",
        "Erik Arbetsson, Arbetsförmedlingen",
        "Den enskilde",
        "Alva Andersson",
        "måndag 14 december 2026",
        "10:00–11:30",
        "Rum Ljuset, Stadshuset, Storgatan 1",
        "https://video.example.se/m/12345",
        "Syfte",
        "Planera vägen till arbete och samordna insatserna.",
        "Frågeställningar",
        "Vilka insatser behövs från varje part?",
        "Vem håller ihop planen?",
        "Sammankallande",
        "Karin Kallesson",
        "Sävsjö kommun",
        "0382-150 00",
        "karin.kallesson@savsjo.se",
        "Svara senast",
        "måndag 7 december 2026",
        "Förbered",
        "Ta med aktuella planer och beslut från din verksamhet.",
        "Tolk på arabiska: Tina Tolksson",
        "Stödperson: Sven Stödsson",
        "den enskilde Alva Andersson",
        "Vera Vårdsson",
        "Region Jönköpings län, primärvård",
        "Skicka inte personnummer eller känsliga uppgifter med e-post.",
    ]:
        assert expected in text, expected
    assert "INSTÄLLT" not in text


def test_the_kallelse_never_shows_personnummer_address_or_phone_of_the_individual(meeting):
    text = pdf_text(render_invitation_pdf(staff_participant(meeting)))
    assert_no_personnummer(text)
    assert "Storgatan 7" not in text and "576 31" not in text
    assert "555 12 34" not in text


def test_a_personnummer_typed_into_free_text_is_removed(meeting):
    meeting.purpose = "Gäller 19811228-9874, se även 811228-9874 och 198112289874."
    meeting.save()
    text = pdf_text(render_invitation_pdf(staff_participant(meeting)))
    assert_no_personnummer(text)
    assert text.count("[personnummer borttaget]") == 3


def test_general_kallelse_is_addressed_to_all(meeting):
    text = pdf_text(render_general_invitation_pdf(meeting))
    assert "Deltagarna enligt listan nedan" in text
    assert "Erik Arbetsson" in text  # in the list


def test_removed_participants_are_not_listed(meeting):
    from django.utils import timezone

    meeting.participants.filter(name="Vera Vårdsson").update(removed_at=timezone.now())
    assert "Vera Vårdsson" not in pdf_text(render_general_invitation_pdf(meeting))


def test_a_cancelled_meeting_has_a_banner_with_the_reason(meeting, convener):
    cancel_meeting(meeting=meeting, user=convener, reason="Den enskilde är sjuk.")
    text = pdf_text(render_invitation_pdf(staff_participant(meeting)))
    assert "INSTÄLLT" in text and "Den enskilde är sjuk." in text
    assert "Svara senast" not in text


def test_a_premeeting_kallelse_says_the_individual_does_not_attend(meeting):
    meeting.kind = "formote"
    meeting.save()
    text = pdf_text(render_invitation_pdf(staff_participant(meeting)))
    assert "Förmöte" in text and "deltar inte i förmötet" in text


def test_times_are_local_across_daylight_saving(meeting):
    # Sunday 25 October 2026 is the change back to winter time.
    meeting.starts_at, meeting.ends_at = local(2026, 10, 26, 9), local(2026, 10, 26, 10)
    meeting.save()
    text = pdf_text(render_invitation_pdf(staff_participant(meeting)))
    assert "måndag 26 oktober 2026" in text and "09:00–10:00" in text


def test_every_kind_has_a_preparation_text():
    from meetings.enums import MeetingKind

    assert set(documents.PREPARATION) == set(MeetingKind)
    assert set(documents.KIND_FOR_INDIVIDUAL) == set(MeetingKind)


# --- svara senast -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting_day", "today", "expected"),
    [
        (date(2026, 12, 14), date(2026, 11, 23), date(2026, 12, 7)),  # a week before
        (date(2026, 12, 14), date(2026, 12, 6), date(2026, 12, 7)),  # exactly tomorrow
        (date(2026, 12, 14), date(2026, 12, 7), date(2026, 12, 8)),  # not before tomorrow
        (date(2026, 12, 14), date(2026, 12, 13), date(2026, 12, 14)),  # meeting tomorrow
        (date(2026, 12, 14), date(2026, 12, 14), date(2026, 12, 14)),  # never after the meeting
        (date(2026, 3, 30), date(2026, 3, 1), date(2026, 3, 23)),  # across the DST change
    ],
)
def test_reply_by(meeting_day, today, expected):
    class Stub:
        starts_at = datetime(
            meeting_day.year, meeting_day.month, meeting_day.day, 8, 30, tzinfo=STOCKHOLM
        )

    assert reply_by(Stub, today=today) == expected


def test_reply_by_uses_the_local_day():
    class Stub:  # 00:30 in Stockholm on 14 December is still 13 December in UTC
        starts_at = local(2026, 12, 14, 0, 30).astimezone(ZoneInfo("UTC"))

    assert reply_by(Stub, today=date(2026, 11, 1)) == date(2026, 12, 7)


# --- the letter ---------------------------------------------------------------------


def test_the_letter_has_the_address_and_plain_words(meeting):
    text = pdf_text(render_individual_letter_pdf(meeting))
    for expected in [
        "Alva Andersson",
        "Storgatan 7 B",
        "576 31 Sävsjö",
        "Hej Alva!",
        "Du är välkommen till ett möte om ditt stöd.",
        "SIP betyder samordnad individuell plan.",
        "måndag 14 december 2026",
        "10:00–11:30",
        "Rum Ljuset, Stadshuset, Storgatan 1",
        "Planera vägen till arbete och samordna insatserna.",
        "Erik Arbetsson, Arbetsförmedlingen",
        "Vera Vårdsson, Region Jönköpings län, primärvård",
        "Du får gärna ta med en stödperson.",
        "Vi har bokat en tolk på arabiska.",
        "Karin Kallesson",
        "0382-150 00",
        "karin.kallesson@savsjo.se",
    ]:
        assert expected in text, expected
    assert_no_personnummer(text)
    assert "erik.arbetsson@" not in text and "vera@rjl.se" not in text


def test_the_address_sits_in_the_envelope_window(meeting):
    """20 mm from the left, about 45 mm from the top of an A4 sheet."""
    reader = PdfReader(io.BytesIO(render_individual_letter_pdf(meeting)))
    page = reader.pages[0]
    height = float(page.mediabox.height)
    positions = {}

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip():
            # The text matrix is in the coordinates of the current transformation matrix.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            positions.setdefault(text.strip(), (x, y))

    page.extract_text(visitor_text=visitor)
    mm = 72 / 25.4
    x, y = next(pos for text, pos in positions.items() if text.startswith("Alva Andersson"))
    assert 18 <= x / mm <= 23
    assert 43 <= (height - y) / mm <= 52  # baseline of the first line


def test_the_letter_without_interpreter_language_promises_no_interpreter(meeting):
    meeting.case.interpreter_language = ""
    meeting.case.save()
    assert "Vi har bokat en tolk" not in pdf_text(render_individual_letter_pdf(meeting))


# --- downloads ----------------------------------------------------------------------


def document_urls(meeting):
    return [
        reverse("meetings:invitation_pdf", args=[meeting.pk]),
        reverse("meetings:letter_pdf", args=[meeting.pk]),
        reverse("meetings:ics", args=[meeting.pk]),
    ]


def test_the_owner_downloads_the_documents(client_for, meeting, convener):
    client = client_for(convener)
    pdf, letter, ics = (client.get(url) for url in document_urls(meeting))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Deltagarna enligt listan nedan" in pdf_text(pdf.content)
    assert letter.status_code == 200 and "Storgatan 7 B" in pdf_text(letter.content)
    assert ics.status_code == 200
    assert ics["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    assert b"mailto:karin.kallesson@savsjo.se" in ics.content
    assert "no-store" in pdf["Cache-Control"] and "private" in letter["Cache-Control"]
    assert meeting.case.events.filter(action="meeting.viewed", user=convener).count() == 3


def test_a_kallelse_for_one_participant(client_for, meeting, convener):
    erik = staff_participant(meeting)
    url = reverse("meetings:invitation_pdf", args=[meeting.pk])
    response = client_for(convener).get(url, {"deltagare": erik.pk})
    assert "Erik Arbetsson, Arbetsförmedlingen" in pdf_text(response.content)
    ics = client_for(convener).get(
        reverse("meetings:ics", args=[meeting.pk]), {"deltagare": erik.pk}
    )
    assert b"mailto:erik.arbetsson@arbetsformedlingen.se" in ics.content


def test_another_meetings_participant_or_junk_gives_404(client_for, meeting, convener, case):
    other = ParticipantFactory(meeting=MeetingFactory(case=case))
    client = client_for(convener)
    for value in (other.pk, "abc", "-1"):
        for name in ("meetings:invitation_pdf", "meetings:ics"):
            response = client.get(reverse(name, args=[meeting.pk]), {"deltagare": value})
            assert response.status_code == 404, (name, value)


def test_the_ics_of_a_cancelled_meeting_is_a_cancel(client_for, meeting, convener):
    cancel_meeting(meeting=meeting, user=convener, reason="Sjuk")
    response = client_for(convener).get(reverse("meetings:ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; method=CANCEL; charset=utf-8"
    assert b"METHOD:CANCEL" in response.content


def test_the_uninvolved_get_404(client, meeting, orgs, other_area):
    outsider = UserFactory(organisation=orgs["fk"], is_caseworker=True)
    other_coordinator = UserFactory(is_caseworker=False, coordinated_areas=[other_area])
    for user in (outsider, other_coordinator):
        client.force_login(user)
        for url in document_urls(meeting):
            response = client.get(url)
            assert response.status_code == 404, (user, url)
            assert b"Andersson" not in response.content


def test_anonymous_is_sent_to_login(client, meeting):
    for url in document_urls(meeting):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
