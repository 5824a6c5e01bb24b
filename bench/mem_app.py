"""A server for memory breakdowns only (bench/idle_breakdown.py), never for timing.

Wraps the app named by BENCH_INNER_APP ("socialode.asgi:app" or "floor_broadcast:app")
unchanged and answers one extra path, GET /__bench/tracemalloc: the first call (or
?reset=1) takes a tracemalloc snapshot as the base; later calls answer, as JSON, the memory
allocated since the base and still held, by source line and by file. Start the server with
PYTHONTRACEMALLOC=1 so allocations are traced from the first import.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import tracemalloc
from typing import Any

module, _, name = os.environ.get("BENCH_INNER_APP", "socialode.asgi:app").partition(":")
inner = getattr(importlib.import_module(module), name)
_base: list[tracemalloc.Snapshot] = []


def _snapshot() -> tracemalloc.Snapshot:
    gc.collect()
    return tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(inclusive=False, filename_pattern=tracemalloc.__file__)]
    )


def _stats(reset: bool) -> dict[str, Any]:
    if reset or not _base:
        _base[:] = [_snapshot()]
        return {"reset": True}
    now = _snapshot()
    by_line = now.compare_to(_base[0], "lineno")
    by_file = now.compare_to(_base[0], "filename")
    return {
        "total": sum(s.size_diff for s in by_file),
        "lines": [
            [f"{s.traceback[0].filename}:{s.traceback[0].lineno}", s.size_diff, s.count_diff]
            for s in by_line[:40]
        ],
        "files": [[s.traceback[0].filename, s.size_diff, s.count_diff] for s in by_file[:25]],
    }


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "http" and scope["path"] == "/__bench/tracemalloc":
        body = json.dumps(_stats(b"reset=1" in scope.get("query_string", b""))).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return
    await inner(scope, receive, send)
