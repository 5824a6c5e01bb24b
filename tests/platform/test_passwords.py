"""Argon2id at OWASP's parameters, rehash on login when they rise, same work for unknown names."""

from __future__ import annotations

import httpx
import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from socialode.accounts.models import User
from socialode.config import Settings
from socialode.platform.security import Passwords, is_common_password
from socialode.platform.services import Services
from tests.helpers import PASSWORD, login, sign_up

pytestmark = pytest.mark.once  # the same on every database backend


async def test_default_parameters_are_owasp_argon2id() -> None:
    # Other tests hash with cheaper parameters; an operator gets these.
    defaults = Settings()
    assert (defaults.argon2_memory_kib, defaults.argon2_time_cost) == (19 * 1024, 2)
    assert defaults.argon2_parallelism == 1
    stored = await Passwords(19 * 1024, 2, 1).hash("correct horse battery")
    params = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19456, 2, 1)


async def test_login_rehashes_when_parameters_rise(
    client: httpx.AsyncClient, services: Services
) -> None:
    await sign_up(client, services, "ada_l")
    services.passwords = Passwords(24 * 1024, 3, 1)
    await login(client, "ada_l")
    async with services.db.sessions() as db:
        stored = (await db.execute(select(User.password_hash))).scalar_one()
    params = extract_parameters(stored)
    assert (params.memory_cost, params.time_cost) == (24 * 1024, 3)
    assert await login(client, "ada_l", PASSWORD)


async def test_unknown_names_still_verify_a_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """A login for nobody runs one full Argon2 verification, like a login for someone."""
    passwords = Passwords(19 * 1024, 2, 1)
    calls: list[str] = []
    real = PasswordHasher.verify

    def spy(self: PasswordHasher, hash: str, password: str) -> bool:
        calls.append(hash)
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    assert not await passwords.verify(None, "whatever-password")
    stored = await passwords.hash("the real password")
    assert not await passwords.verify(stored, "whatever-password")
    assert await passwords.verify(stored, "the real password")
    assert len(calls) == 3 and all(c.startswith("$argon2id$") for c in calls)


@pytest.mark.parametrize("word", ["password", "1234567890", "Qwertyuiop", "iloveyou"])
def test_common_passwords_are_known(word: str) -> None:
    assert is_common_password(word)


def test_uncommon_password_passes() -> None:
    assert not is_common_password("quiet-harbour-lantern-42")
