"""The one cursor helper: what it encodes comes back, and anything else is a sentence."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialode.platform.deps import MAX_ID
from socialode.platform.errors import Invalid
from socialode.platform.pagination import (
    FORGED,
    decode_at_id,
    decode_cursor,
    decode_ints,
    encode_cursor,
    page_of,
)

ids = st.integers(min_value=0, max_value=MAX_ID)
names = st.text(max_size=60)
times = st.datetimes(
    min_value=datetime(1971, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive)
    max_value=datetime(9998, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(ids, names, times)
def test_a_cursor_comes_back_as_it_went(number: int, name: str, at: datetime) -> None:
    token = encode_cursor([number, name, at])
    assert token.isascii() and "=" not in token and "/" not in token and "+" not in token
    assert decode_cursor(token, int, str, datetime) == (number, name, at)
    assert decode_ints(encode_cursor([number, number]), 2) == (number, number)
    assert decode_at_id(encode_cursor([at, number])) == (at, number)


@given(st.text(min_size=1, max_size=200))
def test_anything_else_is_a_sentence_never_a_crash(token: str) -> None:
    outcome: object
    try:
        outcome = decode_cursor(token, int, str)
    except Invalid as refused:
        outcome = (refused.message, refused.field)
    assert outcome == (FORGED, "cursor") or isinstance(outcome, tuple)


def forged(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        "%%%",
        forged(b"not json"),
        forged(b'{"id": 3}'),
        forged(b"[1, 2]"),  # the wrong number of parts
        forged(b"[-1]"),
        forged(b"[true]"),
        forged(b"[1.5]"),
        forged(b"[2147483648]"),
        forged(b'["3"]'),
        forged(b"[" * 5000 + b"]" * 5000),
        forged(b"\xff\xfe"),
    ],
)
def test_forged_cursors_are_refused(token: str) -> None:
    with pytest.raises(Invalid) as refused:
        decode_cursor(token, int)
    assert refused.value.field == "cursor"


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(Invalid):
        decode_at_id(forged(b'["2026-01-01T00:00:00", 1]'))


def test_pages_of_a_list_cover_it_once_and_end() -> None:
    items = list(range(10))
    seen: list[int] = []
    start = None
    while True:
        page, token = page_of(items, lambda i: (i,), start, 3)
        seen += page
        if token is None:
            break
        start = decode_cursor(token, int)
    assert seen == items
    exact, token = page_of(items[:6], lambda i: (i,), (2,), 3)
    assert exact == [3, 4, 5] and token is None  # a full last page still ends the list
    down, token = page_of(items[::-1], lambda i: (i,), (5,), 3, descending=True)
    assert down == [4, 3, 2] and token == encode_cursor([2])
