"""Blocking is absolute and symmetric, checked over the whole route table.

Ada blocks Bob. Then, for every route the app serves, each of them asks about the other the
way the route allows (a handle, a conversation, a message, an avatar) and the answer must be
exactly the answer for something that does not exist; every listing must leave the other
out. The table below must name every route: a route added without an entry fails the suite.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from socialode.platform.services import Services
from tests.conversations.people import (
    Member,
    Stream,
    connect,
    direct,
    group,
    members,
    send,
    served,
)

MISSING_HANDLE = "nobody_here"
MISSING_ID = 999_999


@dataclass
class World:
    ada: Member
    bob: Member
    cy: Member
    direct_id: int  # Ada and Bob's one-to-one
    group_id: int  # Cy's group with both of them
    messages: dict[str, int]  # "ada"/"bob" → their message in the one-to-one
    circles: dict[str, int]  # "ada"/"bob" → a circle of theirs that held the other
    avatars: dict[str, str] = field(default_factory=dict)  # → avatar path of each
    moments: dict[str, int] = field(default_factory=dict)  # → a moment of each for the other
    photos: dict[str, str] = field(default_factory=dict)  # → that moment's photo key
    chat_photos: dict[str, str] = field(default_factory=dict)  # → their photo in the one-to-one
    gatherings: dict[str, int] = field(default_factory=dict)  # → one each planned with the other

    def other(self, who: Member) -> Member:
        return self.bob if who is self.ada else self.ada


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (120, 160, 200)).save(buffer, "PNG")
    return buffer.getvalue()


async def build_world(
    client: httpx.AsyncClient, services: Services, *, block: bool = True
) -> World:
    services.settings.rate_messages = "100000/minute"
    ada, bob, cy = await members(client, services, "ada_blk", "bob_blk", "cy_blk")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    await connect(client, bob, cy)
    one = await direct(client, ada, bob)
    trio = await group(client, cy, "Trio", ada, bob)
    messages = {}
    for who in (ada, bob):
        sent = await send(client, who, one, f"words from {who.handle}")
        messages[who.handle.split("_")[0]] = sent.json()["id"]
        assert (await send(client, who, trio, f"group words from {who.handle}")).status_code == 201
    circles = {}
    avatars = {}
    for who in (ada, bob):
        other = bob if who is ada else ada
        made = await client.post("/api/v1/circles", json={"name": "Close"}, headers=who.headers)
        assert made.status_code == 201, made.text
        circle_id = made.json()["id"]
        added = await client.put(
            f"/api/v1/circles/{circle_id}/members/{other.handle}", headers=who.headers
        )
        assert added.status_code == 200, added.text
        circles[who.handle.split("_")[0]] = circle_id
        upload = await client.put(
            "/api/v1/me/avatar",
            files={"avatar": ("a.png", _png(), "image/png")},
            headers=who.headers,
        )
        assert upload.status_code == 200, upload.text
        avatars[who.handle.split("_")[0]] = upload.json()["avatar_url"]
    moments, photos = await _moments(client, ada, bob, circles)
    chat_photos = {}
    for who in (ada, bob):
        sent = await client.post(
            f"/api/v1/conversations/{one}/messages/photo",
            data={"client_key": f"photo-{who.handle}", "body": ""},
            files={"photo": ("p.png", _png(), "image/png")},
            headers=who.headers,
        )
        assert sent.status_code == 201, sent.text
        url = sent.json()["photo"]["url"]
        chat_photos[who.handle.split("_")[0]] = url.rsplit("/", 1)[1].removesuffix(".jpg")
    gatherings = {}
    for who, other in ((ada, bob), (bob, ada)):  # planned before the block, with Cy too
        planned = await client.post(
            "/api/v1/gatherings",
            json={"title": "Picnic", "people": [other.handle, cy.handle], "times": a_time()},
            headers=who.headers,
        )
        assert planned.status_code == 201, planned.text
        gatherings[who.handle.split("_")[0]] = planned.json()["gathering"]["id"]
    if block:
        blocked = await client.put(f"/api/v1/blocks/{bob.handle}", headers=ada.headers)
        assert blocked.status_code == 204, blocked.text
    return World(
        ada,
        bob,
        cy,
        one,
        trio,
        messages,
        circles,
        avatars,
        moments,
        photos,
        chat_photos,
        gatherings,
    )


def a_time(days: int = 3) -> list[dict[str, str]]:
    """One time a few days ahead, in the members' own zone."""
    day = (datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(days=days)).date().isoformat()
    return [{"starts_at": f"{day}T18:00:00", "ends_at": f"{day}T20:00:00"}]


async def _moments(
    client: httpx.AsyncClient, ada: Member, bob: Member, circles: dict[str, int]
) -> tuple[dict[str, int], dict[str, str]]:
    """Ada shares a moment with her circle, Bob one with Ada by name; each with a photo, each
    circle with its daily question on, and each asks the other for support."""
    moments: dict[str, int] = {}
    photos: dict[str, str] = {}
    for who, other in ((ada, bob), (bob, ada)):
        name = who.handle.split("_")[0]
        upload = await client.post(
            "/api/v1/moments/photos",
            files={"photo": ("p.png", _png(), "image/png")},
            headers=who.headers,
        )
        assert upload.status_code == 201, upload.text
        audience = {"circles": [circles[name]]} if who is ada else {"people": [other.handle]}
        made = await client.post(
            "/api/v1/moments",
            json={"body": f"moment of {name}", "photo_id": upload.json()["id"], **audience},
            headers=who.headers,
        )
        assert made.status_code == 201, made.text
        moments[name] = made.json()["id"]
        photos[name] = made.json()["photo"]["url"].rsplit("/", 1)[1].removesuffix(".jpg")
        prompt = await client.put(
            f"/api/v1/circles/{circles[name]}/prompt", json={"enabled": True}, headers=who.headers
        )
        assert prompt.status_code == 200, prompt.text
        support = await client.post(
            "/api/v1/moments/support", json={"supporters": [other.handle]}, headers=who.headers
        )
        assert support.status_code == 201, support.text
    return moments, photos


# -- how each route is probed ----------------------------------------------------------------
@dataclass(frozen=True)
class Probe:
    """Ask the route about the other person (``mine``) and about nothing (``missing``)."""

    kind: str  # "same": answers must match; "hidden": the other must not appear; "exempt"
    why: str = ""
    params: tuple[str, ...] = ()  # which {params} refer to the other person or their things
    body: dict[str, str] | None = None  # JSON or form fields, with "{handle}" filled in
    form: bool = False
    directions: tuple[str, ...] = ("ada", "bob")  # who asks
    query: str = ""  # appended to the URL ("{day}" is today in the members' time zone)


def same(*params: str, body: dict[str, str] | None = None, form: bool = False) -> Probe:
    return Probe("same", params=params, body=body, form=form)


def hidden(*, directions: tuple[str, ...] = ("ada", "bob"), query: str = "") -> Probe:
    return Probe("hidden", directions=directions, query=query)


def exempt(why: str) -> Probe:
    return Probe("exempt", why=why)


NOT_ABOUT_PEOPLE = "takes no person and shows nobody else"
OWN_THINGS = "acts only on the asker's own account or records, by their own id"
PUBLIC = "public page for people who are not signed in"
ADMIN = "operator tools (admins only); the block rule is between members"
MODERATORS = "moderators' tools: each report holds only what its reporter could see"

ROUTES: dict[tuple[str, str], Probe] = {
    # -- platform and public -----------------------------------------------------------------
    ("GET", "/healthz"): exempt(NOT_ABOUT_PEOPLE),
    ("GET", "/api/v1/openapi.json"): exempt(NOT_ABOUT_PEOPLE),
    ("GET", "/"): hidden(),
    ("POST", "/waitlist"): exempt(PUBLIC),
    ("GET", "/waitlist/status/{signed}"): exempt(PUBLIC),
    ("GET", "/invite/{token}"): exempt(PUBLIC),
    ("POST", "/invite/{token}"): exempt(PUBLIC),
    ("GET", "/login"): exempt(PUBLIC),
    ("POST", "/login"): exempt(PUBLIC),
    ("POST", "/logout"): exempt(OWN_THINGS),
    ("GET", "/reset"): exempt(PUBLIC),
    ("POST", "/reset"): exempt(PUBLIC),
    ("GET", "/reset/{token}"): exempt(PUBLIC),
    ("POST", "/reset/{token}"): exempt(PUBLIC),
    ("POST", "/api/v1/waitlist"): exempt(PUBLIC),
    ("GET", "/api/v1/waitlist/status/{signed}"): exempt(PUBLIC),
    ("GET", "/api/v1/invites/{token}"): exempt(PUBLIC),
    ("POST", "/api/v1/auth/signup"): exempt(PUBLIC),
    ("POST", "/api/v1/auth/login"): exempt(PUBLIC),
    ("POST", "/api/v1/auth/logout"): exempt(OWN_THINGS),
    ("POST", "/api/v1/auth/password"): exempt(OWN_THINGS),
    ("POST", "/api/v1/auth/password-reset"): exempt(PUBLIC),
    ("POST", "/api/v1/auth/password-reset/confirm"): exempt(PUBLIC),
    ("GET", "/api/v1/session"): exempt(OWN_THINGS),
    # -- accounts ------------------------------------------------------------------------------
    ("GET", "/u/{handle}"): same("handle"),
    ("GET", "/media/avatars/{key}/{size}.jpg"): same("key"),
    ("GET", "/settings/profile"): hidden(),
    ("POST", "/settings/profile"): exempt(OWN_THINGS),
    ("POST", "/settings/avatar/remove"): exempt(OWN_THINGS),
    ("GET", "/settings/password"): exempt(OWN_THINGS),
    ("GET", "/you"): exempt(OWN_THINGS),
    ("GET", "/settings/appearance"): exempt(OWN_THINGS),
    ("POST", "/settings/appearance"): exempt(OWN_THINGS),
    ("POST", "/settings/language"): exempt(OWN_THINGS),
    ("POST", "/settings/password"): exempt(OWN_THINGS),
    ("GET", "/settings/sessions"): hidden(),
    ("POST", "/settings/sessions/{session_id}/end"): exempt(OWN_THINGS),
    ("GET", "/invites"): hidden(),
    ("POST", "/invites"): exempt(OWN_THINGS),
    ("POST", "/invites/{invite_id}/withdraw"): exempt(OWN_THINGS),
    ("GET", "/admin"): exempt(ADMIN),
    ("POST", "/admin/release"): exempt(ADMIN),
    ("POST", "/admin/jobs/{job_id}/retry"): exempt(ADMIN),
    ("POST", "/admin/users/{handle}/role"): exempt(ADMIN),
    ("GET", "/api/v1/me"): hidden(),
    ("PATCH", "/api/v1/me"): exempt(OWN_THINGS),
    ("PUT", "/api/v1/me/avatar"): exempt(OWN_THINGS),
    ("DELETE", "/api/v1/me/avatar"): exempt(OWN_THINGS),
    ("GET", "/api/v1/sessions"): hidden(),
    ("DELETE", "/api/v1/sessions/{session_id}"): exempt(OWN_THINGS),
    ("GET", "/api/v1/me/invites"): hidden(),
    ("POST", "/api/v1/me/invites"): exempt(OWN_THINGS),
    ("DELETE", "/api/v1/me/invites/{invite_id}"): exempt(OWN_THINGS),
    ("GET", "/api/v1/admin/waitlist"): exempt(ADMIN),
    ("POST", "/api/v1/admin/invites/release"): exempt(ADMIN),
    ("PUT", "/api/v1/admin/users/{handle}/role"): exempt(ADMIN),
    # -- circles: connections, circles, people, blocks, mutes -------------------------------
    ("GET", "/api/v1/connections"): hidden(),
    ("DELETE", "/api/v1/connections/{handle}"): same("handle"),
    ("GET", "/api/v1/connections/requests"): hidden(),
    ("POST", "/api/v1/connections/requests"): same(body={"handle": "{handle}"}),
    ("POST", "/api/v1/connections/requests/{request_id}/accept"): exempt(OWN_THINGS),
    ("POST", "/api/v1/connections/requests/{request_id}/decline"): exempt(OWN_THINGS),
    ("DELETE", "/api/v1/connections/requests/{request_id}"): exempt(OWN_THINGS),
    ("GET", "/api/v1/circles"): hidden(),
    ("POST", "/api/v1/circles"): exempt(OWN_THINGS),
    ("GET", "/api/v1/circles/{circle_id}"): hidden(),
    ("PATCH", "/api/v1/circles/{circle_id}"): exempt(OWN_THINGS),
    ("DELETE", "/api/v1/circles/{circle_id}"): exempt(OWN_THINGS),
    ("PUT", "/api/v1/circles/{circle_id}/members/{handle}"): same("handle"),
    ("DELETE", "/api/v1/circles/{circle_id}/members/{handle}"): same("handle"),
    ("GET", "/api/v1/blocks"): hidden(directions=("bob",)),  # the blocker sees whom she blocked
    ("PUT", "/api/v1/blocks/{handle}"): Probe("same", params=("handle",), directions=("bob",)),
    ("DELETE", "/api/v1/blocks/{handle}"): Probe("same", params=("handle",), directions=("bob",)),
    ("GET", "/api/v1/mutes"): hidden(),
    ("PUT", "/api/v1/mutes/{handle}"): same("handle"),
    ("DELETE", "/api/v1/mutes/{handle}"): same("handle"),
    ("GET", "/api/v1/people/{handle}"): same("handle"),
    ("GET", "/api/v1/people/{handle}/avatar/{size}"): same("handle"),
    # Search finds only your own connections and circles: "blk" is in all three handles.
    ("GET", "/api/v1/search"): hidden(query="q=blk"),
    ("GET", "/search"): hidden(query="q=blk"),
    ("GET", "/connections"): hidden(),
    ("POST", "/connections/requests"): same(body={"handle": "{handle}"}, form=True),
    ("POST", "/connections/requests/{request_id}/accept"): exempt(OWN_THINGS),
    ("POST", "/connections/requests/{request_id}/decline"): exempt(OWN_THINGS),
    ("POST", "/connections/requests/{request_id}/withdraw"): exempt(OWN_THINGS),
    ("POST", "/connections/{handle}/remove"): same("handle"),
    ("POST", "/connections/{handle}/mute"): same("handle"),
    ("POST", "/connections/{handle}/unmute"): same("handle"),
    ("GET", "/people/{handle}"): same("handle"),
    ("POST", "/people/{handle}/connect"): same("handle"),
    ("POST", "/people/{handle}/circles"): same("handle"),
    ("GET", "/api/v1/people/{handle}/moments"): same("handle"),
    ("GET", "/circles"): hidden(),
    ("POST", "/circles"): exempt(OWN_THINGS),
    ("GET", "/circles/{circle_id}"): hidden(),
    ("POST", "/circles/{circle_id}/rename"): exempt(OWN_THINGS),
    ("POST", "/circles/{circle_id}/delete"): exempt(OWN_THINGS),
    ("POST", "/circles/{circle_id}/members"): same(body={"handle": "{handle}"}, form=True),
    ("POST", "/circles/{circle_id}/members/{handle}/remove"): same("handle"),
    ("GET", "/blocked"): hidden(directions=("bob",)),
    ("POST", "/blocked"): Probe(
        "same", body={"handle": "{handle}"}, form=True, directions=("bob",)
    ),
    ("POST", "/blocked/{handle}/unblock"): Probe("same", params=("handle",), directions=("bob",)),
    # -- conversations -------------------------------------------------------------------------
    ("GET", "/api/v1/conversations"): hidden(),
    ("POST", "/api/v1/conversations/direct"): same(body={"handle": "{handle}"}),
    ("POST", "/api/v1/conversations/groups"): same(body={"name": "Us", "members": "{handle}"}),
    ("GET", "/api/v1/conversations/{conversation_id}"): same("conversation_id"),
    ("PATCH", "/api/v1/conversations/{conversation_id}"): same("conversation_id"),
    ("POST", "/api/v1/conversations/{conversation_id}/members"): same("conversation_id"),
    ("DELETE", "/api/v1/conversations/{conversation_id}/members/{handle}"): same(
        "conversation_id", "handle"
    ),
    ("POST", "/api/v1/conversations/{conversation_id}/leave"): same("conversation_id"),
    ("POST", "/api/v1/conversations/{conversation_id}/messages"): same("conversation_id"),
    ("POST", "/api/v1/conversations/{conversation_id}/messages/photo"): same("conversation_id"),
    ("POST", "/api/v1/conversations/{conversation_id}/read"): same("conversation_id"),
    ("PATCH", "/api/v1/messages/{message_id}"): same("message_id"),
    ("DELETE", "/api/v1/messages/{message_id}"): same("message_id"),
    ("GET", "/api/v1/settings/chat"): exempt(OWN_THINGS),
    ("PUT", "/api/v1/settings/chat"): exempt(OWN_THINGS),
    ("GET", "/conversations"): hidden(),
    ("POST", "/conversations/direct"): same(body={"handle": "{handle}"}, form=True),
    ("POST", "/conversations/groups"): same(body={"name": "Us", "members": "{handle}"}, form=True),
    ("GET", "/conversations/{conversation_id}"): same("conversation_id"),
    ("POST", "/conversations/{conversation_id}/messages"): same("conversation_id"),
    ("POST", "/conversations/{conversation_id}/members"): same("conversation_id"),
    ("POST", "/conversations/{conversation_id}/members/{handle}/remove"): same(
        "conversation_id", "handle"
    ),
    ("POST", "/conversations/{conversation_id}/rename"): same("conversation_id"),
    ("POST", "/conversations/{conversation_id}/leave"): same("conversation_id"),
    ("GET", "/messages/{message_id}/edit"): same("message_id"),
    ("POST", "/messages/{message_id}/edit"): same("message_id"),
    ("POST", "/messages/{message_id}/delete"): same("message_id"),
    ("GET", "/settings/chat"): exempt(OWN_THINGS),
    ("POST", "/settings/chat"): exempt(OWN_THINGS),
    # -- moments, prompts and notifications ---------------------------------------------------
    ("GET", "/api/v1/feed"): hidden(),
    ("GET", "/api/v1/feed/days/{day}"): hidden(),
    ("GET", "/api/v1/moments/mine"): hidden(),
    ("GET", "/api/v1/moments/shared"): hidden(),
    ("POST", "/api/v1/moments"): same(body={"body": "hi", "people": "{handle}"}),
    ("POST", "/api/v1/moments/support"): same(body={"supporters": "{handle}"}),
    ("POST", "/api/v1/moments/photos"): exempt(OWN_THINGS),
    ("DELETE", "/api/v1/moments/photos/{photo_id}"): exempt(OWN_THINGS),
    ("GET", "/api/v1/moments/{moment_id}"): same("moment_id"),
    ("PATCH", "/api/v1/moments/{moment_id}"): same("moment_id"),
    ("DELETE", "/api/v1/moments/{moment_id}"): same("moment_id"),
    ("POST", "/api/v1/moments/{moment_id}/close"): same("moment_id"),
    ("POST", "/api/v1/moments/{moment_id}/answers"): same("moment_id"),
    ("GET", "/api/v1/prompts"): hidden(),
    ("POST", "/api/v1/prompts/{circle_id}/answers"): same("circle_id"),
    ("POST", "/api/v1/prompts/{circle_id}/set-aside"): same("circle_id"),
    ("GET", "/api/v1/circles/{circle_id}/prompt"): exempt(OWN_THINGS),
    ("PUT", "/api/v1/circles/{circle_id}/prompt"): exempt(OWN_THINGS),
    ("GET", "/api/v1/settings/moments"): exempt(OWN_THINGS),
    ("PUT", "/api/v1/settings/moments"): exempt(OWN_THINGS),
    ("GET", "/api/v1/notifications"): hidden(),
    ("POST", "/api/v1/notifications/read"): exempt(OWN_THINGS),
    ("GET", "/feed"): hidden(),
    ("GET", "/feed/day"): hidden(query="day={day}"),
    ("GET", "/moments/mine"): hidden(),
    ("GET", "/moments/shared"): hidden(),
    ("GET", "/moments/new"): hidden(),
    ("POST", "/moments"): same(body={"body": "hi", "people": "{handle}"}, form=True),
    ("GET", "/moments/{moment_id}"): same("moment_id"),
    ("GET", "/moments/{moment_id}/edit"): same("moment_id"),
    ("GET", "/moments/{moment_id}/photos/{number}"): same("moment_id"),
    ("POST", "/moments/{moment_id}/edit"): same("moment_id"),
    ("POST", "/moments/{moment_id}/delete"): same("moment_id"),
    ("POST", "/moments/{moment_id}/close"): same("moment_id"),
    ("POST", "/moments/{moment_id}/answer"): same("moment_id"),
    ("GET", "/support/new"): hidden(),
    ("POST", "/support"): same(body={"supporters": "{handle}"}, form=True),
    ("GET", "/media/moments/{photo_key}.jpg"): same("photo_key"),
    # Message photos across a block: tests/conversations/test_chat_photos.py.
    ("GET", "/media/messages/{photo_key}.jpg"): same("photo_key"),
    ("GET", "/settings/moments"): exempt(OWN_THINGS),
    ("POST", "/settings/moments"): exempt(OWN_THINGS),
    ("GET", "/api/v1/safety/settings"): exempt(OWN_THINGS),
    ("PUT", "/api/v1/safety/settings"): exempt(OWN_THINGS),
    ("GET", "/settings/safety"): exempt(OWN_THINGS),
    # -- moderation ----------------------------------------------------------------------------
    ("GET", "/report"): Probe("same", query="kind=profile&handle={handle}"),
    ("POST", "/report"): same(
        body={"kind": "profile", "handle": "{handle}", "reason": "spam"}, form=True
    ),
    ("POST", "/api/v1/reports"): same(
        body={"kind": "profile", "handle": "{handle}", "reason": "spam"}
    ),
    ("GET", "/moderation"): exempt(MODERATORS),
    ("GET", "/moderation/reports/{report_id}"): exempt(MODERATORS),
    ("POST", "/moderation/reports/{report_id}/decision"): exempt(MODERATORS),
    ("GET", "/moderation/audit"): exempt(MODERATORS),
    ("GET", "/api/v1/moderation/reports"): exempt(MODERATORS),
    ("GET", "/api/v1/moderation/reports/{report_id}"): exempt(MODERATORS),
    ("POST", "/api/v1/moderation/reports/{report_id}/decision"): exempt(MODERATORS),
    ("GET", "/api/v1/moderation/audit"): exempt(MODERATORS),
    ("GET", "/reports"): exempt(OWN_THINGS),
    ("GET", "/api/v1/reports"): exempt(OWN_THINGS),
    ("GET", "/decisions/{report_id}"): exempt(OWN_THINGS),
    ("GET", "/api/v1/decisions/{report_id}"): exempt(OWN_THINGS),
    ("POST", "/settings/safety"): exempt(OWN_THINGS),
    ("GET", "/prompts/{circle_id}"): same("circle_id"),
    ("POST", "/prompts/{circle_id}/answer"): same("circle_id"),
    ("POST", "/prompts/{circle_id}/set-aside"): same("circle_id"),
    ("GET", "/circles/{circle_id}/prompt"): exempt(OWN_THINGS),
    ("POST", "/circles/{circle_id}/prompt"): exempt(OWN_THINGS),
    ("GET", "/notifications"): hidden(),
    ("POST", "/notifications/read"): exempt(OWN_THINGS),
    # -- boundaries: the asker's own limits on being reached; nobody else is named ------------
    ("GET", "/api/v1/boundaries"): exempt(OWN_THINGS),
    ("POST", "/api/v1/together"): exempt(OWN_THINGS),
    ("DELETE", "/api/v1/together"): exempt(OWN_THINGS),
    ("GET", "/api/v1/settings/notifications"): exempt(OWN_THINGS),
    ("PUT", "/api/v1/settings/notifications"): exempt(OWN_THINGS),
    ("GET", "/settings/notifications"): exempt(OWN_THINGS),
    ("POST", "/settings/notifications/quiet"): exempt(OWN_THINGS),
    ("POST", "/settings/notifications/channels"): exempt(OWN_THINGS),
    ("POST", "/settings/notifications/digests"): exempt(OWN_THINGS),
    ("POST", "/settings/notifications/privacy"): exempt(OWN_THINGS),
    ("POST", "/settings/together"): exempt(OWN_THINGS),
    ("POST", "/settings/together/end"): exempt(OWN_THINGS),
    ("GET", "/wind-down"): exempt(OWN_THINGS),
    ("GET", "/app"): exempt(OWN_THINGS),
    ("POST", "/wind-down/continue"): exempt(OWN_THINGS),
    # -- the installable app and push: the asker's own devices --------------------------------
    ("GET", "/manifest.webmanifest"): exempt(NOT_ABOUT_PEOPLE),
    ("GET", "/sw.js"): exempt(NOT_ABOUT_PEOPLE),
    ("GET", "/offline"): exempt(NOT_ABOUT_PEOPLE),
    ("GET", "/api/v1/push/key"): exempt(NOT_ABOUT_PEOPLE),
    ("POST", "/api/v1/push/subscriptions"): exempt(OWN_THINGS),
    ("DELETE", "/api/v1/push/subscriptions"): exempt(OWN_THINGS),
    ("GET", "/settings/devices"): hidden(),
    ("POST", "/settings/devices/{device_id}/remove"): exempt(OWN_THINGS),
    # -- wellbeing and help: a member's own check-ins; help lists their own connections -------
    ("GET", "/help"): hidden(),
    ("GET", "/api/v1/help"): exempt(NOT_ABOUT_PEOPLE),
    **{
        route: exempt(OWN_THINGS)
        for route in (
            ("GET", "/wellbeing"),
            ("POST", "/wellbeing/mood"),
            ("GET", "/wellbeing/checkin/{name}"),
            ("POST", "/wellbeing/checkin/{name}"),
            ("GET", "/wellbeing/checkins/{checkin_id}"),
            ("POST", "/wellbeing/checkins/{checkin_id}/delete"),
            ("GET", "/wellbeing/history"),
            ("GET", "/wellbeing/trends"),
            ("GET", "/wellbeing/settings"),
            ("POST", "/wellbeing/settings"),
            ("GET", "/api/v1/wellbeing/instruments"),
            ("POST", "/api/v1/wellbeing/checkins"),
            ("GET", "/api/v1/wellbeing/checkins"),
            ("GET", "/api/v1/wellbeing/checkins/{checkin_id}"),
            ("DELETE", "/api/v1/wellbeing/checkins/{checkin_id}"),
            ("GET", "/api/v1/wellbeing/settings"),
            ("PATCH", "/api/v1/wellbeing/settings"),
        )
    },
    # -- gatherings: one each, planned with the other before the block -----------------------
    ("GET", "/api/v1/gatherings"): hidden(),
    ("POST", "/api/v1/gatherings"): same(),
    ("GET", "/api/v1/gatherings/calendar"): exempt(OWN_THINGS),
    ("POST", "/api/v1/gatherings/calendar/reset"): exempt(OWN_THINGS),
    ("GET", "/gatherings"): hidden(),
    ("POST", "/gatherings"): same(),
    ("GET", "/gatherings/new"): hidden(),
    ("GET", "/gatherings/calendar"): exempt(OWN_THINGS),
    ("POST", "/gatherings/calendar/reset"): exempt(OWN_THINGS),
    ("GET", "/calendar/{token}.ics"): exempt(
        "a member's own calendar, opened by its secret address: only gatherings they are in"
    ),
    **{
        (method, path): same("gathering_id")
        for method, path in (
            ("GET", "/api/v1/gatherings/{gathering_id}"),
            ("PATCH", "/api/v1/gatherings/{gathering_id}"),
            ("PUT", "/api/v1/gatherings/{gathering_id}/answers"),
            ("POST", "/api/v1/gatherings/{gathering_id}/people"),
            ("POST", "/gatherings/{gathering_id}/people"),
            ("POST", "/api/v1/gatherings/{gathering_id}/pick"),
            ("PUT", "/api/v1/gatherings/{gathering_id}/rsvp"),
            ("POST", "/api/v1/gatherings/{gathering_id}/reschedule"),
            ("POST", "/api/v1/gatherings/{gathering_id}/cancel"),
            ("PUT", "/api/v1/gatherings/{gathering_id}/suggest-again"),
            ("POST", "/api/v1/gatherings/{gathering_id}/conversation"),
            ("GET", "/api/v1/gatherings/{gathering_id}/felt"),
            ("PUT", "/api/v1/gatherings/{gathering_id}/felt"),
            ("GET", "/api/v1/gatherings/{gathering_id}/calendar.ics"),
            ("GET", "/gatherings/{gathering_id}"),
            ("POST", "/gatherings/{gathering_id}/answers"),
            ("POST", "/gatherings/{gathering_id}/pick"),
            ("POST", "/gatherings/{gathering_id}/rsvp"),
            ("POST", "/gatherings/{gathering_id}/conversation"),
            ("POST", "/gatherings/{gathering_id}/again"),
            ("POST", "/gatherings/{gathering_id}/cancel"),
            ("GET", "/gatherings/{gathering_id}/edit"),
            ("POST", "/gatherings/{gathering_id}/edit"),
            ("POST", "/gatherings/{gathering_id}/reschedule"),
            ("GET", "/gatherings/{gathering_id}/felt"),
            ("POST", "/gatherings/{gathering_id}/felt"),
            ("GET", "/gatherings/{gathering_id}/calendar.ics"),
        )
    },
    # -- the live stream: probed by test_blocked_people_get_no_live_events below -------------
    ("WS", "/api/v1/stream"): Probe("live"),
}


# Probes that cannot tell the other from nobody even without a block, and why that is fine.
# Editing a moment is its author's own view. (Profiles and their photos, at /u/, /people/
# and /media/avatars/, follow the one profile rule: connections see them, so they have teeth.)
VACUOUS_WITHOUT_BLOCK: set[str] = {
    f"GET {path} {asker}" for path in ("/moments/{moment_id}/edit",) for asker in ("ada", "bob")
}


def app_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path) of every route the app serves, through included routers too."""
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            for context in contexts():
                methods = getattr(context, "methods", None) or {"WS"}
                path = context.path or context.original_route.path  # websockets carry no path
                for method in methods:
                    if method != "HEAD":
                        yield method, path
            continue
        path = getattr(route, "path", "")
        if path == "/static":
            continue  # stylesheets and scripts: the same files for everyone
        methods = getattr(route, "methods", None) or {"WS"}
        for method in methods:
            if method != "HEAD":
                yield method, path


def test_every_route_has_a_block_probe(app: FastAPI) -> None:
    served_routes = set(app_routes(app))
    missing = sorted(served_routes - ROUTES.keys())
    assert not missing, f"routes without a block probe in tests/test_block_routes.py: {missing}"
    stale = sorted(ROUTES.keys() - served_routes)
    assert not stale, f"probes for routes that no longer exist: {stale}"
    for key, probe in ROUTES.items():
        assert probe.kind != "exempt" or probe.why, f"{key} is exempt without a reason"


# -- running the probes ------------------------------------------------------------------------
_NOISE = [
    re.compile(r"[0-9a-f]{32}"),  # idempotency keys in forms
    re.compile(r"\d{4}-\d\d-\d\dT[\d:.+]+"),  # times
]


def _normal(text: str, value: str, missing: str) -> str:
    text = text.replace(value, missing)
    for pattern in _NOISE:
        text = pattern.sub("…", text)
    return text


def _values(world: World, asker: str) -> dict[str, tuple[str, str]]:
    """For each kind of parameter: (the other person's, a missing one)."""
    other = "bob" if asker == "ada" else "ada"
    key = world.avatars[other].rstrip("/").split("/")[-2]
    return {
        "handle": (getattr(world, other).handle, MISSING_HANDLE),
        "conversation_id": (str(world.direct_id), str(MISSING_ID)),
        "message_id": (str(world.messages[asker]), str(MISSING_ID)),
        "key": (key, "0" * len(key)),
        "moment_id": (str(world.moments[other]), str(MISSING_ID)),
        "photo_key": (world.photos[other], "0" * len(world.photos[other])),
        "chat_photo_key": (world.chat_photos[other], "0" * len(world.chat_photos[other])),
        "circle_id": (str(world.circles[other]), str(MISSING_ID)),
        "gathering_id": (str(world.gatherings[other]), str(MISSING_ID)),
    }


def _fill(path: str, world: World, asker: str, probe: Probe, use_missing: bool) -> str:
    values = _values(world, asker)
    defaults = {
        "circle_id": str(world.circles[asker]),
        "size": "256",
        "conversation_id": str(world.group_id),
        "handle": getattr(world, "bob" if asker == "ada" else "ada").handle,
        "moment_id": str(MISSING_ID),
        "photo_id": str(MISSING_ID),
        "number": "1",  # a moment's first photo
        "day": _today(),
        "gathering_id": str(world.gatherings[asker]),
    }
    for name in re.findall(r"{(\w+)}", path):
        pick = 1 if use_missing else 0
        # A message's photo has a key of its own kind: the other person's in the one-to-one.
        kind = "chat_photo_key" if path.startswith("/media/messages/") else name
        value = values[kind][pick] if name in probe.params else defaults[name]
        path = path.replace("{" + name + "}", value)
    query = probe.query.replace("{day}", _today())
    query = query.replace("{handle}", values["handle"][1 if use_missing else 0])
    return path + ("?" + query if query else "")


def _today() -> str:
    return datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()  # the members' zone


async def _ask(
    client: httpx.AsyncClient,
    world: World,
    method: str,
    path: str,
    probe: Probe,
    asker: str,
    use_missing: bool,
) -> httpx.Response:
    who: Member = getattr(world, asker)
    url = _fill(path, world, asker, probe, use_missing)
    handle = _values(world, asker)["handle"][1 if use_missing else 0]
    kwargs: dict[str, object] = {}
    if path in ("/api/v1/gatherings", "/gatherings") and method == "POST":
        kwargs = _proposal(handle, form=not path.startswith("/api/"))
    elif probe.body is not None:
        filled = {k: v.replace("{handle}", handle) for k, v in probe.body.items()}
        if probe.form:
            kwargs["data"] = filled
        else:
            lists = ("members", "people", "supporters")
            kwargs["json"] = {k: ([v] if k in lists else v) for k, v in filled.items()}
    elif method in ("POST", "PATCH", "PUT") and path.startswith("/api/"):
        kwargs["json"] = _json_body(path)
    elif method == "POST":
        kwargs["data"] = {
            "body": "hello",
            "name": "New name",
            "handle": handle,
            "client_key": uuid.uuid4().hex,
        }
    return await client.request(method, url, headers=who.headers, **kwargs)  # type: ignore[arg-type]


def _proposal(handle: str, *, form: bool) -> dict[str, object]:
    """A gathering proposed to ``handle``: refused alike for the other and for nobody."""
    time = a_time()[0]
    if not form:
        return {"json": {"title": "Tea", "people": [handle], "times": [time]}}
    day, start = time["starts_at"].split("T")
    fields = {"title": "Tea", "people": handle, "day.0": day, "start.0": start[:5]}
    return {"data": fields | {"end.0": time["ends_at"].split("T")[1][:5]}}


GATHERING_BODIES: dict[str, dict[str, object]] = {
    "people": {"people": ["cy_blk"]},
    "answers": {"answers": {}},
    "pick": {"option": 1},
    "rsvp": {"rsvp": "going"},
    "reschedule": a_time(4)[0],
    "suggest-again": {"on": False},
    "felt": {"score": 4},
}


def _json_body(path: str) -> dict[str, object]:
    if path.startswith("/api/v1/gatherings/{gathering_id}"):
        last = path.rsplit("/", 1)[1]
        return GATHERING_BODIES.get(last, {"title": "Tea"})
    if path.endswith("/messages"):
        return {"client_key": uuid.uuid4().hex, "body": "hello"}
    if path.endswith("/read"):
        return {"seq": 1}
    if "/moments/" in path and path.endswith("/answers"):
        return {"body": "hello", "client_key": uuid.uuid4().hex}
    if "/moments/" in path or "/prompts/" in path:
        return {"body": "hello"}
    if path.endswith("/members"):
        return {"handle": "cy_blk"}
    if "/messages/" in path or "/conversations/" in path:
        return {"body": "changed", "name": "New name"} if "/messages/" in path else {"name": "N"}
    return {}


async def _differences(
    client: httpx.AsyncClient, world: World, *, reads_only: bool = False
) -> tuple[list[str], set[str]]:
    """Probes whose answers about the other differ from the answers about nothing, and the
    probes (method path asker) whose answers were the same."""
    problems: list[str] = []
    alike: set[str] = set()
    for (method, path), probe in sorted(ROUTES.items()):
        if probe.kind not in ("same", "hidden") or (reads_only and method != "GET"):
            continue
        for asker in probe.directions:
            other: Member = world.other(getattr(world, asker))
            if probe.kind == "hidden":
                response = await _ask(client, world, method, path, probe, asker, False)
                assert response.status_code < 500, (method, path, response.text)
                for trace in (other.handle, other.handle.title()):
                    if trace in response.text:
                        problems.append(f"{asker} sees {trace} on {method} {path}")
                continue
            mine = await _ask(client, world, method, path, probe, asker, False)
            missing = await _ask(client, world, method, path, probe, asker, True)
            a = _normal(mine.text, mine.request.url.path, missing.request.url.path)
            a = _normal(a, other.handle, MISSING_HANDLE)
            b = _normal(missing.text, "\0", "\0")
            if mine.status_code != missing.status_code or a != b:
                problems.append(
                    f"{asker} on {method} {path}: {mine.status_code} {mine.text[:160]!r} "
                    f"vs missing {missing.status_code} {missing.text[:160]!r}"
                )
            else:
                alike.add(f"{method} {path} {asker}")
    return problems, alike


@pytest.mark.slow
async def test_blocked_people_are_missing_to_each_other_everywhere(
    client: httpx.AsyncClient, services: Services
) -> None:
    world = await build_world(client, services)
    problems, _alike = await _differences(client, world)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
async def test_the_probes_would_see_the_other_without_a_block(
    client: httpx.AsyncClient, services: Services
) -> None:
    """The reading probes in the same world minus the block must tell the other person apart
    from a missing one, or they would prove nothing above. (Writing probes change the world
    as they go, so they are checked against a missing object only.)"""
    world = await build_world(client, services, block=False)
    problems, alike = await _differences(client, world, reads_only=True)
    assert alike <= VACUOUS_WITHOUT_BLOCK, sorted(alike - VACUOUS_WITHOUT_BLOCK)
    assert problems


async def test_blocked_people_get_no_live_events(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    world = await build_world(client, services)
    async with served(app) as port:
        streams = {
            name: await Stream(port, getattr(world, name)).open() for name in ("ada", "bob", "cy")
        }
        for name in ("ada", "bob", "cy"):
            sent = await send(client, getattr(world, name), world.group_id, f"live from {name}")
            assert sent.status_code == 201
        for stream in streams.values():
            await stream.drain()
        seen = {
            name: [e["message"]["body"] for e in s.events if e.get("message")]
            for name, s in streams.items()
        }
        assert seen["cy"] == ["live from ada", "live from bob", "live from cy"]
        assert seen["ada"] == ["live from ada", "live from cy"]
        assert seen["bob"] == ["live from bob", "live from cy"]
        # Sending to the hidden one-to-one over the socket: the answer for a missing one.
        bob_ws = streams["bob"].ws
        assert bob_ws is not None
        answers = []
        for conversation_id in (world.direct_id, MISSING_ID):
            await bob_ws.send(
                json.dumps(
                    {
                        "type": "send",
                        "conversation_id": conversation_id,
                        "client_key": uuid.uuid4().hex,
                        "body": "hi",
                    }
                )
            )
            answer = await streams["bob"].next()
            answers.append((answer["status"], answer["detail"]))
        assert answers[0] == answers[1] and answers[0][0] == 404
        # A reconnect from an old cursor replays nothing of the other either.
        streams["ada"].cursor = {"at": None, "c": {str(world.group_id): 0, str(world.direct_id): 0}}
        streams["ada"].events.clear()
        await streams["ada"].close()
        await streams["ada"].open()
        await streams["ada"].drain()
        replayed = json.dumps(streams["ada"].events)
        assert "bob_blk" not in replayed and "from bob" not in replayed
        for stream in streams.values():
            await stream.close()
