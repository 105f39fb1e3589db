from django.urls import path

from .views import deviations, home, spindeln, statistics

app_name = "followup"

urlpatterns = [
    path("", home.followup_home, name="home"),
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
    # Spindeln (issue 19): the area's rounds, a round, its downloads, the answer link.
    path("omrade/<slug:area_slug>/spindeln/", spindeln.rounds, name="spindeln_rounds"),
    path("omrade/<slug:area_slug>/spindeln/ny/", spindeln.create, name="spindeln_create"),
    path("spindeln/<int:pk>/", spindeln.round_detail, name="spindeln_round"),
    path("spindeln/<int:pk>/paminn/", spindeln.remind, name="spindeln_remind"),
    path("spindeln/<int:pk>/stang/", spindeln.close, name="spindeln_close"),
    path(
        "spindeln/<int:pk>/spindeln.<str:file_format>",
        spindeln.export,
        name="spindeln_export",
    ),
    path("spindeln/svar/<str:token>/", spindeln.answer, name="spindeln_answer"),
]
