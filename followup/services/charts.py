"""Bar charts as server-side SVG (no script, no style attribute: CSP), each drawn from a
statistics Table whose numbers stand beside it as a table. Swedish labels come from the
table. The small-count rule holds here too: a bar of 1 or 2 in a small table is drawn as
2 and labelled "<3"."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .statistics import SMALL, Table, shown_count

COLOURS = ["#1f5f8b", "#e07b39", "#3a8f5c", "#8a4fa3", "#b8a21e", "#c23b4a"]
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 300, 40, 70, 42


def bar_chart(table: Table, *, series: list[int] | None = None, title: str = ""):
    """Grouped vertical bars: a group per row, a bar per column in ``series`` (indices into
    the row's counts, 1-based as in the row)."""
    rows = [row for row in table.rows if not str(row[0]).startswith("Totalt")]
    series = series or list(range(1, len(table.columns)))
    names = [table.columns[i] for i in series]

    def drawn(value):
        if table.small and 0 < value < SMALL:
            return SMALL - 1
        return value

    top = max([drawn(row[i]) for row in rows for i in series] + [1])
    plot_w, plot_h = WIDTH - LEFT - 10, HEIGHT - BOTTOM - TOP
    group_w = plot_w / max(len(rows), 1)
    bar_w = max(min(group_w * 0.8 / max(len(series), 1), 40), 2)
    # A number over every bar while they are few; with more (12 months × 6 kinds) they
    # overlap, and the table beside the chart carries the numbers.
    labelled = len(rows) * len(series) <= 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title or table.title)}" class="chart">',
        f"<title>{escape(title or table.title)}</title>",
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 10}" y2="{TOP + plot_h}" '
        'stroke="#444"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for r, row in enumerate(rows):
        x0 = LEFT + r * group_w + (group_w - bar_w * len(series)) / 2
        for s, index in enumerate(series):
            value = row[index]
            h = plot_h * drawn(value) / top
            x = x0 + s * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[s % len(COLOURS)]}">'
                f"<title>{escape(row[0])}, {escape(names[s])}: "
                f"{escape(shown_count(value, table.small))}</title></rect>"
            )
            if value and labelled:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h - h - 3:.1f}" '
                    f'text-anchor="middle" font-size="10">'
                    f"{escape(shown_count(value, table.small))}</text>"
                )
        label = escape(str(row[0])[:18])
        cx = LEFT + r * group_w + group_w / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{TOP + plot_h + 14}" text-anchor="end" font-size="10" '
            f'transform="rotate(-35 {cx:.1f} {TOP + plot_h + 14})">{label}</text>'
        )
    # The legend: three to a row when there are more than three, so names need not be cut.
    per_row = len(names) if len(names) <= 3 else 3
    step = (WIDTH - LEFT) / max(per_row, 1)
    chars = max(int(step / 6.5) - 2, 6)
    for s, name in enumerate(names):
        x, y = LEFT + (s % per_row) * step, 6 + (s // per_row) * 13
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="10" height="10" '
            f'fill="{COLOURS[s % len(COLOURS)]}"/>'
            f'<text x="{x + 14:.1f}" y="{y + 9}" font-size="11">{escape(str(name)[:chars])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
