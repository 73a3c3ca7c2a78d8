"""Small charts drawn on the server as inline SVG: no script, no CDN, right-to-left aware.

Bars (grouped or stacked), lines and a service-level gauge, enough for the
reports and the wallboard. Every text is escaped; numbers are written in the
language's own digits and separators (:func:`format_number`). In Arabic the
time axis runs from right to left and the value axis stands on the right, as
Arabic readers scan. Each chart is an ``img`` with a title and a description;
the figures themselves are in the tables beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours that stay apart for the colour-blind (Okabe–Ito), in series order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def format_number(value: float | int | None, *, language: str, decimals: int = 0) -> str:
    """``1234.5`` as ``1,234.5`` in English and ``١٬٢٣٤٫٥`` in Arabic; ``—`` for nothing."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    if not language.startswith("ar"):
        return text
    return text.replace(",", "\u066c").replace(".", "\u066b").translate(ARABIC_DIGITS)


def percent_sign(language: str) -> str:
    return "\u066a" if language.startswith("ar") else "%"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Frame:
    """The plotting area inside a ``width`` × ``height`` picture."""

    width: int
    height: int
    rtl: bool
    top: int = 16
    bottom: int = 48
    side: int = 52  # the value axis's side (right in Arabic)
    other: int = 12

    @property
    def left(self) -> int:
        return self.other if self.rtl else self.side

    @property
    def right(self) -> int:
        return self.width - (self.side if self.rtl else self.other)

    @property
    def base(self) -> int:
        return self.height - self.bottom

    def x(self, slot: float, slots: int) -> float:
        """The middle of ``slot`` (0 = first in reading order) among ``slots``."""
        step = (self.right - self.left) / max(slots, 1)
        offset = (slot + 0.5) * step
        return self.right - offset if self.rtl else self.left + offset

    def y(self, value: float, top_value: float) -> float:
        return self.base - (self.base - self.top) * (value / top_value if top_value else 0)


def _nice_top(largest: float) -> float:
    """A round value at or above ``largest`` for the top of the value axis."""
    if largest <= 0:
        return 1
    power = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= largest:
            return step * power
    return 10 * power


def _open(frame: Frame, title: str, description: str, css: str) -> list[str]:
    direction = "rtl" if frame.rtl else "ltr"
    return [
        f'<svg class="chart {css}" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" direction="{direction}" '
        f'preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]


def _text(x: float, y: float, text: str, *, anchor: str, css: str = "", rtl: bool) -> str:
    direction = ' direction="rtl"' if rtl else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}"{direction}>'
        f"{escape(text)}</text>"
    )


def _axes(
    frame: Frame, labels: Sequence[str], top_value: float, *, language: str, unit: str
) -> list[str]:
    parts = []
    for tick in range(5):
        value = top_value * tick / 4
        y = frame.y(value, top_value)
        parts.append(
            f'<line class="grid" x1="{frame.left}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        decimals = 0 if value == int(value) else 1
        label = format_number(value, language=language, decimals=decimals) + unit
        x = frame.right + 6 if frame.rtl else frame.left - 6
        parts.append(_text(x, y + 4, label, anchor="end", css="tick", rtl=frame.rtl))
    # Label every slot when there is room, else about eight of them.
    every = max(1, math.ceil(len(labels) / 8))
    for index, label in enumerate(labels):
        if index % every and index != len(labels) - 1:
            continue
        parts.append(
            _text(
                frame.x(index, len(labels)),
                frame.base + 18,
                label,
                anchor="middle",
                css="tick",
                rtl=frame.rtl,
            )
        )
    return parts


def _legend(frame: Frame, series: Sequence[Series]) -> list[str]:
    parts = ['<g class="legend">']
    x = float(frame.right if frame.rtl else frame.left)
    y = frame.height - 10
    for index, one in enumerate(series):
        width = 18 + 8.5 * len(one.name)
        box_x = x - 10 if frame.rtl else x
        text_x = x - 14 if frame.rtl else x + 14
        parts.append(
            f'<rect x="{box_x:.1f}" y="{y - 9}" width="10" height="10" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
        )
        parts.append(_text(text_x, y, one.name, anchor="start", css="legend-text", rtl=frame.rtl))
        x = x - width - 12 if frame.rtl else x + width + 12
    parts.append("</g>")
    return parts


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    language: str,
    stacked: bool = False,
    width: int = 640,
    height: int = 260,
    unit: str = "",
) -> SafeString:
    """Bars per label: one per series side by side, or stacked into one."""
    frame = Frame(width, height, rtl=language.startswith("ar"))
    slots = len(labels)
    if stacked:
        largest = max((sum(s.values[i] or 0 for s in series) for i in range(slots)), default=0.0)
    else:
        largest = max((v or 0 for s in series for v in s.values), default=0.0)
    top_value = _nice_top(largest)
    if all(isinstance(v, int) for s in series for v in s.values if v is not None):
        # Counts: whole numbers on every one of the four grid lines.
        top_value = max(4, math.ceil(top_value / 4) * 4)
    parts = _open(frame, title, _describe(labels, series, language), "bars")
    parts += _axes(frame, labels, top_value, language=language, unit=unit)
    slot_width = (frame.right - frame.left) / max(slots, 1)
    bar_width = slot_width * 0.7 / (1 if stacked else max(len(series), 1))
    for index in range(slots):
        centre = frame.x(index, slots)
        under = 0.0
        for number, one in enumerate(series):
            value = one.values[index] or 0
            colour = PALETTE[number % len(PALETTE)]
            if stacked:
                x = centre - bar_width / 2
                y_top = frame.y(under + value, top_value)
                y_bottom = frame.y(under, top_value)
                under += value
            else:
                # In reading order: the first series first (on the right in Arabic).
                shift = (number - (len(series) - 1) / 2) * bar_width
                x = centre + (-shift if frame.rtl else shift) - bar_width / 2
                y_top, y_bottom = frame.y(value, top_value), frame.base
            if value <= 0:
                continue
            tip = f"{labels[index]} · {one.name}: {format_number(value, language=language)}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{bar_width:.1f}" '
                f'height="{max(y_bottom - y_top, 0.5):.1f}" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
    parts += _legend(frame, series)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    language: str,
    top_value: float | None = None,
    unit: str = "",
    decimals: int = 0,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Lines through the values; a day without a value breaks the line there."""
    frame = Frame(width, height, rtl=language.startswith("ar"))
    slots = len(labels)
    largest = max((v or 0 for s in series for v in s.values), default=0.0)
    top = top_value or _nice_top(largest)
    parts = _open(frame, title, _describe(labels, series, language, decimals), "lines")
    parts += _axes(frame, labels, top, language=language, unit=unit)
    for number, one in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        runs: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(one.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append((frame.x(index, slots), frame.y(value, top)))
            tip = f"{labels[index]} · {one.name}: " + format_number(
                value, language=language, decimals=decimals
            )
            x, y = runs[-1][-1]
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(tip + unit)}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
    parts += _legend(frame, series)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def gauge(
    *, title: str, percent: float | None, target: float, language: str, caption: str = ""
) -> SafeString:
    """A half dial from 0 to 100 %: green at or above ``target``, amber near it, red below."""
    width, height, radius, cx, cy = 220, 140, 90, 110, 112
    rtl = language.startswith("ar")
    state = "none"
    if percent is not None:
        state = "good" if percent >= target else ("warn" if percent >= target - 10 else "bad")
    parts = [
        f'<svg class="chart gauge gauge-{state}" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(format_number(percent, language=language, decimals=1))} %</desc>",
        _arc(cx, cy, radius, 0, 1, "gauge-track", rtl),
    ]
    if percent:
        parts.append(_arc(cx, cy, radius, 0, min(percent, 100) / 100, "gauge-value", rtl))
    # The target as a tick across the dial.
    tx, ty = _dial_point(cx, cy, radius + 8, target / 100, rtl)
    ix, iy = _dial_point(cx, cy, radius - 22, target / 100, rtl)
    parts.append(
        f'<line class="gauge-target" x1="{ix:.1f}" y1="{iy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}"/>'
    )
    figure = format_number(percent, language=language, decimals=0)
    if percent is not None:
        figure += percent_sign(language)
    parts.append(_text(cx, cy - 14, figure, anchor="middle", css="gauge-figure", rtl=rtl))
    if caption:
        parts.append(_text(cx, cy + 20, caption, anchor="middle", css="gauge-caption", rtl=rtl))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _dial_point(cx: float, cy: float, r: float, share: float, rtl: bool) -> tuple[float, float]:
    # 0 % at the reading start (right in Arabic, left in English), 100 % at the other end.
    angle = math.pi * share
    x = cx + r * math.cos(angle) if rtl else cx - r * math.cos(angle)
    return x, cy - r * math.sin(angle)


def _arc(cx: float, cy: float, r: float, start: float, end: float, css: str, rtl: bool) -> str:
    x1, y1 = _dial_point(cx, cy, r, start, rtl)
    x2, y2 = _dial_point(cx, cy, r, end, rtl)
    sweep = 0 if rtl else 1
    return (
        f'<path class="{css}" d="M {x1:.1f} {y1:.1f} A {r} {r} 0 0 {sweep} {x2:.1f} {y2:.1f}" '
        f'fill="none" stroke-width="18"/>'
    )


def _describe(
    labels: Sequence[str], series: Sequence[Series], language: str, decimals: int = 0
) -> str:
    """The figures in words, for screen readers: ``name: label value, …`` per series."""
    return "; ".join(
        f"{one.name}: "
        + ", ".join(
            f"{label} {format_number(value, language=language, decimals=decimals)}"
            for label, value in zip(labels, one.values, strict=True)
        )
        for one in series
    )
