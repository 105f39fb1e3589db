"""The contact list's PDF on request (issue 20): a change to the list or the first reader
asks for a build, and one build waits in the worker's queue however many ask. The build
itself is parties.tasks' (services.documents.build_contact_list_document); this module sits
above the task so that the task never imports back."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import ContactListPdf, SamverkArea
from ..tasks import build_contact_list_pdf


def _enqueue_build(area_id: int) -> None:
    build_contact_list_pdf.enqueue(area_id)


def request_contact_list_pdf(area_id: int) -> bool:
    """Ask for a new PDF of the area's list: counts the change and enqueues one build
    unless one already waits in the queue (which will include the change: it reads
    ``wanted`` when it starts). Only for areas whose PDF someone has asked for once.
    True when a build was enqueued."""
    documents = ContactListPdf.objects.filter(area_id=area_id)
    if not documents.update(wanted=F("wanted") + 1):
        return False
    return _queue_once(area_id)


def _queue_once(area_id: int) -> bool:
    # One conditional UPDATE: of two requests at once, one finds queued=False.
    if ContactListPdf.objects.filter(area_id=area_id, queued=False).update(queued=True):
        transaction.on_commit(lambda: _enqueue_build(area_id))
        return True
    return False


# A build that started this long ago (or three times its last duration, if longer) and
# never finished has died with its worker (killed, out of memory, a restart): the next
# reader asks for a new one instead of being shown "Skapas…" for ever.
STALLED_AFTER = timedelta(minutes=10)


def is_stalled(document: ContactListPdf, now=None) -> bool:
    if not document.is_behind or document.queued or document.started_at is None:
        return False
    limit = max(STALLED_AFTER, timedelta(seconds=3 * (document.build_seconds or 0)))
    return (now or timezone.now()) - document.started_at > limit


def contact_list_document(area: SamverkArea):
    """The area's PDF record; the first reader's visit creates it and enqueues the build
    (once, however many click at the same time), as does a visit after a build died."""
    document, created = ContactListPdf.objects.get_or_create(area=area)
    if created or is_stalled(document):
        _queue_once(area.pk)
        document.refresh_from_db()
    return document
