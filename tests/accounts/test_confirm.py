"""Signing a session out and withdrawing an invite ask first and change nothing until agreed."""

from __future__ import annotations

import re

import httpx

from socialode.platform.services import Services
from tests.confirming import asks_then_acts, notice_after, notice_of
from tests.helpers import Member, login, members


async def sessions_of(client: httpx.AsyncClient, who: Member) -> list[dict[str, object]]:
    listed = await client.get("/api/v1/sessions", headers=who.headers)
    assert listed.status_code == 200, listed.text
    found: list[dict[str, object]] = listed.json()["sessions"]
    return found


async def session_ids(client: httpx.AsyncClient, who: Member) -> list[object]:
    return [s["id"] for s in await sessions_of(client, who)]


async def test_signing_another_session_out_asks_first(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_l")
    await login(client, "ada_l")  # a second session, elsewhere
    listed = await sessions_of(client, ada)
    assert len(listed) == 2
    mine = next(s for s in listed if s["current"])
    other = next(s for s in listed if not s["current"])

    done = await asks_then_acts(
        client,
        services,
        ada,
        f"/settings/sessions/{other['id']}/end",
        f"Sign out {other['device']}?",
    )
    page = await notice_after(client, ada, done)
    assert notice_of(page) == "That session is signed out."
    assert await session_ids(client, ada) == [mine["id"]]


async def test_signing_out_here_asks_first_too(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_l")
    (mine,) = await session_ids(client, ada)
    done = await asks_then_acts(
        client, services, ada, f"/settings/sessions/{mine}/end", "Sign out here?"
    )
    assert done.headers["location"] == "/login?notice=signed-out"
    assert (await client.get("/api/v1/sessions", headers=ada.headers)).status_code == 401


async def test_withdrawing_an_invite_asks_first(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_l")
    made = await client.post("/invites", data={"email": "sam@example.org"}, headers=ada.headers)
    assert made.status_code == 201, made.text
    (invite_id,) = re.findall(r'action="/invites/(\d+)/withdraw"', made.text)
    path = f"/invites/{invite_id}/withdraw"

    done = await asks_then_acts(
        client, services, ada, path, "Withdraw the invite for sam@example.org?"
    )
    page = await notice_after(client, ada, done)
    assert notice_of(page).startswith("The invite is withdrawn")
    assert f'action="{path}"' not in page.html  # no longer open

    (_bob,) = await members(client, services, "bob_k")
    again = await client.post(path, headers=_bob.headers)
    assert again.status_code == 404
