"""Who learns that a text was sent anyway after a pause: the ``may_hurt`` mark.

What a sender chose at a pause is kept with the text for moderators, who see it only when the
text is reported. The mark that folds such a text ("This may be hurtful — show?") therefore
reaches only its author (it is their own choice) and readers who asked for such texts to be
folded (``safety_settings.fold_hurtful``); everyone else reads the text unmarked, over the
JSON API, live and on replay alike.

- JSON API: the routers that return texts depend on :func:`api_reader`, which notes the
  reader and their choice for the request; the response models read it through
  :func:`marked_for_reader`.
- Live events are shared by their recipients, so a marked one goes out twice
  (:func:`marked_envelopes`): as it is to the author and the readers who fold, unmarked to
  the rest.
- Replay knows its one reader and passes their choice to :func:`marked`.
- HTML pages fold through ``request.state.folds`` (``safety.web.page_folds``) and never show
  the mark itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.deps import MaybeViewer
from socialode.platform.deps import DB
from socialode.platform.events import Envelope
from socialode.safety.access import folds_hurtful
from socialode.safety.models import SafetySettings
from socialode.safety.pause import folds

# (the reader's id, whether they fold texts sent anyway); set per API request
_READER: ContextVar[tuple[int, bool]] = ContextVar("safety_reader", default=(0, False))


async def api_reader(viewer: MaybeViewer, db: DB) -> None:
    """A dependency of the JSON routers that return texts: who reads this response."""
    if viewer is None:
        _READER.set((0, False))
    else:
        _READER.set((viewer.id, await folds_hurtful(db, viewer.id)))


def marked(paused: str | None, author_id: int, reader_id: int, reader_folds: bool) -> bool:
    """Whether this reader is shown that a text by ``author_id`` was sent anyway."""
    return folds(paused) and (author_id == reader_id or reader_folds)


def marked_for_reader(paused: str | None, author_id: int) -> bool:
    """:func:`marked` for the reader of the current API request (see :func:`api_reader`)."""
    reader_id, reader_folds = _READER.get()
    return marked(paused, author_id, reader_id, reader_folds)


async def folding(db: AsyncSession, user_ids: Iterable[int]) -> set[int]:
    """Which of these members fold texts sent anyway after a pause."""
    wanted = list(set(user_ids))
    if not wanted:
        return set()
    found = await db.scalars(
        select(SafetySettings.user_id).where(
            SafetySettings.user_id.in_(wanted), SafetySettings.fold_hurtful.is_(True)
        )
    )
    return set(found)


async def split_by_folding(
    db: AsyncSession, recipients: Iterable[int], author_id: int
) -> tuple[list[int], list[int]]:
    """The recipients of a marked text: those shown the mark (the author and those who fold),
    and the rest."""
    everyone = list(recipients)
    shown = await folding(db, everyone) | {author_id}
    return [r for r in everyone if r in shown], [r for r in everyone if r not in shown]


async def marked_envelopes(
    db: AsyncSession,
    recipients: Iterable[int],
    payload: dict[str, Any],
    part: str,
    author_id: int,
    **options: Any,
) -> list[Envelope]:
    """A live event whose ``payload[part]`` is a text that may carry the mark: one envelope,
    or, when it is marked, one as it is for those shown the mark and one unmarked for the
    rest (``options`` are the envelopes' stream, seq and quiet)."""
    everyone = list(recipients)
    text = payload.get(part)
    if not isinstance(text, dict) or not text.get("may_hurt"):
        return [Envelope(everyone, payload, **options)]
    shown, others = await split_by_folding(db, everyone, author_id)
    plain = {**payload, part: {**text, "may_hurt": False}}
    return [
        Envelope(people, p, **options)
        for people, p in ((shown, payload), (others, plain))
        if people
    ]
