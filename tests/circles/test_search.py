"""Finding your own people and circles by name or handle: the API, the page, the fragment.

Only the searcher's own connections and circles are ever found (never a stranger, never
anyone across a block either way, never another member's circle), by part of a name or
handle regardless of case and accents, in name order, in a list that ends and says so; bad
input is a 422 with a sentence and nothing written.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from socialode.circles import access_search
from socialode.platform import folding
from socialode.platform.services import Services
from tests.circles.test_bad_input_api import assert_refused
from tests.form_helpers import assert_form_refused, page_of
from tests.helpers import Member, connect, members

API = "/api/v1/search"


async def rename(client: httpx.AsyncClient, who: Member, name: str) -> None:
    response = await client.patch("/api/v1/me", json={"display_name": name}, headers=who.headers)
    assert response.status_code == 200, response.text


async def circle(client: httpx.AsyncClient, owner: Member, name: str) -> int:
    response = await client.post("/api/v1/circles", json={"name": name}, headers=owner.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def found(client: httpx.AsyncClient, who: Member, q: str) -> dict[str, Any]:
    response = await client.get(API, params={"q": q}, headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def handles(body: dict[str, Any]) -> list[str]:
    return [p["handle"] for p in body["people"]]


def circle_names(body: dict[str, Any]) -> list[str]:
    return [c["name"] for c in body["circles"]]


@dataclass(frozen=True)
class World:
    maya: Member
    ines: Member  # Inês Duarte, Maya's connection
    tom: Member  # Tom Okafor, Maya's connection
    zoe: Member  # Zoë Okonkwo, Maya's connection
    cy: Member  # a member Maya is not connected with
    family: int  # Maya's circle "Família"


async def build_world(client: httpx.AsyncClient, services: Services) -> World:
    maya, ines, tom, zoe, cy = await members(
        client, services, "maya_s", "ines_d", "tom_oka", "zoe_k", "cy_stranger"
    )
    for who, name in (
        (maya, "Maya Lind"),
        (ines, "Inês Duarte"),
        (tom, "Tom Okafor"),
        (zoe, "Zoë Okonkwo"),
        (cy, "Cy Okoro"),
    ):
        await rename(client, who, name)
    for other in (ines, tom, zoe):
        await connect(client, maya, other)
    await connect(client, cy, tom)  # Cy is Tom's connection, not Maya's
    family = await circle(client, maya, "Família")
    await circle(client, maya, "Old flatmates")
    await circle(client, cy, "Family of Cy")  # someone else's circle
    return World(maya, ines, tom, zoe, cy, family)


@pytest.fixture
async def world(
    client: httpx.AsyncClient, services: Services, reuse: Callable[..., Awaitable[World]]
) -> World:
    return await reuse(lambda: build_world(client, services))


# -- what is found -------------------------------------------------------------------------


@pytest.mark.reuses_setup
@pytest.mark.parametrize(
    ("q", "people", "circles"),
    [
        ("ines", ["ines_d"], []),  # accents do not matter
        ("INÊS", ["ines_d"], []),  # nor case
        ("duart", ["ines_d"], []),  # part of a name
        ("oka", ["tom_oka"], []),  # part of a handle ("tom_oka"; Okafor too)
        ("@tom_o", ["tom_oka"], []),  # a handle as written
        ("ok", ["tom_oka", "zoe_k"], []),  # several, by name: Tom Okafor, Zoë Okonkwo
        ("zoe", ["zoe_k"], []),
        ("okonkwo zoe", ["zoe_k"], []),  # every word must match, in any order
        ("  zoë   okonkwo  ", ["zoe_k"], []),  # spaces trimmed and collapsed
        ("fam", [], ["Família"]),  # own circles only: not Cy's "Family of Cy"
        ("FAMILIA", [], ["Família"]),
        ("old flat", [], ["Old flatmates"]),
        ("cy", [], []),  # a stranger, even by handle or name: never
        ("cy_stranger", [], []),
        ("okoro", [], []),
        ("maya", [], []),  # not yourself
        ("nobody at all", [], []),
    ],
)
async def test_finds_own_connections_and_circles_by_part_of_a_name(
    client: httpx.AsyncClient, world: World, q: str, people: list[str], circles: list[str]
) -> None:
    body = await found(client, world.maya, q)
    assert handles(body) == people
    assert circle_names(body) == circles
    assert body["more"] is False
    assert body["query"] == " ".join(q.split())


@pytest.mark.reuses_setup
async def test_an_empty_search_finds_nothing_and_says_how_to_search(
    client: httpx.AsyncClient, world: World
) -> None:
    for q in ("", "   ", "@"):
        body = await found(client, world.maya, q)
        assert body["people"] == [] and body["circles"] == [] and body["more"] is False
    page = page_of(await client.get("/search?q=", headers=world.maya.headers))
    assert "Type part of a name or handle." in page.text()


@pytest.mark.reuses_setup
async def test_what_a_result_carries_and_no_count_of_anything(
    client: httpx.AsyncClient, world: World
) -> None:
    body = await found(client, world.maya, "o")
    assert set(body) == {"query", "people", "circles", "more"}
    for person in body["people"]:
        assert set(person) == {"handle", "display_name", "avatar_url"}
    for one in body["circles"]:
        assert set(one) == {"id", "name"}
    # Nothing in the answer is a number but a circle's own id.
    assert [v for p in body["people"] for v in p.values() if not isinstance(v, str | None)] == []
    assert body["more"] is False  # a yes or no, never a number
    page = page_of(await client.get("/search?q=o", headers=world.maya.headers))
    words = page.text()
    assert "That's everything of yours that matches." in words
    assert not re.search(r"\d", words.split("Find your people", 1)[1]), words


async def test_a_photo_shows_as_the_profile_rule_allows(
    client: httpx.AsyncClient, services: Services
) -> None:
    from tests.test_block_routes import _png

    ada, bob = await members(client, services, "ada_photo", "bob_photo")
    upload = await client.put(
        "/api/v1/me/avatar", files={"avatar": ("a.png", _png(), "image/png")}, headers=bob.headers
    )
    assert upload.status_code == 200, upload.text
    await connect(client, ada, bob)
    (person,) = (await found(client, ada, "bob"))["people"]
    assert person["avatar_url"] == "/api/v1/people/bob_photo/avatar/256"
    image = await client.get(person["avatar_url"], headers=ada.headers)
    assert image.status_code == 200
    page = await client.get("/search?q=bob", headers=ada.headers)
    assert 'src="/api/v1/people/bob_photo/avatar/64"' in page.text


async def test_nobody_across_a_block_is_found_either_way(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob, cy = await members(client, services, "ada_blk_s", "bob_blk_s", "cy_blk_s")
    await connect(client, ada, bob)
    await connect(client, ada, cy)
    assert handles(await found(client, ada, "blk")) == ["bob_blk_s", "cy_blk_s"]
    assert handles(await found(client, bob, "ada")) == ["ada_blk_s"]
    blocked = await client.put(f"/api/v1/blocks/{bob.handle}", headers=ada.headers)
    assert blocked.status_code == 204
    assert handles(await found(client, ada, "blk")) == ["cy_blk_s"]  # the blocker
    assert handles(await found(client, bob, "ada")) == []  # and the blocked
    for who, q, hidden in ((ada, "bob", "bob_blk_s"), (bob, "ada", "ada_blk_s")):
        for path in (f"/search?q={q}", f"/search?q={q}&part=results", f"/search?q={q}&for=talk"):
            page = await client.get(path, headers=who.headers)
            assert page.status_code == 200
            assert hidden not in page.text and hidden.title() not in page.text
    # Unblocking brings nothing back: the connection the block ended stays ended.
    lifted = await client.delete(f"/api/v1/blocks/{bob.handle}", headers=ada.headers)
    assert lifted.status_code == 204
    assert handles(await found(client, ada, "bob")) == []


async def test_a_removed_connection_is_no_longer_found(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_rm", "bob_rm")
    await connect(client, ada, bob)
    assert handles(await found(client, ada, "bob")) == ["bob_rm"]
    removed = await client.delete(f"/api/v1/connections/{bob.handle}", headers=ada.headers)
    assert removed.status_code == 204
    assert handles(await found(client, ada, "bob")) == []
    assert handles(await found(client, bob, "ada")) == []


async def test_a_new_name_is_found_and_the_old_one_no_longer(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_nm", "bob_nm")
    await connect(client, ada, bob)
    await rename(client, bob, "Bartholomew Quist")
    made = await circle(client, ada, "Walking group")
    assert handles(await found(client, ada, "quist")) == ["bob_nm"]
    await rename(client, bob, "Łukasz Søndergaard")  # stored folded: found without accents
    assert handles(await found(client, ada, "quist")) == []
    assert handles(await found(client, ada, "lukasz sonder")) == ["bob_nm"]
    renamed = await client.patch(
        f"/api/v1/circles/{made}", json={"name": "Sunday hikes"}, headers=ada.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert circle_names(await found(client, ada, "walking")) == []
    assert circle_names(await found(client, ada, "sunday")) == ["Sunday hikes"]


async def test_percent_and_underscore_typed_match_only_themselves(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, *others = await members(client, services, "ada_lk", "w_x1_lk", "wax1_lk")
    for other in others:
        await connect(client, ada, other)
    assert handles(await found(client, ada, "w_x")) == ["w_x1_lk"]  # not "wax1" too
    assert handles(await found(client, ada, "w%1")) == []  # not a wildcard
    assert handles(await found(client, ada, "1_lk")) == ["w_x1_lk", "wax1_lk"]


async def test_a_long_list_is_cut_short_by_name_and_says_so_without_a_number(
    client: httpx.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access_search, "SHOWN", 2)
    ada, *others = await members(client, services, "ada_many", "cc_pal", "aa_pal", "bb_pal")
    for other in others:
        await connect(client, ada, other)
    body = await found(client, ada, "pal")
    assert handles(body) == ["aa_pal", "bb_pal"] and body["more"] is True
    assert handles(await found(client, ada, "cc_p")) == ["cc_pal"]
    for circle_name in ("Pals C", "Pals A", "Pals B"):
        await circle(client, ada, circle_name)
    body = await found(client, ada, "pals")
    assert circle_names(body) == ["Pals A", "Pals B"] and body["more"] is True
    page = page_of(await client.get("/search?q=pal", headers=ada.headers))
    assert "Showing the first 2 of each, by name; type more to narrow it." in page.text()
    assert "That's everything" not in page.text()


# -- the page and its fragment, for each picker ------------------------------------------------


@pytest.mark.reuses_setup
async def test_each_picker_gets_its_next_step(client: httpx.AsyncClient, world: World) -> None:
    me = world.maya.headers
    plain = (await client.get("/search?q=ines", headers=me)).text
    assert 'href="/people/ines_d"' in plain and "/conversations/direct" not in plain
    share = (await client.get("/search?q=fam&for=share", headers=me)).text
    assert f'href="/moments/new?circle={world.family}"' in share
    share = (await client.get("/search?q=ines&for=share", headers=me)).text
    assert 'href="/moments/new?people=ines_d"' in share
    talk = page_of(await client.get("/search?q=ines&for=talk", headers=me))
    assert 'action="/conversations/direct"' in talk.html and talk.value("handle") == "ines_d"
    talk_circles = (await client.get("/search?q=fam&for=talk", headers=me)).text
    assert "Família" not in talk_circles and "None of your connections matches" in talk_circles
    group = (await client.get("/search?q=ines&for=group", headers=me)).text
    assert 'href="/conversations?members=ines_d#start-group"' in group
    odd = await client.get("/search?q=ines&for=%3Cscript%3E", headers=me)
    assert odd.status_code == 200 and "<script>" not in odd.text.split("</head>", 1)[1]
    # The fragment is the same results alone, for the box that asked.
    part = await client.get("/search?q=ines&part=results&for=talk", headers=me)
    assert part.status_code == 200 and "<html" not in part.text
    assert 'action="/conversations/direct"' in part.text and "Inês Duarte" in part.text
    assert "data-said" in part.text


@pytest.mark.reuses_setup
async def test_the_pickers_take_what_a_search_page_chose(
    client: httpx.AsyncClient, world: World
) -> None:
    me = world.maya.headers
    compose = page_of(await client.get("/moments/new?people=ines_d", headers=me))
    checked = re.findall(
        r'<input type="checkbox" name="people" value="(\w+)" checked>', compose.html
    )
    assert checked == ["ines_d"]
    listing = (await client.get("/conversations?members=tom_oka", headers=me)).text
    assert re.findall(r'name="members" value="(\w+)" checked', listing) == ["tom_oka"]
    # A handle that is not one of yours is simply not there to be chosen.
    stranger = (await client.get("/moments/new?people=cy_stranger", headers=me)).text
    assert "cy_stranger" not in stranger


@pytest.mark.reuses_setup
async def test_the_search_boxes_are_on_every_picker(
    client: httpx.AsyncClient, world: World
) -> None:
    me = world.maya.headers
    connections = page_of(await client.get("/connections", headers=me))
    assert connections.inputs["q"]["data-search"] == "results"
    compose = page_of(await client.get("/moments/new", headers=me))
    assert 'id="find-audience-form" method="get" action="/search"' in compose.html
    assert compose.inputs["q"]["form"] == "find-audience-form"
    assert (
        'data-person="ines_d"' in compose.html and f'data-circle="{world.family}"' in compose.html
    )
    listing = await client.get("/conversations", headers=me)
    assert 'id="find-talk"' in listing.text and 'id="find-members"' in listing.text
    assert 'form="find-members-form"' in listing.text


# -- bad input -----------------------------------------------------------------------------


BAD = [
    pytest.param("ines\x00", "control characters", id="nul"),
    pytest.param("a\tb", "control characters", id="tab"),
    pytest.param("ines\nduarte", "control characters", id="newline"),
    pytest.param("\x1b[31mred", "control characters", id="escape"),
    pytest.param("a\x7f", "control characters", id="delete"),
    pytest.param("ines\x85", "control characters", id="c1 next line"),
    pytest.param("x" * 101, "100 characters", id="101 characters"),
    pytest.param("ines " * 2000, "100 characters", id="10,000 characters"),
]


@pytest.mark.reuses_setup
@pytest.mark.parametrize(("q", "words"), BAD)
async def test_bad_searches_are_refused_with_a_sentence_by_the_api(
    client: httpx.AsyncClient, services: Services, world: World, q: str, words: str
) -> None:
    call = client.get(API, params={"q": q}, headers=world.maya.headers)
    await assert_refused(services, call, 422, words, "q")


@pytest.mark.reuses_setup
@pytest.mark.parametrize(("q", "words"), BAD)
async def test_bad_searches_are_refused_beside_the_box_on_the_page(
    client: httpx.AsyncClient, services: Services, world: World, q: str, words: str
) -> None:
    call = client.get("/search", params={"q": q}, headers=world.maya.headers)
    page = await assert_form_refused(services, call, 422, "q", words)
    assert len(page.value("q") or "") <= 2 * access_search.MAX_QUERY  # never echoed whole
    part = await client.get(
        "/search", params={"q": q, "part": "results"}, headers=world.maya.headers
    )
    assert part.status_code == 422 and words in part.text and 'class="error"' in part.text


@pytest.mark.reuses_setup
async def test_at_most_a_hundred_characters_is_fine(
    client: httpx.AsyncClient, world: World
) -> None:
    body = await found(client, world.maya, "o" * 100)
    assert body["people"] == [] and body["query"] == "o" * 100


async def test_searching_needs_a_sign_in(client: httpx.AsyncClient) -> None:
    assert (await client.get(API, params={"q": "a"})).status_code == 401
    page = await client.get("/search", params={"q": "a"})
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_the_key_drops_case_accents_and_look_alike_forms() -> None:
    key = folding.search_key
    assert key("Inês DUARTE") == "ines duarte"
    assert key("Zoë") == key("ZOE") == "zoe"
    assert key("Søren Łukasz") == "soren lukasz"
    assert key("Straße") == "strasse"
    assert key("\uff34\uff4f\uff4d") == "tom"  # full-width letters
    assert key("Jo\u200bsé") == "jose"  # a zero-width space inside
    assert key("  a \n b ") == "a b"
