"""Headers (issue 14): Content-Security-Policy without inline scripts or styles,
Permissions-Policy on every response, Cache-Control: no-store on every logged-in page
(common.middleware.SecurityHeadersMiddleware), and no inline script, handler or style left
in the templates that the policy would refuse."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import CaseFactory


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.strip().split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.django_db
def test_the_login_page_has_the_policy(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_a_logged_in_page_has_the_policy_and_no_store(client_for, caseworker):
    response = client_for(caseworker).get(reverse("dashboard"))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in " ".join(directives(response)["script-src"])
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_permissions_policy_on_every_response(client, client_for, caseworker):
    anonymous = client.get(reverse("login"))
    assert anonymous["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in anonymous["Permissions-Policy"]
    assert client_for(caseworker).get(reverse("dashboard"))["Permissions-Policy"]


def test_htmx_answers_of_a_logged_in_user_are_no_store_too(client_for, caseworker):
    response = client_for(caseworker).get(reverse("keepalive"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"


def test_an_arende_pdf_is_no_store(client_for, caseworker, area):
    case = CaseFactory(area=area, owner=caseworker)
    response = client_for(caseworker).get(reverse("registerutdrag", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_the_contact_list_pdf_is_no_store(client_for, coordinator, area, settings, tmp_path):
    # The worker builds the PDF (issue 20): here its build, run in place, before the GET.
    from parties.services.documents import build_contact_list_document
    from parties.services.pdf_queue import contact_list_document

    settings.MEDIA_ROOT = tmp_path
    contact_list_document(area)
    build_contact_list_document(area.pk)
    response = client_for(coordinator).get(reverse("parties:contact_list_pdf", args=[area.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Mail and PDF templates are not pages a browser runs under the policy.
NOT_PAGES = ("emails", "pdf")


def page_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES)
        if relative.parts[0] in NOT_PAGES or "pdf" in relative.parts:
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_no_template_has_inline_scripts_handlers_or_styles():
    found = []
    for name, text in page_templates():
        for match in re.finditer(r"<script\b(?![^>]*\bsrc=)[^>]*>", text):
            found.append(f"{name}: inline script {match.group(0)}")
        for match in re.finditer(r"""\s(on[a-z]+|hx-on[:\w-]*)\s*=""", text):
            found.append(f"{name}: handler {match.group(1)}")
        if "javascript:" in text:
            found.append(f"{name}: javascript: URL")
        for _match in re.finditer(r"""\sstyle\s*=""", text):
            found.append(f"{name}: style attribute")
    assert found == []


def test_every_htmx_config_keeps_htmx_without_eval():
    """htmx reads only the first htmx-config meta tag: a page's own must repeat the CSP's."""
    for name, text in page_templates():
        for match in re.finditer(r"<meta name=\"htmx-config\" content='([^']*)'>", text):
            config = json.loads(match.group(1))
            assert config["allowEval"] is False, name
            assert config["includeIndicatorStyles"] is False, name
        assert text.count('name="htmx-config"') <= 1, name
