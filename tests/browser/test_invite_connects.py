"""An invite is a connection, in a real Chromium: Maya makes an invite link on her invites
page, Ben opens it, sees who invited him and the connection offered (ticked), signs up, and
both of them find the other among their connections. axe-core checks every page on the way.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import A11yAudit, Devices, LiveServer
from tests.browser.members import PASSWORD, member, signed_in

pytestmark = pytest.mark.browser


async def maya_signed_in(server: LiveServer, devices: Devices, handle: str) -> Page:
    await member(server, handle, "Maya Lind")
    return await signed_in(devices, server, handle, landing=None)


async def test_maya_invites_ben_by_link_and_they_are_connected(
    live_server: LiveServer, devices: Devices, a11y: A11yAudit
) -> None:
    server = live_server
    suffix = uuid.uuid4().hex[:6]
    maya_handle, ben_handle = f"maya_{suffix}", f"ben_{suffix}"
    maya = await maya_signed_in(server, devices, maya_handle)

    # Maya makes a link to share herself.
    await maya.goto(server.url("/invites"))
    await maya.get_by_role("button", name="Create invite").click()
    link = (await maya.locator("#new-link").text_content() or "").strip()
    assert "/invite/" in link

    # Ben opens it: he sees who invited him, and the connection is offered, ticked.
    ben = await devices.open()
    await ben.goto(link)
    await expect(ben.get_by_text("Maya Lind invited you.")).to_be_visible()
    offer = ben.get_by_label("You will be connected with Maya Lind")
    await expect(offer).to_be_checked()
    await a11y.check(ben, "sign-up, connection offered")

    # A refusal keeps the box as he left it.
    await ben.get_by_label("Handle").fill("b")
    await ben.get_by_label("Display name").fill("Ben Kaur")
    await ben.get_by_label("Email").fill(f"{ben_handle}@example.org")
    await ben.get_by_label("Password").fill(PASSWORD)
    await ben.get_by_role("button", name="Create account").click()
    await expect(ben.locator("#e-handle")).to_be_visible()
    await expect(ben.get_by_label("You will be connected with Maya Lind")).to_be_checked()
    await a11y.check(ben, "sign-up, refused handle, connection still offered")

    await ben.get_by_label("Handle").fill(ben_handle)
    await ben.get_by_label("Password").fill(PASSWORD)
    await ben.get_by_role("button", name="Create account").click()
    await expect(ben.get_by_role("status")).to_contain_text("You and Maya Lind are connected.")
    await a11y.check(ben, "profile after sign-up, connected")

    # Both find the other among their connections.
    await ben.goto(server.url("/connections"))
    mine = ben.get_by_role("region", name="Your connections")
    await expect(mine.get_by_role("link", name="Maya Lind", exact=True)).to_be_visible()
    await maya.goto(server.url("/connections"))
    theirs = maya.get_by_role("region", name="Your connections")
    await expect(theirs.get_by_role("link", name="Ben Kaur", exact=True)).to_be_visible()
    await a11y.check(maya, "connections, connected by invite")
    await maya.goto(server.url("/notifications"))
    await expect(
        maya.get_by_text("Ben Kaur joined with your invite: you're connected.")
    ).to_be_visible()
    await a11y.check(maya, "notifications, connected by invite")
