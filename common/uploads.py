"""Checks for uploaded files that every app may use."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# A PDF's header may sit anywhere in its first 1024 bytes, its end marker in its last 1024
# (ISO 32000-1, 7.5.2 and 7.5.5).
PDF_HEADERS = (b"%PDF-1.", b"%PDF-2.")


def looks_like_pdf(data: bytes) -> bool:
    """A PDF by its structure, not by its name or the browser's content type: the header
    near the start, and a cross-reference pointer and the end-of-file marker near the end
    (a file cut short in the upload, or another file renamed .pdf, has not)."""
    head, tail = data[:1024], data[-1024:]
    return any(h in head for h in PDF_HEADERS) and b"startxref" in tail and b"%%EOF" in tail


def check_pdf(upload) -> bytes:
    """Refuse an upload over settings.MAX_UPLOAD_SIZE or one that is no PDF; the content.

    Raises ValidationError with a Swedish message for the field."""
    limit = settings.MAX_UPLOAD_SIZE
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Filen är för stor (högst %(size)s).") % {"size": filesizeformat(limit)}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(
            _("Filen är för stor (högst %(size)s).") % {"size": filesizeformat(limit)}
        )
    if not data:
        raise ValidationError(_("Filen är tom."))
    if not looks_like_pdf(data):
        raise ValidationError(_("Filen måste vara en PDF."))
    return data
