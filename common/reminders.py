"""More reminders for ``manage.py send_reminders`` (meetings' command) from apps above
meetings (the group meetings), without meetings importing them: an app registers
``send(days_before=None) -> int`` with a Swedish label in its AppConfig.ready."""

from collections.abc import Callable

_senders: dict[str, Callable] = {}


def register(label: str, send: Callable) -> None:
    _senders[label] = send


def senders() -> dict[str, Callable]:
    return dict(_senders)
