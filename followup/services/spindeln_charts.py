"""Spindeln's charts as server-side SVG (no script, no style attribute: CSP), in the style
of charts.py: a radar (spider) chart per round and a line over the rounds. The numbers
stand beside each chart as a table."""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

AREA_COLOUR, OTHERS_COLOUR = "#1f5f8b", "#c23b4a"
SIZE = 660
CENTRE = SIZE / 2
RADIUS = 170


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * value / 4
    return CENTRE + r * math.cos(angle), CENTRE + r * math.sin(angle)


def _wrap(label: str, width: int = 18) -> list[str]:
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def radar_chart(
    labels: list[str],
    area: list[float | None],
    others: list[float | None],
    *,
    title: str,
    area_name: str,
    others_name: str,
):
    """The area's mean per factor (filled, solid) and the other areas' mean (dashed), on
    the scale 0 (mycket dåligt) … 4 (mycket bra)."""
    count = max(len(labels), 3)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE + 40}" '
        f'width="{SIZE}" height="{SIZE + 40}" role="img" aria-label="{escape(title)}" '
        'class="chart radar">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{SIZE}" height="{SIZE + 40}" fill="#ffffff"/>',
    ]
    for level in range(1, 5):
        ring = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (_point(i, count, level) for i in range(count))
        )
        parts.append(f'<polygon points="{ring}" fill="none" stroke="#bbbbbb" stroke-width="1"/>')
        x, y = _point(0, count, level)
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="11" fill="#444444">{level}</text>'
        )
    for i, label in enumerate(labels):
        x, y = _point(i, count, 4)
        parts.append(
            f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{x:.1f}" y2="{y:.1f}" stroke="#bbbbbb"/>'
        )
        lx, ly = _point(i, count, 4.55)
        anchor = "middle" if abs(lx - CENTRE) < 20 else ("start" if lx > CENTRE else "end")
        lines = _wrap(label)
        top = ly - 6 * (len(lines) - 1)
        for n, text in enumerate(lines):
            parts.append(
                f'<text x="{lx:.1f}" y="{top + 13 * n + 4:.1f}" font-size="12" '
                f'text-anchor="{anchor}" fill="#222222">{escape(text)}</text>'
            )

    def polygon(values, colour, dashed, fill):
        points = [_point(i, count, v) for i, v in enumerate(values) if v is not None]
        if len(points) < 2:
            return
        attrs = ' stroke-dasharray="8 5"' if dashed else ""
        parts.append(
            f'<polygon points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" '
            f'fill="{fill}" fill-opacity="0.25" stroke="{colour}" stroke-width="3"{attrs}/>'
        )
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')

    if any(v is not None for v in others):
        polygon(others, OTHERS_COLOUR, True, "none")
    polygon(area, AREA_COLOUR, False, AREA_COLOUR)
    legend_y = SIZE + 20
    parts.append(
        f'<line x1="20" y1="{legend_y}" x2="50" y2="{legend_y}" stroke="{AREA_COLOUR}" '
        'stroke-width="3"/>'
        f'<text x="56" y="{legend_y + 4}" font-size="12">{escape(area_name)}</text>'
    )
    if any(v is not None for v in others):
        parts.append(
            f'<line x1="{SIZE / 2}" y1="{legend_y}" x2="{SIZE / 2 + 30}" y2="{legend_y}" '
            f'stroke="{OTHERS_COLOUR}" stroke-width="3" stroke-dasharray="8 5"/>'
            f'<text x="{SIZE / 2 + 36}" y="{legend_y + 4}" font-size="12">'
            f"{escape(others_name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(points: list[tuple[str, float]], *, title: str):
    """A line over the rounds: the mean of the seven factors per round, 0 … 4."""
    width, height, left, bottom, top = 640, 260, 40, 60, 20
    plot_w, plot_h = width - left - 20, height - bottom - top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for level in range(0, 5):
        y = top + plot_h - plot_h * level / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 20}" y2="{y:.1f}" stroke="#dddddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{level}</text>'
        )
    step = plot_w / max(len(points) - 1, 1)
    coords = []
    for i, (label, value) in enumerate(points):
        x = left + (i * step if len(points) > 1 else plot_w / 2)
        y = top + plot_h - plot_h * value / 4
        coords.append((x, y))
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{AREA_COLOUR}">'
            f"<title>{escape(label)}: {value:.2f}</title></circle>"
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="10" text-anchor="end" '
            f'transform="rotate(-30 {x:.1f} {top + plot_h + 16})">{escape(label[:20])}</text>'
        )
    if len(coords) > 1:
        parts.append(
            f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in coords)}" '
            f'fill="none" stroke="{AREA_COLOUR}" stroke-width="2"/>'
        )
    if not points:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" font-size="12">'
            f"{escape(_('Inga stängda omgångar ännu'))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
