"""The sign-up page of a member's invite, without JavaScript: it names who invited you (only
to whoever holds the link) and offers the connection, ticked; a refusal keeps the choice; the
page after sign-up says what became of the connection."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from socialode.platform.services import Services
from tests.circles.conftest import QUICK
from tests.circles.test_invite_connects import connections_of, invite
from tests.form_helpers import assert_form_refused, page_of
from tests.helpers import PASSWORD, Member, connect, invite_token, login, members

OFFER = "You will be connected with Maya_L"


def form(**changes: str) -> dict[str, str]:
    typed = {
        "handle": "ben_k",
        "display_name": "Ben",
        "email": "ben@example.org",
        "password": PASSWORD,
        "timezone": "Europe/Oslo",
        "connect": "yes",
    }
    typed.update(changes)
    return {k: v for k, v in typed.items() if v != "<unticked>"}


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 80), (40, 140, 150)).save(out, format="PNG")
    return out.getvalue()


async def test_the_page_names_the_inviter_and_offers_the_connection_ticked(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya_l")
    put = await client.put(
        "/api/v1/me/avatar", files={"avatar": ("m.png", photo(), "image/png")}, headers=maya.headers
    )
    assert put.status_code in (200, 204), put.text
    token = await invite(client, maya)

    page = page_of(await client.get(f"/invite/{token}"))
    assert "Maya_L invited you." in page.text()
    assert OFFER in page.text()
    box = page.inputs["connect"]
    assert box["type"] == "checkbox" and "checked" in box
    # Her face is her monogram: her photo is for her connections only.
    assert not [i for i in page.images if "/avatar/" in i.get("src", "")]
    assert 'class="face face-md mono' in page.html

    # An invite no member gave offers nothing; a wrong link names nobody.
    operator = page_of(await client.get(f"/invite/{await invite_token(services)}"))
    assert "connect" not in operator.inputs and "invited you" not in operator.text()
    wrong = await client.get(f"/invite/{token[:-2]}xx")
    assert wrong.status_code == 404 and "Maya" not in wrong.text


@pytest.mark.parametrize("ticked", [True, False], ids=["ticked", "unticked"])
async def test_a_refused_form_keeps_the_choice_and_the_offer(
    ticked: bool, client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya_l")
    token = await invite(client, maya)
    typed = form(handle="zq", connect="yes" if ticked else "<unticked>")
    page = await assert_form_refused(
        services,
        client.post(f"/invite/{token}", data=typed),
        422,
        "handle",
        "3 to 30",
        kept={"display_name": "Ben", "email": "ben@example.org"},
        secrets=(PASSWORD,),
    )
    assert OFFER in page.text()
    assert ("checked" in page.inputs["connect"]) is ticked


async def test_signing_up_ticked_connects_and_says_so(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya_l")
    token = await invite(client, maya)
    response = await client.post(f"/invite/{token}", data=form())
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/settings/profile"
    welcome = page_of(await client.get("/settings/profile"))
    assert (
        "Welcome! Your account is ready. You and Maya_L are connected. "
        "Take a moment to tell people about yourself." in welcome.text()
    )
    client.cookies.clear()
    assert await connections_of(client, maya) == ["ben_k"]


async def test_signing_up_unticked_connects_nobody(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya_l")
    token = await invite(client, maya)
    response = await client.post(f"/invite/{token}", data=form(connect="<unticked>"))
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/settings/profile?notice=welcome"
    welcome = page_of(await client.get(response.headers["location"]))
    assert "Welcome! Your account is ready." in welcome.text()
    assert "connected" not in welcome.text()
    client.cookies.clear()
    assert await connections_of(client, maya) == []


@pytest.mark.parametrize("settings_overrides", [{**QUICK, "max_connections": 1}], ids=["cap=1"])
async def test_at_the_cap_the_page_after_sign_up_explains(
    client: httpx.AsyncClient, services: Services
) -> None:
    maya, cy = await members(client, services, "maya_l", "cy_m")
    await connect(client, maya, cy)
    token = await invite(client, maya)
    response = await client.post(f"/invite/{token}", data=form())
    assert response.status_code == 303, response.text
    text = page_of(await client.get(response.headers["location"])).text()
    assert "could not be made now" in text
    assert "You can ask Maya_L (@maya_l) to connect later." in text
    client.cookies.clear()
    ben = Member("ben_k", await login(client, "ben_k"))
    assert await connections_of(client, ben) == []
    assert await connections_of(client, maya) == ["cy_m"]
