from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from parties.models import SamverkArea
from parties.services.transfer import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from ..access import (
    get_area_for_statistics,
    may_handle,
    may_see_all_areas,
    statistics_areas,
)
from ..services.charts import bar_chart
from ..services.deviations import published_summaries
from ..services.exports import table_csv, tables_xlsx
from ..services.periods import BadPeriod, period_from, period_query
from ..services.statistics import SMALL, statistics

ALL = "hoglandet"
# The Årsrapport's first page: the totals and the handlingsplaner.
FIRST = ("guidelines", "plans")


def _scope(request, area_slug):
    """(areas, name, slug) of the page: one area, or all Höglandet (areas None)."""
    if area_slug == ALL:
        if not may_see_all_areas(request.user):
            raise PermissionDenied
        return None, _("Höglandet"), ALL
    area = get_area_for_statistics(request.user, area_slug)
    return SamverkArea.objects.filter(pk=area.pk), area.name, area.slug


def _charts(tables):
    by_key = {t.key: t for t in tables}
    return [
        (by_key["by_month"], bar_chart(by_key["by_month"], title=_("Möten per månad och typ"))),
        (by_key["by_kind"], bar_chart(by_key["by_kind"])),
        (
            by_key["turnout"],
            bar_chart(by_key["turnout"], title=_("Kallade och närvarande per part")),
        ),
        (
            by_key["group_attendance"],
            bar_chart(by_key["group_attendance"], title=_("Gruppmöten: närvaro per part")),
        ),
    ]


@login_required
@require_GET
def statistics_page(request, area_slug):
    areas, name, slug = _scope(request, area_slug)
    context = {"scope_name": name, "slug": slug, "nav": "followup", "query": request.GET}
    try:
        period = period_from(request.GET)
    except BadPeriod as error:
        context["period_error"] = str(error)
        return render(request, "followup/statistics.html", context, status=400)
    tables = statistics(areas, period.start, period.end)
    charted = _charts(tables)
    charted_keys = {t.key for t, _c in charted}
    context.update(
        period=period,
        charts=charted,
        tables=[t for t in tables if t.key not in charted_keys],
        small=SMALL,
        areas=statistics_areas(request.user).order_by("name"),
        all_areas=may_see_all_areas(request.user),
        published=published_summaries(areas, period.start, period.end),
        period_query=period_query(request.GET),
        handles=slug != ALL and may_handle(request.user, SamverkArea.objects.get(slug=slug)),
    )
    return render(request, "followup/statistics.html", context)


@login_required
@require_GET
def statistics_export(request, area_slug, file_format):
    areas, name, slug = _scope(request, area_slug)
    try:
        period = period_from(request.GET)
    except BadPeriod as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    tables = statistics(areas, period.start, period.end)
    stem = f"statistik-{slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if file_format == "xlsx":
        heading = _("Statistik %(scope)s, %(period)s") % {"scope": name, "period": period.label}
        response = HttpResponse(
            tables_xlsx(tables, heading=heading), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    if file_format == "csv":
        wanted = request.GET.get("tabell", "")
        table = next((t for t in tables if t.key == wanted), None)
        if table is None:
            raise Http404
        response = HttpResponse(table_csv(table), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{stem}-{table.key}.csv"'
        return response
    raise Http404


@login_required
@require_GET
def annual_report(request, area_slug, year):
    """Årsrapport <område> <år>: the charts and tables of the year as a PDF for the LSG."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    from common.pdf import html_to_pdf

    areas, name, slug = _scope(request, area_slug)
    try:
        period = period_from({"ar": str(year)})
    except BadPeriod as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    tables = statistics(areas, period.start, period.end)
    charted = _charts(tables)
    keys = {t.key for t, _c in charted}
    html = render_to_string(
        "followup/pdf/arsrapport.html",
        {
            "scope_name": name,
            "year": year,
            "charts": charted,
            "first_tables": [t for t in tables if t.key in FIRST],
            "tables": [t for t in tables if t.key not in keys and t.key not in FIRST],
            "printed_on": timezone.localdate(),
            "published": published_summaries(areas, period.start, period.end),
        },
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="arsrapport-{slug}-{year}.pdf"'
    return response
