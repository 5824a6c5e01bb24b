"""Bad input to every HTML form: the same page again with the message beside the field,
what the person typed kept (never a password), a 4xx status, and nothing written."""

from __future__ import annotations

import io
import random
from datetime import timedelta
from urllib.parse import quote

import httpx
import pytest
import time_machine
from PIL import Image
from sqlalchemy import select

from socialode.accounts import actions
from socialode.accounts.models import User
from socialode.config import Settings
from socialode.platform.clock import utcnow
from socialode.platform.services import Services
from tests.form_helpers import (
    answer_of,
    assert_form_refused,
    case,
    page_of,
    recording_upload_leaks,
    stored_state,
    web_login,
)
from tests.helpers import (
    PASSWORD,
    bearer,
    invite_token,
    link_in,
    mail_to,
    make_admin,
    outbox,
    run_jobs,
    sent_to,
    sign_up,
    snapshot,
    token_of,
)

NEW_PASSWORD = "velvet-orchard-compass-7"


# The cheapest Argon2 the settings allow keeps the many sign-ins quick; one client trying many
# bad inputs in a row needs more room than the per-address defaults give a person.
QUICK = {
    "argon2_memory_kib": 8 * 1024,
    "argon2_time_cost": 1,
    "rate_waitlist_client": "100/hour",
    "rate_signup_client": "100/hour",
}


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return dict(QUICK)


def limited(**rules: str) -> pytest.MarkDecorator:
    """Run a test with small rate limits (still the real limiter) so it reaches them fast."""
    return pytest.mark.parametrize("settings_overrides", [{**QUICK, **rules}], ids=["limited"])


async def role_of(services: Services, handle: str) -> str | None:
    async with services.db.sessions() as db:
        role: str | None = await db.scalar(select(User.role).where(User.handle == handle))
    return role


# Waitlist -------------------------------------------------------------------------------------


WAITLIST_CASES = [
    ({"email": "", "reason": "My family is here."}, "email", "enter an email"),
    ({"email": "not-an-address", "reason": "Old friends"}, "email", "does not look right"),
    ({"email": "a" * 250 + "@example.org", "reason": ""}, "email", "too long"),
    ({"email": "ok@example.org", "reason": "w" * 501}, "reason", "500 characters"),
    ({"email": ' "><b>x</b>', "reason": "<script>alert(1)</script>"}, "email", "email"),
]


async def test_waitlist_form_refuses(client: httpx.AsyncClient, services: Services) -> None:
    for data, where, words in WAITLIST_CASES:
        with case(data):
            page = await assert_form_refused(
                services, client.post("/waitlist", data=data), 422, where, words, kept=data
            )
            assert "<script>" not in page.html and "<b>x" not in page.html, "markup not escaped"
            assert page.h1 == "Stay close to the people you care about."


@limited(rate_waitlist_client="4/hour")
async def test_waitlist_form_rate_limit(client: httpx.AsyncClient, services: Services) -> None:
    for _ in range(4):
        response = await client.post("/waitlist", data={"email": "", "reason": ""})
        assert response.status_code == 422
    typed = {"email": "late@example.org", "reason": "Patience"}
    page = await assert_form_refused(
        services, client.post("/waitlist", data=typed), 429, "_form", "too many", kept=typed
    )
    assert page.response is not None and int(page.response.headers["Retry-After"]) > 0


async def test_waitlist_form_happy_path(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    before = await snapshot(services)
    response = await client.post("/waitlist", data={"email": "Ada@Example.org", "reason": "Kin"})
    assert response.status_code == 200
    page = page_of(response)
    assert page.h1 == "Thank you for wanting to join"
    assert "emailed it a link" in page.text()
    after = await snapshot(services)
    assert after["waitlist_entries"] == before["waitlist_entries"] + 1
    assert after["jobs"] == before["jobs"] + 1
    assert mail_to(settings, "ada@example.org") == [], "sent by a job, not by the request"
    assert link_in((await sent_to(services, "ada@example.org"))[-1], "/waitlist/status/")


# Sign-up by invite ----------------------------------------------------------------------------


def signup_form(**changes: str) -> dict[str, str]:
    form = {
        "handle": "grace_h",
        "display_name": "Grace",
        "email": "grace@example.org",
        "password": PASSWORD,
        "timezone": "America/New_York",
    }
    form.update(changes)
    return form


def typed_back(form: dict[str, str], *, invalid_timezone: bool = False) -> dict[str, str]:
    """What the re-rendered form should show: everything but the password (and a time zone
    that is not in the list, which a <select> cannot show)."""
    skip = {"password"} | ({"timezone"} if invalid_timezone else set())
    return {k: v for k, v in form.items() if k not in skip}


SIGNUP_CASES = [
    ({"handle": ""}, "handle", "choose a handle"),
    ({"handle": "ab"}, "handle", "3 to 30"),
    ({"handle": "grace h"}, "handle", "3 to 30"),
    ({"handle": "gr\u0430ce"}, "handle", "look-alike"),  # Cyrillic a
    ({"handle": "\uff47race"}, "handle", "look-alike"),  # fullwidth g
    ({"display_name": "   "}, "display_name", "name"),
    ({"display_name": "n" * 61}, "display_name", "60"),
    ({"email": "grace@"}, "email", "does not look right"),
    ({"password": "Tiny#9"}, "password", "at least 10"),
    ({"password": "1234567890"}, "password", "most common"),
    ({"password": "grace_h_is_me_2024"}, "password", "handle"),
    ({"timezone": "Mars/Olympus"}, "timezone", "time zone"),
]


async def test_signup_form_refuses_bad_fields(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await invite_token(services)
    for changes, where, words in SIGNUP_CASES:
        with case(changes):
            form = signup_form(**changes)
            await assert_form_refused(
                services,
                client.post(f"/invite/{token}", data=form),
                422,
                where,
                words,
                kept=typed_back(form, invalid_timezone=where == "timezone"),
                secrets=(form["password"],),
            )
            assert "socialode_session" not in client.cookies
    # A refused sign-up spends nothing: the invite page still opens.
    assert (await client.get(f"/invite/{token}")).status_code == 200


async def test_signup_form_refuses_duplicates(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "grace_h", email_address="grace@example.org")
    token = await invite_token(services)
    form = signup_form(handle="GRACE_H", email="g2@example.org")
    await assert_form_refused(
        services,
        client.post(f"/invite/{token}", data=form),
        409,
        "handle",
        "handle is taken",
        kept=typed_back(form),
        secrets=(PASSWORD,),
    )
    form = signup_form(handle="other_one", email=" GRACE@example.org")
    await assert_form_refused(
        services,
        client.post(f"/invite/{token}", data=form),
        409,
        "email",
        "already exists",
        kept=typed_back(form),
        secrets=(PASSWORD,),
    )


async def test_signup_form_refuses_invalid_invites(
    client: httpx.AsyncClient, services: Services
) -> None:
    used = await invite_token(services)
    response = await client.post(f"/invite/{used}", data=signup_form(handle="first_one"))
    assert response.status_code == 303
    client.cookies.clear()
    expired = await invite_token(services)
    form = signup_form(email="someone@example.org")
    banners = []
    for token in ("A" * 43, used, "x" * 300):
        page = await assert_form_refused(
            services,
            client.post(f"/invite/{token}", data=form),
            404,
            "_form",
            "not valid",
            kept=typed_back(form),
            secrets=(PASSWORD,),
        )
        banners.append(page.alerts[0])
    with time_machine.travel(utcnow() + timedelta(days=15), tick=False):
        page = await assert_form_refused(
            services,
            client.post(f"/invite/{expired}", data=form),
            404,
            "_form",
            "not valid",
            kept=typed_back(form),
            secrets=(PASSWORD,),
        )
        banners.append(page.alerts[0])
        opened = await client.get(f"/invite/{expired}")
    assert len(set(banners)) == 1, "every invalid invite answers alike"
    assert opened.status_code == 404
    assert "not valid" in page_of(opened).error_messages[0]
    assert "socialode_session" not in client.cookies


@limited(rate_signup_client="3/hour")
async def test_signup_form_rate_limit(client: httpx.AsyncClient, services: Services) -> None:
    token = await invite_token(services)
    form = signup_form(handle="")
    for _ in range(3):
        assert (await client.post(f"/invite/{token}", data=form)).status_code == 422
    form = signup_form()
    page = await assert_form_refused(
        services,
        client.post(f"/invite/{token}", data=form),
        429,
        "_form",
        "too many",
        kept=typed_back(form),
        secrets=(PASSWORD,),
    )
    assert page.response is not None and "Retry-After" in page.response.headers


async def test_signup_form_happy_path(client: httpx.AsyncClient, services: Services) -> None:
    token = await invite_token(services, "grace@example.org")
    opened = page_of(await client.get(f"/invite/{token}"))
    assert opened.h1 == "Create your account"
    assert opened.value("email") == "grace@example.org", "the invited address is filled in"
    response = await client.post(f"/invite/{token}", data=signup_form())
    assert response.status_code == 303
    assert response.headers["location"] == "/settings/profile?notice=welcome"
    assert "socialode_session" in client.cookies
    page = page_of(await client.get(response.headers["location"]))
    assert "Welcome! Your account is ready." in page.text()
    assert page.value("display_name") == "Grace"
    assert page.value("timezone") == "America/New_York"
    assert (await client.get(f"/invite/{token}")).status_code == 404, "an invite works once"


async def test_first_admin_form_keeps_its_heading_after_an_error(
    client: httpx.AsyncClient, services: Services
) -> None:
    async with services.db.sessions() as db:
        link = await actions.do_create_first_admin_link(services, db)
    token = token_of(link)
    assert page_of(await client.get(f"/invite/{token}")).h1 == "Create the first administrator"
    page = await assert_form_refused(
        services,
        client.post(f"/invite/{token}", data=signup_form(password="Tiny#9")),
        422,
        "password",
        "at least 10",
        secrets=("Tiny#9",),
    )
    assert page.h1 == "Create the first administrator"


# Sign-in ---------------------------------------------------------------------------------------


async def test_login_form_wrong_password_and_unknown_handle_look_alike(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "alan_t")
    pages = []
    for who in ("alan_t", "nobody_x"):
        typed = {"login": who, "password": "wrong-password-1", "next": "/invites"}
        pages.append(
            await assert_form_refused(
                services,
                client.post("/login", data=typed),
                401,
                "_form",
                "don't match",
                kept={"login": who, "next": "/invites"},
                secrets=("wrong-password-1",),
            )
        )
    wrong, unknown = pages
    assert wrong.text() == unknown.text()
    assert wrong.html.replace("alan_t", "WHO") == unknown.html.replace("nobody_x", "WHO")
    assert "socialode_session" not in client.cookies


async def test_login_form_refuses_empty_fields(
    client: httpx.AsyncClient, services: Services
) -> None:
    for typed in (
        {"login": "", "password": ""},
        {"login": "   ", "password": PASSWORD},
        {"login": "alan_t"},
    ):
        with case(typed):
            await assert_form_refused(
                services,
                client.post("/login", data=typed),
                422,
                "login",
                "enter your handle or email",
                kept={"login": typed["login"]},
                secrets=(PASSWORD,),
            )


@limited(rate_login_account="3/15 minutes")
async def test_login_form_rate_limit(client: httpx.AsyncClient, services: Services) -> None:
    await sign_up(client, services, "alan_t")
    for _ in range(3):
        response = await client.post("/login", data={"login": "alan_t", "password": "nope-nope-1"})
        assert response.status_code == 401
    # Even the right password waits now: the limit counts attempts on the account.
    page = await assert_form_refused(
        services,
        client.post("/login", data={"login": "ALAN_T", "password": PASSWORD}),
        429,
        "_form",
        "too many",
        kept={"login": "ALAN_T"},
        secrets=(PASSWORD,),
    )
    assert page.response is not None and int(page.response.headers["Retry-After"]) > 0
    assert "socialode_session" not in client.cookies


async def test_login_form_happy_path(client: httpx.AsyncClient, services: Services) -> None:
    await sign_up(client, services, "alan_t")
    for next_path, lands_on in (
        ("/settings/profile", "/settings/profile"),
        ("", "/feed"),
        ("//evil.example/x", "/feed"),
        ("https://evil.example/", "/feed"),
        ("/\\evil.example", "/feed"),
    ):
        with case(next_path):
            client.cookies.clear()
            before = await snapshot(services)
            response = await client.post(
                "/login",
                data={"login": "Alan_T@example.org", "password": PASSWORD, "next": next_path},
            )
            assert response.status_code == 303
            assert response.headers["location"] == lands_on
            assert "socialode_session" in client.cookies
            assert (await snapshot(services))["sessions"] == before["sessions"] + 1
            assert (await client.get(lands_on)).status_code == 200


async def test_logout_form(client: httpx.AsyncClient, services: Services) -> None:
    await sign_up(client, services, "alan_t")
    await web_login(client, "alan_t")
    response = await client.post("/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?notice=signed-out"
    assert "socialode_session" not in client.cookies
    assert (await client.get("/settings/profile")).status_code == 303


# Signed-out visits ------------------------------------------------------------------------------


SIGNED_IN_PAGES = [
    "/settings/profile",
    "/settings/password",
    "/settings/sessions",
    "/invites",
    "/admin",
    "/admin?after=5",
    "/u/alan_t",
]


async def test_signed_out_pages_send_to_sign_in_and_back(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "alan_t")
    await make_admin(services, "alan_admin")
    for path in SIGNED_IN_PAGES:
        with case(path):
            client.cookies.clear()
            response = await client.get(path)
            assert response.status_code == 303
            assert response.headers["location"] == f"/login?next={quote(path)}"
            login_page = page_of(await client.get(response.headers["location"]))
            assert login_page.h1 == "Sign in"
            assert login_page.value("next") == path
            who = "alan_admin" if path.startswith("/admin") else "alan_t"
            signed_in = await client.post(
                "/login", data={"login": who, "password": PASSWORD, "next": path}
            )
            assert signed_in.status_code == 303
            assert signed_in.headers["location"] == path
            assert (await client.get(path)).status_code == 200
            # Signed in, the sign-in page passes straight on.
            again = await client.get(f"/login?next={quote(path)}")
            assert again.status_code == 303 and again.headers["location"] == path


async def test_signed_out_form_posts_are_refused(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "alan_t")
    for path, data in (
        ("/settings/profile", {"display_name": "X", "bio": "y"}),
        ("/settings/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        ("/invites", {"email": "x@example.org"}),
        ("/admin/release", {"count": "1"}),
        ("/admin/users/alan_t/role", {"role": "admin"}),
    ):
        before = await stored_state(services)
        response = await client.post(path, data=data)
        assert response.status_code == 401, path
        assert "sign in" in page_of(response).error_messages[0].lower()
        assert await stored_state(services) == before


async def test_cross_site_form_posts_are_refused(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "alan_t")
    before = await stored_state(services)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = await client.post(
            "/login", data={"login": "alan_t", "password": PASSWORD}, headers=headers
        )
        assert response.status_code == 403
        assert "another site" in response.text
    assert await stored_state(services) == before
    assert "socialode_session" not in client.cookies


# Password reset --------------------------------------------------------------------------------


async def test_reset_request_form_refuses(client: httpx.AsyncClient, services: Services) -> None:
    for email, words in (
        ("", "enter an email"),
        ("nope", "does not look right"),
        ("a@" + "b" * 260, "too long"),
    ):
        with case(email):
            await assert_form_refused(
                services,
                client.post("/reset", data={"email": email}),
                422,
                "email",
                words,
                kept={"email": email},
            )


@limited(rate_reset_account="2/hour")
async def test_reset_request_form_rate_limit(client: httpx.AsyncClient, services: Services) -> None:
    for _ in range(2):
        response = await client.post("/reset", data={"email": "someone@example.org"})
        assert response.status_code == 200
    typed = {"email": "SOMEONE@example.org"}
    page = await assert_form_refused(
        services, client.post("/reset", data=typed), 429, "_form", "too many", kept=typed
    )
    assert page.response is not None and "Retry-After" in page.response.headers


async def test_reset_request_form_answers_alike(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await sign_up(client, services, "emmy_n")
    known = page_of(await client.post("/reset", data={"email": "emmy_n@example.org"}))
    unknown = page_of(await client.post("/reset", data={"email": "ghost@example.org"}))
    assert known.response is not None and known.response.status_code == 200
    assert "If an account uses that address" in known.text()
    assert known.text() == unknown.text()
    assert len(await sent_to(services, "emmy_n@example.org")) == 1
    assert mail_to(settings, "ghost@example.org") == []


async def reset_token(client: httpx.AsyncClient, services: Services, address: str) -> str:
    assert (await client.post("/reset", data={"email": address})).status_code == 200
    return token_of(link_in((await sent_to(services, address))[-1], "/reset/"))


async def test_reset_form_refuses_bad_password(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await sign_up(client, services, "emmy_n")
    token = await reset_token(client, services, "emmy_n@example.org")
    assert page_of(await client.get(f"/reset/{token}")).h1 == "Choose a new password"
    for password, words in (
        ("Tiny#9", "at least 10"),
        ("1234567890", "most common"),
        ("emmy_n-rocks-2024", "handle"),
    ):
        await assert_form_refused(
            services,
            client.post(f"/reset/{token}", data={"password": password}),
            422,
            "password",
            words,
            secrets=(password,),
        )
    assert (await client.get(f"/reset/{token}")).status_code == 200, "the link still works"


async def test_reset_form_refuses_invalid_tokens(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await sign_up(client, services, "emmy_n")
    used = await reset_token(client, services, "emmy_n@example.org")
    response = await client.post(f"/reset/{used}", data={"password": NEW_PASSWORD})
    assert response.status_code == 303
    expired = await reset_token(client, services, "emmy_n@example.org")
    banners = []
    for token in ("forged-token-value-that-is-long-enough", used, "y" * 300):
        page = await assert_form_refused(
            services,
            client.post(f"/reset/{token}", data={"password": "a-new-fine-secret"}),
            404,
            "_form",
            "not valid",
            secrets=("a-new-fine-secret",),
        )
        banners.append(page.alerts[0])
        assert (await client.get(f"/reset/{token}")).status_code == 404
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        page = await assert_form_refused(
            services,
            client.post(f"/reset/{expired}", data={"password": "a-new-fine-secret"}),
            404,
            "_form",
            "not valid",
            secrets=("a-new-fine-secret",),
        )
        banners.append(page.alerts[0])
    assert len(set(banners)) == 1


async def test_reset_form_happy_path(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    api_token = await sign_up(client, services, "emmy_n")
    token = await reset_token(client, services, "emmy_n@example.org")
    response = await client.post(f"/reset/{token}", data={"password": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?notice=password-reset"
    page = page_of(await client.get(response.headers["location"]))
    assert "Sign in with the new one." in page.text()
    assert (await client.get("/api/v1/me", headers=bearer(api_token))).status_code == 401
    wrong = await client.post("/login", data={"login": "emmy_n", "password": PASSWORD})
    assert wrong.status_code == 401
    await web_login(client, "emmy_n", NEW_PASSWORD)


# Profile ----------------------------------------------------------------------------------------

NO_FILE = {"avatar": ("", b"", "application/octet-stream")}  # what a browser sends for no file


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def profile_form(**changes: str) -> dict[str, str]:
    form = {
        "display_name": "Rosalind",
        "pronouns": "she/her",
        "bio": "Crystallographer.",
        "interests": "x-rays, hiking",
        "timezone": "Europe/London",
    }
    form.update(changes)
    return form


async def signed_in_member(client: httpx.AsyncClient, services: Services, handle: str) -> str:
    token = await sign_up(client, services, handle)
    await web_login(client, handle)
    return token


PROFILE_CASES = [
    ({"display_name": ""}, "display_name", "name"),
    ({"display_name": "d" * 61}, "display_name", "60"),
    ({"pronouns": "p" * 41}, "pronouns", "40"),
    ({"bio": "b" * 301}, "bio", "300"),
    ({"interests": ", ".join(f"tag{i}" for i in range(9))}, "interests", "up to 8"),
    ({"interests": "fine, " + "x" * 31}, "interests", "30"),
    ({"timezone": "Nowhere/Land"}, "timezone", "time zone"),
    ({"bio": 'Line one\n<b>"bold"</b> & more', "timezone": "Nowhere/Land"}, "timezone", "zone"),
]


async def test_profile_form_refuses_bad_fields(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await signed_in_member(client, services, "rosalind")
    before = (await client.get("/api/v1/me", headers=bearer(token))).json()
    for changes, where, words in PROFILE_CASES:
        with case(changes):
            form = profile_form(**changes)
            kept = {k: v for k, v in form.items() if not (k == where == "timezone")}
            page = await assert_form_refused(
                services,
                client.post("/settings/profile", data=form, files=NO_FILE),
                422,
                where,
                words,
                kept=kept,
            )
            assert "<b>" not in page.html, "typed markup was not escaped"
            assert (await client.get("/api/v1/me", headers=bearer(token))).json() == before


async def test_profile_form_bad_avatar_saves_nothing_else(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await signed_in_member(client, services, "rosalind")
    form = profile_form(bio="A brand new bio about diffraction.")
    for content, words in (
        (b"hello, not an image at all", "not an image"),
        (png_bytes()[:60], "not an image"),
        (b"%PDF-1.4 fake", "not an image"),
    ):
        await assert_form_refused(
            services,
            client.post(
                "/settings/profile", data=form, files={"avatar": ("me.png", content, "image/png")}
            ),
            422,
            "avatar",
            words,
            kept=form,
        )
    profile = page_of(await client.get("/u/rosalind"))
    assert "A brand new bio" not in profile.html
    assert not any(settings.media_dir.rglob("*.jpg"))


async def test_profile_form_refuses_an_oversized_avatar(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await signed_in_member(client, services, "rosalind")
    big = b"\x89PNG" + b"0" * (settings.max_upload_bytes + 10)
    form = profile_form(bio="Too big a picture.")
    await assert_form_refused(
        services,
        client.post(
            "/settings/profile", data=form, files={"avatar": ("big.png", big, "image/png")}
        ),
        413,
        "avatar",
        "too large",
        kept=form,
    )


async def test_profile_form_closes_uploaded_files(
    client: httpx.AsyncClient, services: Services
) -> None:
    await signed_in_member(client, services, "rosalind")
    noisy = Image.frombytes("RGB", (640, 640), random.Random(7).randbytes(640 * 640 * 3))
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert len(out.getvalue()) > 1024 * 1024, "big enough to be spooled to a temporary file"
    leaked: dict[str, list[str]] = {}
    for label, files in (
        ("no file", NO_FILE),
        ("small photo", {"avatar": ("me.png", png_bytes(), "image/png")}),
        ("photo over 1 MB", {"avatar": ("noise.png", out.getvalue(), "image/png")}),
    ):
        with recording_upload_leaks() as leaks:
            response = await client.post("/settings/profile", data=profile_form(), files=files)
        assert response.status_code == 303
        leaked[label] = leaks
    assert not any(leaked.values()), leaked


async def test_profile_form_happy_path(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await signed_in_member(client, services, "rosalind")
    form = profile_form(
        display_name="Rosalind F.",
        bio="Photo 51, and long walks.",
        interests="x-rays, #hiking, X-Rays",
        timezone="Europe/Paris",
    )
    response = await client.post(
        "/settings/profile", data=form, files={"avatar": ("me.png", png_bytes(), "image/png")}
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/settings/profile?notice=profile-saved"
    settings_page = page_of(await client.get(response.headers["location"]))
    assert "Your profile is saved." in settings_page.text()
    assert settings_page.value("bio") == "Photo 51, and long walks."
    assert settings_page.value("interests") == "x-rays, hiking"
    assert settings_page.value("timezone") == "Europe/Paris"
    profile = page_of(await client.get("/u/rosalind"))
    assert profile.h1 == "Rosalind F."
    assert "Photo 51, and long walks." in profile.text()
    assert "she/her" in profile.text()
    assert len(list(settings.media_dir.rglob("*.jpg"))) == 2
    (photo,) = [img["src"] for img in profile.images if "face-lg" in img.get("class", "")]
    assert photo == "/api/v1/people/rosalind/avatar/256"
    image = await client.get(photo)
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    # Saving again without a file keeps the photo.
    again = await client.post("/settings/profile", data=form, files=NO_FILE)
    assert again.status_code == 303
    assert len(list(settings.media_dir.rglob("*.jpg"))) == 2


async def test_profiles_of_others_show_only_their_name(
    client: httpx.AsyncClient, services: Services
) -> None:
    """The one profile rule (circles.access_people): another member who is not a connection
    sees handle and name, never the bio; a handle nobody has is missing."""
    alan = await sign_up(client, services, "alan_t")
    await client.patch("/api/v1/me", json={"bio": "Morphogenesis."}, headers=bearer(alan))
    await signed_in_member(client, services, "rosalind")
    response = await client.get("/u/alan_t")
    assert response.status_code == 200
    assert "Morphogenesis." not in response.text
    response = await client.get("/u/nobody_here")
    assert response.status_code == 404
    assert page_of(response).h1 == "Not found"


# Password change --------------------------------------------------------------------------------


async def test_password_form_refuses(client: httpx.AsyncClient, services: Services) -> None:
    await signed_in_member(client, services, "emmy_n")
    for current, new, where, words in (
        ("not-my-password", NEW_PASSWORD, "current_password", "not your current password"),
        ("", NEW_PASSWORD, "current_password", "not your current password"),
        (PASSWORD, "Tiny#9", "new_password", "at least 10"),
        (PASSWORD, "1234567890", "new_password", "most common"),
        (PASSWORD, "emmy_n_again_2024", "new_password", "handle"),
    ):
        with case((current, new)):
            await assert_form_refused(
                services,
                client.post(
                    "/settings/password", data={"current_password": current, "new_password": new}
                ),
                422,
                where,
                words,
                secrets=tuple(s for s in (current, new) if s),
            )
    await web_login(client, "emmy_n")  # the old password still works


async def test_password_form_happy_path(client: httpx.AsyncClient, services: Services) -> None:
    api_token = await signed_in_member(client, services, "emmy_n")
    response = await client.post(
        "/settings/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/settings/sessions?notice=password-changed"
    page = page_of(await client.get(response.headers["location"]))
    assert "Your other sessions were signed out." in page.text()
    assert "(this device)" in page.text()
    assert (await client.get("/api/v1/me", headers=bearer(api_token))).status_code == 401
    await web_login(client, "emmy_n", NEW_PASSWORD)


# Member invites ---------------------------------------------------------------------------------


async def test_invite_form_refuses_bad_addresses(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "dorothy", email_address="dorothy@example.org")
    await signed_in_member(client, services, "katherine")
    for email, status, words in (
        ("broken@", 422, "does not look right"),
        ("x" * 300, 422, "too long"),
        ("Dorothy@Example.org", 409, "already has an account"),
    ):
        await assert_form_refused(
            services,
            client.post("/invites", data={"email": email}),
            status,
            "email",
            words,
            kept={"email": email},
        )


async def test_invite_form_happy_path(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await signed_in_member(client, services, "katherine")
    response = await client.post("/invites", data={"email": "Friend@Example.org"})
    assert response.status_code == 201
    page = page_of(response)
    link = page.by_id["new-link"]
    assert "/invite/" in link
    assert "on its way to Friend@example.org" in page.text()
    assert link_in((await sent_to(services, "friend@example.org"))[-1], "/invite/") == link
    mails = len(outbox(settings))
    shared = page_of(await client.post("/invites", data={"email": ""}))
    assert "/invite/" in shared.by_id["new-link"]
    await run_jobs(services)
    assert len(outbox(settings)) == mails, "a shared link sends no mail"
    client.cookies.clear()
    assert (await client.get(f"/api/v1/invites/{token_of(link)}")).status_code == 200


async def test_invite_form_runs_out(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await signed_in_member(client, services, "katherine")
    for n in range(settings.member_invites):
        response = await client.post("/invites", data={"email": f"friend{n}@example.org"})
        assert response.status_code == 201, response.text
    page = await assert_form_refused(
        services,
        client.post("/invites", data={"email": "one@more.org"}),
        422,
        "_form",
        "no invites left",
    )
    assert "f-email" not in page.html, "no form is offered when no invites are left"


async def test_ending_an_unknown_session_is_not_found(
    client: httpx.AsyncClient, services: Services
) -> None:
    await signed_in_member(client, services, "katherine")
    before = await stored_state(services)
    response = await answer_of(client.post("/settings/sessions/999999/end"))
    assert response.status_code == 404
    assert page_of(response).h1 == "Not found"
    assert await stored_state(services) == before


async def test_invite_page_counts_what_is_left(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await signed_in_member(client, services, "katherine")
    left = settings.member_invites
    for _ in range(settings.member_invites):
        left -= 1
        page = page_of(await client.post("/invites", data={"email": ""}))
        if left:
            assert f"You can invite {left} more" in page.text()
        else:
            assert "You have no invites left" in page.text()
            assert "f-email" not in page.html


# Administration ---------------------------------------------------------------------------------


async def signed_in_admin(client: httpx.AsyncClient, services: Services) -> None:
    await make_admin(services)
    await web_login(client, "root_admin")


async def test_release_form_refuses(client: httpx.AsyncClient, services: Services) -> None:
    await client.post("/waitlist", data={"email": "waiting@example.org"})
    await signed_in_admin(client, services)
    for count, words in (
        ("0", "between 1 and 500"),
        ("501", "between 1 and 500"),
        ("99999999999999999999999", "between 1 and 500"),
        ("abc", "whole number"),
        ("", "whole number"),
        ("-1", "whole number"),
        ("2.5", "whole number"),
    ):
        with case(count):
            page = await assert_form_refused(
                services,
                client.post("/admin/release", data={"count": count}),
                422,
                "count",
                words,
                kept={"count": count},
            )
            assert page.h1 == "Administration"
            assert "1 person is waiting" in page.text()


async def test_release_form_refuses_unicode_digits(
    client: httpx.AsyncClient, services: Services
) -> None:
    await signed_in_admin(client, services)
    await assert_form_refused(
        services,
        client.post("/admin/release", data={"count": "²"}),
        422,
        "count",
        "whole number",
        kept={"count": "²"},
    )


async def test_admin_page_ignores_a_unicode_digit_cursor(
    client: httpx.AsyncClient, services: Services
) -> None:
    await signed_in_admin(client, services)
    assert (await client.get("/admin?after=²")).status_code == 200


async def test_release_form_happy_path(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    for who in ("first", "second", "third"):
        assert (await client.post("/waitlist", data={"email": f"{who}@example.org"})).is_success
    await signed_in_admin(client, services)
    response = await client.post("/admin/release", data={"count": " 2 "})
    assert response.status_code == 200
    page = page_of(response)
    assert "Released 2 invites; each person was emailed a link." in page.text()
    assert "1 person is waiting" in page.text()
    await run_jobs(services)
    for who in ("first", "second"):
        assert link_in(mail_to(settings, f"{who}@example.org")[-1], "/invite/")
    assert len(mail_to(settings, "third@example.org")) == 1  # only the waitlist mail


async def test_admin_forms_are_missing_for_members(
    client: httpx.AsyncClient, services: Services
) -> None:
    await make_admin(services)
    await signed_in_member(client, services, "member_m")
    for call in (
        client.get("/admin"),
        client.post("/admin/release", data={"count": "1"}),
        client.post("/admin/users/root_admin/role", data={"role": "member"}),
    ):
        before = await stored_state(services)
        response = await call
        assert response.status_code == 404
        assert page_of(response).h1 == "Not found"
        assert await stored_state(services) == before
    assert await role_of(services, "root_admin") == "admin"


async def test_role_form_refuses(client: httpx.AsyncClient, services: Services) -> None:
    """The role form is a fixed <select>: these answers come only from crafted requests, so a
    readable error page (not the admin page again) is what they get."""
    await sign_up(client, services, "member_m")
    await signed_in_admin(client, services)
    for handle, role, status, words in (
        ("member_m", "king", 422, "choose member, moderator or admin"),
        ("member_m", "", 422, "choose member, moderator or admin"),
        ("root_admin", "member", 422, "own role"),
        ("ghost", "admin", 404, "no member with that handle"),
    ):
        with case((handle, role)):
            before = await stored_state(services)
            response = await client.post(f"/admin/users/{handle}/role", data={"role": role})
            assert response.status_code == status
            assert words in page_of(response).error_messages[0].lower()
            assert await stored_state(services) == before
            assert await role_of(services, "member_m") == "member"
            assert await role_of(services, "root_admin") == "admin"


async def test_role_form_happy_path(client: httpx.AsyncClient, services: Services) -> None:
    await sign_up(client, services, "member_m")
    await signed_in_admin(client, services)
    response = await client.post("/admin/users/MEMBER_M/role", data={"role": "moderator"})
    assert response.status_code == 303
    assert response.headers["location"] == "/admin?notice=role-changed"
    page = page_of(await client.get(response.headers["location"]))
    assert "The role is changed." in page.text()
    assert "@member_m · moderator" in page.text()
    assert await role_of(services, "member_m") == "moderator"
