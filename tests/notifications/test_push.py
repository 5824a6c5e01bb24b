"""Web Push end to end, against a push service of our own on loopback.

The push service plays the browser vendor's server (nothing may leave the machine): it
checks the VAPID signature the way a real one does, and the test decrypts the aes128gcm
body with the keys only the browser holds, to find the message that was sent.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import http_ece
import httpx
import pytest
from aiohttp import web
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from multidict import CIMultiDict
from sqlalchemy import select

from socialode.accounts.models import User
from socialode.notifications.models import PushSubscription
from socialode.notifications.push import MAX_DEVICES, enqueue_push, enqueue_pushes
from socialode.platform.jobs import READY, jobs
from socialode.platform.push import (
    KEY_FILE,
    MAX_PAYLOAD_BYTES,
    application_server_key,
    fit_payload,
    vapid_subject,
)
from socialode.platform.services import Services
from socialode.platform.worker import Worker
from tests.conftest import make_settings
from tests.helpers import Member, members, snapshot

MESSAGE = {
    "title": "Maya wrote to you",
    "body": "A new message from Maya.",
    "url": "/conversations/7",
    "tag": "conversation:7",
}


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"push_allow_local": True}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """The browser side of a subscription: its key pair and auth secret."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def subscription(self, endpoint: str) -> dict[str, Any]:
        """As ``PushSubscription.toJSON()`` gives it."""
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64(self.auth)},
        }

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        found: dict[str, Any] = json.loads(plain)
        return found


@dataclass
class Received:
    path: str
    headers: CIMultiDict[str]
    body: bytes


class PushService:
    """A push service on 127.0.0.1: records each message and answers ``status``."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.status = 201
        self.status_of: dict[str, int] = {}  # by device name, where it differs
        self.origin = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append(Received(request.path, CIMultiDict(request.headers), body))
        return web.Response(status=self.status_of.get(request.match_info["name"], self.status))

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"


@pytest.fixture
async def push_service() -> AsyncIterator[PushService]:
    service = PushService()
    app = web.Application()
    app.router.add_post("/push/{name}", service.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    service.origin = f"http://127.0.0.1:{sock.getsockname()[1]}"
    site = web.SockSite(runner, sock)
    await site.start()
    yield service
    await runner.cleanup()


def check_vapid(authorization: str, audience: str, server_key: str) -> dict[str, Any]:
    """What a push service checks: ``vapid t=<JWT>, k=<key>``, an ES256 signature by that
    key over the token, the token meant for this push service and not expired."""
    scheme, _, rest = authorization.partition(" ")
    assert scheme.lower() == "vapid"
    parts = dict(p.strip().split("=", 1) for p in rest.split(","))
    assert parts["k"] == server_key
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(parts["k"]))
    header, claims, signature = parts["t"].split(".")
    assert json.loads(unb64(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64(signature)
    assert len(raw) == 64
    der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if bad
    found: dict[str, Any] = json.loads(unb64(claims))
    assert found["aud"] == audience
    assert found["exp"] > time.time()
    assert found["sub"].startswith(("mailto:", "https://"))
    return found


async def subscribe(
    client: httpx.AsyncClient, who: Member, body: dict[str, Any], status: int = 201
) -> dict[str, Any]:
    response = await client.post("/api/v1/push/subscriptions", json=body, headers=who.headers)
    assert response.status_code == status, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def user_id(services: Services, handle: str) -> int:
    async with services.db.sessions() as db:
        return int(await db.scalar(select(User.id).where(User.handle == handle)) or 0)


async def devices(services: Services) -> list[PushSubscription]:
    async with services.db.sessions() as db:
        return list(await db.scalars(select(PushSubscription).order_by(PushSubscription.id)))


async def push_to(services: Services, handle: str, message: dict[str, Any]) -> None:
    async with services.db.sessions() as db:
        await enqueue_push(db, await user_id(services, handle), message)
        await db.commit()


async def run_jobs(services: Services) -> None:
    worker = Worker(services)
    while await worker.run_once():
        pass


async def test_a_push_arrives_signed_and_readable_only_by_the_device(
    client: httpx.AsyncClient, services: Services, push_service: PushService
) -> None:
    (maya,) = await members(client, services, "maya")
    phone, laptop = Browser(), Browser()
    await subscribe(client, maya, phone.subscription(push_service.endpoint("phone")))
    await subscribe(client, maya, laptop.subscription(push_service.endpoint("laptop")))

    await push_to(services, "maya", MESSAGE)
    await run_jobs(services)

    by_path = {r.path: r for r in push_service.received}
    assert sorted(by_path) == ["/push/laptop", "/push/phone"]
    server_key = application_server_key(services.settings)
    for name, browser in (("phone", phone), ("laptop", laptop)):
        got = by_path[f"/push/{name}"]
        check_vapid(got.headers["Authorization"], push_service.origin, server_key)
        assert got.headers["Content-Encoding"] == "aes128gcm"
        assert int(got.headers["TTL"]) > 0
        assert len(got.body) <= 4096
        assert MESSAGE["body"].encode() not in got.body  # encrypted on the wire
        assert browser.decrypt(got.body) == MESSAGE
    with pytest.raises(
        http_ece.ECEException, match="Decryption"
    ):  # the other device's keys cannot read it
        laptop.decrypt(by_path["/push/phone"].body)
    assert all(d.last_sent_at is not None for d in await devices(services))


async def test_a_gone_subscription_is_deleted_and_others_stay(
    client: httpx.AsyncClient, services: Services, push_service: PushService
) -> None:
    maya, tom = await members(client, services, "maya", "tom")
    await subscribe(client, maya, Browser().subscription(push_service.endpoint("old-phone")))
    await subscribe(client, tom, Browser().subscription(push_service.endpoint("tom-phone")))
    push_service.status = 410

    await push_to(services, "maya", MESSAGE)
    await run_jobs(services)

    assert [r.path for r in push_service.received] == ["/push/old-phone"]
    assert [d.endpoint for d in await devices(services)] == [push_service.endpoint("tom-phone")]
    async with services.db.sessions() as db:  # the job is done, not failed
        assert (await db.scalars(select(jobs.c.state).where(jobs.c.kind == "push.send"))).all() == [
            "done"
        ]


async def test_a_push_service_failure_retries_the_job(
    client: httpx.AsyncClient, services: Services, push_service: PushService
) -> None:
    (maya,) = await members(client, services, "maya")
    await subscribe(client, maya, Browser().subscription(push_service.endpoint("phone")))
    push_service.status = 503

    await push_to(services, "maya", MESSAGE)
    await run_jobs(services)

    assert len(push_service.received) == 1
    async with services.db.sessions() as db:
        job = (await db.execute(select(jobs).where(jobs.c.kind == "push.send"))).one()
    assert (job.state, job.attempts) == (READY, 1)  # back in line, after its backoff
    assert "503" in job.last_error
    (device,) = await devices(services)
    assert device.last_sent_at is None


async def test_pushes_sent_together_each_get_their_own_outcome(
    client: httpx.AsyncClient, services: Services, push_service: PushService
) -> None:
    """A worker sends the pushes it claimed together: one device taking it, one gone and one
    whose push service is down each end their own way, in one batch."""
    maya, tom, ada = await members(client, services, "maya", "tom", "ada")
    phone = Browser()
    await subscribe(client, maya, phone.subscription(push_service.endpoint("maya")))
    await subscribe(client, tom, Browser().subscription(push_service.endpoint("tom")))
    await subscribe(client, ada, Browser().subscription(push_service.endpoint("ada")))
    push_service.status_of = {"tom": 410, "ada": 503}
    async with services.db.sessions() as db:
        await enqueue_pushes(
            db, [(await user_id(services, h), MESSAGE) for h in ("maya", "tom", "ada")]
        )
        await db.commit()
    assert await Worker(services).run_once() == 3  # one batch

    assert sorted(r.path for r in push_service.received) == [
        "/push/ada",
        "/push/maya",
        "/push/tom",
    ]
    mine = next(r for r in push_service.received if r.path == "/push/maya")
    assert phone.decrypt(mine.body) == MESSAGE
    left = {d.endpoint: d for d in await devices(services)}
    assert sorted(left) == [push_service.endpoint("ada"), push_service.endpoint("maya")]
    assert left[push_service.endpoint("maya")].last_sent_at is not None
    assert left[push_service.endpoint("ada")].last_sent_at is None
    async with services.db.sessions() as db:
        found = (
            await db.execute(
                select(jobs.c.payload, jobs.c.state, jobs.c.last_error).where(
                    jobs.c.kind == "push.send"
                )
            )
        ).all()
    by_user = {row.payload["user"]: row for row in found}
    assert by_user[await user_id(services, "maya")].state == "done"
    assert by_user[await user_id(services, "tom")].state == "done"
    down = by_user[await user_id(services, "ada")]
    assert down.state == READY and "503" in down.last_error


async def test_an_unreachable_push_service_retries_the_job(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya")
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    await subscribe(client, maya, Browser().subscription(f"http://127.0.0.1:{port}/push/x"))
    await push_to(services, "maya", MESSAGE)
    await run_jobs(services)
    async with services.db.sessions() as db:
        job = (await db.execute(select(jobs).where(jobs.c.kind == "push.send"))).one()
    assert (job.state, job.attempts) == (READY, 1)
    assert "could not be reached" in job.last_error
    assert len(await devices(services)) == 1


async def test_a_long_message_is_shortened_to_fit_never_refused(
    client: httpx.AsyncClient, services: Services, push_service: PushService
) -> None:
    (maya,) = await members(client, services, "maya")
    phone = Browser()
    await subscribe(client, maya, phone.subscription(push_service.endpoint("phone")))
    long = {**MESSAGE, "body": "Ünïcode and more " * 1000}

    await push_to(services, "maya", long)
    await run_jobs(services)

    (got,) = push_service.received
    assert len(got.body) <= 4096
    message = phone.decrypt(got.body)
    assert message["title"] == MESSAGE["title"]
    assert message["url"] == MESSAGE["url"]
    assert message["body"].endswith("…")
    assert long["body"].startswith(message["body"][:-1])


@pytest.mark.once
def test_fit_payload_shortens_the_longest_text_first() -> None:
    payload = {"title": "T" * 500, "body": "ß" * 5000, "url": "/x", "tag": "t"}
    data = fit_payload(payload)
    assert len(data) <= MAX_PAYLOAD_BYTES
    fitted = json.loads(data)
    assert fitted["title"] == "T" * 500 and fitted["url"] == "/x"
    assert fitted["body"].endswith("…")
    small = {"title": "Hi", "body": "There"}
    assert json.loads(fit_payload(small)) == small
    assert len(fit_payload({"title": "x" * 9000, "body": "y" * 9000}, limit=100)) <= 100


async def test_the_same_device_subscribing_again_updates_it(
    client: httpx.AsyncClient, services: Services, push_service: PushService
) -> None:
    (maya,) = await members(client, services, "maya")
    endpoint = push_service.endpoint("phone")
    first = await subscribe(client, maya, Browser().subscription(endpoint))
    renewed = Browser()
    again = await subscribe(client, maya, {**renewed.subscription(endpoint), "label": "Pixel"})
    assert again["id"] == first["id"]
    (device,) = await devices(services)
    assert (device.p256dh, device.label) == (renewed.p256dh, "Pixel")


async def test_a_device_that_changed_hands_gets_nothing_meant_for_the_one_before(
    client: httpx.AsyncClient, services: Services, push_service: PushService
) -> None:
    maya, tom = await members(client, services, "maya", "tom")
    endpoint = push_service.endpoint("shared-tablet")
    await subscribe(client, maya, Browser().subscription(endpoint))
    await push_to(services, "maya", MESSAGE)  # queued while the tablet was Maya's
    await subscribe(client, tom, Browser().subscription(endpoint))  # Tom signs in there
    await run_jobs(services)
    assert push_service.received == []
    (device,) = await devices(services)
    assert device.user_id == await user_id(services, "tom")
    await push_to(services, "tom", MESSAGE)
    await run_jobs(services)
    assert [r.path for r in push_service.received] == ["/push/shared-tablet"]


async def test_unsubscribing_stops_pushes_to_that_device_only(
    client: httpx.AsyncClient, services: Services, push_service: PushService
) -> None:
    maya, tom = await members(client, services, "maya", "tom")
    endpoint = push_service.endpoint("phone")
    await subscribe(client, maya, Browser().subscription(endpoint))
    # Someone else cannot switch off Maya's device.
    response = await client.request(
        "DELETE", "/api/v1/push/subscriptions", json={"endpoint": endpoint}, headers=tom.headers
    )
    assert response.status_code == 204
    assert len(await devices(services)) == 1
    response = await client.request(
        "DELETE", "/api/v1/push/subscriptions", json={"endpoint": endpoint}, headers=maya.headers
    )
    assert response.status_code == 204
    assert await devices(services) == []
    await push_to(services, "maya", MESSAGE)
    await run_jobs(services)
    assert push_service.received == []


async def test_the_devices_page_lists_and_removes_without_script(
    client: httpx.AsyncClient, services: Services, push_service: PushService
) -> None:
    maya, tom = await members(client, services, "maya", "tom")
    await subscribe(
        client,
        maya,
        {**Browser().subscription(push_service.endpoint("a")), "label": "Maya's phone"},
    )
    (device,) = await devices(services)
    page = await client.get("/settings/devices", headers=maya.headers)
    assert page.status_code == 200
    assert "Maya&#39;s phone" in page.text
    assert application_server_key(services.settings) in page.text  # for this device's switch
    assert f'action="/settings/devices/{device.id}/remove"' in page.text
    assert "Maya" not in (await client.get("/settings/devices", headers=tom.headers)).text
    taken = await client.post(f"/settings/devices/{device.id}/remove", headers=tom.headers)
    assert taken.status_code == 404
    assert len(await devices(services)) == 1
    removed = await client.post(
        f"/settings/devices/{device.id}/remove", data={"confirm": "yes"}, headers=maya.headers
    )
    assert removed.status_code == 303
    assert await devices(services) == []


async def test_the_key_is_made_once_into_the_data_directory(
    client: httpx.AsyncClient, services: Services
) -> None:
    assert (await client.get("/api/v1/push/key")).status_code == 401
    (maya,) = await members(client, services, "maya")
    response = await client.get("/api/v1/push/key", headers=maya.headers)
    assert response.status_code == 200
    key = response.json()["key"]
    point = unb64(key)
    assert len(point) == 65 and point[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    path = services.settings.data_dir / KEY_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert (await client.get("/api/v1/push/key", headers=maya.headers)).json()["key"] == key
    # Another process with the same data directory uses the same key.
    other = make_settings(services.settings.data_dir, services.settings.resolved_database_url)
    path_text = path.read_bytes()
    assert application_server_key(other) == key
    assert path.read_bytes() == path_text


@pytest.mark.once
def test_the_vapid_subject_is_a_way_to_reach_the_operator(tmp_path: Any) -> None:
    def subject(**values: object) -> str:
        return vapid_subject(make_settings(tmp_path, "sqlite+aiosqlite://", **values))

    assert subject(mail_from="Socialode <hello@example.org>") == "mailto:hello@example.org"
    assert subject(base_url="https://social.example.org/") == "https://social.example.org"
    assert subject(base_url="http://127.0.0.1:8000") == "mailto:no-reply@localhost"


# Bad subscriptions: each a 4xx with a sentence naming the field, and nothing stored.

POINT = Browser().p256dh
NOT_ON_CURVE = b64(b"\x04" + b"\x01" * 64)
COMPRESSED = b64(b"\x02" + b"\x01" * 32)
AUTH = b64(b"a" * 16)


def bogus(
    endpoint: str = "https://push.example.org/x", p256dh: str = POINT, auth: str = AUTH
) -> dict[str, Any]:
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (bogus(p256dh=NOT_ON_CURVE), "p256dh", "not a point on the P-256 curve"),
        (bogus(p256dh=COMPRESSED), "p256dh", "65 bytes"),
        (bogus(p256dh=b64(b"\x04" + b"\x01" * 70)), "p256dh", "65 bytes"),
        (bogus(p256dh="not base64url!"), "p256dh", "base64url"),
        (bogus(p256dh=""), "p256dh", "base64url"),
        (bogus(auth=b64(b"a" * 8)), "auth", "16 bytes"),
        (bogus(auth="++//"), "auth", "base64url"),
        (bogus(endpoint="http://push.example.org/x"), "endpoint", "https"),
        (bogus(endpoint="ftp://push.example.org/x"), "endpoint", "https"),
        (bogus(endpoint="https:///no-host"), "endpoint", "https"),
        (bogus(endpoint="https://user:pw@push.example.org/x"), "endpoint", "https"),
        (bogus(endpoint="https://push.example.org:99999/x"), "endpoint", "not a valid"),
        (bogus(endpoint=""), "endpoint", "push service address"),
        (bogus(endpoint="https://push.example.org/" + "a" * 1001), "endpoint", "1024 characters"),
    ],
)
@pytest.mark.reuses_setup
async def test_a_bogus_subscription_is_refused_and_nothing_stored(
    client: httpx.AsyncClient,
    services: Services,
    reuse: Any,
    body: dict[str, Any],
    field: str,
    words: str,
) -> None:
    (maya,) = await reuse(lambda: members(client, services, "maya"))
    before = await snapshot(services)
    answer = await subscribe(client, maya, body, status=422)
    assert answer["field"] == field
    assert words in answer["detail"] and answer["detail"].endswith(".")
    assert await snapshot(services) == before


@pytest.mark.parametrize("settings_overrides", [{}])  # the default: push_allow_local off
@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
@pytest.mark.reuses_setup
async def test_http_endpoints_on_loopback_are_for_tests_only(
    client: httpx.AsyncClient, services: Services, reuse: Any, host: str
) -> None:
    assert services.settings.push_allow_local is False
    (maya,) = await reuse(lambda: members(client, services, "maya"))
    before = await snapshot(services)
    body = Browser().subscription(f"http://{host}:9/push/a")
    answer = await subscribe(client, maya, body, status=422)
    assert answer["field"] == "endpoint" and "https" in answer["detail"]
    assert await snapshot(services) == before


async def test_a_member_has_at_most_so_many_devices(
    client: httpx.AsyncClient, services: Services
) -> None:
    (maya,) = await members(client, services, "maya")
    for n in range(MAX_DEVICES):
        await subscribe(client, maya, Browser().subscription(f"https://push.example.org/{n}"))
    before = await snapshot(services)
    answer = await subscribe(
        client, maya, Browser().subscription("https://push.example.org/one-more"), status=409
    )
    assert answer["field"] == "endpoint"
    assert f"{MAX_DEVICES} devices" in answer["detail"]
    assert await snapshot(services) == before
    # An existing device may still renew its subscription.
    await subscribe(client, maya, Browser().subscription("https://push.example.org/0"))


@pytest.mark.once
async def test_the_app_is_installable(client: httpx.AsyncClient) -> None:
    response = await client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["start_url"] == "/app" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {i["sizes"] for i in manifest["icons"] if i.get("purpose", "any") == "any"}
    assert {"192x192", "512x512"} <= sizes
    assert any(i.get("purpose") == "maskable" for i in manifest["icons"])
    worker = await client.get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "__VERSION__" not in worker.text
    csp = worker.headers["content-security-policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp
    offline = await client.get("/offline")
    assert offline.status_code == 200 and "offline" in offline.text
    home = await client.get("/login")
    assert 'rel="manifest" href="/manifest.webmanifest"' in home.text
