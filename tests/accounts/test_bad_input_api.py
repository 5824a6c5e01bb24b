"""Bad input to every accounts endpoint: a clear 4xx, and nothing written."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import httpx
import pytest
import time_machine
from PIL import Image

from socialode.platform.clock import utcnow
from socialode.platform.services import Services
from tests.helpers import PASSWORD, bearer, invite_token, login, make_admin, sign_up, snapshot


async def assert_refused(
    services: Services, response_coro: Any, status: int, words: str | None = None
) -> dict[str, Any]:
    before = await snapshot(services)
    response: httpx.Response = await response_coro
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and len(body["detail"]) > 10
    if words:
        assert words.lower() in body["detail"].lower(), body["detail"]
    assert await snapshot(services) == before, "a refused request wrote something"
    return dict(body)


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ({"email": ""}, 422, "enter an email"),
        ({"email": "not-an-address"}, 422, "does not look right"),
        ({"email": "a" * 250 + "@example.org"}, 422, "too long"),
        ({"email": "x" * 400}, 422, "email"),
        ({"email": 12345}, 422, "email"),
        ({"email": "ok@example.org", "reason": "w" * 501}, 422, "500 characters"),
        ({"reason": "no email"}, 422, "email"),
    ],
)
async def test_waitlist_refuses(
    client: httpx.AsyncClient, services: Services, payload: dict[str, Any], status: int, words: str
) -> None:
    await assert_refused(services, client.post("/api/v1/waitlist", json=payload), status, words)


async def test_waitlist_refuses_non_json(client: httpx.AsyncClient, services: Services) -> None:
    await assert_refused(
        services,
        client.post(
            "/api/v1/waitlist", content=b"{nope", headers={"content-type": "application/json"}
        ),
        422,
    )


def signup_body(token: str, **changes: Any) -> dict[str, Any]:
    body = {
        "invite_token": token,
        "handle": "grace_h",
        "display_name": "Grace",
        "email": "grace@example.org",
        "password": PASSWORD,
        "timezone": "America/New_York",
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"handle": ""}, 422, "choose a handle"),
        ({"handle": "ab"}, 422, "3 to 30"),
        ({"handle": "a" * 31}, 422, "3 to 30"),
        ({"handle": "grace h"}, 422, "3 to 30"),
        ({"handle": "gr\u0430ce"}, 422, "look-alike"),  # Cyrillic a
        ({"handle": "\uff47race"}, 422, "look-alike"),  # fullwidth g
        ({"handle": 42}, 422, "handle"),
        ({"display_name": "   "}, 422, "name"),
        ({"display_name": "n" * 61}, 422, "60"),
        ({"email": "grace@"}, 422, "email"),
        ({"password": "short"}, 422, "at least 10"),
        ({"password": "1234567890"}, 422, "most common"),
        ({"password": "qwertyuiop"}, 422, "most common"),
        ({"password": "grace_h_is_me_2024"}, 422, "handle"),
        ({"timezone": "Mars/Olympus"}, 422, "time zone"),
        ({"password": None}, 422, "password"),
    ],
)
async def test_signup_refuses_bad_fields(
    client: httpx.AsyncClient,
    services: Services,
    changes: dict[str, Any],
    status: int,
    words: str,
) -> None:
    token = await invite_token(services)
    body = signup_body(token, **changes)
    await assert_refused(services, client.post("/api/v1/auth/signup", json=body), status, words)
    # The invite still works afterwards: a refused sign-up spends nothing.
    assert (await client.get(f"/api/v1/invites/{token}")).status_code == 200


async def test_signup_refuses_duplicates(client: httpx.AsyncClient, services: Services) -> None:
    await sign_up(client, services, "grace_h", email_address="grace@example.org")
    token = await invite_token(services)
    await assert_refused(
        services,
        client.post(
            "/api/v1/auth/signup", json=signup_body(token, handle="GRACE_H", email="g2@x.org")
        ),
        409,
        "handle is taken",
    )
    await assert_refused(
        services,
        client.post(
            "/api/v1/auth/signup",
            json=signup_body(token, handle="other", email=" GRACE@example.org"),
        ),
        409,
        "already exists",
    )


async def test_invalid_invites_create_nothing(
    client: httpx.AsyncClient, services: Services
) -> None:
    forged = "A" * 43
    used = await invite_token(services)
    await sign_up_with(client, used)
    expired = await invite_token(services)
    texts = []
    await assert_refused(
        services, client.post("/api/v1/auth/signup", json=signup_body("x" * 300)), 422, "invite"
    )
    for token in (forged, used, ""):
        body = await assert_refused(
            services, client.post("/api/v1/auth/signup", json=signup_body(token)), 404
        )
        texts.append(body["detail"])
    with time_machine.travel(utcnow() + timedelta(days=15), tick=False):
        body = await assert_refused(
            services, client.post("/api/v1/auth/signup", json=signup_body(expired)), 404
        )
        texts.append(body["detail"])
    assert len(set(texts[:2] + texts[-1:])) == 1, "every invalid invite answers alike"
    assert "not valid" in texts[0]


async def sign_up_with(client: httpx.AsyncClient, token: str) -> None:
    body = signup_body(token, handle="first_one", email="first@example.org")
    assert (await client.post("/api/v1/auth/signup", json=body)).status_code == 201
    client.cookies.clear()


async def test_login_unknown_and_wrong_password_answer_alike(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "alan_t")
    wrong = await assert_refused(
        services,
        client.post("/api/v1/auth/login", json={"login": "alan_t", "password": "wrong-password-1"}),
        401,
    )
    unknown = await assert_refused(
        services,
        client.post(
            "/api/v1/auth/login", json={"login": "nobody_x", "password": "wrong-password-1"}
        ),
        401,
    )
    assert wrong == unknown
    await assert_refused(
        services, client.post("/api/v1/auth/login", json={"login": "", "password": ""}), 422
    )
    await assert_refused(
        services, client.post("/api/v1/auth/login", json={"login": ["a"], "password": 1}), 422
    )


def png(width: int = 40, height: int = 30, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), 1 if mode == "1" else (200, 80, 40)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "status", "words"),
    [
        (b"", 422, "choose an image"),
        (b"hello, not an image at all", 422, "not an image"),
        (png()[:60], 422, "not an image"),
        (png(9000, 9000, "1"), 422, "too many pixels"),
        (b"%PDF-1.4 fake", 422, "not an image"),
    ],
)
async def test_avatar_refuses_bad_files(
    client: httpx.AsyncClient, services: Services, content: bytes, status: int, words: str
) -> None:
    token = await sign_up(client, services, "marie_c")
    await assert_refused(
        services,
        client.put(
            "/api/v1/me/avatar",
            files={"avatar": ("a.png", content, "image/png")},
            headers=bearer(token),
        ),
        status,
        words,
    )
    me = (await client.get("/api/v1/me", headers=bearer(token))).json()
    assert me["avatar_url"] is None


async def test_avatar_refuses_oversized_upload(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await sign_up(client, services, "marie_c")
    big = b"\x89PNG" + b"0" * (services.settings.max_upload_bytes + 10)
    response = await client.put(
        "/api/v1/me/avatar", files={"avatar": ("a.png", big, "image/png")}, headers=bearer(token)
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"bio": "b" * 301}, "300"),
        ({"display_name": ""}, "name"),
        ({"pronouns": "p" * 41}, "40"),
        ({"interests": [f"tag{i}" for i in range(9)]}, "up to 8"),
        ({"interests": ["x" * 31]}, "30"),
        ({"interests": "not a list"}, "interests"),
        ({"timezone": "Nowhere/Land"}, "time zone"),
        ({"bio": "fine", "timezone": "Nowhere/Land"}, "time zone"),
    ],
)
async def test_profile_refuses_bad_fields(
    client: httpx.AsyncClient, services: Services, payload: dict[str, Any], words: str
) -> None:
    token = await sign_up(client, services, "rosalind")
    before = (await client.get("/api/v1/me", headers=bearer(token))).json()
    await assert_refused(
        services, client.patch("/api/v1/me", json=payload, headers=bearer(token)), 422, words
    )
    assert (await client.get("/api/v1/me", headers=bearer(token))).json() == before


async def test_password_change_refusals(client: httpx.AsyncClient, services: Services) -> None:
    token = await sign_up(client, services, "emmy_n")
    await assert_refused(
        services,
        client.post(
            "/api/v1/auth/password",
            json={"current_password": "not-my-password", "new_password": "another-fine-secret"},
            headers=bearer(token),
        ),
        422,
        "current password",
    )
    await assert_refused(
        services,
        client.post(
            "/api/v1/auth/password",
            json={"current_password": PASSWORD, "new_password": "password123"},
            headers=bearer(token),
        ),
        422,
    )
    assert await login(client, "emmy_n")  # the old password still works


async def test_reset_refusals(client: httpx.AsyncClient, services: Services) -> None:
    await assert_refused(
        services, client.post("/api/v1/auth/password-reset", json={"email": "nope"}), 422, "email"
    )
    for token in ("forged-token-value-that-is-long-enough", ""):
        await assert_refused(
            services,
            client.post(
                "/api/v1/auth/password-reset/confirm",
                json={"token": token, "password": "a-new-fine-secret"},
            ),
            404,
            "not valid",
        )


async def test_member_invites_run_out(client: httpx.AsyncClient, services: Services) -> None:
    token = await sign_up(client, services, "katherine")
    for n in range(services.settings.member_invites):
        r = await client.post(
            "/api/v1/me/invites", json={"email": f"friend{n}@example.org"}, headers=bearer(token)
        )
        assert r.status_code == 201, r.text
    await assert_refused(
        services,
        client.post("/api/v1/me/invites", json={"email": "one@more.org"}, headers=bearer(token)),
        422,
        "no invites left",
    )
    await assert_refused(
        services,
        client.post("/api/v1/me/invites", json={"email": "broken@"}, headers=bearer(token)),
        422,
        "email",
    )


async def test_invite_for_existing_member_is_refused(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await sign_up(client, services, "katherine")
    await sign_up(client, services, "dorothy", email_address="dorothy@example.org")
    await assert_refused(
        services,
        client.post(
            "/api/v1/me/invites", json={"email": "Dorothy@example.org"}, headers=bearer(token)
        ),
        409,
        "already has an account",
    )


async def test_withdrawing_someone_elses_invite_is_not_found(
    client: httpx.AsyncClient, services: Services
) -> None:
    a = await sign_up(client, services, "katherine")
    b = await sign_up(client, services, "dorothy")
    made = await client.post("/api/v1/me/invites", json={}, headers=bearer(a))
    invite_id = made.json()["id"]
    await assert_refused(
        services, client.delete(f"/api/v1/me/invites/{invite_id}", headers=bearer(b)), 404
    )


@pytest.mark.parametrize("count", [0, -1, 501, "many", None])
async def test_release_refuses_bad_counts(
    client: httpx.AsyncClient, services: Services, count: object
) -> None:
    await make_admin(services)
    admin = await login(client, "root_admin")
    await assert_refused(
        services,
        client.post("/api/v1/admin/invites/release", json={"count": count}, headers=bearer(admin)),
        422,
        "count",
    )


async def test_admin_surfaces_are_missing_for_members(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await sign_up(client, services, "member_m")
    await make_admin(services)
    for call in (
        client.get("/api/v1/admin/waitlist", headers=bearer(token)),
        client.post("/api/v1/admin/invites/release", json={"count": 1}, headers=bearer(token)),
        client.put(
            "/api/v1/admin/users/root_admin/role", json={"role": "member"}, headers=bearer(token)
        ),
        client.get("/api/v1/users/root_admin", headers=bearer(token)),
    ):
        await assert_refused(services, call, 404)


async def test_role_refusals(client: httpx.AsyncClient, services: Services) -> None:
    await make_admin(services)
    await sign_up(client, services, "member_m")
    admin = await login(client, "root_admin")
    await assert_refused(
        services,
        client.put(
            "/api/v1/admin/users/member_m/role", json={"role": "king"}, headers=bearer(admin)
        ),
        422,
        "role",
    )
    await assert_refused(
        services,
        client.put(
            "/api/v1/admin/users/root_admin/role", json={"role": "member"}, headers=bearer(admin)
        ),
        422,
        "own role",
    )
    await assert_refused(
        services,
        client.put("/api/v1/admin/users/ghost/role", json={"role": "admin"}, headers=bearer(admin)),
        404,
    )


async def test_signed_out_requests_are_told_to_sign_in(
    client: httpx.AsyncClient, services: Services
) -> None:
    for call in (
        client.get("/api/v1/me"),
        client.get("/api/v1/sessions"),
        client.get("/api/v1/me", headers=bearer("made-up-token")),
        client.patch("/api/v1/me", json={"bio": "x"}),
    ):
        body = await assert_refused(services, call, 401)
        assert "sign in" in body["detail"].lower()
