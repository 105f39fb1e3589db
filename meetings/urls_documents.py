"""A meeting's documents; to be included into the ``meetings`` namespace (no app_name here)."""

from django.urls import path

from . import views_documents

urlpatterns = [
    path(
        "moten/<int:pk>/kallelse.pdf",
        views_documents.InvitationPdfView.as_view(),
        name="invitation_pdf",
    ),
    path("moten/<int:pk>/brev.pdf", views_documents.LetterPdfView.as_view(), name="letter_pdf"),
    path("moten/<int:pk>/kalender.ics", views_documents.IcsView.as_view(), name="ics"),
]
