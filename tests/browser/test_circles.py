"""Connections, circles and blocks in a real Chromium, with axe-core on every page and state.

Two members made from operator invites (``socialode invites create``) ask, accept, gather one
another into a circle and block, through the pages only. Each page is checked by axe-core,
including the pages that show a refusal beside its field.
"""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.conftest import A11yAudit, Devices, LiveServer
from tests.browser.members import member, signed_in

pytestmark = pytest.mark.browser


async def test_connections_circles_and_blocks(
    live_server: LiveServer, devices: Devices, a11y: A11yAudit
) -> None:
    server = live_server
    await member(server, "robin_c", "Robin")
    await member(server, "sam_c", "Sam")
    robin = await signed_in(devices, server, "robin_c")
    sam = await signed_in(devices, server, "sam_c")

    # Robin finds the page from the navigation and asks Sam, first with a typo.
    await (
        robin.get_by_role("navigation", name="Main").get_by_role("link", name="Connections").click()
    )
    await expect(robin.get_by_role("heading", level=1)).to_have_text("Your people")
    await a11y.check(robin, "connections, empty")
    await robin.get_by_label("Their handle").fill("sam c")
    await robin.get_by_label("A short note (optional)").fill("From the choir")
    await robin.get_by_role("button", name="Send request").click()
    await expect(robin.locator("#e-handle")).to_contain_text("3 to 30 characters")
    await expect(robin.get_by_label("A short note (optional)")).to_have_value("From the choir")
    await a11y.check(robin, "connections, refused handle")
    await robin.get_by_label("Their handle").fill("@sam_c")
    await robin.get_by_role("button", name="Send request").click()
    await expect(robin.get_by_role("status")).to_have_text(
        "Request sent. It waits for their answer."
    )
    await expect(robin.get_by_role("heading", name="Your requests")).to_be_visible()
    await a11y.check(robin, "connections, request sent")

    # Sam sees the request with its note, looks at Robin's page, and accepts.
    await sam.goto(server.url("/connections"))
    await expect(sam.get_by_text("“From the choir”")).to_be_visible()
    await a11y.check(sam, "connections, request waiting")
    await sam.get_by_role("link", name="Robin").first.click()
    await expect(sam.get_by_role("heading", level=2)).to_have_text(
        "Robin asked to connect with you"
    )
    await a11y.check(sam, "person, request received")
    await sam.get_by_role("button", name="Accept").click()
    await expect(sam.get_by_role("status")).to_have_text("You are connected.")
    await expect(sam.get_by_role("heading", name="You are connected")).to_be_visible()
    await a11y.check(sam, "person, connected")

    # Robin makes a circle and puts Sam in it.
    await robin.get_by_role("navigation", name="Main").get_by_role("link", name="Circles").click()
    await a11y.check(robin, "circles, empty")
    await robin.get_by_label("Name").fill("")
    await robin.get_by_role("button", name="Make circle").click()
    await expect(robin.locator("#e-name")).to_contain_text("Give the circle a name")
    await a11y.check(robin, "circles, refused name")
    await robin.get_by_label("Name").fill("Choir")
    await robin.get_by_role("button", name="Make circle").click()
    await expect(robin.get_by_role("heading", level=1)).to_have_text("Choir")
    await robin.get_by_label("One of your connections").select_option("sam_c")
    await robin.get_by_role("button", name="Add to Choir").click()
    await expect(robin.get_by_role("status")).to_have_text(
        "Added to the circle. They are not told."
    )
    await expect(robin.get_by_role("link", name="Sam")).to_be_visible()
    await a11y.check(robin, "circle with a member")
    await robin.get_by_label("New name").fill("")
    await robin.get_by_role("button", name="Rename").click()
    await expect(robin.locator("#e-name")).to_be_visible()
    await a11y.check(robin, "circle, refused rename")
    await robin.goto(server.url("/circles"))
    await a11y.check(robin, "circles, one circle")

    # Sam blocks Robin from the connections page; Robin's page of Sam is gone.
    await sam.goto(server.url("/connections"))
    await a11y.check(sam, "connections, one connection")
    await sam.get_by_role("link", name="Block Robin").click()
    await expect(sam.get_by_label("Their handle")).to_have_value("robin_c")
    await a11y.check(sam, "blocked, form filled")
    await sam.get_by_role("button", name="Block", exact=True).click()
    await expect(sam.get_by_role("status")).to_contain_text("Blocked.")
    await a11y.check(sam, "blocked, one block")
    response = await robin.goto(server.url("/people/sam_c"))
    assert response is not None and response.status == 404
    await robin.goto(server.url("/circles"))
    await expect(robin.get_by_text("nobody yet")).to_be_visible()
    await sam.get_by_role("button", name="Unblock Robin").click()
    asked = sam.get_by_role("dialog", name="Unblock Robin?")  # it asks first
    await expect(asked).to_contain_text("They will be able to see you")
    await asked.get_by_role("button", name="Unblock", exact=True).click()
    await expect(sam.get_by_text("You haven't blocked anyone.")).to_be_visible()
    await a11y.check(sam, "blocked, none")
