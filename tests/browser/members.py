"""Members for browser tests: signed up through an operator's invite over the API (so they
are connected with nobody), and signed in on a device of their own."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests.browser.conftest import Devices, LiveServer

PASSWORD = "amber-willow-harbour-63"


async def member(server: LiveServer, handle: str, name: str) -> dict[str, str]:
    """A new member through an operator invite; the bearer header of their session."""
    link = (await server.cli("invites", "create")).strip()
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        response = await client.post(
            "/api/v1/auth/signup",
            json={
                "invite_token": link.rsplit("/", 1)[1],
                "handle": handle,
                "display_name": name,
                "email": f"{handle}@example.org",
                "password": PASSWORD,
            },
        )
        assert response.status_code == 201, response.text
        return {"Authorization": f"Bearer {response.json()['session_token']}"}


async def signed_in(
    devices: Devices, server: LiveServer, handle: str, landing: str | None = "Your people"
) -> Page:
    """``handle`` signed in through the sign-in page on a new device; ``landing`` is the
    heading they arrive at (None: anything but the sign-in page)."""
    page = await devices.open()
    await page.goto(server.url("/login"))
    await page.get_by_label("Handle or email").fill(handle)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    heading = expect(page.get_by_role("heading", level=1))
    await (heading.to_have_text(landing) if landing else heading.not_to_have_text("Sign in"))
    return page
