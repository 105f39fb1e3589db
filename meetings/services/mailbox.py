"""The reply mailbox over IMAP (``manage.py read_reply_mailbox``): for municipalities that
relay mail by plain SMTP and have no provider's inbound webhook.

Reads the unseen messages of settings.REPLY_IMAP_MAILBOX, hands each to
meetings.services.replies (which counts the calendar answers in it and ignores everything
else), then marks it Seen and, with REPLY_IMAP_PROCESSED_MAILBOX, moves it there. A message
whose processing fails (the database is away) stays unseen and is read again next run.
"""

import contextlib
import email
import imaplib
import logging
import ssl
from dataclasses import dataclass, field
from email import policy

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .replies import record_replies_in

logger = logging.getLogger(__name__)


@dataclass
class MailboxRun:
    read: int = 0
    recorded: int = 0
    ignored: int = 0
    failed: int = 0
    outcomes: list = field(default_factory=list)


def _connect():
    host = settings.REPLY_IMAP_HOST
    if not host or not settings.REPLY_IMAP_USER:
        raise ImproperlyConfigured("REPLY_IMAP_HOST and REPLY_IMAP_USER must be set.")
    timeout = settings.REPLY_IMAP_TIMEOUT
    if settings.REPLY_IMAP_SSL:
        return imaplib.IMAP4_SSL(
            host,
            settings.REPLY_IMAP_PORT,
            ssl_context=ssl.create_default_context(),
            timeout=timeout,
        )
    return imaplib.IMAP4(host, settings.REPLY_IMAP_PORT, timeout=timeout)


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(result, what: str):
    status, data = result
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what} failed: {status}")
    return data


def _move(imap, uid: bytes, target: str) -> None:
    if b"MOVE" in [c.encode() if isinstance(c, str) else c for c in imap.capabilities]:
        _check(imap.uid("MOVE", uid, _quoted(target)), "MOVE")
        return
    _check(imap.uid("COPY", uid, _quoted(target)), "COPY")
    _check(imap.uid("STORE", uid, "+FLAGS.SILENT", "(\\Deleted)"), "STORE")
    imap.expunge()


def read_reply_mailbox() -> MailboxRun:
    """One pass over the reply mailbox; returns what it did (counts, for the command)."""
    run = MailboxRun()
    imap = _connect()
    try:
        _check(imap.login(settings.REPLY_IMAP_USER, settings.REPLY_IMAP_PASSWORD), "LOGIN")
        _check(imap.select(_quoted(settings.REPLY_IMAP_MAILBOX)), "SELECT")
        target = settings.REPLY_IMAP_PROCESSED_MAILBOX
        if target:
            imap.create(_quoted(target))  # "already exists" is fine
        uids = _check(imap.uid("SEARCH", None, "UNSEEN"), "SEARCH")[0].split()
        for uid in uids:
            data = _check(imap.uid("FETCH", uid, "(BODY.PEEK[])"), "FETCH")
            raw = next((item[1] for item in data if isinstance(item, tuple)), None)
            if raw is None:
                continue
            run.read += 1
            try:
                message = email.message_from_bytes(raw, policy=policy.default)
                outcomes = record_replies_in(message)
            except Exception:  # one bad message must not stop the others
                run.failed += 1
                logger.exception("Reply mailbox: message uid %s could not be processed", uid)
                continue
            run.outcomes += outcomes
            run.recorded += sum(1 for o in outcomes if o.status == "recorded")
            run.ignored += sum(1 for o in outcomes if o.status == "ignored") + (not outcomes)
            _check(imap.uid("STORE", uid, "+FLAGS.SILENT", "(\\Seen)"), "STORE")
            if target:
                _move(imap, uid, target)
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()
    return run
