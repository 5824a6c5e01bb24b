"""Words taken back stay taken back: after a delete the text reaches nobody, after an edit
only the new text does — live, on replay from a cursor older than the message, in the API,
on the pages and in the lists. Each surface is first shown to carry the text while it stood,
so a surface that never showed it cannot pass for one that hides it."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from socialode.platform.services import Services
from tests.conversations.people import Member, Stream, connect, direct, group, members, send, served


async def _ok(response: httpx.Response) -> httpx.Response:
    assert response.status_code < 300, response.text
    return response


async def _surfaces(
    client: httpx.AsyncClient, who: Member, conversations: list[int]
) -> dict[str, str]:
    """Everything a member can read about their conversations over HTTP, by surface."""
    out = {
        "API list": (
            await _ok(await client.get("/api/v1/conversations", headers=who.headers))
        ).text,
        "list page": (await _ok(await client.get("/conversations", headers=who.headers))).text,
    }
    for cid in conversations:
        api = await client.get(f"/api/v1/conversations/{cid}", headers=who.headers)
        out[f"API detail {cid}"] = (await _ok(api)).text
        page = await client.get(f"/conversations/{cid}", headers=who.headers)
        out[f"page {cid}"] = (await _ok(page)).text
    return out


def _where(texts: list[str], surfaces: dict[str, str]) -> list[str]:
    return [
        f"{text!r} on {name}" for name, body in surfaces.items() for text in texts if text in body
    ]


def _frames(stream: Stream, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    return [e for e in stream.events if e["kind"] in kinds]


async def test_deleted_and_edited_text_reaches_nobody(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    run = uuid.uuid4().hex[:10]
    ada, bob, cy = await members(client, services, "ada_dt", "bob_dt", "cy_dt")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    await connect(client, cy, bob)
    one = await direct(client, ada, bob)
    tea = await group(client, cy, "Tea", ada, bob)
    readers = {one: [ada, bob], tea: [ada, bob, cy]}
    doomed = {cid: f"doomed{cid}x{run}" for cid in readers}
    before = {cid: f"before{cid}x{run}" for cid in readers}
    after = {cid: f"after{cid}x{run}" for cid in readers}
    gone = [*doomed.values(), *before.values()]

    async with served(app) as port:
        # A cursor from before anything was written, to reconnect with at the end.
        old = {m.handle: (await Stream(port, m).open()) for m in (ada, bob, cy)}
        cursors = {h: json.loads(json.dumps(s.cursor)) for h, s in old.items()}
        for stream in old.values():
            await stream.close()
        live = {m.handle: await Stream(port, m).open() for m in (ada, bob, cy)}
        ids: dict[str, int] = {}
        for cid in readers:
            for text in (doomed[cid], before[cid]):
                ids[text] = (await _ok(await send(client, ada, cid, text))).json()["id"]
        # While they stand, every surface carries them: the probes below can see text.
        for cid, people in readers.items():
            for who in people:
                shown = await _surfaces(client, who, [cid])
                for name in (f"API detail {cid}", f"page {cid}"):
                    assert doomed[cid] in shown[name] and before[cid] in shown[name], name
        for stream in live.values():
            await stream.drain(0.5)
            assert any(doomed[tea] in json.dumps(e) for e in _frames(stream, ("message",)))
            stream.events.clear()

        for cid in readers:
            await _ok(
                await client.delete(f"/api/v1/messages/{ids[doomed[cid]]}", headers=ada.headers)
            )
            await _ok(
                await client.patch(
                    f"/api/v1/messages/{ids[before[cid]]}",
                    json={"body": after[cid]},
                    headers=ada.headers,
                )
            )
        problems: list[str] = []
        for handle, stream in live.items():
            await stream.drain(0.5)
            frames = _frames(stream, ("delete", "edit"))
            expected = 4 if handle != "cy_dt" else 2
            assert len(frames) == expected, (handle, stream.events)
            deletes = [e["message"] for e in frames if e["kind"] == "delete"]
            assert all(m["deleted"] and m["body"] == m["html"] == "" for m in deletes), deletes
            edits = {e["message"]["body"] for e in frames if e["kind"] == "edit"}
            assert edits == {
                after[c] for c, people in readers.items() if handle in _handles(people)
            }
            problems += [f"live to {handle}: {p}" for p in _where(gone, {"": json.dumps(frames)})]
            await stream.close()

        # Reconnecting from the cursor taken before the sends: current text only.
        for handle, cursor in cursors.items():
            who = next(m for m in (ada, bob, cy) if m.handle == handle)
            stream = Stream(port, who)
            stream.cursor = cursor
            await stream.open()
            await stream.drain(0.5)
            replayed = json.dumps(stream.events)
            mine = [c for c, people in readers.items() if who in people]
            for cid in mine:
                assert after[cid] in replayed, (handle, replayed)
                assert any(
                    e["kind"] == "message"
                    and e["message"]["id"] == ids[doomed[cid]]
                    and e["message"]["deleted"]
                    for e in stream.events
                ), "the replay left out the deleted message instead of showing it deleted"
            problems += [f"replay to {handle}: {p}" for p in _where(gone, {"": replayed})]
            await stream.close()

    for cid, people in readers.items():
        for who in people:
            shown = await _surfaces(client, who, [cid])
            assert after[cid] in shown[f"API detail {cid}"] and after[cid] in shown[f"page {cid}"]
            problems += [f"{who.handle}: {p}" for p in _where(gone, shown)]
    edit_page = await client.get(f"/messages/{ids[doomed[tea]]}/edit", headers=ada.headers)
    assert edit_page.status_code == 404 and doomed[tea] not in edit_page.text
    assert not problems, "\n".join(problems)


def _handles(people: list[Member]) -> set[str]:
    return {p.handle for p in people}


async def test_words_deleted_after_someone_left_are_gone_for_them_too(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    """Someone who left keeps the group as it was then, except for words taken back since."""
    run = uuid.uuid4().hex[:10]
    ada, cy, dee = await members(client, services, "ada_dl", "cy_dl", "dee_dl")
    await connect(client, cy, ada)
    await connect(client, cy, dee)
    tea = await group(client, cy, "Tea", ada, dee)
    doomed = f"doomed{run}"
    message = (await _ok(await send(client, ada, tea, doomed))).json()["id"]
    shown = await _surfaces(client, dee, [tea])
    assert doomed in shown[f"API detail {tea}"] and doomed in shown[f"page {tea}"]
    await _ok(await client.post(f"/api/v1/conversations/{tea}/leave", headers=dee.headers))
    # Edited after Dee left (Dee keeps seeing the words as they were), then withdrawn.
    edit = {"body": f"edited{run}"}
    await _ok(await client.patch(f"/api/v1/messages/{message}", json=edit, headers=ada.headers))
    assert doomed in (await _surfaces(client, dee, [tea]))[f"API detail {tea}"]
    await _ok(await client.delete(f"/api/v1/messages/{message}", headers=ada.headers))
    shown = await _surfaces(client, dee, [tea])
    listed = json.loads(shown[f"API detail {tea}"])["messages"]
    assert [(m["id"], m["deleted"]) for m in listed] == [(message, True)], listed
    async with served(app) as port:
        stream = Stream(port, dee)
        stream.cursor = {"at": None, "c": {str(tea): 0}}
        await stream.open()
        await stream.drain(0.5)
        await stream.close()
    assert any(e["kind"] == "leave" for e in stream.events), stream.events
    shown["replay"] = json.dumps(stream.events)
    assert not _where([doomed, f"edited{run}"], shown), _where([doomed, f"edited{run}"], shown)


async def test_a_quoted_moment_leaves_with_its_edit_and_delete(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    run = uuid.uuid4().hex[:10]
    ada, bob = await members(client, services, "ada_dq", "bob_dq")
    await connect(client, ada, bob)
    first, second = f"momentfirst{run}", f"momentsecond{run}"
    made = await client.post(
        "/api/v1/moments", json={"body": first, "people": [bob.handle]}, headers=ada.headers
    )
    moment = (await _ok(made)).json()["id"]
    async with served(app) as port:
        answer = await client.post(
            f"/api/v1/moments/{moment}/answers",
            json={"body": f"lovely{run}", "client_key": uuid.uuid4().hex},
            headers=bob.headers,
        )
        conversation = (await _ok(answer)).json()["conversation_id"]
        for who in (ada, bob):
            shown = await _surfaces(client, who, [conversation])
            assert first in shown[f"API detail {conversation}"], "the quote is not shown at all"
            assert first in shown[f"page {conversation}"]
        await _ok(
            await client.patch(
                f"/api/v1/moments/{moment}", json={"body": second}, headers=ada.headers
            )
        )
        problems: list[str] = []
        for who in (ada, bob):
            shown = await _surfaces(client, who, [conversation])
            assert second in shown[f"API detail {conversation}"]
            problems += [f"after the edit, {who.handle}: {p}" for p in _where([first], shown)]
        await _ok(await client.delete(f"/api/v1/moments/{moment}", headers=ada.headers))
        for who in (ada, bob):
            shown = await _surfaces(client, who, [conversation])
            assert f"lovely{run}" in shown[f"page {conversation}"]
            problems += [
                f"after the delete, {who.handle}: {p}" for p in _where([first, second], shown)
            ]
        stream = Stream(port, bob)
        stream.cursor = {"at": None, "c": {str(conversation): 0}}
        await stream.open()
        await stream.drain(0.5)
        replayed = json.dumps(stream.events)
        assert f"lovely{run}" in replayed
        problems += [f"replay: {p}" for p in _where([first, second], {"": replayed})]
        await stream.close()
    assert not problems, "\n".join(problems)
