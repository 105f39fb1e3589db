"""The samtycke pages of an ärende: history, record, revoke, document, who may do what."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cases.audit import read_actions
from cases.models import CaseEvent
from consent import services
from consent.enums import ConsentAction
from consent.models import Consent
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

FIRST, LAST = "Signe", "Hemligsdotter"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def today():
    return timezone.localdate()


def field_error(content: str, field: str) -> str:
    """The error text crispy renders right beside one field ('' when there is none)."""
    match = re.search(rf'id="error_\d+_id_{field}"[^>]*>(.*?)</(?:p|span|div)>', content, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


def assert_name_absent(response):
    content = response.content.decode()
    assert FIRST not in content and LAST not in content


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def kommun(db):
    return OrganisationFactory(name="Sävsjö kommun", kind="kommun")


@pytest.fixture
def fk(db):
    return OrganisationFactory(name="Försäkringskassan", kind="forsakringskassan")


@pytest.fixture
def owner(kommun):
    return UserFactory(username="agare", organisation=kommun, is_caseworker=True)


@pytest.fixture
def involved_caseworker(fk):
    return UserFactory(username="berord", organisation=fk, is_caseworker=True)


@pytest.fixture
def uninvolved_caseworker(db):
    return UserFactory(
        username="utomstaende",
        organisation=OrganisationFactory(name="Eksjö kommun"),
        is_caseworker=True,
    )


@pytest.fixture
def involved_colleague(fk):
    """The involved caseworker's colleague in the same party, in none of the meetings."""
    return UserFactory(username="berord-kollega", organisation=fk, is_caseworker=True)


@pytest.fixture
def case(area, owner, involved_caseworker):
    case = CaseFactory(area=area, owner=owner, first_name=FIRST, last_name=LAST)
    case.involved_organisations.add(owner.organisation, involved_caseworker.organisation)
    # Takes part in one of its meetings: that, not the organisation, opens the ärende.
    ParticipantFactory(
        meeting=MeetingFactory(case=case),
        kind="staff",
        user=involved_caseworker,
        organisation=involved_caseworker.organisation,
        name=str(involved_caseworker),
    )
    return case


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def consent_with_document(case, kommun, fk, media):
    return ConsentFactory(
        case=case,
        organisations=[kommun, fk],
        document=SimpleUploadedFile("samtycke.pdf", PDF),
    )


def url(name, case, consent=None):
    kwargs = {"case_pk": case.pk}
    if consent is not None:
        kwargs["pk"] = consent.pk
    return reverse(f"consent:{name}", kwargs=kwargs)


def valid_data(*organisations, **overrides):
    data = {
        "form": "written",
        "organisations": [org.pk for org in organisations],
        "covers_premeeting": "on",
        "given_on": today().isoformat(),
        "valid_until": (today() + timedelta(days=365)).isoformat(),
        "restrictions": "Inget om min ekonomi.",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


# --- recording ----------------------------------------------------------------------------------


def test_record_page_has_labelled_fields_and_one_h1(client_for, owner, case, kommun, fk):
    response = client_for(owner).get(url("create", case))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert 'type="date"' in content and 'type="checkbox"' in content
    assert 'enctype="multipart/form-data"' in content
    for field in ("given_on", "valid_until", "restrictions", "document", "covers_premeeting"):
        assert f'for="id_{field}"' in content, field
    # Organisations are offered by name.
    form = content[content.index("<form") :]
    assert form.index("Försäkringskassan") < form.index("Sävsjö kommun")


def test_record_without_document(client_for, owner, case, kommun, fk):
    response = client_for(owner).post(url("create", case), valid_data(kommun, fk))
    assert response.status_code == 302
    assert response["Location"] == url("list", case)

    consent = Consent.objects.get(case=case)
    assert set(consent.organisations.all()) == {kommun, fk}
    assert consent.form == "written" and consent.covers_premeeting
    assert consent.recorded_by == owner
    assert consent.restrictions == "Inget om min ekonomi."
    assert not consent.document
    assert case.events.filter(action=ConsentAction.RECORDED, user=owner).count() == 1
    assert services.covered_organisation_ids(case, on=today()) == {kommun.pk, fk.pk}


def test_oral_consent_without_end_date_or_premeeting(client_for, owner, case, kommun):
    data = valid_data(kommun, form="oral", covers_premeeting=None, valid_until="")
    assert client_for(owner).post(url("create", case), data).status_code == 302
    consent = Consent.objects.get(case=case)
    assert consent.form == "oral" and not consent.covers_premeeting
    assert consent.valid_until is None


def test_record_with_pdf_upload(client_for, owner, case, kommun, media):
    upload = SimpleUploadedFile(f"{FIRST} {LAST} samtycke.pdf", PDF, content_type="application/pdf")
    response = client_for(owner).post(
        url("create", case), {**valid_data(kommun), "document": upload}
    )
    assert response.status_code == 302

    consent = Consent.objects.get(case=case)
    assert consent.document.name.startswith(f"samtycken/{case.pk}/")
    assert consent.document.name.endswith(".pdf")
    assert FIRST not in consent.document.name and LAST not in consent.document.name
    stored = media / consent.document.name
    assert stored.read_bytes() == PDF


@pytest.mark.parametrize(("content", "extension"), [(JPEG, "jpg"), (PNG, "png")])
def test_images_are_stored_by_what_they_are(
    client_for, owner, case, kommun, media, content, extension
):
    # A JPEG named .pdf is kept as the JPEG it is.
    upload = SimpleUploadedFile("skanning.pdf", content, content_type="application/pdf")
    response = client_for(owner).post(
        url("create", case), {**valid_data(kommun), "document": upload}
    )
    assert response.status_code == 302
    assert Consent.objects.get(case=case).document.name.endswith(f".{extension}")


# --- bad input: 400, a Swedish message beside the field, nothing saved ------------------------


def tomorrow_iso():
    return (today() + timedelta(days=1)).isoformat()


BAD_INPUT = {
    "empty form": (lambda orgs: {}, "organisations", "Välj minst en part som samtycket gäller."),
    "empty form, date": (lambda orgs: {}, "given_on", "Ange datum då samtycket lämnades."),
    "empty form, kind": (
        lambda orgs: {},
        "form",
        "Välj om samtycket är skriftligt eller muntligt.",
    ),
    "date in wrong format": (
        lambda orgs: valid_data(*orgs, given_on="14/13/2025"),
        "given_on",
        "Ange datumet som ÅÅÅÅ-MM-DD",
    ),
    "date as words": (
        lambda orgs: valid_data(*orgs, valid_until="nästa år"),
        "valid_until",
        "Ange datumet som ÅÅÅÅ-MM-DD",
    ),
    "impossible date": (
        lambda orgs: valid_data(*orgs, given_on="2025-02-30"),
        "given_on",
        "Ange datumet som ÅÅÅÅ-MM-DD",
    ),
    "end before start": (
        lambda orgs: valid_data(*orgs, valid_until=(today() - timedelta(days=1)).isoformat()),
        "valid_until",
        "Slutdatum kan inte vara före datumet då samtycket lämnades.",
    ),
    "given in the future": (
        lambda orgs: valid_data(*orgs, given_on=tomorrow_iso(), valid_until=""),
        "given_on",
        "Ett samtycke kan inte vara lämnat i framtiden.",
    ),
    "no organisation": (
        lambda orgs: valid_data(),
        "organisations",
        "Välj minst en part som samtycket gäller.",
    ),
    "tampered organisation id": (
        lambda orgs: valid_data(*orgs, organisations=[orgs[0].pk, 999999]),
        "organisations",
        "Välj parter i listan.",
    ),
    "organisation id not a number": (
        lambda orgs: valid_data(*orgs, organisations=["abc"]),
        "organisations",
        "Välj parter i listan.",
    ),
    "unknown form": (
        lambda orgs: valid_data(*orgs, form="telepatiskt"),
        "form",
        "Välj skriftligt eller muntligt.",
    ),
    "NUL in free text": (
        lambda orgs: valid_data(*orgs, restrictions="a\x00b"),
        "restrictions",
        "",
    ),
}


@pytest.mark.parametrize("label", list(BAD_INPUT))
def test_bad_input_is_400_with_message_and_nothing_saved(
    client_for, owner, case, kommun, fk, media, label
):
    make_data, field, message = BAD_INPUT[label]
    changes = CaseEvent.objects.exclude(action__in=read_actions())
    reads = CaseEvent.objects.filter(action__in=read_actions())
    changes_before, reads_before = changes.count(), reads.count()
    response = client_for(owner).post(url("create", case), make_data([kommun, fk]))
    assert response.status_code == 400, label
    content = response.content.decode()
    assert "Samtycket sparades inte" in content
    error = field_error(content, field)
    assert error, (label, field)
    assert message in error, (label, error)
    assert not Consent.objects.exists()
    # No change logged; the form shown again (with the ärende's name) is one read.
    assert changes.count() == changes_before
    assert reads.count() == reads_before + 1
    assert not any(media.iterdir())


UPLOADS = {
    "oversized pdf": (
        lambda: SimpleUploadedFile(
            "stor.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "application/pdf"
        ),
        "Filen är för stor (högst 10 MB).",
    ),
    "exe": (
        lambda: SimpleUploadedFile(
            "program.exe", b"MZ\x90\x00\x03\x00\x00\x00", "application/octet-stream"
        ),
        "Filen måste vara en PDF, JPEG eller PNG.",
    ),
    "text renamed pdf": (
        lambda: SimpleUploadedFile("samtycke.pdf", b"Jag samtycker.\n", "application/pdf"),
        "Filen måste vara en PDF, JPEG eller PNG.",
    ),
    "html claiming to be png": (
        lambda: SimpleUploadedFile("bild.png", b"<script>alert(1)</script>", "image/png"),
        "Filen måste vara en PDF, JPEG eller PNG.",
    ),
}


@pytest.mark.parametrize("label", list(UPLOADS))
def test_bad_upload_is_400_and_nothing_saved(client_for, owner, case, kommun, media, label):
    make_upload, message = UPLOADS[label]
    data = {**valid_data(kommun), "document": make_upload()}
    response = client_for(owner).post(url("create", case), data)
    assert response.status_code == 400
    assert message in field_error(response.content.decode(), "document")
    assert not Consent.objects.exists()
    assert not any(media.iterdir())


def test_a_very_long_file_name_is_no_problem(client_for, owner, case, kommun, media):
    upload = SimpleUploadedFile("s" * 180 + ".pdf", PDF, "application/pdf")
    response = client_for(owner).post(
        url("create", case), {**valid_data(kommun), "document": upload}
    )
    assert response.status_code == 302
    assert Consent.objects.get(case=case).document


# --- the history and revoking -------------------------------------------------------------------


def test_list_shows_every_consent_and_logs_that_it_was_viewed(client_for, owner, case, kommun, fk):
    ConsentFactory(case=case, organisations=[kommun], restrictions="Inte om missbruk.")
    ConsentFactory(
        case=case,
        organisations=[fk],
        given_on=today() - timedelta(days=400),
        valid_until=today() - timedelta(days=35),
    )
    response = client_for(owner).get(url("list", case))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "Inte om missbruk." in content
    assert "Har gått ut" in content
    assert "Gäller" in content
    event = case.events.get(action=ConsentAction.VIEWED)
    assert event.user == owner


def test_revoke_page_asks_for_a_reason(client_for, owner, case, kommun):
    consent = ConsentFactory(case=case, organisations=[kommun])
    response = client_for(owner).get(url("revoke", case, consent))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert 'for="id_reason"' in content
    assert Consent.objects.get(pk=consent.pk).revoked_at is None


def test_revoke_keeps_the_record_in_the_history_with_the_reason(
    client_for, owner, case, kommun, fk
):
    consent = ConsentFactory(case=case, organisations=[kommun, fk])
    client = client_for(owner)
    reason = "Den enskilde ringde och tog tillbaka samtycket."
    response = client.post(url("revoke", case, consent), {"reason": reason})
    assert response.status_code == 302
    assert response["Location"] == url("list", case)

    consent.refresh_from_db()
    assert consent.is_revoked and consent.revoked_by == owner
    assert consent.revoked_reason == reason
    assert services.covered_organisation_ids(case, on=today()) == set()
    assert case.events.filter(action=ConsentAction.REVOKED, user=owner).count() == 1

    content = client.get(url("list", case)).content.decode()
    revoked_on = timezone.localtime(consent.revoked_at)
    assert f"Återkallat {revoked_on.day} " in content
    assert f"av {owner}:" in content
    assert reason in content
    # No second revoke button for it.
    assert url("revoke", case, consent) not in content


def test_revoke_without_reason_is_400_and_nothing_changes(client_for, owner, case, kommun):
    consent = ConsentFactory(case=case, organisations=[kommun])
    for data in ({}, {"reason": "   "}):
        response = client_for(owner).post(url("revoke", case, consent), data)
        assert response.status_code == 400
        assert "Ange varför samtycket återkallas." in field_error(
            response.content.decode(), "reason"
        )
    consent.refresh_from_db()
    assert not consent.is_revoked
    assert not case.events.filter(action=ConsentAction.REVOKED).exists()


def test_revoking_again_changes_nothing(client_for, owner, case, kommun):
    consent = ConsentFactory(case=case, organisations=[kommun])
    services.revoke_consent(consent=consent, user=owner, reason="Första gången.")
    client = client_for(owner)
    assert client.get(url("revoke", case, consent)).status_code == 302
    response = client.post(url("revoke", case, consent), {"reason": "Andra gången."})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_reason == "Första gången."


def test_another_cases_consent_is_404_through_this_case(
    client_for, owner, case, area, kommun, media
):
    other = ConsentFactory(
        case=CaseFactory(area=area, owner=owner),
        organisations=[kommun],
        document=SimpleUploadedFile("a.pdf", PDF),
    )
    client = client_for(owner)
    assert client.get(url("revoke", case, other)).status_code == 404
    assert client.post(url("revoke", case, other), {"reason": "X"}).status_code == 404
    assert client.get(url("document", case, other)).status_code == 404
    other.refresh_from_db()
    assert not other.is_revoked


# --- the scanned document -----------------------------------------------------------------------


def test_involved_user_downloads_the_document_and_it_is_logged(
    client_for, involved_caseworker, case, consent_with_document
):
    response = client_for(involved_caseworker).get(url("document", case, consent_with_document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert f"samtycke-{consent_with_document.pk}.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == PDF
    event = case.events.get(action=ConsentAction.DOCUMENT_VIEWED)
    assert event.user == involved_caseworker
    assert event.data == {"consent": consent_with_document.pk}


def test_image_document_is_served_as_an_image(client_for, owner, case, kommun, media):
    consent = ConsentFactory(
        case=case, organisations=[kommun], document=SimpleUploadedFile("a.png", PNG)
    )
    response = client_for(owner).get(url("document", case, consent))
    assert response["Content-Type"] == "image/png"


def test_no_document_or_a_lost_file_is_404(client_for, owner, case, kommun, media):
    without = ConsentFactory(case=case, organisations=[kommun])
    lost = ConsentFactory(
        case=case, organisations=[kommun], document=SimpleUploadedFile("b.pdf", PDF)
    )
    (media / lost.document.name).unlink()
    client = client_for(owner)
    assert client.get(url("document", case, without)).status_code == 404
    assert client.get(url("document", case, lost)).status_code == 404
    assert not case.events.filter(action=ConsentAction.DOCUMENT_VIEWED).exists()


def test_media_files_are_not_served_by_url(client_for, owner, case, consent_with_document):
    response = client_for(owner).get(f"/media/{consent_with_document.document.name}")
    assert response.status_code == 404


# --- who may do what ----------------------------------------------------------------------------

ROLES = [
    "owner",
    "coordinator",
    "administrator",
    "involved_caseworker",
    "involved_colleague",
    "uninvolved_caseworker",
    "no_role_user",
]
# The administrator role by itself opens no ärende (issue 13), nor does the organisation.
MAY_OPEN = {"owner", "coordinator", "involved_caseworker"}
MAY_RECORD = {"owner", "involved_caseworker"}


def requests_for(case, consent):
    """(method, url, data, needs_record) for every consent URL of the ärende."""
    return [
        ("get", url("list", case), None, False),
        ("get", url("document", case, consent), None, False),
        ("get", url("create", case), None, True),
        ("post", url("create", case), {}, True),
        ("get", url("revoke", case, consent), None, True),
        ("post", url("revoke", case, consent), {"reason": ""}, True),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_consent_url_for_every_role(request, client, case, consent_with_document, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for method, address, data, needs_record in requests_for(case, consent_with_document):
        response = (
            getattr(client, method)(address, data)
            if data is not None
            else getattr(client, method)(address)
        )
        label = (role, method, address)
        if role not in MAY_OPEN:
            assert response.status_code == 404, label
            assert_name_absent(response)
        elif needs_record and role not in MAY_RECORD:
            assert response.status_code == 403, label
            assert_name_absent(response)
        else:
            # A page, a file, or 400 for the empty forms above.
            assert response.status_code in (200, 400), label
    consent_with_document.refresh_from_db()
    assert not consent_with_document.is_revoked
    assert Consent.objects.count() == 1
    if role not in MAY_OPEN:
        assert not case.events.exists()


def test_coordinator_of_the_area_reads_but_may_not_record_or_revoke(
    client_for, coordinator, case, kommun
):
    consent = ConsentFactory(case=case, organisations=[kommun])
    client = client_for(coordinator)
    assert client.get(url("list", case)).status_code == 200
    assert client.post(url("create", case), valid_data(kommun)).status_code == 403
    assert client.post(url("revoke", case, consent), {"reason": "Nej"}).status_code == 403
    assert Consent.objects.count() == 1
    consent.refresh_from_db()
    assert not consent.is_revoked
    content = client.get(url("list", case)).content.decode()
    assert url("create", case) not in content
    assert url("revoke", case, consent) not in content


def test_staff_of_a_newly_involved_organisation_may_open_once_they_take_part(
    client_for, case, kommun, owner
):
    from meetings.models import Participant
    from meetings.services.invitations import add_participant

    newcomer_org = OrganisationFactory(name="Arbetsförmedlingen")
    newcomer = UserFactory(username="ny", organisation=newcomer_org)
    client = client_for(newcomer)
    assert client.get(url("list", case)).status_code == 404
    case.involved_organisations.add(newcomer_org)
    assert client.get(url("list", case)).status_code == 404
    add_participant(
        meeting=case.meetings.get(),
        user=owner,
        participant=Participant(
            kind="staff", user=newcomer, organisation=newcomer_org, name=str(newcomer)
        ),
    )
    assert client.get(url("list", case)).status_code == 200


@pytest.mark.parametrize("role", sorted(set(ROLES) - MAY_OPEN))
def test_uninvolved_get_404_not_405_on_any_method(
    request, client, case, consent_with_document, role
):
    client.force_login(request.getfixturevalue(role))
    for address in (
        url("list", case),
        url("document", case, consent_with_document),
        reverse("consent:list", kwargs={"case_pk": case.pk + 1000}),
    ):
        for method in (client.post, client.put, client.delete):
            response = method(address)
            assert response.status_code == 404, (address, method)
            assert_name_absent(response)


def test_anonymous_is_sent_to_login_everywhere(client, case, consent_with_document):
    for method, address, data, _needs_record in requests_for(case, consent_with_document):
        response = getattr(client, method)(address, data or {})
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("login"))
    assert not case.events.exists()


# --- the summary on the ärende page -------------------------------------------------------------


def render_summary(case, consents, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "consent/_summary.html", {"case": case, "consents": consents, "user": user}, request
    )


def test_summary_shows_only_current_consents(owner, case, kommun, fk):
    ConsentFactory(case=case, organisations=[kommun], restrictions="Inte om skulder.")
    revoked = ConsentFactory(case=case, organisations=[fk], restrictions="Återkallad rad.")
    services.revoke_consent(consent=revoked, user=owner, reason="Ångrade sig.")
    ConsentFactory(
        case=case,
        organisations=[fk],
        given_on=today() - timedelta(days=100),
        valid_until=today() - timedelta(days=1),
        restrictions="Utgången rad.",
    )
    consents = case.consents.prefetch_related("organisations")
    for given in (consents, list(consents)):
        html = render_summary(case, given, owner)
        assert "Inte om skulder." in html
        assert "Sävsjö kommun" in html
        assert "Återkallad rad." not in html and "Utgången rad." not in html
        assert "inget gällande samtycke" not in html
        assert url("list", case) in html
        assert url("create", case) in html


def test_summary_says_when_nothing_counts(coordinator, case, kommun):
    ConsentFactory(
        case=case,
        organisations=[kommun],
        given_on=today() - timedelta(days=100),
        valid_until=today() - timedelta(days=1),
    )
    for consents in ([], case.consents.all()):
        html = render_summary(case, consents, coordinator)
        assert "Det finns inget gällande samtycke." in html
        # A coordinator may read but not record.
        assert url("create", case) not in html
        assert url("list", case) in html


def test_case_page_includes_the_summary(client_for, owner, case, kommun):
    ConsentFactory(case=case, organisations=[kommun], restrictions="Inte om skulder.")
    response = client_for(owner).get(case.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Inte om skulder." in content
    assert url("list", case) in content


# --- admin --------------------------------------------------------------------------------------


def test_admin_lists_ids_and_never_the_individual(client, case, kommun):
    ConsentFactory(case=case, organisations=[kommun])
    client.force_login(UserFactory(username="super", is_staff=True, is_superuser=True))
    changelist = reverse("admin:consent_consent_changelist")
    for query in ("", f"?q={case.pk}", "?q=abc", "?q=Signe"):
        response = client.get(changelist + query)
        assert response.status_code == 200, query
        content = response.content.decode()
        assert LAST not in content
        assert case.personnummer not in content
