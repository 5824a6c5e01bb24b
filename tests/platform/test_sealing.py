"""Sealed values: AES-GCM with a key id in each value, bound to member, table and field; keys
outside the database; rotation re-encrypts every registered value so an old key can go.

The rotation tests use a table of their own, made and dropped around each test on the test
database (both backends), so they hold whatever the features that seal data do.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, insert, select, update

from socialode.config import Settings
from socialode.platform import sealing, sealing_jobs
from socialode.platform.sealing import (
    DAMAGED,
    UNKNOWN_KEY,
    BadKeys,
    Keyring,
    Unreadable,
    key_id_of,
    seal,
    unseal,
)
from socialode.platform.services import Services
from tests.helpers import run_jobs

TABLE = "sealing_test_notes"
WHERE = {"member_id": 7, "table": TABLE, "field": "note"}


def key() -> bytes:
    return secrets.token_bytes(32)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.fixture
def ring() -> Keyring:
    return Keyring(current="k2", keys={"k1": key(), "k2": key()})


# --- Sealing and opening ------------------------------------------------------------------


@pytest.mark.once
@pytest.mark.parametrize(
    "text", ["", "plain words", "Olá, coração 💚 — ünïcødé\n\ttabs", "long " * 20_000]
)
def test_a_sealed_value_opens_to_the_same_text(ring: Keyring, text: str) -> None:
    sealed = seal(ring, text, **WHERE)
    assert sealed.isascii() and sealed.startswith("s1.k2.")
    assert key_id_of(sealed) == "k2"
    assert text not in sealed or text == ""
    assert unseal(ring, sealed, **WHERE) == text


@pytest.mark.once
def test_each_value_gets_a_nonce_of_its_own(ring: Keyring) -> None:
    values = [seal(ring, "same words", **WHERE) for _ in range(50)]
    nonces = {base64.urlsafe_b64decode(v.split(".")[2] + "==")[:12] for v in values}
    assert len(set(values)) == 50 and len(nonces) == 50


@pytest.mark.once
def test_an_older_key_of_the_ring_still_opens_what_it_sealed(ring: Keyring) -> None:
    old = Keyring(current="k1", keys={"k1": ring.keys["k1"]})
    sealed = seal(old, "from before", **WHERE)
    assert key_id_of(sealed) == "k1"
    assert unseal(ring, sealed, **WHERE) == "from before"


def flip(sealed: str, index: int) -> str:
    """The value with one byte of its nonce + ciphertext changed (index from the start)."""
    version, key_id, body = sealed.split(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[index] ^= 0x01
    return f"{version}.{key_id}.{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"


@pytest.mark.once
def test_any_change_makes_that_value_unreadable_and_leaves_the_others(ring: Keyring) -> None:
    sealed = seal(ring, "how I felt today", **WHERE)
    others = [seal(ring, f"entry {n}", **WHERE) for n in range(3)]
    changed = {
        "a ciphertext byte": flip(sealed, 12),
        "the last tag byte": flip(sealed, -1),
        "a nonce byte": flip(sealed, 0),
        "the key id (another key of the ring)": sealed.replace("s1.k2.", "s1.k1.", 1),
        "the version": "s2" + sealed[2:],
        "cut short": sealed[:-5],
        "cut to its key id": "s1.k2.",
        "no body": "s1.k2",
        "extra dot": sealed + ".x",
        "empty": "",
        "not base64": sealed[:-1] + "!",
    }
    for what, value in changed.items():
        with pytest.raises(Unreadable) as caught:
            unseal(ring, value, **WHERE)
        assert str(caught.value) == DAMAGED, what
        assert caught.value.reason == "damaged", what
    for elsewhere in (
        {**WHERE, "member_id": 8},
        {**WHERE, "table": "moments"},
        {**WHERE, "field": "mood"},
    ):
        with pytest.raises(Unreadable, match="changed after it was saved"):
            unseal(ring, sealed, **elsewhere)
    assert [unseal(ring, v, **WHERE) for v in others] == ["entry 0", "entry 1", "entry 2"]
    assert unseal(ring, sealed, **WHERE) == "how I felt today"


@pytest.mark.once
def test_every_single_character_changed_is_noticed(ring: Keyring) -> None:
    sealed = seal(ring, "short", **WHERE)
    for index, char in enumerate(sealed):
        for other in {"A", "B", "-", "_", "."} - {char}:
            with pytest.raises(Unreadable):
                unseal(ring, sealed[:index] + other + sealed[index + 1 :], **WHERE)


@pytest.mark.once
def test_a_key_the_instance_no_longer_has_is_named_as_such(ring: Keyring) -> None:
    sealed = seal(ring, "sealed with k2", **WHERE)
    without = Keyring(current="k1", keys={"k1": ring.keys["k1"]})
    with pytest.raises(Unreadable) as caught:
        unseal(without, sealed, **WHERE)
    assert str(caught.value) == UNKNOWN_KEY
    assert (caught.value.reason, caught.value.key_id) == ("unknown_key", "k2")


@pytest.mark.once
def test_keys_never_show_in_the_ring_s_text(ring: Keyring) -> None:
    shown = repr(ring) + str(ring)
    for raw in ring.keys.values():
        assert b64(raw) not in shown and repr(raw) not in shown


# --- Where keys come from -----------------------------------------------------------------


@pytest.mark.once
def test_keys_from_settings_the_newest_last(tmp_path: Path) -> None:
    first, second = key(), key()
    settings = Settings(data_dir=tmp_path, sealing_keys=f"old:{b64(first)}, new:{b64(second)}")
    ring = Keyring.load(settings)
    assert ring.current == "new" and dict(ring.keys) == {"old": first, "new": second}
    assert ring.from_settings
    assert not (tmp_path / "keys").exists(), "no keys file when the settings hold them"
    urlsafe = base64.urlsafe_b64encode(second).decode().rstrip("=")
    assert Keyring.load(Settings(data_dir=tmp_path, sealing_keys=f"x:{urlsafe}")).keys["x"] == (
        second
    )


@pytest.mark.once
def test_the_keys_file_is_made_once_private_and_kept(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    ring = Keyring.load(settings)
    path = tmp_path / "data" / "keys" / "sealing.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not ring.from_settings and len(ring.keys) == 1
    again = Keyring.load(Settings(data_dir=tmp_path / "data"))
    assert again == ring, "the same key on every later start"
    assert [p.name for p in path.parent.iterdir() if not p.name.startswith(".")] == ["sealing.json"]


@pytest.mark.once
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("k1", "Entry 1 of SOCIALODE_SEALING_KEYS is not 'id:base64-key'"),
        (f"k1:{b64(key())},:abc", "Entry 2 of SOCIALODE_SEALING_KEYS is not"),
        ("k1:" + b64(os.urandom(16)), "'k1' in SOCIALODE_SEALING_KEYS is 16 bytes long"),
        ("k1:not*base64*at*all", "'k1' in SOCIALODE_SEALING_KEYS is not valid base64"),
        (f"k.1:{b64(key())}", "The key id 'k.1' in SOCIALODE_SEALING_KEYS may hold only"),
        (f"k1:{b64(key())},k1:{b64(key())}", "'k1' appears twice"),
        (" , ", "SOCIALODE_SEALING_KEYS is set but holds no key"),
    ],
)
def test_malformed_keys_in_settings_are_refused_saying_what_is_wrong(
    tmp_path: Path, value: str, message: str
) -> None:
    with pytest.raises(BadKeys) as caught:
        Keyring.load(Settings(data_dir=tmp_path, sealing_keys=value))
    assert message in str(caught.value)
    for piece in value.split(","):
        secret = piece.partition(":")[2]
        assert len(secret) < 8 or secret not in str(caught.value), "never a key in a message"


@pytest.mark.once
def test_a_damaged_keys_file_is_refused_saying_so(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    path = sealing.keys_path(settings)
    path.parent.mkdir()
    path.write_text("{not json")
    with pytest.raises(BadKeys, match="is not valid JSON"):
        Keyring.load(settings)
    path.write_text('{"keys": [{"id": "a", "key": "c2hvcnQ="}]}')
    with pytest.raises(BadKeys, match=r"The key 'a' in the keys file .* is 5 bytes long"):
        Keyring.load(settings)


@pytest.mark.once
def test_the_app_refuses_to_start_with_malformed_keys(tmp_path: Path) -> None:
    with pytest.raises(BadKeys, match="not valid base64"):
        Services.build(Settings(data_dir=tmp_path, sealing_keys="k1:%%%"))


async def test_a_running_process_picks_up_a_key_added_by_another(services: Services) -> None:
    before = services.keyring
    sealed_before = seal(before, "written before the rotation", **WHERE)
    added = sealing.add_key(services.settings)  # as `socialode keys rotate` would
    assert services.keyring.current == added != before.current
    assert set(services.keyring.keys) == {before.current, added}
    assert unseal(services.keyring, sealed_before, **WHERE) == "written before the rotation"
    elsewhere = Keyring(current="zz", keys={"zz": key()})
    assert services.keyring_for(seal(elsewhere, "x", **WHERE)).current == added


# --- Rotation ------------------------------------------------------------------------------


@asynccontextmanager
async def notes_table(services: Services) -> AsyncIterator[Table]:
    """A table with two sealed columns, registered for rotation, on the test database."""
    metadata = MetaData()
    table = Table(
        TABLE,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("owner_id", Integer, nullable=False),
        Column("note", Text, nullable=False),
        Column("mood", Text, nullable=True),
    )
    async with services.db.engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
    sealing.register_sealed(TABLE, "id", "owner_id", ["note", "mood"])
    try:
        yield table
    finally:
        sealing.unregister_sealed(TABLE)
        async with services.db.engine.begin() as conn:
            await conn.run_sync(metadata.drop_all)


@pytest.fixture
async def notes(services: Services) -> AsyncIterator[Table]:
    async with notes_table(services) as table:
        yield table


async def write_notes(services: Services, table: Table, count: int) -> dict[int, tuple[str, str]]:
    """``count`` rows sealed with the current key, for members 1..3; returns id -> texts."""
    ring = services.keyring
    texts: dict[int, tuple[str, str]] = {}
    async with services.db.sessions() as db:
        for n in range(1, count + 1):
            owner = n % 3 + 1
            note, mood = f"note {n} of member {owner} ✓", f"mood {n}"
            bound = {"member_id": owner, "table": TABLE}
            await db.execute(
                insert(table).values(
                    id=n,
                    owner_id=owner,
                    note=seal(ring, note, **bound, field="note"),
                    mood=seal(ring, mood, **bound, field="mood") if n % 4 else None,
                )
            )
            texts[n] = (note, mood)
        await db.commit()
    return texts


async def read_notes(services: Services, table: Table) -> dict[int, tuple[str, str | None]]:
    async with services.db.sessions() as db:
        return {r.id: (r.note, r.mood) for r in await db.execute(select(table))}


async def tamper(services: Services, table: Table, row_id: int) -> str:
    async with services.db.sessions() as db:
        value = (await db.execute(select(table.c.note).where(table.c.id == row_id))).scalar_one()
        changed = flip(value, 20)
        await db.execute(update(table).where(table.c.id == row_id).values(note=changed))
        await db.commit()
    return changed


async def reencrypt(services: Services) -> int:
    async with services.db.sessions() as db:
        await sealing_jobs.start_reencrypt(db)
        await db.commit()
    return await run_jobs(services)


async def test_rotation_re_encrypts_everything_and_then_the_old_key_can_go(
    services: Services,
    notes: Table,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(sealing_jobs, "BATCH", 3)  # several batches, each its own job
    first = services.keyring.current
    texts = await write_notes(services, notes, 10)
    damaged = await tamper(services, notes, 4)

    second = sealing.add_key(services.settings)
    ring = services.keyring
    async with services.db.sessions() as db:
        before = await sealing_jobs.still_needed(db, ring, first)
        counted = await sealing_jobs.usage(db, ring)
    assert (before.opens, before.unreadable) == (17, 1)
    assert counted.by_key == {first: 18, second: 0} and counted.other == 0

    with caplog.at_level(logging.INFO, logger="socialode.sealing"):
        ran = await reencrypt(services)
    assert ran >= 4, "the pass went on batch by batch"

    rows = await read_notes(services, notes)
    assert rows[4][0] == damaged, "the damaged value is left exactly as it was"
    for row_id, (note, mood) in rows.items():
        owner = row_id % 3 + 1
        bound = {"member_id": owner, "table": TABLE}
        if row_id != 4:
            assert key_id_of(note) == second
            assert unseal(ring, note, **bound, field="note") == texts[row_id][0]
        if mood is not None:
            assert key_id_of(mood) == second
            assert unseal(ring, mood, **bound, field="mood") == texts[row_id][1]
    finished = [r.getMessage() for r in caplog.records if "finished" in r.getMessage()]
    assert finished == [
        f"Re-encryption with key {second} finished: 17 values re-encrypted, 1 could not be "
        "opened and were left as they are."
    ]
    for record in caplog.records:
        assert "note " not in record.getMessage() and "mood " not in record.getMessage()

    async with services.db.sessions() as db:
        after = await sealing_jobs.still_needed(db, ring, first)
    assert (after.opens, after.unreadable) == (0, 1)
    sealing.drop_key(services.settings, first)
    assert set(services.keyring.keys) == {second}
    for row_id, (note, _mood) in (await read_notes(services, notes)).items():
        bound = {"member_id": row_id % 3 + 1, "table": TABLE, "field": "note"}
        if row_id == 4:
            with pytest.raises(Unreadable):
                unseal(services.keyring, note, **bound)
        else:
            assert unseal(services.keyring, note, **bound) == texts[row_id][0]


async def test_a_second_pass_changes_nothing(services: Services, notes: Table) -> None:
    await write_notes(services, notes, 4)
    sealing.add_key(services.settings)
    await reencrypt(services)
    moved = await read_notes(services, notes)
    await reencrypt(services)
    assert await read_notes(services, notes) == moved


async def test_a_value_changed_during_the_pass_is_kept(services: Services, notes: Table) -> None:
    await write_notes(services, notes, 2)
    sealing.add_key(services.settings)
    ring = services.keyring
    (entry,) = [e for e in sealing.registered() if e.table == TABLE]
    async with services.db.sessions() as db:
        stale = await sealing_jobs._stale_rows(db, entry, ring, 0)
    newer = seal(ring, "written meanwhile", member_id=2, table=TABLE, field="note")
    async with services.db.sessions() as db:
        await db.execute(update(notes).where(notes.c.id == 1).values(note=newer))
        step = sealing_jobs.Step()
        for row in stale:
            await sealing_jobs._reseal(db, entry, ring, row, "note", step)
        await db.commit()
    assert step.moved == 1, "only the row nobody changed"
    assert (await read_notes(services, notes))[1][0] == newer


async def test_removing_a_key_still_in_use_is_not_possible(services: Services) -> None:
    first = services.keyring.current
    with pytest.raises(BadKeys, match="is the current one"):
        sealing.drop_key(services.settings, first)
    with pytest.raises(BadKeys, match="There is no key 'nope'"):
        sealing.drop_key(services.settings, "nope")
