"""A list ends only when nothing the viewer may see is left.

Rows the viewer may not see (a moment from a circle they were taken out of, a request for
support that was closed, a one-to-one with someone behind a block) are put at every position
around a page boundary; every visible item must be reached exactly once, in order, by following
``next`` through the API and the "more" links of the pages, and the list must say it has ended
("You're all caught up") on its last page only. Page sizes are made small here so a boundary
is cheap to reach; one test keeps the real size of the notifications list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any

import httpx
import pytest

from socialode.accounts import api as accounts_api
from socialode.circles import access_pages
from socialode.conversations import access as conversations_access
from socialode.moments import access as moments_access
from socialode.notifications import access as notifications_access
from socialode.platform.services import Services
from tests.circles.conftest import QUICK
from tests.clock import MEMBER_ZONE, clock_at, member_day
from tests.conversations.people import Member, connect, group, members, send
from tests.helpers import make_admin
from tests.moments.people import make_circle, remove, shared
from tests.pages import all_pages, page_url

PAGE = 4
VISIBLE = 2 * PAGE + 1  # three pages: full, full, one
# Positions of the hidden rows in the list as it is read (newest first), around the first
# boundary (between items PAGE - 1 and PAGE of what is stored).
POSITIONS: dict[str, list[int]] = {
    "first": [0],
    "middle": [PAGE // 2],
    "last of a page": [PAGE - 1],
    "just after the boundary": [PAGE],
    "both sides of the boundary": [PAGE - 1, PAGE],
    "the very end": [VISIBLE],
    "a run longer than a page": list(range(PAGE - 1, 3 * PAGE)),
}
LONG_RUN = list(range(PAGE - 1, PAGE - 1 + notifications_access.MAX_ROUNDS * PAGE + 2))


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    many = "1000/minute"
    return {
        **QUICK,
        "rate_signup_client": many,
        "rate_login_client": many,
        "rate_login_account": many,
        "rate_waitlist_client": many,
        "member_invites": 10,
    }


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notifications_access, "PAGE", PAGE)
    monkeypatch.setattr(moments_access, "PAGE", PAGE)
    monkeypatch.setattr(conversations_access, "LIST_PAGE", PAGE)
    monkeypatch.setattr(conversations_access, "PAGE", PAGE)
    monkeypatch.setattr(access_pages, "PAGE", PAGE)
    monkeypatch.setattr(accounts_api, "PAGE", PAGE)


@pytest.fixture(autouse=True)
def _members_midday() -> Iterator[None]:
    """Everything happens on one day of the members' calendar (and often at one instant, so
    ties of time are met too)."""
    noon = datetime.combine(datetime.fromisoformat(member_day()).date(), time(12), MEMBER_ZONE)
    with clock_at(noon):
        yield


def layout(hidden_at: list[int]) -> list[bool]:
    """Oldest first: whether each stored row is hidden, given positions newest first."""
    total = VISIBLE + len(hidden_at)
    at = {total - 1 - (p if p < total else total - 1) for p in hidden_at}
    return [i in at for i in range(total)]


def assert_ends_at_the_end(pages: list[dict[str, Any]], key: str, wanted: list[int]) -> None:
    ids = [item["id"] for page in pages for item in page[key]]
    assert ids == wanted, "every visible item once, in order"
    assert all(len(page[key]) <= PAGE for page in pages)
    assert [page["next"] is None for page in pages] == [False] * (len(pages) - 1) + [True]


async def html_pages(
    client: httpx.AsyncClient, url: str, who: Member, more: str, item: str
) -> tuple[list[int], list[str]]:
    """Follow a page's "more" link to the end: the item ids shown, and each page's text."""
    ids: list[int] = []
    texts: list[str] = []
    next_url: str | None = url
    while next_url is not None:
        response = await client.get(next_url, headers=who.headers)
        assert response.status_code == 200, response.text
        texts.append(response.text)
        ids += [int(found) for found in re.findall(item, response.text)]
        link = re.search(rf'<a href="([^"]*cursor=[^"]*)">{more}</a>', response.text)
        next_url = link.group(1).replace("&amp;", "&") if link else None
        assert len(texts) < 100, "the pages did not end"
    return ids, texts


def assert_caught_up_last_only(texts: list[str], line: str = "You're all caught up") -> None:
    assert [line in text for text in texts] == [False] * (len(texts) - 1) + [True]


async def moments_with_hidden(
    client: httpx.AsyncClient, services: Services, hidden_at: list[int]
) -> tuple[Member, Member, list[int]]:
    """Ada shares moments with Bob; those at the hidden positions go to a circle Bob is then
    taken out of. Returns the visible moment ids, newest first."""
    ada, bob = await members(client, services, "ada_e", "bob_e")
    await connect(client, ada, bob)
    was_told = await make_circle(client, ada, "Was told", bob)
    visible: list[int] = []
    for n, hidden in enumerate(layout(hidden_at)):
        if hidden:
            await shared(client, ada, f"hidden {n}", circles=[was_told])
        else:
            visible.append(await shared(client, ada, f"visible {n}", people=[bob]))
    await remove(client, ada, was_told, bob)
    return ada, bob, visible[::-1]


@pytest.mark.parametrize("hidden_at", POSITIONS.values(), ids=POSITIONS.keys())
async def test_notifications_end_only_at_the_end(
    client: httpx.AsyncClient, services: Services, hidden_at: list[int]
) -> None:
    _ada, bob, visible = await moments_with_hidden(client, services, hidden_at)
    pages = await all_pages(client, "/api/v1/notifications", bob.headers)
    for page in pages:
        for item in page["notifications"]:
            item["id"] = int(item["url"].rsplit("/", 1)[1])
    assert_ends_at_the_end(pages, "notifications", visible)
    ids, texts = await html_pages(
        client, "/notifications", bob, "Older notifications", r'<a href="/moments/(\d+)">'
    )
    assert ids == visible
    assert_caught_up_last_only(texts)


async def test_a_long_run_of_hidden_notifications_does_not_end_the_list(
    client: httpx.AsyncClient, services: Services
) -> None:
    """More hidden rows in a row than one request examines: a page may come back short, even
    empty, but with a ``next``; the list still goes on to the visible ones beyond."""
    _ada, bob, visible = await moments_with_hidden(client, services, LONG_RUN)
    pages = await all_pages(client, "/api/v1/notifications", bob.headers)
    ids = [int(i["url"].rsplit("/", 1)[1]) for p in pages for i in p["notifications"]]
    assert ids == visible
    ids, texts = await html_pages(
        client, "/notifications", bob, "Older notifications", r'<a href="/moments/(\d+)">'
    )
    assert ids == visible
    assert_caught_up_last_only(texts)


async def test_one_hidden_notification_among_the_newest_thirty_one(
    client: httpx.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case as it was found, at the real page size: 32 notifications, one of the newest
    30 no longer visible; the 31 visible ones all arrive, over two pages."""
    monkeypatch.setattr(notifications_access, "PAGE", 30)
    ada, bob = await members(client, services, "ada_n", "bob_n")
    await connect(client, ada, bob)
    was_told = await make_circle(client, ada, "Was told", bob)
    visible: list[int] = []
    for n in range(32):
        if n == 20:
            await shared(client, ada, "hidden", circles=[was_told])
        else:
            visible.append(await shared(client, ada, f"visible {n}", people=[bob]))
    await remove(client, ada, was_told, bob)
    pages = await all_pages(client, "/api/v1/notifications", bob.headers)
    assert [len(p["notifications"]) for p in pages] == [30, 1]
    ids = [int(i["url"].rsplit("/", 1)[1]) for p in pages for i in p["notifications"]]
    assert ids == visible[::-1]
    first = await client.get("/notifications", headers=bob.headers)
    assert "You're all caught up" not in first.text and "Older notifications" in first.text


@pytest.mark.parametrize("hidden_at", POSITIONS.values(), ids=POSITIONS.keys())
async def test_the_feed_and_looking_back_end_only_at_the_end(
    client: httpx.AsyncClient, services: Services, hidden_at: list[int]
) -> None:
    _ada, bob, visible = await moments_with_hidden(client, services, hidden_at)
    pages = await all_pages(client, "/api/v1/feed", bob.headers)
    assert_ends_at_the_end(pages, "moments", visible)
    assert [p["caught_up"] for p in pages] == [False] * (len(pages) - 1) + [True]
    moment = r'<a class="button secondary" href="/moments/(\d+)">'
    ids, texts = await html_pages(client, "/feed?since=0", bob, "More new moments", moment)
    assert ids == visible
    assert_caught_up_last_only(texts)
    day = member_day()
    pages = await all_pages(client, f"/api/v1/feed/days/{day}", bob.headers)
    assert_ends_at_the_end(pages, "moments", visible)
    ids, texts = await html_pages(client, f"/feed/day?day={day}", bob, "More from this day", moment)
    assert ids == visible
    assert_caught_up_last_only(texts)


async def test_own_moments_end_at_the_end(client: httpx.AsyncClient, services: Services) -> None:
    ada, _bob, _visible = await moments_with_hidden(client, services, [PAGE - 1, PAGE])
    own = await all_pages(client, "/api/v1/moments/mine", ada.headers)
    ids = [m["id"] for page in own for m in page["moments"]]
    assert len(ids) == VISIBLE + 2 and ids == sorted(ids, reverse=True)
    own = r'<a class="button secondary" href="/moments/(\d+)">Open<'
    found, texts = await html_pages(client, "/moments/mine", ada, "Earlier moments", own)
    assert found == ids
    assert texts[-1].count("Earlier moments") == 0


@pytest.mark.parametrize("hidden_at", POSITIONS.values(), ids=POSITIONS.keys())
async def test_conversations_end_only_at_the_end(
    client: httpx.AsyncClient, services: Services, hidden_at: list[int]
) -> None:
    """Groups with Bob are visible; one-to-ones with people Ada then blocks are not. All are
    made at one instant, so the list's order rests on its tie-break too."""
    ada, bob = await members(client, services, "ada_c", "bob_c")
    await connect(client, ada, bob)
    plan = layout(hidden_at)
    hidden = await members(client, services, *(f"gone_{n}" for n, h in enumerate(plan) if h))
    visible: list[int] = []
    for is_hidden in plan:
        if is_hidden:
            other = hidden.pop(0)
            await connect(client, ada, other)
            opened = await client.post(
                "/api/v1/conversations/direct", json={"handle": other.handle}, headers=ada.headers
            )
            assert opened.status_code == 201, opened.text
            blocked = await client.put(f"/api/v1/blocks/{other.handle}", headers=ada.headers)
            assert blocked.status_code == 204
        else:
            visible.append(await group(client, ada, f"Walks {len(visible)}", bob))
    visible.reverse()
    pages = await all_pages(client, "/api/v1/conversations", ada.headers)
    assert_ends_at_the_end(pages, "conversations", visible)
    ids, texts = await html_pages(
        client, "/conversations", ada, "Older conversations", r'<a href="/conversations/(\d+)#'
    )
    assert ids == visible
    assert_caught_up_last_only(texts)


async def test_requests_blocks_and_the_graph_lists_end_at_the_end(
    client: httpx.AsyncClient, services: Services
) -> None:
    """Lists read in SQL or in memory after their rule: declined requests, blocks by others
    and other people's circles never show, and never end a list early."""
    bob, *others = await members(client, services, "bob_g", *(f"p_{n}" for n in range(12)))
    # Incoming: p_0..p_6 ask Bob; Bob declines p_2 and p_5. Outgoing: Bob asks p_7..p_9.
    asked = {}
    for person in others[:7]:
        sent = await client.post(
            "/api/v1/connections/requests", json={"handle": bob.handle}, headers=person.headers
        )
        asked[person.handle] = sent.json()["request"]["id"]
    for person in (others[2], others[5]):
        declined = await client.post(
            f"/api/v1/connections/requests/{asked[person.handle]}/decline", headers=bob.headers
        )
        assert declined.status_code == 204
    for person in others[7:10]:
        await client.post(
            "/api/v1/connections/requests", json={"handle": person.handle}, headers=bob.headers
        )
    pages = await all_pages(client, "/api/v1/connections/requests", bob.headers)
    incoming = [r["person"]["handle"] for p in pages for r in p["incoming"]]
    outgoing = [r["person"]["handle"] for p in pages for r in p["outgoing"]]
    assert incoming == [f"p_{n}" for n in (0, 1, 3, 4, 6)]
    assert outgoing == [f"p_{n}" for n in (7, 8, 9)]
    assert all(len(p["incoming"]) + len(p["outgoing"]) <= PAGE for p in pages)
    assert [p["next"] is None for p in pages] == [False] * (len(pages) - 1) + [True]
    shown, _texts = await html_pages(
        client, "/connections", bob, "More requests", r'<a href="/people/p_(\d+)">'
    )
    assert shown == [0, 1, 3, 4, 6, 7, 8, 9]

    # Blocks: Bob blocks p_0..p_8; p_9..p_11 block Bob (never in Bob's list).
    for person in others[:9]:
        assert (await client.put(f"/api/v1/blocks/{person.handle}", headers=bob.headers)).is_success
    for person in others[9:]:
        assert (await client.put(f"/api/v1/blocks/{bob.handle}", headers=person.headers)).is_success
    pages = await all_pages(client, "/api/v1/blocks", bob.headers)
    assert [b["handle"] for p in pages for b in p["blocks"]] == [f"p_{n}" for n in range(9)]
    assert [len(p["blocks"]) for p in pages] == [4, 4, 1]
    shown, texts = await html_pages(
        client, "/blocked", bob, "More people you blocked", r"@p_(\d+) · since"
    )
    assert shown == list(range(9))
    assert_caught_up_last_only(texts, "That's everyone you blocked.")


async def test_the_bounded_lists_page_to_their_end(
    client: httpx.AsyncClient, services: Services
) -> None:
    """Connections, mutes, circles, sessions, invites and the waitlist: every item once."""
    ada, *people = await members(client, services, "ada_b", *(f"q_{n}" for n in range(9)))
    for person in people:
        await connect(client, ada, person)
        assert (await client.put(f"/api/v1/mutes/{person.handle}", headers=ada.headers)).is_success
    names = [f"Circle {n}" for n in range(9)]
    for name in names:
        await make_circle(client, ada, name)
    await make_circle(client, people[0], "Not yours")
    for path, key, field, wanted in (
        ("/api/v1/connections", "connections", "handle", [p.handle for p in people]),
        ("/api/v1/mutes", "mutes", "handle", [p.handle for p in people]),
        ("/api/v1/circles", "circles", "name", names),
    ):
        pages = await all_pages(client, path, ada.headers)
        assert [item[field] for p in pages for item in p[key]] == wanted, path
        assert [len(p[key]) for p in pages] == [4, 4, 1], path
    for _ in range(5):
        login = {"login": ada.handle, "password": "quiet-harbour-lantern-42"}
        assert (await client.post("/api/v1/auth/login", json=login)).status_code == 200
        client.cookies.clear()
    pages = await all_pages(client, "/api/v1/sessions", ada.headers)
    sessions = [s["id"] for p in pages for s in p["sessions"]]
    assert len(sessions) == len(set(sessions)) == 6
    await make_admin(services)
    admin = Member("root_admin", await _login(client, "root_admin"))
    for n in range(5):
        made = await client.post(
            "/api/v1/me/invites", json={"email": f"friend{n}@example.org"}, headers=admin.headers
        )
        assert made.status_code == 201, made.text
    pages = await all_pages(client, "/api/v1/me/invites", admin.headers)
    invites = [i["id"] for p in pages for i in p["invites"]]
    assert invites == sorted(invites, reverse=True) and len(invites) == 5
    for n in range(9):
        await client.post("/api/v1/waitlist", json={"email": f"w{n}@example.org"})
    pages = await all_pages(client, "/api/v1/admin/waitlist", admin.headers)
    emails = [e["email"] for p in pages for e in p["entries"]]
    assert emails == [f"w{n}@example.org" for n in range(9)]


async def _login(client: httpx.AsyncClient, who: str) -> str:
    from tests.helpers import login

    return await login(client, who)


def test_the_positions_straddle_a_boundary() -> None:
    for hidden_at in POSITIONS.values():
        plan = layout(hidden_at)
        assert plan.count(False) == VISIBLE and plan.count(True) == len(set(hidden_at))
    assert page_url("/x?a=1", "c") == "/x?a=1&cursor=c"


@pytest.mark.parametrize("hidden_at", POSITIONS.values(), ids=POSITIONS.keys())
async def test_a_conversations_messages_end_only_at_the_beginning(
    client: httpx.AsyncClient, services: Services, hidden_at: list[int]
) -> None:
    """In a group Cy shares with Ada and Bob, after Cy blocked Bob: Bob's messages are hidden
    from Cy wherever they fall; paging back through ``next`` reaches every one of Ada's once."""
    services.settings.rate_messages = "100000/minute"
    ada, bob, cy = await members(client, services, "ada_c", "bob_c", "cy_c")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    talk = await group(client, ada, "Talk", bob, cy)
    visible: list[int] = []
    for n, hidden in enumerate(layout(hidden_at)):
        answer = await send(client, bob if hidden else ada, talk, f"words {n}")
        assert answer.status_code == 201, answer.text
        if not hidden:
            visible.append(answer.json()["id"])
    blocked = await client.put(f"/api/v1/blocks/{bob.handle}", headers=cy.headers)
    assert blocked.status_code == 204
    pages = await all_pages(client, f"/api/v1/conversations/{talk}", cy.headers)
    # Each page is oldest first; ``next`` leads to earlier ones, so read the pages backwards.
    ids = [m["id"] for page in reversed(pages) for m in page["messages"]]
    assert ids == visible, "every visible message once, in order"
    assert all(0 < len(page["messages"]) <= PAGE for page in pages)
    shown, texts = await html_pages(
        client, f"/conversations/{talk}", cy, "Earlier messages", r'<li id="m-(\d+)"'
    )
    assert sorted(shown) == visible and len(shown) == len(set(shown))
    line = "This is the start of your conversation."
    assert [line in text for text in texts] == [False] * (len(texts) - 1) + [True]
