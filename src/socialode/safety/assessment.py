"""What a detector says about a text, and the interface every detector has.

A detector answers with one category. Five of them are hurtful and make the sender pause;
``disclosure`` is someone writing that they are being hurt, which is never treated as an
attack: the writer is offered help instead. ``rule`` names what matched (for moderators and
for evaluating the detector), never a piece of the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Category(StrEnum):
    none = "none"
    threat = "threat"
    self_harm_taunt = "self_harm_taunt"
    harassment = "harassment"
    exclusion = "exclusion"
    doxxing = "doxxing"
    disclosure = "disclosure"


HURTFUL = frozenset(
    {
        Category.threat,
        Category.self_harm_taunt,
        Category.harassment,
        Category.exclusion,
        Category.doxxing,
    }
)


@dataclass(frozen=True, slots=True)
class Assessment:
    category: Category = Category.none
    rule: str = ""

    @property
    def hurtful(self) -> bool:
        return self.category in HURTFUL

    @property
    def disclosure(self) -> bool:
        return self.category is Category.disclosure


CLEAR = Assessment()


class Detector(Protocol):
    """Anything that scores a text; it must be quick (well under a millisecond a text),
    deterministic, and must never reach the network or the disk after it is loaded."""

    def score(self, text: str, locale: str) -> Assessment: ...
