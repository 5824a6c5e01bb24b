"""Resolvers: how each kind of notification is checked and worded, registered by its feature.

A resolver gets the viewer and their stored notifications of its kind and returns, for each one
the viewer may still see, what to show. Anything it leaves out is not shown at all, so a
notification can never outlive the access rule of the thing it is about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.notifications.models import Notification


@dataclass(frozen=True)
class Shown:
    text: str
    url: str


Resolver = Callable[[AsyncSession, Viewer, Sequence[Notification]], Awaitable[dict[int, Shown]]]

_RESOLVERS: dict[str, Resolver] = {}


def register(kind: str, resolver: Resolver) -> None:
    _RESOLVERS[kind] = resolver


def resolver_for(kind: str) -> Resolver | None:
    return _RESOLVERS.get(kind)
