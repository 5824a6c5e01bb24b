"""Live conversations in real Chromium contexts against a real server, checked with axe-core.

People and their connections are made through the JSON API (an operator invite for the first
person of a test, that person's own invites for the others); each person then signs in through
/login in a browser context of their own. Each person also comes from an address of their own
(``X-Forwarded-For``, trusted from 127.0.0.1 as behind any proxy), as they would on their own
devices, so the per-address sign-up and sign-in limits see people, not the test machine.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.chat_people import (
    CONVERSATION_URL,
    RECONNECT_MS,
    Frames,
    Network,
    api_bodies,
    api_send,
    assert_not_reloaded,
    bodies,
    connect,
    conversation_id_of,
    eventually,
    mark_loaded,
    message,
    open_direct,
    people,
    send_in_page,
    sign_in,
)
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


# -- 1. two people, live ----------------------------------------------------------------------
async def test_two_people_chat_live(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    ada, ben = await people(live_server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    a_page = await sign_in(devices, live_server, ada)
    b_page = await sign_in(devices, live_server, ben)

    # Ada starts the conversation from the list page.
    await a_page.goto(live_server.url("/conversations"))
    await a_page.get_by_label("Connection", exact=True).select_option(ben.handle)
    await a_page.get_by_role("button", name="Open conversation").click()
    await a_page.wait_for_url(CONVERSATION_URL)
    await expect(a_page.get_by_role("heading", level=1)).to_have_text("Ben")
    conversation = conversation_id_of(a_page)

    await b_page.goto(live_server.url(f"/conversations/{conversation}"))
    await expect(b_page.get_by_role("heading", level=1)).to_have_text("Ada")
    await expect(b_page.get_by_text("No messages yet. Say hello.")).to_be_visible()
    await mark_loaded(a_page)
    await mark_loaded(b_page)

    await send_in_page(a_page, "Hello Ben, are you coming on Sunday?")
    await expect(b_page.get_by_text("No messages yet. Say hello.")).to_have_count(0)
    await expect(bodies(b_page)).to_have_text(["Hello Ben, are you coming on Sunday?"])
    await expect(message(b_page, "Sunday")).to_contain_text("Ada")
    await expect(a_page.locator("#live-status")).to_have_text("Sent.")
    await expect(a_page.get_by_label("Message")).to_have_value("")

    await send_in_page(b_page, "Yes! I'll bring the *pie*.")
    await expect(bodies(a_page)).to_have_text(
        ["Hello Ben, are you coming on Sunday?", "Yes! I'll bring the *pie*."]
    )
    await expect(bodies(b_page)).to_have_text(
        ["Hello Ben, are you coming on Sunday?", "Yes! I'll bring the *pie*."]
    )
    # Ada's own message came back twice (the answer to her send, then the live event, which
    # reached her before Ben's answer did): it is still shown once, as hers.
    await expect(message(a_page, "Sunday")).to_have_count(1)
    await expect(message(a_page, "Sunday")).to_have_class(re.compile(r"\bmine\b"))
    await expect(message(b_page, "Sunday")).to_have_class(re.compile(r"\btheirs\b"))
    # Edit and delete live in a small menu on one's own messages.
    await message(a_page, "Sunday").locator("summary").click()
    await expect(message(a_page, "Sunday").get_by_role("link", name="Edit")).to_be_visible()
    await expect(message(a_page, "Sunday").get_by_role("button", name="Delete")).to_be_visible()
    await message(a_page, "Sunday").locator("summary").click()
    await expect(message(b_page, "Sunday").get_by_role("link", name="Edit")).to_have_count(0)

    # A third message, sent with an impatient double click: it is sent once, and nothing late
    # shows up twice on either side.
    created: list[int] = []
    a_page.on(
        "response",
        lambda r: created.append(r.status) if r.url.endswith("/messages") else None,
    )
    await a_page.get_by_label("Message").fill("Lovely, see you then.")
    await a_page.get_by_role("button", name="Send", exact=True).dblclick()
    expected = [
        "Hello Ben, are you coming on Sunday?",
        "Yes! I'll bring the *pie*.",
        "Lovely, see you then.",
    ]
    await expect(bodies(b_page)).to_have_text(expected)
    await expect(bodies(a_page)).to_have_text(expected)
    assert await api_bodies(api, ada, conversation) == expected
    await expect(a_page.locator("#live-status")).to_have_text("Sent.")
    assert created.count(201) == 1, created  # a second send of the same key is a 200 retry
    for page in (a_page, b_page):
        await assert_not_reloaded(page)
        assert CONVERSATION_URL.search(page.url), page.url  # no form post happened

    # A reload shows the same, from the server's rendering.
    await a_page.reload()
    await expect(bodies(a_page)).to_have_text(expected)


# -- 2. a group of three, and someone removed ---------------------------------------------------
async def test_group_live_and_removed_member_sees_nothing_after(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    ada, ben, cleo = await people(live_server, api, "Ada", "Ben", "Cleo")
    await connect(api, ada, ben)
    await connect(api, ada, cleo)
    a_page = await sign_in(devices, live_server, ada)
    b_page = await sign_in(devices, live_server, ben)
    c_page = await sign_in(devices, live_server, cleo)
    c_frames = Frames.watch_conversation(c_page)
    to_cleo = await open_direct(api, ada, cleo)

    # Ada starts the group from the list page.
    await a_page.goto(live_server.url("/conversations"))
    start = a_page.get_by_role("region", name="Start a small group")
    await start.get_by_label("Group name").fill("Sunday lunch")
    await start.get_by_label(f"Ben (@{ben.handle})").check()
    await start.get_by_label(f"Cleo (@{cleo.handle})").check()
    await start.get_by_role("button", name="Start group").click()
    await a_page.wait_for_url(CONVERSATION_URL)
    await expect(a_page.get_by_role("heading", level=1)).to_have_text("Sunday lunch")
    group = conversation_id_of(a_page)

    for page in (b_page, c_page):
        await page.goto(live_server.url(f"/conversations/{group}"))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Sunday lunch")
        await mark_loaded(page)

    await send_in_page(a_page, "Who brings dessert?")
    for page in (b_page, c_page):
        await expect(bodies(page)).to_have_text(["Who brings dessert?"])
        await expect(message(page, "dessert")).to_contain_text("Ada")
        await assert_not_reloaded(page)

    # Ada removes Cleo from the group's members.
    await a_page.get_by_text("People in this group").click()
    await a_page.get_by_role("button", name="Remove Cleo").click()
    # It asks first, in a dialog.
    await a_page.get_by_role("dialog").get_by_role("button", name="Remove Cleo").click()
    await a_page.wait_for_url(CONVERSATION_URL)
    members = a_page.locator("details.members li")
    await expect(members.filter(has_text="Cleo")).to_have_count(0)
    await expect(members.filter(has_text="Ben")).to_have_count(1)
    await expect(b_page.get_by_text("Cleo is no longer in this group.")).to_be_visible()
    # Cleo's page learns it live and reloads into the page of a former member.
    await expect(c_page.get_by_text("You were removed from this group.")).to_be_visible()
    await expect(c_page.get_by_role("button", name="Send")).to_have_count(0)
    await expect(c_page.get_by_label("Message")).to_have_count(0)

    # Cleo's one-to-one conversation with Ada is still open in another tab, live.
    c_other = await c_page.context.new_page()
    c_other_frames = Frames.watch_conversation(c_other)
    await c_other.goto(live_server.url(f"/conversations/{to_cleo}"))
    await eventually(lambda: c_other_frames.count("ready") == 1, "Cleo's other tab is live")

    await send_in_page(a_page, "Just the two of us then.")
    await expect(bodies(b_page)).to_have_text(["Who brings dessert?", "Just the two of us then."])
    await assert_not_reloaded(b_page)
    # Ada then writes to Cleo directly: once that reaches Cleo's socket, the group message,
    # sent before it, would have too, had it gone to Cleo.
    await api_send(api, ada, to_cleo, "Sorry, it got too big. Coffee next week?")
    await expect(bodies(c_other)).to_have_text(["Sorry, it got too big. Coffee next week?"])
    for frames in (c_frames, c_other_frames):
        assert "Just the two of us then." not in frames.bodies()
    to_group = [
        f
        for f in (*c_frames.received, *c_other_frames.received)
        if f.get("conversation_id") == group
    ]
    removed = max(f["seq"] for f in to_group if f.get("kind") == "remove")
    assert all(f["seq"] <= removed for f in to_group), to_group  # nothing after the removal
    # Nor does Cleo's page show it, before or after a reload.
    await expect(bodies(c_page)).to_have_text(["Who brings dessert?"])
    await c_page.reload()
    await expect(c_page.get_by_text("You were removed from this group.")).to_be_visible()
    await expect(bodies(c_page)).to_have_text(["Who brings dessert?"])
    assert await api_bodies(api, cleo, group) == ["Who brings dessert?"]
    # The list still has the group for Cleo, truthfully marked as a removal.
    await c_page.goto(live_server.url("/conversations"))
    row = c_page.get_by_role("listitem").filter(has_text="Sunday lunch")
    await expect(row).to_contain_text("(you were removed)")
    await expect(row).not_to_contain_text("you left")


# -- 3. without JavaScript ----------------------------------------------------------------------
async def test_sending_without_javascript_and_a_double_submit_sends_once(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    ada, ben = await people(live_server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    conversation = await open_direct(api, ada, ben)
    page = await sign_in(devices, live_server, ada, java_script_enabled=False)
    b_page = await sign_in(devices, live_server, ben)
    await b_page.goto(live_server.url(f"/conversations/{conversation}"))
    await mark_loaded(b_page)

    await page.goto(live_server.url(f"/conversations/{conversation}"))
    key = await page.locator("#send input[name=client_key]").input_value()
    assert re.fullmatch(r"[0-9a-f]{32}", key), key
    await send_in_page(page, "Sent by a plain form.")
    await page.wait_for_url(re.compile(r"/conversations/\d+#m-\d+$"))
    first_target = page.url.removeprefix(live_server.base_url)
    await expect(bodies(page)).to_have_text(["Sent by a plain form."])
    await expect(page.get_by_label("Message")).to_have_value("")
    new_key = await page.locator("#send input[name=client_key]").input_value()
    assert new_key != key  # the next message gets a key of its own

    # The same form submitted again (same hidden client_key, same cookies): one message.
    again = await page.request.post(
        live_server.url(f"/conversations/{conversation}/messages"),
        form={"client_key": key, "body": "Sent by a plain form."},
        max_redirects=0,
    )
    assert again.status == 303, await again.text()
    assert again.headers["location"] == first_target
    await page.reload()
    await expect(bodies(page)).to_have_text(["Sent by a plain form."])
    assert await api_bodies(api, ben, conversation) == ["Sent by a plain form."]
    await expect(bodies(b_page)).to_have_text(["Sent by a plain form."])
    await assert_not_reloaded(b_page)

    # An empty message is answered on the form, also without any script.
    await send_in_page(page, "   ")
    await expect(page.get_by_label("Message")).to_have_attribute("aria-invalid", "true")
    await expect(bodies(page)).to_have_text(["Sent by a plain form."])


# -- 4. reconnecting ----------------------------------------------------------------------------
async def test_reconnect_shows_missed_messages_once_in_order(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    ada, ben = await people(live_server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    conversation = await open_direct(api, ada, ben)
    await api_send(api, ada, conversation, "Before the tunnel.")
    b_page = await sign_in(devices, live_server, ben)
    frames = Frames.watch_conversation(b_page)
    network = await Network.of(b_page)
    await b_page.goto(live_server.url(f"/conversations/{conversation}"))
    await expect(bodies(b_page)).to_have_text(["Before the tunnel."])
    await mark_loaded(b_page)
    await eventually(lambda: frames.count("ready") == 1, "Ben's page is live")
    await api_send(api, ada, conversation, "Live before the drop.")
    await expect(bodies(b_page)).to_have_text(["Before the tunnel.", "Live before the drop."])

    # Ben's connection drops; Ada keeps writing meanwhile.
    await network.cut()
    await expect(b_page.locator("#live-status")).to_have_text("Reconnecting…")
    missed = [f"While you were away, part {n}." for n in range(1, 4)]
    for text in missed:
        await api_send(api, ada, conversation, text)
    await network.restore()

    expected = ["Before the tunnel.", "Live before the drop.", *missed]
    await expect(bodies(b_page)).to_have_text(expected, timeout=RECONNECT_MS)
    await expect(b_page.locator("#live-status")).to_have_text("")
    await eventually(lambda: frames.count("ready") == 2, "the page is live again", RECONNECT_MS)
    # Live again: one more message arrives after everything that was missed, and nothing twice.
    await api_send(api, ada, conversation, "Welcome back.")
    await expect(bodies(b_page)).to_have_text([*expected, "Welcome back."])
    await assert_not_reloaded(b_page)
    await eventually(
        lambda: frames.bodies() == ["Live before the drop.", *missed, "Welcome back."],
        "each message came over the sockets once",
    )


async def test_a_reply_sent_while_offline_goes_once_after_what_was_missed(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    ada, ben = await people(live_server, api, "Ada", "Ben")
    await connect(api, ada, ben)
    conversation = await open_direct(api, ada, ben)
    b_page = await sign_in(devices, live_server, ben)
    frames = Frames.watch_conversation(b_page)
    network = await Network.of(b_page)
    await b_page.goto(live_server.url(f"/conversations/{conversation}"))
    await mark_loaded(b_page)
    await eventually(lambda: frames.count("ready") == 1, "Ben's page is live")

    await network.cut()
    await expect(b_page.locator("#live-status")).to_have_text("Reconnecting…")
    await api_send(api, ada, conversation, "Are you there?")
    async with b_page.expect_event("requestfailed", lambda r: r.url.endswith("/messages")):
        await send_in_page(b_page, "Yes, on a train.")

    # Requests go through again before the socket is back: the retry sends the reply once
    # (same key) ...
    await network.restore(sockets=False)
    await expect(bodies(b_page)).to_have_text(["Yes, on a train."], timeout=10_000)
    assert await api_bodies(api, ada, conversation) == ["Are you there?", "Yes, on a train."]
    # ... and when the socket is back, Ada's message, sent first, is shown before it.
    await network.restore()
    await eventually(lambda: frames.count("ready") == 2, "Ben's page is live again", RECONNECT_MS)
    await expect(bodies(b_page)).to_have_text(["Are you there?", "Yes, on a train."])
    await api_send(api, ada, conversation, "Safe travels.")
    await expect(bodies(b_page)).to_have_text(
        ["Are you there?", "Yes, on a train.", "Safe travels."]
    )
    await assert_not_reloaded(b_page)
    await b_page.reload()
    await expect(bodies(b_page)).to_have_text(
        ["Are you there?", "Yes, on a train.", "Safe travels."]
    )


# -- 5. accessibility ---------------------------------------------------------------------------
async def test_conversation_pages_have_no_axe_violations(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient, a11y: A11yAudit
) -> None:
    ada, ben, cleo = await people(live_server, api, "Ada", "Ben", "Cleo")
    await connect(api, ada, ben)
    await connect(api, ada, cleo)
    page = await sign_in(devices, live_server, ada)
    b_page = await sign_in(devices, live_server, ben)

    await page.goto(live_server.url("/conversations"))
    await expect(page.get_by_text("No conversations yet.")).to_be_visible()
    await a11y.check(page, "conversations, empty")

    await page.get_by_label("Connection", exact=True).select_option(ben.handle)
    await page.get_by_role("button", name="Open conversation").click()
    await page.wait_for_url(CONVERSATION_URL)
    direct = conversation_id_of(page)
    await a11y.check(page, "one-to-one, empty")
    await b_page.goto(live_server.url(f"/conversations/{direct}"))
    await send_in_page(page, "A message **with** some [markup](https://example.org).")
    await send_in_page(b_page, "And an answer, shown live.")
    await expect(bodies(page)).to_have_count(2)
    await a11y.check(page, "one-to-one, live messages")
    await page.reload()
    await expect(bodies(page)).to_have_count(2)
    await a11y.check(page, "one-to-one, rendered")

    await message(page, "with").locator("summary").click()
    await a11y.check(page, "one-to-one, message menu open")
    await page.get_by_role("link", name="Edit").click()
    await page.wait_for_url("**/messages/*/edit")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Edit your message")
    await a11y.check(page, "edit message")
    await page.get_by_label("Message").fill("")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_label("Message")).to_have_attribute("aria-invalid", "true")
    await a11y.check(page, "edit message, with an error")

    response = await api.post(
        "/api/v1/conversations/groups",
        json={"name": "Book club", "members": [ben.handle, cleo.handle]},
        headers=ada.headers,
    )
    assert response.status_code == 201, response.text
    group = int(response.json()["id"])
    await api_send(api, ben, group, "What are we reading next?")
    await page.goto(live_server.url(f"/conversations/{group}"))
    await page.get_by_text("People in this group").click()
    await expect(page.get_by_role("button", name="Remove Cleo")).to_be_visible()
    await a11y.check(page, "group, as its creator, members open")

    await page.goto(live_server.url("/conversations"))
    await expect(page.locator("ul.conversations > li")).to_have_count(2)
    await a11y.check(page, "conversations, two")

    await page.goto(live_server.url("/settings/chat"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Conversation settings")
    await a11y.check(page, "settings/chat")

    assert a11y.checked == [
        "conversations, empty",
        "one-to-one, empty",
        "one-to-one, live messages",
        "one-to-one, rendered",
        "one-to-one, message menu open",
        "edit message",
        "edit message, with an error",
        "group, as its creator, members open",
        "conversations, two",
        "settings/chat",
    ]
