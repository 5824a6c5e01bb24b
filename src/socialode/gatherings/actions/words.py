"""The pause before a gathering's words are sent to everyone invited (``safety.pause``)."""

from __future__ import annotations

from socialode.accounts.access import Viewer
from socialode.platform.services import Services
from socialode.safety.pause import PauseAnswer, check_fields

FIELDS = ("title", "description", "place")


async def check_gathering_words(
    svc: Services, viewer: Viewer, words: tuple[str, ...], pause: PauseAnswer
) -> str | None:
    """The pause before words that might hurt, over the name, description and place, each
    read on its own (the pause names the field); the token is for all three together."""
    fields = tuple(zip(FIELDS, words, strict=True))
    cleared = await check_fields(svc, viewer.id, viewer.user.language, "gathering", fields, pause)
    return cleared.paused
