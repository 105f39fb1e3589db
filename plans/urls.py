from django.urls import path

from .views import commitments, documents, edit, versions

app_name = "plans"

plan = "moten/<int:meeting_pk>/handlingsplan/"

urlpatterns = [
    path(plan, edit.edit, name="edit"),
    path(f"{plan}spara/", edit.autosave, name="autosave"),
    path(f"{plan}rader/", edit.row_buttons, name="rows"),
    path(f"{plan}andringar/", edit.changes, name="changes"),
    path(f"{plan}del/", edit.section, name="section"),
    path(f"{plan}faststall/", versions.freeze, name="freeze"),
    path(f"{plan}versioner/", versions.version_list, name="versions"),
    path(f"{plan}versioner/<int:number>/", versions.version_detail, name="version"),
    path(f"{plan}versioner/<int:number>/signera/", versions.sign, name="sign"),
    path("moten/<int:meeting_pk>/handlingsplan.pdf", documents.plan_pdf, name="pdf"),
    path("moten/<int:meeting_pk>/handlingsplan-brev.pdf", documents.letter_pdf, name="letter"),
    path(f"{plan}skicka/", documents.distribute, name="distribute"),
    path(f"{plan}efter-motet/", documents.distribution, name="distribution"),
    path("ataganden/", commitments.commitments, name="commitments"),
    path("ataganden/<int:pk>/klar/", commitments.mark_done, name="action_done"),
]
