"""Reading the server-rendered pages the way a person (or a screen reader) would.

A small parser on the standard library's ``html.parser``: it finds the message beside each
field (``<p class="error" id="e-FIELD">``), the form-level banner (``role="alert"``), and what
each form field holds when the page is shown again.
"""

from __future__ import annotations

import contextlib
import gc
import warnings
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx
from sqlalchemy import select

from socialode.platform.services import Services
from socialode.schema import metadata
from tests.helpers import PASSWORD, snapshot

VOLATILE = ("sessions", "last_seen_at")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    text: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """The parts of a rendered page that forms are about."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.by_id: dict[str, str] = {}
        self.alerts: list[str] = []
        self.inputs: dict[str, dict[str, str]] = {}
        self.textareas: dict[str, str] = {}
        self.selected: dict[str, list[str]] = {}
        self.error_messages: list[str] = []
        self.title = ""
        self.h1 = ""
        self.images: list[dict[str, str]] = []
        self.response: httpx.Response | None = None
        self._stack: list[_Open] = []
        self._select: str | None = None
        self.feed(html)
        self.close()

    # Parsing -------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "input":
            self.inputs[values.get("name", "")] = values
        elif tag == "img":
            self.images.append(values)
        elif tag == "select":
            self._select = values.get("name", "")
            self.selected.setdefault(self._select, [])
        elif tag == "option" and self._select is not None and "selected" in values:
            self.selected[self._select].append(values.get("value", ""))
        if tag not in VOID:
            self._stack.append(_Open(tag, values))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        while self._stack:
            top = self._stack.pop()
            self._finish(top)
            if top.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._stack:
            element.text.append(data)

    def _finish(self, element: _Open) -> None:
        text = "".join(element.text)
        squeezed = " ".join(text.split())
        if "id" in element.attrs:
            self.by_id[element.attrs["id"]] = squeezed
        if element.attrs.get("role") == "alert":
            self.alerts.append(squeezed)
        if "error-message" in element.attrs.get("class", "").split():
            self.error_messages.append(squeezed)
        if element.tag == "textarea":
            # A browser drops one newline right after <textarea>; keep the rest as typed.
            self.textareas[element.attrs.get("name", "")] = text.removeprefix("\n")
        elif element.tag == "title":
            self.title = squeezed
        elif element.tag == "h1" and not self.h1:
            self.h1 = squeezed

    # Reading -------------------------------------------------------------------------------

    @property
    def field_errors(self) -> dict[str, str]:
        """Every message shown beside a field, by field name."""
        return {k[2:]: v for k, v in self.by_id.items() if k.startswith("e-")}

    def value(self, name: str) -> str | None:
        """What the form shows in a field: an input's value, a textarea's text, a selection."""
        if name in self.textareas:
            return self.textareas[name]
        if name in self.selected:
            chosen = self.selected[name]
            return chosen[0] if chosen else None
        if name in self.inputs:
            return self.inputs[name].get("value")
        return None

    def text(self) -> str:
        """The visible words of the page body, squeezed."""
        return " ".join(self.by_id.get("main", "").split())


def page_of(response: httpx.Response) -> Page:
    assert response.headers["content-type"].startswith("text/html"), response.headers
    page = Page(response.text)
    page.response = response
    return page


async def assert_form_refused(
    services: Services,
    call: Any,
    status: int,
    where: str,
    words: str,
    *,
    kept: dict[str, str] | None = None,
    secrets: tuple[str, ...] = (),
) -> Page:
    """The form comes back with ``status``, one message at ``where``, and nothing was written.

    ``where`` is a field name (the message sits in ``#e-<field>``) or ``"_form"`` for the
    banner with ``role="alert"``. ``kept`` maps field names to what the person typed and must
    see again; ``secrets`` (passwords) must not appear anywhere in the page.
    """
    before = await snapshot(services), await stored_state(services)
    response = await answer_of(call)
    assert response.status_code == status, response.text
    page = page_of(response)
    if where == "_form":
        assert page.field_errors == {}, page.field_errors
        assert len(page.alerts) == 1, page.alerts
        message = page.alerts[0]
    else:
        assert page.alerts == [], page.alerts
        assert list(page.field_errors) == [where], page.field_errors
        message = page.field_errors[where]
        described = page.inputs.get(where, {}).get("aria-describedby", "")
        if where in page.inputs:
            assert f"e-{where}" in described.split(), "the field does not point at its message"
            assert page.inputs[where].get("aria-invalid") == "true"
    assert words.lower() in message.lower(), message
    for name, typed in (kept or {}).items():
        assert page.value(name) == typed, f"{name}: {page.value(name)!r} != {typed!r}"
    for secret in secrets:
        assert secret not in response.text, "a password was echoed back into the page"
    after = await snapshot(services), await stored_state(services)
    assert after == before, "a refused form wrote something"
    return page


async def answer_of(call: Awaitable[httpx.Response]) -> httpx.Response:
    """Await a request; when the app crashes, fail with what it raised.

    A crash in the middle of database work can leave un-awaited driver coroutines behind;
    they are collected here so their warnings cannot fail a later, unrelated test.
    """
    crashed = ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            response = await call
        except Exception as exc:  # the app raised instead of answering
            crashed = f"the app crashed instead of answering: {exc!r}"
        if crashed:
            gc.collect()
    if crashed:
        raise AssertionError(f"{crashed} (and left {len(caught)} warning(s) behind)")
    for warning in caught:  # without a crash, every warning counts as usual (as an error)
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return response


async def stored_state(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row (sessions without their once-a-minute "last seen" stamp), the outbox
    and the media folder: equal before and after means nothing at all was written."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    async with services.db.sessions() as db:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) != VOLATILE]
            rows = (await db.execute(select(*columns).order_by(*table.primary_key))).all()
            state[table.name] = [tuple(row) for row in rows]
    settings = services.settings
    for name, folder in (("outbox", settings.outbox_dir), ("media", settings.media_dir)):
        files = sorted(folder.rglob("*")) if folder.exists() else []
        state[name] = [(str(p.relative_to(folder)),) for p in files]
    return state


@contextlib.contextmanager
def recording_upload_leaks() -> Iterator[list[str]]:
    """The unclosed-file warnings of everything done inside, after a garbage collection."""
    found: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield found
        finally:
            gc.collect()
    for warning in caught:
        if not issubclass(warning.category, ResourceWarning):
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
        found.append(str(warning.message))


@contextlib.contextmanager
def case(label: object) -> Iterator[None]:
    """Name the case of a loop in any assertion that fails inside it."""
    try:
        yield
    except AssertionError as exc:
        raise AssertionError(f"[case {label!r}] {exc}") from exc


async def web_login(client: httpx.AsyncClient, who: str, password: str = PASSWORD) -> None:
    """Sign in through the HTML form; the session cookie stays on the client."""
    client.cookies.clear()
    response = await client.post("/login", data={"login": who, "password": password})
    assert response.status_code == 303, response.text
    assert "socialode_session" in client.cookies
