"""What an idle socket's memory is made of: Python allocations per socket, by file and line.

Like idle_sockets.py (same servers, clients and data), but the server runs under tracemalloc
(bench/mem_app.py wraps the app unchanged and reports allocations held since a base
snapshot), so the result says which code holds the memory. tracemalloc sees what Python and
C extensions allocate through Python's allocators (zlib's compression state included), not
kernel socket buffers; it also makes the server slower, so this is never a timing run.

    .venv/bin/python bench/idle_breakdown.py --backend sqlite --sockets 2000
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

from _common import backend, http, log, stop_cleanly_on_sigterm
from _live import (
    BENCH,
    LIVE_ENV,
    LiveServer,
    Table,
    app_socket,
    close_all,
    floor_socket,
    live_machine,
    open_many,
    pin_load_generator,
    run_async,
    seed,
)

WARM = 20


def _short(path: str) -> str:
    parts = Path(path).parts
    for anchor in ("site-packages", "src"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1 :])
    return "/".join(parts[-2:])


async def fill(server: LiveServer, kind: str, deflate: bool, tokens: list[str], count: int) -> Any:
    def path(n: int) -> tuple[str, list[str]]:
        return app_socket(tokens[n % len(tokens)]) if kind == "app" else floor_socket("idle")

    await close_all(await open_many(WARM, server.port, path, deflate))
    await asyncio.sleep(1)
    await asyncio.to_thread(http, "GET", server.url + "/__bench/tracemalloc?reset=1")
    before = server.rss_kib()
    sockets = await open_many(count, server.port, path, deflate)
    await asyncio.sleep(3)
    status, body = await asyncio.to_thread(http, "GET", server.url + "/__bench/tracemalloc")
    after = server.rss_kib()
    await close_all(sockets)
    assert status == 200, body[:300]
    return json.loads(body), (after - before) * 1024 / count


def report(label: str, stats: dict[str, Any], rss_per: float, count: int, top: int) -> None:
    log(
        f"\n{label}: {count:,} sockets; RSS +{rss_per / 1000:.1f} KB per socket, traced "
        f"Python allocations +{stats['total'] / count / 1000:.1f} KB per socket"
    )
    files = Table(["file", "bytes per socket", "blocks per socket"])
    for name, size, blocks in stats["files"][:top]:
        if size / count >= 50:
            files.add(_short(name), f"{size / count:,.0f}", f"{blocks / count:.1f}")
    log(files.render())
    lines = Table(["line", "bytes per socket", "blocks per socket"])
    for name, size, blocks in stats["lines"][:top]:
        if size / count >= 50:
            lines.add(_short(name), f"{size / count:,.0f}", f"{blocks / count:.1f}")
    log(lines.render())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    stop_cleanly_on_sigterm()
    pin_load_generator()
    log("machine:")
    live_machine()
    with backend(args.backend, LIVE_ENV) as db:
        tokens = [m["token"] for m in seed(db.env, "users", args.sockets)["members"]]
        for kind, inner in (("app", "socialode.asgi:app"), ("floor", "floor_broadcast:app")):
            for deflate in (True, False):
                env = (db.env | LIVE_ENV if kind == "app" else {}) | {
                    "BENCH_INNER_APP": inner,
                    "PYTHONTRACEMALLOC": "1",
                }
                server = LiveServer("mem_app:app", env, app_dir=BENCH, deflate=deflate)
                with server.running():
                    stats, rss_per = run_async(fill(server, kind, deflate, tokens, args.sockets))
                label = f"{kind}, --ws {server.ws}, {'deflate' if deflate else 'no deflate'}"
                report(label, stats, rss_per, args.sockets, args.top)


if __name__ == "__main__":
    main()
