"""An invite is a connection: joining with a member's invite (by email or a shared link) with
``connect`` on (the default) connects the newcomer with who invited them, in the sign-up's own
transaction, within the cap of both, and tells each of them. A block or a missing inviter
means no connection and no word about it; at the cap the sign-up still succeeds and says the
connection could not be made, with nobody's numbers.

Also here: a request's note shows wherever the request does (its notification, the API).
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from socialode.accounts.access import access_viewer
from socialode.accounts.actions.joining import register_invite_connector
from socialode.circles.actions import do_connect_invited
from socialode.circles.actions.invited import register_invite_connections
from socialode.circles.models import ConnectionRequest
from socialode.circles.notices import INVITED, REQUEST
from socialode.notifications.models import Notification
from socialode.platform.services import Services
from tests.circles.conftest import QUICK
from tests.helpers import (
    PASSWORD,
    Member,
    connect,
    invite_token,
    link_in,
    members,
    sent_to,
    snapshot,
)

SIGNUP = "/api/v1/auth/signup"
REQUESTS = "/api/v1/connections/requests"


async def invite(client: httpx.AsyncClient, who: Member, email: str | None = None) -> str:
    """One of ``who``'s invites: by email (the link read from the mail) or a link to share."""
    body = {"email": email} if email else {}
    made = await client.post("/api/v1/me/invites", json=body, headers=who.headers)
    assert made.status_code == 201, made.text
    link: str = made.json()["link"]
    return link.rsplit("/", 1)[1]


def signup_body(token: str, handle: str, **extra: Any) -> dict[str, Any]:
    return {
        "invite_token": token,
        "handle": handle,
        "display_name": handle.title(),
        "email": f"{handle}@example.org",
        "password": PASSWORD,
        **extra,
    }


async def join(
    client: httpx.AsyncClient, token: str, handle: str, **extra: Any
) -> tuple[Member, dict[str, Any]]:
    response = await client.post(SIGNUP, json=signup_body(token, handle, **extra))
    assert response.status_code == 201, response.text
    client.cookies.clear()
    answer: dict[str, Any] = response.json()
    return Member(handle, answer["session_token"]), answer


async def connections_of(client: httpx.AsyncClient, who: Member) -> list[str]:
    response = await client.get("/api/v1/connections", headers=who.headers)
    assert response.status_code == 200, response.text
    return [c["handle"] for c in response.json()["connections"]]


async def notes_of(client: httpx.AsyncClient, who: Member, kind: str) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/notifications", headers=who.headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["notifications"] if n["kind"] == kind]


async def user_of(services: Services, who: Member) -> Any:
    async with services.db.sessions() as db:
        viewer = await access_viewer(db, who.token)
        assert viewer is not None
        return viewer.user


async def test_joining_by_a_shared_link_connects_both_and_tells_each(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya_l")
    token = await invite(client, maya)
    # Whoever holds the link learns whose invite it is, as the sign-up page shows.
    checked = await client.get(f"/api/v1/invites/{token}")
    assert checked.json() == {"valid": True, "email": None, "invited_by": "Maya_L"}
    ben, answer = await join(client, token, "ben_k")

    assert answer["connection"] == "connected"
    assert answer["message"] == "Welcome! Your account is ready. You and Maya_L are connected."
    assert await connections_of(client, maya) == ["ben_k"]
    assert await connections_of(client, ben) == ["maya_l"]
    told_maya = await notes_of(client, maya, INVITED)
    told_ben = await notes_of(client, ben, INVITED)
    assert [n["text"] for n in told_maya] == ["Ben_K joined with your invite: you're connected."]
    assert [n["text"] for n in told_ben] == ["You're connected with Maya_L, who invited you."]
    assert told_maya[0]["url"] == "/people/ben_k" and told_ben[0]["url"] == "/people/maya_l"
    # Both agreed: no request was ever made or left waiting.
    lists = (await client.get(REQUESTS, headers=ben.headers)).json()
    assert (lists["incoming"], lists["outgoing"]) == ([], [])

    # The notification lasts only as long as the connection.
    removed = await client.delete("/api/v1/connections/maya_l", headers=ben.headers)
    assert removed.status_code == 204, removed.text
    assert await notes_of(client, maya, INVITED) == []
    assert await notes_of(client, ben, INVITED) == []


async def test_joining_by_an_emailed_invite_connects_too(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya_l")
    await invite(client, maya, "ben@example.org")
    link = link_in((await sent_to(services, "ben@example.org"))[-1], "/invite/")
    ben, answer = await join(client, link.rsplit("/", 1)[1], "ben_k", email="ben@example.org")
    assert answer["connection"] == "connected"
    assert await connections_of(client, ben) == ["maya_l"]
    assert len(await notes_of(client, maya, INVITED)) == 1


async def test_with_the_box_off_nobody_is_connected_or_told(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya_l")
    ben, answer = await join(client, await invite(client, maya), "ben_k", connect=False)
    assert (answer["connection"], answer["message"]) == (None, "Welcome! Your account is ready.")
    assert await connections_of(client, maya) == []
    assert await connections_of(client, ben) == []
    assert await notes_of(client, maya, INVITED) == []
    assert await notes_of(client, ben, INVITED) == []


async def test_invites_no_member_gave_connect_nobody(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await invite_token(services)
    assert (await client.get(f"/api/v1/invites/{token}")).json()["invited_by"] is None
    (ben,) = await members(client, services, "ben_k")  # an operator's invite
    assert await connections_of(client, ben) == []
    async with services.db.sessions() as db:
        assert list(await db.scalars(select(Notification))) == []


CAP_ONE = {**QUICK, "max_connections": 1}


@pytest.mark.parametrize("settings_overrides", [CAP_ONE], ids=["cap=1"])
async def test_at_the_inviters_cap_the_sign_up_succeeds_and_says_why_without_numbers(
    client: httpx.AsyncClient, services: Services
) -> None:
    maya, cy = await members(client, services, "maya_l", "cy_m")
    await connect(client, maya, cy)
    token = await invite(client, maya)
    before = await snapshot(services)

    ben, answer = await join(client, token, "ben_k")

    assert answer["connection"] == "not_made"
    message = answer["message"]
    assert message.startswith("Welcome! Your account is ready.")
    assert "could not be made now" in message
    assert "You can ask Maya_L (@maya_l) to connect later." in message
    assert not re.search(r"\d", message.replace("@maya_l", "")), "no one's numbers"
    assert await connections_of(client, ben) == []
    assert await connections_of(client, maya) == ["cy_m"]
    after = await snapshot(services)
    # The account, its session and the used invite; nothing about connecting.
    for table in ("connections", "connection_requests", "notifications"):
        assert after[table] == before[table], table
    assert after["users"] == before["users"] + 1


@pytest.mark.parametrize("settings_overrides", [CAP_ONE], ids=["cap=1"])
async def test_at_the_newcomers_cap_nothing_is_connected(
    client: httpx.AsyncClient, services: Services
) -> None:
    # A newcomer has no connections yet; the action is shared with existing members, whose
    # own cap counts the same way.
    (maya,) = await members(client, services, "maya_l")
    ben, _answer = await join(client, await invite(client, maya), "ben_k", connect=False)
    (cy,) = await members(client, services, "cy_m")
    await connect(client, ben, cy)
    before = await snapshot(services)
    async with services.db.sessions() as db:
        made = await do_connect_invited(
            services, db, await user_of(services, ben), (await user_of(services, maya)).id
        )
        await db.commit()
    assert made is not None and made.outcome == "not_made"
    assert not re.search(r"\d", made.message.replace("@maya_l", ""))
    assert await snapshot(services) == before


@pytest.mark.parametrize("blocker", ["inviter", "newcomer"])
async def test_a_block_means_no_connection_and_nothing_said(
    blocker: str, client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya_l")
    ben, _answer = await join(client, await invite(client, maya), "ben_k", connect=False)
    by, other = (maya, ben) if blocker == "inviter" else (ben, maya)
    blocked = await client.put(f"/api/v1/blocks/{other.handle}", headers=by.headers)
    assert blocked.status_code == 204, blocked.text
    before = await snapshot(services)
    async with services.db.sessions() as db:
        made = await do_connect_invited(
            services, db, await user_of(services, ben), (await user_of(services, maya)).id
        )
        await db.commit()
    assert made is None, "answered exactly as when nobody offered a connection"
    assert await snapshot(services) == before


async def test_a_request_waiting_between_them_is_resolved(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya_l")
    ben, _answer = await join(client, await invite(client, maya), "ben_k", connect=False)
    asked = await client.post(
        REQUESTS, json={"handle": "ben_k", "note": "So glad you came!"}, headers=maya.headers
    )
    assert asked.status_code == 201, asked.text
    assert len(await notes_of(client, ben, REQUEST)) == 1
    async with services.db.sessions() as db:
        made = await do_connect_invited(
            services, db, await user_of(services, ben), (await user_of(services, maya)).id
        )
        await db.commit()
    assert made is not None and made.outcome == "connected"
    assert await connections_of(client, ben) == ["maya_l"]
    assert await notes_of(client, ben, REQUEST) == []
    for who in (maya, ben):
        lists = (await client.get(REQUESTS, headers=who.headers)).json()
        assert (lists["incoming"], lists["outgoing"]) == ([], [])
    async with services.db.sessions() as db:
        statuses = list(await db.scalars(select(ConnectionRequest.status)))
    assert statuses == ["closed"]


@pytest.mark.parametrize(
    "value", ["maybe", "true", None, 1, 0, [], {"yes": True}], ids=lambda v: repr(v)
)
async def test_bad_connect_values_are_refused_with_a_sentence(
    value: object, client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya_l")
    token = await invite(client, maya)
    before = await snapshot(services)
    response = await client.post(SIGNUP, json=signup_body(token, "ben_k", connect=value))
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == "connect"
    assert "true to be connected with who invited you, or false" in body["detail"]
    assert body["detail"].endswith(".")
    assert await snapshot(services) == before
    # The invite still works.
    assert (await join(client, token, "ben_k"))[1]["connection"] == "connected"


async def test_a_request_note_shows_in_its_notification_and_the_api(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    note = "We met at the climbing wall <3"
    asked = await client.post(REQUESTS, json={"handle": "bob_k", "note": note}, headers=ada.headers)
    assert asked.status_code == 201, asked.text
    assert asked.json()["request"]["note"] == note
    incoming = (await client.get(REQUESTS, headers=bob.headers)).json()["incoming"]
    outgoing = (await client.get(REQUESTS, headers=ada.headers)).json()["outgoing"]
    assert [r["note"] for r in incoming] == [note] == [r["note"] for r in outgoing]
    (told,) = await notes_of(client, bob, REQUEST)
    assert told["text"] == "Ada_L would like to connect."  # the words stay out of the text
    assert told["preview"] == note
    page = await client.get("/notifications", headers=bob.headers)
    assert "“We met at the climbing wall &lt;3”" in page.text
    # Both sides of the connections page show it too.
    for who in (ada, bob):
        listed = await client.get("/connections", headers=who.headers)
        assert "“We met at the climbing wall &lt;3”" in listed.text
    # And each one's view of the other, page and API.
    for who, other in ((ada, "bob_k"), (bob, "ada_l")):
        person = await client.get(f"/api/v1/people/{other}", headers=who.headers)
        assert person.json()["request_note"] == note
        assert (
            "We met at the climbing wall &lt;3"
            in (await client.get(f"/people/{other}", headers=who.headers)).text
        )


def test_sign_up_has_one_way_to_connect() -> None:
    register_invite_connections()
    register_invite_connections()  # again, as every process does: harmless

    async def elsewhere(*_args: object) -> None:
        return None

    with pytest.raises(ValueError, match="already registered"):
        register_invite_connector(elsewhere)
