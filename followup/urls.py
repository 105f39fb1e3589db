from django.urls import path

from .views import deviations, statistics

app_name = "followup"

urlpatterns = [
    path("avvikelser/", deviations.deviation_areas, name="deviation_areas"),
    path("avvikelser/ny/", deviations.deviation_create, name="deviation_create"),
    path(
        "avvikelser/ny/arende/<int:case_pk>/",
        deviations.deviation_create_from_case,
        name="deviation_create_from_case",
    ),
    path("avvikelser/mina/", deviations.deviation_mine, name="deviation_mine"),
    path("avvikelser/<int:pk>/", deviations.deviation_detail, name="deviation_detail"),
    path(
        "omrade/<slug:area_slug>/avvikelser/",
        deviations.deviation_list,
        name="deviation_list",
    ),
    path(
        "omrade/<slug:area_slug>/avvikelser/sammanstallning/",
        deviations.deviation_compilation,
        name="deviation_compilation",
    ),
    path("statistik/<slug:area_slug>/", statistics.statistics_page, name="statistics"),
    path(
        "statistik/<slug:area_slug>/statistik.<str:file_format>",
        statistics.statistics_export,
        name="statistics_export",
    ),
    path(
        "statistik/<slug:area_slug>/arsrapport-<int:year>.pdf",
        statistics.annual_report,
        name="annual_report",
    ),
]
