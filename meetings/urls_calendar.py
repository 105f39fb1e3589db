"""Week calendars; included by meetings/urls.py into the ``meetings`` namespace."""

from django.urls import path

from . import views_calendar

urlpatterns = [
    path("kalender/", views_calendar.MyWeekView.as_view(), name="my_week"),
    path("kalender/<slug:area_slug>/", views_calendar.AreaWeekView.as_view(), name="area_week"),
]
