"""`check --deploy` says when PDFs would subset their fonts in Python (several times slower)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from samverk import checks


def test_no_warning_when_weasyprint_subsets_with_harfbuzz(monkeypatch):
    monkeypatch.setattr(checks, "pdf_fonts_subset_in_c", lambda: True)
    assert checks.check_pdf_libraries(None) == []


def test_warns_in_swedish_with_the_package_to_install(monkeypatch):
    monkeypatch.setattr(checks, "pdf_fonts_subset_in_c", lambda: False)
    (warning,) = checks.check_pdf_libraries(None)
    assert warning.id == "samverk.W001"
    assert "långsammare" in warning.msg
    assert "libharfbuzz-subset0" in warning.hint


def test_only_the_deploy_check_runs_it(monkeypatch):
    monkeypatch.setattr(checks, "pdf_fonts_subset_in_c", lambda: False)
    call_command("check", fail_level="WARNING")  # the everyday check stays quiet and quick
    with pytest.raises(SystemCheckError, match="samverk.W001"):
        call_command("check", deploy=True, fail_level="WARNING", tags=["compatibility"])

