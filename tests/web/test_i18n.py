"""Languages: the browser's language before sign-in, the member's own choice after, a refusal
that says what to do for a language we do not offer, catalogs in step with the code, and
dates in each language's own words and order."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from babel.messages.pofile import read_po

from socialode.moments import questions
from socialode.platform import i18n
from socialode.platform.services import Services
from socialode.web.when import day_text, full_text, reader_zone, when_text
from tests.conversations.people import connect, direct, members
from tests.untranslated import extracted_msgids

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
    wanted = extracted_msgids(pot, ROOT / "src" / "socialode")
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


def _texts(value: object) -> list[str]:
    """A catalog entry's text or texts (a plural has several)."""
    return [str(v) for v in value] if isinstance(value, tuple | list) else [str(value or "")]


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


@pytest.mark.once
def test_every_translation_keeps_the_placeholders_and_markup_of_its_original() -> None:
    """A translation that drops or renames ``%(name)s`` (or a link) would fail at run time
    or lose words: each one names exactly what its English names."""
    for code in i18n.LANGUAGES:
        if code == i18n.DEFAULT:
            continue
        with i18n.catalog_path(code).open("rb") as po:
            catalog = read_po(po)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            originals = [str(o) for o in _texts(message.id)]
            wanted = {m for o in originals for m in PLACEHOLDER.findall(o)}
            links = {o.count("<a ") for o in originals}
            for text in _texts(message.string):
                if not text:
                    continue
                got = set(PLACEHOLDER.findall(text))
                # A plural's singular may leave the number out ("Uma mensagem nova").
                assert got <= wanted and (got == wanted or len(originals) > 1), (
                    code,
                    message.id,
                    text,
                )
                assert text.count("<a ") in links, (code, message.id, text)


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


class _Visible(HTMLParser):
    """The text a person reads on a page: text between tags and read attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("alt", "title", "aria-label", "placeholder") and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _english_left(page: str, code: str) -> list[str]:
    """Texts of the page that are an English original whose translation differs."""
    with i18n.catalog_path(code).open("rb") as po:
        catalog = read_po(po)
    patterns = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        plain = re.sub(r"<[^>]+>", "", str(message.id))  # a link's sentence reads as text runs
        if not re.search(r"[^\W\d_]{3,}", PLACEHOLDER.sub("", plain)):
            continue  # "%(n)s min" and the like read the same in every language
        parts = [re.escape(p) for p in PLACEHOLDER.split(plain)[::3]]
        patterns.append(re.compile(".+?".join(parts)))
    seen = _Visible()
    seen.feed(page)
    return [t for t in seen.texts if any(p.fullmatch(t) for p in patterns)]


# Pages a member sees, each checked for English left in Portuguese.
TRANSLATED_PAGES = (
    "/feed?since=0",
    "/feed/day?day={today}",
    "/moments/{moment}",
    "/moments/mine",
    "/moments/shared",
    "/support/new",
    "/notifications",
    "/you",
    "/circles",
    "/circles/{circle}",
    "/circles/{circle}/prompt",
    "/people/{rui}",
    "/blocked",
    "/invites",
    "/settings/notifications",
    "/settings/devices",
    "/settings/appearance",
    "/settings/sessions",
    "/settings/password",
    "/settings/profile",
    "/settings/chat",
    "/settings/moments",
    "/conversations/{conversation}",
    "/messages/{message}/edit",
)


async def test_a_page_for_a_portuguese_member_has_no_english_left(
    client: httpx.AsyncClient, services: Services
) -> None:
    ana, rui = await members(client, services, "ana_pt", "rui_pt")
    await connect(client, ana, rui)
    for who in (ana, rui):
        chosen = await client.patch("/api/v1/me", json={"language": "pt_PT"}, headers=who.headers)
        assert chosen.status_code == 200, chosen.text
    conversation = await direct(client, ana, rui)
    sent = await client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"body": "Olá!", "client_key": "pt-page-1"},
        headers=ana.headers,
    )
    assert sent.status_code == 201, sent.text
    circle = await client.post("/api/v1/circles", json={"name": "Família"}, headers=ana.headers)
    assert circle.status_code == 201, circle.text
    shared = await client.post(
        "/api/v1/moments", json={"body": "Bom dia!", "people": [ana.handle]}, headers=rui.headers
    )
    assert shared.status_code == 201, shared.text
    values = {
        "conversation": conversation,
        "message": sent.json()["id"],
        "circle": circle.json()["id"],
        "moment": shared.json()["id"],
        "rui": rui.handle,
        "today": datetime.now(UTC).date().isoformat(),
    }
    for path in TRANSLATED_PAGES:
        answer = await client.get(path.format(**values), headers=ana.headers)
        assert answer.status_code == 200, (path, answer.status_code)
        assert 'lang="pt-PT"' in answer.text, path
        assert _english_left(answer.text, "pt_PT") == [], path
    # Signed out, the browser's language decides: the sign-in page, all of it.
    page = (await client.get("/login", headers={"Accept-Language": "pt-PT"})).text
    assert _english_left(page, "pt_PT") == [] and "Entrar" in page


@pytest.mark.once
def test_the_daily_questions_exist_in_every_language_line_for_line() -> None:
    english = questions.shipped()
    for code in i18n.LANGUAGES:
        own = questions.shipped(code)
        assert len(own) == len(english), code
        assert len(set(own)) == len(own), code  # no question twice
        if code != i18n.DEFAULT:
            assert not set(own) & set(english), code  # each one translated
    # Members of one circle are asked the same question, each in their language.
    day = datetime(2026, 12, 2, tzinfo=UTC).date()
    with i18n.language("pt_PT"):
        asked = questions.shipped_question(7, day)
    place = questions.shipped("pt_PT").index(asked)
    assert questions.shipped_question(7, day) == english[place]


@pytest.mark.once
def test_no_text_a_person_reads_bypasses_the_catalog() -> None:
    """Every sentence in a template (text, read attributes, macro labels, words chosen in an
    expression) and every message a person sees from Python goes through gettext; what is
    left over here would stay English for everyone (tests/untranslated.py says where)."""
    from socialode.web.templating import build_templates
    from tests.untranslated import findings

    left = findings(build_templates().env)
    assert not left, "\n".join(str(f) for f in left[:40])


@pytest.mark.once
def test_a_catalog_is_all_a_new_language_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("de", "pt_BR", "not_a_language"):
        (tmp_path / folder / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / folder / "LC_MESSAGES" / "messages.po").write_text("")
    (tmp_path / "es").mkdir()  # no catalog in it: not offered
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n._offered() == {
        "en": "English",
        "de": "Deutsch",
        "pt_BR": "Português (Brasil)",
    }
