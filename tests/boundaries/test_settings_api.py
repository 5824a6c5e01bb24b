"""Boundaries over the API: the defaults everyone has without a row, saving each section,
each kind's effective channel, and together mode with the release of what it held."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from socialode.accounts.models import User
from socialode.boundaries.access import access_limits, access_resting
from socialode.boundaries.models import Boundary
from socialode.notifications.registry import kinds
from socialode.platform.services import Services
from tests.boundaries.support import ensure_release_kind, member_in, releases
from tests.clock import clock_at
from tests.helpers import sign_up

WINTER_NOON = datetime(2027, 1, 14, 12, 0, tzinfo=UTC)  # 12:00 in Lisbon, 21:00 in Tokyo
WINTER_NIGHT = datetime(2027, 1, 14, 23, 30, tzinfo=UTC)  # 23:30 in Lisbon


async def test_a_member_without_a_row_has_the_protective_defaults(
    client: httpx.AsyncClient, services: Services
) -> None:
    with clock_at(WINTER_NOON):
        ana = await member_in(client, services, "ana_l", "Europe/Lisbon")
        answer = await client.get("/api/v1/boundaries", headers=ana.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["zone"] == "Europe/Lisbon"
    assert body["quiet_hours"] == {"on": True, "start": "22:00", "end": "07:00"}
    assert body["digests"] == {"times": ["12:00", "18:00"], "email_digest": False}
    assert body["privacy"] == {"push_previews": False, "share_sleep_line": True}
    assert body["channels"] == {}
    assert body["together_until"] is None and body["in_quiet_hours"] is False
    assert body["next_digest_at"].startswith("2027-01-14T18:00:00")
    ids = [await _id_of(services, "ana_l"), 999_999]
    async with services.db.sessions() as db:
        found = await access_limits(db, ids)
        assert await db.scalar(select(func.count()).select_from(Boundary)) == 0  # no row needed
    ana_limits, nobody = found[ids[0]], found[999_999]
    assert (ana_limits.zone, ana_limits.quiet_on, ana_limits.quiet_start) == (
        "Europe/Lisbon",
        True,
        "22:00",
    )
    assert ana_limits.digest_times == ("12:00", "18:00") and ana_limits.share_sleep_line
    assert (nobody.zone, nobody.quiet_on) == ("UTC", True)


async def _id_of(services: Services, handle: str) -> int:
    async with services.db.sessions() as db:
        found = await db.scalar(select(User.id).where(User.handle == handle))
    assert found is not None
    return int(found)


async def test_settings_save_each_section_and_show_each_kinds_channel(
    client: httpx.AsyncClient, services: Services
) -> None:
    ensure_release_kind()
    with clock_at(WINTER_NOON):
        kenji = await member_in(client, services, "kenji", "Asia/Tokyo")
        known = {k.name: k.default for k in kinds()}
        assert known, "notification kinds are registered by the app"
        name, default = next(iter(known.items()))
        other = "off" if default != "off" else "live"
        saved = await client.put(
            "/api/v1/settings/notifications",
            json={
                "quiet_hours": {"on": True, "start": "23:30", "end": "6:45"},
                "digests": {"times": ["19:00", "08:00"], "email_digest": True},
                "channels": {name: other},
                "privacy": {"push_previews": True, "share_sleep_line": False},
            },
            headers=kenji.headers,
        )
        assert saved.status_code == 200, saved.text
        shown = (await client.get("/api/v1/settings/notifications", headers=kenji.headers)).json()
    assert shown == saved.json()
    assert shown["quiet_hours"] == {"on": True, "start": "23:30", "end": "06:45"}
    assert shown["digests"] == {"times": ["08:00", "19:00"], "email_digest": True}
    assert shown["privacy"] == {"push_previews": True, "share_sleep_line": False}
    assert shown["channels"] == {name: other}
    by_name = {k["name"]: k for k in shown["kinds"]}
    assert set(by_name) == set(known)
    assert by_name[name]["channel"] == other and by_name[name]["default"] == default
    assert all(k["channel"] == known[n] for n, k in by_name.items() if n != name)
    # Choosing the default again stores no override.
    with clock_at(WINTER_NOON):
        again = await client.put(
            "/api/v1/settings/notifications",
            json={"channels": {name: default}},
            headers=kenji.headers,
        )
    assert again.json()["channels"] == {}
    assert again.json()["quiet_hours"]["start"] == "23:30"  # other sections untouched


async def test_resting_members_are_those_in_quiet_hours_who_share_the_sleep_line(
    client: httpx.AsyncClient, services: Services
) -> None:
    ensure_release_kind()
    with clock_at(WINTER_NOON):
        await member_in(client, services, "ana_l", "Europe/Lisbon")
        await member_in(client, services, "kenji", "Asia/Tokyo")
        shy = await member_in(client, services, "shy_tokyo", "Asia/Tokyo")
        hidden = await client.put(
            "/api/v1/settings/notifications",
            json={"privacy": {"push_previews": False, "share_sleep_line": False}},
            headers=shy.headers,
        )
        assert hidden.status_code == 200
    ids = [await _id_of(services, h) for h in ("ana_l", "kenji", "shy_tokyo")]
    async with services.db.sessions() as db:
        resting = await access_resting(db, ids, WINTER_NOON)  # 21:00 in Tokyo: not yet
        assert resting == {}
        late = WINTER_NOON + timedelta(hours=2)  # 23:00 in Tokyo
        resting = await access_resting(db, ids, late)
    assert resting == {ids[1]: datetime(2027, 1, 14, 22, 0, tzinfo=UTC)}


async def test_together_mode_pauses_and_ends_by_itself_or_early_releasing_what_it_held(
    client: httpx.AsyncClient, services: Services
) -> None:
    ensure_release_kind()
    with clock_at(WINTER_NOON):
        ana = await member_in(client, services, "ana_l", "Europe/Lisbon")
        started = await client.post("/api/v1/together", json={"hours": 2}, headers=ana.headers)
        assert started.status_code == 200, started.text
        body = started.json()
    until = datetime.fromisoformat(body["together_until"])
    assert WINTER_NOON + timedelta(hours=2) <= until < WINTER_NOON + timedelta(hours=2, minutes=1)
    assert datetime.fromisoformat(body["held_until"]) == until
    ana_id = await _id_of(services, "ana_l")
    assert await releases(services) == [
        ({"user": ana_id}, until, f"release:{ana_id}:{until.isoformat()}")
    ]
    # Ended early: reachable again, and what it held is released now.
    with clock_at(WINTER_NOON + timedelta(minutes=30)):
        ended = await client.delete("/api/v1/together", headers=ana.headers)
    assert ended.status_code == 200, ended.text
    assert ended.json()["together_until"] is None and ended.json()["held_until"] is None
    jobs = await releases(services)
    assert len(jobs) == 2
    payload, run_at, key = jobs[1]
    assert payload == {"user": ana_id} and key == f"release:{ana_id}:{run_at.isoformat()}"
    assert WINTER_NOON + timedelta(minutes=30) <= run_at < until


async def test_switching_quiet_hours_off_at_night_releases_what_they_held(
    client: httpx.AsyncClient, services: Services
) -> None:
    ensure_release_kind()
    with clock_at(WINTER_NIGHT):
        ana = await member_in(client, services, "ana_l", "Europe/Lisbon")
        before = (await client.get("/api/v1/boundaries", headers=ana.headers)).json()
        assert before["in_quiet_hours"] is True
        assert before["held_until"].startswith("2027-01-15T07:00:00")
        off = await client.put(
            "/api/v1/settings/notifications",
            json={"quiet_hours": {"on": False, "start": "22:00", "end": "07:00"}},
            headers=ana.headers,
        )
    assert off.status_code == 200
    assert off.json()["in_quiet_hours"] is False and off.json()["held_until"] is None
    ana_id = await _id_of(services, "ana_l")
    [(payload, run_at, _key)] = await releases(services)
    assert payload == {"user": ana_id}
    assert WINTER_NIGHT <= run_at < WINTER_NIGHT + timedelta(minutes=1)


async def test_moving_the_end_of_quiet_hours_releases_at_the_new_end(
    client: httpx.AsyncClient, services: Services
) -> None:
    ensure_release_kind()
    with clock_at(WINTER_NIGHT):
        ana = await member_in(client, services, "ana_l", "Europe/Lisbon")
        later = await client.put(
            "/api/v1/settings/notifications",
            json={"quiet_hours": {"on": True, "start": "22:00", "end": "08:30"}},
            headers=ana.headers,
        )
    assert later.status_code == 200
    eight_thirty = datetime(2027, 1, 15, 8, 30, tzinfo=UTC)
    assert [run_at for _p, run_at, _k in await releases(services)] == [eight_thirty]


async def test_boundaries_need_a_session(client: httpx.AsyncClient, services: Services) -> None:
    """Boundaries are one's own: without a session there is nothing to read or change."""
    await sign_up(client, services, "nobody_here")
    for method, path in (
        ("GET", "/api/v1/boundaries"),
        ("GET", "/api/v1/settings/notifications"),
        ("PUT", "/api/v1/settings/notifications"),
        ("POST", "/api/v1/together"),
        ("DELETE", "/api/v1/together"),
    ):
        answer = await client.request(method, path, json={})
        assert answer.status_code == 401, (method, path, answer.text)
