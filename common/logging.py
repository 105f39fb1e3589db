"""Logging rules: the secret of an e-mailed link never reaches a log, a refused request is
one line.

The answer, delegate and time-poll links (``/svar/<token>/``,
``/anmal-handlaggare/<token>/``, ``/tider/<token>/``, meetings/urls.py) open a
participant's answer page without a login (and ``/kalenderprenumeration/<token>.ics`` a
user's calendar feed): whoever reads the link
in a log can answer in their name. RedactTokens replaces the token in every message, its
arguments and a formatted traceback; settings.LOGGING puts it on the console handler and on
django.request and django.server, and GunicornLogger on gunicorn's access and error logs
(whose request line, path and Referer would carry it: a page loaded from the answer link
sends it as the Referer of its stylesheets).
"""

import contextvars
import logging
import re
from collections.abc import Mapping

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

TOKEN_IN_PATH = re.compile(
    r"(/(?:svar|anmal-handlaggare|tider|kalenderprenumeration)/)[^/?#\s\"']+"
)
HIDDEN = "[dold]"


def redact_tokens(text: str) -> str:
    return TOKEN_IN_PATH.sub(rf"\g<1>{HIDDEN}", text)


def _redacted(value):
    return redact_tokens(value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact_tokens(record.msg)
        if isinstance(record.args, Mapping):
            # In place: gunicorn's access log passes a dict subclass that answers "-" for
            # the atoms a request does not have.
            for key, value in list(record.args.items()):
                record.args[key] = _redacted(value)
        elif record.args:
            record.args = tuple(_redacted(value) for value in record.args)
        if record.exc_info and not record.exc_text:
            # Formatted here (handlers use exc_text once it is set) so it can be redacted.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_tokens(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_tokens(record.stack_info)
        return True


class OneLineBelow500(logging.Filter):
    """A request answered 4xx (403 refused, 404, 400, 413) is logged as its one line:
    Django passes the exception along, which printed a traceback for every refusal."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


# The request a line belongs to (common.middleware.RequestLogMiddleware): its id, and the
# logged-in user's id (never a name).
request_id_var = contextvars.ContextVar("request_id", default=None)
user_id_var = contextvars.ContextVar("user_id", default=None)


class RequestFields(logging.Filter):
    """Puts request_id and user_id on every record logged while a request is served."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "user_id"):
            record.user_id = user_id_var.get()
        return True


# Only these become JSON fields: a record's `request` (django.request passes the
# HttpRequest), its args and anything else an app put on it never do.
JSON_FIELDS = (
    "timestamp",
    "level",
    "logger",
    "message",
    "request_id",
    "user_id",
    "method",
    "route",
    "status",
    "duration_ms",
    "exc_info",
)


class JsonFormatter(_JsonFormatter):
    """One JSON object per line (python-json-logger), with only JSON_FIELDS; LOG_FORMAT=json
    (the default with DEBUG=0, settings.LOGGING)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        for key in ("request_id", "user_id"):
            log_record.setdefault(key, getattr(record, key, None))
        for key in list(log_record):
            if key not in JSON_FIELDS:
                del log_record[key]


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is only there to serve; nothing else imports this class
    _GunicornLogger = object


class GunicornLogger(_GunicornLogger):
    """gunicorn's logger with the tokens redacted from its access and error logs:
    ``gunicorn --logger-class common.logging.GunicornLogger`` (README, Logs)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(RedactTokens())
