"""What the wellbeing pages show, worked out from a member's own check-ins: which are due,
how the latest compares with the one before, and the words for each. Pure: no reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from socialode.platform.i18n import N_, _, ngettext
from socialode.wellbeing.access import Entry
from socialode.wellbeing.actions.reminders import due
from socialode.wellbeing.instruments import INSTRUMENTS, meaningful_change
from socialode.wellbeing.prefs import NAMES, Prefs

MOOD_TITLE = N_("Mood")


def title_of(name: str) -> str:
    return _(INSTRUMENTS[name].title) if name in INSTRUMENTS else _(MOOD_TITLE)


def short_of(name: str) -> str:
    return _(INSTRUMENTS[name].short) if name in INSTRUMENTS else _(MOOD_TITLE)


@dataclass(frozen=True)
class Offer:
    """One check-in on the wellbeing page: chosen or not, due or not, when last taken."""

    name: str
    title: str
    chosen: bool
    due: bool
    last: datetime | None
    every: int | None


def offers(prefs: Prefs, entries: list[Entry], now: datetime) -> list[Offer]:
    """Every check-in, the member's chosen ones first (in the usual order), due or not; while
    paused nothing is due."""
    due_now = set() if prefs.paused(now) else set(due(prefs, entries, now))
    last: dict[str, datetime] = {}
    for entry in entries:
        if entry.name and entry.name not in last:
            last[entry.name] = entry.taken_at
    made = [
        Offer(
            name,
            title_of(name),
            name in prefs.schedule,
            name in due_now,
            last.get(name),
            prefs.schedule.get(name),
        )
        for name in NAMES
        if name != "mood"
    ]
    return sorted(made, key=lambda o: not o.chosen)


@dataclass(frozen=True)
class Change:
    before: int
    after: int
    meaningful: bool

    @property
    def words(self) -> str:
        delta = self.after - self.before
        if delta == 0:
            return _("The same as last time.")
        if delta > 0:
            text = ngettext(
                "%(num)d point higher than last time.",
                "%(num)d points higher than last time.",
                delta,
            )
        else:
            text = ngettext(
                "%(num)d point lower than last time.",
                "%(num)d points lower than last time.",
                -delta,
            )
        text = text % {"num": abs(delta)}
        if self.meaningful:
            text += " " + _("A change this size is what its authors call meaningful.")
        return text


def change_since(entries: list[Entry], entry: Entry) -> Change | None:
    """How ``entry`` compares with the member's previous check-in of the same kind."""
    earlier = [
        e
        for e in entries
        if e.name == entry.name
        and e.value is not None
        and (e.taken_at, e.id) < (entry.taken_at, entry.id)
    ]
    if not earlier or entry.value is None or entry.name not in INSTRUMENTS:
        return None
    before = max(earlier, key=lambda e: (e.taken_at, e.id))
    assert before.value is not None
    return Change(
        before.value, entry.value, meaningful_change(entry.name, before.value, entry.value)
    )
