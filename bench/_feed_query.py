"""The feed's own database work, timed in process (run by bench/feed.py on the server's core).

A long-lived worker: it reads one JSON command per line on stdin and answers one JSON line on
stdout, so bench/feed.py can time the query between its HTTP runs, round-robin with them.

- The statement is the app's own: ``moments.access.access_feed`` runs once through the app's
  engine (``platform.db.Database``) for a stand-in viewer id, and SQLAlchemy's
  ``before_cursor_execute`` event hands over the SQL text and parameters it sends. Only the
  viewer id in the parameters changes afterwards.
- "raw": that SQL executed with the plain driver (sqlite3, which aiosqlite wraps, or psycopg
  3 in its synchronous form) on one connection, ``fetchall()`` included: the query's own time.
- "app": the request's work without HTTP, through the app's engine and code, one
  AsyncSession per read as a request has: the session lookup (``access_viewer``), then
  ``check_read_feed``, then the response model (``FeedOut``) serialised to JSON.
- "what-if core": the feed page read as Core rows of the columns the response needs (same
  SQL rule, same engine), to show what the ORM objects cost; and "what-if prebuilt": the
  app's own statement (same ORM entities) built once with bound parameters instead of per
  request. Nothing in src/ changes.

    taskset -c 0 .venv/bin/python bench/_feed_query.py DATABASE_URL
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, bindparam, event, select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer, access_viewer
from socialode.accounts.models import Session, User
from socialode.moments import access
from socialode.moments.access import PAGE
from socialode.moments.actions.feed import check_read_feed
from socialode.moments.api import _feed
from socialode.moments.models import Moment, MomentAudience, MomentPhoto
from socialode.platform.db import Database, configure_sqlite

STAND_IN = 987_654_321  # a viewer id no seeded member has; replaced in the parameters


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]

    return {
        "n": len(ordered),
        "p50": statistics.median(ordered),
        "p90": pct(90),
        "p99": pct(99),
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


async def core_feed(session: AsyncSession, viewer_id: int) -> list[Any]:
    """What-if: the same page with the same rule (``shared_with``) as Core rows of only the
    columns the response uses, instead of whole Moment, User and MomentPhoto objects (User
    rows carry the email, password hash, bio and JSON interests the feed never shows)."""
    query = (
        select(
            Moment.id,
            Moment.kind,
            Moment.body,
            Moment.body_html,
            Moment.content_note,
            Moment.prompt_text,
            Moment.created_at,
            Moment.edited_at,
            Moment.closed_at,
            Moment.author_id,
            User.handle,
            User.display_name,
            MomentPhoto.key,
            MomentPhoto.width,
            MomentPhoto.height,
        )
        .join(User, User.id == Moment.author_id)
        .outerjoin(MomentPhoto, MomentPhoto.id == Moment.photo_id)
        .join(MomentAudience, access.shared_with(viewer_id))
        .where(MomentAudience.moment_id > 0)
        .order_by(MomentAudience.moment_id.desc())
        .limit(PAGE + 1)
    )
    return list((await session.execute(query)).all())


# What-if: the feed statement built once, with the viewer and the lower bound as bound
# parameters, instead of building it (shared_with, aliased, exists ...) on every request.
_VIEWER = bindparam("viewer", type_=Integer)
PREBUILT = (
    select(Moment, User, MomentPhoto)
    .join(User, User.id == Moment.author_id)
    .outerjoin(MomentPhoto, MomentPhoto.id == Moment.photo_id)
    .join(MomentAudience, access.shared_with(_VIEWER))  # type: ignore[arg-type]
    .where(MomentAudience.moment_id > bindparam("lower", type_=Integer))
    .order_by(MomentAudience.moment_id.desc())
    .limit(PAGE + 1)
)


async def prebuilt_feed(session: AsyncSession, viewer_id: int) -> list[Any]:
    return list((await session.execute(PREBUILT, {"viewer": viewer_id, "lower": 0})).all())


class Worker:
    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite")
        self.db = Database(url)
        self.sql = ""
        self.params: Any = None
        self.raw: Any = None

    async def capture(self) -> dict[str, Any]:
        seen: list[tuple[str, Any]] = []

        def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            seen.append((statement, parameters))

        event.listen(self.db.engine.sync_engine, "before_cursor_execute", grab)
        try:
            async with self.db.sessions() as session:
                viewer = Viewer(User(id=STAND_IN), Session(id=0))
                # Since 6e3d4cd PostgreSQL reads the feed in batches (several statements);
                # the one-statement form (what SQLite runs) is the statement timed here. The
                # "app" timings below always go through the app's own path.
                one = getattr(access, "_others_page_one_statement", None)
                if one is not None:
                    await one(session, viewer, 0, None)
                else:
                    await access.access_feed(session, viewer, 0)
        finally:
            event.remove(self.db.engine.sync_engine, "before_cursor_execute", grab)
        feed = [(s, p) for s, p in seen if "moment_audience" in s]
        if len(feed) != 1:
            raise RuntimeError(f"expected one feed statement, saw {seen!r}")
        self.sql, self.params = feed[0]
        if self.sqlite:
            path = self.url.split("///", 1)[1]
            self.raw = sqlite3.connect(path)
            configure_sqlite(self.raw)
        else:
            import psycopg

            self.raw = psycopg.connect(self.url.replace("postgresql+psycopg", "postgresql"))
            self.raw.autocommit = True
        return {"sql": self.sql, "params": repr(self.params)}

    def _params(self, viewer: int) -> Any:
        if isinstance(self.params, dict):
            return {k: viewer if v == STAND_IN else v for k, v in self.params.items()}
        return tuple(viewer if v == STAND_IN else v for v in self.params)

    def raw_feed(self, viewer: int) -> list[Any]:
        cursor = self.raw.execute(self.sql, self._params(viewer))
        rows: list[Any] = cursor.fetchall()
        return rows

    def time_raw(self, viewers: list[int], n: int, seed: int) -> dict[str, Any]:
        rng = random.Random(seed)
        for v in viewers[:20]:  # warm: statement caches, prepared statements
            self.raw_feed(v)
        samples, counts = [], set()
        for _ in range(n):
            v = rng.choice(viewers)
            t0 = time.perf_counter()
            rows = self.raw_feed(v)
            samples.append((time.perf_counter() - t0) * 1000)
            counts.add(len(rows))
        return {"raw": summary(samples), "rows": sorted(counts)}

    async def time_app(self, readers: list[list[Any]], n: int, seed: int) -> dict[str, Any]:
        rng = random.Random(seed)
        parts: dict[str, list[float]] = {
            "session": [],
            "feed": [],
            "json": [],
            "total": [],
            "what-if core": [],
            "what-if prebuilt": [],
        }
        moments = set()
        for i in range(n + 20):
            _uid, token = rng.choice(readers)
            t0 = time.perf_counter()
            async with self.db.sessions() as session:
                viewer = await access_viewer(session, token)
                t1 = time.perf_counter()
                assert viewer is not None
                read = await check_read_feed(session, viewer)
                t2 = time.perf_counter()
            body = _feed(read).model_dump_json()
            t3 = time.perf_counter()
            t4 = time.perf_counter()
            async with self.db.sessions() as session:
                core_rows = await core_feed(session, viewer.id)
            t5 = time.perf_counter()
            async with self.db.sessions() as session:
                prebuilt_rows = await prebuilt_feed(session, viewer.id)
            t6 = time.perf_counter()
            if i < 20:
                continue  # warm-up
            parts["what-if core"].append((t5 - t4) * 1000)
            parts["what-if prebuilt"].append((t6 - t5) * 1000)
            assert [r[0].id for r in prebuilt_rows[:PAGE]] == [v.moment.id for v in read.page.items]
            assert [r.id for r in core_rows[:PAGE]] == [v.moment.id for v in read.page.items]
            moments.add(len(read.page.items))
            for key, value in (("session", t1 - t0), ("feed", t2 - t1), ("json", t3 - t2)):
                parts[key].append(value * 1000)
            parts["total"].append((t3 - t0) * 1000)
            assert body
        return {"app": {k: summary(v) for k, v in parts.items()}, "moments": sorted(moments)}

    def explain(self, viewer: int) -> str:
        params = self._params(viewer)
        if self.sqlite:
            rows = self.raw.execute("EXPLAIN QUERY PLAN " + self.sql, params).fetchall()
            depth: dict[int, int] = {0: 0}
            lines = []
            for node, parent, _unused, detail in rows:
                depth[node] = depth.get(parent, 0) + 1
                lines.append("  " * depth[node] + detail)
            return "\n".join(lines)
        # As the app runs it: psycopg prepares a statement after its fifth execution on a
        # connection, and PostgreSQL may then switch to a generic plan; EXPLAIN EXECUTE shows
        # the plan the prepared statement really uses after a few executions.
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        prepared = re.sub(r"%\((\w+)\)s", number, self.sql)
        args = ", ".join(str(int(params[name])) for name in names)
        out = []
        with self.raw.cursor() as cur:
            cur.execute("DEALLOCATE ALL")
            for _ in range(2):
                plan = cur.execute(
                    "EXPLAIN (ANALYZE, BUFFERS) " + self.sql, params, prepare=False
                ).fetchall()
            out.append("-- EXPLAIN (ANALYZE, BUFFERS), parameters bound (a custom plan):")
            out += [row[0] for row in plan]
            cur.execute(f"PREPARE bench_feed AS {prepared}", prepare=False)
            for _ in range(8):
                cur.execute(f"EXECUTE bench_feed({args})", prepare=False).fetchall()
            plan = cur.execute(
                f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_feed({args})", prepare=False
            ).fetchall()
            out.append("-- the same as a prepared statement after 8 executions (what psycopg")
            out.append("-- and so the app run once a connection has executed it 5 times):")
            out += [row[0] for row in plan]
            cur.execute("DEALLOCATE bench_feed", prepare=False)
        return "\n".join(out)

    def touches(self, since: float) -> int:
        """Sessions whose last_seen_at the app moved since ``since`` (a Unix time), i.e.
        how many reads also wrote (do_touch_session: at most once a minute per session)."""
        when = datetime.fromtimestamp(since, UTC)
        if self.sqlite:
            text = when.strftime("%Y-%m-%d %H:%M:%S.%f")  # how UTCDateTime stores it
            sql = "SELECT count(*) FROM sessions WHERE last_seen_at >= ?"
            row = self.raw.execute(sql, (text,)).fetchone()
        else:
            sql = "SELECT count(*) FROM sessions WHERE last_seen_at >= %s"
            row = self.raw.execute(sql, (when,)).fetchone()
        return int(row[0])


async def serve(url: str) -> None:
    worker = Worker(url)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        command = json.loads(line)
        kind = command.pop("cmd")
        try:
            if kind == "capture":
                answer: Any = await worker.capture()
            elif kind == "raw":
                answer = worker.time_raw(**command)
            elif kind == "app":
                answer = await worker.time_app(**command)
            elif kind == "explain":
                answer = {"plan": worker.explain(**command)}
            elif kind == "touches":
                answer = {"touches": worker.touches(**command)}
            else:
                raise ValueError(kind)
        except Exception as exc:  # reported to the parent, which stops
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    await worker.db.dispose()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1]))
