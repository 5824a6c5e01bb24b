"""The path to help: "Get help" on every page for anyone, the /help page in the reader's
language with the directory's entries, its JSON twin, the support page's sentences from the
directory, and an app that refuses to start on a malformed directory file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from socialode.app import create_app
from socialode.platform.help_directory import HelpDirectoryError, load_help_directory
from socialode.platform.services import Services
from tests.conftest import make_settings
from tests.helpers import Member, connect, members

HELP_LINK = '<a class="top-link help-link" href="/help">'
PT = {"Accept-Language": "pt-PT,pt;q=0.9"}


def test_a_malformed_directory_stops_the_app_naming_the_line(
    tmp_path: Path, services: Services, database_url: str
) -> None:
    bad = tmp_path / "help.toml"
    bad.write_text(
        '[support.en]\ntext = "a"\nemergency = "b"\n\n[[resource]]\nlocale = "en"\n'
        'kind = "crisis"\nname = "Line"\noffers = "Talk."\nregion = "Here"\n',
        encoding="utf-8",
    )
    settings = make_settings(tmp_path / "data", database_url, help_resources=bad)
    with pytest.raises(HelpDirectoryError) as caught:
        create_app(settings, services)
    assert f"{bad}, line 5:" in caught.value.message
    assert "no way to reach it" in caught.value.message


async def test_help_answers_anyone_in_their_language(client: httpx.AsyncClient) -> None:
    english = await client.get("/help")
    assert english.status_code == 200
    page = english.text
    assert '<html lang="en"' in page and "<h1>Get help</h1>" in page
    assert 'href="#crisis"' in page and 'id="crisis"' in page
    assert 'href="tel:988"' in page and 'href="sms:988"' in page and "Samaritans" in page
    assert 'href="tel:116123"' in page and "https://988lifeline.org" in page
    assert "Tell someone you trust" in page and "/conversations/direct" not in page
    assert "no services listed for your language" not in page
    # The order of the steps: reach out, things to do now, professional help, crisis lines.
    order = ["Reach out now", "Things you can do right now", "Professional help", "Crisis lines"]
    spots = [page.index(f">{heading}</h2>") for heading in order]
    assert spots == sorted(spots)
    assert page.index("FindTreatment.gov") < page.index("988 Suicide")  # professional first

    portuguese = (await client.get("/help", headers=PT)).text
    assert '<html lang="pt-PT"' in portuguese
    assert 'href="tel:112"' in portuguese and 'href="tel:808242424"' in portuguese
    assert "SNS 24" in portuguese and "Número Europeu de Emergência" in portuguese
    assert "liga já para o 112" in portuguese
    assert "988" not in portuguese and "Samaritans" not in portuguese


async def test_a_language_without_entries_is_told_it_sees_the_english_ones(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    directory = load_help_directory(None)
    assert directory.for_locale("pt_PT").crisis  # the shipped file has Portuguese entries
    only_english = [r for r in directory.resources if r.locale == "en"]
    app.state.help_directory = type(directory)(tuple(only_english), directory.support)
    page = (await client.get("/help", headers=PT)).text
    assert 'href="tel:988"' in page and "SNS 24" not in page
    assert 'class="notice help-fallback"' in page
    answer = (await client.get("/api/v1/help", headers=PT)).json()
    assert answer["fallback"] is True and answer["locale"] == "en"


async def test_signed_in_the_first_step_is_your_own_people(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_help", "bob_help", "cy_help")
    alone = (await client.get("/help", headers=cy.headers)).text
    assert "Tell someone you trust" in alone and 'href="/support/new"' in alone
    await connect(client, ada, bob)
    page = (await client.get("/help", headers=ada.headers)).text
    assert page.count('action="/conversations/direct"') == 1
    assert 'name="handle" value="bob_help"' in page and 'href="/support/new"' in page
    assert "cy_help" not in page
    # One tap on "Message" opens the one-to-one conversation.
    opened = await client.post(
        "/conversations/direct", data={"handle": "bob_help"}, headers=ada.headers
    )
    assert opened.status_code == 303
    assert opened.headers["location"].startswith("/conversations/")

    chose = await client.patch("/api/v1/me", json={"language": "pt_PT"}, headers=ada.headers)
    assert chose.status_code == 200, chose.text
    own_language = (await client.get("/help", headers=ada.headers)).text
    assert '<html lang="pt-PT"' in own_language and 'href="tel:112"' in own_language
    assert 'href="tel:988"' not in own_language


async def test_the_first_people_shown_are_a_few(
    client: httpx.AsyncClient, services: Services
) -> None:
    many = await members(client, services, *(f"kin_{i}" for i in range(10)))
    for other in many[1:]:
        await connect(client, many[0], other)
    page = (await client.get("/help", headers=many[0].headers)).text
    assert page.count('action="/conversations/direct"') == 8
    assert 'href="/connections">' in page


async def test_the_directory_as_json(client: httpx.AsyncClient, services: Services) -> None:
    english = await client.get("/api/v1/help")
    assert english.status_code == 200
    body = english.json()
    assert body["locale"] == "en" and body["fallback"] is False
    lifeline = next(r for r in body["crisis"] if r["phone"] == "988")
    assert lifeline == {
        "name": "988 Suicide & Crisis Lifeline",
        "offers": lifeline["offers"],
        "region": "United States",
        "phone": "988",
        "text": "988",
        "web": "https://988lifeline.org",
        "hours": "24/7",
    }
    assert body["professional"] and body["self_help"]
    assert "emergency number" in body["emergency_text"]
    portuguese = (await client.get("/api/v1/help", headers=PT)).json()
    assert portuguese["locale"] == "pt_PT"
    assert {r["phone"] for r in portuguese["crisis"]} == {"112", "808 24 24 24"}
    (ada,) = await members(client, services, "ada_json")
    await client.patch("/api/v1/me", json={"language": "pt_PT"}, headers=ada.headers)
    mine = (await client.get("/api/v1/help", headers=ada.headers)).json()
    assert mine["locale"] == "pt_PT"


async def _pages_have_the_link(client: httpx.AsyncClient, who: Member | None) -> None:
    headers = {"Accept": "text/html", **(who.headers if who else {})}
    paths = ["/help", "/nothing-is-here", "/offline"]
    paths += ["/feed", "/conversations", "/settings/profile", "/you"] if who else ["/login", "/"]
    for path in paths:
        answer = await client.get(path, headers=headers)
        assert answer.status_code in (200, 404), (path, answer.status_code)
        assert 'href="/help">Get help</a>' in answer.text, path
        if path != "/offline":
            assert HELP_LINK in answer.text, path
        if who is not None and path not in ("/offline", "/nothing-is-here"):
            assert '<a class="side-help help-link" href="/help">' in answer.text, path


async def test_get_help_is_on_every_page_signed_in_or_not(
    client: httpx.AsyncClient, services: Services
) -> None:
    await _pages_have_the_link(client, None)
    (ada,) = await members(client, services, "ada_link")
    await _pages_have_the_link(client, ada)
    missing = await client.get("/nothing-is-here", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and HELP_LINK in missing.text


async def test_asking_for_support_shows_the_directory_sentences(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_support")
    english = load_help_directory(None).for_locale("en")
    page = (await client.get("/support/new", headers=ada.headers)).text
    assert english.emergency_text in page and english.support_text in page
    await client.patch("/api/v1/me", json={"language": "pt_PT"}, headers=ada.headers)
    portuguese = load_help_directory(None).for_locale("pt_PT")
    page = (await client.get("/support/new", headers=ada.headers)).text
    assert portuguese.emergency_text in page and portuguese.support_text in page
