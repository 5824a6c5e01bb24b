"""The one WebSocket endpoint, ``/api/v1/stream``: live events, resume, and sending.

Protocol (JSON text frames; see docs/api.md):
- connect with the session cookie or ``Authorization: Bearer``; optionally
  ``?cursor=<the cursor object of your last ready frame, with the seqs seen since>``;
- the server replays what the cursor missed, then sends ``{"type": "ready", "cursor": …}``,
  then live events ``{"type": "event", "conversation_id", "seq", …}``;
- the client may send ``{"type": "ping"}`` (answered ``pong``) and the frames features
  register in platform.live (conversations: ``send``, answered by ``ack`` after the commit,
  and ``read``); a refusal is an ``error`` frame and the socket stays open.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from socialode.accounts.access import Viewer, access_viewer
from socialode.accounts.deps import SESSION_COOKIE
from socialode.platform.clock import utcnow
from socialode.platform.errors import AppError
from socialode.platform.i18n import _
from socialode.platform.live import frame_handler, frame_types
from socialode.platform.services import Services
from socialode.realtime import replay
from socialode.realtime.connection import INVALID_DATA, TOO_BIG, UNSUPPORTED, Connection

router = APIRouter()
JOIN_MARGIN = timedelta(seconds=10)  # clock slack when deciding what was joined while away


class BadFrame(Exception):
    pass


def _token(websocket: WebSocket) -> str:
    auth = websocket.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return websocket.cookies.get(SESSION_COOKIE, "")


def parse_cursor(raw: str | None) -> tuple[dict[int, int], datetime | None]:
    if not raw:
        return {}, None
    try:
        data = json.loads(raw)
        seqs = {int(k): int(v) for k, v in data.get("c", {}).items()}
        since = datetime.fromisoformat(data["at"]) if data.get("at") else None
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        raise BadFrame("The cursor is not one this server gave out.") from error
    if len(seqs) > 10_000 or any(k < 1 or v < 0 for k, v in seqs.items()):
        raise BadFrame("The cursor is not one this server gave out.")
    if since is not None and since.tzinfo is None:
        raise BadFrame("The cursor's time must carry a time zone.")
    return seqs, since


@router.websocket("/api/v1/stream")
async def stream(websocket: WebSocket) -> None:
    svc: Services = websocket.app.state.services
    async with svc.db.sessions() as db:
        viewer = await access_viewer(db, _token(websocket))
    if viewer is None:
        await websocket.close(code=1008, reason="Please sign in first.")
        return
    filler = replay.filler(svc)
    conn = Connection(
        websocket, viewer.id, viewer.session.id, svc.settings.stream_queue_events, filler
    )
    svc.hub.subscribe(viewer.id, conn)
    try:
        await websocket.accept()
        conn.start()
        await _serve(svc, websocket, conn, viewer)
    except asyncio.CancelledError:
        if conn.close_code is None:
            raise
        current = asyncio.current_task()
        if current is not None:
            current.uncancel()
    except WebSocketDisconnect:
        pass
    finally:
        svc.hub.unsubscribe(viewer.id, conn)
        await conn.finish()


async def _serve(svc: Services, websocket: WebSocket, conn: Connection, viewer: Viewer) -> None:
    try:
        seqs, since = parse_cursor(websocket.query_params.get("cursor"))
    except BadFrame as error:
        conn.send_now({"type": "error", "status": 422, "detail": str(error), "field": "cursor"})
        conn.close_code = INVALID_DATA
        return
    await replay.catch_up(svc, conn, seqs, since - JOIN_MARGIN if since else None)
    conn.send_now({"type": "ready", "cursor": {"at": utcnow().isoformat(), "c": conn.sent}})
    conn.caught_up()
    limit = svc.settings.stream_max_frame_bytes
    while conn.close_code is None:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text is None:
            conn.close_code = UNSUPPORTED
            return
        if len(text) > limit:
            conn.close_code = TOO_BIG
            return
        try:
            frame = _frame(text)
        except BadFrame:
            conn.close_code = INVALID_DATA
            return
        await _handle(svc, conn, viewer, frame)


def _frame(text: str) -> dict[str, Any]:
    try:
        frame = json.loads(text)
    except ValueError as error:
        raise BadFrame from error
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise BadFrame
    return frame


async def _handle(svc: Services, conn: Connection, viewer: Viewer, frame: dict[str, Any]) -> None:
    kind = frame["type"]
    ref = frame.get("client_key") if isinstance(frame.get("client_key"), str) else None
    try:
        if kind == "ping":
            conn.send_now({"type": "pong"})
            return
        handler = frame_handler(kind)
        if handler is None:
            raise AppError(_("Unknown frame type; use %(known)s.") % {"known": _known()}, "type")
        reply = await handler(svc, viewer, frame)
        if reply is not None:
            conn.send_now(reply)
    except AppError as error:
        conn.send_now(
            {
                "type": "error",
                "client_key": ref,
                "status": error.status_code,
                "detail": error.message,
                "field": error.field,
                **(error.extra or {}),
            }
        )


def _known() -> str:
    """The registered frame types, then ping: ``send, read or ping``."""
    types = frame_types()
    return f"{', '.join(types)} or ping" if types else "ping"
