"""`socialode keys`: rotate, list, re-encrypt and remove the keys of data encrypted at rest, run
as an operator would (the command runs in a thread of its own, with its own event loop and
database connections, against the test database and data directory)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator

import anyio
import pytest
from click.testing import Result
from sqlalchemy import Table, select
from typer.testing import CliRunner

from socialode.cli import cli
from socialode.platform import sealing
from socialode.platform.sealing import Keyring, key_id_of, unseal
from socialode.platform.services import Services
from tests.helpers import run_jobs
from tests.platform.test_sealing import TABLE, notes_table, tamper, write_notes


@pytest.fixture
async def notes(services: Services) -> AsyncIterator[Table]:
    async with notes_table(services) as table:
        yield table


async def keys(services: Services, *args: str, **env: str | None) -> Result:
    settings = services.settings
    environ: dict[str, str | None] = {
        "SOCIALODE_DATA_DIR": str(settings.data_dir),
        "SOCIALODE_DATABASE_URL": settings.resolved_database_url,
        "SOCIALODE_REDIS_URL": settings.redis_url,
        "SOCIALODE_SECRET_KEY": settings.resolved_secret_key,
        "SOCIALODE_SEALING_KEYS": None,
        **env,
    }
    result = await anyio.to_thread.run_sync(
        lambda: CliRunner().invoke(cli, ["keys", *args], env=environ)
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def file_keys(services: Services) -> list[str]:
    """Every key in the keys file, as base64 (to make sure none is ever printed)."""
    document = json.loads(sealing.keys_path(services.settings).read_text())
    return [entry["key"] for entry in document["keys"]]


async def test_rotate_then_remove_the_old_key_only_once_nothing_needs_it(
    services: Services, notes: Table
) -> None:
    first = services.keyring.current
    texts = await write_notes(services, notes, 5)

    rotated = await keys(services, "rotate")
    assert rotated.exit_code == 0, rotated.output
    second = services.keyring.current
    assert second != first and f"Added key {second}: it seals from now on." in rotated.output
    assert "Re-encryption is queued" in rotated.output

    listed = await keys(services, "list")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert any(line.split() == [first, "9", "value(s)"] for line in lines), listed.output
    assert any(line.split() == [second, "current", "0", "value(s)"] for line in lines)

    refused = await keys(services, "remove", first)
    assert refused.exit_code == 1
    assert f"9 value(s) still use key {first}" in refused.output
    assert first in Keyring.load(services.settings).keys

    await run_jobs(services)  # the server's worker would do this
    removed = await keys(services, "remove", first)
    assert removed.exit_code == 0, removed.output
    assert f"Removed key {first}." in removed.output
    assert set(Keyring.load(services.settings).keys) == {second}

    async with services.db.sessions() as db:
        rows = list(await db.execute(select(notes)))
    for row in rows:
        assert key_id_of(row.note) == second
        opened = unseal(
            services.keyring, row.note, member_id=row.owner_id, table=TABLE, field="note"
        )
        assert opened == texts[row.id][0]
    for output in (rotated.output, listed.output, refused.output, removed.output):
        assert not any(key in output for key in file_keys(services))


async def test_rotate_now_re_encrypts_here_and_reports_what_could_not_be_opened(
    services: Services, notes: Table
) -> None:
    first = services.keyring.current
    await write_notes(services, notes, 4)
    await tamper(services, notes, 2)
    result = await keys(services, "rotate", "--now")
    assert result.exit_code == 0, result.output
    second = services.keyring.current
    assert (
        f"Re-encryption done: 6 value(s) use key {second}; 1 could not be opened and stay as "
        "they are." in result.output
    )
    removed = await keys(services, "remove", first)
    assert removed.exit_code == 0, removed.output
    assert f"1 value(s) name key {first} but could not be opened with it anyway" in (removed.output)
    listed = await keys(services, "list")
    assert "1 value(s) name no key listed here: they cannot be opened." in listed.output


async def test_the_current_key_and_unknown_keys_are_not_removed(services: Services) -> None:
    current = services.keyring.current
    refused = await keys(services, "remove", current)
    assert refused.exit_code == 1
    assert f"Key {current} is the current one" in refused.output
    unknown = await keys(services, "remove", "nope")
    assert unknown.exit_code == 1
    assert "There is no key 'nope'" in unknown.output
    assert Keyring.load(services.settings).current == current


async def test_keys_from_settings_are_rotated_by_the_operator(
    services: Services, notes: Table
) -> None:
    old = base64.b64encode(bytes(range(32))).decode()
    rotated = await keys(services, "rotate", SOCIALODE_SEALING_KEYS=f"old:{old}")
    assert rotated.exit_code == 0, rotated.output
    assert "Keys come from SOCIALODE_SEALING_KEYS. Add this pair at its end" in rotated.output
    pair = next(line.strip() for line in rotated.output.splitlines() if line.startswith("    "))
    ring = sealing.parse_setting(f"old:{old},{pair}")
    assert ring.current == pair.partition(":")[0] and len(ring.keys) == 2
    assert old not in rotated.output, "only the new key is shown"
    assert not sealing.keys_path(services.settings).exists()

    both = f"old:{old},{pair}"
    listed = await keys(services, "list", SOCIALODE_SEALING_KEYS=both)
    assert "Keys (from SOCIALODE_SEALING_KEYS)" in listed.output
    removed = await keys(services, "remove", "old", SOCIALODE_SEALING_KEYS=both)
    assert removed.exit_code == 0, removed.output
    assert "take it out of SOCIALODE_SEALING_KEYS" in removed.output
    assert old not in listed.output + removed.output


@pytest.mark.parametrize("command", ["list", "rotate", "reencrypt"])
async def test_malformed_keys_stop_the_command_with_a_sentence(
    services: Services, command: str
) -> None:
    result = await keys(services, command, SOCIALODE_SEALING_KEYS="k1:abc")
    assert result.exit_code == 2
    assert "The key 'k1' in SOCIALODE_SEALING_KEYS is 2 bytes long: it must be 32" in (
        result.output
    )


async def test_a_damaged_keys_file_is_not_extended(services: Services) -> None:
    path = sealing.keys_path(services.settings)
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    result = await keys(services, "rotate")
    assert result.exit_code == 2
    assert f"The keys file {path} is not valid JSON." in result.output
    assert path.read_text() == "{not json"
