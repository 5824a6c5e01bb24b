"""Notification kinds, each declared once by the feature that owns what it is about.

A kind names how it reads (its resolver), where it goes by default (live, digest or off) and
whether it is listed on the notifications page (new messages are not: they mark
Conversations instead). A resolver gets the viewer and their stored notifications of its kind
and returns, for each one the viewer may still see, what to show. Anything it leaves out is
not shown or delivered at all, so a notification can never outlive the access rule of the
thing it is about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.notifications.models import Notification

Channel = Literal["live", "digest", "off"]
CHANNELS: tuple[Channel, ...] = ("live", "digest", "off")


@dataclass(frozen=True)
class Shown:
    text: str  # "Maya shared a moment with you." -- who and what kind, never private words
    url: str
    preview: str = ""  # the words themselves, for push only when the member turns previews on
    person: User | None = None  # whom it is about, for their face on the list (where known)


Resolver = Callable[[AsyncSession, Viewer, Sequence[Notification]], Awaitable[dict[int, Shown]]]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # how the member's settings name it: "New messages"
    default: Channel
    resolver: Resolver
    listed: bool = True  # on the notifications page (False: marks Conversations instead)


_KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    known = _KINDS.get(kind.name)
    if known is not None and known != kind:
        raise ValueError(f"Notification kind {kind.name!r} is already registered.")
    _KINDS[kind.name] = kind


def kind_named(name: str) -> Kind | None:
    return _KINDS.get(name)


def kinds() -> list[Kind]:
    """Every registered kind, in the order they were declared."""
    return list(_KINDS.values())


def listed_kinds() -> list[str]:
    """The kinds shown on the notifications page."""
    return [k.name for k in _KINDS.values() if k.listed]


def resolver_for(kind: str) -> Resolver | None:
    found = _KINDS.get(kind)
    return found.resolver if found else None
