"""Moments in real Chromium contexts against a real server, checked with axe-core.

People, connections and (where a test is not about them) circles and moments are made through
the JSON API; everything the tests are about is done through the pages, each person signed in
through /login in a browser context of their own and coming from an address of their own
(see ``chat_people``).

Who may see a moment is checked where a person would meet it: the feed (also read from the
very beginning, ``/feed?since=0``, not only since the last look), looking back at today, the
moment's own page (which must answer exactly like a moment that does not exist) and the
notifications.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Sequence

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.chat_people import (
    CONVERSATION_URL,
    Frames,
    Person,
    assert_not_reloaded,
    connect,
    eventually,
    mark_loaded,
    people,
    sign_in,
)
from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser

MOMENT_URL = re.compile(r"/moments/(\d+)$")
CIRCLE_URL = re.compile(r"/circles/(\d+)$")
FEED_PAGE = 20  # moments.access.PAGE
MISSING_MOMENT = 2_000_000_000  # an id no test comes near


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        yield client


# -- setup through the API ----------------------------------------------------------------------
async def api_share(
    api: httpx.AsyncClient,
    author: Person,
    body: str,
    *,
    to: Sequence[Person] = (),
    circles: Sequence[int] = (),
    content_note: str = "",
) -> int:
    response = await api.post(
        "/api/v1/moments",
        json={
            "body": body,
            "people": [p.handle for p in to],
            "circles": list(circles),
            "content_note": content_note,
        },
        headers=author.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def api_circle(api: httpx.AsyncClient, owner: Person, name: str, *members: Person) -> int:
    response = await api.post("/api/v1/circles", json={"name": name}, headers=owner.headers)
    assert response.status_code == 201, response.text
    circle_id = int(response.json()["id"])
    for member in members:
        response = await api.put(
            f"/api/v1/circles/{circle_id}/members/{member.handle}", headers=owner.headers
        )
        assert response.status_code == 200, response.text
    return circle_id


# -- pages --------------------------------------------------------------------------------------
def id_in_url(page: Page, pattern: re.Pattern[str]) -> int:
    found = pattern.search(page.url.split("#", 1)[0].split("?", 1)[0])
    assert found, page.url
    return int(found.group(1))


def moments_shown(page: Page) -> Locator:
    """The bodies of the moments listed on a feed, look-back or "your moments" page."""
    return page.locator("section.moments article .body")


def heading(page: Page, level: int = 1) -> Locator:
    return page.get_by_role("heading", level=level)


async def share_in_page(
    page: Page,
    server: LiveServer,
    body: str,
    *,
    circles: Sequence[str] = (),
    to: Sequence[Person] = (),
    content_note: str = "",
) -> int:
    """Share through /moments/new; the id of the moment, whose page is then open."""
    await page.goto(server.url("/moments/new"))
    await page.get_by_label("What would you like to share?").fill(body)
    for name in circles:
        await page.get_by_label(name, exact=True).check()
    if to:
        await page.get_by_text("Or choose people by name").click()
        for person in to:
            await page.get_by_label(f"{person.name} (@{person.handle})").check()
    if content_note:
        await page.get_by_label("Gentle content note (optional)").fill(content_note)
    await page.get_by_role("button", name="Share", exact=True).click()
    await page.wait_for_url(MOMENT_URL)
    await expect(heading(page)).to_have_text("Your moment")
    return id_in_url(page, MOMENT_URL)


async def make_circle_in_page(page: Page, server: LiveServer, name: str) -> int:
    await page.goto(server.url("/circles"))
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_role("button", name="Make circle").click()
    await expect(heading(page)).to_have_text(name)
    return id_in_url(page, CIRCLE_URL)


async def add_to_circle_in_page(
    page: Page, server: LiveServer, circle_id: int, name: str, person: Person
) -> None:
    await page.goto(server.url(f"/circles/{circle_id}"))
    await page.get_by_label("One of your connections").select_option(person.handle)
    await page.get_by_role("button", name=f"Add to {name}").click()
    await expect(page.get_by_role("status")).to_have_text("Added to the circle. They are not told.")
    await expect(page.get_by_role("link", name=person.name, exact=True)).to_be_visible()


async def block_in_page(page: Page, server: LiveServer, person: Person) -> None:
    """Block from the person's own page, as a member would."""
    await page.goto(server.url(f"/people/{person.handle}"))
    await page.get_by_role("link", name=f"Block {person.name}").click()
    await expect(page.get_by_label("Their handle")).to_have_value(person.handle)
    await page.get_by_role("button", name="Block", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("Blocked.")


async def look_back_at_today(page: Page, server: LiveServer) -> None:
    """Through the look-back form at the end of the feed, which offers today."""
    await page.goto(server.url("/feed?since=0"))
    await expect(heading(page, 2).filter(has_text="You're all caught up")).to_be_visible()
    await page.get_by_role("button", name="Look back").click()
    await page.wait_for_url(re.compile(r"/feed/day\?day=\d{4}-\d{2}-\d{2}$"))
    await expect(heading(page)).to_contain_text("Looking back:")


async def sees_moment(page: Page, server: LiveServer, moment_id: int, text: str) -> None:
    """The person finds the moment on the feed (from the beginning), today's look-back and
    its page."""
    await page.goto(server.url("/feed?since=0"))
    await expect(page.locator(f"#moment-{moment_id} .body")).to_have_text(text)
    await look_back_at_today(page, server)
    await expect(page.locator(f"#moment-{moment_id} .body")).to_have_text(text)
    response = await page.goto(server.url(f"/moments/{moment_id}"))
    assert response is not None and response.status == 200
    await expect(page.locator(f"#moment-{moment_id} .body")).to_have_text(text)


async def does_not_see_moment(page: Page, server: LiveServer, moment_id: int, text: str) -> None:
    """Nowhere: not on the feed (since the last look, nor from the very beginning), not when
    looking back at today, and its page answers exactly like a moment that does not exist."""
    for path in ("/feed", "/feed?since=0"):
        await page.goto(server.url(path))
        await expect(heading(page)).to_have_text("Your people")
        await expect(page.get_by_text(text)).to_have_count(0)
        await expect(page.locator(f"#moment-{moment_id}")).to_have_count(0)
    await look_back_at_today(page, server)
    await expect(page.get_by_text(text)).to_have_count(0)
    await expect(page.locator(f"#moment-{moment_id}")).to_have_count(0)
    await expect(page.get_by_text("Nothing was shared with you that day.")).to_be_visible()

    real = await page.goto(server.url(f"/moments/{moment_id}"))
    assert real is not None and real.status == 404
    real_title, real_main = await page.title(), await page.locator("main").inner_text()
    assert text not in await page.content()
    made_up = await page.goto(server.url(f"/moments/{MISSING_MOMENT}"))
    assert made_up is not None and made_up.status == 404
    assert (await page.title(), await page.locator("main").inner_text()) == (
        real_title,
        real_main,
    )
    assert "not here" in real_main, real_main


async def notification_texts(page: Page, server: LiveServer) -> list[str]:
    await page.goto(server.url("/notifications"))
    await expect(heading(page)).to_have_text("Notifications")
    return await page.locator("main ul.notifications a").all_inner_texts()


# -- 1. who sees a moment shared with a circle -------------------------------------------------
@pytest.mark.timeout(240)
async def test_circle_moment_reaches_only_the_circle(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    server = live_server
    alma, bruno, cleo, dara = await people(server, api, "Alma", "Bruno", "Cleo", "Dara")
    for other in (bruno, cleo, dara):
        await connect(api, alma, other)
    a_page = await sign_in(devices, server, alma)
    b_page = await sign_in(devices, server, bruno)
    c_page = await sign_in(devices, server, cleo)
    d_page = await sign_in(devices, server, dara)

    # Alma makes the circle "Family" with Bruno in it, and shares a moment with it.
    family = await make_circle_in_page(a_page, server, "Family")
    await add_to_circle_in_page(a_page, server, family, "Family", bruno)
    text = f"Grandma's 90th birthday cake came out perfect {uuid.uuid4().hex[:6]}"
    moment = await share_in_page(a_page, server, text, circles=["Family"])
    await expect(a_page.locator(f"#moment-{moment} .body")).to_have_text(text)
    audience = a_page.get_by_role("region", name="Whom you shared it with")
    await expect(audience.get_by_role("listitem")).to_have_text(
        ["Your circle Family (as it is now)"]
    )

    # Bruno finds it on his feed and answers it from its page.
    await b_page.goto(server.url("/feed"))
    shown = b_page.locator(f"#moment-{moment}")
    await expect(shown.locator(".body")).to_have_text(text)
    await expect(shown.get_by_role("heading")).to_contain_text("Alma")
    await shown.get_by_role("link", name=re.compile("^Answer privately")).click()
    await b_page.wait_for_url(server.url(f"/moments/{moment}"))
    await expect(heading(b_page)).to_have_text("A moment from Alma")
    await expect(b_page.get_by_role("heading", name="Answer Alma")).to_be_visible()
    answer = "Happy birthday to her! Save me a slice."
    await b_page.get_by_label("Your answer").fill(answer)
    await b_page.get_by_role("button", name="Send answer").click()
    await b_page.wait_for_url(CONVERSATION_URL)
    conversation = id_in_url(b_page, CONVERSATION_URL)
    await expect(heading(b_page)).to_have_text("Alma")
    sent = b_page.locator("#messages > li[id^='m-']").filter(has_text=answer)
    await expect(sent.locator(".moment-card")).to_contain_text("Answering a moment")
    await expect(sent.locator(".moment-card")).to_contain_text(text)

    # Alma finds the answer among her conversations: the quoted moment and Bruno's words.
    await a_page.goto(server.url("/conversations"))
    await a_page.locator("ul.conversations").get_by_role("link", name=re.compile("Bruno")).click()
    opened = re.escape(server.url(f"/conversations/{conversation}"))
    await a_page.wait_for_url(re.compile(opened + "(#.*)?$"))  # at the newest, or the first new
    await expect(heading(a_page)).to_have_text("Bruno")
    received = a_page.locator("#messages > li[id^='m-']").filter(has_text=answer)
    await expect(received).to_have_count(1)
    await expect(received).to_have_attribute("data-sender", re.compile("^bruno"))
    await expect(received).to_have_class(re.compile(r"\btheirs\b"))
    await expect(received.locator(".moment-card")).to_contain_text("Answering a moment")
    await expect(received.locator(".moment-card")).to_contain_text(text)
    await expect(received.locator(".body")).to_have_text(answer)

    # Cleo is connected with Alma but not in Family: the moment is nowhere for her.
    await does_not_see_moment(c_page, server, moment, text)
    assert not any("Alma" in t for t in await notification_texts(c_page, server))

    # Dara is added to Family afterwards: the earlier moment stays out of her sight, while a
    # moment shared with Family now reaches her.
    await add_to_circle_in_page(a_page, server, family, "Family", dara)
    await does_not_see_moment(d_page, server, moment, text)
    later = "Dinner at ours on Sunday, everyone welcome"
    later_moment = await share_in_page(a_page, server, later, circles=["Family"])
    await sees_moment(d_page, server, later_moment, later)
    await does_not_see_moment(c_page, server, later_moment, later)

    # Until Alma blocks him, Bruno sees it everywhere; after, nowhere.
    await sees_moment(b_page, server, moment, text)
    assert "Alma shared a moment with you." in await notification_texts(b_page, server)
    await block_in_page(a_page, server, bruno)
    await does_not_see_moment(b_page, server, moment, text)
    await does_not_see_moment(b_page, server, later_moment, later)
    assert not any("Alma" in t for t in await notification_texts(b_page, server))
    # Dara, still in Family and connected, still sees the later one.
    await sees_moment(d_page, server, later_moment, later)


# -- 2. the feed ends ---------------------------------------------------------------------------
@pytest.mark.timeout(180)
async def test_feed_pages_end_in_caught_up(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    server = live_server
    alma, bruno = await people(server, api, "Alma", "Bruno")
    await connect(api, alma, bruno)
    total = FEED_PAGE + 3
    shared = [f"Moment number {n} from the allotment" for n in range(1, total + 1)]
    for body in shared:
        await api_share(api, alma, body, to=[bruno])
    b_page = await sign_in(devices, server, bruno)

    async def read_to_the_end() -> list[list[str]]:
        """Follow "More new moments" until caught up; the bodies of each page."""
        pages: list[list[str]] = []
        while True:
            pages.append(await moments_shown(b_page).all_inner_texts())
            more = b_page.get_by_role("link", name="More new moments")
            if not await more.count():
                return pages
            assert len(pages) < 5, "the feed does not end"
            target = await more.get_attribute("href")
            assert target is not None and target.startswith("/feed?"), target
            await more.click()
            await b_page.wait_for_url(server.url(target))

    await b_page.goto(server.url("/feed"))
    await expect(moments_shown(b_page)).to_have_count(FEED_PAGE)
    await expect(b_page.get_by_role("heading", name="You're all caught up")).to_have_count(0)
    pages = await read_to_the_end()
    assert [len(p) for p in pages] == [FEED_PAGE, total - FEED_PAGE]
    seen = [body for page in pages for body in page]
    assert seen == list(reversed(shared))  # each once, newest first, none left out

    # The last page says so, and offers to meet in person or to look back on purpose (a day,
    # or the months of what was shared with you: pages that end), never more of the feed.
    caught_up = b_page.get_by_role("region", name="You're all caught up")
    await expect(caught_up).to_contain_text("That is everything new since you last looked.")
    links = caught_up.get_by_role("link")
    hrefs = await links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/gatherings/new", "/moments/shared"], hrefs
    await expect(caught_up.get_by_label("Look back at a day on purpose")).to_be_visible()
    main_links = await b_page.locator("main a").evaluate_all("links => links.map(a => a.href)")
    older = [h for h in main_links if "/feed?" in h or "before=" in h]
    assert not older, older

    await b_page.goto(server.url("/feed"))
    await expect(moments_shown(b_page)).to_have_count(0)
    await expect(b_page.get_by_role("region", name="You're all caught up")).to_contain_text(
        "Nothing new since you last looked."
    )
    await expect(b_page.get_by_role("link", name="More new moments")).to_have_count(0)

    # A pass is bounded by where it started: a moment shared while Bruno pages through waits
    # for his next look instead of slipping in (or pushing another out).
    second = [f"Second round, moment {n}" for n in range(1, FEED_PAGE + 2)]
    for body in second:
        await api_share(api, alma, body, to=[bruno])
    await b_page.reload()
    await expect(moments_shown(b_page)).to_have_count(FEED_PAGE)
    await api_share(api, alma, "Shared while Bruno was reading", to=[bruno])
    await b_page.get_by_role("link", name="More new moments").click()
    await expect(b_page.get_by_role("heading", name="You're all caught up")).to_be_visible()
    await expect(moments_shown(b_page)).to_have_text([second[0]])
    await b_page.goto(server.url("/feed"))
    await expect(moments_shown(b_page)).to_have_text(["Shared while Bruno was reading"])
    await expect(b_page.get_by_role("region", name="You're all caught up")).to_contain_text(
        "That is everything new since you last looked."
    )
    await b_page.reload()
    await expect(b_page.get_by_text("Nothing new since you last looked.")).to_be_visible()


# -- 3. a content note folds the moment ---------------------------------------------------------
async def test_content_note_folds_the_moment(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    server = live_server
    alma, bruno = await people(server, api, "Alma", "Bruno")
    await connect(api, alma, bruno)
    a_page = await sign_in(devices, server, alma)
    b_page = await sign_in(devices, server, bruno)
    text = "We said goodbye to our old dog Pepper this morning."
    moment = await share_in_page(a_page, server, text, to=[bruno], content_note="pet loss")

    for path in ("/feed", f"/moments/{moment}"):
        await b_page.goto(server.url(path))
        shown = b_page.locator(f"#moment-{moment}")
        folded = shown.locator("details")
        await expect(folded).to_have_js_property("open", False)
        await expect(folded.locator("summary")).to_have_text(
            "Content note: pet loss (open to read)"
        )
        await expect(shown.get_by_text(text)).to_be_hidden()
        await folded.locator("summary").click()
        await expect(folded).to_have_js_property("open", True)
        await expect(shown.get_by_text(text)).to_be_visible()


# -- 4. a live note on the feed -----------------------------------------------------------------
async def test_feed_notes_a_new_moment_live(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    server = live_server
    alma, bruno = await people(server, api, "Alma", "Bruno")
    await connect(api, alma, bruno)
    a_feed = await sign_in(devices, server, alma)
    b_page = await sign_in(devices, server, bruno)
    a_frames, b_frames = Frames.watch(a_feed), Frames.watch(b_page)
    await a_feed.goto(server.url("/feed"))
    await b_page.goto(server.url("/feed"))
    await expect(b_page.get_by_text("Nothing new since you last looked.")).to_be_visible()
    await eventually(lambda: a_frames.count("ready") >= 1, "Alma's feed listens")
    await eventually(lambda: b_frames.count("ready") >= 1, "Bruno's feed listens")
    await mark_loaded(b_page)
    # The live region is there, empty, from the start (a region that appears together with
    # its text is often not announced by screen readers).
    note = b_page.get_by_role("status")
    await expect(note).to_have_count(1)
    await expect(note).to_be_empty()

    # Alma shares from another tab; her own feed tab stays quiet.
    a_compose = await a_feed.context.new_page()
    text = "First swim of the year, the lake was freezing"
    moment = await share_in_page(a_compose, server, text, to=[bruno])

    await expect(note).to_be_visible()
    link = note.get_by_role("link", name="Something new from your people")
    await expect(link).to_have_attribute("href", "/feed")
    await expect(moments_shown(b_page)).to_have_count(0)  # nothing is pushed into the page
    await assert_not_reloaded(b_page)
    await eventually(lambda: a_frames.count("moment") >= 1, "Alma's feed hears of it")
    await expect(a_feed.get_by_role("status")).to_be_empty()

    await link.click()
    await expect(b_page.locator(f"#moment-{moment} .body")).to_have_text(text)


# -- 5. asking for support ----------------------------------------------------------------------
async def test_support_request_reaches_only_those_asked(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient
) -> None:
    server = live_server
    alma, bruno, cleo = await people(server, api, "Alma", "Bruno", "Cleo")
    await connect(api, alma, bruno)
    await connect(api, alma, cleo)
    a_page = await sign_in(devices, server, alma)
    b_page = await sign_in(devices, server, bruno)
    c_page = await sign_in(devices, server, cleo)
    text = "Rough week. A walk or a call would mean a lot."

    await a_page.goto(server.url("/feed"))
    await a_page.get_by_role("link", name="I could use some support").click()
    await expect(heading(a_page)).to_have_text("I could use some support")
    await a_page.get_by_label("Anything you want to say (optional)").fill(text)
    await a_page.get_by_label(f"Bruno (@{bruno.handle})").check()
    await a_page.get_by_role("button", name="Ask them").click()
    await a_page.wait_for_url(MOMENT_URL)
    moment = id_in_url(a_page, MOMENT_URL)
    await expect(a_page.get_by_role("heading", name="Whom you asked")).to_be_visible()
    asked = a_page.get_by_role("region", name="Whom you asked").get_by_role("listitem")
    await expect(asked).to_have_text([f"Bruno (@{bruno.handle})"])
    help_section = a_page.get_by_role("region", name="Help is there too")
    await expect(help_section).to_contain_text("emergency number")

    # Bruno is told, and the notification leads to ways of reaching out and the answer form.
    notice = "Alma could use some support. A message, a call or a visit would help."
    b_notices = b_page.locator("main ul.notifications").get_by_role("link", name=notice)
    await b_page.goto(server.url("/notifications"))
    await expect(b_notices).to_have_count(1)
    await expect(b_notices).to_have_attribute("href", f"/moments/{moment}")
    await b_notices.click()
    await b_page.wait_for_url(server.url(f"/moments/{moment}"))
    await expect(b_page.locator(f"#moment-{moment} .body")).to_have_text(text)
    await expect(b_page.locator(f"#moment-{moment} h2")).to_contain_text("could use some support")
    reach = b_page.get_by_role("region", name="Reach out")
    await expect(reach.get_by_role("listitem")).to_have_count(3)
    await expect(reach).to_contain_text("Send Alma a message below")
    await expect(b_page.get_by_role("heading", name="Answer Alma")).to_be_visible()
    await expect(b_page.get_by_label("Your answer")).to_be_editable()
    await expect(b_page.get_by_role("region", name="Whom you asked")).to_have_count(0)

    # Cleo was not asked: nothing tells her, and the request is nowhere for her.
    assert not any("Alma" in t for t in await notification_texts(c_page, server))
    await does_not_see_moment(c_page, server, moment, text)

    # Alma closes the request; Bruno's notification goes with it.
    await a_page.get_by_role("button", name="Close this request").click()
    await a_page.wait_for_url(server.url(f"/moments/{moment}"))
    await expect(a_page.locator(f"#moment-{moment} .meta")).to_contain_text("closed")
    await expect(a_page.get_by_role("button", name="Close this request")).to_have_count(0)
    await b_page.goto(server.url("/notifications"))
    await expect(b_notices).to_have_count(0)
    await b_page.goto(server.url(f"/moments/{moment}"))
    await expect(b_page.get_by_text("Alma closed this request.")).to_be_visible()
    await expect(b_page.get_by_role("region", name="Reach out")).to_have_count(0)


# -- 6. axe-core on every moments page, in its states -------------------------------------------
@pytest.mark.timeout(300)
async def test_moments_pages_pass_axe(
    live_server: LiveServer, devices: Devices, api: httpx.AsyncClient, a11y: A11yAudit
) -> None:
    server = live_server
    alma, bruno, cleo = await people(server, api, "Alma", "Bruno", "Cleo")
    await connect(api, alma, bruno)
    neighbours = await api_circle(api, alma, "Neighbours", bruno)
    a_page = await sign_in(devices, server, alma)
    b_page = await sign_in(devices, server, bruno)
    c_page = await sign_in(devices, server, cleo)  # connected with nobody

    # Alma's sharing settings: a reflection before sharing.
    await a_page.goto(server.url("/settings/moments"))
    await a11y.check(a_page, "sharing settings")
    await a_page.get_by_label("Show me a question to reflect on before I share a moment").check()
    await a_page.get_by_label("The question").fill("Would I say this to them in person?")
    await a_page.get_by_role("button", name="Save").click()
    await expect(a_page.get_by_role("status")).to_have_text("Saved.")
    await a11y.check(a_page, "sharing settings, saved")

    # The daily question of her circle, off and then on with her own wording.
    await a_page.goto(server.url(f"/circles/{neighbours}/prompt"))
    await expect(heading(a_page)).to_have_text("Daily question for Neighbours")
    await a11y.check(a_page, "daily question settings, off")
    await a_page.get_by_label("Offer a daily question to this circle").check()
    question = "What did you notice on your way home today?"
    await a_page.get_by_label("Write today's question yourself (optional)").fill(question)
    await a_page.get_by_role("button", name="Save").click()
    await expect(a_page.get_by_text(f"Today's question (yours): “{question}”")).to_be_visible()
    await a11y.check(a_page, "daily question settings, on")

    # Composing: clean (with the reflection), refused without an audience, then shared.
    await a_page.goto(server.url("/moments/new"))
    await expect(a_page.get_by_role("complementary", name="Before you share")).to_be_visible()
    await a11y.check(a_page, "compose, clean")
    text = "The plum tree finally flowered"
    await a_page.get_by_label("What would you like to share?").fill(text)
    await a_page.get_by_role("button", name="Share", exact=True).click()
    await expect(a_page.locator("#e-audience")).to_contain_text("Choose at least one circle")
    await expect(a_page.get_by_label("What would you like to share?")).to_have_value(text)
    await a11y.check(a_page, "compose, no audience chosen")
    await a_page.get_by_label("Neighbours", exact=True).check()
    await a_page.get_by_label("Gentle content note (optional)").fill("garden envy")
    await a_page.get_by_role("button", name="Share", exact=True).click()
    await a_page.wait_for_url(MOMENT_URL)
    moment = id_in_url(a_page, MOMENT_URL)
    await a11y.check(a_page, "moment, author")

    await a_page.get_by_role("link", name="Edit").click()
    await expect(heading(a_page)).to_have_text("Edit your moment")
    await a11y.check(a_page, "edit")
    await a_page.get_by_label("Your moment").fill("")
    await a_page.get_by_role("button", name="Save").click()
    await expect(a_page.locator("#e-body")).to_contain_text("Write a few words")
    await a11y.check(a_page, "edit, refused")
    await a_page.get_by_label("Your moment").fill(text + " at last")
    await a_page.get_by_role("button", name="Save").click()
    await a_page.wait_for_url(server.url(f"/moments/{moment}"))
    await expect(a_page.locator(f"#moment-{moment} .meta")).to_contain_text("edited")

    await a_page.goto(server.url("/moments/mine"))
    await expect(moments_shown(a_page)).to_have_count(1)
    await a11y.check(a_page, "your moments")

    # Asking for support: clean, refused without anyone chosen, then asked.
    await a_page.goto(server.url("/support/new"))
    await a11y.check(a_page, "support, clean")
    await a_page.get_by_role("button", name="Ask them").click()
    await expect(a_page.locator("#e-supporters")).to_contain_text("Choose at least one person")
    await a11y.check(a_page, "support, nobody chosen")
    await a_page.get_by_label(f"Bruno (@{bruno.handle})").check()
    await a_page.get_by_role("button", name="Ask them").click()
    await a_page.wait_for_url(MOMENT_URL)
    support = id_in_url(a_page, MOMENT_URL)
    await expect(a_page.get_by_role("heading", name="Help is there too")).to_be_visible()
    await a11y.check(a_page, "support, author")

    # Alma's own feed: her circle's question, nothing new from others.
    await a_page.goto(server.url("/feed"))
    await expect(a_page.get_by_role("heading", name="Today's question")).to_be_visible()
    await expect(a_page.get_by_text("Nothing new since you last looked.")).to_be_visible()
    await a11y.check(a_page, "feed, caught up with a question")

    # Bruno's feed: two moments and Alma's question; then caught up without it.
    await b_page.goto(server.url("/feed"))
    await expect(b_page.locator("section.moments article")).to_have_count(2)
    await expect(b_page.get_by_text(f"“{question}”")).to_be_visible()
    await a11y.check(b_page, "feed, moments and a question")
    await b_page.get_by_role("button", name="Not today").click()
    await b_page.wait_for_url(server.url("/feed"))
    await expect(b_page.get_by_role("heading", name="Today's question")).to_have_count(0)
    await expect(b_page.get_by_text("Nothing new since you last looked.")).to_be_visible()
    await a11y.check(b_page, "feed, caught up")

    # Looking back: today, an empty day and a day to come.
    await look_back_at_today(b_page, server)
    await expect(b_page.locator("section.moments article")).to_have_count(2)
    await a11y.check(b_page, "look back, today")
    await b_page.get_by_label("Another day").fill("2020-02-02")
    await b_page.get_by_role("button", name="Look back").click()
    await expect(b_page.get_by_text("Nothing was shared with you that day.")).to_be_visible()
    await a11y.check(b_page, "look back, an empty day")
    await b_page.goto(server.url("/feed/day?day=2999-01-01"))
    await expect(b_page.get_by_text("That day has not happened yet.")).to_be_visible()
    await expect(b_page.get_by_text("Nothing was shared with you that day.")).to_have_count(0)
    await a11y.check(b_page, "look back, a day to come")

    # The moment as Bruno reads it, and his answer refused when empty.
    await b_page.goto(server.url(f"/moments/{moment}"))
    await a11y.check(b_page, "moment, reader, folded")
    await b_page.locator(f"#moment-{moment} summary").click()
    await a11y.check(b_page, "moment, reader, opened")
    await b_page.get_by_role("button", name="Send answer").click()
    await expect(b_page.locator("#e-body")).to_be_visible()
    await a11y.check(b_page, "moment, reader, empty answer refused")
    await b_page.goto(server.url(f"/moments/{support}"))
    await expect(b_page.get_by_role("heading", name="Reach out")).to_be_visible()
    await a11y.check(b_page, "support, reader")

    # The day's question, refused empty, then answered.
    await b_page.goto(server.url(f"/prompts/{neighbours}"))
    await expect(b_page.get_by_text(f"“{question}”")).to_be_visible()
    await a11y.check(b_page, "daily question")
    await b_page.get_by_role("button", name="Share my answer").click()
    await expect(b_page.locator("#e-body")).to_be_visible()
    await a11y.check(b_page, "daily question, empty answer refused")
    await b_page.get_by_label("Your answer").fill("A heron on the canal lock")
    await b_page.get_by_role("button", name="Share my answer").click()
    await b_page.wait_for_url(MOMENT_URL)
    await expect(b_page.get_by_text(f"Answering: “{question}”")).to_be_visible()
    await a11y.check(b_page, "moment, author of an answer")

    # Notifications: unread, read, and none at all.
    await b_page.goto(server.url("/notifications"))
    await expect(b_page.locator("main ul.notifications li")).to_have_count(2)
    await a11y.check(b_page, "notifications, unread")
    await b_page.get_by_role("button", name="Mark all as read").click()
    await expect(b_page.locator("main ul.notifications li.unread")).to_have_count(0)
    await a11y.check(b_page, "notifications, read")
    await c_page.goto(server.url("/notifications"))
    await expect(c_page.get_by_text("Nothing here. You're all caught up.")).to_be_visible()
    await a11y.check(c_page, "notifications, none")

    # Someone with no connections yet.
    for path, name in (
        ("/feed", "feed, nobody yet"),
        ("/moments/new", "compose, no connections"),
        ("/support/new", "support, no connections"),
        ("/moments/mine", "your moments, none"),
    ):
        await c_page.goto(server.url(path))
        await a11y.check(c_page, name)

    assert len(a11y.checked) == len(set(a11y.checked)) >= 30, a11y.checked
