"""The daily questions shipped with the app, one a day per circle, in each language.

``questions.txt`` holds the English list; ``questions.<code>.txt`` the same questions, line
for line, in another language (``questions.pt_PT.txt``). The question of a day is chosen by
its place in the list, so every member of a circle is asked the same question, each in their
own language. Consecutive days take consecutive questions (offset per circle), so a circle
sees no question twice until the whole list has gone round.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files

from socialode.platform import i18n


@cache
def shipped(code: str = i18n.DEFAULT) -> tuple[str, ...]:
    """The list in ``code``; English for a language without its own list."""
    name = "questions.txt" if code == i18n.DEFAULT else f"questions.{code}.txt"
    source = files("socialode.moments").joinpath(name)
    if not source.is_file():
        return shipped(i18n.DEFAULT)
    text = source.read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def shipped_question(circle_id: int, day: date) -> str:
    """The circle's question of ``day``, in the language in force."""
    place = (day.toordinal() + circle_id * 7919) % len(shipped())
    return shipped(i18n.current())[place]
