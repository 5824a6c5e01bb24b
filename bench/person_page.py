"""A connection's page with 200 moments shared with the viewer, against the feed page.

One member (the author) shares 200 moments with another (the viewer), by name, through the
API. Then, signed in as the viewer by cookie, GET /people/<author> (the newest 20 of those
moments, the viewer's circles, the profile) and GET /feed?since=0 (the first 20 of the same
200 moments: the feed page a reader opens) are timed one request at a time on a keep-alive
connection from core 1 to one uvicorn worker on core 0 (service time, no queueing). Runs
alternate between the two pages (the order flipping each run) after waiting for an idle
machine; the report is the median over runs of each run's p50 and p95.
Target: the person page's p50 <= 1.5 x the feed page's.

    .venv/bin/python bench/person_page.py                     # SQLite, then PostgreSQL
    .venv/bin/python bench/person_page.py --backend sqlite --runs 5 --seconds 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

from _common import (
    GENEROUS,
    HOST,
    LOAD_CPU,
    Server,
    backend,
    create_members,
    http,
    log,
    stop_cleanly_on_sigterm,
    wait_for_quiet,
)

MOMENTS = 200
TARGET_RATIO = 1.5


def api(server: Server, token: str, method: str, path: str, body: dict[str, object]) -> object:
    status, raw = http(
        method, f"{server.url}/api/v1{path}", body, {"Authorization": f"Bearer {token}"}
    )
    if status not in (200, 201):
        raise RuntimeError(f"{method} {path} answered {status}: {raw[:300]!r}")
    return json.loads(raw) if raw else None


def seed(server: Server) -> tuple[str, str]:
    """(viewer's session token, author's handle), with MOMENTS moments shared between them."""
    (viewer, viewer_token), (author, author_token) = create_members(server, 2)
    sent = api(server, viewer_token, "POST", "/connections/requests", {"handle": author})
    assert isinstance(sent, dict)
    request_id = sent["request"]["id"]
    api(server, author_token, "POST", f"/connections/requests/{request_id}/accept", {})
    circle = api(server, viewer_token, "POST", "/circles", {"name": "Family"})
    assert isinstance(circle, dict)
    api(server, viewer_token, "PUT", f"/circles/{circle['id']}/members/{author}", {})
    started = time.monotonic()
    for n in range(MOMENTS):
        text = f"Moment {n}: the garden after rain, and bread in the oven."
        api(server, author_token, "POST", "/moments", {"body": text, "people": [viewer]})
    log(f"seeded {MOMENTS} moments in {time.monotonic() - started:.0f} s")
    return viewer_token, author


def timed_run(server: Server, token: str, path: str, seconds: float) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, requests) of sequential GETs of ``path`` for ``seconds``."""
    headers = {"Cookie": f"socialode_session={token}", "Accept": "text/html"}
    connection = HTTPConnection(HOST, urlsplit(server.url).port, timeout=30)
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}: {body[:300]!r}")
    connection.close()
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49], cuts[94], len(latencies)


def bench_backend(name: str, args: argparse.Namespace) -> dict[str, object]:
    log(f"\n=== {name}: a fresh database")
    extra = {"SOCIALODE_RATE_MOMENTS": GENEROUS}
    with backend(name, extra) as db, Server("socialode.asgi:app", db.env).running() as app:
        token, author = seed(app)
        pages = {"feed": "/feed?since=0", "person": f"/people/{author}"}
        for label, path in pages.items():  # the pages show what they should
            status, body = http(
                "GET", app.url + path, headers={"Cookie": f"socialode_session={token}"}
            )
            shown = body.count(b'<article class="moment')
            assert status == 200 and shown == 20, (label, status, shown)
            log(f"{label}: {len(body)} bytes, {shown} moments on the first page")
            timed_run(app, token, path, args.warmup)
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in pages}
        for run in range(1, args.runs + 1):
            waited = wait_for_quiet(args.quiet_wait)
            order = list(pages.items()) if run % 2 else list(reversed(pages.items()))
            for label, path in order:
                p50, p95, n = timed_run(app, token, path, args.seconds)
                runs[label].append((p50, p95))
                log(
                    f"  run {run} {label:7} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  "
                    f"({n} requests; waited {waited:.0f} s for a quiet machine)"
                )
    out: dict[str, object] = {}
    for label in pages:
        out[label] = {
            "p50": statistics.median(r[0] for r in runs[label]),
            "p95": statistics.median(r[1] for r in runs[label]),
        }
    f50 = out["feed"]["p50"]  # type: ignore[index]
    s50 = out["person"]["p50"]  # type: ignore[index]
    ratio = s50 / f50
    out["ratio"] = ratio
    log(f"\n{name}: medians over {args.runs} runs of each run's p50 / p95 (ms)")
    for label in pages:
        row = out[label]
        assert isinstance(row, dict)
        log(f"  {label:7} p50 {row['p50']:7.2f}  p95 {row['p95']:7.2f}")
    met = "met" if ratio <= TARGET_RATIO else "MISSED"
    log(f"  person / feed p50: {ratio:.2f} (target <= {TARGET_RATIO}): {met}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runs", type=int, default=5, choices=range(3, 21))
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--quiet-wait", type=float, default=60)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    stop_cleanly_on_sigterm()
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    log(f"machine: {os.cpu_count()} cores, load average {load}, Python {sys.version.split()[0]}")
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = {name: bench_backend(name, args) for name in names}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
