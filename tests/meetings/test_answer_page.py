"""The answer page (issue 16): what it shows of the meeting, an optional comment, and for
"Kommer inte" a written contribution (text, optional PDF) that the convener sees on the
meeting page and in the live meeting."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from common.uploads import looks_like_pdf
from meetings.enums import Answer
from meetings.services import invitations
from outbox.models import OutboundMessage
from tests.factories import MeetingFactory, ParticipantFactory


def real_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name="underlag.pdf", content=None):
    return SimpleUploadedFile(name, real_pdf() if content is None else content, "application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def meeting(case, convener):
    convener.title, convener.phone = "Socialsekreterare", "0382-150 00"
    convener.save()
    return MeetingFactory(
        case=case,
        convened_by=convener,
        convening_organisation=convener.organisation,
        location="Kommunhuset",
        purpose="Planera vägen till arbete för Alva Andersson",
        questions="Vilket stöd behöver Alva från psykiatrin?",
    )


@pytest.fixture
def vera(meeting, orgs):
    return ParticipantFactory(
        meeting=meeting,
        kind="staff",
        organisation=orgs["vc"],
        name="Vera Vård",
        email="vera@rjl.example",
    )


def url(participant):
    return reverse("meetings:answer", args=[invitations.answer_token(participant)])


def test_the_page_shows_the_meeting_and_who_convenes_but_not_the_individual(
    client, vera, convener, case
):
    content = client.get(url(vera)).content.decode()
    for shown in (
        "Samverkansmöte",
        "Kommunhuset",
        "Planera vägen till arbete för den enskilde",
        "Vilket stöd behöver den enskilde från psykiatrin?",
        convener.get_full_name(),
        "Socialsekreterare",
        str(convener.organisation),
        convener.email,
        "0382-150 00",
    ):
        assert shown in content, shown
    assert case.first_name not in content and case.last_name not in content
    assert case.personnummer[:8] not in content


def test_a_comment_goes_with_the_answer_to_the_convener(client, vera, convener):
    response = client.post(
        url(vera), {"answer": Answer.ATTENDING, "comment": "Kommer tio min sent"}
    )
    assert response.status_code == 200
    vera.refresh_from_db()
    assert vera.answer == Answer.ATTENDING and vera.answer_comment == "Kommer tio min sent"
    notice = OutboundMessage.objects.get(to_email=convener.email)
    assert "Kommentar: Kommer tio min sent" in notice.text_body


def test_a_personnummer_in_the_comment_is_refused_beside_it(client, vera):
    response = client.post(
        url(vera), {"answer": Answer.ATTENDING, "comment": "Gäller 19811228-9874"}
    )
    assert response.status_code == 400
    assert 'id="id_comment"' in response.content.decode()
    vera.refresh_from_db()
    assert vera.answer == Answer.NONE and not OutboundMessage.objects.exists()


def test_a_decline_with_a_written_contribution_and_a_pdf(client, vera, convener, meeting):
    response = client.post(
        url(vera),
        {
            "answer": Answer.DECLINED,
            "contribution_text": "Vården kan erbjuda samtal varannan vecka.",
            "contribution_file": pdf_upload("198112289874 Alva.pdf"),
        },
    )
    assert response.status_code == 200
    vera.refresh_from_db()
    assert vera.contribution_text == "Vården kan erbjuda samtal varannan vecka."
    stored = vera.contribution_file.name
    assert stored.startswith(f"skriftligt-underlag/{meeting.pk}/") and stored.endswith(".pdf")
    assert "198112289874" not in stored and "Alva" not in stored
    notice = OutboundMessage.objects.get(to_email=convener.email)
    assert "skriftligt underlag" in notice.text_body
    assert "samtal varannan vecka" not in notice.text_body  # only on the meeting page

    client.force_login(convener)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Vården kan erbjuda samtal varannan vecka." in page
    pdf_url = reverse("meetings:contribution_pdf", args=[meeting.pk, vera.pk])
    assert pdf_url in page
    download = client.get(pdf_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    with vera.contribution_file.open("rb") as stored_file:
        assert download.content == stored_file.read()
    assert 'filename="skriftligt-underlag.pdf"' in download["Content-Disposition"]
    live = client.get(reverse("meetings:run", args=[meeting.pk])).content.decode()
    assert "Vården kan erbjuda samtal varannan vecka." in live and pdf_url in live


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Hej, det h\xc3\xa4r \xc3\xa4r ingen PDF", "Filen måste vara en PDF."),
        (real_pdf()[:200], "Filen måste vara en PDF."),  # cut short in the upload
        (b"", "Den skickade filen är tom."),
    ],
)
def test_a_file_that_is_no_pdf_is_refused_and_nothing_is_saved(client, vera, content, message):
    response = client.post(
        url(vera),
        {
            "answer": Answer.DECLINED,
            "contribution_text": "Text",
            "contribution_file": pdf_upload("underlag.pdf", content),
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    vera.refresh_from_db()
    assert vera.answer == Answer.NONE and not vera.contribution_text


def test_a_pdf_over_the_size_limit_is_refused(client, vera, settings):
    settings.MAX_UPLOAD_SIZE = 1024
    big = real_pdf().replace(b"%%EOF", b"%" + b"x" * 2048 + b"\nstartxref\n0\n%%EOF")
    response = client.post(
        url(vera), {"answer": Answer.DECLINED, "contribution_file": pdf_upload(content=big)}
    )
    assert response.status_code == 400
    assert "Filen är för stor (högst 1,0\xa0kB)." in response.content.decode()
    vera.refresh_from_db()
    assert vera.answer == Answer.NONE and not vera.contribution_file


def test_a_contribution_goes_only_with_a_decline(client, vera):
    response = client.post(url(vera), {"answer": Answer.ATTENDING, "contribution_text": "Underlag"})
    assert response.status_code == 400
    assert "Skriftligt underlag lämnas när du svarar att du inte kan komma." in (
        response.content.decode()
    )
    vera.refresh_from_db()
    assert vera.answer == Answer.NONE


def test_coming_after_all_clears_the_contribution(
    client, vera, tmp_path, django_capture_on_commit_callbacks
):
    client.post(
        url(vera),
        {"answer": Answer.DECLINED, "contribution_text": "Text", "contribution_file": pdf_upload()},
    )
    vera.refresh_from_db()
    stored = tmp_path / vera.contribution_file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(vera), {"answer": Answer.ATTENDING})
    vera.refresh_from_db()
    assert not vera.contribution_text and not vera.contribution_file
    assert not stored.exists()


def test_a_new_decline_without_a_file_keeps_the_pdf_sent_before(client, vera):
    client.post(
        url(vera),
        {"answer": Answer.DECLINED, "contribution_text": "Text", "contribution_file": pdf_upload()},
    )
    vera.refresh_from_db()
    first = vera.contribution_file.name
    client.post(url(vera), {"answer": Answer.DECLINED, "contribution_text": "Ny text"})
    vera.refresh_from_db()
    assert vera.contribution_text == "Ny text" and vera.contribution_file.name == first


def test_looks_like_pdf():
    assert looks_like_pdf(real_pdf())
    assert not looks_like_pdf(b"%PDF-1.4\nbara en rubrik")
    assert not looks_like_pdf(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
