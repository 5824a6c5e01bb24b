"""A member's trends: each check-in's history as a chart, plain-language notes on how the
latest compares with a month before, and (when the member allows it) how their check-ins
line up with their time with people. Descriptive only: never a cause, never a score of the
member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from socialode.gatherings.access_felt import Felt
from socialode.platform.i18n import _, current, locale_of, ngettext, number
from socialode.web.charts import Chart, Guide, line_chart
from socialode.web.when import date_text
from socialode.wellbeing.access import Entry
from socialode.wellbeing.instruments import INSTRUMENTS, meaningful_change
from socialode.wellbeing.prefs import NAMES
from socialode.wellbeing.views import short_of

MONTH = timedelta(days=28)
WEEK = timedelta(days=7)
LINE_UP_WEEKS = 12
BUSY_DAYS = 3  # a week "with people": messages written on at least this many days


@dataclass(frozen=True)
class Scale:
    low: float
    high: float
    step: float
    higher_is_better: bool
    guide: float | None = None


SCALES = {
    "mood": Scale(1, 5, 1, True),
    "who5": Scale(0, 100, 20, True, 50),
    "ucla3": Scale(3, 9, 1, False, 6),
    "phq2": Scale(0, 6, 1, False, 3),
    "phq9": Scale(0, 27, 5, False, 10),
}


def _guide_words(name: str) -> str:
    return {
        "who5": _("At or below this line, talking to someone is suggested"),
        "ucla3": _("From this line up: often lonely"),
        "phq2": _("From this line up, the PHQ-9 is offered"),
        "phq9": _("From this line up: the range its authors call moderate"),
    }.get(name, "")


def _unit(name: str) -> str:
    if name == "mood":
        return _("mood, 1 to 5")
    return _("score out of %(most)s") % {"most": number(int(SCALES[name].high))}


def _decimal(value: float) -> str:
    return format_decimal(round(value, 1), locale=locale_of(current()))


def charts(entries: list[Entry], zone: ZoneInfo) -> list[Chart]:
    """One chart per kind of check-in the member has taken, in the usual order."""
    made = []
    for name in NAMES:
        points = [
            (e.taken_at, float(e.value))
            for e in reversed(entries)
            if e.name == name and e.value is not None
        ]
        if not points:
            continue
        scale = SCALES[name]
        guides = [Guide(scale.guide, _guide_words(name))] if scale.guide is not None else []
        made.append(
            line_chart(
                key=name,
                title=short_of(name),
                unit=_unit(name),
                points=points,
                y_min=scale.low,
                y_max=scale.high,
                y_step=scale.step,
                guides=guides,
                zone=zone,
                higher_is_better=scale.higher_is_better,
            )
        )
    return made


def notes(entries: list[Entry], zone: ZoneInfo) -> list[str]:
    """For each kind taken at least twice a week or more apart: how the latest compares
    with about a month before it (the nearest check-in at least four weeks older, else the
    first)."""
    said = []
    for name in NAMES:
        mine = [e for e in entries if e.name == name and e.value is not None]  # newest first
        if len(mine) < 2:
            continue
        latest = mine[0]
        older = [e for e in mine[1:] if latest.taken_at - e.taken_at >= MONTH]
        before = older[0] if older else mine[-1]
        if latest.taken_at - before.taken_at < WEEK:
            continue  # too close together to say anything about a change
        said.append(_note(name, before, latest, zone))
    return said


def _note(name: str, before: Entry, latest: Entry, zone: ZoneInfo) -> str:
    assert latest.value is not None and before.value is not None
    delta = int(latest.value - before.value)
    values = {"name": short_of(name), "num": abs(delta), "day": date_text(before.taken_at, zone)}
    if delta > 0:
        text = ngettext(
            "%(name)s rose %(num)d point since %(day)s.",
            "%(name)s rose %(num)d points since %(day)s.",
            abs(delta),
        )
    elif delta < 0:
        text = ngettext(
            "%(name)s fell %(num)d point since %(day)s.",
            "%(name)s fell %(num)d points since %(day)s.",
            abs(delta),
        )
    else:
        text = _("%(name)s is the same as on %(day)s.")
    text = text % values
    if name in INSTRUMENTS and delta and meaningful_change(name, before.value, latest.value):
        text += " " + _("Its authors call a change this size meaningful.")
    return text


@dataclass(frozen=True)
class Week:
    start: date
    talk_days: int
    mood: float | None  # the week's average mood, when there was one
    gatherings: int = 0  # gatherings the member went to that week

    @property
    def mood_text(self) -> str:
        return _decimal(self.mood) if self.mood is not None else "—"


def weeks(
    entries: list[Entry],
    talk_days: set[date],
    today: date,
    zone: ZoneInfo,
    together: list[datetime] | None = None,
) -> list[Week]:
    """The last ``LINE_UP_WEEKS`` weeks (Monday first), oldest first; ``together``: when the
    gatherings the member went to began."""
    met = [at.astimezone(zone).date() for at in together or []]
    monday = today - timedelta(days=today.weekday())
    made = []
    for back in range(LINE_UP_WEEKS - 1, -1, -1):
        start = monday - timedelta(weeks=back)
        days = {start + timedelta(days=n) for n in range(7)}
        moods = [
            float(e.value)
            for e in entries
            if e.name == "mood"
            and e.value is not None
            and e.taken_at.astimezone(zone).date() in days
        ]
        went = sum(1 for day in met if day in days)
        made.append(Week(start, len(days & talk_days), fmean(moods) if moods else None, went))
    return made


def line_up_note(weeks_seen: list[Week]) -> str | None:
    """How mood looked in weeks with people on several days against the other weeks, when
    each side has at least two weeks with a mood to compare."""
    busy = [w.mood for w in weeks_seen if w.mood is not None and w.talk_days >= BUSY_DAYS]
    quiet = [w.mood for w in weeks_seen if w.mood is not None and w.talk_days < BUSY_DAYS]
    if len(busy) < 2 or len(quiet) < 2:
        return None
    return _(
        "In weeks when you wrote to people on %(days)s or more days, your mood averaged "
        "%(busy)s; in the other weeks, %(quiet)s."
    ) % {
        "days": number(BUSY_DAYS),
        "busy": _decimal(fmean(busy)),
        "quiet": _decimal(fmean(quiet)),
    }


def since_for_line_up(now: datetime) -> datetime:
    return now - timedelta(weeks=LINE_UP_WEEKS, days=1)


def felt_chart(felt: list[Felt], zone: ZoneInfo) -> Chart | None:
    """How the gatherings the member went to felt (their own 1-5 answers), oldest first."""
    points = [
        (f.happened_at or f.taken_at, float(f.score))
        for f in reversed(felt)
        if f.score is not None and f.problem is None
    ]
    if not points:
        return None
    return line_chart(
        key="gatherings",
        title=_("How gatherings felt"),
        unit=_("feeling, 1 to 5"),
        points=points,
        y_min=1,
        y_max=5,
        y_step=1,
        zone=zone,
        higher_is_better=True,
    )
