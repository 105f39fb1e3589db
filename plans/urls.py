from django.urls import path

from . import views_commitments, views_edit, views_versions

app_name = "plans"

plan = "moten/<int:meeting_pk>/handlingsplan/"

urlpatterns = [
    path(plan, views_edit.edit, name="edit"),
    path(f"{plan}spara/", views_edit.autosave, name="autosave"),
    path(f"{plan}rader/", views_edit.rows, name="rows"),
    path(f"{plan}faststall/", views_versions.freeze, name="freeze"),
    path(f"{plan}versioner/", views_versions.version_list, name="versions"),
    path(f"{plan}versioner/<int:number>/", views_versions.version_detail, name="version"),
    path(f"{plan}versioner/<int:number>/signera/", views_versions.sign, name="sign"),
    path("handlingsplan/hall-inloggad/", views_edit.keepalive, name="keepalive"),
    path("ataganden/", views_commitments.commitments, name="commitments"),
    path("ataganden/<int:pk>/klar/", views_commitments.mark_done, name="action_done"),
]
