"""Test data for the live-stream benchmarks, built in-process through the app's own actions.

Run by bench/_live.py as a subprocess with the benchmark server's environment (same database,
same settings), never by hand. It prints one JSON document on stdout.

    _seed_live.py users N            N members with a session each
    _seed_live.py group N [M ...]    max(N, M, ...) members with a session each, all connected
                                     to the first (the creator), and one group of the first N,
                                     one of the first M, ... members ({"N": [id, ...], ...})
    _seed_live.py pairs P            P connected pairs, each with its one-to-one conversation

Members are made the way people join: an operator invite (accounts.do_issue_operator_invite),
then sign-up (accounts.check_sign_up), which creates the session whose token the benchmark
uses. Connections are a request (circles.check_send_request) and its acceptance
(circles.check_accept_request); groups come from conversations.check_create_group and
one-to-one conversations from conversations.check_open_direct. The password hash is the one
cost here that is not the app's normal work: the benchmarks run this with Argon2id at its
minimum (SOCIALODE_ARGON2_MEMORY_KIB=8192, SOCIALODE_ARGON2_TIME_COST=1), which only this
seeding process uses; the servers never hash a password during a benchmark.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from socialode.accounts import actions as accounts
from socialode.accounts.access import Viewer, access_viewer
from socialode.accounts.actions.auth import Client
from socialode.circles import actions as circles
from socialode.config import Settings
from socialode.conversations import actions as conversations
from socialode.platform.services import Services

PASSWORD = "quiet-harbour-lantern-47"  # a benchmark account, not a secret
CLIENT = Client(address="127.0.0.1", user_agent="socialode-bench-seed")
CONCURRENCY = 4  # sign-ups at once: two hash in threads while others write


async def _member(svc: Services, handle: str) -> dict[str, Any]:
    async with svc.db.sessions() as db:
        issued = await accounts.do_issue_operator_invite(svc, db, None)
    invite_token = issued.link.rstrip("/").rsplit("/", 1)[-1]
    async with svc.db.sessions() as db:
        signed = await accounts.check_sign_up(
            svc,
            db,
            CLIENT,
            invite_token=invite_token,
            handle=handle,
            display_name=f"Bench {handle}",
            email=f"{handle}@example.org",
            password=PASSWORD,
            timezone="Europe/Berlin",
        )
    return {"id": signed.user.id, "handle": signed.user.handle, "token": signed.token}


async def members(svc: Services, count: int, prefix: str) -> list[dict[str, Any]]:
    gate = asyncio.Semaphore(CONCURRENCY)
    done = 0
    started = time.monotonic()

    async def one(n: int) -> dict[str, Any]:
        nonlocal done
        async with gate:
            made = await _member(svc, f"{prefix}{n:05d}")
        done += 1
        if done % 1000 == 0:
            print(
                f"  seeded {done}/{count} members ({time.monotonic() - started:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
        return made

    return list(await asyncio.gather(*(one(n) for n in range(count))))


async def _viewer(svc: Services, token: str) -> Viewer:
    async with svc.db.sessions() as db:
        viewer = await access_viewer(db, token)
    assert viewer is not None
    return viewer


async def connect(svc: Services, a: dict[str, Any], b: dict[str, Any]) -> None:
    """a asks b to connect, b accepts: the two actions people use."""
    async with svc.db.sessions() as db:
        viewer = await access_viewer(db, a["token"])
        assert viewer is not None
        sent = await circles.check_send_request(svc, db, viewer, handle=b["handle"])
    assert sent.request is not None, sent.outcome
    async with svc.db.sessions() as db:
        other = await access_viewer(db, b["token"])
        assert other is not None
        await circles.check_accept_request(svc, db, other, sent.request.id)


async def groups(svc: Services, sizes: list[int]) -> dict[str, Any]:
    people = await members(svc, max(sizes), "g")
    creator = people[0]
    for n, person in enumerate(people[1:], 1):
        await connect(svc, creator, person)
        if n % 500 == 0:
            print(f"  connected {n}/{len(people) - 1}", file=sys.stderr, flush=True)
    viewer = await _viewer(svc, creator["token"])
    made: dict[str, list[int]] = {}
    for size in sizes:  # a size given twice makes two groups of that size
        async with svc.db.sessions() as db:
            made.setdefault(str(size), []).append(
                await conversations.check_create_group(
                    svc,
                    db,
                    viewer,
                    f"Benchmark group of {size}",
                    [p["handle"] for p in people[1:size]],
                )
            )
    return {"groups": made, "members": people}


async def pairs(svc: Services, count: int) -> dict[str, Any]:
    people = await members(svc, 2 * count, "p")
    out = []
    for n in range(count):
        a, b = people[2 * n], people[2 * n + 1]
        await connect(svc, a, b)
        viewer = await _viewer(svc, a["token"])
        async with svc.db.sessions() as db:
            conversation_id = await conversations.check_open_direct(db, viewer, b["handle"])
        out.append({"conversation_id": conversation_id, "a": a, "b": b})
    return {"pairs": out}


async def main(kind: str, counts: list[int]) -> dict[str, Any]:
    from socialode.app import register_features  # the job kinds the actions enqueue

    register_features()
    svc = Services.build(Settings())
    try:
        if kind == "users":
            return {"members": await members(svc, counts[0], "u")}
        if kind == "group":
            return await groups(svc, counts)
        if kind == "pairs":
            return await pairs(svc, counts[0])
        raise SystemExit(f"unknown kind {kind!r}")
    finally:
        await svc.close()


if __name__ == "__main__":
    result = asyncio.run(main(sys.argv[1], [int(n) for n in sys.argv[2:]]))
    json.dump(result, sys.stdout)
