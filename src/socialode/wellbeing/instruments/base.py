"""What every wellbeing instrument is made of: its questions, its answers, and a result.

An instrument holds the published wording (English msgids, shown through ``_()`` where the
page renders them), the checks of a member's answers, and the scoring its paper gives. The
scoring of each instrument lives in its own module; this one only shapes and checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from socialode.platform.errors import Invalid
from socialode.platform.i18n import N_, _

NOT_A_CHOICE = N_("That answer is not one of the choices: choose one of them.")
NOT_A_QUESTION = N_("That question is not part of this check-in.")
# The longest answer or key read from a form: answers are one or two digits.
_LONGEST = 3
_LONGEST_KEY = 40

# What a page offers after a result, in the order it should show them.
STEPS = ("crisis", "talk", "phq2", "phq9")


@dataclass(frozen=True)
class Option:
    value: int
    label: str  # N_ msgid


@dataclass(frozen=True)
class Item:
    key: str  # "q1".."q9"
    text: str  # N_ msgid


@dataclass(frozen=True)
class Result:
    total: int  # the raw sum as the paper scores it (mood: the 1-5 level)
    shown: int  # what the member sees (WHO-5: total x 4; otherwise the total)
    scale_max: int  # the largest ``shown`` can be
    band: str  # a stable key, such as "often_lonely" or "moderate"
    band_label: str  # N_ msgid, short
    meaning: str  # N_ msgid, one or two kind sentences about the answers
    next_steps: tuple[str, ...]  # among STEPS, "crisis" first when present
    crisis: bool  # PHQ-9 item 9 above 0: crisis resources before anything else


@dataclass(frozen=True)
class Instrument:
    name: str
    title: str  # N_ msgid
    short: str  # N_ msgid, for lists and charts
    stem: str  # N_ msgid, the published instruction
    items: tuple[Item, ...]
    options: tuple[Option, ...]  # the same choices for every item
    citation: str  # the paper, as published: never translated
    default_every_days: int | None  # a suggested cadence, or None
    scorer: Callable[[Mapping[str, int]], Result] = field(repr=False, compare=False)
    # An optional, unscored question after the items (the PHQ-9's "how difficult"), its key
    # "difficulty", with choices of its own.
    followup: Item | None = None
    followup_options: tuple[Option, ...] = ()

    @property
    def wording(self) -> tuple[str, ...]:
        """Every msgid that is the instrument's published wording (stem, items, answers),
        as opposed to the app's own words around it (title, meanings)."""
        texts = [self.stem, *(i.text for i in self.items), *(o.label for o in self.options)]
        if self.followup is not None:
            texts += [self.followup.text, *(o.label for o in self.followup_options)]
        return tuple(dict.fromkeys(texts))

    def check(self, raw: Mapping[str, object]) -> dict[str, int]:
        """The answers as numbers, every item answered with one of the choices; refused with
        Invalid, naming the item, at the first problem. The optional follow-up question is
        kept when answered; any other key is refused."""
        values = {o.value for o in self.options}
        answers: dict[str, int] = {}
        for item in self.items:
            value = read_choice(raw.get(item.key), values, item.key)
            if value is None:
                raise Invalid(
                    _("Choose an answer for “%(item)s”.") % {"item": _(item.text)}, item.key
                )
            answers[item.key] = value
        known = {item.key for item in self.items}
        if self.followup is not None:
            key = self.followup.key
            known.add(key)
            extra = read_choice(raw.get(key), {o.value for o in self.followup_options}, key)
            if extra is not None:
                answers[key] = extra
        for key in raw:
            if key not in known:
                raise Invalid(NOT_A_QUESTION, str(key)[:_LONGEST_KEY])
        return answers

    def score(self, answers: Mapping[str, int]) -> Result:
        """The result the paper gives for these answers (checked again first, so a result is
        never made from answers that are not the instrument's)."""
        return self.scorer(self.check(answers))

    def total(self, answers: Mapping[str, int]) -> int:
        """The raw sum of the scored items (the follow-up question is never counted)."""
        return sum(answers[item.key] for item in self.items)


def read_choice(value: object, allowed: set[int], field: str) -> int | None:
    """The whole number an answer holds, None when nothing was answered. A form sends digits
    as text; a JSON body sends numbers. Booleans, fractions and other text are refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= _LONGEST):
            raise Invalid(NOT_A_CHOICE, field)
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise Invalid(NOT_A_CHOICE, field)
    return int(value)


def steps(*wanted: str) -> tuple[str, ...]:
    """The next steps in the order a page shows them (crisis resources first)."""
    return tuple(step for step in STEPS if step in wanted)
