from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

HTMX = {"HTTP_HX_REQUEST": "true"}


def at(days, hour=10):
    start = timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0)
    return start + timedelta(days=days)


def edit_url(meeting):
    return reverse("plans:edit", args=[meeting.pk])


def autosave_url(meeting):
    return reverse("plans:autosave", args=[meeting.pk])


def rows_url(meeting):
    return reverse("plans:rows", args=[meeting.pk])


def autosave(client, meeting, data):
    return client.post(autosave_url(meeting), data, **HTMX)
