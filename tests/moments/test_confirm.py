"""Deleting a moment asks first: until agreed, everyone it was shared with still sees it."""

from __future__ import annotations

import httpx

from socialode.platform.services import Services
from tests.confirming import asks_then_acts, notice_after, notice_of
from tests.conversations.people import connect, members
from tests.moments.people import make_circle, shared


async def test_deleting_a_moment_asks_first(client: httpx.AsyncClient, services: Services) -> None:
    ada, bob = await members(client, services, "ada", "bob")
    await connect(client, ada, bob)
    family = await make_circle(client, ada, "Family", bob)
    mid = await shared(client, ada, "Baked bread today", circles=[family])

    page = await client.get(f"/moments/{mid}", headers=ada.headers)
    assert 'data-confirm="Delete this moment for everyone?"' in page.text
    taken = await client.post(f"/moments/{mid}/delete", headers=bob.headers)
    assert taken.status_code == 404  # not Bob's to delete, and nothing asked

    done = await asks_then_acts(
        client, services, ada, f"/moments/{mid}/delete", "Delete this moment for everyone?"
    )
    shown = await notice_after(client, ada, done)
    assert notice_of(shown) == "Your moment is deleted for everyone."
    assert (await client.get(f"/api/v1/moments/{mid}", headers=bob.headers)).status_code == 404
