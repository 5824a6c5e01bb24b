"""Finding your own people and circles by name or handle.

Only the viewer's own connections and the viewer's own circles are ever searched: never a
stranger, never anyone across a block (either way), never someone else's circle. A match is
part of a display name, handle or circle name, regardless of case and accents ("ines" finds
Inês, "OKA" finds Tom Okafor); every word typed must match. Results come by name, never by
anything about popularity, and at most ``SHOWN`` of each kind: when more match, the answer
says so without saying how many ("type more to narrow it").

Matching narrows in SQL, in one statement: names are stored folded beside themselves
(``platform.folding``, written by the actions that write them) and each word typed is a plain
``LIKE`` on those keys and on the handle's, the same on SQLite and PostgreSQL with no
database extension; the lists searched are the viewer's own, which the caps bound
(connections 150, circles 50 by default).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Result,
    Row,
    and_,
    exists,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.circles.access import block_pair
from socialode.circles.access_people import sees_whole_profile
from socialode.circles.models import Circle, Connection
from socialode.platform.errors import Invalid
from socialode.platform.folding import search_key
from socialode.platform.i18n import _

MAX_QUERY = 100
SHOWN = 20  # of each kind: people, circles


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


def _contains_all(words: list[str], *keys: Any) -> ColumnElement[bool]:
    """Every word is part of one of ``keys`` (folded columns); ``%`` and ``_`` typed are
    matched as themselves."""
    return and_(*(or_(*(key.contains(word, autoescape=True) for key in keys)) for word in words))


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
    people_rows, circle_rows = await _matching(db, viewer, words)
    people = _people(viewer, people_rows)
    circles = [FoundCircle(r.id, r.name) for r in circle_rows]
    more = len(people) > shown or len(circles) > shown
    return Found(query, people[:shown], circles[:shown], more, shown)


PERSON, CIRCLE = 0, 1


async def _matching(
    db: AsyncSession, viewer: Viewer, words: list[str]
) -> tuple[list[Row[Any]], list[Row[Any]]]:
    """The viewer's connections (id, handle, name, photo key) and circles (id, name) that
    match every word, by name, in one statement: a search is one round trip to the database.
    Nobody across a block either way is read (a block also ends a connection, so this is a
    second guard)."""
    people = (
        select(
            literal(PERSON).label("kind"),
            User.id.label("id"),
            User.handle.label("handle"),
            User.display_name.label("name"),
            User.avatar_key.label("photo"),
            User.name_search.label("key"),
            User.handle_key.label("tie"),
        )
        .join(Connection, Connection.other_id == User.id)
        .where(
            Connection.user_id == viewer.id,
            _contains_all(words, User.name_search, User.handle_key),
            ~exists().where(block_pair(viewer.id, User.id)),
        )
    )
    circles = select(
        *(literal(CIRCLE), Circle.id, literal(""), Circle.name, null()),
        *(Circle.name_search, Circle.name_key),
    ).where(Circle.owner_id == viewer.id, _contains_all(words, Circle.name_search))
    both: CompoundSelect[Any] = union_all(people, circles)  # a union is untyped
    result: Result[Any] = await db.execute(both.order_by("kind", "key", "tie", "id"))
    rows = result.all()
    return [r for r in rows if r.kind == PERSON], [r for r in rows if r.kind == CIRCLE]


def _people(viewer: Viewer, rows: list[Row[Any]]) -> list[FoundPerson]:
    """Connections that matched, as a result shows them: the profile rule decides what each
    shows (the whole profile, photo included, for connections)."""
    found = []
    for row in rows:
        whole = sees_whole_profile(viewer, row.id, connected=True)
        photo = row.photo if whole else None
        found.append(FoundPerson(row.id, row.handle, row.name, photo, whole))
    return found
