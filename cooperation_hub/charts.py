"""A server-rendered SVG bar chart: readable without JavaScript, described for
screen readers, and always paired with a data table in the page (the table is
the figures; the chart only draws them).

Used by the consultations' open data (contributions) and the network dashboard
(exchanges); each draws it in its own template next to its table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    max_value: int
    baseline: float


def _label(key: date | str, label_format: str) -> str:
    # Periods are dates shown in the active language's format; categories (a theme) are their own label.
    if isinstance(key, date):
        return date_format(key, label_format or "SHORT_DATE_FORMAT")
    return str(key)


def bar_chart(
    series: list[tuple[date | str, int]],
    width: int = 720,
    height: int = 220,
    limit: int = 60,
    label_format: str = "",
) -> Chart:
    """Bars for the last ``limit`` items of ``series`` ((period or category, count)); a
    period's label in ``label_format`` (a Django date format, SHORT_DATE_FORMAT by default)."""
    series = series[-limit:]
    top, bottom, left, right = 16, 40, 32, 8
    max_value = max((n for _, n in series), default=0) or 1
    inner_w, inner_h = width - left - right, height - top - bottom
    step = inner_w / max(len(series), 1)
    bar_w = max(step * 0.7, 1)
    bars = []
    for i, (key, n) in enumerate(series):
        h = inner_h * n / max_value
        bars.append(
            Bar(
                x=round(left + i * step + (step - bar_w) / 2, 1),
                y=round(top + inner_h - h, 1),
                width=round(bar_w, 1),
                height=round(h, 1),
                label=_label(key, label_format),
                value=n,
            )
        )
    return Chart(width=width, height=height, bars=bars, max_value=max_value, baseline=top + inner_h)
