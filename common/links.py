"""Links that leave the site (in e-mail, letters): absolute, on the configured SITE_URL."""

from django.conf import settings


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class LinkError(Exception):
    """A signed link that does not work (tampered, unknown, used, closed, expired); the
    message is shown to the visitor. Each domain raises its own subclass."""


def unsign_link_key(token: str, *, salt: str, error: type[LinkError] = LinkError) -> str:
    """The key a signed link carries, or ``error`` with the one message for a link that was
    cut short or tampered with (the answer, delegation, poll, group and Spindeln links)."""
    from django.core import signing
    from django.utils.translation import gettext as _

    try:
        return signing.Signer(salt=salt).unsign(token)
    except signing.BadSignature:
        raise error(
            _("Länken är ogiltig. Kontrollera att du använt hela länken från e-posten.")
        ) from None
