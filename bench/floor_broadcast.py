"""The floor for the live-stream benchmarks: a bare Starlette WebSocket broadcast server.

No database, no sign-in, no persistence, no per-socket queue: what is left of a live stream
when everything Socialode adds is taken away. Served by uvicorn exactly like the app.

- ``GET /healthz`` answers ``ok`` (readiness).
- ``WS /ws?room=NAME`` joins a room and receives ``{"type":"ready"}``, then every event
  broadcast to the room. A text frame ``{"type":"send","client_key":K,"body":B}`` is answered
  with ``{"type":"ack","client_key":K,"seq":N}`` and broadcast to every socket in the room
  (the sender's included, as the app does) as an event shaped like the app's message event,
  serialised once per event.
- ``POST /rooms/NAME/messages`` with ``{"body": B}`` broadcasts the same way (answers 201).
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

rooms: dict[str, set[WebSocket]] = {}
counter = itertools.count(1)


def _event(room: str, body: str) -> tuple[int, str]:
    """One event frame, as big as the app's: the message, its sender and its HTML."""
    seq = next(counter)
    now = datetime.now(UTC).isoformat()
    payload: dict[str, Any] = {
        "type": "event",
        "kind": "message",
        "conversation_id": room,
        "seq": seq,
        "at": now,
        "actor": {"handle": "floor", "display_name": "Floor"},
        "message": {
            "id": seq,
            "conversation_id": room,
            "seq": seq,
            "sender": {"handle": "floor", "display_name": "Floor"},
            "body": body,
            "html": body,
            "created_at": now,
            "edited": False,
            "deleted": False,
        },
        "notify": True,
    }
    return seq, json.dumps(payload, separators=(",", ":"))


async def broadcast(room: str, frame: str) -> None:
    for socket in tuple(rooms.get(room, ())):
        try:
            await socket.send_text(frame)
        except (WebSocketDisconnect, RuntimeError, OSError):
            rooms.get(room, set()).discard(socket)


async def stream(websocket: WebSocket) -> None:
    room = websocket.query_params.get("room", "all")
    await websocket.accept()
    members = rooms.setdefault(room, set())
    members.add(websocket)
    try:
        await websocket.send_text('{"type":"ready"}')
        while True:
            frame = json.loads(await websocket.receive_text())
            if frame.get("type") != "send":
                continue
            seq, event = _event(room, str(frame.get("body", "")))
            ack = {"type": "ack", "client_key": frame.get("client_key"), "seq": seq}
            await websocket.send_text(json.dumps(ack, separators=(",", ":")))
            await broadcast(room, event)
    except WebSocketDisconnect:
        pass
    finally:
        members.discard(websocket)


async def post_message(request: Request) -> JSONResponse:
    room = request.path_params["room"]
    body = (await request.json()).get("body", "")
    seq, event = _event(room, str(body))
    await broadcast(room, event)
    return JSONResponse({"seq": seq}, status_code=201)


async def healthz(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


app = Starlette(
    routes=[
        Route("/healthz", healthz),
        WebSocketRoute("/ws", stream),
        Route("/rooms/{room}/messages", post_message, methods=["POST"]),
    ]
)
