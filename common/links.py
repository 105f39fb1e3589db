"""Links that leave the site (in e-mail, letters): absolute, on the configured SITE_URL."""

from django.conf import settings


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
