"""Page weight and server time, the redesigned pages against the code before the redesign.

(a) Weight: every page of the tour (tests/browser/pages_tour.py) opened once in a fresh
    Chromium context at phone size, as the person who would see it; the HTML, CSS and JS it
    transferred (same origin; photos and avatars are not counted), each compressed with gzip
    at level 6 (what a compressing proxy in front of `socialode serve` sends; the app itself
    does not compress), summed per page. Target: <= 100 KB per page.
(b) Server time: GET of the feed (/feed?since=0, every moment), the 60-message conversation
    and the conversation list, signed in by cookie, one request at a time on a keep-alive
    connection from core 1 to one uvicorn worker on core 0 (service time, no queueing).
    "Before" is commit c56e737 checked out into a temporary `git worktree` and served from
    there; "after" is this working tree. Each gets a fresh SQLite database seeded the same
    way through its own API (the tour's community). Runs alternate before/after (the order
    flipping each run) after waiting for an idle machine; the report is the median over runs
    of each run's p50 and p95. Target: after's p50 <= 1.5 x before's, per page.

    .venv/bin/python bench/page_weight.py                      # 5 runs x 5 s per page
    .venv/bin/python bench/page_weight.py --runs 3 --seconds 3 --json /tmp/weight.json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from _common import (
    HOST,
    LOAD_CPU,
    ROOT,
    Server,
    backend,
    log,
    stop_cleanly_on_sigterm,
    wait_for_quiet,
)

sys.path.insert(0, str(ROOT))
from playwright.async_api import Response, async_playwright
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.browser.pages_tour import PAGES, Builder, Community, open_as

BEFORE = "c56e737"
BUDGET_BYTES = 100 * 1024
TIMED = (("feed", "/feed?since=0"), ("conversation", "/conversations/{direct}"))
TIMED += (("conversation list", "/conversations"),)
TARGET_RATIO = 1.5
COUNTED = ("document", "stylesheet", "script")
COMPARED = ("feed", "conversation", "conversations")  # weighed before the redesign too


@dataclass
class Version:
    label: str
    server: Server
    live: LiveServer
    community: Community = field(default_factory=Community)
    runs: dict[str, list[tuple[float, float]]] = field(default_factory=dict)


@contextlib.contextmanager
def worktree(rev: str) -> Iterator[Path]:
    where = Path(tempfile.mkdtemp(prefix="socialode-before-"))
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(where), rev],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    try:
        yield where
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(where)], cwd=ROOT, check=False)
        shutil.rmtree(where, ignore_errors=True)


@contextlib.contextmanager
def version(label: str, source: Path | None) -> Iterator[Version]:
    """A fresh database and one server of the code in ``source`` (None: this tree)."""
    extra = {"PYTHONPATH": str(source / "src")} if source else {}
    extra["SOCIALODE_RATE_MOMENTS"] = "1000/hour"
    with backend("sqlite", extra) as db, Server("socialode.asgi:app", db.env).running() as app:
        env = {**os.environ, **db.env, "SOCIALODE_BASE_URL": app.url}
        live = LiveServer(app.url, db.data_dir, Path(os.devnull), env, "")
        yield Version(label, app, live)


async def seed(v: Version) -> None:
    started = time.monotonic()
    v.community = await Builder(v.live.base_url, v.live.env, "").build(v.live.link_in_mail)
    log(f"{v.label}: community seeded through the API in {time.monotonic() - started:.0f} s")


def tour_paths(v: Version, names: list[str]) -> list[tuple[str, str, str]]:
    """(name, who, path) of the tour's pages called ``names``, with this version's ids."""
    return [(p.name, p.who, v.community.path(p)) for p in PAGES if p.name in names and not p.post]


# (a) weight ------------------------------------------------------------------------------------
async def weigh(v: Version, paths: list[tuple[str, str, str]]) -> dict[str, dict[str, int]]:
    """name -> {"raw", "gzip", "files"} for each (name, who, path)."""
    out: dict[str, dict[str, int]] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        for name, who, path in paths:
            context = await open_as(browser, v.live, v.community, who, 390, "light")
            bodies: dict[str, bytes] = {}

            async def keep(response: Response, into: dict[str, bytes] = bodies) -> None:
                counted = response.request.resource_type in COUNTED
                if counted and response.url.startswith(v.live.base_url):
                    with contextlib.suppress(Exception):
                        into[response.url] = await response.body()

            context.on("response", keep)
            page = await context.new_page()
            await page.goto(v.live.url(path))
            with contextlib.suppress(Exception):
                await page.wait_for_load_state("networkidle", timeout=5000)
            await context.close()
            out[name] = {
                "raw": sum(len(b) for b in bodies.values()),
                "gzip": sum(len(gzip.compress(b, 6)) for b in bodies.values()),
                "files": len(bodies),
            }
        await browser.close()
    return out


# (b) server time -------------------------------------------------------------------------------
def timed_run(v: Version, path: str, seconds: float) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, requests) of sequential GETs of ``path`` for ``seconds``."""
    maya = v.community.person("maya")
    headers = {
        "Cookie": f"socialode_session={maya.token}",
        "X-Forwarded-For": maya.address,
        "Accept": "text/html",
    }
    port = urlsplit(v.live.base_url).port
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{v.label} GET {path} answered {response.status}")
    connection.close()
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49], cuts[94], len(latencies)


def measure(versions: list[Version], args: argparse.Namespace) -> None:
    for v in versions:  # warm-up: imports, template compilation, caches
        for _, template in TIMED:
            timed_run(v, template.format(**v.community.ids), args.warmup)
    for run in range(1, args.runs + 1):
        order = versions if run % 2 else list(reversed(versions))
        for v in order:
            waited = wait_for_quiet(args.quiet_wait)
            for label, template in TIMED:
                p50, p95, n = timed_run(v, template.format(**v.community.ids), args.seconds)
                v.runs.setdefault(label, []).append((p50, p95))
                log(
                    f"  run {run} {v.label:6} {label:18} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  "
                    f"({n} requests; waited {waited:.0f} s for a quiet machine)"
                )


def report(
    versions: list[Version], weights: dict[str, dict[str, dict[str, int]]]
) -> dict[str, object]:
    before, after = versions
    log("\n(a) HTML + CSS + JS on first load, gzip -6 (budget 100 KB per page)")
    log(f"  {'page':24} {'files':>5} {'raw KB':>8} {'gzip KB':>8}  {'before gzip KB':>14}")
    over = []
    for name, w in weights["after"].items():
        old = weights["before"].get(name)
        old_text = f"{old['gzip'] / 1024:14.1f}" if old else f"{'':14}"
        flag = "" if w["gzip"] <= BUDGET_BYTES else "  OVER BUDGET"
        if flag:
            over.append(name)
        log(
            f"  {name:24} {w['files']:5d} {w['raw'] / 1024:8.1f} {w['gzip'] / 1024:8.1f}  "
            f"{old_text}{flag}"
        )
    log(f"  weight target: {'met on every page' if not over else 'MISSED on ' + ', '.join(over)}")
    log("\n(b) server time, medians over runs of each run's p50 / p95 (ms)")
    log(f"  {'page':18} {'before p50':>10} {'after p50':>10} {'ratio':>6} {'before p95':>10} "
        f"{'after p95':>10}  target after p50 <= {TARGET_RATIO} x before")  # fmt: skip
    times: dict[str, dict[str, float]] = {}
    for label, _ in TIMED:
        b50 = statistics.median(r[0] for r in before.runs[label])
        a50 = statistics.median(r[0] for r in after.runs[label])
        b95 = statistics.median(r[1] for r in before.runs[label])
        a95 = statistics.median(r[1] for r in after.runs[label])
        ratio = a50 / b50
        met = "met" if ratio <= TARGET_RATIO else "MISSED"
        log(f"  {label:18} {b50:10.2f} {a50:10.2f} {ratio:6.2f} {b95:10.2f} {a95:10.2f}  {met}")
        times[label] = {"before_p50": b50, "after_p50": a50, "before_p95": b95, "after_p95": a95}
    return {"weights": weights, "times": times, "over_budget": over}


async def main_async(args: argparse.Namespace) -> dict[str, object]:
    with contextlib.ExitStack() as stack:
        old_tree = stack.enter_context(worktree(args.before))
        log(f"before: {args.before} in {old_tree}")
        before = stack.enter_context(version("before", old_tree))
        after = stack.enter_context(version("after", None))
        versions = [before, after]
        for v in versions:
            await seed(v)
        weights = {
            "after": await weigh(after, tour_paths(after, [p.name for p in PAGES])),
            "before": await weigh(before, tour_paths(before, list(COMPARED))),
        }
        log(f"measuring: {args.runs} runs x {args.seconds:g} s per page, alternating")
        measure(versions, args)
        return report(versions, weights)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, choices=range(3, 21))
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--quiet-wait", type=float, default=60)
    parser.add_argument("--before", default=BEFORE, help="the commit to compare against")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    stop_cleanly_on_sigterm()
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    log(f"machine: {os.cpu_count()} cores, load average {load}, Python {sys.version.split()[0]}")
    head = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    log(f"after: this tree ({head.stdout.strip()})")
    result = asyncio.run(main_async(args))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
