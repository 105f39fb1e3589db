"""Attachment builders: named functions that turn an outbox row into attachments.

A builder runs in the worker at send time, never in the request, so a slow PDF
never holds up a page and each attempt uses current data::

    from outbox.builders import register

    @register("meetings.invitation")
    def build(message):
        return [("kallelse.pdf", pdf_bytes, "application/pdf")]

Import the module that registers an app's builders from the app's
``AppConfig.ready``, so the web process and the worker know the same names.
"""

from collections.abc import Callable

Attachment = tuple[str, bytes, str]
Builder = Callable[..., list[Attachment]]

_builders: dict[str, Builder] = {}


class UnknownBuilder(LookupError):
    pass


def register(name: str) -> Callable[[Builder], Builder]:
    """Register the decorated function as the attachment builder called ``name``."""

    def decorator(func: Builder) -> Builder:
        existing = _builders.get(name)
        # A module imported twice registers the same function again; a second
        # function under the same name is a programming error.
        if existing is not None and _qualified(existing) != _qualified(func):
            raise ValueError(f"Attachment builder {name!r} is already registered.")
        _builders[name] = func
        return func

    return decorator


def is_registered(name: str) -> bool:
    return name in _builders


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
