"""Request and response bodies of the wellbeing API (only ever the member's own data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from socialode.platform.i18n import _
from socialode.wellbeing.access import Entry
from socialode.wellbeing.instruments import Instrument
from socialode.wellbeing.prefs import Prefs


class CheckinIn(BaseModel):
    instrument: str = Field(max_length=20, description="mood, who5, ucla3, phq2 or phq9")
    answers: dict[str, Any] = Field(
        max_length=20,
        description='Item keys to answer values, e.g. {"q1": 3, ...}; mood: {"mood": 1-5}.',
    )
    feelings: list[str] = Field(default_factory=list, max_length=20)
    note: str = Field(default="", max_length=20_000)


class ResultOut(BaseModel):
    total: int
    shown: int
    scale_max: int
    band: str
    band_label: str
    meaning: str
    next_steps: list[str]
    crisis: bool


class CheckinOut(BaseModel):
    id: int
    taken_at: datetime
    instrument: str | None
    answers: dict[str, int]
    feelings: list[str]
    note: str
    result: ResultOut | None
    problem: str | None = Field(description="Set, and nothing else, when it cannot be read.")

    @classmethod
    def of(cls, entry: Entry) -> CheckinOut:
        r = entry.result
        result = (
            ResultOut(
                total=r.total,
                shown=r.shown,
                scale_max=r.scale_max,
                band=r.band,
                band_label=_(r.band_label),
                meaning=_(r.meaning),
                next_steps=list(r.next_steps),
                crisis=r.crisis,
            )
            if r
            else None
        )
        return cls(
            id=entry.id,
            taken_at=entry.taken_at,
            instrument=entry.name or None,
            answers=entry.answers,
            feelings=list(entry.feelings),
            note=entry.note,
            result=result,
            problem=_(entry.problem) if entry.problem else None,
        )


class CheckinsOut(BaseModel):
    checkins: list[CheckinOut]
    next: str | None = Field(description="The cursor of the next page; null: that is all.")


class OptionOut(BaseModel):
    value: int
    label: str


class ItemOut(BaseModel):
    key: str
    text: str


class InstrumentOut(BaseModel):
    name: str
    title: str
    stem: str
    items: list[ItemOut]
    options: list[OptionOut]
    citation: str

    @classmethod
    def of(cls, i: Instrument) -> InstrumentOut:
        return cls(
            name=i.name,
            title=_(i.title),
            stem=_(i.stem),
            items=[ItemOut(key=t.key, text=_(t.text)) for t in i.items],
            options=[OptionOut(value=o.value, label=_(o.label)) for o in i.options],
            citation=i.citation,
        )


class InstrumentsOut(BaseModel):
    instruments: list[InstrumentOut]


class PrefsIn(BaseModel):
    schedule: dict[str, int] | None = Field(
        default=None, max_length=10, description="Check-in name to every N days (1, 7, 14, 30)."
    )
    reminders: bool | None = None
    line_up: bool | None = None
    pause_days: int | None = Field(default=None, description="7, 30 or 90")
    resume: bool = False


class PrefsOut(BaseModel):
    schedule: dict[str, int]
    reminders: bool
    paused_until: datetime | None
    line_up: bool

    @classmethod
    def of(cls, p: Prefs) -> PrefsOut:
        return cls(
            schedule=p.schedule,
            reminders=p.reminders,
            paused_until=p.paused_until,
            line_up=p.line_up,
        )
