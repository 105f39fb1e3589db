from django.urls import path

from . import views, views_answers
from .urls_calendar import urlpatterns as calendar_patterns
from .urls_documents import urlpatterns as document_patterns
from .urls_run import urlpatterns as run_patterns

app_name = "meetings"

urlpatterns = [
    path("arenden/<int:case_pk>/boka/", views.BookMeetingView.as_view(), name="book"),
    path("moten/<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("moten/<int:pk>/flytta/", views.RescheduleView.as_view(), name="reschedule"),
    path("moten/<int:pk>/stall-in/", views.CancelView.as_view(), name="cancel"),
    path("moten/<int:pk>/kallelse/", views.SendInvitationsView.as_view(), name="send_invitations"),
    path("moten/<int:pk>/deltagare/", views.AddParticipantView.as_view(), name="add_participant"),
    path(
        "moten/<int:pk>/deltagare/forslag/",
        views.ContactSuggestionsView.as_view(),
        name="contact_suggestions",
    ),
    path(
        "moten/<int:pk>/deltagare/<int:participant_pk>/ta-bort/",
        views.RemoveParticipantView.as_view(),
        name="remove_participant",
    ),
    path("svar/<str:token>/", views_answers.AnswerView.as_view(), name="answer"),
    path("anmal-handlaggare/<str:token>/", views_answers.DelegateView.as_view(), name="delegate"),
]

urlpatterns += calendar_patterns + document_patterns + run_patterns
