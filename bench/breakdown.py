"""Where the profile page's time goes: its parts timed one by one, in process, on core 0.

Complements pages.py (which measures whole requests over HTTP): the same database work the
route does (open a session, access_viewer, access_profile, close), the same lookups as plain
SQL through the same engine, and the Jinja renders, each repeated sequentially with no
concurrency, so each number is that part's own cost.

    .venv/bin/python bench/breakdown.py                # SQLite, then PostgreSQL
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Awaitable, Callable

from _common import (
    SERVER_CPU,
    Server,
    backend,
    check_tools,
    create_members,
    log,
    stop_cleanly_on_sigterm,
)
from sqlalchemy import text

TIMED = Callable[[], Awaitable[object]]


async def timeit(label: str, work: TIMED, count: int) -> float:
    for _ in range(min(50, count)):
        await work()
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        await work()
        samples.append(time.perf_counter() - started)
    median = 1000 * statistics.median(samples)
    log(f"  {label:<58} median {median:7.3f} ms   p90 {1000 * _p90(samples):7.3f} ms")
    return median


def _p90(samples: list[float]) -> float:
    return sorted(samples)[int(0.9 * (len(samples) - 1))]


async def measure(token: str, handle: str, count: int) -> None:
    # Imported here: Settings must see the benchmark's environment.
    from socialode.accounts.access import access_profile, access_viewer
    from socialode.config import Settings
    from socialode.platform.security import token_hash
    from socialode.platform.services import Services
    from socialode.web.templating import build_templates

    services = Services.build(Settings())
    sessions = services.db.sessions
    env = build_templates().env
    try:

        async def viewer_only() -> object:
            async with sessions() as db:
                return await access_viewer(db, token)

        async def route_db_work() -> object:
            async with sessions() as db:
                viewer = await access_viewer(db, token)
                assert viewer is not None
                return await access_profile(db, viewer, handle)

        lookup_session = text(
            "SELECT s.*, u.* FROM sessions s JOIN users u ON u.id = s.user_id "
            "WHERE s.token_hash = :h AND s.expires_at > :now"
        )
        lookup_user = text("SELECT * FROM users WHERE handle_key = :k")
        hashed = token_hash(token)

        async def plain_sql() -> object:
            async with services.db.engine.connect() as conn:
                now = "2000-01-01 00:00:00"
                (await conn.execute(lookup_session, {"h": hashed, "now": now})).first()
                return (await conn.execute(lookup_user, {"k": handle.lower()})).first()

        async with sessions() as db:
            viewer = await access_viewer(db, token)
            assert viewer is not None
            person = await access_profile(db, viewer, handle)
        context = {
            "viewer": viewer,
            "person": person,
            "instance_name": "Socialode",
            "notice": None,
            "errors": {},
            "form": {},
        }
        profile_page = env.get_template("accounts/profile.html")
        landing_page = env.get_template("accounts/landing.html")

        async def render_profile() -> object:
            return profile_page.render(context)

        async def render_landing() -> object:
            return landing_page.render({**context, "viewer": None})

        async def lookup_and_render() -> object:
            return env.get_template("accounts/profile.html").render(context)

        await timeit("session + access_viewer (1 query) + close", viewer_only, count)
        await timeit("session + access_viewer + access_profile + close", route_db_work, count)
        await timeit("the same two lookups as text() SQL on one connection", plain_sql, count)
        await timeit("render profile.html (template object reused)", render_profile, count)
        await timeit("env.get_template + render (as each request does)", lookup_and_render, count)
        await timeit("render landing.html", render_landing, count)
    finally:
        await services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--count", type=int, default=1000, choices=range(100, 20001))
    args = parser.parse_args()
    check_tools()
    stop_cleanly_on_sigterm()
    os.sched_setaffinity(0, {int(SERVER_CPU)})
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for name in names:
        with backend(name) as db:
            with Server("socialode.asgi:app", db.env).running() as app:
                [(handle, token)] = create_members(app, 1)
            log(f"\n=== {name}: {args.count} sequential repetitions each, on core {SERVER_CPU}")
            saved = dict(os.environ)
            os.environ.update(db.env)
            try:
                import uvloop

                uvloop.run(measure(token, handle, args.count))
            finally:
                os.environ.clear()
                os.environ.update(saved)


if __name__ == "__main__":
    main()
