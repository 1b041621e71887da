"""Inline SVG charts (no JavaScript, no external library; the same markup works in pages and PDFs).

Labels are escaped here; the result is marked safe for templates."""

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CURRENT_COLOUR = "#0b4f8a"
PREVIOUS_COLOUR = "#b8322c"


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _polygon(values, cx, cy, radius) -> str:
    count = len(values)
    points = []
    for index, value in enumerate(values):
        share = 0.0 if value is None else float(value) / 100
        x, y = _point(cx, cy, radius * share, index, count)
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)


def radar_svg(
    labels: list[str],
    current: list[Decimal | None],
    previous: list[Decimal | None] | None = None,
    *,
    title: str,
    current_label: str,
    previous_label: str = "",
    size: int = 360,
) -> SafeString:
    """A radar of 0–100 scores, one axis per label; ``previous`` drawn dashed underneath."""
    cx = cy = size / 2
    radius = size / 2 - 70
    count = len(labels)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size + 30}" width="{size}" '
        f'height="{size + 30}" role="img" aria-label="{escape(title)}" class="radar">',
        f"<title>{escape(title)}</title>",
    ]
    for ring in (25, 50, 75, 100):
        ring_points = _polygon([ring] * count, cx, cy, radius)
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#d8dde4" stroke-width="1"/>')
    for index, label in enumerate(labels):
        x, y = _point(cx, cy, radius, index, count)
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#d8dde4" stroke-width="1"/>'
        )
        lx, ly = _point(cx, cy, radius + 28, index, count)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        value = current[index]
        shown = "–" if value is None else f"{float(value):.0f}"
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="{anchor}" fill="#1c2430">'
            f"{escape(label)} ({shown})</text>"
        )
    if previous is not None:
        parts.append(
            f'<polygon points="{_polygon(previous, cx, cy, radius)}" fill="{PREVIOUS_COLOUR}" '
            f'fill-opacity="0.08" stroke="{PREVIOUS_COLOUR}" stroke-width="2" stroke-dasharray="5 4"/>'
        )
    parts.append(
        f'<polygon points="{_polygon(current, cx, cy, radius)}" fill="{CURRENT_COLOUR}" fill-opacity="0.18" '
        f'stroke="{CURRENT_COLOUR}" stroke-width="2.5"/>'
    )
    legend_y = size + 14
    parts.append(f'<rect x="10" y="{legend_y - 9}" width="14" height="4" fill="{CURRENT_COLOUR}"/>')
    parts.append(f'<text x="30" y="{legend_y}" font-size="11">{escape(current_label)}</text>')
    if previous is not None:
        parts.append(f'<rect x="190" y="{legend_y - 9}" width="14" height="4" fill="{PREVIOUS_COLOUR}"/>')
        parts.append(f'<text x="210" y="{legend_y}" font-size="11">{escape(previous_label)}</text>')
    parts.append("</svg>")
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
                    f"{float(value):.0f}</text>"
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
