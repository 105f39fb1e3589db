"""Exporting an area's contact list as CSV and XLSX."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from parties.services import transfer
from tests.factories import ContactPersonFactory, OrganisationFactory, UnitFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def contacts(area, other_area):
    kommun = OrganisationFactory(name="Sävsjö kommun")
    af = OrganisationFactory(name="Arbetsförmedlingen")
    ame = UnitFactory(organisation=kommun, area=area, name="Arbetsmarknadsenheten")
    ContactPersonFactory(
        area=area,
        organisation=kommun,
        unit=ame,
        name="Öberg, Åsa",
        email="asa@savsjo.se",
        phone="0382-15000",
        title="Handläggare",
        is_samverk_contact=True,
        last_confirmed_on=date(2025, 3, 1),
    )
    ContactPersonFactory(
        area=area,
        organisation=af,
        name="Bo Ström",
        email="bo@af.se",
        phone="+46 10 486 00 00",
        title="",
        is_active=False,
    )
    ContactPersonFactory(area=area, organisation=af, name="Anna Ek", email="anna@af.se")
    ContactPersonFactory(area=other_area, organisation=af, name="Tranåsbo", email="t@af.se")


def url(area, file_format):
    return reverse("parties:contact_export", args=[area.slug, file_format])


def test_export_rows_lists_every_person_of_the_area_in_order(
    area, contacts, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = transfer.export_rows(area)
    assert [row[2] for row in rows] == ["Anna Ek", "Bo Ström", "Öberg, Åsa"]
    assert rows[1][6:] == ["nej", "nej", None]  # inactive people are exported too
    assert rows[2] == [
        "Sävsjö kommun",
        "Arbetsmarknadsenheten",
        "Öberg, Åsa",
        "Handläggare",
        "asa@savsjo.se",
        "0382-15000",
        "ja",
        "ja",
        date(2025, 3, 1),
    ]


def test_csv_export(client_for, caseworker, area, contacts):
    response = client_for(caseworker).get(url(area, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="kontaktlista-savsjo-{today}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Part;Enhet;Namn;Titel;E-post;Telefon;Samverk-kontakt;Aktiv;Senast bekräftad"
    phone = lines[1].split(";")[5]
    assert lines[1] == f"Arbetsförmedlingen;;Anna Ek;Handläggare;anna@af.se;{phone};nej;ja;"
    # A phone number starting with "+" is kept from being run as a formula.
    assert lines[2] == "Arbetsförmedlingen;;Bo Ström;;bo@af.se;'+46 10 486 00 00;nej;nej;"
    assert lines[3] == (
        "Sävsjö kommun;Arbetsmarknadsenheten;Öberg, Åsa;Handläggare;asa@savsjo.se;0382-15000;"
        "ja;ja;2025-03-01"
    )
    assert "Tranåsbo" not in response.content.decode("utf-8-sig")


def test_xlsx_export(client_for, caseworker, area, contacts):
    response = client_for(caseworker).get(url(area, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="kontaktlista-savsjo-{today}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(transfer.COLUMNS)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width > 10
    assert [row[2] for row in rows[1:]] == ["Anna Ek", "Bo Ström", "Öberg, Åsa"]
    assert rows[2][5] == "+46 10 486 00 00"
    assert rows[3][8].date() == date(2025, 3, 1)


def test_xlsx_export_keeps_formula_like_text_as_text(area):
    ContactPersonFactory(area=area, name="=1+1", email="f@example.se")
    sheet = openpyxl.load_workbook(io.BytesIO(transfer.export_xlsx(area))).active
    assert sheet["C2"].value == "=1+1"
    assert sheet["C2"].data_type == "s"


def test_empty_list_exports_the_header(client_for, caseworker, area):
    response = client_for(caseworker).get(url(area, "csv"))
    assert response.content.decode("utf-8-sig").strip() == ";".join(transfer.COLUMNS)


@pytest.mark.parametrize("role", ["caseworker", "coordinator", "administrator"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_staff_role_may_export(request, client_for, area, contacts, role, file_format):
    response = client_for(request.getfixturevalue(role)).get(url(area, file_format))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_user_without_role_may_not_export(client_for, no_role_user, area):
    assert client_for(no_role_user).get(url(area, "csv")).status_code == 403


def test_anonymous_user_is_sent_to_login(client, area):
    response = client.get(url(area, "csv"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("file_format", ["pdf", "xls", "CSV"])
def test_unknown_format_is_404(client_for, caseworker, area, file_format):
    assert client_for(caseworker).get(url(area, file_format)).status_code == 404


def test_unknown_area_is_404(client_for, caseworker):
    assert (
        client_for(caseworker)
        .get(reverse("parties:contact_export", args=["finns-inte", "csv"]))
        .status_code
        == 404
    )
