"""Inline charts (SVG and HTML; no JavaScript, no external library; the same markup works in pages and PDFs).

Labels are escaped here; the result is marked safe for templates."""

import math
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CURRENT_COLOUR = "#0b4f8a"
PREVIOUS_COLOUR = "#b8322c"


def _whole(value) -> str:
    """A score as a whole number, halves rounded up as a reader expects (62.5 → 63, as 20.5 → 21), not to
    the even neighbour as Python's format does (62.5 → 62)."""
    return str(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _polygon(values, cx, cy, radius) -> str:
    """The points of the values on their axes; an axis without a value (an area whose items are all N/A)
    has no point, so the line joins its neighbours instead of dropping to the centre as if it were 0."""
    count = len(values)
    points = []
    for index, value in enumerate(values):
        if value is None:
            continue
        x, y = _point(cx, cy, radius * float(value) / 100, index, count)
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)


# The radar's box (SVG user units = CSS px at full size; the figure scales down with the page). Labels sit
# outside the outer ring, in the room between their axis and the box's edge; LABEL_ROOM_* leave space for
# labels that wrap onto several lines above the top axis and below the bottom ones.
RADAR_WIDTH = 560
RADAR_RADIUS = 116
RADAR_GAP = 10
LABEL_ROOM_TOP = 46
LABEL_ROOM_BOTTOM = 60
LABEL_PADDING = 4
LABEL_STYLE = (
    "position:absolute;margin:0;font-size:0.85em;line-height:1.3;color:#1c2430;overflow-wrap:anywhere;"
)


def _percent(value: float, whole: float) -> str:
    return f"{100 * value / whole:.2f}%"


def _label_box(index: int, count: int, cx: float, cy: float, height: float) -> str:
    """Where axis ``index``'s label goes, as CSS: beside the axis tip, as wide as the room to the edge."""
    width = RADAR_WIDTH
    x, y = _point(cx, cy, RADAR_RADIUS + RADAR_GAP, index, count)
    angle = -math.pi / 2 + 2 * math.pi * index / count
    horizontal, vertical = math.cos(angle), math.sin(angle)
    if abs(horizontal) < 0.3:  # above or below the chart: centred on the axis
        room = min(2 * min(x, width - x) - 2 * LABEL_PADDING, width / 2)
        box = f"left:{_percent(x - room / 2, width)};width:{_percent(room, width)};text-align:center;"
    elif horizontal > 0:  # on the right: from the tip to the right edge
        room = width - x - LABEL_PADDING
        box = f"left:{_percent(x, width)};width:{_percent(room, width)};text-align:left;"
    else:  # on the left: from the left edge to the tip
        room = x - LABEL_PADDING
        box = f"right:{_percent(width - x, width)};width:{_percent(room, width)};text-align:right;"
    if vertical < -0.7:  # the top label grows upwards from the tip
        box += f"bottom:{_percent(height - y, height)};"
    elif vertical > 0.7:  # labels at the bottom grow downwards
        box += f"top:{_percent(y, height)};"
    else:
        box += f"top:{_percent(y, height)};transform:translateY(-50%);"
    return box


def radar(
    labels: list[str],
    current: list[Decimal | None],
    previous: list[Decimal | None] | None = None,
    *,
    title: str,
    current_label: str,
    previous_label: str = "",
) -> SafeString:
    """A radar of 0–100 scores, one axis per label; ``previous`` drawn dashed underneath.

    The rings and polygons are SVG; the labels and the legend are HTML text laid over and under it, so
    Thai and Japanese are shaped like any text (WeasyPrint lays SVG text out one letter at a time, which
    leaves Thai vowels and tone marks on dotted circles) and a long label wraps inside the room it has
    instead of running off the chart. Positions are percentages of the box, so the figure scales."""
    count = len(labels)
    cx = RADAR_WIDTH / 2
    cy = LABEL_ROOM_TOP + RADAR_RADIUS + RADAR_GAP
    height = cy + RADAR_RADIUS + RADAR_GAP + LABEL_ROOM_BOTTOM
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {RADAR_WIDTH} {height:.0f}" '
        f'width="{RADAR_WIDTH}" height="{height:.0f}" style="display:block;width:100%;height:auto" '
        f'aria-hidden="true" focusable="false">'
    ]
    for ring in (25, 50, 75, 100):
        ring_points = _polygon([ring] * count, cx, cy, RADAR_RADIUS)
        svg.append(f'<polygon points="{ring_points}" fill="none" stroke="#d8dde4" stroke-width="1"/>')
    for index in range(count):
        x, y = _point(cx, cy, RADAR_RADIUS, index, count)
        svg.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#d8dde4" stroke-width="1"/>')
    if previous is not None:
        svg.append(
            f'<polygon points="{_polygon(previous, cx, cy, RADAR_RADIUS)}" fill="{PREVIOUS_COLOUR}" '
            f'fill-opacity="0.08" stroke="{PREVIOUS_COLOUR}" stroke-width="2" stroke-dasharray="5 4"/>'
        )
    svg.append(
        f'<polygon points="{_polygon(current, cx, cy, RADAR_RADIUS)}" fill="{CURRENT_COLOUR}" '
        f'fill-opacity="0.18" stroke="{CURRENT_COLOUR}" stroke-width="2.5"/>'
    )
    svg.append("</svg>")
    parts = [
        f'<figure class="radar" aria-label="{escape(title)}" '
        f'style="position:relative;max-width:{RADAR_WIDTH}px;margin:0 auto 8px;padding:0">',
        "".join(svg),
    ]
    for index, label in enumerate(labels):
        value = current[index]
        shown = "–" if value is None else _whole(value)
        parts.append(
            f'<p class="radar-label" style="{LABEL_STYLE}{_label_box(index, count, cx, cy, height)}">'
            f"{escape(label)} <strong>{shown}</strong></p>"
        )
    swatch = "display:inline-block;width:14px;height:4px;margin-right:6px;vertical-align:middle;background:"
    legend = [f'<span><span style="{swatch}{CURRENT_COLOUR}"></span>{escape(current_label)}</span>']
    if previous is not None:
        legend.append(
            f'<span style="margin-left:24px"><span style="{swatch}{PREVIOUS_COLOUR}"></span>'
            f"{escape(previous_label)}</span>"
        )
    parts.append(f'<figcaption style="font-size:0.85em;text-align:center">{"".join(legend)}</figcaption>')
    parts.append("</figure>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


def grouped_bars_svg(
    rows: list[tuple[str, list[Decimal | None]]], series: list[str], *, title: str
) -> SafeString:
    """Horizontal bars 0–100: one group per row (e.g. an industry), one bar per series (e.g. an area)."""
    palette = ["#0b4f8a", "#2f7fc1", "#5aa36a", "#d49a1c", "#b8322c", "#7a4fa3", "#4c5866"]
    label_width, bar_width, bar_height, gap = 190, 320, 9, 10
    height = 30 + len(rows) * (len(series) * bar_height + gap) + 20 * math.ceil(len(series) / 3)
    width = label_width + bar_width + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="bars"><title>{escape(title)}</title>'
    ]
    y = 10
    for label, values in rows:
        parts.append(f'<text x="0" y="{y + 10}" font-size="12">{escape(label)}</text>')
        for index, value in enumerate(values):
            length = 0 if value is None else bar_width * float(value) / 100
            colour = palette[index % len(palette)]
            shown = "–" if value is None else f"{float(value):.1f}"
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height - 1}" '
                f'fill="{colour}">'
                f"<title>{escape(series[index])}: {shown}</title></rect>"
            )
            if value is not None:
                parts.append(
                    f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 1}" font-size="9">'
                    f"{_whole(value)}</text>"
                )
            y += bar_height
        y += gap
    y += 10
    for index, name in enumerate(series):
        x = (index % 3) * (width / 3)
        row_y = y + (index // 3) * 20
        colour = palette[index % len(palette)]
        parts.append(f'<rect x="{x:.0f}" y="{row_y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14:.0f}" y="{row_y}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
