"""Errors get a Swedish page in the layout (lang="sv", the navigation, a way back), never
Django's bare English ones; a refusal is logged as one line."""

import io
import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from common.logging import RedactTokens
from samverk import views as samverk_views

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """What the app's console handler (settings.LOGGING) writes."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactTokens) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def page(response) -> str:
    content = response.content.decode()
    assert '<html lang="sv">' in content
    return content


def test_404_is_swedish_in_the_layout(client_for, caseworker):
    response = client_for(caseworker).get("/finns-inte/")
    assert response.status_code == 404
    content = page(response)
    assert "Sidan finns inte" in content
    assert "Huvudmeny" in content  # the navigation of base.html
    assert f'href="{reverse("dashboard")}"' in content
    assert "Not Found" not in content and "The requested resource" not in content


def test_403_is_swedish_and_logged_as_one_line(client_for, caseworker, area, console):
    # A handläggare may read the area's contact list but not change it.
    response = client_for(caseworker).get(reverse("parties:contact_create", args=[area.slug]))
    assert response.status_code == 403
    content = page(response)
    assert "Du får inte göra det här" in content and "Huvudmeny" in content
    lines = [line for line in console.getvalue().splitlines() if line.strip()]
    assert lines == [f"Forbidden (Permission denied): /kontakter/{area.slug}/ny/"]


def test_400_is_swedish(client_for, caseworker, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client_for(caseworker).post(
        reverse("cases:create"), {f"falt{n}": "x" for n in range(20)}
    )
    assert response.status_code == 400
    content = page(response)
    assert "Det som skickades kunde inte användas" in content
    assert "Bad Request" not in content


def test_a_forged_form_gets_a_swedish_403(caseworker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker)
    response = client.post(reverse("cases:create"), {"first_name": "Alva"})
    assert response.status_code == 403
    content = page(response)
    assert "Formuläret kunde inte skickas" in content
    assert "CSRF verification failed" not in content


def test_500_is_swedish_without_the_request(client_for, caseworker, monkeypatch, console):
    def broken(*args, **kwargs):
        raise RuntimeError("trasig")

    monkeypatch.setattr(samverk_views.DashboardView, "get", broken)
    client = client_for(caseworker)
    client.raise_request_exception = False
    response = client.get(reverse("dashboard"))
    assert response.status_code == 500
    content = page(response)
    assert "Något gick fel" in content and f'href="{reverse("dashboard")}"' in content
    assert "Server Error" not in content
    # A 500 keeps its traceback in the log: it is a bug to be found.
    assert "RuntimeError: trasig" in console.getvalue()


def big_form(size):
    return {"current_situation": "x" * size, "version-current_situation": "0"}


def test_a_body_over_the_limit_gets_413_in_swedish(client_for, caseworker):
    too_big = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = client_for(caseworker).post(reverse("cases:create"), big_form(too_big))
    assert response.status_code == 413
    content = page(response)
    assert "Det du skickade är för stort" in content and "2,5 MB" in content
    assert "Huvudmeny" in content


def test_htmx_gets_a_line_to_show_beside_the_field(client_for, caseworker):
    too_big = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = client_for(caseworker).post(
        "/moten/1/handlingsplan/spara/", big_form(too_big), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 413
    content = response.content.decode()
    assert content.startswith('<span class="text-danger" role="alert" data-error>')
    assert "Inget har sparats" in content


def test_a_body_over_the_limit_in_debug_mode_is_413_too(client_for, caseworker, settings):
    settings.DEBUG = True
    too_big = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = client_for(caseworker).post(reverse("cases:create"), big_form(too_big))
    assert response.status_code == 413
    assert "RequestDataTooBig" not in response.content.decode()
