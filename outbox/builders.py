"""Attachment builders: named functions that turn an outbox row into attachments.

A builder runs in the worker at send time, never in the request, so a slow PDF
never holds up a page and each attempt uses current data::

    from outbox.builders import register

    @register("meetings.invitation")
    def build(message):
        return [("kallelse.pdf", pdf_bytes, "application/pdf")]

Import the module that registers an app's builders from the app's
``AppConfig.ready``, so the web process and the worker know the same names.

A row about something that can change after it was queued (a meeting that moves or is
cancelled) registers two more functions with its builder, as the outbox cannot know what
the row is about::

    @register("meetings.invitation", superseded=is_stale, resend=send_current)

``superseded(message) -> bool``: True once a later change has made the row untrue (it
was composed for a state that no longer holds). The worker then marks it SUPERSEDED
("Ersatt") instead of sending it, and "Skicka igen" on it calls ``resend(message) ->
OutboundMessage``, which returns the message that says what holds now: one already on
its way, or one it queues.
"""

from collections.abc import Callable

Attachment = tuple[str, bytes, str]
Builder = Callable[..., list[Attachment]]

_builders: dict[str, Builder] = {}
_superseded: dict[str, Callable] = {}
_resend: dict[str, Callable] = {}


class UnknownBuilder(LookupError):
    pass


def register(name: str, *, superseded=None, resend=None) -> Callable[[Builder], Builder]:
    """Register the decorated function as the attachment builder called ``name``; with
    ``superseded`` and ``resend`` for rows that a later change can make untrue (see the
    module docstring). Either both or neither."""
    if (superseded is None) != (resend is None):
        raise ValueError("A builder's superseded= and resend= go together.")

    def decorator(func: Builder) -> Builder:
        existing = _builders.get(name)
        # A module imported twice registers the same function again; a second
        # function under the same name is a programming error.
        if existing is not None and _qualified(existing) != _qualified(func):
            raise ValueError(f"Attachment builder {name!r} is already registered.")
        _builders[name] = func
        if superseded is not None:
            _superseded[name], _resend[name] = superseded, resend
        return func

    return decorator


def is_registered(name: str) -> bool:
    return name in _builders


def is_superseded(message) -> bool:
    """Whether a later change has made the row untrue (its builder's ``superseded``);
    False for rows whose builder registered none."""
    check = _superseded.get(message.attachments_builder)
    return bool(check is not None and check(message))


def resend_current(message):
    """For a superseded row: the message that says what holds now (its builder's
    ``resend``), already on its way or queued by it; None for a row whose builder has no
    ``resend``."""
    resend = _resend.get(message.attachments_builder)
    return None if resend is None else resend(message)


def build_attachments(message) -> list[Attachment]:
    """The attachments for an outbox row as (filename, content bytes, mimetype)."""
    if not message.attachments_builder:
        return []
    try:
        builder = _builders[message.attachments_builder]
    except KeyError:
        raise UnknownBuilder(
            f"No attachment builder registered as {message.attachments_builder!r}."
        ) from None
    attachments = []
    for filename, content, mimetype in builder(message):
        if isinstance(content, str):
            content = content.encode()
        attachments.append((filename, content, mimetype))
    return attachments


def _qualified(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"
