"""Importing an area's contact list from CSV or XLSX: preview, all-or-nothing saving,
Swedish reasons for every bad row and every bad upload, and who may import."""

import io
from datetime import date, datetime

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parties.models import ContactImport, ContactPerson
from parties.services import transfer
from tests.factories import ContactPersonFactory, OrganisationFactory, UnitFactory

HEADER = list(transfer.COLUMNS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(rows, header=HEADER, delimiter=";", encoding="utf-8-sig"):
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name, content, content_type="text/csv"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def good_row(n, party="Sävsjö kommun", unit="Arbetsmarknadsenheten"):
    return [
        party,
        unit,
        f"Person {n}",
        "Handläggare",
        f"person{n}@example.se",
        "0382-1000",
        "nej",
        "ja",
        "2025-01-15",
    ]


@pytest.fixture
def parties(area):
    kommun = OrganisationFactory(name="Sävsjö kommun")
    af = OrganisationFactory(name="Arbetsförmedlingen")
    return {
        "kommun": kommun,
        "af": af,
        "ame": UnitFactory(organisation=kommun, area=area, name="Arbetsmarknadsenheten"),
        "af_unit": UnitFactory(organisation=af, name="Arbetsförmedlingen Höglandet"),
    }


@pytest.fixture
def urls(area):
    return {
        "import": reverse("parties:contact_import", args=[area.slug]),
        "list": reverse("parties:contact_list", args=[area.slug]),
    }


def send(client, urls, file):
    return client.post(urls["import"], {"file": file})


def preview_url(response):
    assert response.status_code == 302, getattr(response, "content", b"")[:2000]
    return response["Location"]


def confirm(client, url):
    """GET the preview, then POST its confirm form as a browser would."""
    preview = client.get(url)
    assert preview.status_code == 200
    return client.post(url, {"fingerprint": preview.context["plan"].fingerprint})


def snapshot(area):
    return list(
        ContactPerson.objects.filter(area=area)
        .order_by("pk")
        .values_list(
            "pk",
            "organisation_id",
            "unit_id",
            "name",
            "title",
            "email",
            "phone",
            "is_samverk_contact",
            "is_active",
            "last_confirmed_on",
            "created_at",
            "updated_at",
        )
    )


# --- Good files ------------------------------------------------------------------


def test_good_csv_creates_persons(client_for, coordinator, area, parties, urls):
    client = client_for(coordinator)
    rows = [
        good_row(1),
        [
            "arbetsförmedlingen",
            "arbetsförmedlingen höglandet",
            "Anna Ek",
            "",
            "Anna.Ek@af.se",
            "",
            "JA",
            "ja",
            "",
        ],
    ]
    url = preview_url(send(client, urls, upload("lista.csv", csv_bytes(rows))))

    preview = client.get(url)
    assert preview.status_code == 200
    assert preview.context["counts"] == {"create": 2, "update": 0, "unchanged": 0}
    assert "Spara 2 ändringar" in preview.content.decode()
    assert not ContactPerson.objects.exists()  # the preview saves nothing

    response = confirm(client, url)
    assert response.status_code == 302
    assert response["Location"] == urls["list"]
    person = ContactPerson.objects.get(email="person1@example.se")
    assert (person.area, person.organisation) == (area, parties["kommun"])
    assert person.unit == parties["ame"]
    assert person.last_confirmed_on == date(2025, 1, 15)
    assert (person.is_active, person.is_samverk_contact) == (True, False)
    anna = ContactPerson.objects.get(email="Anna.Ek@af.se")
    assert anna.organisation == parties["af"] and anna.unit == parties["af_unit"]
    assert anna.is_samverk_contact and anna.last_confirmed_on is None
    page = client.get(response["Location"]).content.decode()
    assert "Importen är klar: 2 nya, 0 ändrade och 0 oförändrade kontaktpersoner." in page
    assert not ContactImport.objects.exists()


def test_good_xlsx_creates_persons(client_for, coordinator, area, parties, urls):
    client = client_for(coordinator)
    rows = [
        [
            "Sävsjö kommun",
            None,
            "Bo Ström",
            "Chef",
            "bo@savsjo.se",
            "0382-15000",
            True,
            "x",
            datetime(2024, 11, 3),
        ],
        [
            "Arbetsförmedlingen",
            "Arbetsförmedlingen Höglandet",
            "Cia Lund",
            None,
            "cia@af.se",
            None,
            "nej",
            1,
            date(2025, 2, 1),
        ],
    ]
    url = preview_url(send(client, urls, upload("lista.xlsx", xlsx_bytes(rows), XLSX)))
    assert confirm(client, url).status_code == 302
    bo = ContactPerson.objects.get(email="bo@savsjo.se")
    assert bo.unit is None and bo.is_samverk_contact and bo.is_active
    assert bo.last_confirmed_on == date(2024, 11, 3)
    cia = ContactPerson.objects.get(email="cia@af.se")
    assert cia.title == "" and cia.phone == "" and cia.last_confirmed_on == date(2025, 2, 1)


def test_existing_person_is_updated_by_email_case_insensitively(
    client_for, coordinator, area, parties, urls
):
    person = ContactPersonFactory(
        area=area,
        organisation=parties["kommun"],
        unit=parties["ame"],
        name="Person 1",
        title="Handläggare",
        email="PERSON1@example.se",
        phone="0382-1000",
        last_confirmed_on=date(2025, 1, 15),
    )
    client = client_for(coordinator)
    row = good_row(1)
    row[4], row[5] = "person1@example.se", "070-123 45 67"
    url = preview_url(send(client, urls, upload("a.csv", csv_bytes([row]))))
    preview = client.get(url)
    result = preview.context["plan"].rows[0]
    assert result.action == "update"
    assert result.changed_columns == ["E-post", "Telefon"]
    assert "Ändras" in preview.content.decode()
    assert confirm(client, url).status_code == 302
    person.refresh_from_db()
    assert (person.email, person.phone) == ("person1@example.se", "070-123 45 67")
    assert ContactPerson.objects.count() == 1


def test_cp1252_csv_with_comma_delimiter(client_for, coordinator, area, parties, urls):
    client = client_for(coordinator)
    content = csv_bytes(
        [
            [
                "Sävsjö kommun",
                "",
                "Åsa Öberg",
                "Rehabkoordinator",
                "asa@example.se",
                "",
                "nej",
                "ja",
                "2025-03-01",
            ]
        ],
        delimiter=",",
        encoding="cp1252",
    )
    assert "Å".encode("cp1252") in content
    url = preview_url(send(client, urls, upload("lista.csv", content)))
    assert confirm(client, url).status_code == 302
    assert ContactPerson.objects.get().name == "Åsa Öberg"


def test_tab_delimited_text_file_and_optional_columns(client_for, coordinator, area, parties, urls):
    """Only Part, Namn and E-post are required; new people get the model defaults."""
    client = client_for(coordinator)
    content = csv_bytes(
        [["Sävsjö kommun", "Dan Berg", "dan@example.se"]],
        header=["Part", "Namn", "E-post"],
        delimiter="\t",
    )
    url = preview_url(send(client, urls, upload("lista.txt", content)))
    assert confirm(client, url).status_code == 302
    dan = ContactPerson.objects.get()
    assert dan.is_active and not dan.is_samverk_contact and dan.unit is None


# --- Bad rows ------------------------------------------------------------------


BAD_ROWS = [
    ("missing name", {2: ""}, "Namn saknas."),
    ("missing e-mail", {4: ""}, "E-post saknas."),
    ("invalid e-mail", {4: "inte-en-adress"}, "Ogiltig e-postadress: ”inte-en-adress”."),
    ("unknown party", {0: "Okända bolaget"}, "Okänd part: ”Okända bolaget”."),
    ("unknown unit", {1: "Fel enhet"}, "Okänd enhet för Sävsjö kommun: ”Fel enhet”."),
    (
        "unit of other party",
        {1: "Arbetsförmedlingen Höglandet"},
        "Okänd enhet för Sävsjö kommun: ”Arbetsförmedlingen Höglandet”.",
    ),
    ("bad boolean", {7: "kanske"}, "Ogiltigt värde i ”Aktiv”: ”kanske”. Skriv ja eller nej."),
    (
        "bad date",
        {8: "15/1 2025"},
        "Ogiltigt datum i ”Senast bekräftad”: ”15/1 2025”. Skriv datumet som ÅÅÅÅ-MM-DD.",
    ),
    ("impossible date", {8: "2025-02-30"}, "Ogiltigt datum i ”Senast bekräftad”"),
    ("too long name", {2: "N" * 151}, "Namn är för lång (högst 150 tecken)."),
    ("too long phone", {5: "1" * 41}, "Telefon är för lång (högst 40 tecken)."),
    ("duplicate e-mail", {4: "PERSON1@example.se"}, "Samma e-post som rad 2."),
]


@pytest.mark.parametrize(
    ("change", "message"), [case[1:] for case in BAD_ROWS], ids=[case[0] for case in BAD_ROWS]
)
def test_bad_row_is_shown_with_reason_and_nothing_is_saved(
    client_for, coordinator, area, parties, urls, change, message
):
    client = client_for(coordinator)
    bad = good_row(2)
    for index, value in change.items():
        bad[index] = value
    url = preview_url(send(client, urls, upload("a.csv", csv_bytes([good_row(1), bad]))))

    preview = client.get(url)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert message in page
    assert "Filen innehåller fel. Inget har sparats. Rätta raderna och ladda upp filen igen." in (
        page
    )
    assert 'name="fingerprint"' not in page  # no confirm button
    [result] = preview.context["plan"].error_rows
    assert result.row == 3

    response = client.post(url, {"fingerprint": preview.context["plan"].fingerprint})
    assert response.status_code == 400
    assert not ContactPerson.objects.exists()


def test_five_good_rows_and_one_bad_save_nothing(client_for, coordinator, area, parties, urls):
    client = client_for(coordinator)
    rows = [good_row(n) for n in range(1, 6)] + [good_row(6, party="Ingen sådan part")]
    url = preview_url(send(client, urls, upload("a.csv", csv_bytes(rows))))
    preview = client.get(url)
    assert preview.context["counts"]["create"] == 6
    assert len(preview.context["plan"].error_rows) == 1

    response = client.post(url, {"fingerprint": preview.context["plan"].fingerprint})
    assert response.status_code == 400
    assert "Filen innehåller fel. Inget har sparats." in response.content.decode()
    assert not ContactPerson.objects.exists()


def test_apply_plan_refuses_a_plan_with_errors(area, parties, coordinator):
    rows = transfer.read_table(csv_bytes([good_row(1), good_row(2, party="Okänd")]))
    plan = transfer.validate_rows(area, rows)
    with pytest.raises(ValidationError) as error:
        transfer.apply_plan(area, plan, coordinator)
    assert error.value.code == "invalid"
    assert not ContactPerson.objects.exists()


# --- The list changes between preview and saving ----------------------------------


def test_apply_plan_rechecks_the_database(area, parties, coordinator):
    plan = transfer.validate_rows(area, transfer.read_table(csv_bytes([good_row(1), good_row(2)])))
    assert plan.counts["create"] == 2
    # Someone adds one of the file's people by hand before the import is saved.
    ContactPersonFactory(area=area, organisation=parties["af"], email="Person2@example.se")

    with pytest.raises(ValidationError) as error:
        transfer.apply_plan(area, plan, coordinator)
    assert error.value.code == "changed"
    assert list(ContactPerson.objects.values_list("email", flat=True)) == ["Person2@example.se"]


def test_duplicate_created_after_preview_is_refused(client_for, coordinator, area, parties, urls):
    client = client_for(coordinator)
    rows = [good_row(n) for n in range(1, 4)]
    url = preview_url(send(client, urls, upload("a.csv", csv_bytes(rows))))
    fingerprint = client.get(url).context["plan"].fingerprint
    ContactPersonFactory(area=area, organisation=parties["af"], email="person3@example.se")

    response = client.post(url, {"fingerprint": fingerprint})
    assert response.status_code == 409
    assert "Kontaktlistan har ändrats sedan du granskade filen. Inget har sparats." in (
        response.content.decode()
    )
    assert ContactPerson.objects.count() == 1
    # The page now shows the current picture and lets the coordinator confirm that.
    assert response.context["plan"].counts == {"create": 2, "update": 1, "unchanged": 0}


def test_confirm_without_fingerprint_saves_nothing(client_for, coordinator, parties, urls):
    client = client_for(coordinator)
    url = preview_url(send(client, urls, upload("a.csv", csv_bytes([good_row(1)]))))
    assert client.post(url).status_code == 409
    assert not ContactPerson.objects.exists()


def test_insert_racing_past_the_check_is_refused(monkeypatch, area, parties, coordinator):
    """A concurrent insert that slips past the check hits the unique constraint."""
    plan = transfer.validate_rows(area, transfer.read_table(csv_bytes([good_row(1)])))

    class RaceLookups(transfer._Lookups):
        def __init__(self, area):
            super().__init__(area)
            self.contact_by_email = {}  # as if read just before the other insert

    ContactPersonFactory(area=area, organisation=parties["af"], email="person1@example.se")
    monkeypatch.setattr(transfer, "_Lookups", RaceLookups)
    with pytest.raises(ValidationError) as error:
        transfer.apply_plan(area, plan, coordinator)
    assert error.value.code == "changed"
    assert ContactPerson.objects.count() == 1


# --- Round trip -------------------------------------------------------------------


@pytest.fixture
def full_list(area, other_area, parties):
    ContactPersonFactory(
        area=area,
        organisation=parties["kommun"],
        unit=parties["ame"],
        name="Erik Lindqvist",
        is_samverk_contact=True,
        last_confirmed_on=date(2025, 4, 1),
    )
    ContactPersonFactory(
        area=area,
        organisation=parties["af"],
        unit=None,
        name="Åsa Ek",
        title="",
        phone="+46 70 123 45 67",
        is_active=False,
    )
    ContactPersonFactory(
        area=area,
        organisation=parties["af"],
        unit=parties["af_unit"],
        name='=HYPERLINK("http://x")',
        title="-chef",
        email="Mixed.Case@AF.se",
    )
    ContactPersonFactory(area=other_area, organisation=parties["af"], name="Annan")


@pytest.mark.parametrize(("file_format", "content_type"), [("csv", "text/csv"), ("xlsx", XLSX)])
def test_round_trip_changes_nothing(
    client_for, coordinator, area, full_list, urls, file_format, content_type
):
    client = client_for(coordinator)
    before = snapshot(area)
    exported = client.get(reverse("parties:contact_export", args=[area.slug, file_format]))
    assert exported.status_code == 200
    name = f"kontaktlista.{file_format}"
    url = preview_url(send(client, urls, upload(name, exported.content, content_type)))

    preview = client.get(url)
    plan = preview.context["plan"]
    assert not plan.has_errors, [r.errors for r in plan.rows]
    assert [r.action for r in plan.rows] == ["unchanged"] * 3
    assert "Filen innehåller inga ändringar" in preview.content.decode()

    response = client.post(url, {"fingerprint": plan.fingerprint})
    assert response.status_code == 302
    assert snapshot(area) == before


# --- Bad uploads -----------------------------------------------------------------


def png_bytes():
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"


BAD_UPLOADS = [
    ("empty form", None, "Välj en fil att ladda upp."),
    ("empty file", ("tom.csv", b""), "Filen är tom."),
    ("garbage named xlsx", ("lista.xlsx", bytes(range(256)) * 40), "Filen går inte att läsa."),
    (
        "text named xlsx",
        ("lista.xlsx", b"Hej, det har ar ingen tabell.\n"),
        "saknas i första raden",
    ),
    (
        "broken zip named xlsx",
        ("lista.xlsx", b"PK\x03\x04" + b"\x00" * 100),
        "Filen går inte att läsa.",
    ),
    ("zip that is not a workbook", ("lista.xlsx", None), "Filen går inte att läsa."),
    ("png", ("bild.png", png_bytes()), "Filen måste vara en CSV-fil (.csv, .txt)"),
    ("png named csv", ("bild.csv", png_bytes()), "Filen går inte att läsa."),
    ("non-utf8 garbage", ("lista.csv", b"\x81\x8d\x8f\x90\x9d" * 50), "Filen går inte att läsa."),
    ("10 MB", ("stor.csv", b"a;" * (5 * 1024 * 1024)), "Filen är för stor (högst 5 MB)."),
    (
        "header only",
        ("lista.csv", csv_bytes([])),
        "Filen innehåller inga kontaktpersoner, bara rubrikraden.",
    ),
    (
        "wrong headers",
        ("lista.csv", csv_bytes([["a", "b", "c"]], header=["Name", "Org", "Mail"])),
        "Kolumnerna ”Part”, ”Namn”, ”E-post” saknas i första raden.",
    ),
    (
        "one header missing",
        ("lista.csv", csv_bytes([["a", "b"]], header=["Part", "Namn"])),
        "Kolumnen ”E-post” saknas i första raden.",
    ),
    (
        "duplicate header",
        ("lista.csv", csv_bytes([["a", "b", "c", "d"]], header=["Part", "Namn", "E-post", "namn"])),
        "Kolumnen ”Namn” finns två gånger i första raden.",
    ),
    (
        "header only xlsx",
        ("lista.xlsx", xlsx_bytes([])),
        "Filen innehåller inga kontaktpersoner, bara rubrikraden.",
    ),
]


def zip_bytes():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hej.txt", "inte en arbetsbok")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("file", "message"), [case[1:] for case in BAD_UPLOADS], ids=[case[0] for case in BAD_UPLOADS]
)
def test_bad_upload_gives_400_and_a_swedish_message(
    client_for, coordinator, parties, urls, file, message
):
    client = client_for(coordinator)
    if file is None:
        data = {}
    else:
        name, content = file
        data = {"file": upload(name, zip_bytes() if content is None else content)}
    response = client.post(urls["import"], data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Filen kunde inte läsas in. Inget har sparats." in page
    assert response.context["form"].errors["file"]
    assert not ContactPerson.objects.exists()
    assert not ContactImport.objects.exists()


def test_wrong_content_type_gives_400(client_for, coordinator, urls):
    response = client_for(coordinator).post(
        urls["import"], data='{"file": "x"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "Välj en fil att ladda upp." in response.content.decode()


def test_too_many_rows(monkeypatch, area, parties):
    monkeypatch.setattr(transfer, "MAX_ROWS", 3)
    with pytest.raises(ValidationError) as error:
        transfer.read_table(csv_bytes([good_row(n) for n in range(4)]))
    assert "Filen har för många rader (högst 3)." in error.value.messages


def test_blank_rows_are_skipped_and_row_numbers_follow_the_sheet(area, parties):
    content = b"\r\n" + csv_bytes([good_row(1), ["", "", "", "", "", "", "", "", ""], good_row(2)])
    rows = transfer.read_table(content)
    assert [row[transfer.ROW_KEY] for row in rows] == [3, 5]
    plan = transfer.validate_rows(area, rows)
    assert [result.row for result in plan.rows] == [3, 5]


def test_upload_form_page(client_for, coordinator, urls):
    response = client_for(coordinator).get(urls["import"])
    page = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page
    assert "Fil (CSV eller Excel)" in page
    assert ", ".join(transfer.COLUMNS) in page
    assert page.count("<h1") == 1


# --- Who may import -----------------------------------------------------------------


def test_caseworker_may_not_import(client_for, caseworker, coordinator, parties, urls, client):
    client_for(coordinator)
    url = preview_url(send(client, urls, upload("a.csv", csv_bytes([good_row(1)]))))
    preview = client.get(url)

    client.force_login(caseworker)
    assert client.get(urls["import"]).status_code == 403
    assert send(client, urls, upload("a.csv", csv_bytes([good_row(1)]))).status_code == 403
    assert client.get(url).status_code == 403
    assert client.post(url, {"fingerprint": preview.context["plan"].fingerprint}).status_code == 403
    assert not ContactPerson.objects.exists()


def test_coordinator_of_other_area_may_not_import(client_for, coordinator, other_area):
    client = client_for(coordinator)
    assert client.get(reverse("parties:contact_import", args=[other_area.slug])).status_code == 403


def test_administrator_may_import(client_for, administrator, parties, urls):
    client = client_for(administrator)
    url = preview_url(send(client, urls, upload("a.csv", csv_bytes([good_row(1)]))))
    assert confirm(client, url).status_code == 302
    assert ContactPerson.objects.count() == 1


def test_unknown_or_other_areas_token_is_404(
    client_for, administrator, area, other_area, parties, urls
):
    client = client_for(administrator)
    assert (
        client.get(
            reverse("parties:contact_import_preview", args=[area.slug, "okand-token"])
        ).status_code
        == 404
    )
    url = preview_url(send(client, urls, upload("a.csv", csv_bytes([good_row(1)]))))
    token = url.rstrip("/").rsplit("/", 1)[-1]
    other = reverse("parties:contact_import_preview", args=[other_area.slug, token])
    assert client.get(other).status_code == 404
    assert client.post(other).status_code == 404


def test_a_new_upload_replaces_the_pending_one(client_for, coordinator, parties, urls):
    client = client_for(coordinator)
    first = preview_url(send(client, urls, upload("a.csv", csv_bytes([good_row(1)]))))
    second = preview_url(send(client, urls, upload("b.csv", csv_bytes([good_row(2)]))))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


# --- Query count ---------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 200])
def test_validate_rows_query_count_does_not_grow(
    django_assert_max_num_queries, area, parties, count
):
    for n in range(0, count, 2):  # half the rows match existing people
        ContactPersonFactory(
            area=area, organisation=parties["kommun"], email=f"person{n}@example.se"
        )
    rows = transfer.read_table(csv_bytes([good_row(n) for n in range(count)]))
    with django_assert_max_num_queries(3):
        plan = transfer.validate_rows(area, rows)
    assert plan.counts["create"] == count // 2
    assert plan.counts["update"] == count // 2


def test_pending_import_belongs_to_its_uploader(client, coordinator, administrator, parties, urls):
    """Another coordinator cannot open or confirm someone else's pending upload."""
    client.force_login(coordinator)
    preview = preview_url(send(client, urls, upload("lista.csv", csv_bytes([good_row(1)]))))
    client.force_login(administrator)
    other = client
    assert other.get(preview).status_code == 404
    assert other.post(preview, {"fingerprint": "x"}).status_code == 404
    assert ContactImport.objects.count() == 1


def test_blank_aktiv_cell_means_active(client_for, coordinator, parties, urls):
    client = client_for(coordinator)
    row = good_row(1)
    row[HEADER.index("Aktiv")] = ""
    confirm(client, preview_url(send(client, urls, upload("lista.csv", csv_bytes([row])))))
    assert ContactPerson.objects.get().is_active
