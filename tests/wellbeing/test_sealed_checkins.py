"""Check-ins at rest: a tampered one is reported as unreadable (for that entry only, the rest
stay readable), and a key rotation re-seals every check-in, after which the old key can go."""

from __future__ import annotations

import httpx
from sqlalchemy import select, update

from socialode.platform import sealing
from socialode.platform.sealing_jobs import start_reencrypt, still_needed
from socialode.platform.services import Services
from socialode.wellbeing.models import Checkin
from tests.form_helpers import page_of
from tests.helpers import members, run_jobs
from tests.wellbeing.test_checkins import WHO5_64, check_in

API = "/api/v1/wellbeing/checkins"


async def test_a_tampered_check_in_is_unreadable_and_the_others_are_not(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_tamper")
    first = await check_in(client, ada, "who5", WHO5_64, note="first marker note")
    second = await check_in(client, ada, "mood", {"mood": 4}, note="second marker note")
    async with services.db.sessions() as db:
        sealed = await db.scalar(select(Checkin.sealed).where(Checkin.id == first["id"]))
        assert sealed is not None
        flipped = sealed[:-5] + ("A" if sealed[-5] != "A" else "B") + sealed[-4:]
        await db.execute(update(Checkin).where(Checkin.id == first["id"]).values(sealed=flipped))
        await db.commit()
    bad = (await client.get(f"{API}/{first['id']}", headers=ada.headers)).json()
    assert bad["problem"].startswith("This check-in cannot be read")
    assert bad["answers"] == {} and bad["note"] == "" and bad["result"] is None
    good = (await client.get(f"{API}/{second['id']}", headers=ada.headers)).json()
    assert good["problem"] is None and good["note"] == "second marker note"
    history = page_of(await client.get("/wellbeing/history", headers=ada.headers)).text()
    assert "A check-in that cannot be read" in history and "Mood" in history
    trends = page_of(await client.get("/wellbeing/trends", headers=ada.headers)).text()
    assert "One check-in cannot be read and is left out" in trends
    page = await client.get(f"/wellbeing/checkins/{first['id']}", headers=ada.headers)
    assert page.status_code == 200 and "This check-in cannot be read" in page_of(page).text()


async def test_rotation_reseals_every_check_in_and_then_the_old_key_can_go(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_rotate", "bob_rotate")
    made = [
        await check_in(client, ada, "who5", WHO5_64, note="rotating note"),
        await check_in(client, bob, "ucla3", {"q1": 1, "q2": 2, "q3": 3}),
    ]
    old = services.keyring.current
    new = sealing.add_key(services.settings)
    async with services.db.sessions() as db:
        assert (await still_needed(db, services.reload_keyring(), old)).opens == 2
        await start_reencrypt(db)
        await db.commit()
    await run_jobs(services)
    async with services.db.sessions() as db:
        stored = (await db.scalars(select(Checkin.sealed))).all()
        assert {sealing.key_id_of(s) for s in stored} == {new}
        assert (await still_needed(db, services.reload_keyring(), old)).opens == 0
    sealing.drop_key(services.settings, old)
    assert old not in services.reload_keyring().keys
    back = (await client.get(f"{API}/{made[0]['id']}", headers=ada.headers)).json()
    assert back["problem"] is None and back["note"] == "rotating note"
    theirs = (await client.get(f"{API}/{made[1]['id']}", headers=bob.headers)).json()
    assert theirs["result"]["shown"] == 6
