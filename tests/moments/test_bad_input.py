"""Bad input to every moments endpoint and form: a clear 4xx, and nothing written (no row, no
file in the media folder)."""

# ruff: noqa: E501  (the tables of cases read best one case per line)

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from PIL import Image

from socialode.platform.services import Services
from tests.conversations.people import Member, connect, members
from tests.form_helpers import assert_form_refused, stored_state
from tests.moments.people import image_bytes, make_circle, shared


@dataclass
class Setup:
    ada: Member
    bob: Member
    cyd: Member  # connected to Ada, in none of her circles
    dee: Member  # connected to nobody
    family: int  # Ada's circle with Bob
    empty: int  # Ada's circle with nobody
    bobs: int  # Bob's circle with Ada
    moment: int  # Ada's moment for Family
    support: int  # Ada asking Bob for support


@pytest.fixture
async def setup(
    client: httpx.AsyncClient, services: Services, reuse: Callable[..., Awaitable[Setup]]
) -> Setup:
    return await reuse(lambda: build_setup(client, services))


async def build_setup(client: httpx.AsyncClient, services: Services) -> Setup:
    ada, bob, cyd, dee = await members(client, services, "ada_m", "bob_m", "cyd_m", "dee_m")
    await connect(client, ada, bob)
    await connect(client, ada, cyd)
    family = await make_circle(client, ada, "Family", bob)
    empty = await make_circle(client, ada, "Empty")
    bobs = await make_circle(client, bob, "Bobs", ada)
    moment = await shared(client, ada, "Tea in the garden", circles=[family])
    asked = await client.post(
        "/api/v1/moments/support", json={"supporters": ["bob_m"]}, headers=ada.headers
    )
    assert asked.status_code == 201, asked.text
    on = await client.put(
        f"/api/v1/circles/{family}/prompt", json={"enabled": True}, headers=ada.headers
    )
    assert on.status_code == 200, on.text
    return Setup(ada, bob, cyd, dee, family, empty, bobs, moment, asked.json()["id"])


Call = Callable[[httpx.AsyncClient, Setup], Awaitable[httpx.Response]]


def _url(path: str, s: Setup) -> str:
    return path.format(family=s.family, empty=s.empty, bobs=s.bobs, m=s.moment, sup=s.support)


def _fill(body: Any, s: Setup) -> Any:
    if isinstance(body, dict):
        return {k: _fill(v, s) for k, v in body.items()}
    if isinstance(body, list):
        return [_fill(v, s) for v in body]
    if body in ("{family}", "{empty}", "{bobs}"):
        return int(_url(body, s))
    return body


def call(method: str, path: str, who: str, body: Any = None) -> Call:
    def run(client: httpx.AsyncClient, s: Setup) -> Awaitable[httpx.Response]:
        return client.request(
            method, _url(path, s), json=_fill(body, s), headers=getattr(s, who).headers
        )

    return run


KEY = "0123456789abcdef"
M = "/api/v1/moments"
CASES: list[tuple[str, Call, int, str]] = [
    ("empty", call("POST", M, "ada", {"body": "  ", "circles": ["{family}"]}), 422, "write a few words"),
    ("only control characters", call("POST", M, "ada", {"body": "\x00\x07", "circles": ["{family}"]}), 422, "write a few words"),
    ("oversized", call("POST", M, "ada", {"body": "x" * 1001, "circles": ["{family}"]}), 422, "1,000 characters"),
    ("far too large", call("POST", M, "ada", {"body": "x" * 20001, "circles": ["{family}"]}), 422, "body"),
    ("long content note", call("POST", M, "ada", {"body": "hi", "circles": ["{family}"], "content_note": "n" * 101}), 422, "100 characters"),
    ("no audience", call("POST", M, "ada", {"body": "hi"}), 422, "at least one circle or person"),
    ("someone else's circle", call("POST", M, "ada", {"body": "hi", "circles": ["{bobs}"]}), 422, "not one of yours"),
    ("a circle that does not exist", call("POST", M, "ada", {"body": "hi", "circles": [999999]}), 422, "not one of yours"),
    ("an empty circle", call("POST", M, "ada", {"body": "hi", "circles": ["{empty}"]}), 422, "nobody is in"),
    ("a non-connection", call("POST", M, "ada", {"body": "hi", "people": ["dee_m"]}), 422, "only with your connections"),
    ("an unknown handle", call("POST", M, "ada", {"body": "hi", "people": ["nobody_here"]}), 422, "only with your connections"),
    ("a connection and a stranger", call("POST", M, "ada", {"body": "hi", "people": ["bob_m", "dee_m"]}), 422, "dee_m"),
    ("yourself", call("POST", M, "ada", {"body": "hi", "people": ["ada_m"]}), 422, "only with your connections"),
    ("a photo that is not yours", call("POST", M, "ada", {"body": "hi", "circles": ["{family}"], "photo_id": 999999}), 422, "upload it again"),
    ("an absurd photo id", call("POST", M, "ada", {"body": "hi", "circles": ["{family}"], "photo_id": 99999999999}), 422, "photo id"),
    ("body not text", call("POST", M, "ada", {"body": 5, "circles": ["{family}"]}), 422, "body"),
    ("an absurd circle id", call("POST", M, "ada", {"body": "hi", "circles": [4405626788878882263175004160]}), 422, "circles"),
    ("circles not numbers", call("POST", M, "ada", {"body": "hi", "circles": ["family"]}), 422, "circles"),
    ("unknown field", call("POST", M, "ada", {"body": "hi", "circles": ["{family}"], "likes": 1}), 422, "likes"),
    ("support from nobody", call("POST", f"{M}/support", "ada", {"supporters": []}), 422, "at least one person"),
    ("support from too many", call("POST", f"{M}/support", "ada", {"supporters": [f"p{i}_m" for i in range(6)]}), 422, "up to 5"),
    ("support from a stranger", call("POST", f"{M}/support", "ada", {"supporters": ["dee_m"]}), 422, "only with your connections"),
    ("support too long", call("POST", f"{M}/support", "ada", {"body": "s" * 1001, "supporters": ["bob_m"]}), 422, "1,000"),
    ("edit someone else's", call("PATCH", f"{M}/{{m}}", "bob", {"body": "mine now"}), 404, "not here"),
    ("edit to empty", call("PATCH", f"{M}/{{m}}", "ada", {"body": " "}), 422, "write a few words"),
    ("edit an unknown one", call("PATCH", f"{M}/999999", "ada", {"body": "x"}), 404, "not here"),
    ("delete someone else's", call("DELETE", f"{M}/{{m}}", "bob"), 404, "not here"),
    ("delete an absurd id", call("DELETE", f"{M}/99999999999", "ada"), 422, "moment id"),
    ("close a moment that is no request", call("POST", f"{M}/{{m}}/close", "ada"), 409, "only a request for support"),
    ("close someone else's request", call("POST", f"{M}/{{sup}}/close", "bob"), 404, "not here"),
    ("answer your own", call("POST", f"{M}/{{m}}/answers", "ada", {"body": "hi", "client_key": KEY}), 422, "your own moment"),
    ("answer with nothing", call("POST", f"{M}/{{m}}/answers", "bob", {"body": " ", "client_key": KEY}), 422, "write"),
    ("answer too long", call("POST", f"{M}/{{m}}/answers", "bob", {"body": "a" * 4001, "client_key": KEY}), 422, "4,000"),
    ("answer with a bad key", call("POST", f"{M}/{{m}}/answers", "bob", {"body": "hi", "client_key": "k"}), 422, "idempotency"),
    ("answer what you cannot see", call("POST", f"{M}/{{m}}/answers", "cyd", {"body": "hi", "client_key": KEY}), 404, "not here"),
    ("answer a question not yours", call("POST", "/api/v1/prompts/{bobs}/answers", "cyd", {"body": "hi"}), 404, "no question"),
    ("answer a question with nothing", call("POST", "/api/v1/prompts/{family}/answers", "bob", {"body": ""}), 422, "write a few words"),
    ("answer a question that is off", call("POST", "/api/v1/prompts/{empty}/answers", "ada", {"body": "hi"}), 404, "no question"),
    ("set aside an unknown question", call("POST", "/api/v1/prompts/999999/set-aside", "ada"), 404, "no question"),
    ("another's circle question", call("PUT", "/api/v1/circles/{bobs}/prompt", "ada", {"enabled": True}), 404, "circle"),
    ("a question too long", call("PUT", "/api/v1/circles/{family}/prompt", "ada", {"enabled": True, "question": "q" * 301}), 422, "300 characters"),
    ("enabled not a boolean", call("PUT", "/api/v1/circles/{family}/prompt", "ada", {"enabled": "maybe"}), 422, "enabled"),
    ("reflection too long", call("PUT", "/api/v1/settings/moments", "ada", {"enabled": True, "text": "r" * 201}), 422, "200 characters"),
    ("a negative feed start", call("GET", "/api/v1/feed?since=-1", "ada"), 422, "since"),
    ("a forged feed cursor", call("GET", "/api/v1/feed?cursor=WzEsMl0", "ada"), 422, "cursor"),
    ("a cursor that is no cursor", call("GET", "/api/v1/moments/mine?cursor=%25%25", "ada"), 422, "cursor"),
    ("a day that is no date", call("GET", "/api/v1/feed/days/2026-13-40", "ada"), 422, "day"),
    ("read up to zero", call("POST", "/api/v1/notifications/read", "ada", {"upto": 0}), 422, "upto"),
    ("discard a photo that is not there", call("DELETE", f"{M}/photos/999999", "ada"), 404, "upload it again"),
]  # fmt: skip


async def refused(
    services: Services, response: Awaitable[httpx.Response], status: int, words: str
) -> None:
    before = await stored_state(services)
    answer = await response
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, str) and len(detail) > 10, detail
    assert words.lower() in detail.lower(), detail
    assert await stored_state(services) == before, "a refused request wrote something"


@pytest.mark.reuses_setup
@pytest.mark.parametrize(("name", "request_", "status", "words"), CASES, ids=[c[0] for c in CASES])
async def test_moments_api_refuses(
    client: httpx.AsyncClient,
    services: Services,
    setup: Setup,
    name: str,
    request_: Call,
    status: int,
    words: str,
) -> None:
    await refused(services, request_(client, setup), status, words)


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, format="PNG")
    return out.getvalue()


def _corrupt() -> bytes:
    whole = image_bytes("PNG", (300, 300))
    return whole[: len(whole) // 2]


PHOTOS: list[tuple[str, Callable[[], bytes], int, str]] = [
    ("an empty file", lambda: b"", 422, "choose an image"),
    ("text, not an image", lambda: b"hello, this is text" * 10, 422, "not an image we can read"),
    ("a corrupt PNG", _corrupt, 422, "not an image we can read"),
    ("a BMP", lambda: image_bytes("BMP"), 422, "JPEG, PNG, GIF or WebP"),
    ("a TIFF", lambda: image_bytes("TIFF"), 422, "JPEG, PNG, GIF or WebP"),
    ("a decompression bomb", _bomb, 422, "too many pixels"),
]


@pytest.mark.reuses_setup
@pytest.mark.parametrize(("name", "make", "status", "words"), PHOTOS, ids=[p[0] for p in PHOTOS])
async def test_bad_photos_are_refused(
    client: httpx.AsyncClient,
    services: Services,
    setup: Setup,
    name: str,
    make: Callable[[], bytes],
    status: int,
    words: str,
) -> None:
    files = {"photo": ("p.png", make(), "image/png")}
    upload = client.post("/api/v1/moments/photos", files=files, headers=setup.ada.headers)
    await refused(services, upload, status, words)


async def test_an_oversized_photo_is_refused(
    client: httpx.AsyncClient, services: Services, setup: Setup
) -> None:
    services.settings.max_upload_bytes = 50_000
    big = image_bytes("PNG", (400, 400), compress_level=0)
    assert len(big) > 50_000
    files = {"photo": ("p.png", big, "image/png")}
    upload = client.post("/api/v1/moments/photos", files=files, headers=setup.ada.headers)
    await refused(services, upload, 413, "too large")


def form(path: str, who: str, data: dict[str, Any], files: dict[str, Any] | None = None) -> Call:
    def run(client: httpx.AsyncClient, s: Setup) -> Awaitable[httpx.Response]:
        filled = {k: _url(v, s) if isinstance(v, str) else v for k, v in data.items()}
        return client.post(_url(path, s), data=filled, files=files, headers=getattr(s, who).headers)

    return run


PNG_FILE = {"photos": ("p.txt", b"not an image at all", "text/plain")}
FORMS: list[tuple[str, Call, int, str, str, dict[str, str]]] = [
    ("empty moment", form("/moments", "ada", {"body": " ", "circles": "{family}"}), 422, "body", "write a few words", {}),
    ("oversized moment", form("/moments", "ada", {"body": "z" * 1001, "circles": "{family}"}), 422, "body", "1,000", {"body": "z" * 1001}),
    ("no audience", form("/moments", "ada", {"body": "kept words"}), 422, "audience", "at least one", {"body": "kept words"}),
    ("someone else's circle", form("/moments", "ada", {"body": "kept", "circles": "{bobs}"}), 422, "audience", "not one of yours", {"body": "kept"}),
    ("a stranger", form("/moments", "ada", {"body": "kept", "people": "dee_m"}), 422, "audience", "only with your connections", {"body": "kept"}),
    ("long content note", form("/moments", "ada", {"body": "hi", "circles": "{family}", "content_note": "c" * 101}), 422, "content_note", "100 characters", {}),
    ("a file that is no image", form("/moments", "ada", {"body": "kept", "circles": "{family}"}, PNG_FILE), 422, "photos", "not an image", {"body": "kept"}),
    ("support from nobody", form("/support", "ada", {"body": "hard week"}), 422, "supporters", "at least one", {"body": "hard week"}),
    ("answer with nothing", form("/moments/{m}/answer", "bob", {"body": " ", "client_key": KEY}), 422, "body", "write", {}),
    ("edit to empty", form("/moments/{m}/edit", "ada", {"body": ""}), 422, "body", "write a few words", {}),
    ("close a moment that is no request", form("/moments/{m}/close", "ada", {}), 409, "_form", "only a request", {}),
    ("a prompt answer with nothing", form("/prompts/{family}/answer", "bob", {"body": ""}), 422, "body", "write a few words", {}),
    ("a question too long", form("/circles/{family}/prompt", "ada", {"enabled": "on", "question": "q" * 301}), 422, "question", "300", {}),
    ("reflection too long", form("/settings/moments", "ada", {"reflection_enabled": "on", "reflection_text": "r" * 201}), 422, "reflection_text", "200", {}),
]  # fmt: skip


@pytest.mark.reuses_setup
@pytest.mark.parametrize(
    ("name", "request_", "status", "where", "words", "kept"), FORMS, ids=[f[0] for f in FORMS]
)
async def test_moments_forms_refuse(
    client: httpx.AsyncClient,
    services: Services,
    setup: Setup,
    name: str,
    request_: Call,
    status: int,
    where: str,
    words: str,
    kept: dict[str, str],
) -> None:
    await assert_form_refused(services, request_(client, setup), status, where, words, kept=kept)
