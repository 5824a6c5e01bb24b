"""The daily questions shipped with the app (questions.txt), one a day per circle.

Consecutive days take consecutive questions (offset per circle), so a circle sees no question
twice until the whole list has gone round.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files


@cache
def shipped() -> tuple[str, ...]:
    text = files("socialode.moments").joinpath("questions.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def shipped_question(circle_id: int, day: date) -> str:
    questions = shipped()
    return questions[(day.toordinal() + circle_id * 7919) % len(questions)]
