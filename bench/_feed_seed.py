"""Test data for bench/feed.py, written straight into the database with bulk SQL.

Signing 10,000 people up through the API (an invite, an Argon2id hash and a session each),
then 500,000 connection requests and 200,000 posts, would take hours; this writes the same
rows the app would have written, in large transactions: executemany on SQLite (with
``synchronous=OFF`` during the seed only), COPY on PostgreSQL; then ANALYZE.

The graph is a circulant one: member i is connected with i±1 … i±50 (mod the member count),
one row per direction as the app stores a connection, so everyone has exactly 100
connections. Each member has one circle, "Everyone", holding all 100 of them, and 20 moments
shared with that circle, written as ``moments.actions.posting._write`` writes a post: the
moment, one ``moment_circles`` row, and one ``moment_audience`` row (direct = false) per
circle member. Moment ids grow with ``created_at``, spread over the past 30 days.

Readers get a session each, stored as the app stores one (the SHA-256 of the token); the
tokens themselves go to the seed file next to the data, so a seeded database can be reused.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SEED_FILE = "feed-seed.json"
SEED_VERSION = 1
BODIES = (
    "Walked the long way home along the canal; the herons were back. www.example.org/herons",
    "Made bread again. The crust cracked in the oven, which I have decided means it is happy.",
    "Quiet day. Finished the book about lighthouses and started the one about bees.",
    "First tomatoes of the year on the balcony, all three of them. Photos soon, maybe.",
    "Tried the new bakery on the corner: the cardamom buns are worth the queue.",
    "Rain all afternoon, so the puzzle finally got finished. One piece missing, of course.",
    "Sat with my grandmother and listened to her stories about the 1960s harbour.",
    "Long call with an old friend tonight. We picked up exactly where we left off.",
)


@dataclass
class Shape:
    members: int = 10_000
    degree: int = 100  # connections per member (even): i±1 … i±degree/2
    moments_each: int = 20
    readers: int = 1_000  # members with a session (bearer token) for the benchmark
    days: int = 30  # moments are spread over this many past days
    seed: int = 20261123


@dataclass
class Seeded:
    backend: str
    shape: Shape
    readers: list[tuple[int, str]]  # (user id, bearer token)
    seeded_at: str
    seconds: float
    database_url: str = ""
    version: int = SEED_VERSION

    def save(self, data_dir: Path) -> None:
        (data_dir / SEED_FILE).write_text(json.dumps(asdict(self)))

    def timed(self, started: float) -> Seeded:
        self.seconds = time.perf_counter() - started
        return self

    @classmethod
    def load(cls, data_dir: Path) -> Seeded:
        raw = json.loads((data_dir / SEED_FILE).read_text())
        if raw.get("version") != SEED_VERSION:
            raise ValueError(f"{data_dir / SEED_FILE} is from another version of the seeder")
        raw["shape"] = Shape(**raw["shape"])
        raw["readers"] = [tuple(r) for r in raw["readers"]]
        return cls(**raw)


class Plan:
    """Who is connected with whom, who wrote which moment when; ids start at 1."""

    def __init__(self, shape: Shape) -> None:
        if shape.degree % 2 or not 0 < shape.degree < shape.members:
            raise ValueError("degree must be even and smaller than the member count")
        self.shape = shape
        n, half = shape.members, shape.degree // 2
        self.now = datetime.now(UTC).replace(microsecond=0)
        rng = random.Random(shape.seed)
        self.neighbours: list[list[int]] = [[]] + [
            sorted(((i - 1 + d) % n) + 1 for d in range(-half, half + 1) if d)
            for i in range(1, n + 1)
        ]
        authors = [a for a in range(1, n + 1) for _ in range(shape.moments_each)]
        rng.shuffle(authors)
        self.author_of = [0, *authors]  # moment id -> author id
        self.moments_of: list[list[int]] = [[] for _ in range(n + 1)]
        for moment_id, author in enumerate(authors, 1):
            self.moments_of[author].append(moment_id)
        span = timedelta(days=shape.days).total_seconds()
        start = self.now - timedelta(days=shape.days)
        step = span / (len(authors) + 1)
        # Increasing times (with a little jitter that never reorders them): id order = time order.
        self.created = [start] + [
            start + timedelta(seconds=step * k + rng.uniform(0, step * 0.9))
            for k in range(1, len(authors) + 1)
        ]
        readers = rng.sample(range(1, n + 1), min(shape.readers, n))
        self.readers = [(uid, secrets.token_urlsafe(32)) for uid in readers]

    @property
    def moment_count(self) -> int:
        return len(self.author_of) - 1

    def users(self, when: Callable[[datetime], Any], password_hash: str) -> Iterator[tuple]:
        joined = when(self.now - timedelta(days=self.shape.days + 30))
        for i in range(1, self.shape.members + 1):
            handle = f"member{i:05d}"
            email = f"{handle}@example.org"
            yield (
                i,
                handle,
                handle,
                email,
                email,
                f"Member {i}",
                password_hash,
                "member",
                "Europe/Berlin",
                "Gardener, slow reader, occasional baker of bread.",
                "they/them",
                '["gardening", "books", "bread"]',
                None,
                0,
                joined,
            )

    def sessions(self, when: Callable[[datetime], Any]) -> Iterator[tuple]:
        created = when(self.now)
        expires = when(self.now + timedelta(days=30))
        for n, (uid, token) in enumerate(self.readers, 1):
            digest = hashlib.sha256(token.encode()).hexdigest()
            yield (n, digest, uid, "socialode-bench", "127.0.0.1", created, created, expires)

    def connections(self, when: Callable[[datetime], Any]) -> Iterator[tuple[int, int, Any]]:
        at = when(self.now - timedelta(days=self.shape.days + 10))
        for i in range(1, self.shape.members + 1):
            for j in self.neighbours[i]:
                yield (i, j, at)

    def circles(self, when: Callable[[datetime], Any]) -> Iterator[tuple]:
        at = when(self.now - timedelta(days=self.shape.days + 5))
        for i in range(1, self.shape.members + 1):
            yield (i, i, "Everyone", "everyone", at)

    def circle_members(self, when: Callable[[datetime], Any]) -> Iterator[tuple[int, int, Any]]:
        at = when(self.now - timedelta(days=self.shape.days + 5))
        for i in range(1, self.shape.members + 1):  # circle i belongs to member i
            for j in self.neighbours[i]:
                yield (i, j, at)

    def moments(self, when: Callable[[datetime], Any]) -> Iterator[tuple]:
        from socialode.conversations.render import to_html

        for moment_id in range(1, self.moment_count + 1):
            author = self.author_of[moment_id]
            body = f"{BODIES[moment_id % len(BODIES)]} (#{moment_id} by member {author})"
            yield (
                moment_id,
                author,
                "moment",
                body,
                to_html(body),
                "",
                "",
                None,
                when(self.created[moment_id]),
                None,
                None,
            )

    def moment_circles(self) -> Iterator[tuple[int, int]]:
        for moment_id in range(1, self.moment_count + 1):
            yield (moment_id, self.author_of[moment_id])  # the author's circle has their id

    def audience_by_viewer(self, first: int, last: int) -> Iterator[tuple[int, int]]:
        """(viewer, moment) rows of viewers first..last, in primary-key order."""
        for viewer in range(first, last + 1):
            ids = sorted(m for a in self.neighbours[viewer] for m in self.moments_of[a])
            for moment_id in ids:
                yield (viewer, moment_id)

    def audience_by_moment(self, first: int, last: int) -> Iterator[tuple[int, int]]:
        """(viewer, moment) rows of moments first..last, in the order posting writes them."""
        for moment_id in range(first, last + 1):
            for viewer in self.neighbours[self.author_of[moment_id]]:
                yield (viewer, moment_id)


def password_hash() -> str:
    """One valid Argon2id hash for every seeded account (the benchmark never signs in)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=8192).hash("quiet-harbour-lantern-47")


def log(message: str) -> None:
    print(message, flush=True)


# SQLite --------------------------------------------------------------------------------------


def _sqlite_time(value: datetime) -> str:
    """How SQLAlchemy stores UTCDateTime on SQLite: naive UTC, microseconds."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def seed_sqlite(path: Path, shape: Shape) -> Seeded:
    started = time.perf_counter()
    plan = Plan(shape)
    t = _sqlite_time
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")  # the seed only; the app's connections use FULL
        db.execute("PRAGMA foreign_keys=OFF")
        db.execute("PRAGMA cache_size=-1000000")  # 1 GB, for the index builds
        db.execute("PRAGMA temp_store=MEMORY")
        big = ("users", "sessions", "connections", "circles", "circle_members", "moments")
        big += ("moment_circles", "moment_audience")
        every = db.execute("SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'index'")
        indexes = [(n, text) for n, text, table in every.fetchall() if text and table in big]
        for name, _sql in indexes:  # rebuilt after the load: sorted builds are much faster
            db.execute(f'DROP INDEX "{name}"')

        def load(table: str, columns: int, rows: Iterator[tuple], chunk: int = 500_000) -> None:
            t0 = time.perf_counter()
            sql = f"INSERT INTO {table} VALUES ({','.join('?' * columns)})"  # noqa: S608
            count = 0
            db.execute("BEGIN")
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= chunk:
                    db.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            db.executemany(sql, batch)
            count += len(batch)
            db.execute("COMMIT")
            log(f"  {table}: {count:,} rows in {time.perf_counter() - t0:.1f} s")

        load("users", 15, plan.users(t, password_hash()))
        load("sessions", 8, plan.sessions(t))
        load("connections", 3, plan.connections(t))
        load("circles", 5, plan.circles(t))
        load("circle_members", 3, plan.circle_members(t))
        load("moments", 11, plan.moments(t))
        load("moment_circles", 2, plan.moment_circles())
        # A WITHOUT ROWID table is stored in primary-key order whatever the insert order:
        # inserting in that order (viewer, moment) only makes the load fast.
        rows = ((v, m, 0) for v, m in plan.audience_by_viewer(1, shape.members))
        load("moment_audience", 3, rows, chunk=1_000_000)
        t0 = time.perf_counter()
        for _name, sql in indexes:
            db.execute(sql)
        log(f"  indexes rebuilt ({len(indexes)}) in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        db.execute("ANALYZE")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        log(f"  ANALYZE + checkpoint in {time.perf_counter() - t0:.1f} s")
    finally:
        db.close()
    return Seeded("sqlite", shape, plan.readers, plan.now.isoformat(), 0.0).timed(started)


# PostgreSQL ----------------------------------------------------------------------------------


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def seed_postgres(dsn: str, shape: Shape) -> Seeded:
    import psycopg

    started = time.perf_counter()
    plan = Plan(shape)

    def same(value: datetime) -> datetime:
        return value

    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute("SET session_replication_role = replica")  # no FK triggers during the load
        db.execute("SET maintenance_work_mem = '1GB'")

        def copy(table: str, rows: Iterator[tuple], fast: bool = False) -> None:
            t0 = time.perf_counter()
            count = 0
            with db.transaction(), db.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN") as cp:
                lines: list[str] = []
                for row in rows:
                    if fast:  # ints only
                        lines.append("\t".join(map(str, row)))
                    else:
                        lines.append("\t".join(map(_copy_text, row)))
                    if len(lines) >= 200_000:
                        cp.write("\n".join(lines) + "\n")
                        count += len(lines)
                        lines = []
                if lines:
                    cp.write("\n".join(lines) + "\n")
                    count += len(lines)
            log(f"  {table}: {count:,} rows in {time.perf_counter() - t0:.1f} s")

        copy("users", plan.users(same, password_hash()))
        copy("sessions", plan.sessions(same))
        copy("connections", plan.connections(same))
        copy("circles", plan.circles(same))
        copy("circle_members", plan.circle_members(same))
        copy("moments", plan.moments(same))
        copy("moment_circles", plan.moment_circles(), fast=True)
        # The heap in the order posting writes it (moment by moment), as in a real database;
        # the primary key and the moment index are built after the load (faster).
        keep = db.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'moment_audience'::regclass AND contype = 'p'"
        ).fetchall()
        index_defs = db.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'moment_audience' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = 'moment_audience'::regclass)"
        ).fetchall()
        for name, _ in keep:
            db.execute(f"ALTER TABLE moment_audience DROP CONSTRAINT {name}")
        for name, _ in index_defs:
            db.execute(f"DROP INDEX {name}")
        rows = ((v, m, "f") for v, m in plan.audience_by_moment(1, plan.moment_count))
        copy("moment_audience", rows, fast=True)
        t0 = time.perf_counter()
        for name, definition in keep:
            db.execute(f"ALTER TABLE moment_audience ADD CONSTRAINT {name} {definition}")
        for _, definition in index_defs:
            db.execute(definition)
        log(f"  moment_audience keys rebuilt in {time.perf_counter() - t0:.1f} s")
        for table in ("users", "sessions", "circles", "moments"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            db.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")  # noqa: S608
        t0 = time.perf_counter()
        # VACUUM sets hint bits and the visibility map, as autovacuum would have done on a
        # database that grew over weeks; ANALYZE gives the planner its statistics.
        db.execute("VACUUM (ANALYZE)")
        log(f"  VACUUM (ANALYZE) in {time.perf_counter() - t0:.1f} s")
    return Seeded("postgres", shape, plan.readers, plan.now.isoformat(), 0.0).timed(started)
