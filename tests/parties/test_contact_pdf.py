""" "Kontaktlista Samverk <område>" as a PDF: content, access, cache, query count. The
download serves the last PDF the worker built (issue 20): the tests that download run the
real database worker (`db_worker --batch`) where the worker would have run."""

import io
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from common.pdf import _url_fetcher
from parties.services import documents
from parties.services.documents import contact_list_pdf, render_contact_list_pdf
from tests.factories import ContactPersonFactory, OrganisationFactory, UnitFactory


def pdf_pages(pdf: bytes) -> list[str]:
    # Long e-mail addresses are printed wrapped before the @: join them back.
    return [page.extract_text().replace("\n@", "@") for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def pdf_url(area):
    return reverse("parties:contact_list_pdf", args=[area.slug])


@pytest.fixture
def download(run_worker):
    """GET the PDF as the reader would once the worker has caught up."""

    def get(client, area):
        client.get(pdf_url(area))  # the first visit asks for the first build
        run_worker()
        return client.get(pdf_url(area))

    return get


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(area, other_area):
    area.contacts_confirmed_on = date(2026, 3, 4)
    area.save()
    af = OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen")
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    ame = UnitFactory(
        organisation=kommun,
        name="Arbetsmarknadsenheten",
        area=area,
        way_in="Ring Arbetsmarknadsenheten direkt",
    )
    return {
        "anna": ContactPersonFactory(
            area=area,
            organisation=af,
            name="Anna Ekström",
            title="Arbetsförmedlare",
            email="anna.ekstrom@af.example.se",
            phone="010-486 00 00",
            is_samverk_contact=True,
            last_confirmed_on=date(2026, 10, 1),
        ),
        "erik": ContactPersonFactory(
            area=area, organisation=kommun, unit=ame, name="Erik Lindqvist", phone="0382-15000"
        ),
        "gone": ContactPersonFactory(
            area=area, organisation=kommun, name="Greta Slutat", is_active=False
        ),
        "elsewhere": ContactPersonFactory(area=other_area, organisation=af, name="Tora Tranås"),
    }


def test_pdf_lists_the_areas_active_contacts_by_party(area, people):
    text = pdf_text(render_contact_list_pdf(area))
    assert "Kontaktlista Samverk Sävsjö" in text
    assert "4 mars 2026" in text
    assert f"Utskriven {date_format(timezone.localdate(), 'j F Y')}" in text
    assert "Arbetsförmedlingen" in text and "Sävsjö kommun" in text
    assert "Anna Ekström" in text and "Erik Lindqvist" in text
    assert "Arbetsförmedlare" in text
    assert "anna.ekstrom@af.example.se" in text
    assert "010-486 00 00" in text and "0382-15000" in text
    assert "Arbetsmarknadsenheten" in text
    assert "Ring Arbetsmarknadsenheten direkt" in text  # the unit's "vägen in"
    assert "Samverk-kontakt" in text
    assert "2026-10-01" in text  # Anna's own confirmation
    assert "Greta Slutat" not in text
    assert "Tora Tranås" not in text


def test_party_headings_come_before_their_people(area, people):
    text = pdf_text(render_contact_list_pdf(area))
    assert text.index("Arbetsförmedlingen") < text.index("Anna Ekström")
    assert text.index("Anna Ekström") < text.index("Sävsjö kommun") < text.index("Erik Lindqvist")


def test_pdf_says_when_the_list_was_never_confirmed(area, people):
    area.contacts_confirmed_on = None
    area.save()
    text = pdf_text(render_contact_list_pdf(area))
    assert "aldrig bekräftad" in text
    assert "Listan kan vara inaktuell" in text


@pytest.mark.django_db(transaction=True)
def test_caseworker_gets_the_pdf_inline(client_for, caseworker, area, people, download):
    response = download(client_for(caseworker), area)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="kontaktlista-savsjo.pdf"'
    assert "Anna Ekström" in pdf_text(response.content)


def test_logged_out_visitor_is_sent_to_login(client, area):
    response = client.get(pdf_url(area))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_role_is_refused(client_for, no_role_user, area):
    assert client_for(no_role_user).get(pdf_url(area)).status_code == 403


def test_unknown_area_is_404(client_for, caseworker, db):
    url = reverse("parties:contact_list_pdf", args=["finns-inte"])
    assert client_for(caseworker).get(url).status_code == 404


def test_cached_pdf_is_reused_until_something_changes(area, people, monkeypatch):
    renders = []
    real_html_to_pdf = documents.html_to_pdf

    def counting_html_to_pdf(html):
        renders.append(html)
        return real_html_to_pdf(html)

    monkeypatch.setattr(documents, "html_to_pdf", counting_html_to_pdf)
    first = contact_list_pdf(area)
    assert contact_list_pdf(area) == first
    assert len(renders) == 1

    erik = people["erik"]
    erik.name = "Erik Lindqvist-Berg"
    erik.save()
    assert "Erik Lindqvist-Berg" in pdf_text(contact_list_pdf(area))
    assert len(renders) == 2


@pytest.mark.django_db(transaction=True)
def test_edit_shows_in_the_next_download(client_for, caseworker, area, people, download):
    client = client_for(caseworker)
    assert "Erik Lindqvist" in pdf_text(download(client, area).content)
    erik = people["erik"]
    erik.name = "Erik Nyname"
    erik.save()
    text = pdf_text(download(client, area).content)
    assert "Erik Nyname" in text and "Erik Lindqvist" not in text


@pytest.mark.django_db(transaction=True)
def test_confirming_the_list_gives_a_new_pdf(client_for, coordinator, area, people, download):
    client = client_for(coordinator)
    assert "4 mars 2026" in pdf_text(download(client, area).content)
    client.post(reverse("parties:contact_list_confirm", args=[area.slug]))
    today = timezone.localdate()
    text = pdf_text(download(client, area).content)
    assert "4 mars 2026" not in text
    assert today.strftime("%Y-%m-%d") in text  # every active person is confirmed today


def test_unit_way_in_edit_shows_in_the_next_download(area, people):
    contact_list_pdf(area)
    unit = people["erik"].unit
    unit.way_in = "Boka tid via växeln"
    unit.save()
    assert "Boka tid via växeln" in pdf_text(contact_list_pdf(area))


def make_contacts(area, count):
    parties = [
        OrganisationFactory(name=name, kind=kind)
        for name, kind in [
            ("Arbetsförmedlingen", "arbetsformedlingen"),
            ("Försäkringskassan", "forsakringskassan"),
            ("Sävsjö kommun", "kommun"),
        ]
    ]
    units = [UnitFactory(organisation=party, area=area) for party in parties]
    for i in range(count):
        ContactPersonFactory(area=area, organisation=parties[i % 3], unit=units[i % 3])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("count", [3, 60])
def test_rendering_is_one_query_whatever_the_size(area, count):
    make_contacts(area, count)
    with CaptureQueriesContext(connection) as ctx:
        render_contact_list_pdf(area)
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db(transaction=True)
def test_query_count_does_not_grow_with_the_list(
    client_for, caseworker, area, other_area, download
):
    client = client_for(caseworker)
    make_contacts(other_area, 3)
    make_contacts(area, 60)
    download(client, other_area)
    download(client, area)
    small = count_queries(client, pdf_url(other_area))
    large = count_queries(client, pdf_url(area))
    assert small == large


def test_long_list_spans_pages_without_splitting_rows(area):
    make_contacts(area, 60)
    pages = pdf_pages(render_contact_list_pdf(area))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page
        assert "E-post" in page  # the table header repeats on every page
    contacts = list(area.contact_persons.all())
    for contact in contacts:
        holding = [page for page in pages if contact.email in page]
        assert len(holding) == 1, contact.email
        assert contact.name in holding[0] and contact.phone in holding[0]


@pytest.mark.parametrize(
    "url",
    ["https://example.com/style.css", "http://10.0.0.1/logo.png", "file:///etc/passwd"],
)
def test_pdf_fetches_nothing_from_outside_the_project(url):
    with pytest.raises(ValueError, match="hämtar inget utifrån"):
        _url_fetcher()(url)
