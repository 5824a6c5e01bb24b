"""A small believable community, built through the app's own API, and every page of the app.

Shared by the whole-app browser checks (``test_every_page.py``), the click budget, the
page-weight benchmark (``bench/page_weight.py``) and ``scripts/screenshots``
(``screenshots.py``).

The community: Maya Lind (the reader of most pages), Inês Duarte, Tom Okafor, Priya Nair and
Jonas Weber, connected to each other; Maya's circles "Family" and "Old flatmates" (with a
daily question); moments with text and one with two photos made by Pillow; a request for
support; a one-to-one between Maya and Inês of 60 messages (half yesterday evening, half
now); a group; a connection request and answers that leave notifications; Lee Carter, whom
Maya blocked; Sam Reyes, an administrator. Two gatherings: Maya's picnic with "Family",
three times to choose from (Inês and Priya have answered), and Inês's dinner at one time,
with Maya and Tom (Maya is going).
Tom's quiet hours are on now (he sees the wind-down page); everyone else's are off, so the
pages do not depend on the hour the tour runs at.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import json
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import time_machine
from PIL import Image
from playwright.async_api import Browser, BrowserContext, Page, Response

from socialode.accounts.access import access_viewer
from socialode.accounts.deps import SESSION_COOKIE
from socialode.app import create_app
from socialode.config import Settings
from socialode.conversations.actions import check_send
from socialode.platform.services import Services
from tests.browser.chat_people import Person, _sign_up, new_address
from tests.browser.conftest import (
    LiveServer,
)

ROOT = Path(__file__).resolve().parents[2]
SIZES = ((390, 844), (1280, 800))
THEMES = ("light", "dark")
ADMIN_PASSWORD = "copper-lantern-meadow-58"
TABS = ("Your people", "Conversations", "Share", "Notifications", "You")


@dataclass(frozen=True)
class TourPage:
    """One page of the app: ``path`` is formatted with the community's fields.

    ``who`` is whose browser opens it: "maya" (a member), "sam" (the administrator), "tom"
    (in his quiet hours) or "" (signed out). ``tab`` is the phone tab bar's entry that must
    be marked as the current page there. A ``post`` page is the answer to a form sent to
    ``path`` without ``confirm=yes``: the step that asks before something cannot be undone
    (nothing changes, so it can be visited again).
    """

    name: str
    path: str
    who: str = "maya"
    tab: str | None = None
    status: int = 200
    post: bool = False


PAGES: tuple[TourPage, ...] = (
    TourPage("feed", "/feed?since=0", tab="Your people"),
    TourPage("feed-day", "/feed/day?day={today}"),
    TourPage("moments-new", "/moments/new", tab="Share"),
    TourPage("moments-mine", "/moments/mine"),
    TourPage("moments-shared", "/moments/shared"),
    TourPage("moment", "/moments/{photo_moment}"),
    TourPage("moment-photo", "/moments/{photo_moment}/photos/2"),
    TourPage("moment-own", "/moments/{own_moment}"),
    TourPage("moment-edit", "/moments/{own_moment}/edit"),
    TourPage("support", "/moments/{support_moment}"),
    TourPage("support-new", "/support/new"),
    TourPage("conversations", "/conversations", tab="Conversations"),
    TourPage("conversation", "/conversations/{direct}"),
    TourPage("group", "/conversations/{group}"),
    TourPage("message-edit", "/messages/{own_message}/edit"),
    TourPage("notifications", "/notifications", tab="Notifications"),
    TourPage("connections", "/connections"),
    TourPage("search", "/search?q=o"),
    TourPage("circles", "/circles"),
    TourPage("circle", "/circles/{family}"),
    TourPage("circle-prompt", "/circles/{family}/prompt"),
    TourPage("prompt", "/prompts/{flatmates}"),
    TourPage("person", "/people/{ines_handle}"),
    TourPage("profile", "/u/{maya_handle}"),
    TourPage("you", "/you", tab="You"),
    TourPage("invites", "/invites"),
    TourPage("settings-profile", "/settings/profile"),
    TourPage("settings-password", "/settings/password"),
    TourPage("settings-sessions", "/settings/sessions"),
    TourPage("settings-chat", "/settings/chat"),
    TourPage("settings-notifications", "/settings/notifications"),
    TourPage("settings-devices", "/settings/devices"),
    TourPage("settings-moments", "/settings/moments"),
    TourPage("settings-safety", "/settings/safety"),
    TourPage("settings-appearance", "/settings/appearance"),
    TourPage("blocked", "/blocked"),
    TourPage("wellbeing", "/wellbeing"),
    TourPage("wellbeing-checkin", "/wellbeing/checkin/who5"),
    TourPage("wellbeing-result", "/wellbeing/checkins/{who5_checkin}"),
    TourPage("wellbeing-crisis", "/wellbeing/checkins/{phq9_checkin}"),
    TourPage("wellbeing-history", "/wellbeing/history"),
    TourPage("wellbeing-trends", "/wellbeing/trends"),
    TourPage("wellbeing-settings", "/wellbeing/settings"),
    TourPage("help", "/help"),
    TourPage("help-signed-out", "/help", who=""),
    TourPage("admin", "/admin", who="sam"),
    TourPage("report", "/report?kind=message&id={tom_group_message}"),
    TourPage("own-reports", "/reports", who="maya"),
    TourPage("moderation", "/moderation", who="sam"),
    TourPage("moderation-report", "/moderation/reports/{report}", who="sam"),
    TourPage("moderation-audit", "/moderation/audit", who="sam"),
    TourPage("decision", "/decisions/{decision}", who="jonas"),
    TourPage("wind-down", "/wind-down", who="tom"),
    TourPage("landing", "/", who=""),
    TourPage("login", "/login", who=""),
    TourPage("signup", "{invite_path}", who=""),
    TourPage("reset", "/reset", who=""),
    TourPage("reset-token", "{reset_path}", who=""),
    TourPage("waitlist-status", "{waitlist_path}", who=""),
    TourPage("not-found", "/no-such-page", who="", status=404),
    TourPage("offline", "/offline", who=""),
    TourPage("confirm-remove", "/connections/{jonas_handle}/remove", post=True),
    TourPage("confirm-leave", "/conversations/{group}/leave", post=True),
    TourPage("gatherings", "/gatherings"),
    TourPage("gathering-new", "/gatherings/new"),
    TourPage("gathering-poll", "/gatherings/{picnic}"),
    TourPage("gathering-fixed", "/gatherings/{dinner}"),
    TourPage("gathering-folded", "/gatherings/{walk}"),
    TourPage("gathering-edit", "/gatherings/{picnic}/edit"),
    TourPage("gathering-felt", "/gatherings/{dinner}/felt"),
    TourPage("gathering-calendar", "/gatherings/calendar"),
    TourPage("confirm-cancel-gathering", "/gatherings/{picnic}/cancel", post=True),
)


@dataclass
class Community:
    """The people (by first name, lower case) and the ids of what they made."""

    people: dict[str, Person] = field(default_factory=dict)
    zones: dict[str, str] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)

    def path(self, page: TourPage) -> str:
        return page.path.format(**self.ids)

    def person(self, who: str) -> Person:
        return self.people[who]


# The members, in the order they join: (key, name, zone, who invites them).
MEMBERS = (
    ("maya", "Maya Lind", "Europe/Stockholm", ""),
    ("ines", "Inês Duarte", "Europe/Lisbon", "maya"),
    ("tom", "Tom Okafor", "Europe/London", "maya"),
    ("priya", "Priya Nair", "Asia/Kolkata", "ines"),
    ("jonas", "Jonas Weber", "Europe/Berlin", "ines"),
    ("lee", "Lee Carter", "America/Toronto", "tom"),
)
CHAT = (
    "Are you around this weekend?",
    "Saturday morning works. The market by the river?",
    "Perfect. I'll bring the good coffee.",
    "How did the interview go in the end?",
    "Better than I feared. They asked about the garden project!",
    "Of course they did, you light up talking about it.",
)


def png(width: int, height: int, seed: int = 0) -> bytes:
    """A small picture made of pixels only: a soft gradient."""
    image = Image.new("RGB", (width, height))
    image.putdata(
        [
            ((40 + x // 3 + seed) % 256, (120 + y // 4) % 256, (150 + seed * 7) % 256)
            for y in range(height)
            for x in range(width)
        ]
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class Builder:
    """Makes the community through the JSON API of a running server."""

    def __init__(self, base_url: str, env: dict[str, str], suffix: str) -> None:
        self.api = httpx.AsyncClient(base_url=base_url, timeout=30)
        self.env = env
        self.suffix = suffix
        self.done = Community()

    async def call(self, who: str, method: str, path: str, **kw: Any) -> Any:
        person = self.done.people[who] if who else None
        headers = person.headers if person else {"X-Forwarded-For": new_address()}
        response = await self.api.request(method, "/api/v1" + path, headers=headers, **kw)
        assert response.status_code < 300, f"{method} {path}: {response.text}"
        self.api.cookies.clear()
        return response.json() if response.content else None

    async def cli(self, *args: str, env: dict[str, str] | None = None) -> str:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "socialode",
            *args,
            env={**self.env, **(env or {})},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
        assert proc.returncode == 0, err.decode()
        return out.decode()

    async def invite(self, by: str) -> str:
        if not by:
            return (await self.cli("invites", "create")).strip()
        link: str = (await self.call(by, "POST", "/me/invites", json={}))["link"]
        return link

    async def sign_up(self, key: str, name: str, zone: str, link: str) -> None:
        self.done.people[key] = await _sign_up(self.api, link, f"{key}{self.suffix}", name)
        self.done.zones[key] = zone
        await self.call(key, "PATCH", "/me", json={"timezone": zone})

    async def connect(self, a: str, b: str) -> None:
        for one, other in ((a, b), (b, a)):
            handle = self.done.people[other].handle
            await self.call(one, "POST", "/connections/requests", json={"handle": handle})

    async def circle(self, owner: str, name: str, *members: str) -> int:
        made = await self.call(owner, "POST", "/circles", json={"name": name})
        for member in members:
            handle = self.done.people[member].handle
            await self.call(owner, "PUT", f"/circles/{made['id']}/members/{handle}")
        return int(made["id"])

    async def share(self, who: str, body: str, **audience: Any) -> int:
        made = await self.call(who, "POST", "/moments", json={"body": body, **audience})
        return int(made["id"])

    async def send(self, who: str, conversation: int, body: str) -> int:
        payload = {"client_key": uuid.uuid4().hex, "body": body}
        made = await self.call(who, "POST", f"/conversations/{conversation}/messages", json=payload)
        return int(made["id"])

    async def quiet_hours(self, who: str, on: bool) -> None:
        local = datetime.now(ZoneInfo(self.done.zones[who]))
        start, end = local - timedelta(hours=1), local + timedelta(hours=3)
        hours = {"on": on, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
        await self.call(who, "PUT", "/settings/notifications", json={"quiet_hours": hours})

    async def build(self, mail_link: Any) -> Community:
        """Everything above; ``mail_link(address, path_part)`` reads a link from the outbox."""
        for key, name, zone, by in MEMBERS:
            await self.sign_up(key, name, zone, await self.invite(by))
        for key, *_ in MEMBERS:
            await self.quiet_hours(key, on=key == "tom")
        people = self.done.people
        ids = self.done.ids
        photo = {"avatar": ("ines.png", png(160, 160, 3), "image/png")}
        await self.call("ines", "PUT", "/me/avatar", files=photo)
        await self.call("maya", "PATCH", "/me", json={"bio": "Gardens, rivers, long letters."})
        for a, b in itertools.combinations(("maya", "ines", "tom", "priya", "jonas"), 2):
            if a == "maya" or (a, b) in (("ines", "tom"), ("ines", "priya")):
                await self.connect(a, b)
        ids["family"] = await self.circle("maya", "Family", "ines", "priya")
        ids["flatmates"] = await self.circle("maya", "Old flatmates", "tom", "jonas")
        question = {"enabled": True, "question": "What made you laugh this week?"}
        await self.call("maya", "PUT", f"/circles/{ids['flatmates']}/prompt", json=question)
        await self.call("tom", "PUT", f"/blocks/{people['lee'].handle}")
        await self.call("maya", "PUT", f"/blocks/{people['lee'].handle}")
        maya = [people["maya"].handle]
        await self.share(
            "tom", "Fixed the old bike at last. First ride to the sea tomorrow.", people=maya
        )
        photos = []
        for n, alt in enumerate(("Mist over a slow river at dawn", "")):
            upload = {"photo": (f"river{n}.png", png(640, 420, 11 + n), "image/png")}
            made = await self.call("ines", "POST", "/moments/photos", files=upload)
            photos.append({"id": made["id"], "alt": alt})
        ids["photo_moment"] = await self.share(
            "ines", "The river this morning, before anyone was up.", people=maya, photos=photos
        )
        await self.share("jonas", "Bread number four. Finally it rises.", people=maya)
        ids["own_moment"] = await self.share(
            "maya", "Planted the tulips with Grandma today.", circles=[ids["family"]]
        )
        support = {"body": "A heavy week. Could use a walk and a talk.", "supporters": maya}
        ids["support_moment"] = (
            await self.call("priya", "POST", "/moments/support", json=support)
        )["id"]
        answer = {"body": "Those colours! Which ones did you pick?", "client_key": uuid.uuid4().hex}
        await self.call("ines", "POST", f"/moments/{ids['own_moment']}/answers", json=answer)
        direct = await self.call(
            "maya", "POST", "/conversations/direct", json={"handle": people["ines"].handle}
        )
        ids["direct"] = int(direct["id"])
        await self.chat_over_two_days()
        members = [people[k].handle for k in ("tom", "jonas")]
        group = await self.call(
            "maya",
            "POST",
            "/conversations/groups",
            json={"name": "Sunday walk", "members": members},
        )
        ids["group"] = int(group["id"])
        ids["tom_group_message"] = await self.send(
            "tom", ids["group"], "Meet at the bridge at ten?"
        )
        await self.send("maya", ids["group"], "Yes! I'll bring a thermos.")
        await self.cli(
            "admin", "create", "--handle", f"sam{self.suffix}", "--email",
            f"sam{self.suffix}@example.org", "--display-name", "Sam Reyes",
            env={"SOCIALODE_ADMIN_PASSWORD": ADMIN_PASSWORD},
        )  # fmt: skip
        await self.admin_session()
        note = "We met at the community garden open day."  # shown with the request everywhere
        await self.call(
            "sam",
            "POST",
            "/connections/requests",
            json={"handle": people["maya"].handle, "note": note},
        )
        await self.check_ins()
        await self.gatherings()
        await self.reports()
        ids["invite_path"] = _path(await self.invite("maya"))
        waitlister = f"ada{self.suffix}@example.org"
        await self.call(
            "", "POST", "/waitlist", json={"email": waitlister, "reason": "My family is here."}
        )
        ids["waitlist_path"] = _path(mail_link(waitlister, "/waitlist/status/"))
        await self.call(
            "", "POST", "/auth/password-reset", json={"email": f"jonas{self.suffix}@example.org"}
        )
        ids["reset_path"] = _path(mail_link(f"jonas{self.suffix}@example.org", "/reset/"))
        ids["today"] = datetime.now(ZoneInfo(self.done.zones["maya"])).date().isoformat()
        ids.update({f"{k}_handle": p.handle for k, p in people.items()})
        await self.api.aclose()
        return self.done

    async def check_ins(self) -> None:
        """Maya's own check-ins: moods, two WHO-5s, a UCLA-3, and a PHQ-9 whose ninth answer
        shows crisis help first; she sees her mood beside her time with people."""
        ids = self.done.ids

        async def check_in(instrument: str, answers: dict[str, int], **extra: Any) -> int:
            body = {"instrument": instrument, "answers": answers, **extra}
            return int((await self.call("maya", "POST", "/wellbeing/checkins", json=body))["id"])

        await check_in("mood", {"mood": 3}, feelings=["tired", "hopeful"])
        await check_in("mood", {"mood": 4}, note="Long walk with Inês.")
        await check_in("who5", {"q1": 2, "q2": 2, "q3": 3, "q4": 2, "q5": 3})
        ids["who5_checkin"] = await check_in("who5", {"q1": 4, "q2": 3, "q3": 3, "q4": 3, "q5": 4})
        await check_in("ucla3", {"q1": 2, "q2": 1, "q3": 2})
        phq9 = {f"q{n}": 1 for n in range(1, 10)}
        ids["phq9_checkin"] = await check_in("phq9", phq9)
        await self.call("maya", "PATCH", "/wellbeing/settings", json={"line_up": True})

    async def gatherings(self) -> None:
        """Maya's picnic with "Family" (three times; Inês and Priya answered them) and Inês's
        dinner with Maya and Tom at one time (Maya is going). Times are typed without an
        offset, so they are in the proposer's own zone, as in the form."""
        ids, people = self.done.ids, self.done.people
        day = datetime.now(ZoneInfo(self.done.zones["maya"])).date()

        def span(days: int, start: int, end: int) -> dict[str, str]:
            on = day + timedelta(days=days)
            return {
                "starts_at": datetime.combine(on, dtime(start, 0)).isoformat(),
                "ends_at": datetime.combine(on, dtime(end, 0)).isoformat(),
            }

        picnic = {
            "title": "Picnic in the park",
            "description": "Bring a blanket; I'll make the lemonade.",
            "place": "Rålambshov park, by the big oak",
            "circle": ids["family"],
            "times": [span(9, 12, 15), span(10, 12, 15), span(16, 11, 14)],
        }
        made = (await self.call("maya", "POST", "/gatherings", json=picnic))["gathering"]
        ids["picnic"] = int(made["id"])
        options = [int(o["id"]) for o in made["options"]]
        for who, said in (("ines", ("yes", "if_needed", "no")), ("priya", ("yes", "no", "yes"))):
            answers = {"answers": dict(zip(map(str, options), said, strict=True))}
            await self.call(who, "PUT", f"/gatherings/{ids['picnic']}/answers", json=answers)
        dinner = {
            "title": "Dinner at ours",
            "place": "Rua das Flores 12, Lisbon",
            "people": [people[k].handle for k in ("maya", "tom")],
            "times": [span(12, 19, 22)],
        }
        made = (await self.call("ines", "POST", "/gatherings", json=dinner))["gathering"]
        ids["dinner"] = int(made["id"])
        await self.call("maya", "PUT", f"/gatherings/{ids['dinner']}/rsvp", json={"rsvp": "going"})

    async def reports(self) -> None:
        """Jonas sends words to the walk group anyway after the pause; Maya reports them (the
        report Sam reads), and reports his profile too, which Sam decides with a warning."""
        ids, people = self.done.ids, self.done.people
        words = {
            "client_key": uuid.uuid4().hex,
            "body": "Nobody wants you on this walk. Stay home, loser.",
        }
        url = f"/api/v1/conversations/{ids['group']}/messages"
        paused = await self.api.post(url, json=words, headers=people["jonas"].headers)
        assert paused.status_code == 409, paused.text
        anyway = {**words, "pause_token": paused.json()["pause"]["token"], "send_anyway": True}
        sent = await self.call(
            "jonas", "POST", f"/conversations/{ids['group']}/messages", json=anyway
        )
        report = {
            "kind": "message",
            "id": sent["id"],
            "reason": "bullying",
            "note": "Not the first time.",
        }
        ids["report"] = (await self.call("maya", "POST", "/reports", json=report))["id"]
        profile = {"kind": "profile", "handle": people["jonas"].handle, "reason": "other"}
        ids["decision"] = (await self.call("maya", "POST", "/reports", json=profile))["id"]
        warning = {"action": "warn", "reason": "Please keep the group kind to everyone."}
        await self.call(
            "sam", "POST", f"/moderation/reports/{ids['decision']}/decision", json=warning
        )
        # A walk Jonas proposes anyway after the pause; Maya folds such words (her choice),
        # so the walk, and his words in the group, wait behind "This may be hurtful — show?".
        on = (datetime.now(UTC) + timedelta(days=20)).date()
        walk = {
            "title": "Walk without the slow ones",
            "description": "Nobody wants you on this walk. Stay home, loser.",
            "people": [people["maya"].handle],
            "times": [
                {
                    "starts_at": datetime.combine(on, dtime(10, 0)).isoformat(),
                    "ends_at": datetime.combine(on, dtime(12, 0)).isoformat(),
                }
            ],
        }
        held = await self.api.post("/api/v1/gatherings", json=walk, headers=people["jonas"].headers)
        assert held.status_code == 409, held.text
        walk |= {"pause_token": held.json()["pause"]["token"], "send_anyway": True}
        made = (await self.call("jonas", "POST", "/gatherings", json=walk))["gathering"]
        ids["walk"] = int(made["id"])
        await self.call("maya", "PUT", "/safety/settings", json={"fold_hurtful": True})

    async def chat_over_two_days(self) -> None:
        """Maya and Inês: 30 messages yesterday evening (Maya's time), then 30 now.

        The server's clock cannot be set, so yesterday's are sent by the app's own action
        in a process of their own whose clock was set back (``send_back_then``)."""
        ids, people = self.done.ids, self.done.people
        turns = [
            ("maya" if n % 3 != 1 else "ines", f"{CHAT[n % len(CHAT)]} ({n + 1})")
            for n in range(60)
        ]
        zone = ZoneInfo(self.done.zones["maya"])
        today = datetime.now(zone).date()
        evening = datetime.combine(today - timedelta(days=1), dtime(19, 0), zone)
        plan = {
            "conversation": ids["direct"],
            "start": evening.astimezone(UTC).isoformat(),
            "turns": [(people[who].token, body) for who, body in turns[:30]],
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.browser.pages_tour",
            "--send-back-then",
            env=self.env,
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(proc.communicate(json.dumps(plan).encode()), timeout=120)
        assert proc.returncode == 0, err.decode()
        for who, body in turns[30:]:
            sent = await self.send(who, ids["direct"], body)
            if who == "maya":
                ids["own_message"] = sent

    async def admin_session(self) -> None:
        address = new_address()
        handle = f"sam{self.suffix}"
        login = {"login": handle, "password": ADMIN_PASSWORD}
        response = await self.api.post(
            "/api/v1/auth/login", json=login, headers={"X-Forwarded-For": address}
        )
        assert response.status_code == 200, response.text
        self.api.cookies.clear()
        self.done.people["sam"] = Person(
            handle, "Sam Reyes", response.json()["session_token"], address
        )
        self.done.zones["sam"] = "UTC"


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


# -- browsers -------------------------------------------------------------------------------------
async def open_as(
    browser: Browser,
    server: LiveServer,
    community: Community,
    who: str,
    width: int,
    theme: str,
    language: str = "en",
) -> BrowserContext:
    """A browser context of ``who`` (signed in by their session cookie; "" signed out) with a
    window of ``width`` (phone or desktop height), the system theme ``theme`` and a browser
    asking for ``language``."""
    height = dict(SIZES)[width]
    person = community.people.get(who)
    address = person.address if person else new_address()
    context = await browser.new_context(
        locale=language.replace("_", "-"),
        viewport={"width": width, "height": height},
        color_scheme="dark" if theme == "dark" else "light",
        extra_http_headers={"X-Forwarded-For": address},
        is_mobile=width < 600,
        has_touch=width < 600,
    )
    context.set_default_timeout(15_000)
    if person:
        cookie = {"name": SESSION_COOKIE, "value": person.token, "url": server.base_url}
        await context.add_cookies([cookie])  # type: ignore[list-item]
    return context


SUBMIT = """(action) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  document.body.append(form);
  form.submit();
}"""


async def visit(page: Page, base_url: str, spec: TourPage, path: str) -> Response | None:
    """Open the page (a ``post`` page: send an empty form to it from one of our pages)."""
    if not spec.post:
        return await page.goto(base_url + path)
    await page.goto(base_url + "/you")
    async with page.expect_navigation() as navigation:
        await page.evaluate(SUBMIT, path)
    return await navigation.value


async def build_community(server: LiveServer, suffix: str = "") -> Community:
    return await Builder(server.base_url, server.env, suffix).build(server.link_in_mail)


# -- yesterday's messages -----------------------------------------------------------------------
async def send_back_then(plan: dict[str, Any]) -> None:
    """Send ``plan["turns"]`` (session token, text) to ``plan["conversation"]`` through the
    app's own action, four minutes apart from ``plan["start"]``, this process's clock set to
    each moment. Run in a process of its own with the server's settings."""
    settings = Settings()
    create_app(settings)  # registers the notification kinds and job handlers sending uses
    svc = Services.build(settings)
    start = datetime.fromisoformat(plan["start"])
    try:
        for n, (token, body) in enumerate(plan["turns"]):
            with time_machine.travel(start + timedelta(minutes=4 * n), tick=False):
                async with svc.db.sessions() as db:
                    viewer = await access_viewer(db, token)
                assert viewer is not None, "no such session"
                await check_send(svc, viewer, plan["conversation"], uuid.uuid4().hex, body)
    finally:
        await svc.close()


def main() -> None:
    """``--send-back-then``: see ``send_back_then`` (the plan comes on stdin)."""
    if sys.argv[1:] != ["--send-back-then"]:
        sys.exit("usage: python -m tests.browser.pages_tour --send-back-then < plan.json")
    asyncio.run(send_back_then(json.loads(sys.stdin.read())))


if __name__ == "__main__":
    main()
