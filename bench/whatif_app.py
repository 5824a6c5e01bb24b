"""What-if variant of the Socialode app, for experiments only (never used outside bench/).

It builds the real app with create_app() and then changes one thing from outside, so a
benchmark can show what a change in src/ would buy before anyone makes it. Knobs
(environment variables; unset means "as the app does it"):

BENCH_POOL_SIZE, BENCH_MAX_OVERFLOW, BENCH_PRE_PING (1/0)
    rebuild the database engine with these pool settings (e.g. the pre-b8f2bb9 PostgreSQL
    pool: BENCH_POOL_SIZE=10,BENCH_MAX_OVERFLOW=10,BENCH_PRE_PING=1).
BENCH_HASH_LIMIT=N
    run at most N Argon2 hashes at once instead of the app's own limit (one per usable
    core since b8f2bb9; N=40 gives back anyio's default thread limit, as before).
BENCH_TOUCH=off
    never record that a session is in use (``do_touch_session``: an UPDATE and a COMMIT at
    most once a minute per session, on the first request after that minute).
BENCH_FEED_EXISTS=fence
    the moments rule's "still connected with the author" test (``connected_clause`` as
    ``moments.access`` uses it) as ``EXISTS (SELECT 1 ... OFFSET 0)``: the OFFSET keeps
    PostgreSQL from turning the EXISTS into a join that starts from the viewer's
    connections (and so from all their moments), so the feed can walk the viewer's
    ``moment_audience`` rows newest first and stop after a page.
BENCH_SCORING=off
    no abuse scoring before a text is sent: ``safety.pause.check_words`` gets a scorer
    whose ``score`` returns the empty assessment at once (token checks and everything else
    as the app does them), so a send measures the app without the detector's own work.
    (Run it with SOCIALODE_ABUSE_SCORER=inline, or an idle scorer process is started too.)
BENCH_SCORING=timed
    the app's own scorer, each ``score`` call timed (wall and this thread's CPU); every
    5 s the medians and means so far are printed to stderr as ``SCORE_TIMES``.
BENCH_SCORER_CORE=N
    the scorer process (``safety.scorer``) pinned to core N instead of the server's cores.
BENCH_SCORER=instant|spin|sleep
    a stand-in scorer process (``_instant_scorer.py``) that answers "none" at once (what the
    pipe alone costs a send), or after spinning about as long as the detector would take,
    touching almost no memory, or after sleeping as long (its delay without its work). Run it
    with SOCIALODE_ABUSE_SCORER=process.
BENCH_GC=freeze|off|stats
    gc.freeze() after start-up, or no cyclic garbage collector at all, or (stats) leave the
    collector alone but print, every 5 s, how many collections of each generation ran and
    how long they took.
"""

from __future__ import annotations

import os

import anyio
import anyio.to_thread
from sqlalchemy import event
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from socialode.app import create_app
from socialode.platform.db import configure_sqlite

app = create_app()
_services = app.state.services

if any(k in os.environ for k in ("BENCH_POOL_SIZE", "BENCH_MAX_OVERFLOW", "BENCH_PRE_PING")):
    # Defaults mirror src/socialode/platform/db.py (make_engine) at commit b8f2bb9.
    _db = _services.db
    _sqlite = _db.url.startswith("sqlite")
    _engine = create_async_engine(
        _db.url,
        pool_size=int(os.environ.get("BENCH_POOL_SIZE", "5" if _sqlite else "20")),
        max_overflow=int(os.environ.get("BENCH_MAX_OVERFLOW", "10")),
        pool_pre_ping=os.environ.get("BENCH_PRE_PING", "0") == "1",
        **({"connect_args": {"timeout": 5}} if _sqlite else {"pool_recycle": 1800}),
    )
    if _sqlite:
        event.listen(_engine.sync_engine, "connect", configure_sqlite)
    _db.engine = _engine
    _db.sessions = async_sessionmaker(_engine, expire_on_commit=False)

if "BENCH_HASH_LIMIT" in os.environ:
    _passwords = _services.passwords
    _limiter = anyio.CapacityLimiter(int(os.environ["BENCH_HASH_LIMIT"]))

    async def _hash(password: str) -> str:
        result: str = await anyio.to_thread.run_sync(
            _passwords._hasher.hash, password, limiter=_limiter
        )
        return result

    async def _verify(stored_hash: str | None, password: str) -> bool:
        result: bool = await anyio.to_thread.run_sync(
            _passwords._verify_sync, stored_hash, password, limiter=_limiter
        )
        return result

    _passwords.hash = _hash
    _passwords.verify = _verify

if os.environ.get("BENCH_TOUCH") == "off":
    import socialode.accounts.deps as _deps

    async def _no_touch(*_args: object) -> None:
        return None

    _deps.do_touch_session = _no_touch  # optional_viewer looks it up at each request

if os.environ.get("BENCH_FEED_EXISTS") == "fence":
    from sqlalchemy import ColumnElement, literal, select

    import socialode.moments.access as _moments_access
    from socialode.circles.models import Connection

    def _connected_fenced(user: object, other: object) -> ColumnElement[bool]:
        query = select(literal(1)).where(Connection.user_id == user, Connection.other_id == other)
        return query.offset(0).exists()

    _moments_access.connected_clause = _connected_fenced  # type: ignore[assignment]

if os.environ.get("BENCH_SCORING") == "off":
    import socialode.safety.pause as _pause
    from socialode.safety.assessment import CLEAR, Assessment

    class _NoScoring:
        async def score(self, _text: str, _locale: str) -> Assessment:
            return CLEAR

    _no_scoring = _NoScoring()
    _pause.scorer_for = lambda _svc: _no_scoring  # type: ignore[assignment,return-value]

if os.environ.get("BENCH_SCORING") == "timed":
    import atexit
    import statistics
    import sys
    import threading
    import time
    from typing import Any

    import socialode.safety.pause as _pause
    from socialode.safety.assessment import Assessment
    from socialode.safety.scorer import scorer_for

    _times: list[tuple[float, float]] = []
    _score_log = (
        open(os.environ["BENCH_SCORING_LOG"], "a")  # noqa: SIM115 (open while the server runs)
        if "BENCH_SCORING_LOG" in os.environ
        else sys.stderr
    )

    class _Timed:
        """The app's scorer, each call timed: wall from the call to its answer, and this
        thread's CPU over the same span (which includes whatever else the event loop ran
        while a call waited for the scorer process)."""

        def __init__(self, real: Any) -> None:
            self.real = real

        async def score(self, text: str, locale: str) -> Assessment:
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return await self.real.score(text, locale)
            finally:
                _times.append((time.perf_counter() - wall, time.thread_time() - cpu))

    _pause.scorer_for = lambda svc: _Timed(scorer_for(svc))  # type: ignore[assignment]

    def _print_scores() -> None:
        got = list(_times)
        if got:
            walls, cpus = [1000 * w for w, _ in got], [1000 * c for _, c in got]
            print(
                f"SCORE_TIMES n={len(got)} wall median {statistics.median(walls):.3f} "
                f"mean {statistics.fmean(walls):.3f} ms; cpu median "
                f"{statistics.median(cpus):.3f} mean {statistics.fmean(cpus):.3f} ms",
                file=_score_log,
                flush=True,
            )

    def _report_scores() -> None:
        while True:
            time.sleep(5)
            _print_scores()

    threading.Thread(target=_report_scores, daemon=True).start()
    atexit.register(_print_scores)

if os.environ.get("BENCH_SCORER") in ("instant", "spin", "sleep"):
    import sys
    from pathlib import Path

    import socialode.safety.scorer as _stand_in

    _make = _stand_in.Scorer.__init__
    _how = os.environ["BENCH_SCORER"]

    def _stand_in_scorer(self: _stand_in.Scorer, settings: _stand_in.Settings) -> None:
        _make(self, settings)
        self.command = (sys.executable, str(Path(__file__).with_name("_instant_scorer.py")), _how)

    _stand_in.Scorer.__init__ = _stand_in_scorer  # type: ignore[method-assign]

if "BENCH_SCORER_CORE" in os.environ:
    # The scorer process on a core of its own choosing (the server itself is pinned by
    # taskset, which the child would otherwise inherit).
    import socialode.safety.scorer as _scorer

    _start = _scorer.Scorer.start

    async def _start_on_core(self: _scorer.Scorer) -> None:
        await _start(self)
        if self.pid is not None:
            os.sched_setaffinity(self.pid, {int(os.environ["BENCH_SCORER_CORE"])})

    _scorer.Scorer.start = _start_on_core  # type: ignore[method-assign]

if os.environ.get("BENCH_GC") == "freeze":
    import gc

    gc.collect()
    gc.freeze()  # move everything allocated at start-up out of the collector's view
elif os.environ.get("BENCH_GC") == "off":
    import gc

    gc.disable()
elif os.environ.get("BENCH_GC") == "stats":
    import gc
    import sys
    import threading
    import time

    _gc_stats = {g: [0, 0.0] for g in range(3)}  # generation: [collections, seconds]
    _gc_started = [0.0]

    def _on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            _gc_started[0] = time.perf_counter()
        else:
            stats = _gc_stats[info["generation"]]
            stats[0] += 1
            stats[1] += time.perf_counter() - _gc_started[0]

    _gc_log = open(os.environ["BENCH_GC_LOG"], "a") if "BENCH_GC_LOG" in os.environ else sys.stderr  # noqa: SIM115

    def _report() -> None:
        print(f"GC_STATS objects tracked at start: {len(gc.get_objects())}", file=_gc_log)
        while True:
            time.sleep(5)
            parts = [f"gen{g}: {n} in {1000 * t:.0f} ms" for g, (n, t) in _gc_stats.items()]
            print(f"GC_STATS {', '.join(parts)}", file=_gc_log, flush=True)

    gc.callbacks.append(_on_gc)
    threading.Thread(target=_report, daemon=True).start()
