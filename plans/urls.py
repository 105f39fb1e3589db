from django.urls import path

from . import views_commitments, views_documents, views_edit, views_versions

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
    path("moten/<int:meeting_pk>/handlingsplan.pdf", views_documents.plan_pdf, name="pdf"),
    path(
        "moten/<int:meeting_pk>/handlingsplan-brev.pdf", views_documents.letter_pdf, name="letter"
    ),
    path(f"{plan}skicka/", views_documents.distribute, name="distribute"),
    path(f"{plan}efter-motet/", views_documents.distribution, name="distribution"),
    path("ataganden/", views_commitments.commitments, name="commitments"),
    path("ataganden/<int:pk>/klar/", views_commitments.mark_done, name="action_done"),
]
