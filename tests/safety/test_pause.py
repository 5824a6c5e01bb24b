"""The pause before hurtful words are sent (rule 7): over the API, the live socket's frames
and the HTML forms; what the sender chose is stored with the text; a disclosure is never
paused; recipients who ask for it get such texts folded."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from socialode.conversations.models import Message
from socialode.gatherings.models import Gathering
from socialode.moments.models import Moment
from socialode.platform.services import Services
from socialode.safety.scorer import scorer_for
from tests.conversations.people import Member, connect, direct, members
from tests.form_helpers import web_login
from tests.helpers import PASSWORD, snapshot

THREAT = "I know where you live and I will hurt you"
CALM = "I was really upset about what you said yesterday, can we talk?"
DISCLOSURE = "people at school keep telling me to kill myself and I don't know what to do"


def send_body(body: str, **extra: Any) -> dict[str, Any]:
    return {"client_key": uuid.uuid4().hex, "body": body, **extra}


async def pair(client: httpx.AsyncClient, services: Services) -> tuple[Member, Member, int]:
    ada, bob = await members(client, services, "ada_p", "bob_p")
    await connect(client, ada, bob)
    return ada, bob, await direct(client, ada, bob)


async def paused_rows(services: Services) -> list[str | None]:
    async with services.db.sessions() as db:
        return list((await db.scalars(select(Message.paused).order_by(Message.id))).all())


async def test_hurtful_words_pause_and_nothing_is_sent_or_kept(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, _bob, one = await pair(client, services)
    url = f"/api/v1/conversations/{one}/messages"
    before = await snapshot(services)
    response = await client.post(url, json=send_body(THREAT), headers=ada.headers)
    assert response.status_code == 409, response.text
    answer = response.json()
    assert answer["detail"] == "This might hurt. Do you want to rephrase?"
    assert answer["field"] == "body"
    assert answer["pause"]["category"] == "threat"
    assert answer["pause"]["choices"] == ["rephrase", "discard", "send_anyway"]
    assert answer["pause"]["token"]
    assert THREAT not in response.text.replace(answer["detail"], "")
    assert await snapshot(services) == before, "a pause stores nothing, not even that it paused"


async def test_send_anyway_stores_the_choice_and_marks_it_for_recipients(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, one = await pair(client, services)
    url = f"/api/v1/conversations/{one}/messages"
    body = send_body(THREAT)
    token = (await client.post(url, json=body, headers=ada.headers)).json()["pause"]["token"]
    sent = await client.post(
        url, json={**body, "pause_token": token, "send_anyway": True}, headers=ada.headers
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["may_hurt"] is True
    assert await paused_rows(services) == ["sent_anyway:threat"]
    seen = await client.get(f"/api/v1/conversations/{one}", headers=bob.headers)
    (message,) = seen.json()["messages"]
    assert message["body"] == THREAT and message["may_hurt"] is False  # Bob does not fold
    await client.put("/api/v1/safety/settings", json={"fold_hurtful": True}, headers=bob.headers)
    seen = await client.get(f"/api/v1/conversations/{one}", headers=bob.headers)
    assert seen.json()["messages"][0]["may_hurt"] is True


async def test_rephrasing_sends_the_new_words_and_records_the_pause(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, _bob, one = await pair(client, services)
    url = f"/api/v1/conversations/{one}/messages"
    token = (await client.post(url, json=send_body(THREAT), headers=ada.headers)).json()["pause"][
        "token"
    ]
    sent = await client.post(url, json=send_body(CALM, pause_token=token), headers=ada.headers)
    assert sent.status_code == 201, sent.text
    assert sent.json()["may_hurt"] is False
    assert await paused_rows(services) == ["rephrased:threat"]
    # Rephrased words that still read as hurtful pause again.
    again = await client.post(
        url, json=send_body(THREAT + "!!", pause_token=token), headers=ada.headers
    )
    assert again.status_code == 409, again.text


@pytest.mark.parametrize(
    "case", ["other text", "other member", "other surface", "forged", "no token", "stale"]
)
async def test_a_bad_answer_to_a_pause_is_refused_and_nothing_is_sent(
    client: httpx.AsyncClient, services: Services, case: str
) -> None:
    ada, bob, one = await pair(client, services)
    url = f"/api/v1/conversations/{one}/messages"
    token = (await client.post(url, json=send_body(THREAT), headers=ada.headers)).json()["pause"][
        "token"
    ]
    who, text = ada, THREAT
    if case == "other text":
        text = THREAT + " tonight"
    elif case == "other member":
        bob_url = f"/api/v1/conversations/{one}/messages"
        who = bob
        url = bob_url
    elif case == "other surface":
        moment = await client.post(
            "/api/v1/moments",
            json={"body": THREAT, "circles": [], "people": [bob.handle]},
            headers=ada.headers,
        )
        token = moment.json()["pause"]["token"]
    elif case == "forged":
        token = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    elif case == "no token":
        token = ""
    elif case == "stale":
        from socialode.safety import pause as pause_module

        signer = pause_module._signer(services)
        token = signer.dumps([0, "message", "x", "threat"])
    before = await snapshot(services)
    response = await client.post(
        url, json=send_body(text, pause_token=token, send_anyway=True), headers=who.headers
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "pause_token"
    assert "Nothing was sent" in response.json()["detail"]
    assert await snapshot(services) == before


async def test_a_disclosure_is_sent_at_once_and_offers_help(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, one = await pair(client, services)
    url = f"/api/v1/conversations/{one}/messages"
    sent = await client.post(url, json=send_body(DISCLOSURE), headers=ada.headers)
    assert sent.status_code == 201, sent.text
    assert sent.json()["offer_help"] is True
    assert sent.json()["may_hurt"] is False
    assert await paused_rows(services) == [None]
    # Only the writer is offered help: the same message read by Bob says nothing of it.
    seen = await client.get(f"/api/v1/conversations/{one}", headers=bob.headers)
    assert "offer_help" not in seen.text or '"offer_help":true' not in seen.text


async def test_edits_pause_too(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, one = await pair(client, services)
    url = f"/api/v1/conversations/{one}/messages"
    message_id = (await client.post(url, json=send_body(CALM), headers=ada.headers)).json()["id"]
    edit = f"/api/v1/messages/{message_id}"
    paused = await client.patch(edit, json={"body": THREAT}, headers=ada.headers)
    assert paused.status_code == 409, paused.text
    token = paused.json()["pause"]["token"]
    kept = await client.get(f"/api/v1/conversations/{one}", headers=bob.headers)
    assert [m["body"] for m in kept.json()["messages"]] == [CALM]
    anyway = {"body": THREAT, "pause_token": token, "send_anyway": True}
    changed = await client.patch(edit, json=anyway, headers=ada.headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["may_hurt"] is True
    # Edited back to kind words, it is no longer marked.
    calm = await client.patch(edit, json={"body": CALM + " x"}, headers=ada.headers)
    assert calm.json()["may_hurt"] is False


async def test_moments_support_and_gatherings_pause(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, _one = await pair(client, services)
    moment = {"body": THREAT, "circles": [], "people": [bob.handle]}
    paused = await client.post("/api/v1/moments", json=moment, headers=ada.headers)
    assert paused.status_code == 409 and paused.json()["pause"]["category"] == "threat"
    token = paused.json()["pause"]["token"]
    shared = await client.post(
        "/api/v1/moments",
        json={**moment, "pause_token": token, "send_anyway": True},
        headers=ada.headers,
    )
    assert shared.status_code == 201, shared.text
    assert shared.json()["may_hurt"] is True
    await client.put("/api/v1/safety/settings", json={"fold_hurtful": True}, headers=bob.headers)
    feed = await client.get("/api/v1/feed", headers=bob.headers)
    assert [m["may_hurt"] for m in feed.json()["moments"]] == [True]

    support = {"body": THREAT, "supporters": [bob.handle]}
    asked = await client.post("/api/v1/moments/support", json=support, headers=ada.headers)
    assert asked.status_code == 409, asked.text

    gathering = {
        "title": "Picnic",
        "description": THREAT,
        "people": [bob.handle],
        "times": [{"starts_at": "2027-06-01T12:00:00", "ends_at": "2027-06-01T14:00:00"}],
    }
    proposed = await client.post("/api/v1/gatherings", json=gathering, headers=ada.headers)
    assert proposed.status_code == 409, proposed.text
    assert proposed.json()["field"] == "description"  # the field that reads as hurtful
    token = proposed.json()["pause"]["token"]
    kinder = {**gathering, "description": "Bring a blanket", "pause_token": token}
    made = await client.post("/api/v1/gatherings", json=kinder, headers=ada.headers)
    assert made.status_code == 201, made.text
    async with services.db.sessions() as db:
        assert list(await db.scalars(select(Moment.paused))) == ["sent_anyway:threat"]
        assert list(await db.scalars(select(Gathering.paused))) == ["rephrased:threat"]


async def test_the_html_chat_form_shows_the_pause_and_sends_anyway(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, _bob, one = await pair(client, services)
    await web_login(client, ada.handle, PASSWORD)
    form = {"client_key": uuid.uuid4().hex, "body": THREAT}
    page = await client.post(f"/conversations/{one}/messages", data=form)
    assert page.status_code == 409, page.text
    assert "This might hurt. Do you want to rephrase?" in page.text
    assert THREAT in page.text  # the words stay in the box to change
    found = re.search(r'name="pause_token" value="([^"]+)"', page.text)
    assert found is not None
    assert 'name="send_anyway" value="1"' in page.text
    sent = await client.post(
        f"/conversations/{one}/messages",
        data={**form, "pause_token": found.group(1), "send_anyway": "1"},
    )
    assert sent.status_code == 303, sent.text
    assert await paused_rows(services) == ["sent_anyway:threat"]


async def test_folding_is_the_readers_choice(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob, one = await pair(client, services)
    url = f"/api/v1/conversations/{one}/messages"
    body = send_body(THREAT)
    token = (await client.post(url, json=body, headers=ada.headers)).json()["pause"]["token"]
    anyway = {**body, "pause_token": token, "send_anyway": True}
    assert (await client.post(url, json=anyway, headers=ada.headers)).status_code == 201
    await client.post(url, json=send_body("see you soon"), headers=ada.headers)

    settings = await client.get("/api/v1/safety/settings", headers=bob.headers)
    assert settings.json() == {"fold_hurtful": False}
    await web_login(client, "bob_p", PASSWORD)
    page = await client.get(f"/conversations/{one}")
    assert '<details class="may-hurt">' not in page.text
    assert 'data-fold="no"' in page.text

    saved = await client.put(
        "/api/v1/safety/settings", json={"fold_hurtful": True}, headers=bob.headers
    )
    assert saved.json() == {"fold_hurtful": True}
    page = await client.get(f"/conversations/{one}")
    chat = page.text.split('id="messages"')[1].split("</ol>")[0]
    assert chat.count('<details class="may-hurt">') == 1
    assert 'data-fold="yes"' in page.text

    # The sender's own words are never folded for them.
    await web_login(client, "ada_p", PASSWORD)
    await client.post("/settings/safety", data={"fold_hurtful": "on"})
    own = await client.get(f"/conversations/{one}")
    assert '<details class="may-hurt">' not in own.text


@pytest.mark.parametrize(
    ("field", "hurtful"),
    [("description", THREAT), ("place", "nobody wants you there, stay home")],
)
async def test_each_of_a_gatherings_fields_is_read_on_its_own(
    client: httpx.AsyncClient, services: Services, field: str, hurtful: str
) -> None:
    # Read as one text with a long harmless name and place, these were let through: the
    # ordinary words around them drowned them out
    ada, bob, _one = await pair(client, services)
    gathering = {
        "title": "Saturday picnic for Lena's birthday with cake and games",
        "description": "Bring a blanket and something to share, we'll be there from noon",
        "place": "The big oak tree by the pond in Victoria Park, near the café",
        "people": [bob.handle],
        "times": [{"starts_at": "2027-06-01T12:00:00", "ends_at": "2027-06-01T14:00:00"}],
    }
    proposed = await client.post(
        "/api/v1/gatherings", json={**gathering, field: hurtful}, headers=ada.headers
    )
    assert proposed.status_code == 409, proposed.text
    assert proposed.json()["field"] == field
    made = await client.post("/api/v1/gatherings", json=gathering, headers=ada.headers)
    assert made.status_code == 201, made.text


async def test_a_moments_content_note_is_read_on_its_own(
    client: httpx.AsyncClient, services: Services
) -> None:
    # Read with a long ordinary moment, this note was let through
    ada, bob, _one = await pair(client, services)
    moment = {
        "body": "Went down to the harbour this morning with Nan, the boats were all out and we "
        "had chips on the wall while the gulls watched us",
        "circles": [],
        "people": [bob.handle],
    }
    note = {**moment, "content_note": "nobody wants you here, stay home"}
    paused = await client.post("/api/v1/moments", json=note, headers=ada.headers)
    assert paused.status_code == 409, paused.text
    assert paused.json()["field"] == "content_note"
    shared = await client.post("/api/v1/moments", json=moment, headers=ada.headers)
    assert shared.status_code == 201, shared.text


async def gathering_sent_anyway(
    client: httpx.AsyncClient, ada: Member, bob: Member, title: str, description: str
) -> httpx.Response:
    """Ada proposes a gathering at the park to Bob, paused, and sends it anyway."""
    gathering = {
        "title": title,
        "description": description,
        "place": "The park",
        "people": [bob.handle],
        "times": [{"starts_at": "2027-06-01T12:00:00", "ends_at": "2027-06-01T14:00:00"}],
    }
    token = (await client.post("/api/v1/gatherings", json=gathering, headers=ada.headers)).json()
    anyway = {**gathering, "pause_token": token["pause"]["token"], "send_anyway": True}
    made = await client.post("/api/v1/gatherings", json=anyway, headers=ada.headers)
    assert made.status_code == 201, made.text
    return made


async def test_a_gathering_sent_anyway_is_folded_for_invitees_who_chose_it(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, _one = await pair(client, services)
    made = await gathering_sent_anyway(client, ada, bob, "Picnic", THREAT)
    url = f"/gatherings/{made.json()['gathering']['id']}"
    await client.put("/api/v1/safety/settings", json={"fold_hurtful": True}, headers=bob.headers)
    async with services.db.sessions() as db:
        stored = await db.scalar(select(Gathering.paused).where(Gathering.title == "Picnic"))
    assert stored == "sent_anyway:threat:description"  # the one field that carried them
    read = await client.get(f"/api/v1{url}", headers=bob.headers)
    assert read.json()["may_hurt"] is True
    assert read.json()["may_hurt_parts"] == ["description"]
    await web_login(client, "bob_p", PASSWORD)
    page = await client.get(url)
    folded = page.text.split('<details class="may-hurt">')[1].split("</details>")[0]
    assert THREAT in folded and "The park" not in folded  # only the description, behind "show?"
    assert page.text.count(THREAT) == 1 and re.search("<title>(• )?Picnic", page.text)
    assert "<h1>Picnic</h1>" in page.text and "The park" in page.text
    listed = await client.get("/gatherings")
    assert "Picnic" in listed.text and "The park" in listed.text
    assert "This may be hurtful" in listed.text
    # Not for the organiser, and not for an invitee who did not ask for it.
    await web_login(client, "ada_p", PASSWORD)
    await client.post("/settings/safety", data={"fold_hurtful": "on"})
    own = await client.get(url)
    assert '<details class="may-hurt">' not in own.text and THREAT in own.text
    await client.put("/api/v1/safety/settings", json={"fold_hurtful": False}, headers=bob.headers)
    await web_login(client, "bob_p", PASSWORD)
    plain = await client.get(url)
    assert '<details class="may-hurt">' not in plain.text and THREAT in plain.text


async def test_words_sent_anyway_in_more_than_one_field_fold_them_all(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, _one = await pair(client, services)
    made = await gathering_sent_anyway(client, ada, bob, "Picnic: " + THREAT, "And " + THREAT)
    async with services.db.sessions() as db:
        assert await db.scalar(select(Gathering.paused)) == "sent_anyway:threat"
    await client.put("/api/v1/safety/settings", json={"fold_hurtful": True}, headers=bob.headers)
    read = await client.get(
        f"/api/v1/gatherings/{made.json()['gathering']['id']}", headers=bob.headers
    )
    assert read.json()["may_hurt_parts"] == ["title", "description", "place"]
    await web_login(client, "bob_p", PASSWORD)
    page = await client.get(f"/gatherings/{made.json()['gathering']['id']}")
    folded = page.text.split('<details class="may-hurt">')[1].split("</details>")[0]
    assert "Picnic" in folded and "The park" in folded and "And " in folded
    assert "<h1>A gathering</h1>" in page.text and page.text.count("The park") == 1


async def test_fold_settings_refuse_bad_input(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_s")
    before = await snapshot(services)
    for body in ({"fold_hurtful": "maybe"}, {}, {"fold_hurtful": True, "x": 1}):
        response = await client.put("/api/v1/safety/settings", json=body, headers=ada.headers)
        assert response.status_code == 422, response.text
        assert response.json()["detail"]
    assert await snapshot(services) == before


async def test_a_running_app_pauses_through_its_scorer_process(
    client: httpx.AsyncClient, services: Services, app: FastAPI
) -> None:
    """With its start-up run, the app scores in a scorer process beside it (safety.scorer),
    and the pause is the same."""
    ada, _bob, one = await pair(client, services)
    scorer = scorer_for(services)
    scorer.process = True  # whatever this machine's cores ("auto")
    async with app.router.lifespan_context(app):
        for _ in range(500):
            if scorer.ready:
                break
            await asyncio.sleep(0.02)
        assert scorer.ready and scorer.pid is not None
        asked = scorer.asked
        url = f"/api/v1/conversations/{one}/messages"
        response = await client.post(url, json=send_body(THREAT), headers=ada.headers)
        assert response.status_code == 409, response.text
        assert response.json()["pause"]["category"] == "threat"
        response = await client.post(url, json=send_body(CALM), headers=ada.headers)
        assert response.status_code == 201, response.text
        assert scorer.asked == asked + 2, "both texts went to the scorer process"
    assert scorer.pid is None, "the scorer process ends with the app"
    assert await paused_rows(services) == [None]
