"""Registerutdrag (GDPR art. 15, issue 13): everything stored about the individual and who
has read their ärende, as a PDF for them, produced by the owner or the area's coordinator,
its production logged, no personnummer in its file name."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.enums import CaseAction
from cases.models import CaseEvent
from consent.services import record_consent, revoke_consent
from meetings.enums import Answer, ParticipantKind
from meetings.services.invitations import send_invitations
from outbox.models import OutboundMessage
from plans.services.start import get_or_create_plan
from plans.services.versions import freeze_plan, sign_version
from samverk import registerutdrag
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
    take_part,
)

PNR = "198112289874"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def world(db, area, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    fk = OrganisationFactory(name="Försäkringskassan", kind="forsakringskassan")
    owner = UserFactory(
        username="agare", first_name="Åsa", last_name="Ägarsson", organisation=kommun
    )
    case = CaseFactory(
        area=area,
        owner=owner,
        first_name="Ingrid",
        last_name="Ekblad",
        personnummer=PNR,
        address="Åkervägen 3\n576 00 Sävsjö",
        phone="070-3344556",
        email="ingrid@example.org",
        contact_preference="email",
        interpreter_language="somaliska",
        needs_support_person=True,
        wishes="Vill att mamma är med",
    )
    record_consent(
        case=case,
        user=owner,
        organisations=[kommun, fk],
        form="written",
        covers_premeeting=True,
        given_on=timezone.localdate() - timedelta(days=20),
        valid_until=timezone.localdate() + timedelta(days=300),
        restrictions="Inget om ekonomin",
        document=SimpleUploadedFile("s.pdf", PDF),
    )
    old = record_consent(
        case=case,
        user=owner,
        organisations=[kommun],
        form="oral",
        covers_premeeting=False,
        given_on=timezone.localdate() - timedelta(days=60),
    )
    revoke_consent(consent=old, user=owner, reason="Ville ändra omfattningen")
    fk_user = UserFactory(username="fk", first_name="Frans", last_name="Kassasson", organisation=fk)
    meeting = MeetingFactory(
        case=case,
        convened_by=owner,
        purpose="Planera vägen till arbete",
        questions="Vilket stöd behövs?",
    )
    ParticipantFactory(
        meeting=meeting,
        kind=ParticipantKind.STAFF,
        user=fk_user,
        organisation=fk,
        name=str(fk_user),
        email=fk_user.email,
        answer=Answer.ATTENDING,
    )
    ParticipantFactory(
        meeting=meeting,
        kind=ParticipantKind.INDIVIDUAL,
        name=case.individual_name,
        email=case.email,
    )
    ParticipantFactory(
        meeting=meeting, kind=ParticipantKind.SUPPORT_PERSON, name="Mamma Ekblad", email=""
    )
    send_invitations(meeting=meeting, user=owner)
    plan = get_or_create_plan(meeting)
    plan.current_situation = "Har varit sjukskriven ett år"
    plan.way_forward = "Arbetsträning på biblioteket"
    plan.save()
    plan.goals.create(text="Arbeta halvtid till sommaren")
    plan.actions.create(what="Kontakta biblioteket", responsible_organisation=kommun)
    version = freeze_plan(plan=plan, user=owner)
    sign_version(version=version, user=owner, role="individual", method="paper", name="Ingrid")
    plan.current_situation = "Har börjat arbetsträna"
    plan.save()
    # Reads by someone of another party, and a printed letter.
    case.log(fk_user, CaseAction.VIEWED)
    meeting_event = case.log(owner, "meeting.viewed", meeting=meeting.pk, document="brev.pdf")
    meeting_event.at -= timedelta(days=1)
    meeting_event.save()
    return {"case": case, "owner": owner, "fk_user": fk_user, "meeting": meeting, "area": area}


def url(case):
    return reverse("registerutdrag", args=[case.pk])


def text_of(case, **kwargs):
    """The extract's text as the PDF holds it (the HTML, without the markup)."""
    html = registerutdrag.extract_html(case, **kwargs)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_owner_gets_a_pdf_named_by_number_and_day(client_for, world):
    case = world["case"]
    response = client_for(world["owner"]).get(url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    day = timezone.localdate().isoformat()
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="registerutdrag-{case.pk}-{day}.pdf"'
    assert PNR not in disposition and PNR[2:8] not in disposition and "Ekblad" not in disposition
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_producing_it_is_logged(client_for, world):
    case, owner = world["case"], world["owner"]
    before = set(CaseEvent.objects.values_list("pk", flat=True))
    client_for(owner).get(url(case))
    new = list(CaseEvent.objects.exclude(pk__in=before).values_list("action", "user", "case"))
    assert new == [(CaseAction.EXTRACT_PRODUCED, owner.pk, case.pk)]


def test_for_the_owner_and_the_coordinator_only(client_for, world, coordinator):
    case = world["case"]
    assert client_for(coordinator).get(url(case)).status_code == 200
    # A participant of another party may open the ärende, not produce the extract.
    assert client_for(world["fk_user"]).get(url(case)).status_code == 403
    stranger = UserFactory(username="utomstaende", organisation=world["owner"].organisation)
    assert client_for(stranger).get(url(case)).status_code == 404
    assert not CaseEvent.objects.filter(
        action=CaseAction.EXTRACT_PRODUCED, user__in=[world["fk_user"], stranger]
    ).exists()


def test_it_holds_everything_stored_about_the_individual(world):
    text = text_of(world["case"])
    for expected in (
        # The ärende's details and needs
        "Ingrid Ekblad",
        "19811228-9874",
        "Åkervägen 3",
        "070-3344556",
        "ingrid@example.org",
        "Ja, på somaliska",
        "Du vill ha en stödperson med",
        "Vill att mamma är med",
        # Consents, their scope and history
        "Försäkringskassan",
        "Inget om ekonomin",
        "Ja, även möten där du inte är med",
        "Ja, det finns sparat",
        "Återkallat",
        "Ville ändra omfattningen",
        # Meetings and who was called
        "Planera vägen till arbete",
        "Vilket stöd behövs?",
        "Mamma Ekblad",
        # Plans and their versions
        "Har börjat arbetsträna",
        "Har varit sjukskriven ett år",
        "Arbetsträning på biblioteket",
        "Arbeta halvtid till sommaren",
        "Kontakta biblioteket",
        "Version 1, fastställd",
        "Den enskilde: signerat på papper",
        # Letters and e-mail, by date and recipient
        "Kallelse:",
        "Brev om ett möte",
        # Who has read it
        "Vem har läst ditt ärende",
    ):
        assert expected in text, expected


def test_letters_and_e_mail_by_date_and_recipient(world):
    context = registerutdrag.context(world["case"])
    sent = context["sent"]
    assert len(sent) == OutboundMessage.objects.count() + 1  # and the printed letter
    assert [s.at for s in sent] == sorted(s.at for s in sent)
    recipients = {s.to for s in sent}
    assert "dig" in recipients  # the individual's own kallelse, and the letter
    assert "Försäkringskassan" in recipients  # staff by party, not by name


def test_readers_by_organisation_role_and_day_without_names_by_default(world):
    case = world["case"]
    text = text_of(case)
    assert "Försäkringskassan, handläggare" in text
    section = text.split("Vem har läst ditt ärende", 1)[1]
    assert "Kassasson" not in section and "Ägarsson" not in section
    assert timezone.localdate().strftime("%Y-%m-%d") in section


def test_the_area_may_name_the_staff(world):
    area = world["area"]
    area.extract_names_staff = True
    area.save()
    case = world["case"]
    case.refresh_from_db()
    section = text_of(case).split("Vem har läst ditt ärende", 1)[1]
    assert "Försäkringskassan, handläggare, Frans Kassasson" in section


def test_an_empty_arende_reads_well(db, area):
    owner = UserFactory(username="ny")
    case = CaseFactory(area=area, owner=owner, personnummer="", address="")
    text = text_of(case)
    assert "Inte sparat" in text and "Inga samtycken finns sparade." in text
    assert "Inga möten finns sparade." in text and "Ingen har läst ditt ärende." in text


def test_a_participant_may_read_but_not_see_the_button(client_for, world):
    case = world["case"]
    take_part(case, world["fk_user"])
    page = client_for(world["fk_user"]).get(case.get_absolute_url()).content.decode()
    assert url(case) not in page
    page = client_for(world["owner"]).get(case.get_absolute_url()).content.decode()
    assert url(case) in page


def test_the_pdf_has_the_text(world):
    # pypdf (a dev dependency) rather than poppler's pdftotext: the test never skips.
    reader = PdfReader(io.BytesIO(registerutdrag.render_pdf(world["case"])))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Registerutdrag" in text and "Ingrid Ekblad" in text and "19811228-9874" in text
    assert "Sida 1 av" in text
