"""Gatherings: the page of a well-answered gathering, and a member's calendar feed.

Targets (the gatherings issue): the page of a gathering with 30 invitees and 10 time options,
each answered by everyone, p50 within 1.5x of the feed page measured in the same run; and the
calendar feed of a member with 500 gatherings p50 <= 50 ms, its first (cold) request reported
apart, since event texts are kept per process.

Test data is made before the server starts, in a subprocess of this script (`--seed`), through
the app's own actions: members by operator invite and sign-up, connections by request and
acceptance, 200 moments the author shares with the reader by name (`moments.check_post`: the
feed page's baseline shows the newest 20), and gatherings by `gatherings.actions.check_propose`:

- the big one: an organiser invites 30 connections (the reader among them) to choose from 10
  times on days ahead; then everyone invited, the organiser too, answers every time
  (`gatherings.actions.changes.check_answer_times`: yes / if needed / no in turn);
- the calendar member's 500: four organisers connected with that member (and each other)
  each propose 125 gatherings at one time each, days ahead, inviting the member and the other
  three organisers; so the member's feed has 500 events.

Then one uvicorn worker on core 0 serves the app, and this process on core 1 sends requests
one at a time on a keep-alive connection (service time, no queueing), three blocks per run:

- feed:      GET /feed?since=0 as the reader (cookie), the first 20 of the 200 moments;
- gathering: GET /gatherings/{id} as the reader, an invitee (cookie): 31 people, 10 times,
             everyone's answer to each by name;
- calendar:  GET /calendar/{token}.ics, no session (the address from
             GET /api/v1/gatherings/calendar as the calendar member): 500 VEVENTs.

Each block is `--requests` requests; blocks rotate their order run by run. Before each run
the script waits (up to `--quiet-wait` s) for an idle machine; a run during which other work
used more than `--max-other` cores is printed, marked DISCARDED and repeated (`--attempts`;
the last is kept). The report is the median over runs of each run's p50 and p95.

The calendar's cold request is measured on fresh servers (`--cold` of them, before the main
one): each is warmed by one API request of the calendar member (the address, so its database
connection and sign-in paths are warm), then the first GET of the feed is timed: that one
makes every event's text; later ones join texts already made.

    .venv/bin/python bench/gatherings.py                          # SQLite, then PostgreSQL
    .venv/bin/python bench/gatherings.py --backend sqlite --runs 3 --requests 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from _common import (
    GENEROUS,
    LOAD_CPU,
    Quiet,
    Server,
    backend,
    log,
    stop_cleanly_on_sigterm,
    wait_for_quiet,
)
from _live import CpuMeter, KeepAlive, Table, live_machine, p50_p95, page, seed_with

MOMENTS = 200
INVITEES = 30  # besides the organiser: the most a gathering may have
OPTIONS = 10  # the most times a poll may offer
FEED_GATHERINGS = 500
ORGANISERS = 4  # of the calendar member's gatherings
RATIO_TARGET = 1.5
CALENDAR_TARGET_MS = 50.0
SERVER_ENV = {
    "SOCIALODE_RATE_MOMENTS": GENEROUS,
    "SOCIALODE_RATE_CONNECTION_REQUESTS": GENEROUS,
}
ANSWER_CYCLE = ("yes", "if_needed", "no")
PLACE = "Volkspark Friedrichshain, by the pond"
MAP_URL = "https://www.openstreetmap.org/?mlat=52.5280&mlon=13.4340#map=17/52.5280/13.4340"
DESCRIPTION = "Bring something to share and a blanket; we stay until it gets dark."


# Test data, in a subprocess (`--seed`) with the server's settings --------------------------


def note(message: str) -> None:
    """Progress of the seeding subprocess: on stderr, since its stdout is the JSON."""
    print(message, file=sys.stderr, flush=True)


async def _viewer(db: Any, token: str) -> Any:
    from socialode.accounts.access import access_viewer

    viewer = await access_viewer(db, token)
    assert viewer is not None
    return viewer


async def _big_gathering(
    svc: Any, organiser: dict[str, Any], guests: list[dict[str, Any]], now: datetime
) -> int:
    """30 invitees, 10 times on days ahead, every time answered by everyone invited."""
    from sqlalchemy import select

    from socialode.gatherings.actions import Proposal, check_propose
    from socialode.gatherings.actions.changes import check_answer_times
    from socialode.gatherings.models import TimeOption

    evening = now.replace(hour=17, minute=0) + timedelta(days=3)
    spans = [
        (evening + timedelta(days=n), evening + timedelta(days=n, hours=3)) for n in range(OPTIONS)
    ]
    async with svc.db.sessions() as db:
        proposed = await check_propose(
            svc,
            db,
            await _viewer(db, organiser["token"]),
            Proposal(
                title="Picnic in the park before the summer ends",
                spans=spans,
                description=DESCRIPTION,
                place=PLACE,
                map_url=MAP_URL,
                handles=[g["handle"] for g in guests],
            ),
        )
    assert not proposed.left_out, proposed.left_out
    gathering_id = proposed.gathering_id
    async with svc.db.sessions() as db:
        options = list(
            await db.scalars(
                select(TimeOption.id)
                .where(TimeOption.gathering_id == gathering_id)
                .order_by(TimeOption.starts_at)
            )
        )
    assert len(options) == OPTIONS, options
    for n, person in enumerate([organiser, *guests]):
        answers = {o: ANSWER_CYCLE[(n + k) % 3] for k, o in enumerate(options)}
        async with svc.db.sessions() as db:
            await check_answer_times(db, await _viewer(db, person["token"]), gathering_id, answers)
    return gathering_id


async def _feed_gatherings(
    svc: Any, member: dict[str, Any], organisers: list[dict[str, Any]], now: datetime
) -> int:
    """500 gatherings at one time each, days ahead, each inviting the member (and the other
    organisers), proposed four at a time."""
    from socialode.gatherings.actions import Proposal, check_propose

    gate = asyncio.Semaphore(4)
    base = now.replace(hour=16, minute=0) + timedelta(days=1)

    async def one(n: int) -> int:
        organiser = organisers[n % len(organisers)]
        others = [o["handle"] for o in organisers if o is not organiser]
        starts = base + timedelta(days=n * 2 // 3, hours=n % 3 * 2)
        async with gate, svc.db.sessions() as db:
            proposed = await check_propose(
                svc,
                db,
                await _viewer(db, organiser["token"]),
                Proposal(
                    title=f"Gathering {n}: dinner and a walk along the river",
                    spans=[(starts, starts + timedelta(hours=2))],
                    description=DESCRIPTION if n % 2 else "",
                    place=PLACE if n % 3 else "",
                    map_url=MAP_URL if n % 4 == 0 else "",
                    handles=[member["handle"], *others],
                ),
            )
        return proposed.gathering_id

    made = await asyncio.gather(*(one(n) for n in range(FEED_GATHERINGS)))
    return len(made)


async def _seed() -> dict[str, Any]:
    from _seed_live import connect, members

    import socialode.app  # noqa: F401  (registers every job kind, as the server does)
    from socialode.config import Settings
    from socialode.moments.actions import check_post
    from socialode.platform.clock import utcnow
    from socialode.platform.services import Services

    svc = Services.build(Settings())
    try:
        started = time.monotonic()
        reader, author = await members(svc, 2, "w")
        party = await members(svc, INVITEES, "g")  # the organiser, then 29 guests
        keeper, *organisers = await members(svc, 1 + ORGANISERS, "c")
        organiser, guests = party[0], [reader, *party[1:]]
        await connect(svc, reader, author)
        for guest in guests:
            await connect(svc, organiser, guest)
        for n, one in enumerate(organisers):
            await connect(svc, one, keeper)
            for other in organisers[n + 1 :]:
                await connect(svc, one, other)
        async with svc.db.sessions() as db:
            viewer = await _viewer(db, author["token"])
            for n in range(MOMENTS):
                text = f"Moment {n}: the garden after rain, and bread in the oven."
                await check_post(
                    svc, db, viewer, body=text, circle_ids=[], handles=[reader["handle"]]
                )
        note(f"  members, connections and moments in {time.monotonic() - started:.0f} s")
        now = utcnow().replace(second=0, microsecond=0)
        gathering_id = await _big_gathering(svc, organiser, guests, now)
        note(f"  the big gathering answered by everyone in {time.monotonic() - started:.0f} s")
        count = await _feed_gatherings(svc, keeper, organisers, now)
        note(f"  {count} gatherings for the calendar in {time.monotonic() - started:.0f} s")
        return {
            "reader": reader,
            "keeper": keeper,
            "gathering": gathering_id,
            "people": [organiser, *guests],
        }
    finally:
        await svc.close()


def seed(env: dict[str, str]) -> dict[str, Any]:
    """Run this script's `--seed` with the server's settings and return what it printed."""
    return seed_with(env, "gatherings.py", "--seed")


# Requests ------------------------------------------------------------------------------------


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


CALENDAR_HEADERS = {"Accept": "text/calendar"}


def calendar_path(client: KeepAlive, keeper_token: str) -> str:
    """The calendar member's private feed address, as the API hands it out."""
    _, status, body = client.send("GET", "/api/v1/gatherings/calendar", bearer(keeper_token))
    if status != 200:
        raise RuntimeError(f"the calendar address answered {status}: {body[:300]!r}")
    return urlsplit(json.loads(body)["url"]).path


class Workload:
    """The three blocks of a run."""

    def __init__(self, server: Server, seeded: dict[str, Any]) -> None:
        self.client = KeepAlive(server)
        self.reader = seeded["reader"]["token"]
        self.gathering = f"/gatherings/{seeded['gathering']}"
        self.calendar = calendar_path(self.client, seeded["keeper"]["token"])

    def block(self, label: str, count: int) -> list[float]:
        if label == "calendar":
            path, headers = self.calendar, CALENDAR_HEADERS
        else:
            path = "/feed?since=0" if label == "feed" else self.gathering
            headers = page(self.reader)
        latencies = []
        for _ in range(count):
            ms, status, body = self.client.send("GET", path, headers)
            if status != 200:
                raise RuntimeError(f"{label} answered {status}: {body[:300]!r}")
            latencies.append(ms)
        return latencies

    def check_pages(self, people: list[dict[str, Any]]) -> None:
        """The pages show what they should before anything is timed."""
        _, status, body = self.client.send("GET", "/feed?since=0", page(self.reader))
        shown = body.count(b'<article class="moment')
        assert status == 200 and shown == 20, ("feed", status, shown)
        log(f"  feed: {len(body)} bytes, {shown} moments on the first page")
        _, status, body = self.client.send("GET", self.gathering, page(self.reader))
        assert status == 200, ("gathering", status, body[:300])
        html = body.decode()
        guests = html.partition('<ul class="list guests">')[2].partition("</ul>")[0]
        listed = guests.count('<li class="person-line">')
        named = [p["handle"] for p in people if f">Bench {p['handle']}</a>" in guests]
        options = html.count('<fieldset class="option">')
        yes_lines = html.count("Yes: Bench ")
        maybe_lines = html.count("If needed: Bench ")
        assert listed == len(people) == INVITEES + 1 and len(named) == listed, (listed, named)
        assert options == OPTIONS and yes_lines == OPTIONS and maybe_lines == OPTIONS, (
            options,
            yes_lines,
            maybe_lines,
        )
        log(
            f"  gathering: {len(body)} bytes, {listed} people listed by name (the organiser and "
            f"{INVITEES} invitees), {options} times, each with its yes and if-needed names"
        )
        self.check_calendar()

    def check_calendar(self) -> None:
        import icalendar

        _, status, body = self.client.send("GET", self.calendar, CALENDAR_HEADERS)
        assert status == 200, ("calendar", status, body[:300])
        parsed = icalendar.Calendar.from_ical(body)
        events = parsed.walk("VEVENT")
        zones = parsed.walk("VTIMEZONE")
        uids = {str(e["UID"]) for e in events}
        assert len(events) == len(uids) == FEED_GATHERINGS, ("calendar", len(events), len(uids))
        log(
            f"  calendar: {len(body)} bytes, a VCALENDAR of {len(events)} VEVENTs "
            f"({len(uids)} UIDs) and {len(zones)} VTIMEZONE, parsed by icalendar"
        )


# Runs ----------------------------------------------------------------------------------------

LABELS = ("feed", "gathering", "calendar")


def cold(env: dict[str, str], seeded: dict[str, Any], args: argparse.Namespace) -> list[float]:
    """The first calendar request of fresh servers, then the second, each after one request
    of the calendar member's API (the address) on the fresh server."""
    firsts = []
    for n in range(1, args.cold + 1):
        wait_for_quiet(args.quiet_wait)
        with Server("socialode.asgi:app", env).running() as app:
            client = KeepAlive(app)
            try:
                path = calendar_path(client, seeded["keeper"]["token"])
                first, status, _ = client.send("GET", path, CALENDAR_HEADERS)
                second, status2, _ = client.send("GET", path, CALENDAR_HEADERS)
            finally:
                client.close()
        assert status == status2 == 200, (status, status2)
        log(f"  cold {n}: first calendar request {first:7.2f} ms, the second {second:7.2f} ms")
        firsts.append(first)
    return firsts


def measure(app: Server, work: Workload, args: argparse.Namespace) -> dict[str, list[Any]]:
    quiet = Quiet(args.quiet_wait, args.max_other, args.attempts)
    assert app.process is not None
    runs: dict[str, list[Any]] = {label: [] for label in LABELS}
    for label in LABELS:  # warm the server up on every path
        work.block(label, args.warmup)
    for run in range(1, args.runs + 1):
        order = LABELS[run % 3 :] + LABELS[: run % 3]
        for attempt in range(1, quiet.attempts + 1):
            waited = wait_for_quiet(quiet.wait)
            work.client.reconnect()
            meter = CpuMeter([app.process.pid])
            got = {label: work.block(label, args.requests) for label in order}
            cpu = meter.stop()
            disturbed = cpu.other > quiet.max_other
            kept = not disturbed or attempt == quiet.attempts
            for label in order:
                p50, p95 = p50_p95(got[label])
                log(
                    f"  run {run}.{attempt} {label:9} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms"
                    f"  ({len(got[label])} requests)"
                )
            log(
                f"    cores: server {cpu.server:.2f}, PG+Redis {cpu.database:.2f}, this "
                f"{cpu.load:.2f}, other {cpu.other:.2f} (waited {waited:.0f} s for quiet)"
                + ("" if kept else "  DISCARDED (other load)")
            )
            if kept:
                for label in order:
                    runs[label].append((*p50_p95(got[label]), cpu.other))
                break
    return runs


def bench_backend(name: str, args: argparse.Namespace) -> dict[str, Any]:
    log(f"\n=== {name}: a fresh database")
    with backend(name, SERVER_ENV) as db:
        server = Server("socialode.asgi:app", db.env)
        seeded = seed(db.env | {"SOCIALODE_BASE_URL": server.url})
        firsts = cold(db.env, seeded, args) if args.cold else []
        with server.running() as app:
            work = Workload(app, seeded)
            try:
                work.check_pages(seeded["people"])
                runs = measure(app, work, args)
            finally:
                work.client.close()
    out: dict[str, Any] = {}
    table = Table(["page", "runs", "p50 ms (median)", "p95 ms (median)", "p50 range", "/ feed"])
    feed = statistics.median(r[0] for r in runs["feed"])
    for label in LABELS:
        p50s = [r[0] for r in runs[label]]
        p95s = [r[1] for r in runs[label]]
        row = {"p50": statistics.median(p50s), "p95": statistics.median(p95s)}
        row["ratio"] = row["p50"] / feed
        out[label] = row | {"p50s": p50s, "p95s": p95s, "other": [r[2] for r in runs[label]]}
        spread = f"{min(p50s):.2f}-{max(p50s):.2f}"
        table.add(
            label,
            len(p50s),
            f"{row['p50']:.2f}",
            f"{row['p95']:.2f}",
            spread,
            f"{row['ratio']:.2f}",
        )
    log(f"\n{name}: medians over runs of each run's p50 / p95, one request at a time")
    log(table.render())
    if firsts:
        out["calendar"]["cold"] = statistics.median(firsts)
        out["calendar"]["colds"] = firsts
        log(
            f"  calendar cold (the first request of a fresh server): median "
            f"{out['calendar']['cold']:.2f} ms over {len(firsts)} servers "
            f"({min(firsts):.2f}-{max(firsts):.2f})"
        )
    ratio = out["gathering"]["ratio"]
    met = "met" if ratio <= RATIO_TARGET else "MISSED"
    log(f"  gathering p50 / feed p50 {ratio:.2f} (target <= {RATIO_TARGET:g}): {met}")
    got = out["calendar"]["p50"]
    met = "met" if got <= CALENDAR_TARGET_MS else "MISSED"
    log(f"  calendar p50 {got:.2f} ms (target <= {CALENDAR_TARGET_MS:g} ms): {met}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runs", type=int, default=7, choices=range(3, 21))
    parser.add_argument("--requests", type=int, default=200, help="per page per run")
    parser.add_argument("--warmup", type=int, default=50, help="requests per page, untimed")
    parser.add_argument("--cold", type=int, default=3, help="fresh servers for the cold request")
    parser.add_argument("--quiet-wait", type=float, default=60)
    parser.add_argument("--max-other", type=float, default=0.15)
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:  # the seeding subprocess
        json.dump(asyncio.run(_seed()), sys.stdout)
        return
    stop_cleanly_on_sigterm()
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    log(f"gatherings benchmark, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    live_machine()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    log(f"  load average {load}; {args.runs} runs x {args.requests} requests per page")
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = {name: bench_backend(name, args) for name in names}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
