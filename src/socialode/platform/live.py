"""How features plug into the live stream, ``/api/v1/stream`` (served by ``realtime``).

``realtime`` sits above every feature, so it cannot name them; each feature registers here
instead (once per process, from ``app.register_features``) and the gateway reads the
registry:

- a **stream source** answers, for one member, where a resuming client must replay from
  and what it missed, through the feature's own access rule. Its items are already the
  frames the client receives, so the gateway never learns what they are about;
- **frame handlers** answer the client's frames by type (``send``, ``read``, …): each gets
  the services, the signed-in viewer and the parsed frame, and returns the reply to send
  (an ``ack``), or None, or raises ``AppError`` (sent as an ``error`` frame).

Streams are numbered (a conversation's id) and share one number space in the resume
cursor (``{"at": time, "c": {stream: seq}}``), so there is one stream source.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.platform.errors import AppError
from socialode.platform.services import Services

RESERVED_FRAMES = frozenset({"ping"})  # answered by the gateway itself


@dataclass(frozen=True)
class Replayed:
    """One missed event, ready to send: its stream, its number there and the JSON text."""

    stream: int
    seq: int
    frame: str


@dataclass(frozen=True)
class ReplayPage:
    items: list[Replayed]
    reached: dict[int, int]  # the last number looked at, per stream (resume from there)
    more: bool


class StreamSource(Protocol):
    async def resume_points(
        self, db: AsyncSession, user_id: int, cursor: dict[int, int], since: datetime | None
    ) -> tuple[dict[int, int], dict[int, int]]:
        """Where to replay from per stream, and where each stream the member may see stands
        (the cursor they hold once the replay is sent). Streams the cursor does not name
        replay only when the member joined them after ``since``."""

    async def replay(
        self, db: AsyncSession, user_id: int, starts: dict[int, int], *, limit: int
    ) -> ReplayPage:
        """The events after ``starts[stream]`` the member may see, in order per stream, at
        most ``limit`` looked at; replayed frames say ``"notify": false``."""


# The viewer is accounts.access.Viewer (platform sits below accounts, so it is not named).
FrameHandler = Callable[[Services, Any, dict[str, Any]], Awaitable[dict[str, Any] | None]]

_source: list[StreamSource] = []
_handlers: dict[str, FrameHandler] = {}


def register_stream_source(source: StreamSource) -> None:
    if _source and _source[0] is not source:
        raise ValueError("A stream source is already registered; streams share one cursor.")
    _source[:] = [source]


def stream_source() -> StreamSource | None:
    return _source[0] if _source else None


def register_frame(kind: str, handler: FrameHandler) -> None:
    known = _handlers.get(kind)
    if kind in RESERVED_FRAMES or (known is not None and known is not handler):
        raise ValueError(f"The frame type {kind!r} is already answered.")
    _handlers[kind] = handler


def frame_handler(kind: str) -> FrameHandler | None:
    return _handlers.get(kind)


def frame_types() -> list[str]:
    """The registered frame types, in the order they were registered."""
    return list(_handlers)


# -- reading a client frame's fields -------------------------------------------------------
def frame_int(frame: dict[str, Any], name: str) -> int:
    value = frame.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 2**31 - 1:
        raise AppError(f"'{name}' must be a whole number.", name)
    return value


def frame_str(frame: dict[str, Any], name: str) -> str:
    value = frame.get(name)
    if not isinstance(value, str):
        raise AppError(f"'{name}' must be text.", name)
    return value
