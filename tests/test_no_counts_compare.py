"""Rule 1, checked by comparison instead of by word lists: nothing anyone else sees about a
person changes when that person's numbers change.

Tam starts with no other connections, moments, answers or circles. Then Tam gets seven
connections, shares seven moments, answers seven, makes seven circles and is put in seven
of other people's circles. Every page and API answer about Tam, as seen by a connection, a
stranger and an administrator, must be byte-identical before and after (once the parts that
change by themselves — times, one-time keys — are blanked). A count in any wording ("Known by
3 people", "7 moments") makes them differ.
"""

from __future__ import annotations

import difflib
import io
import re
import uuid

import httpx
from PIL import Image

from socialode.platform.services import Services
from tests.helpers import Member, connect, login, make_admin, members

SEVEN = 7
VOLATILE = [
    re.compile(r"[0-9a-f]{32}"),  # one-time form keys
    re.compile(r"\d{4}-\d\d-\d\d[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?"),  # times
    re.compile(r"\d\d? [A-Z][a-z]{2}(?: \d{4})?, \d\d:\d\d"),  # times as pages show them
]


def _normal(text: str) -> str:
    for pattern in VOLATILE:
        text = pattern.sub("…", text)
    return text


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 48), (90, 140, 60)).save(out, format="PNG")
    return out.getvalue()


async def _ok(response: httpx.Response) -> httpx.Response:
    assert response.status_code < 300, response.text
    return response


async def _views(
    client: httpx.AsyncClient, viewers: dict[str, Member], tam: str, own: dict[str, int]
) -> dict[str, tuple[int, str]]:
    """Everything each viewer can ask about Tam, by (viewer, path)."""
    about_tam = [
        f"/people/{tam}",
        f"/api/v1/people/{tam}",
        f"/api/v1/people/{tam}/avatar/256",
        f"/u/{tam}",
        f"/api/v1/users/{tam}",
    ]
    paths = {
        "connection": [
            *about_tam,
            "/api/v1/connections",  # Tam is listed among the viewer's connections
            "/connections",
            f"/api/v1/circles/{own['circle']}",  # and in the viewer's circle
            f"/circles/{own['circle']}",
            "/api/v1/conversations",
            f"/api/v1/conversations/{own['direct']}",
            f"/conversations/{own['direct']}",
        ],
        "stranger": [*about_tam, "/api/v1/connections/requests", "/connections"],
        "admin": [*about_tam, "/admin"],
    }
    out: dict[str, tuple[int, str]] = {}
    for name, who in viewers.items():
        for path in paths[name]:
            response = await client.get(path, headers=who.headers)
            body = response.content.hex() if "/avatar/" in path else response.text
            out[f"{name} {path}"] = (response.status_code, _normal(body))
    return out


async def _grow(client: httpx.AsyncClient, tam: Member, others: list[Member]) -> None:
    """Seven of everything for Tam, none of it shared with the viewers."""
    run = uuid.uuid4().hex[:6]
    for n, other in enumerate(others):
        await connect(client, tam, other)
        circle = await client.post(
            "/api/v1/circles", json={"name": f"Theirs {n}"}, headers=other.headers
        )
        cid = (await _ok(circle)).json()["id"]
        await _ok(
            await client.put(f"/api/v1/circles/{cid}/members/{tam.handle}", headers=other.headers)
        )
        mine = await client.post(
            "/api/v1/circles", json={"name": f"Tam's {n}"}, headers=tam.headers
        )
        mid = (await _ok(mine)).json()["id"]
        await _ok(
            await client.put(f"/api/v1/circles/{mid}/members/{other.handle}", headers=tam.headers)
        )
        await _ok(
            await client.post(
                "/api/v1/moments",
                json={"body": f"tam shares {n} {run}", "people": [other.handle]},
                headers=tam.headers,
            )
        )
        theirs = await client.post(
            "/api/v1/moments",
            json={"body": f"for tam {n} {run}", "people": [tam.handle]},
            headers=other.headers,
        )
        moment = (await _ok(theirs)).json()["id"]
        await _ok(
            await client.post(
                f"/api/v1/moments/{moment}/answers",
                json={"body": f"tam answers {n}", "client_key": uuid.uuid4().hex},
                headers=tam.headers,
            )
        )


async def test_what_others_see_of_a_person_does_not_change_with_their_numbers(
    client: httpx.AsyncClient, services: Services
) -> None:
    services.settings.rate_messages = "100000/minute"
    tam, friend, stranger, *others = await members(
        client, services, "tam_nc", "vee_nc", "sol_nc", *(f"pal{i}_nc" for i in range(SEVEN))
    )
    await make_admin(services)
    admin = Member("root_admin", await login(client, "root_admin"))
    await _ok(
        await client.patch(
            "/api/v1/me",
            json={"bio": "Walks by the river.", "interests": ["rowing"]},
            headers=tam.headers,
        )
    )
    await _ok(
        await client.put(
            "/api/v1/me/avatar",
            files={"avatar": ("t.png", _png(), "image/png")},
            headers=tam.headers,
        )
    )
    await connect(client, friend, tam)
    circle = await client.post("/api/v1/circles", json={"name": "Near"}, headers=friend.headers)
    own = {"circle": (await _ok(circle)).json()["id"]}
    await _ok(
        await client.put(
            f"/api/v1/circles/{own['circle']}/members/{tam.handle}", headers=friend.headers
        )
    )
    opened = await client.post(
        "/api/v1/conversations/direct", json={"handle": tam.handle}, headers=friend.headers
    )
    own["direct"] = (await _ok(opened)).json()["id"]
    await _ok(
        await client.post(
            "/api/v1/connections/requests", json={"handle": tam.handle}, headers=stranger.headers
        )
    )
    viewers = {"connection": friend, "stranger": stranger, "admin": admin}

    before = await _views(client, viewers, tam.handle, own)
    # The probes see Tam at all: their handle or profile is in what a connection is shown.
    assert "Walks by the river." in before[f"connection /api/v1/people/{tam.handle}"][1]
    assert before[f"connection /api/v1/people/{tam.handle}/avatar/256"][0] == 200
    assert tam.handle in before["stranger /api/v1/connections/requests"][1]
    assert "Walks by the river." in before[f"admin /u/{tam.handle}"][1]

    await _grow(client, tam, others)
    after = await _views(client, viewers, tam.handle, own)
    changed = [
        f"{where}:\n"
        + "\n".join(
            difflib.unified_diff(
                before[where][1].splitlines(), after[where][1].splitlines(), lineterm="", n=1
            )
        )
        + (
            f"\nstatus {before[where][0]} → {after[where][0]}"
            if before[where][0] != after[where][0]
            else ""
        )
        for where in before
        if before[where] != after[where]
    ]
    assert not changed, "\n\n".join(changed)
