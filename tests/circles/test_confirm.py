"""Removing a connection, removing someone from a circle and deleting a circle ask first,
change nothing until agreed, and then say what happened, by name."""

from __future__ import annotations

import httpx

from socialode.platform.services import Services
from tests.confirming import asks_then_acts, notice_after, notice_of
from tests.form_helpers import page_of
from tests.helpers import Member, connect, members


async def circle_of_two(
    client: httpx.AsyncClient, services: Services, name: str
) -> tuple[Member, Member, str]:
    """Ada and Bob, connected, and Ada's circle ``name`` with Bob in it (its page's path)."""
    ada, bob = await members(client, services, "ada_l", "bob_k")
    await connect(client, ada, bob)
    made = await client.post("/circles", data={"name": name}, headers=ada.headers)
    circle = made.headers["location"].split("?")[0]
    await client.post(f"{circle}/members", data={"handle": "bob_k"}, headers=ada.headers)
    return ada, bob, circle


async def test_removing_a_connection_asks_first_and_names_them_after(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    await connect(client, ada, bob)
    asked = await client.post("/connections/bob_k/remove", headers=ada.headers)
    assert "They won't be told." in page_of(asked).text()
    assert 'href="/connections"' in asked.text  # Keep goes back

    done = await asks_then_acts(
        client, services, ada, "/connections/bob_k/remove", "Remove Bob_K from your connections?"
    )
    page = await notice_after(client, ada, done)
    assert notice_of(page) == "Bob_K is no longer in your connections. They are not told."
    assert "No connections yet." in page.text()
    listed = await client.get("/api/v1/connections", headers=bob.headers)
    assert listed.json()["connections"] == []


async def test_asking_about_someone_who_is_not_a_connection_is_refused(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, _bob = await members(client, services, "ada_l", "bob_k")
    refused = await client.post("/connections/bob_k/remove", headers=ada.headers)
    assert refused.status_code == 404
    assert "not one of your connections" in page_of(refused).alerts[0]


async def test_circle_member_removal_and_circle_deletion_ask_first(
    client: httpx.AsyncClient, services: Services
) -> None:
    ada, _bob, circle = await circle_of_two(client, services, "Old flatmates")

    done = await asks_then_acts(
        client,
        services,
        ada,
        f"{circle}/members/bob_k/remove",
        "Remove Bob_K from Old flatmates?",
    )
    page = await notice_after(client, ada, done)
    assert notice_of(page) == "Bob_K is no longer in Old flatmates. They are not told."
    assert "Nobody is in this circle yet." in page.text()

    done = await asks_then_acts(client, services, ada, f"{circle}/delete", "Delete Old flatmates?")
    page = await notice_after(client, ada, done)
    assert notice_of(page).startswith("Old flatmates is deleted.")
    assert (await client.get(circle, headers=ada.headers)).status_code == 404
    # Bob is still a connection.
    listed = await client.get("/api/v1/connections", headers=ada.headers)
    assert [c["handle"] for c in listed.json()["connections"]] == ["bob_k"]


async def test_someone_elses_circle_is_missing_before_any_question(
    client: httpx.AsyncClient, services: Services
) -> None:
    _ada, bob, circle = await circle_of_two(client, services, "Family")
    for path in (f"{circle}/delete", f"{circle}/members/bob_k/remove"):
        answer = await client.post(path, headers=bob.headers)
        assert answer.status_code == 404, path
        assert "Family" not in answer.text


async def test_a_notice_nobody_signed_is_not_shown(
    client: httpx.AsyncClient, services: Services
) -> None:
    (ada,) = await members(client, services, "ada_l")
    client.cookies.set("socialode_said", "Your account is closed")
    forged = await client.get("/connections?said=Your+account+is+closed", headers=ada.headers)
    assert "Your account is closed" not in forged.text
    assert 'class="notice" role="status"' not in forged.text


async def test_a_named_notice_is_shown_once(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada_l", "bob_k")
    await connect(client, ada, bob)
    done = await client.post(
        "/connections/bob_k/remove", data={"confirm": "yes"}, headers=ada.headers
    )
    assert done.headers["location"] == "/connections"  # the address stays clean
    page = await notice_after(client, ada, done)
    assert "Bob_K is no longer in your connections" in notice_of(page)
    again = await client.get("/connections", headers=ada.headers)
    assert "no longer in your connections" not in again.text


async def test_unblocking_asks_first(client: httpx.AsyncClient, services: Services) -> None:
    ada, _bob = await members(client, services, "ada_l", "bob_k")
    blocked = await client.post("/blocked", data={"handle": "bob_k"}, headers=ada.headers)
    assert blocked.status_code == 303, blocked.text
    done = await asks_then_acts(client, services, ada, "/blocked/bob_k/unblock", "Unblock Bob_K?")
    page = await notice_after(client, ada, done)
    assert notice_of(page).startswith("Unblocked.")
    listed = await client.get("/api/v1/blocks", headers=ada.headers)
    assert listed.status_code == 200 and "bob_k" not in listed.text
