"""The pause before a gathering's words are sent to everyone invited (``safety.pause``)."""

from __future__ import annotations

from socialode.accounts.access import Viewer
from socialode.platform.services import Services
from socialode.safety.pause import PauseAnswer, check_words

FIELDS = ("title", "description", "place")


def check_gathering_words(
    svc: Services, viewer: Viewer, words: tuple[str, ...], pause: PauseAnswer
) -> str | None:
    """The pause before words that might hurt, over the name, description and place, each
    read on its own (the pause names the field); the token is for all three together."""
    text = "\n".join(w for w in words if w)
    parts = tuple(zip(FIELDS, words, strict=True))
    cleared = check_words(
        svc, viewer.id, viewer.user.language, "gathering", text, pause, parts=parts
    )
    return cleared.paused
