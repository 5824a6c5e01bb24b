"""Charts as data for ``templates/charts.html``: server-rendered SVG with no styles or scripts.

A page builds a :class:`Chart` with :func:`line_chart` (values over time, such as a
wellbeing instrument's history) or :func:`bar_chart` (a few labelled values), and renders it
with the ``line_chart``/``bar_chart`` and ``chart_table`` macros. Everything a reader sees is
worked out here, in the language in force: the coordinates in one fixed ``viewBox``, the
axis labels, the plain-language description that screen readers hear, and the table rows.

Legibility on a phone: the SVG scales to the page's width, so the text in it shrinks with
it. The stylesheet gives the text a larger size on narrow screens, and the axes here leave
room for that size: at most six date labels, on two short lines, and margins wide enough
for the widest number.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from socialode.platform import i18n
from socialode.platform.i18n import _, ngettext
from socialode.web.when import words

WIDTH = 640
HEIGHT = 280
TOP = 14
BAR_TOP = TOP + 22
BOTTOM = HEIGHT - 54  # two lines of date labels below the plot
RIGHT = WIDTH - 30  # half of the widest date label fits right of the last tick
INSET = 10  # the first and last points stand this far inside the plot
CHAR = 13.5  # room for one character of an axis number at the phone text size
MAX_MONTH_TICKS = 8
MAX_DAY_TICKS = 8
MAX_Y_TICKS = 7
MAX_BAR_LABELS = 8
MAX_BAR_VALUES = 12
DAY_STEPS = (1, 2, 7, 14)
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


@dataclass(frozen=True)
class Guide:
    """A horizontal reference line, such as WHO-5's 50 ("Talk to someone at or below")."""

    value: float
    label: str  # already translated


@dataclass(frozen=True)
class Tick:
    pos: float  # x for a date tick, y for a value tick
    label: str
    sub: str = ""  # a second line under a date label: the year, where it changes


@dataclass(frozen=True)
class GuideLine:
    y: float
    label: str
    value: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    when: str
    value: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    show_label: bool
    show_value: bool


@dataclass(frozen=True)
class Chart:
    """Everything the macros draw; coordinates are in the ``viewBox`` of width by height."""

    key: str
    kind: str  # "line" or "bar"
    title: str
    unit: str
    description: str
    headings: tuple[str, str]  # of the table's two columns
    empty: bool = False
    width: int = WIDTH
    height: int = HEIGHT
    left: float = 0
    top: float = TOP
    right: float = RIGHT
    bottom: float = BOTTOM
    x_ticks: tuple[Tick, ...] = ()
    y_ticks: tuple[Tick, ...] = ()
    guides: tuple[GuideLine, ...] = ()
    points: tuple[Point, ...] = ()
    line: str = ""  # the ``points`` of the polyline ("x,y x,y ..."), empty under two points
    bars: tuple[Bar, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()

    @property
    def title_id(self) -> str:
        return f"chart-{self.key}-title"

    @property
    def desc_id(self) -> str:
        return f"chart-{self.key}-desc"


def value_text(value: float) -> str:
    """A value as the language in force writes it, with at most one decimal ("2,5")."""
    return _value_text(value, i18n.current())


@lru_cache(maxsize=4096)
def _value_text(value: float, language: str) -> str:
    # Charts repeat the same few values (scores of one scale) point after point.
    return format_decimal(value, format="#,##0.#", locale=i18n.locale_of(language))


def _r(value: float) -> float:
    return round(value, 1)


def _instant(at: datetime | date, zone: ZoneInfo) -> datetime:
    if isinstance(at, datetime):
        return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(zone)
    return datetime.combine(at, time(), tzinfo=zone)


def _day_text(day: date, year: bool = True) -> str:
    w = words()
    month = w.months[day.month - 1]
    if year:
        return w.day_month_year % {"day": day.day, "month": month, "year": day.year}
    return w.day_month % {"day": day.day, "month": month}


def _when_text(at: datetime | date, local: datetime, same_day_twice: bool) -> str:
    day = _day_text(local.date())
    if isinstance(at, datetime) and same_day_twice:
        return _("%(date)s, %(time)s") % {"date": day, "time": f"{local:%H:%M}"}
    return day


def _range_text(first: date, last: date) -> tuple[str, str]:
    """'3 Jan' and '28 Mar 2026': the year once when both are in it."""
    return _day_text(first, year=first.year != last.year), _day_text(last)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _date_ticks(first: date, last: date) -> list[tuple[date, str, str]]:
    """Ticks on whole days or on the first of months, at most a few, labelled on two short
    lines: the day over its month, or the month over its year, the second line only at the
    first tick and where it changes."""
    w = words()
    if (last - first).days < 60:
        for step in DAY_STEPS:
            count = (last - first).days // step + 1
            if count <= MAX_DAY_TICKS or step == DAY_STEPS[-1]:
                break
        days = [first + timedelta(days=n) for n in range(0, (last - first).days + 1, step)]
        return [
            (d, str(d.day), w.months[d.month - 1] if i == 0 or d.day <= step else "")
            for i, d in enumerate(days)
        ]
    month_starts = []
    tick = _add_months(first, 0 if first.day == 1 else 1)
    while tick <= last:
        month_starts.append(tick)
        tick = _add_months(tick, 1)
    for months in MONTH_STEPS:
        starts = [d for d in month_starts if (d.year * 12 + d.month - 1) % months == 0]
        if len(starts) <= MAX_MONTH_TICKS:
            break
    if months >= 12:
        return [(d, str(d.year), "") for d in starts]
    return [
        (d, w.months[d.month - 1], str(d.year) if i == 0 or d.month == 1 else "")
        for i, d in enumerate(starts)
    ]


def _y_scale(
    low: float, high: float, y_min: float, y_max: float, y_step: float
) -> tuple[float, float, float]:
    """The value range, widened by whole steps to hold every value, and a step that gives
    at most a few labels, the top one at the top."""
    if y_step <= 0 or y_max <= y_min:
        raise ValueError("a chart needs y_min < y_max and a positive y_step")
    while low < y_min:
        y_min -= y_step
    while high > y_max:
        y_max += y_step
    step = y_step * math.ceil(((y_max - y_min) / y_step + 1) / MAX_Y_TICKS)
    return y_min, y_min + math.ceil((y_max - y_min) / step - 1e-9) * step, step


def _y_ticks(
    y_min: float, y_max: float, step: float, y_of: Callable[[float], float]
) -> tuple[Tick, ...]:
    ticks = []
    n = 0
    while y_min + n * step <= y_max + step * 1e-9:
        value = y_min + n * step
        ticks.append(Tick(_r(y_of(value)), value_text(value)))
        n += 1
    return tuple(ticks)


def _left_margin(labels: Sequence[str]) -> float:
    return 10 + math.ceil(max((len(s) for s in labels), default=1) * CHAR)


def _empty(key: str, kind: str, title: str, unit: str, headings: tuple[str, str]) -> Chart:
    return Chart(
        key=key,
        kind=kind,
        title=title,
        unit=unit,
        description=_("Nothing to show yet: the chart begins with the first value."),
        headings=headings,
        empty=True,
    )


def _heading(unit: str) -> str:
    return unit[:1].upper() + unit[1:]


def line_chart(
    *,
    key: str,
    title: str,
    unit: str,
    points: Sequence[tuple[datetime | date, float]],
    y_min: float,
    y_max: float,
    y_step: float,
    guides: Sequence[Guide] = (),
    zone: ZoneInfo | None = None,
    higher_is_better: bool | None = None,
) -> Chart:
    """Values over time, oldest first, placed by their dates in the reader's ``zone``."""
    headings = (_("Date"), _heading(unit))
    if not points:
        return _empty(key, "line", title, unit, headings)
    zone = zone or ZoneInfo("UTC")
    local = [_instant(at, zone) for at, _v in points]
    values = [float(v) for _at, v in points]
    y_min, y_max, step = _y_scale(min(values), max(values), y_min, y_max, y_step)
    left = _left_margin([value_text(y_min), value_text(y_max)])

    def y_of(value: float) -> float:
        return BOTTOM - (value - y_min) / (y_max - y_min) * (BOTTOM - TOP)

    first, last = local[0], local[-1]
    span = (last - first).total_seconds()

    def x_of(at: datetime) -> float:
        if span <= 0:
            return (left + RIGHT) / 2
        return left + INSET + (at - first).total_seconds() / span * (RIGHT - left - 2 * INSET)

    days = [at.date() for at in local]
    per_day = Counter(days)
    marks = tuple(
        Point(
            _r(x_of(at)),
            _r(y_of(v)),
            _when_text(raw, at, per_day[at.date()] > 1),
            value_text(v),
        )
        for (raw, _v), at, v in zip(points, local, values, strict=True)
    )
    x_ticks = tuple(
        Tick(_r(x_of(datetime.combine(d, time(), tzinfo=zone))), label, sub)
        for d, label, sub in _date_ticks(days[0], days[-1])
        if left <= x_of(datetime.combine(d, time(), tzinfo=zone)) <= RIGHT
    )
    guide_lines = tuple(
        GuideLine(
            _r(y_of(g.value)),
            g.label,
            value_text(g.value),
        )
        for g in guides
        if y_min <= g.value <= y_max
    )
    return Chart(
        key=key,
        kind="line",
        title=title,
        unit=unit,
        description=" ".join(
            [
                _line_description(days, values, unit, higher_is_better),
                *(
                    _("The dashed line marks %(value)s: %(label)s.")
                    % {"value": g.value, "label": g.label}
                    for g in guide_lines
                ),
            ]
        ),
        left=left,
        x_ticks=x_ticks,
        y_ticks=_y_ticks(y_min, y_max, step, y_of),
        guides=guide_lines,
        points=marks,
        line=" ".join(f"{p.x},{p.y}" for p in marks) if len(marks) > 1 else "",
        rows=tuple((p.when, p.value) for p in marks),
        headings=headings,
    )


def _line_description(
    days: list[date], values: list[float], unit: str, higher_is_better: bool | None
) -> str:
    n = len(values)
    if n == 1:
        return _("One value, on %(date)s: %(value)s (%(unit)s).") % {
            "date": _day_text(days[0]),
            "value": value_text(values[0]),
            "unit": unit,
        }
    start, end = _range_text(days[0], days[-1])
    facts = {
        "n": i18n.number(n),
        "start": start,
        "end": end,
        "low": value_text(min(values)),
        "high": value_text(max(values)),
        "unit": unit,
        "first": value_text(values[0]),
        "latest": value_text(values[-1]),
    }
    if min(values) == max(values):
        return (
            ngettext(
                "%(n)s value from %(start)s to %(end)s, every one %(low)s (%(unit)s).",
                "%(n)s values from %(start)s to %(end)s, every one %(low)s (%(unit)s).",
                n,
            )
            % facts
        )
    sentences = [
        ngettext(
            "%(n)s value from %(start)s to %(end)s, between %(low)s and %(high)s (%(unit)s).",
            "%(n)s values from %(start)s to %(end)s, between %(low)s and %(high)s (%(unit)s).",
            n,
        )
        % facts
    ]
    if values[-1] > values[0]:
        sentences.append(_("The latest is %(latest)s, up from %(first)s at the start.") % facts)
    elif values[-1] < values[0]:
        sentences.append(_("The latest is %(latest)s, down from %(first)s at the start.") % facts)
    else:
        sentences.append(_("The latest is %(latest)s, the same as at the start.") % facts)
    if higher_is_better is True:
        sentences.append(_("Higher is better."))
    elif higher_is_better is False:
        sentences.append(_("Lower is better."))
    return " ".join(sentences)


def _nice_max(high: float) -> tuple[float, float]:
    """A round top for the axis and a step giving about four labels (45 -> 50, step 10)."""
    if high <= 0:
        return 1.0, 1.0
    rough = high / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    return math.ceil(high / step) * step, step


def _even_step(top: float) -> float:
    """A step that divides a given top into a few whole parts (120 -> 30)."""
    return next((top / k for k in (4, 5, 3, 6, 2) if (top / k).is_integer()), top)


def bar_chart(
    *,
    key: str,
    title: str,
    unit: str,
    bars: Sequence[tuple[str, float]],
    y_max: float | None = None,
    label_heading: str | None = None,
) -> Chart:
    """A few labelled values side by side (the days of a week), from zero up."""
    headings = (label_heading or _("Category"), _heading(unit))
    if not bars:
        return _empty(key, "bar", title, unit, headings)
    values = [max(0.0, float(v)) for _label, v in bars]
    top, step = _nice_max(max(values)) if y_max is None else (y_max, _even_step(y_max))
    _low, top, step = _y_scale(0.0, max(values), 0.0, top, step)
    left = _left_margin([value_text(top)])

    def y_of(value: float) -> float:  # room above the tallest bar for its value
        return BOTTOM - value / top * (BOTTOM - BAR_TOP)

    slot = (RIGHT - left) / len(bars)
    every = math.ceil(len(bars) / MAX_BAR_LABELS)
    marks = tuple(
        Bar(
            x=_r(left + i * slot + slot * 0.15),
            y=_r(y_of(v)),
            width=_r(slot * 0.7),
            height=_r(BOTTOM - y_of(v)),
            label=label,
            value=value_text(v),
            show_label=i % every == 0,
            show_value=len(bars) <= MAX_BAR_VALUES,
        )
        for i, ((label, _v), v) in enumerate(zip(bars, values, strict=True))
    )
    return Chart(
        key=key,
        kind="bar",
        title=title,
        unit=unit,
        description=_bar_description(list(bars), unit),
        left=left,
        top=BAR_TOP,
        y_ticks=_y_ticks(0.0, top, step, y_of),
        bars=marks,
        rows=tuple((label, value_text(v)) for label, v in bars),
        headings=headings,
    )


def _bar_description(bars: list[tuple[str, float]], unit: str) -> str:
    highest = max(bars, key=lambda b: b[1])
    lowest = min(bars, key=lambda b: b[1])
    n = len(bars)
    facts = {
        "n": i18n.number(n),
        "unit": unit,
        "high_label": highest[0],
        "high": value_text(highest[1]),
        "low_label": lowest[0],
        "low": value_text(lowest[1]),
    }
    if highest[1] == lowest[1]:
        return (
            ngettext(
                "%(n)s value, every one %(high)s (%(unit)s).",
                "%(n)s values, every one %(high)s (%(unit)s).",
                n,
            )
            % facts
        )
    return (
        ngettext(
            "%(n)s value (%(unit)s): the highest is %(high_label)s, %(high)s; "
            "the lowest is %(low_label)s, %(low)s.",
            "%(n)s values (%(unit)s): the highest is %(high_label)s, %(high)s; "
            "the lowest is %(low_label)s, %(low)s.",
            n,
        )
        % facts
    )
