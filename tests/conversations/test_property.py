"""Who sees what of a group conversation, checked against a small reference model.

Hypothesis draws sequences of steps among four members — create a group, add, remove, leave,
rename, send, edit, delete, block, unblock, reconnect — each resolved to something that can
happen (a removal removes someone present, an edit changes an existing message of a current
member). After every step each member's conversation list, each conversation's answer
(name, membership, members, messages and their texts, last number) — and, after the last
step, each page's title — must agree with the model:

    a member sees the events inside their membership periods; while a member, the group as
    it is; after leaving or being removed, the group as it was then (its name, the others
    then, each text as it read then; deletions reach everyone); people on either side of a
    block with them are missing from the members and their messages from the list.

``SOCIALODE_DEEP=1`` draws many more sequences (tests/deep.py).
"""

from __future__ import annotations

import html
import itertools
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from socialode.app import create_app
from socialode.platform.services import Services
from tests.circles.conftest import QUICK
from tests.conftest import clear_tables, make_settings
from tests.conversations.people import Member, connect, members
from tests.deep import no_time_limit_when_deep, property_settings, run_example

PEOPLE = 4
MAX_GROUPS = 2
_runs = itertools.count()


# -- the reference model ---------------------------------------------------------------------
@dataclass
class Period:
    start: int
    until: int | None = None
    name_then: str = ""


@dataclass
class Said:
    server_id: int
    seq: int
    sender: int
    versions: list[tuple[int, str]]  # (the event that set the text, the text)
    deleted: bool = False

    def as_of(self, upto: int | None) -> tuple[str, bool]:
        """The text, and whether it was edited, as it read at event ``upto`` (None: now)."""
        kept = [v for v in self.versions if upto is None or v[0] <= upto]
        return kept[-1][1], len(kept) > 1


@dataclass
class Group:
    server_id: int
    creator: int
    name: str
    last_seq: int = 0
    periods: dict[int, list[Period]] = field(default_factory=dict)
    said: list[Said] = field(default_factory=list)

    def current(self) -> set[int]:
        return {p for p, ps in self.periods.items() if ps[-1].until is None}

    def next_seq(self) -> int:
        self.last_seq += 1
        return self.last_seq


@dataclass
class Model:
    connected: set[frozenset[int]] = field(default_factory=set)
    blocks: set[tuple[int, int]] = field(default_factory=set)
    groups: list[Group] = field(default_factory=list)
    words: itertools.count[int] = field(default_factory=itertools.count)

    def hidden(self, viewer: int) -> set[int]:
        return {b for a, b in self.blocks if a == viewer} | {
            a for a, b in self.blocks if b == viewer
        }

    def expected(self, viewer: int, g: Group) -> dict[str, Any] | None:
        """What the viewer's API answer for the group must say, or None for a 404."""
        periods = g.periods.get(viewer)
        if not periods:
            return None
        hidden = self.hidden(viewer)
        upto = periods[-1].until
        if upto is None:
            name, people = g.name, g.current()
        else:
            name = periods[-1].name_then
            people = {
                p
                for p, ps in g.periods.items()
                if p != viewer
                and any(x.start <= upto and (x.until is None or x.until > upto) for x in ps)
            }
        messages = []
        for said in g.said:
            inside = any(
                x.start <= said.seq and (x.until is None or said.seq <= x.until) for x in periods
            )
            if not inside or said.sender in hidden:
                continue
            body, edited = ("", None) if said.deleted else said.as_of(upto)
            messages.append((said.server_id, body, said.deleted, edited))
        return {
            "name": name,
            "member": upto is None,
            "people": people - hidden,
            "messages": messages,
            "last_seq": g.last_seq if upto is None else upto,
        }


# -- the steps (each resolved at run time to one that can happen) ----------------------------
person = st.integers(0, PEOPLE - 1)
pick = st.integers(0, 20)
pair = st.tuples(person, person).filter(lambda p: p[0] != p[1])
steps = st.one_of(
    st.tuples(st.just("create"), person, st.sets(person, min_size=1, max_size=3)),
    st.tuples(st.just("add"), pick, pick),
    st.tuples(st.just("remove"), pick, pick),
    st.tuples(st.just("leave"), pick, pick),
    st.tuples(st.just("rename"), pick, pick),
    st.tuples(st.just("send"), pick, pick),
    st.tuples(st.just("send"), pick, pick),
    st.tuples(st.just("edit"), pick, pick),
    st.tuples(st.just("delete"), pick, pick),
    st.tuples(st.just("block"), pair),
    st.tuples(st.just("unblock"), pair),
    st.tuples(st.just("reconnect"), pair),
)


@dataclass
class World:
    client: httpx.AsyncClient
    people: list[Member]
    model: Model = field(default_factory=Model)

    def h(self, i: int) -> dict[str, str]:
        return self.people[i].headers


async def _ok(response: httpx.Response, *codes: int) -> Any:
    assert response.status_code in (codes or (200, 204)), response.text
    return response.json() if response.content else None


def _choose(options: list[Any], k: int) -> Any | None:
    return options[k % len(options)] if options else None


async def _step(w: World, step: tuple[Any, ...]) -> None:
    m, c = w.model, w.client
    kind = step[0]
    if kind in ("block", "unblock", "reconnect"):
        a, b = step[1]
        handle = w.people[b].handle
        if kind == "block":
            await _ok(await c.put(f"/api/v1/blocks/{handle}", headers=w.h(a)), 204)
            m.blocks.add((a, b))
            m.connected.discard(frozenset((a, b)))
        elif kind == "unblock":
            await _ok(await c.delete(f"/api/v1/blocks/{handle}", headers=w.h(a)), 204, 404)
            m.blocks.discard((a, b))
        elif frozenset((a, b)) not in m.connected and not m.hidden(a) & {b}:
            await connect(c, w.people[a], w.people[b])
            m.connected.add(frozenset((a, b)))
        return
    if kind == "create":
        creator, chosen = step[1], step[2]
        others = sorted(p for p in chosen if frozenset((creator, p)) in m.connected)
        if not others or len(m.groups) >= MAX_GROUPS:
            return
        name = f"group {next(m.words)}"
        body = {"name": name, "members": [w.people[p].handle for p in others]}
        made = await _ok(
            await c.post("/api/v1/conversations/groups", json=body, headers=w.h(creator)), 201
        )
        new = Group(made["id"], creator, name)
        for p in (creator, *others):
            new.periods[p] = [Period(1)]
        m.groups.append(new)
        return
    g: Group | None = _choose(m.groups, step[1])
    if g is None:
        return
    k, gid, creator = step[2], g.server_id, g.creator
    current = g.current()
    in_charge = creator in current
    if kind == "add" and in_charge:
        who = _choose(
            sorted(
                p
                for p in range(PEOPLE)
                if p not in current and frozenset((creator, p)) in m.connected
            ),
            k,
        )
        if who is not None:
            url = f"/api/v1/conversations/{gid}/members"
            await _ok(
                await c.post(url, json={"handle": w.people[who].handle}, headers=w.h(creator)), 201
            )
            g.periods.setdefault(who, []).append(Period(g.next_seq()))
    elif kind in ("remove", "leave"):
        if kind == "remove":
            options = sorted(p for p in current if p != creator and p not in m.hidden(creator))
            who = _choose(options, k) if in_charge else None
        else:
            who = _choose(sorted(current), k)
        if who is not None:
            if kind == "remove":
                url = f"/api/v1/conversations/{gid}/members/{w.people[who].handle}"
                await _ok(await c.delete(url, headers=w.h(creator)))
            else:
                await _ok(await c.post(f"/api/v1/conversations/{gid}/leave", headers=w.h(who)))
            period = g.periods[who][-1]
            period.until, period.name_then = g.next_seq(), g.name
    elif kind == "rename" and in_charge:
        name = f"renamed {next(m.words)}"
        url = f"/api/v1/conversations/{gid}"
        await _ok(await c.patch(url, json={"name": name}, headers=w.h(creator)))
        g.name = name
        g.next_seq()
    elif kind == "send":
        who = _choose(sorted(current), k)
        if who is not None:
            text = f"said {next(m.words)}"
            body = {"client_key": uuid.uuid4().hex, "body": text}
            url = f"/api/v1/conversations/{gid}/messages"
            sent = await _ok(await c.post(url, json=body, headers=w.h(who)), 201)
            seq = g.next_seq()
            g.said.append(Said(sent["id"], seq, who, [(seq, text)]))
    elif kind in ("edit", "delete"):
        said = _choose([s for s in g.said if s.sender in current and not s.deleted], k)
        if said is not None:
            url = f"/api/v1/messages/{said.server_id}"
            if kind == "edit":
                text = f"edited {next(m.words)}"
                await _ok(await c.patch(url, json={"body": text}, headers=w.h(said.sender)))
                said.versions.append((g.next_seq(), text))
            else:
                await _ok(await c.delete(url, headers=w.h(said.sender)))
                said.deleted = True
                g.next_seq()


async def _check(w: World, *, pages: bool) -> None:
    m, c = w.model, w.client
    handles = [p.handle for p in w.people]
    for v in range(PEOPLE):
        listed = await _ok(await c.get("/api/v1/conversations", headers=w.h(v)))
        got_list = {
            (x["id"], x["name"], x["member"], x["last_seq"]) for x in listed["conversations"]
        }
        want_list = set()
        for g in m.groups:
            want = m.expected(v, g)
            if want is not None:
                want_list.add((g.server_id, want["name"], want["member"], want["last_seq"]))
            response = await c.get(f"/api/v1/conversations/{g.server_id}", headers=w.h(v))
            if want is None:
                assert response.status_code == 404, (v, response.text)
                continue
            got = await _ok(response)
            assert (got["name"], got["member"], got["last_seq"]) == (
                want["name"],
                want["member"],
                want["last_seq"],
            ), (v, g.server_id)
            assert {p["handle"] for p in got["members"]} == {handles[p] for p in want["people"]}, v
            messages = [
                (x["id"], x["body"], x["deleted"], None if x["deleted"] else x["edited"])
                for x in got["messages"]
            ]
            assert messages == want["messages"], v
            if not pages:
                continue
            page = await c.get(f"/conversations/{g.server_id}", headers=w.h(v))
            assert re.search(f"<title>(• )?{re.escape(html.escape(want['name']))}", page.text), v
        assert got_list == want_list, v


async def _run(data_dir: Path, database_url: str, plan: list[tuple[Any, ...]]) -> None:
    settings = make_settings(data_dir, database_url, rate_messages="100000/minute", **QUICK)
    svc = Services.build(settings)
    try:
        await clear_tables(svc)
        await svc.limits.reset()
        app = create_app(svc.settings, svc)
        transport = httpx.ASGITransport(app=app, client=("203.0.113.11", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            run = next(_runs)
            people = await members(c, svc, *(f"q{run}x{i}" for i in range(PEOPLE)))
            world = World(c, people)
            for a, b in itertools.combinations(range(PEOPLE), 2):
                await connect(c, people[a], people[b])
                world.model.connected.add(frozenset((a, b)))
            for n, step in enumerate(plan, 1):
                await _step(world, step)
                await _check(world, pages=n == len(plan))  # pages: the same rule, rendered
    finally:
        await svc.close()


# Always tried first: a removal, then an edit of a text the removed person read, a rename, a
# block between two who stay, a delete, and the removed person added back.
SCENARIO: list[tuple[Any, ...]] = [
    ("create", 0, {1, 2, 3}),
    ("send", 0, 1),
    ("send", 0, 2),
    ("remove", 0, 0),
    ("edit", 0, 1),
    ("rename", 0, 0),
    ("block", (3, 2)),
    ("send", 0, 2),
    ("delete", 0, 0),
    ("leave", 0, 2),
    ("add", 0, 0),
]


@pytest.mark.slow
@no_time_limit_when_deep
@property_settings(normal=8, deep=400)
@example(plan=SCENARIO)
@given(
    plan=st.lists(steps, min_size=4, max_size=10).map(
        lambda plan: [("create", 0, {1, 2, 3}), *plan]
    )
)
def test_every_member_sees_what_the_model_says(
    plan: list[tuple[Any, ...]],
    database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    data_dir = tmp_path_factory.mktemp(f"conv{uuid.uuid4().hex[:6]}")
    run_example(_run(data_dir, database_url, plan))
