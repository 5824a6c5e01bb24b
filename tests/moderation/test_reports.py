"""Reports reach moderators with context; their decisions take effect and are on record
(rule 7). Only what a reporter can see can be reported; only moderators see reports, and
only what each report holds; the audit log cannot be changed through any route or by SQL."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from socialode.moderation.models import AuditEntry
from socialode.moderation.web import pause_choice
from socialode.platform.services import Services
from tests.conversations.people import connect, group
from tests.form_helpers import web_login
from tests.helpers import PASSWORD, mail_to, snapshot
from tests.moderation.world import THREAT, build, decide, report


async def test_a_report_reaches_a_moderator_with_context_and_a_suspension_takes_effect(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    filed = await report(
        client, w.ada, kind="message", id=w.message, reason="threats", note="scared"
    )
    assert filed.status_code == 201, filed.text
    assert filed.json()["merged"] is False and "moderator" in filed.json()["next"]
    again = await report(client, w.ada, kind="message", id=w.message, reason="threats", note="x")
    assert again.json() == {**filed.json(), "merged": True}

    queue = await client.get("/api/v1/moderation/reports", headers=w.mod.headers)
    (listed,) = queue.json()["reports"]
    assert listed["subject"]["handle"] == w.bob.handle and listed["state"] == "open"
    assert "reporter" not in listed
    detail = await client.get(f"/api/v1/moderation/reports/{listed['id']}", headers=w.mod.headers)
    got = detail.json()
    assert got["state"] == "in_review"
    assert got["note"] == "scared\n\nx"
    assert got["paused"] == "sent_anyway:threat"
    assert got["assessment"].startswith("threat:")
    lines = got["context"]["messages"]
    assert [m["text"] for m in lines] == [
        "are you coming on Sunday?", "why would I", "ok", THREAT, "what?",
    ]  # fmt: skip
    assert [m["reported"] for m in lines] == [False, False, False, True, False]

    decided = await client.post(
        f"/api/v1/moderation/reports/{listed['id']}/decision",
        json={"action": "suspend", "reason": "Threats are not welcome here.", "days": 3},
        headers=w.mod.headers,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["outcome"] == "suspended"
    # At once: Bob's session is gone, and he cannot sign in; the email tells him why.
    gone = await client.get("/api/v1/me", headers=w.bob.headers)
    assert gone.status_code == 401
    refused = await client.post(
        "/api/v1/auth/login", json={"login": w.bob.handle, "password": PASSWORD}
    )
    assert refused.status_code == 403 and "suspended until" in refused.json()["detail"]
    from tests.helpers import run_jobs

    await run_jobs(services)
    (mail,) = mail_to(services.settings, f"{w.bob.handle}@example.org")[-1:]
    assert "Threats are not welcome here." in str(mail)
    assert w.ada.handle not in str(mail)  # never who reported it

    twice = await client.post(
        f"/api/v1/moderation/reports/{listed['id']}/decision",
        json={"action": "dismiss", "reason": "changed my mind"},
        headers=w.mod.headers,
    )
    assert twice.status_code == 409
    audit = await client.get("/api/v1/moderation/audit", headers=w.admin.headers)
    actions = [e["action"] for e in audit.json()["entries"]]
    assert actions == ["suspend", "view"]


async def test_the_report_page_says_in_words_what_the_detector_read_and_the_sender_chose(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    filed = await report(client, w.ada, kind="message", id=w.message, reason="threats")
    await web_login(client, w.mod.handle, PASSWORD)
    page = await client.get(f"/moderation/reports/{filed.json()['id']}")
    assert page.status_code == 200, page.text
    assert "The detector reads it as a threat." in page.text
    assert "asked to think again (it read as a threat) and sent it anyway." in page.text
    # the stored codes are for the API, not for the person deciding
    assert "sent_anyway" not in page.text and "threat:" not in page.text


async def test_the_audit_page_names_who_acted_and_what_they_did_in_words(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    rid = (await report(client, w.ada, kind="message", id=w.message, reason="threats")).json()["id"]
    await client.get(f"/api/v1/moderation/reports/{rid}", headers=w.mod.headers)
    decided = await decide(client, w, rid, action="suspend", reason="Threats.", days=2)
    assert decided.status_code == 200, decided.text
    await web_login(client, w.admin.handle, PASSWORD)
    page = await client.get("/moderation/audit")
    assert page.status_code == 200, page.text
    rows = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("Mod_R") == 2  # opened it, then decided it
    assert "opened the report" in rows and "suspended the account" in rows
    assert rows.count("Bob_R") == 2  # whom each entry was about
    assert f"#{rid}<" in rows and ">suspend<" not in rows and ">view<" not in rows


async def test_only_what_you_can_see_can_be_reported(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    missing = await report(client, w.cy, kind="message", id=10**6, reason="spam")
    assert missing.status_code == 404
    before = await snapshot(services)
    hidden = await report(client, w.cy, kind="message", id=w.message, reason="spam")
    assert hidden.status_code == 404 and hidden.json() == missing.json()
    chat = await report(client, w.cy, kind="group", id=w.one, reason="spam")
    assert chat.status_code == 404
    moment = await report(client, w.cy, kind="moment", id=10**6, reason="spam")
    assert moment.status_code == 404
    assert await snapshot(services) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "message", "reason": "rude"}, "reason"),
        ({"kind": "message", "reason": "threats", "note": "x" * 1001}, "note"),
        ({"kind": "poem", "id": 1, "reason": "spam"}, "kind"),
        ({"kind": "message", "reason": "spam"}, "id"),
        ({"kind": "profile", "reason": "spam"}, "handle"),
        ({"kind": "profile", "handle": "ada_r", "reason": "spam"}, "kind"),  # yourself
    ],
)
async def test_bad_reports_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, services: Services, body: dict[str, Any], field: str
) -> None:
    w = await build(client, services)
    if body["kind"] == "message" and "id" not in body and field != "id":
        body = {**body, "id": w.message}
    before = await snapshot(services)
    refused = await report(client, w.ada, **body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == field and len(refused.json()["detail"]) > 10
    assert await snapshot(services) == before


async def test_only_moderators_see_reports_and_only_administrators_the_audit(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    filed = (await report(client, w.ada, kind="message", id=w.message, reason="threats")).json()
    rid = filed["id"]
    for who in (w.ada, w.bob, w.cy):
        assert (
            await client.get("/api/v1/moderation/reports", headers=who.headers)
        ).status_code == 404
        one = await client.get(f"/api/v1/moderation/reports/{rid}", headers=who.headers)
        assert one.status_code == 404
        decided = await client.post(
            f"/api/v1/moderation/reports/{rid}/decision",
            json={"action": "dismiss", "reason": "fine by me"},
            headers=who.headers,
        )
        assert decided.status_code == 404
    assert (await client.get("/api/v1/moderation/audit", headers=w.mod.headers)).status_code == 404
    assert (
        await client.get("/api/v1/moderation/audit", headers=w.admin.headers)
    ).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"action": "explode", "reason": "because"}, 422, "action"),
        ({"action": "warn", "reason": ""}, 422, "reason"),
        ({"action": "suspend", "reason": "too much"}, 422, "days"),
        ({"action": "warn", "reason": "x" * 501}, 422, "reason"),
    ],
)
async def test_bad_decisions_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, services: Services, body: dict[str, Any], status: int, field: str
) -> None:
    w = await build(client, services)
    rid = (await report(client, w.ada, kind="message", id=w.message, reason="threats")).json()["id"]
    before = await snapshot(services)
    refused = await client.post(
        f"/api/v1/moderation/reports/{rid}/decision", json=body, headers=w.mod.headers
    )
    assert refused.status_code == status, refused.text
    assert refused.json()["field"] == field
    assert await snapshot(services) == before


async def test_a_profile_cannot_be_removed_only_warned(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    rid = (
        await report(client, w.ada, kind="profile", handle=w.bob.handle, reason="bullying")
    ).json()["id"]
    refused = await client.post(
        f"/api/v1/moderation/reports/{rid}/decision",
        json={"action": "remove", "reason": "nasty bio"},
        headers=w.mod.headers,
    )
    assert refused.status_code == 422 and refused.json()["field"] == "action"
    warned = await client.post(
        f"/api/v1/moderation/reports/{rid}/decision",
        json={"action": "warn", "reason": "Please be kind in your bio."},
        headers=w.mod.headers,
    )
    assert warned.status_code == 200
    told = await client.get("/api/v1/notifications", headers=w.bob.headers)
    texts = [n["text"] for n in told.json()["notifications"]]
    assert "A moderator asks you to take care with your words. See why." in texts
    decision = await client.get(f"/api/v1/decisions/{rid}", headers=w.bob.headers)
    assert decision.json()["reason"] == "Please be kind in your bio."
    assert w.ada.handle not in decision.text
    assert (await client.get(f"/api/v1/decisions/{rid}", headers=w.ada.headers)).status_code == 404


async def test_removing_withdraws_the_message_for_everyone(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    rid = (await report(client, w.ada, kind="message", id=w.message, reason="threats")).json()["id"]
    removed = await decide(client, w, rid, action="remove", reason="A threat.")
    assert removed.status_code == 200, removed.text
    seen = await client.get(f"/api/v1/conversations/{w.one}", headers=w.ada.headers)
    bodies = [m["body"] for m in seen.json()["messages"]]
    assert THREAT not in bodies
    assert (await client.get("/api/v1/me", headers=w.bob.headers)).status_code == 200


async def test_a_removal_that_fails_part_way_leaves_the_message_and_the_report_as_they_were(
    client: httpx.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The removal is committed with the decision, or not at all."""
    w = await build(client, services)
    rid = (await report(client, w.ada, kind="message", id=w.message, reason="threats")).json()["id"]

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the audit log is unreachable")

    monkeypatch.setattr("socialode.moderation.actions.do_audit", broken)
    with pytest.raises(RuntimeError):
        await decide(client, w, rid, action="remove", reason="A threat.")
    monkeypatch.undo()
    seen = await client.get(f"/api/v1/conversations/{w.one}", headers=w.ada.headers)
    assert THREAT in [m["body"] for m in seen.json()["messages"]]
    still = await client.get(f"/api/v1/moderation/reports/{rid}", headers=w.mod.headers)
    assert still.json()["state"] != "resolved"
    removed = await decide(client, w, rid, action="remove", reason="A threat.")
    assert removed.status_code == 200, removed.text
    seen = await client.get(f"/api/v1/conversations/{w.one}", headers=w.ada.headers)
    assert THREAT not in [m["body"] for m in seen.json()["messages"]]


async def test_a_self_harm_concern_offers_care_and_removes_nothing(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    group_id = await group(client, w.ada, "Walks", w.bob)
    url = f"/api/v1/conversations/{group_id}/messages"
    sent = await client.post(
        url, json={"client_key": uuid.uuid4().hex, "body": "I can't do this anymore"},
        headers=w.bob.headers,
    )  # fmt: skip
    rid = (
        await report(client, w.ada, kind="message", id=sent.json()["id"], reason="self_harm")
    ).json()["id"]
    cared = await client.post(
        f"/api/v1/moderation/reports/{rid}/decision",
        json={"action": "care", "reason": "Someone here cares about you."},
        headers=w.mod.headers,
    )
    assert cared.status_code == 200
    told = await client.get("/api/v1/notifications", headers=w.bob.headers)
    shown = [(n["text"], n["url"]) for n in told.json()["notifications"]]
    assert ("Someone is worried about you. Help is here if you want it.", "/help") in shown
    seen = await client.get(f"/api/v1/conversations/{group_id}", headers=w.ada.headers)
    assert "I can't do this anymore" in [m["body"] for m in seen.json()["messages"]]


async def test_the_audit_log_cannot_be_changed_or_deleted(
    client: httpx.AsyncClient, services: Services, app: Any
) -> None:
    w = await build(client, services)
    rid = (await report(client, w.ada, kind="message", id=w.message, reason="threats")).json()["id"]
    await client.post(
        f"/api/v1/moderation/reports/{rid}/decision",
        json={"action": "warn", "reason": "Be kind."},
        headers=w.mod.headers,
    )
    async with services.db.sessions() as db:
        rows = [(e.id, e.action, e.reason) for e in await db.scalars(select(AuditEntry))]
    assert rows and rows[-1][1:] == ("warn", "Be kind.")
    for statement in (
        "UPDATE moderation_audit SET reason = 'nothing happened'",
        "DELETE FROM moderation_audit",
    ):
        with pytest.raises(DBAPIError, match="cannot be changed or deleted"):
            async with services.db.engine.begin() as conn:
                await conn.execute(text(statement))
    async with services.db.sessions() as db:
        assert [(e.id, e.action, e.reason) for e in await db.scalars(select(AuditEntry))] == rows
    # No route writes to it but the decisions themselves.
    paths = app.openapi()["paths"]
    audit_methods = {m for p, ops in paths.items() if "audit" in p for m in ops}
    assert audit_methods == {"get"}


async def test_moderators_hear_reports_wait_but_never_see_those_about_themselves(
    client: httpx.AsyncClient, services: Services
) -> None:
    w = await build(client, services)
    await connect(client, w.ada, w.mod)
    filed = await report(client, w.ada, kind="profile", handle=w.mod.handle, reason="other")
    rid = filed.json()["id"]
    # The moderator reported does not see it, nor hear of it; another moderator does.
    mine = await client.get("/api/v1/moderation/reports", headers=w.mod.headers)
    assert mine.json()["reports"] == []
    assert (
        await client.get(f"/api/v1/moderation/reports/{rid}", headers=w.mod.headers)
    ).status_code == 404
    told = await client.get("/api/v1/notifications", headers=w.mod.headers)
    assert [n for n in told.json()["notifications"] if n["kind"] == "report_waiting"] == []
    other = await client.get("/api/v1/notifications", headers=w.admin.headers)
    (waiting,) = [n for n in other.json()["notifications"] if n["kind"] == "report_waiting"]
    assert (
        waiting["text"] == "Reports are waiting for a moderator."
        and waiting["url"] == "/moderation"
    )
    assert w.ada.handle not in str(waiting) and w.mod.handle not in str(waiting)
    seen = await client.get(f"/api/v1/moderation/reports/{rid}", headers=w.admin.headers)
    assert seen.status_code == 200


def test_the_pause_choice_reads_the_same_with_the_field_it_was_in() -> None:
    plain = pause_choice("sent_anyway:threat")
    assert plain is not None and "sent it anyway" in plain and "threat" in plain
    assert pause_choice("sent_anyway:threat:description") == plain
    assert pause_choice("rephrased:exclusion") == pause_choice("rephrased:exclusion:title")
    assert pause_choice(None) is None
