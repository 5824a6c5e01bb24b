"""Languages: the browser's language before sign-in, the member's own choice after, a refusal
that says what to do for a language we do not offer, catalogs in step with the code, and
dates in each language's own words and order."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from babel.messages.pofile import read_po

from socialode.platform import i18n
from socialode.platform.services import Services
from socialode.web.when import day_text, full_text, reader_zone, when_text
from tests.helpers import members

ROOT = Path(__file__).resolve().parents[2]


def _lang(page: str) -> str:
    return page.split("<html lang=", 1)[1].split('"', 2)[1]


@pytest.mark.once
@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("pt-PT,pt;q=0.9,en;q=0.8", "pt_PT"),
        ("pt-BR", "pt_PT"),  # the nearest we have
        ("en-GB,en;q=0.9", "en"),
        ("de-DE, pt;q=0.5", "pt_PT"),
        ("fr;q=0, pt-PT;q=0.1", "pt_PT"),
        ("pt;q=0", "en"),  # refused outright
        ("", "en"),
        ("x" * 600, "en"),
        ("en;q=abc, pt", "pt_PT"),  # a broken weight is skipped, not a failure
    ],
)
def test_accept_language_picks_the_nearest_language_we_speak(header: str, code: str) -> None:
    assert i18n.negotiate(header) == code


async def test_the_browser_decides_before_sign_in_and_the_member_after(
    client: httpx.AsyncClient, services: Services
) -> None:
    portuguese = {"Accept-Language": "pt-PT,pt;q=0.9"}
    assert _lang((await client.get("/login", headers=portuguese)).text) == "pt-PT"
    assert _lang((await client.get("/login")).text) == "en"

    (maya,) = await members(client, services, "maya_lang")
    me = (await client.get("/api/v1/me", headers=maya.headers)).json()
    assert me["language"] == "en" and me["languages"] == i18n.LANGUAGES
    # Her own choice wins over what her browser asks for.
    page = (await client.get("/settings/appearance", headers=maya.headers | portuguese)).text
    assert _lang(page) == "en"
    saved = await client.post(
        "/settings/language", data={"language": "pt_PT"}, headers=maya.headers
    )
    assert saved.status_code == 303, saved.text
    page = (await client.get("/settings/appearance", headers=maya.headers)).text
    assert _lang(page) == "pt-PT"
    assert "Guardar" in page  # the catalog's word, not "Save"
    changed = await client.patch("/api/v1/me", json={"language": "en"}, headers=maya.headers)
    assert changed.status_code == 200 and changed.json()["language"] == "en"


async def test_a_language_we_do_not_offer_is_refused_with_a_sentence_and_nothing_changes(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ines,) = await members(client, services, "ines_lang")
    for code in ("klingon", "pt-PT", "", "en\x00", "x" * 40):
        answer = await client.patch(
            "/api/v1/me", json={"language": code, "bio": "Hello"}, headers=ines.headers
        )
        assert answer.status_code == 422, (code, answer.text)
        assert "Choose one of the languages offered" in answer.text or "16" in answer.text
    me = (await client.get("/api/v1/me", headers=ines.headers)).json()
    assert (me["language"], me["bio"]) == ("en", "")  # the bio beside it was not saved either
    form = await client.post("/settings/language", data={"language": "xx"}, headers=ines.headers)
    assert form.status_code == 422
    assert "Choose one of the languages offered: English, Português (Portugal)." in form.text
    assert 'id="e-language"' in form.text


@pytest.mark.once
def test_every_catalog_is_complete_and_in_step_with_the_code(tmp_path: Path) -> None:
    """Each language has a translation, not fuzzy, for every string the code and templates
    mark today; a string added without its translations fails here."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "--quiet",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "N_",
            "-o",
            str(pot),
            str(ROOT / "src" / "socialode"),
        ],
        check=True,
        cwd=ROOT,
    )
    with pot.open("rb") as template:
        wanted = {m.id for m in read_po(template) if m.id}
    assert wanted, "nothing was extracted"
    for code in i18n.LANGUAGES:
        if code == i18n.DEFAULT:
            continue
        with i18n.catalog_path(code).open("rb") as po:
            catalog = read_po(po)
        done = {
            m.id
            for m in catalog
            if m.id
            and not m.fuzzy
            and all(m.string if isinstance(m.string, tuple) else (m.string,))
        }
        missing = sorted(str(w) for w in wanted - done)
        assert not missing, f"{code} lacks {len(missing)}: {missing[:20]}"


@pytest.mark.once
def test_dates_speak_each_language() -> None:
    now = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)
    lisbon = reader_zone("Europe/Lisbon")
    ago = (timedelta(seconds=5), timedelta(hours=20), timedelta(days=3), timedelta(days=40))
    expected = {
        "en": ["now", "yesterday 19:30", "Sun 15:30", "23 Oct"],
        "pt_PT": ["agora", "ontem 19:30", "domingo 15:30", "23 de out."],
    }
    for code, texts in expected.items():
        with i18n.language(code):
            assert [when_text(now - a, lisbon, now) for a in ago] == texts
    with i18n.language("pt_PT"):
        assert full_text(now, lisbon) == "quarta, 2 de dez. de 2026, 15:30"
        assert day_text(now - timedelta(days=3), "Europe/Lisbon", now) == (
            "domingo, 29 de novembro"
        )
        assert day_text(now - timedelta(days=400), "Europe/Lisbon", now) == (
            "28 de outubro de 2025"
        )
    with i18n.language("en"):
        assert full_text(now, lisbon) == "Wed 2 Dec 2026, 15:30"
