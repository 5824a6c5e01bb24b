"""Finding your own people and circles by name or handle.

Only the viewer's own connections and the viewer's own circles are ever searched: never a
stranger, never anyone across a block (either way), never someone else's circle. A match is
part of a display name, handle or circle name, regardless of case and accents ("ines" finds
Inês, "OKA" finds Tom Okafor); every word typed must match. Results come by name, never by
anything about popularity, and at most ``SHOWN`` of each kind: when more match, the answer
says so without saying how many ("type more to narrow it").

Matching runs in Python over the viewer's own lists, which the caps bound (connections 150,
circles 50 by default): the same on SQLite and PostgreSQL with no database extension
(PostgreSQL's ``unaccent`` is not portable, SQLite's ``lower`` folds ASCII only), and no
column or migration of its own.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Result, Row, literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.circles.access import blocked_among
from socialode.circles.access_people import sees_whole_profile
from socialode.circles.models import Circle, Connection
from socialode.platform.errors import Invalid
from socialode.platform.i18n import _

MAX_QUERY = 100
SHOWN = 20  # of each kind: people, circles
# Letters that Unicode does not decompose into a base letter and an accent.
FOLDS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "\u0131": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


@dataclass(frozen=True)
class FoundPerson:
    """One of the viewer's connections as a result shows them. ``whole`` is the profile
    rule's answer; ``avatar_key`` is set only then, so a face drawn from this shows a photo
    only where the rule allows one."""

    id: int
    handle: str
    display_name: str
    avatar_key: str | None
    whole: bool


@dataclass(frozen=True)
class FoundCircle:
    id: int
    name: str


@dataclass(frozen=True)
class Found:
    query: str
    people: list[FoundPerson]
    circles: list[FoundCircle]
    more: bool  # more matched than are shown, of either kind
    shown: int = SHOWN  # the most listed of each kind

    @property
    def empty(self) -> bool:
        return not self.people and not self.circles


def check_query(raw: str) -> str:
    """What was typed, trimmed and with its spaces collapsed; refused with a sentence (422,
    ``field: q``) when it holds control characters or is too long."""
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        raise Invalid(
            _(
                "A search cannot hold control characters such as tabs or line breaks: "
                "type part of a name or handle."
            ),
            "q",
        )
    query = " ".join(raw.split())
    if len(query) > MAX_QUERY:
        raise Invalid(
            _("Keep a search to %(most)d characters: part of a name or handle is enough.")
            % {"most": MAX_QUERY},
            "q",
        )
    return query


@lru_cache(maxsize=8192)
def search_key(text: str) -> str:
    """``text`` for matching: accents and case dropped, compatibility forms unified (full-width
    letters, ligatures), invisible format characters removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )
    return " ".join(kept.casefold().translate(FOLDS).split())


def _matches(words: list[str], key: str) -> bool:
    return all(word in key for word in words)


async def access_search(
    db: AsyncSession, viewer: Viewer, raw: str, shown: int | None = None
) -> Found:
    """The viewer's own connections and circles that match ``raw``, by name, at most
    ``shown`` (``SHOWN``) of each. An empty search finds nothing (the pages list everyone
    already)."""
    shown = shown or SHOWN
    query = check_query(raw)
    words = search_key(query.removeprefix("@")).split()
    if not words:
        return Found(query, [], [], False, shown)
    people_rows, circle_rows = await _own_lists(db, viewer)
    people = await _people(db, viewer, words, people_rows)
    circles = _circles(words, circle_rows)
    more = len(people) > shown or len(circles) > shown
    return Found(query, people[:shown], circles[:shown], more, shown)


PERSON, CIRCLE = 0, 1


async def _own_lists(db: AsyncSession, viewer: Viewer) -> tuple[list[Row[Any]], list[Row[Any]]]:
    """The viewer's connections (id, handle, name, photo key, handle key) and circles (id,
    name, name key), in one statement: a search is one round trip to the database (two when
    someone matched: the block check)."""
    people = (
        select(
            literal(PERSON).label("kind"),
            User.id.label("id"),
            User.handle.label("handle"),
            User.display_name.label("name"),
            User.avatar_key.label("photo"),
            User.handle_key.label("key"),
        )
        .join(Connection, Connection.other_id == User.id)
        .where(Connection.user_id == viewer.id)
    )
    circles = select(
        literal(CIRCLE), Circle.id, literal(""), Circle.name, null(), Circle.name_key
    ).where(Circle.owner_id == viewer.id)
    result: Result[Any] = await db.execute(union_all(people, circles))  # a union is untyped
    rows = result.all()
    return [r for r in rows if r.kind == PERSON], [r for r in rows if r.kind == CIRCLE]


async def _people(
    db: AsyncSession, viewer: Viewer, words: list[str], rows: list[Row[Any]]
) -> list[FoundPerson]:
    """Connections that match, by name. The profile rule decides what each shows: nobody
    across a block (a block also ends a connection, so this is a second guard), and the
    whole profile, photo included, for connections."""
    matched = [row for row in rows if _matches(words, f"{search_key(row.name)} {row.key}")]
    hidden = await blocked_among(db, viewer.id, [row.id for row in matched])
    found = []
    for row in sorted(matched, key=lambda r: (r.name.casefold(), r.key)):
        if row.id in hidden:
            continue
        whole = sees_whole_profile(viewer, row.id, connected=True)
        photo = row.photo if whole else None
        found.append(FoundPerson(row.id, row.handle, row.name, photo, whole))
    return found


def _circles(words: list[str], rows: list[Row[Any]]) -> list[FoundCircle]:
    """Circles that match, by name (names are unique per owner regardless of case)."""
    ordered = sorted(rows, key=lambda r: (r.key, r.id))
    return [FoundCircle(r.id, r.name) for r in ordered if _matches(words, search_key(r.name))]
