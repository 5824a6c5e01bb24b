"""Known people first: once two people are no longer connected (either removed the other, or
either blocked the other), neither can write in their old one-to-one any more — not a new
message, not an edit of an older one (an edit puts new words in front of the other person),
over the API, the page's forms or the live socket. Deleting one's own words stays possible.

- After a block the conversation is missing for both: every write answers exactly what a
  conversation (or message) that does not exist answers.
- After a removal the history stays readable, so the conversation is not hidden; every write
  surface gives the same refusal, with the sentence saying what would make it possible again.
- The control: while they are connected each of these writes goes through.
Nothing refused is written, and the other person receives nothing live.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from socialode.conversations.access import NO_CONVERSATION, NO_MESSAGE
from socialode.conversations.access_live import NOT_CONNECTED
from socialode.platform.services import Services
from tests.conversations.people import Member, Stream, connect, direct, members, send, served
from tests.helpers import snapshot

MISSING_ID = 999_999
SENTENCES = (NO_CONVERSATION, NO_MESSAGE, NOT_CONNECTED)
Answer = tuple[int, str]  # status, and which known sentence (or the body of a success)


def _sentence(text: str) -> str:
    found = [s for s in SENTENCES if s in text]
    return found[0] if found else ""


async def _writes(
    client: httpx.AsyncClient, stream: Stream, who: Member, conversation: int, older: int
) -> dict[str, Answer]:
    """One write on every surface; each answer reduced to its status and sentence."""
    out: dict[str, Answer] = {}
    word = uuid.uuid4().hex
    api = await send(client, who, conversation, f"api {word}")
    out["API send"] = (api.status_code, _sentence(api.text))
    form = await client.post(
        f"/conversations/{conversation}/messages",
        data={"client_key": uuid.uuid4().hex, "body": f"form {word}"},
        headers=who.headers,
    )
    out["form send"] = (form.status_code, _sentence(form.text))
    edit = await client.patch(
        f"/api/v1/messages/{older}", json={"body": f"edit {word}"}, headers=who.headers
    )
    out["API edit"] = (edit.status_code, _sentence(edit.text))
    form_edit = await client.post(
        f"/messages/{older}/edit", data={"body": f"form edit {word}"}, headers=who.headers
    )
    out["form edit"] = (form_edit.status_code, _sentence(form_edit.text))
    assert stream.ws is not None
    key = uuid.uuid4().hex
    frame = {"type": "send", "conversation_id": conversation, "client_key": key, "body": word}
    await stream.ws.send(json.dumps(frame))
    while True:
        answer: dict[str, Any] = await stream.next()
        if answer["type"] in ("ack", "error") and answer.get("client_key") == key:
            break
    status = 201 if answer["type"] == "ack" else int(answer["status"])
    out["socket send"] = (status, _sentence(str(answer.get("detail", ""))))
    return out


ENDINGS = [
    "still connected",
    "removed by ada",
    "removed by bob",
    "ada blocks bob",
    "bob blocks ada",
]


@pytest.mark.parametrize("ending", ENDINGS)
async def test_former_connections_cannot_write_in_their_old_one_to_one(
    app: FastAPI, client: httpx.AsyncClient, services: Services, ending: str
) -> None:
    services.settings.rate_messages = "100000/minute"
    ada, bob = await members(client, services, "ada_fc", "bob_fc")
    await connect(client, ada, bob)
    one = await direct(client, ada, bob)
    older = {}
    for who in (ada, bob):
        sent = await send(client, who, one, f"earlier words of {who.handle}")
        assert sent.status_code == 201, sent.text
        older[who.handle] = sent.json()["id"]
    people = {"ada": ada, "bob": bob}
    if ending != "still connected":
        words = ending.split()
        actor, other = people[words[0] if "blocks" in ending else words[-1]], None
        if "blocks" in ending:
            other = people[words[-1]]
            response = await client.put(f"/api/v1/blocks/{other.handle}", headers=actor.headers)
        else:
            other = bob if actor is ada else ada
            url = f"/api/v1/connections/{other.handle}"
            response = await client.delete(url, headers=actor.headers)
        assert response.status_code == 204, response.text

    async with served(app) as port:
        streams = {m.handle: await Stream(port, m).open() for m in (ada, bob)}
        before = await snapshot(services)
        answers = {}
        for who in (ada, bob):
            answers[who.handle] = await _writes(
                client, streams[who.handle], who, one, older[who.handle]
            )
        after = await snapshot(services)
        missing = await _writes(client, streams["ada_fc"], ada, MISSING_ID, MISSING_ID)
        for stream in streams.values():
            await stream.drain(0.5)
        heard = {
            handle: [
                e["kind"]
                for e in stream.events
                if e["kind"] in ("message", "edit") and e["actor"]["handle"] != handle
            ]
            for handle, stream in streams.items()
        }
        for stream in streams.values():
            await stream.close()

    if ending == "still connected":
        for handle, got in answers.items():
            assert got == {
                "API send": (201, ""),
                "form send": (303, ""),
                "API edit": (200, ""),
                "form edit": (303, ""),
                "socket send": (201, ""),
            }, handle
        assert after["messages"] == before["messages"] + 6
        assert all(len(kinds) == 5 for kinds in heard.values()), heard
        return
    assert after == before, "a refused write left something behind"
    assert heard == {"ada_fc": [], "bob_fc": []}, heard
    for handle, got in answers.items():
        if "blocks" in ending:
            assert got == missing, (handle, got, missing)
        else:
            assert got == dict.fromkeys(got, (409, NOT_CONNECTED)), (handle, got)
    # Taking one's own words back is still possible, and the history stays readable.
    for who in (ada, bob):
        deleted = await client.delete(f"/api/v1/messages/{older[who.handle]}", headers=who.headers)
        readable = await client.get(f"/api/v1/conversations/{one}", headers=who.headers)
        if "blocks" in ending:
            assert deleted.status_code == readable.status_code == 404
        else:
            assert deleted.is_success and readable.status_code == 200, deleted.text
