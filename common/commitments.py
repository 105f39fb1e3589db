"""More sections for "Mina åtaganden" from apps above plans (groups' uppdrag), without
plans importing them: an app registers a function ``section(request) -> str`` (rendered
HTML, "" for nothing) in its AppConfig.ready; the page renders each after its own list."""

from collections.abc import Callable

_sections: list[Callable] = []


def register(section: Callable) -> Callable:
    if section not in _sections:
        _sections.append(section)
    return section


def sections(request) -> list[str]:
    return [html for html in (section(request) for section in _sections) if html]
