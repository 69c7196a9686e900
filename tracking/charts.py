"""Charts drawn as SVG text on the server: no JavaScript, so the same chart works on a page, in the
one-page brief and in the summary PDF (WeasyPrint draws inline SVG).

Pure functions over numbers and already-translated labels; no Django. Every text is escaped here,
so callers may mark the result safe. Each chart carries a <title> and <desc> for screen readers;
pages also show the numbers as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

FONT = 'font-family="DejaVu Sans, Segoe UI, sans-serif" font-size="12"'
INK, MUTED, GRID = "#1c2430", "#5a6472", "#d9dee5"

# One colour per status, shared by every chart so a reader learns them once.
STATUS_COLOURS = {
    "proposed": "#a9b3c1",
    "circulating": "#7fa7d9",
    "submitted": "#4f81c7",
    "acknowledged": "#2d5fa3",
    "in_progress": "#e0a030",
    "implemented": "#2e8b57",
    "not_taken_up": "#c0392b",
    "superseded": "#7d5ba6",
}


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def nice_ceiling(value: int) -> tuple[int, int]:
    """(axis maximum, tick step): at most five round steps (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1, 1
    magnitude = 10 ** max(0, math.floor(math.log10(value)) - 1)
    for factor in (1, 2, 5, 10, 20, 50):
        step = factor * magnitude
        if math.ceil(value / step) <= 5:
            return math.ceil(value / step) * step, step
    return value, value


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    cid = _attr(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
    ]


def bar_chart(
    rows: Sequence[tuple[str, int, str]], *, chart_id: str, title: str, description: str, width: int = 640
) -> str:
    """Horizontal bars, one per (label, value, colour) row, with the value at the bar's end."""
    label_width, row_height, top = 170, 26, 8
    height = top * 2 + row_height * max(len(rows), 1)
    largest = max((value for _label, value, _colour in rows), default=0)
    span = width - label_width - 50
    parts = _open(chart_id, width, height, title, description)
    parts.append(f"<g {FONT}>")
    for index, (label, value, colour) in enumerate(rows):
        y = top + index * row_height
        length = 0 if largest == 0 else span * value / largest
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" fill="{INK}">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{_number(length)}" height="{row_height - 8}" '
            f'fill="{_attr(colour)}"><title>{escape(label)}: {value}</title></rect>'
            f'<text x="{_number(label_width + length + 6)}" y="{y + 17}" fill="{INK}">{value}</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


def _axis(
    parts: list[str], *, left: int, top: int, plot_width: int, plot_height: int, axis_max: int, step: int
) -> None:
    for tick in range(0, axis_max + 1, step):
        y = top + plot_height - plot_height * tick / axis_max
        parts.append(
            f'<line x1="{left}" x2="{left + plot_width}" y1="{_number(y)}" y2="{_number(y)}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{_number(y + 4)}" text-anchor="end" fill="{MUTED}">{tick}</text>'
        )


def _x_labels(parts: list[str], labels: Sequence[str], *, left: int, slot: float, y: int) -> None:
    # At most about eight labels, so they never overlap.
    every = max(1, math.ceil(len(labels) / 8))
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1:
            x = left + slot * index + slot / 2
            parts.append(f'<text x="{_number(x)}" y="{y}" text-anchor="middle" fill="{MUTED}">{escape(label)}</text>')


def stacked_columns(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], str]],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: int = 640,
    height: int = 280,
) -> str:
    """One column per label, stacked from the (name, values, colour) series, with a legend."""
    left, top, legend_height = 40, 10, 22 * math.ceil(len(series) / 4)
    plot_width, plot_height = width - left - 10, height - top - 30 - legend_height
    totals = [sum(values[index] for _name, values, _colour in series) for index in range(len(labels))]
    axis_max, step = nice_ceiling(max(totals, default=0))
    slot = plot_width / max(len(labels), 1)
    parts = _open(chart_id, width, height, title, description)
    parts.append(f"<g {FONT}>")
    _axis(parts, left=left, top=top, plot_width=plot_width, plot_height=plot_height, axis_max=axis_max, step=step)
    for index, label in enumerate(labels):
        base: float = top + plot_height
        bar = min(slot * 0.7, 48)
        x = left + slot * index + (slot - bar) / 2
        for name, values, colour in series:
            value = values[index]
            if not value:
                continue
            size = plot_height * value / axis_max
            base -= size
            parts.append(
                f'<rect x="{_number(x)}" y="{_number(base)}" width="{_number(bar)}" '
                f'height="{_number(size)}" fill="{_attr(colour)}"><title>{escape(label)} · {escape(name)}: '
                f"{value}</title></rect>"
            )
    _x_labels(parts, labels, left=left, slot=slot, y=top + plot_height + 16)
    legend_top = top + plot_height + 30
    for index, (name, _values, colour) in enumerate(series):
        x, y = left + (index % 4) * (plot_width / 4), legend_top + (index // 4) * 22
        parts.append(
            f'<rect x="{_number(x)}" y="{y}" width="12" height="12" fill="{_attr(colour)}"/>'
            f'<text x="{_number(x + 17)}" y="{y + 10}" fill="{INK}">{escape(name)}</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


def line_chart(
    labels: Sequence[str],
    values: Sequence[int],
    *,
    chart_id: str,
    title: str,
    description: str,
    colour: str = "#0b5cab",
    width: int = 640,
    height: int = 220,
) -> str:
    """A line through one value per label, with a dot and a tooltip at each point."""
    left, top = 40, 10
    plot_width, plot_height = width - left - 10, height - top - 30
    axis_max, step = nice_ceiling(max(values, default=0))
    slot = plot_width / max(len(labels), 1)
    points = [
        (left + slot * index + slot / 2, top + plot_height - plot_height * value / axis_max)
        for index, value in enumerate(values)
    ]
    parts = _open(chart_id, width, height, title, description)
    parts.append(f"<g {FONT}>")
    _axis(parts, left=left, top=top, plot_width=plot_width, plot_height=plot_height, axis_max=axis_max, step=step)
    if points:
        path = " ".join(f"{_number(x)},{_number(y)}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{_attr(colour)}" stroke-width="2"/>')
    for (x, y), label, value in zip(points, labels, values, strict=True):
        parts.append(
            f'<circle cx="{_number(x)}" cy="{_number(y)}" r="3" fill="{_attr(colour)}">'
            f"<title>{escape(label)}: {value}</title></circle>"
        )
    _x_labels(parts, labels, left=left, slot=slot, y=top + plot_height + 16)
    parts.append("</g></svg>")
    return "".join(parts)
