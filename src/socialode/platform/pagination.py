"""One way to page every list: an opaque cursor naming the last item a page showed.

A cursor is the sort key of that item, as base64url of a small JSON array. Clients pass the
``next`` of one page back as ``?cursor=`` and never look inside; a list has ended only when
``next`` is null. Pages are read after the viewer's rule is applied (in SQL, or by filling a
page across rows the viewer may not see), so a hidden row never ends a list early.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Query
from pydantic import Field
from sqlalchemy import and_, false, or_, true
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from socialode.platform.deps import MAX_ID
from socialode.platform.errors import Invalid
from socialode.platform.i18n import N_

T = TypeVar("T")
Part = int | str | datetime
Key = tuple[Part, ...]

FORGED = N_("This cursor is not one we gave out: pass back the `next` of a page, or leave it out.")
# untranslated: the API reference, in English like the rest of it
CURSOR_HELP = "Where the page starts: the `next` of the page before. Leave it out to start."
# untranslated: the API reference
NEXT_HELP = "The cursor of the next page, passed back as `?cursor=`; null only at the end."

Cursor = Annotated[str | None, Query(min_length=1, max_length=1000, description=CURSOR_HELP)]
Next = Annotated[str | None, Field(description=NEXT_HELP)]


def encode_cursor(key: Sequence[Part]) -> str:
    parts = [p.isoformat() if isinstance(p, datetime) else p for p in key]
    raw = json.dumps(parts, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _part(value: Any, kind: type) -> Part:
    if kind is int and type(value) is int and 0 <= value <= MAX_ID:
        return value
    if kind is str and isinstance(value, str) and len(value) <= 200:
        return value
    if kind is datetime and isinstance(value, str) and len(value) <= 40:
        at = datetime.fromisoformat(value)
        if at.tzinfo is not None:
            return at
    raise ValueError(value)


def decode_cursor(token: str | None, *kinds: type) -> Key | None:
    """The key a cursor names, checked against the kinds of its parts; None for no cursor.
    Anything this server did not hand out answers 422 with a sentence, never a 500."""
    if token is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        parts = json.loads(raw.decode())
        if not isinstance(parts, list) or len(parts) != len(kinds):
            raise ValueError(parts)
        return tuple(_part(value, kind) for value, kind in zip(parts, kinds, strict=True))
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, RecursionError):
        raise Invalid(FORGED, field="cursor") from None


def decode_ints(token: str | None, count: int = 1) -> tuple[int, ...] | None:
    """A cursor of ``count`` whole numbers (ids, sequence numbers)."""
    key = decode_cursor(token, *([int] * count))
    return None if key is None else tuple(int(part) for part in key if isinstance(part, int))


def decode_at_id(token: str | None) -> tuple[datetime, int] | None:
    """A cursor of a time and an id (a list ordered by time, ties broken by id)."""
    key = decode_cursor(token, datetime, int)
    if key is None:
        return None
    at, row_id = key
    assert isinstance(at, datetime) and isinstance(row_id, int)
    return at, row_id


def after(
    columns: Sequence[ColumnElement[Any] | QueryableAttribute[Any]],
    key: Key | None,
    *,
    descending: bool = False,
) -> ColumnElement[bool]:
    """Rows that sort after ``key`` in the order of ``columns`` (all ascending or all
    descending), as one SQL condition; every row when there is no key."""
    if key is None:
        return true()
    clause: ColumnElement[bool] = false()
    for column, value in reversed(list(zip(columns, key, strict=True))):
        beyond = column < value if descending else column > value
        clause = or_(beyond, and_(column == value, clause))
    return clause


def page_of(
    items: Sequence[T],
    key: Callable[[T], Key],
    start: Key | None,
    size: int,
    *,
    descending: bool = False,
) -> tuple[list[T], str | None]:
    """One page of a list already in order (and already filtered by the viewer's rule):
    the items after ``start`` and the cursor of the next page, None at the true end."""
    rest = [
        item
        for item in items
        if start is None or (key(item) < start if descending else key(item) > start)
    ]
    page = rest[:size]
    return page, (encode_cursor(key(page[-1])) if len(rest) > size else None)


def next_of(page: Sequence[T], more: bool, key: Callable[[T], Key]) -> str | None:
    """The cursor after the last item of a page read with one row to spare."""
    return encode_cursor(key(page[-1])) if more and page else None
