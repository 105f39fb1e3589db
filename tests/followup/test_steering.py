"""The styrgrupp reads the area's statistics and the avvikelser's compilation with the
published summary; the coordinator writes and publishes the summary; the menu's link."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import DeviationSummary
from followup.services.deviations import report_deviation

pytestmark = pytest.mark.django_db


@pytest.fixture
def deviation(area, caseworker, parties):
    return report_deviation(
        user=caseworker,
        area=area,
        occurred_on=date(2026, 2, 1),
        category="information",
        what_happened="Hemlig text om händelsen",
        consequence="Fick vänta",
        parties=parties,
    )


COMPILATION = "followup:deviation_compilation"


def compilation_url(area):
    return reverse(COMPILATION, args=[area.slug])


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("followup:statistics", {}),
        ("followup:statistics_export", {"file_format": "xlsx"}),
        ("followup:annual_report", {"year": 2026}),
        (COMPILATION, {}),
    ],
)
def test_a_styrgrupp_member_reads_the_areas_statistics(
    client_for, steering_member, area, other_area, deviation, name, kwargs
):
    client = client_for(steering_member)
    response = client.get(reverse(name, kwargs={"area_slug": area.slug, **kwargs}), {"ar": 2026})
    assert response.status_code == 200
    assert "Hemlig text" not in response.content.decode(errors="replace")
    other = client.get(reverse(name, kwargs={"area_slug": other_area.slug, **kwargs}))
    assert other.status_code == 403


def test_a_member_who_left_or_of_another_group_reads_nothing(
    client_for, steering_member, area, deviation
):
    from groups.enums import GroupKind
    from groups.models import GroupMember

    member = GroupMember.objects.get(user=steering_member)
    member.left_on = timezone.localdate() - timedelta(days=1)
    member.save()
    client = client_for(steering_member)
    assert client.get(reverse("followup:statistics", args=[area.slug])).status_code == 403
    member.left_on = None
    member.save()
    member.group.kind = GroupKind.WORKING
    member.group.save()
    assert client.get(reverse("followup:statistics", args=[area.slug])).status_code == 403


def test_the_styrgrupp_neither_handles_nor_writes_the_summary(
    client_for, steering_member, area, deviation
):
    client = client_for(steering_member)
    assert client.get(reverse("followup:deviation_detail", args=[deviation.pk])).status_code == 403
    assert client.get(reverse("followup:deviation_list", args=[area.slug])).status_code == 403
    response = client.post(
        compilation_url(area), {"ar": "2026", "text": "Min text", "publish": "on"}
    )
    assert response.status_code == 403
    assert not DeviationSummary.objects.exists()
    page = client.get(compilation_url(area), {"ar": "2026"}).content.decode()
    assert "Spara sammanfattningen" not in page


def test_the_summary_is_seen_only_once_published(
    client_for, coordinator, steering_member, area, deviation
):
    def coordinator_client():
        return client_for(coordinator)

    def member():
        return client_for(steering_member)

    text = "Informationen mellan parterna brast i vintras; rutinen ses över."
    draft = {"ar": "2026", "text": text}
    response = coordinator_client().post(compilation_url(area), draft)
    assert response.status_code == 302
    coordinator_client().post(compilation_url(area), draft)  # twice: still one
    summary = DeviationSummary.objects.get()
    assert summary.published_at is None
    assert (summary.period_start, summary.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    statistics = reverse("followup:statistics", args=[area.slug])
    assert text not in member().get(compilation_url(area), {"ar": "2026"}).content.decode()
    assert text not in member().get(statistics, {"ar": "2026"}).content.decode()

    coordinator_client().post(compilation_url(area), {**draft, "publish": "on"})
    summary.refresh_from_db()
    published_at = summary.published_at
    assert published_at is not None
    coordinator_client().post(compilation_url(area), {**draft, "publish": "on"})
    summary.refresh_from_db()
    assert summary.published_at == published_at  # a second click changes nothing
    assert text in member().get(compilation_url(area), {"ar": "2026"}).content.decode()
    assert text in member().get(statistics, {"ar": "2026"}).content.decode()
    # The year's page shows the first half-year's summary too; a month's page not the year's.
    assert text not in member().get(statistics, {"ar": "2026", "manad": "3"}).content.decode()

    coordinator_client().post(compilation_url(area), {"ar": "2026", "text": ""})
    assert not DeviationSummary.objects.exists()


def test_the_summary_refuses_a_personnummer_and_asks_about_names(client_for, coordinator, area):
    client = client_for(coordinator)
    refused = client.post(compilation_url(area), {"ar": "2026", "text": "Gäller 19121212-1212."})
    assert refused.status_code == 400
    named = client.post(compilation_url(area), {"ar": "2026", "text": "Anna Svensson fick vänta."})
    assert named.status_code == 400 and "ser ut att innehålla ett namn" in named.content.decode()
    assert not DeviationSummary.objects.exists()
    bad = client.post(compilation_url(area), {"ar": "tjugo", "text": "Text"})
    assert bad.status_code == 400


def test_the_annual_report_carries_the_published_summary(client_for, coordinator, area, deviation):
    import io

    from pypdf import PdfReader

    DeviationSummary.objects.create(
        area=area,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        text="Halvårets avvikelser gällde informationsflödet.",
        published_at=timezone.now(),
    )
    DeviationSummary.objects.create(
        area=area,
        period_start=date(2026, 7, 1),
        period_end=date(2026, 12, 31),
        text="Ett utkast som inte är publicerat.",
    )
    response = client_for(coordinator).get(
        reverse("followup:annual_report", args=[area.slug, 2026])
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Halvårets avvikelser gällde informationsflödet." in " ".join(text.split())
    assert "utkast" not in text


def test_the_menus_uppfoljning_opens_statistics_for_those_who_read_them(
    client_for, coordinator, steering_member, caseworker, no_role, area
):
    from django.test import Client

    home = reverse("followup:home")
    statistics = reverse("followup:statistics", args=[area.slug])
    for user in (coordinator, steering_member):
        response = client_for(user).get(home)
        assert response.status_code == 302 and response["Location"] == statistics
    # Everyone else (a handläggare, a user with no role) follows their own avvikelser there.
    for user in (caseworker, no_role):
        response = client_for(user).get(home)
        assert response.status_code == 302
        assert response["Location"] == reverse("followup:deviation_mine")
    # Not logged in: the login page, nothing of any area.
    anonymous = Client()
    response = anonymous.get(home)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert anonymous.post(home).status_code in (302, 405)


def test_the_menu_links_uppfoljning_without_asking_the_database(client_for, caseworker):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(caseworker)
    url = reverse("followup:deviation_mine")
    client.get(url)
    cache.clear()  # nothing kept between pages decides the link
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert f'href="{reverse("followup:home")}">Uppföljning</a>' in page
    # The statistics areas' query (followup.access.menu_area_slug) is the landing page's.
    assert not [q for q in queries if '"parties_samverkarea"."slug" AS "slug"' in q["sql"]]
