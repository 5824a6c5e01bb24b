"""Convention 8: every table holding personal data is declared by the feature that owns it,
with an export and an erasure, or is named below as waiting for the privacy feature (which
registers the features written before this rule had a registry). A new table in neither
fails here; wellbeing's export opens its sealed check-ins for their member only, and its
erasure removes that member's rows and nobody else's."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from socialode.accounts.models import User
from socialode.platform.personal_data import registered, registered_tables
from socialode.platform.services import Services
from socialode.schema import metadata
from socialode.wellbeing.models import Checkin, WellbeingPrefs
from tests.helpers import members
from tests.wellbeing.test_checkins import WHO5_64, check_in

NOT_PERSONAL = {
    "jobs": "work queued by the app; payloads name ids, never what people wrote",
    "circle_prompts": "a circle's question settings, erased with the circle",
    "moment_circles": "which circles a moment went to, erased with the moment",
    "prompt_questions": "the questions of a circle, erased with the circle",
    "message_revisions": "earlier wordings of a message, erased with the message",
}
# Features written before the registry: the privacy feature (export and erasure) registers
# them. Nothing may be added here; a new feature registers its own tables.
AWAITING_PRIVACY = {
    "users", "waitlist_entries", "blocks", "boundaries", "chat_settings", "circles",
    "connections", "conversations", "feed_marks", "invites", "moment_settings", "moments",
    "mutes", "notifications", "password_resets", "push_subscriptions", "sessions",
    "circle_members", "connection_requests", "conversation_members", "messages",
    "moment_audience", "moment_photos", "prompts_seen", "conversation_events",
}  # fmt: skip


def test_every_table_is_declared_or_said_why_not(app: object) -> None:
    tables = {t.name for t in metadata.sorted_tables}
    declared = registered_tables()
    assert {"wellbeing_checkins", "wellbeing_prefs"} <= declared
    unaccounted = tables - declared - NOT_PERSONAL.keys() - AWAITING_PRIVACY
    assert unaccounted == set(), f"declare these tables' personal data: {sorted(unaccounted)}"
    assert not declared & AWAITING_PRIVACY, "a registered table is still listed as awaiting"


async def test_wellbeing_exports_its_member_s_check_ins_opened_and_erases_only_theirs(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_export", "bob_export")
    await check_in(client, ada, "who5", WHO5_64, note="ada's own words")
    await check_in(client, bob, "mood", {"mood": 2}, note="bob's own words")
    (wellbeing,) = [e for e in registered() if e.feature == "wellbeing"]
    async with services.db.sessions() as db:
        ids: dict[str, int] = dict((await db.execute(select(User.handle, User.id))).all())
        ada_id, bob_id = ids[ada.handle], ids[bob.handle]
        exported = await wellbeing.export(db, services, ada_id)
        (only,) = exported["checkins"]
        assert only["note"] == "ada's own words" and only["instrument"] == "who5"
        assert only["score"] == 64 and "bob's own words" not in str(exported)
        await wellbeing.erase(db, ada_id)
        await db.commit()
        left = list(await db.scalars(select(Checkin.user_id)))
        assert ada_id not in left and left.count(bob_id) == 1
        prefs = await db.scalar(
            select(func.count()).select_from(WellbeingPrefs).where(WellbeingPrefs.user_id == ada_id)
        )
        assert prefs == 0
