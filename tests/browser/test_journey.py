"""The first user journey in a real Chromium against a real server, checked with axe-core.

Waitlist → an administrator releases invites → the emailed link → sign-up → sign out and in →
profile with a photo → a second device, ended from the first. Every page on the way must have
no axe-core violations. Sign-in must work without JavaScript, and the landing page's form must
be reachable with the keyboard.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from PIL import Image
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, expect

from tests.browser.conftest import A11yAudit, Devices, LiveServer

pytestmark = pytest.mark.browser

PASSWORD = "quiet-harbour-lantern-42"
ADMIN_PASSWORD = "tidal-copper-meadow-91"
# The "second device" is a phone: its sessions row must read differently from the desktop's.
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


def make_png(folder: Path) -> Path:
    """A small PNG made of pixels only: a vertical gradient, wider than tall."""
    image = Image.new("RGB", (96, 64))
    image.putdata([(40, 100 + y * 2, 90 + x) for y in range(64) for x in range(96)])
    path = folder / "portrait.png"
    image.save(path, format="PNG")
    return path


async def sign_in(page: Page, server: LiveServer, login: str, password: str) -> None:
    await page.goto(server.url("/login"))
    await page.get_by_label("Handle or email").fill(login)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Your people")


async def sign_out(page: Page) -> None:
    await (
        page.get_by_role("navigation", name="Main")
        .get_by_role("link", name="You", exact=True)
        .click()
    )
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("status")).to_have_text("You are signed out. See you soon.")


async def test_first_user_journey(
    fresh_server: LiveServer, devices: Devices, a11y: A11yAudit, tmp_path: Path
) -> None:
    server = fresh_server  # the first administrator and the first on the waitlist

    # The operator opens the one-time link the server printed and becomes the first admin.
    operator = await devices.open()
    await operator.goto(server.first_admin_link)
    await expect(operator.get_by_role("heading", level=1)).to_have_text(
        "Create the first administrator"
    )
    await a11y.check(operator, "first-admin sign-up")
    await operator.get_by_label("Handle").fill("river_admin")
    await operator.get_by_label("Display name").fill("River")
    await operator.get_by_label("Email").fill("river@example.org")
    await operator.get_by_label("Password").fill(ADMIN_PASSWORD)
    await operator.get_by_role("button", name="Create account").click()
    await operator.wait_for_url("**/settings/profile?notice=welcome")
    await sign_out(operator)

    # A visitor joins the waitlist from the landing page.
    page = await devices.open(timezone_id="Europe/London")
    await page.goto(server.url("/"))
    await a11y.check(page, "landing")
    await page.get_by_label("Email address").fill("ada@example.org")
    await page.get_by_label("Why I want to join (optional)").fill(
        "To keep in touch with my family."
    )
    await page.get_by_role("button", name="Join the waitlist").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for wanting to join")
    await a11y.check(page, "waitlist thanks")

    # The confirmation email links to their place in line.
    await page.goto(server.link_in_mail("ada@example.org", "/waitlist/status/"))
    await expect(page.get_by_text("You are number 1 in line.")).to_be_visible()
    await a11y.check(page, "waitlist status")

    # The administrator signs in and releases invites on /admin.
    await operator.get_by_label("Handle or email").fill("river_admin")
    await operator.get_by_label("Password").fill(ADMIN_PASSWORD)
    await operator.get_by_role("button", name="Sign in").click()
    await expect(operator.get_by_role("heading", level=1)).to_have_text("Your people")
    await a11y.check(operator, "home")
    await operator.get_by_role("link", name="Admin").click()
    await expect(operator.get_by_role("heading", level=1)).to_have_text("Administration")
    row = operator.get_by_role("row").filter(has_text="ada@example.org")
    await expect(row).to_contain_text("To keep in touch with my family.")
    await a11y.check(operator, "admin")
    await operator.get_by_label("How many to invite now").fill("5")
    await operator.get_by_role("button", name="Release invites").click()
    await expect(operator.get_by_role("status")).to_have_text(
        "Released 1 invite; each person was emailed a link."
    )
    await a11y.check(operator, "admin, invites released")

    # The visitor opens the emailed invite and signs up.
    await page.goto(server.link_in_mail("ada@example.org", "/invite/"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    await expect(page.get_by_label("Email")).to_have_value("ada@example.org")
    # Our small script preselects the browser's time zone.
    await expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    await a11y.check(page, "sign-up")
    await page.get_by_label("Handle").fill("ada_l")
    await page.get_by_label("Display name").fill("Ada")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_label("Time zone").select_option("Europe/London")
    await page.get_by_role("button", name="Create account").click()
    await page.wait_for_url("**/settings/profile?notice=welcome")
    await expect(page.get_by_role("status")).to_contain_text("Your account is ready.")
    await a11y.check(page, "settings/profile")

    # Sign out, then sign in again by email.
    await sign_out(page)
    await a11y.check(page, "login")
    await sign_in(page, server, "ADA@example.org", PASSWORD)
    await (
        page.get_by_role("navigation", name="Main")
        .get_by_role("link", name="You", exact=True)
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ada")

    # Edit the profile, with a photo.
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    await page.get_by_label("Photo").set_input_files(make_png(tmp_path))
    await page.get_by_label("Pronouns (optional)").fill("she/her")
    await page.get_by_label("A few words about you (optional)").fill("Engines and poetry.")
    await page.get_by_label("Interests (optional)").fill("maths, looms")
    await page.get_by_role("button", name="Save profile").click()
    await page.wait_for_url("**/settings/profile?notice=profile-saved")
    await expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    await expect(page.get_by_label("Pronouns (optional)")).to_have_value("she/her")
    await expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    await expect(page.get_by_role("img", name="Your current photo")).to_be_visible()
    await a11y.check(page, "settings/profile with photo")

    # The profile page shows it all, and the photo really renders.
    await page.get_by_role("link", name="See your profile").click()
    await page.wait_for_url("**/u/ada_l")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ada")
    await expect(page.get_by_text("@ada_l · she/her")).to_be_visible()
    await expect(page.get_by_text("Engines and poetry.")).to_be_visible()
    await expect(page.get_by_role("list").filter(has_text="maths")).to_contain_text("looms")
    # Her face beside her name (decorative: the name says who it is), at full size.
    photo = page.locator(".person-card img.face")
    await expect(photo).to_be_visible()
    await expect(photo).to_have_attribute("alt", "")
    await expect(photo).to_have_js_property("complete", True)
    await expect(photo).to_have_js_property("naturalWidth", 256)
    await a11y.check(page, "profile")

    # A second device signs in.
    phone = await devices.open(user_agent=PHONE_UA)
    await sign_in(phone, server, "ada_l", PASSWORD)

    # The first device sees both sessions and ends the other one.
    await page.goto(server.url("/settings/sessions"))
    sessions = page.get_by_role("list", name="Sessions").get_by_role("listitem")
    await expect(sessions).to_have_count(2)
    await expect(sessions.filter(has_text="(this device)")).to_have_count(1)
    await a11y.check(page, "settings/sessions")
    other = sessions.filter(has_not_text="(this device)")
    await expect(other).to_contain_text("Android")
    await other.get_by_role("button", name="Sign out this session").click()
    asked = page.get_by_role("dialog")  # it asks first
    await expect(asked).to_contain_text("Signing in there again needs your password.")
    await asked.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("status")).to_contain_text("signed out")
    await expect(sessions).to_have_count(1)

    # The phone is signed out on its next page load; the first device is not. (Its open feed
    # may already be reloading by itself, its live socket closed: either way it lands here.)
    with contextlib.suppress(PlaywrightError):
        await phone.reload()  # on its feed: asked to sign in again
    await expect(phone.get_by_role("heading", level=1)).to_have_text("Sign in")
    phone_nav = phone.get_by_role("navigation", name="Main")
    await expect(phone_nav.get_by_role("link", name="Sign in")).to_be_visible()
    await expect(phone_nav.get_by_role("button", name="Sign out")).to_have_count(0)
    response = await page.reload()
    assert response is not None and response.status == 200
    await expect(sessions).to_have_count(1)

    # A signed-out page asks the phone to sign in, and then goes where it was going.
    await phone.goto(server.url("/settings/profile"))
    await phone.wait_for_url("**/login?next=/settings/profile")
    await phone.get_by_label("Handle or email").fill("ada_l")
    await phone.get_by_label("Password").fill(PASSWORD)
    await phone.get_by_role("button", name="Sign in").click()
    await phone.wait_for_url("**/settings/profile")
    await expect(phone.get_by_role("heading", level=1)).to_have_text("Your profile")

    assert a11y.checked == [
        "first-admin sign-up",
        "landing",
        "waitlist thanks",
        "waitlist status",
        "home",
        "admin",
        "admin, invites released",
        "sign-up",
        "settings/profile",
        "login",
        "settings/profile with photo",
        "profile",
        "settings/sessions",
    ]


async def test_sign_up_and_sign_in_without_javascript(
    live_server: LiveServer, devices: Devices, a11y: A11yAudit
) -> None:
    link = (await live_server.cli("invites", "create")).strip()
    assert "/invite/" in link
    page = await devices.open(java_script_enabled=False)

    await page.goto(link)
    await page.get_by_label("Handle").fill("grace_h")
    await page.get_by_label("Display name").fill("Grace")
    await page.get_by_label("Email").fill("grace@example.org")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await page.wait_for_url("**/settings/profile?notice=welcome")
    await sign_out(page)

    await page.get_by_label("Handle or email").fill("grace_h")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Your people")
    assert page.url == live_server.url("/feed")
    assert any(c["name"] == "socialode_session" for c in await page.context.cookies())

    # A wrong password is answered on the form, without any script either.
    await sign_out(page)
    await refuse_wrong_password(page)

    # axe-core is a script: check the same page in a context that runs scripts.
    checked = await devices.open()
    await checked.goto(live_server.url("/login"))
    await refuse_wrong_password(checked)
    await a11y.check(checked, "login with an error")


async def refuse_wrong_password(page: Page) -> None:
    await page.get_by_label("Handle or email").fill("grace_h")
    await page.get_by_label("Password").fill("not-the-password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await expect(page.get_by_label("Handle or email")).to_have_value("grace_h")
    await expect(page.get_by_label("Password")).to_have_value("")


async def test_keyboard_reaches_the_waitlist_form(
    live_server: LiveServer, devices: Devices
) -> None:
    page = await devices.open()
    await page.goto(live_server.url("/"))
    reached: list[str] = []
    for _ in range(12):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {
                    id: el.id, text: el.textContent.trim(), tag: el.tagName,
                    visible: el.matches(":focus-visible") && style.outlineStyle !== "none"
                        && parseFloat(style.outlineWidth) >= 2,
                };
            }"""
        )
        assert focused["visible"], f"no visible focus on {focused}"
        reached.append(focused["id"] or focused["text"])
        if focused["text"] == "Join the waitlist":
            break
    assert "f-email" in reached, reached
    assert reached[-1] == "Join the waitlist", reached
    assert reached.index("f-email") < reached.index("f-reason") < len(reached) - 1
