"""One profile rule over every surface (circles.access_people.access_profile_of).

Owen has a whole profile and a photo. For each kind of viewer (Owen himself, a connection,
another member, someone Owen blocked, someone who blocked Owen, an administrator), every
surface that shows a person must answer as the table says, and as the rule's own function
says: the page (/people/ and the older /u/), the API, both photo routes, the face on the
page, and search. A surface that drifted from the rule fails here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import select

from socialode.accounts.access import access_members_as_viewers
from socialode.accounts.models import User
from socialode.circles.access_people import access_profile_of
from socialode.platform.errors import NotFound
from socialode.platform.services import Services
from tests.helpers import Member, connect, login, make_admin, members

BIO = "Keeps bees by the river."


@dataclass(frozen=True)
class Seen:
    """What one viewer gets of Owen on every surface."""

    page: int  # status of /people/owen_p (and /u/owen_p)
    bio: bool  # the whole profile is on the page and in the API
    api: int
    photo: int  # status of both photo routes
    face: bool  # his photo is the face on his page
    found: bool  # search by his name finds him


WHOLE = Seen(200, True, 200, 200, True, False)
BRIEF = Seen(200, False, 200, 404, False, False)
MISSING = Seen(404, False, 404, 404, False, False)
EXPECTED = {
    "owner": WHOLE,
    "connection": Seen(200, True, 200, 200, True, True),  # search finds connections only
    "member": BRIEF,
    "blocked": MISSING,  # Owen blocked them
    "blocker": MISSING,  # they blocked Owen
    "admin": WHOLE,
}
RULE = {"whole": ("owner", "connection", "admin"), "brief": ("member",)}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 48), (30, 140, 120)).save(out, format="PNG")
    return out.getvalue()


async def world(client: httpx.AsyncClient, services: Services) -> tuple[dict[str, Member], str]:
    owen, cora, mel, bly, bek = await members(
        client, services, "owen_p", "cora_p", "mel_p", "bly_p", "bek_p"
    )
    await client.patch("/api/v1/me", json={"bio": BIO}, headers=owen.headers)
    upload = await client.put(
        "/api/v1/me/avatar", files={"avatar": ("o.png", png(), "image/png")}, headers=owen.headers
    )
    assert upload.status_code == 200, upload.text
    key_url = upload.json()["avatar_url"]
    for other in (cora, bly, bek):
        await connect(client, owen, other)
    assert (await client.put("/api/v1/blocks/bly_p", headers=owen.headers)).status_code == 204
    assert (await client.put("/api/v1/blocks/owen_p", headers=bek.headers)).status_code == 204
    await make_admin(services)
    admin = Member("root_admin", await login(client, "root_admin"))
    viewers = {"owner": owen, "connection": cora, "member": mel, "blocked": bly}
    return {**viewers, "blocker": bek, "admin": admin}, key_url


async def seen(client: httpx.AsyncClient, who: Member, key_url: str, search: bool) -> Seen:
    page = await client.get("/people/owen_p", headers=who.headers)
    old = await client.get("/u/owen_p", headers=who.headers)
    assert (old.status_code, BIO in old.text) == (page.status_code, BIO in page.text)
    api = await client.get("/api/v1/people/owen_p", headers=who.headers)
    by_handle = await client.get("/api/v1/people/owen_p/avatar/64", headers=who.headers)
    by_key = await client.get(key_url.replace("/256.jpg", "/64.jpg"), headers=who.headers)
    assert by_handle.status_code == by_key.status_code, (by_handle.text, by_key.text)
    api_bio = api.status_code == 200 and (api.json().get("profile") or {}).get("bio") == BIO
    assert api_bio == (BIO in page.text)
    found = False
    if search:
        result = await client.get("/api/v1/search?q=owen", headers=who.headers)
        assert result.status_code == 200, result.text
        people = [p for p in result.json()["people"] if p["handle"] == "owen_p"]
        found = bool(people)
        # A result's photo follows the rule too.
        assert all(bool(p["avatar_url"]) == api_bio for p in people)
    return Seen(
        page.status_code,
        BIO in page.text,
        api.status_code,
        by_handle.status_code,
        "/api/v1/people/owen_p/avatar/256" in page.text,
        found,
    )


def has_search(app: FastAPI) -> bool:
    return any(getattr(r, "path", "") == "/api/v1/search" for r in app.routes)


async def test_every_surface_answers_as_the_one_rule(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    viewers, key_url = await world(client, services)
    search = has_search(app)
    for kind, who in viewers.items():
        got = await seen(client, who, key_url, search)
        want = EXPECTED[kind] if search else replace(EXPECTED[kind], found=False)
        assert got == want, f"{kind}: {got} != {want}"
        if want.page == 404:  # missing exactly like a handle nobody has
            nobody = await client.get("/people/nobody_here", headers=who.headers)
            nobody_api = await client.get("/api/v1/people/nobody_here", headers=who.headers)
            page = await client.get("/people/owen_p", headers=who.headers)
            api = await client.get("/api/v1/people/owen_p", headers=who.headers)
            assert page.text.replace("owen_p", "nobody_here") == nobody.text
            assert (api.status_code, api.json()) == (nobody_api.status_code, nobody_api.json())


async def test_the_rule_function_agrees_with_the_table(
    client: httpx.AsyncClient, services: Services
) -> None:
    viewers, _key = await world(client, services)
    async with services.db.sessions() as db:
        ids = {u.handle: u.id for u in await db.scalars(select(User).where(User.handle != ""))}
        as_viewers = await access_members_as_viewers(db, list(ids.values()))
        owen = await db.get(User, ids["owen_p"])
        for kind, who in viewers.items():
            viewer = as_viewers[ids[who.handle]]
            if EXPECTED[kind].page == 404:
                with pytest.raises(NotFound):
                    await access_profile_of(db, viewer, owen)
                continue
            reach = await access_profile_of(db, viewer, owen)
            assert kind in RULE[reach], (kind, reach)
