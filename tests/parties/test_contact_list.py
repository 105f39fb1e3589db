"""The coordinator's contact list: search, filters, stale warning, query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.factories import ContactPersonFactory, OrganisationFactory, UnitFactory


def list_url(area, **params):
    from urllib.parse import urlencode

    url = reverse("parties:contact_list", args=[area.slug])
    return f"{url}?{urlencode(params)}" if params else url


@pytest.fixture
def people(area, other_area):
    af = OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen")
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    ame = UnitFactory(organisation=kommun, name="Arbetsmarknadsenheten", area=area)
    return {
        "anna": ContactPersonFactory(
            area=area, organisation=af, name="Anna Ekström", title="Arbetsförmedlare"
        ),
        "erik": ContactPersonFactory(
            area=area, organisation=kommun, unit=ame, name="Erik Lindqvist", phone="0382-15000"
        ),
        "gone": ContactPersonFactory(
            area=area, organisation=kommun, name="Greta Slutat", is_active=False
        ),
        "elsewhere": ContactPersonFactory(area=other_area, organisation=af, name="Tora Tranås"),
        "af": af,
        "kommun": kommun,
        "ame": ame,
    }


def test_list_shows_active_people_of_the_area_only(client_for, caseworker, area, people):
    response = client_for(caseworker).get(list_url(area))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Anna Ekström" in content and "Erik Lindqvist" in content
    assert "Greta Slutat" not in content
    assert "Tora Tranås" not in content


def test_inactive_people_are_shown_when_asked_for(client_for, caseworker, area, people):
    content = client_for(caseworker).get(list_url(area, status="inaktiva")).content.decode()
    assert "Greta Slutat" in content and "Anna Ekström" not in content


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("ekström", "Anna Ekström", "Erik Lindqvist"),
        ("arbetsmarknad", "Erik Lindqvist", "Anna Ekström"),
        ("15000", "Erik Lindqvist", "Anna Ekström"),
        ("anna arbetsförmedlare", "Anna Ekström", "Erik Lindqvist"),
    ],
)
def test_search_matches_name_unit_phone_and_title(
    client_for, caseworker, area, people, query, found, not_found
):
    content = client_for(caseworker).get(list_url(area, q=query)).content.decode()
    assert found in content
    assert not_found not in content


def test_filter_by_party_and_unit(client_for, caseworker, area, people):
    client = client_for(caseworker)
    by_party = client.get(list_url(area, organisation=people["af"].pk)).content.decode()
    assert "Anna Ekström" in by_party and "Erik Lindqvist" not in by_party
    by_unit = client.get(list_url(area, unit=people["ame"].pk)).content.decode()
    assert "Erik Lindqvist" in by_unit and "Anna Ekström" not in by_unit


def test_samverk_contact_filter(client_for, caseworker, area, people):
    people["anna"].is_samverk_contact = True
    people["anna"].save()
    content = client_for(caseworker).get(list_url(area, samverk_contact="on")).content.decode()
    assert "Anna Ekström" in content and "Erik Lindqvist" not in content


def test_a_tampered_filter_value_gives_an_empty_list_not_an_error(
    client_for, caseworker, area, people
):
    response = client_for(caseworker).get(list_url(area, organisation="not-a-number", unit="99999"))
    assert response.status_code == 200
    assert "Anna Ekström" not in response.content.decode()


def test_stale_list_shows_a_warning(client_for, caseworker, area, people):
    area.contacts_confirmed_on = timezone.localdate() - timedelta(days=200)
    area.save()
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert "Listan kan vara inaktuell" in content


def test_recently_confirmed_list_has_no_warning(client_for, caseworker, area, people):
    area.contacts_confirmed_on = timezone.localdate() - timedelta(days=10)
    area.save()
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert "Listan kan vara inaktuell" not in content


def test_never_confirmed_list_shows_a_warning(client_for, caseworker, area, people):
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert "aldrig bekräftats" in content


def test_page_has_exactly_one_h1_and_labelled_filters(client_for, caseworker, area, people):
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert content.count("<h1") == 1
    for field in ("id_q", "id_organisation", "id_unit", "id_status", "id_samverk_contact"):
        assert f'for="{field}"' in content


def test_caseworker_sees_no_edit_buttons(client_for, caseworker, area, people):
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert reverse("parties:contact_create", args=[area.slug]) not in content
    assert "Inaktivera" not in content


def test_coordinator_sees_edit_buttons(client_for, coordinator, area, people):
    content = client_for(coordinator).get(list_url(area)).content.decode()
    assert reverse("parties:contact_create", args=[area.slug]) in content
    assert "Bekräfta att listan är aktuell" in content


def test_query_count_does_not_grow_with_rows(
    client_for, coordinator, area, django_assert_max_num_queries
):
    client = client_for(coordinator)
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    unit = UnitFactory(organisation=kommun, area=area)
    ContactPersonFactory.create_batch(1, area=area, organisation=kommun, unit=unit)
    # The first page after the login stamps the session's clocks (a write), so both measured
    # pages come after it.
    client.get(list_url(area))
    # session, user, area (with the coordinator check), filter choices, the page's rows and
    # their count; one more at most for the user's organisation in the menu.
    with django_assert_max_num_queries(6) as few:
        client.get(list_url(area))
    ContactPersonFactory.create_batch(120, area=area, organisation=kommun, unit=unit)
    with django_assert_max_num_queries(6) as many:
        response = client.get(list_url(area))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_list_is_paginated(client_for, caseworker, area):
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    ContactPersonFactory.create_batch(60, area=area, organisation=kommun)
    client = client_for(caseworker)
    first = client.get(list_url(area)).content.decode()
    assert "Sida 1 av 2" in first
    second = client.get(list_url(area, page=2))
    assert second.status_code == 200
    assert client.get(list_url(area, page=9)).status_code == 404


def test_row_buttons_post_through_one_csrf_form(client_for, coordinator, area, people):
    """Each row's Inaktivera/Aktivera button names the page's one POST form and posts
    active=0/1 to its own person's address."""
    client = client_for(coordinator)
    content = client.get(list_url(area, status="alla")).content.decode()
    assert content.count('id="contact-active-form"') == 1
    assert content.count("csrfmiddlewaretoken") == 3  # logout, confirm list, row buttons
    anna_url = reverse("parties:contact_set_active", args=[area.slug, people["anna"].pk])
    greta_url = reverse("parties:contact_set_active", args=[area.slug, people["gone"].pk])
    assert (
        f'<button type="submit" form="contact-active-form" formaction="{anna_url}"'
        ' name="active" value="0"'
    ) in content
    assert (
        f'<button type="submit" form="contact-active-form" formaction="{greta_url}"'
        ' name="active" value="1"'
    ) in content
    assert 'Inaktivera<span class="visually-hidden"> Anna Ekström</span>' in content
    assert 'Aktivera<span class="visually-hidden"> Greta Slutat</span>' in content
    edit_url = reverse("parties:contact_update", args=[area.slug, people["erik"].pk])
    assert f'href="{edit_url}">Ändra<span class="visually-hidden"> Erik Lindqvist' in content


def test_rows_show_phone_link_badges_and_confirmation_dates(client_for, caseworker, area, people):
    anna, erik = people["anna"], people["erik"]
    anna.is_samverk_contact = True
    anna.last_confirmed_on = timezone.localdate() - timedelta(days=400)
    anna.save()
    erik.last_confirmed_on = timezone.localdate()
    erik.save()
    content = client_for(caseworker).get(list_url(area, status="alla")).content.decode()
    assert '<a href="tel:0382-15000">0382-15000</a>' in content
    assert "Samverk-kontakt</span>" in content and "Inaktiv</span>" in content
    assert content.count('class="table-stale"') == 2  # Anna (old date) and Greta (never)
    assert content.count("Inte bekräftad på 6 månader") == 2
    today = erik.last_confirmed_on
    assert f'<time datetime="{today:%Y-%m-%d}">{date_format(today, "j F Y")}</time>' in content


def test_long_dates_match_the_date_filter():
    from datetime import date

    from common.markup import DateWords

    with translation.override("sv"):
        words = DateWords()
        for month in range(1, 13):
            day = date(2026, month, 2 * month + 1)
            assert words.long_date(day) == date_format(day, "j F Y")
        for offset in range(7):
            day = date(2026, 11, 23 + offset)
            assert words.weekday_date(day) == date_format(day, "l j F Y")


def test_row_values_are_escaped(client_for, coordinator, area, people):
    people["anna"].name = '<b>Anna</b> "A&O"'
    people["anna"].save()
    content = client_for(coordinator).get(list_url(area)).content.decode()
    assert "<b>Anna</b>" not in content
    assert "&lt;b&gt;Anna&lt;/b&gt; &quot;A&amp;O&quot;" in content


def test_count_and_pages_come_with_the_page_query(client_for, caseworker, area):
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    ContactPersonFactory.create_batch(53, area=area, organisation=kommun)
    client = client_for(caseworker)
    second = client.get(list_url(area, page=2)).content.decode()
    assert "Sida 2 av 2" in second and "53 kontaktpersoner" in second
    assert second.count('<th scope="row">') == 3
    last = client.get(list_url(area, page="last")).content.decode()
    assert "Sida 2 av 2" in last
    empty = client.get(list_url(area, q="finns-inte")).content.decode()
    assert "0 kontaktpersoner" in empty and "Inga kontaktpersoner matchar." in empty
    assert client.get(list_url(area, page=3)).status_code == 404


def test_the_empty_row_spans_exactly_the_table_columns(client_for, caseworker, coordinator, area):
    for user, columns in ((caseworker, 7), (coordinator, 8)):
        empty = client_for(user).get(list_url(area, q="finns-inte")).content.decode()
        assert empty.count('<th scope="col">') == columns
        assert f'<td colspan="{columns}">Inga kontaktpersoner matchar.' in empty


def test_filter_form_keeps_the_chosen_values_and_shows_errors(client_for, caseworker, area, people):
    content = (
        client_for(caseworker)
        .get(list_url(area, q="anna", unit=people["ame"].pk, status="alla", samverk_contact="on"))
        .content.decode()
    )
    assert 'name="q" value="anna"' in content
    assert f'<option value="{people["ame"].pk}" selected>Arbetsmarknadsenheten (Sävsjö kommun)' in (
        content
    )
    assert '<option value="alla" selected>' in content
    assert 'name="samverk_contact" checked' in content
    assert f'<option value="{people["af"].pk}">Arbetsförmedlingen</option>' in content
    bad = client_for(caseworker).get(list_url(area, organisation="x")).content.decode()
    assert 'aria-invalid="true" aria-describedby="id_organisation_error"' in bad
    assert 'id="id_organisation_error" class="invalid-feedback"' in bad


def test_unit_choices_are_the_areas_and_the_shared_ones(client_for, caseworker, area, other_area):
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    UnitFactory(organisation=kommun, name="Här", area=area)
    UnitFactory(organisation=kommun, name="Överallt", area=None)
    UnitFactory(organisation=kommun, name="Annanstans", area=other_area)
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert ">Här (Sävsjö kommun)</option>" in content
    assert ">Överallt (Sävsjö kommun)</option>" in content
    assert "Annanstans" not in content
    assert content.count(">Sävsjö kommun</option>") == 1


def test_coordinator_check_comes_with_the_area(
    client_for, area, other_area, django_assert_max_num_queries
):
    """A coordinator (no other role) on their area's list: the area's own query answers both
    permission checks (session, user, area, filter choices, rows; one more at most for the
    user's organisation in the menu)."""
    from tests.factories import UserFactory

    coordinator = UserFactory(username="bara-koordinator", is_caseworker=False)
    coordinator.coordinated_areas.add(area)
    client = client_for(coordinator)
    client.get(list_url(area))
    with django_assert_max_num_queries(6):
        own = client.get(list_url(area)).content.decode()
    assert "Bekräfta att listan är aktuell" in own
    other = client.get(list_url(other_area))
    assert other.status_code == 200  # may read every area's list ...
    assert "Bekräfta att listan är aktuell" not in other.content.decode()  # ... edit only their own
    assert (
        client.post(reverse("parties:contact_list_confirm", args=[other_area.slug])).status_code
        == 403
    )


@pytest.mark.parametrize(
    "page", ["99999999999999999999", "9223372036854775807", "0", "-1", "1e309", "x", "\x00"]
)
def test_a_page_number_out_of_range_is_a_404_not_a_500(client_for, caseworker, area, people, page):
    client = client_for(caseworker)
    client.raise_request_exception = False
    response = client.get(list_url(area, page=page))
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()
