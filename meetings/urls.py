from django.urls import path

from . import views
from .urls_calendar import urlpatterns as calendar_patterns

app_name = "meetings"

urlpatterns = [
    path("arenden/<int:case_pk>/boka/", views.BookMeetingView.as_view(), name="book"),
    path("moten/<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("moten/<int:pk>/flytta/", views.RescheduleView.as_view(), name="reschedule"),
    path("moten/<int:pk>/stall-in/", views.CancelView.as_view(), name="cancel"),
]

urlpatterns += calendar_patterns
