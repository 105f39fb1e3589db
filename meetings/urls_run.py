""" "Genomför mötet"; to be included into the ``meetings`` namespace (no app_name here)."""

from django.urls import path

from . import views_run

urlpatterns = [
    path("moten/<int:pk>/genomfor/", views_run.RunView.as_view(), name="run"),
    path("moten/<int:pk>/genomfor/starta/", views_run.StartView.as_view(), name="run_start"),
    path(
        "moten/<int:pk>/genomfor/narvaro/<int:participant_pk>/",
        views_run.AttendanceView.as_view(),
        name="run_attendance",
    ),
    path("moten/<int:pk>/genomfor/roller/", views_run.RolesView.as_view(), name="run_roles"),
    path("moten/<int:pk>/genomfor/checklista/", views_run.AgendaView.as_view(), name="run_agenda"),
    path("moten/<int:pk>/genomfor/oanmald/", views_run.WalkInView.as_view(), name="run_walk_in"),
    path(
        "moten/<int:pk>/genomfor/samtycke/",
        views_run.OralConsentView.as_view(),
        name="run_oral_consent",
    ),
]
