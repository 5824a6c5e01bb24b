"""Every HTML action people may regret asks first (socialode.web.confirm), or is listed as
harmless with a reason. A new destructive-looking POST route that does neither fails here.

Destructive-looking: a path segment among ``confirm.DESTRUCTIVE_WORDS`` (remove, delete,
leave, end, revoke, withdraw, unblock, erase). The JSON API is for programs that say exactly
what they mean (``DELETE``); the confirm step is for people pressing buttons, so only the
HTML routes are walked.
"""

from __future__ import annotations

import base64

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI

from socialode.accounts.access import access_viewer
from socialode.notifications.push import access_subscriptions
from socialode.platform.services import Services
from socialode.web.confirm import (
    CONFIRMED_ELSEWHERE,
    DESTRUCTIVE_WORDS,
    HARMLESS,
    asks_first,
    html_post_routes,
    looks_destructive,
)
from tests.confirming import asks_then_acts, notice_after, notice_of
from tests.helpers import members


def test_every_destructive_route_asks_first_or_says_why_not(app: FastAPI) -> None:
    unguarded = [
        path
        for path, dependant in html_post_routes(app)
        if looks_destructive(path)
        and not asks_first(dependant)
        and path not in HARMLESS
        and path not in CONFIRMED_ELSEWHERE
    ]
    assert unguarded == [], (
        "these routes act at once: take `confirm: Confirm` (socialode.web.confirm) or list "
        f"them in HARMLESS with a reason: {unguarded}"
    )


def test_the_lists_name_real_routes_and_give_reasons(app: FastAPI) -> None:
    paths = {path for path, _dependant in html_post_routes(app)}
    for listed in (HARMLESS, CONFIRMED_ELSEWHERE):
        for path, reason in listed.items():
            assert path in paths, f"{path} is listed but no such POST route exists"
            assert len(reason.split()) >= 5, f"{path}: give a real reason"
    guarded = [path for path, dependant in html_post_routes(app) if asks_first(dependant)]
    assert not set(guarded) & set(HARMLESS), "a route that asks first is not harmless"


def test_the_walk_sees_the_routes_it_is_about(app: FastAPI) -> None:
    guarded = {path for path, dependant in html_post_routes(app) if asks_first(dependant)}
    for path in (
        "/connections/{handle}/remove",
        "/circles/{circle_id}/delete",
        "/circles/{circle_id}/members/{handle}/remove",
        "/moments/{moment_id}/delete",
        "/settings/sessions/{session_id}/end",
        "/invites/{invite_id}/withdraw",
        "/settings/devices/{device_id}/remove",
        "/blocked/{handle}/unblock",
    ):
        assert path in guarded, path
    assert looks_destructive("/things/{id}/delete") and not looks_destructive("/weekend/plans")
    assert "remove" in DESTRUCTIVE_WORDS


def _device_key() -> str:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def test_removing_a_device_asks_first(client: httpx.AsyncClient, services: Services) -> None:
    (ada,) = await members(client, services, "ada_l")
    device = {
        "endpoint": "https://push.example.net/send/abc123",
        "keys": {
            "p256dh": _device_key(),
            "auth": base64.urlsafe_b64encode(b"sixteen-byte-key").rstrip(b"=").decode(),
        },
    }
    added = await client.post("/api/v1/push/subscriptions", json=device, headers=ada.headers)
    assert added.status_code == 201, added.text
    device_id = added.json()["id"]
    label = added.json()["label"]

    done = await asks_then_acts(
        client, services, ada, f"/settings/devices/{device_id}/remove", f"Remove {label}?"
    )
    page = await notice_after(client, ada, done)
    assert "no more notifications" in notice_of(page)
    async with services.db.sessions() as db:
        viewer = await access_viewer(db, ada.token)
        assert viewer is not None
        assert await access_subscriptions(db, viewer) == []
