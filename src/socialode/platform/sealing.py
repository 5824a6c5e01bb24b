"""Encryption at rest for private data: sealed values.

A sealed value is short ASCII text, ``s1.<key id>.<urlsafe base64 of nonce + ciphertext>``:
AES-256-GCM with a random 96-bit nonce per value. The associated data binds the value to
its member, table and column, so a value copied into another member's row or another column
does not open. The keys live outside the database: in ``SOCIALODE_SEALING_KEYS`` when set,
else in ``data_dir/keys/sealing.json`` (made with one key on first use, mode 0600). The newest
key seals; every key the ring holds opens. A value that cannot be opened (changed, cut, or
sealed with a key this instance no longer has) raises :class:`Unreadable` for that value
only.

Features register their sealed columns (:func:`register_sealed`) so that rotation can
re-encrypt them (``platform.sealing_jobs``) and ``socialode keys`` can count them.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import json
import os
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import TableClause, column, table

from socialode.platform.clock import utcnow
from socialode.platform.i18n import N_

if TYPE_CHECKING:
    from socialode.config import Settings

VERSION = "s1"
KEY_BYTES = 32
NONCE_BYTES = 12
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
KEYS_FILE = "sealing.json"
SETTING = "SOCIALODE_SEALING_KEYS"

DAMAGED = N_(
    "This entry can't be shown: it was changed after it was saved, so it can no longer be "
    "trusted. Your other entries are not affected."
)
UNKNOWN_KEY = N_(
    "This entry can't be shown: the key it was encrypted with is no longer on this server. "
    "Your other entries are not affected."
)


class Unreadable(Exception):
    """A sealed value that cannot be opened: tampered, cut, or sealed with a key this
    instance no longer has. ``str(exc)`` is a sentence for the member (an ``N_`` constant:
    translate it with ``_`` where it is shown); ``reason`` is "damaged" or "unknown_key"."""

    def __init__(self, message: str, reason: str, key_id: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.key_id = key_id


class BadKeys(ValueError):
    """The configured keys cannot be used; the message says what is wrong (never a key)."""


@dataclass(frozen=True)
class Keyring:
    """The keys this instance opens values with; ``current`` seals."""

    current: str
    keys: Mapping[str, bytes] = field(repr=False)
    from_settings: bool = False  # keys come from SOCIALODE_SEALING_KEYS, not the keys file
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for key_id, key in self.keys.items():
            if not KEY_ID.fullmatch(key_id):
                raise BadKeys(f"The key id {key_id!r} may hold only letters, digits, - and _.")
            if len(key) != KEY_BYTES:
                raise BadKeys(f"The key {key_id!r} is {len(key)} bytes long: it must be 32.")
        if self.current not in self.keys:
            raise BadKeys(f"The current key {self.current!r} is not among the keys.")

    @classmethod
    def load(cls, settings: Settings) -> Keyring:
        """The keys of ``SOCIALODE_SEALING_KEYS`` when set, else of the keys file (made with
        one new key on first use)."""
        if settings.sealing_keys:
            return parse_setting(settings.sealing_keys)
        path = keys_path(settings)
        if not path.exists():
            _create_keys_file(path)
        return read_keys_file(path)

    def cipher(self, key_id: str) -> AESGCM:
        found = self._ciphers.get(key_id)
        if found is None:
            found = self._ciphers[key_id] = AESGCM(bytes(self.keys[key_id]))
        return found


@lru_cache(maxsize=4096)  # a member's list opens many values with the same binding
def _associated(key_id: str, member_id: int, table_name: str, field_name: str) -> bytes:
    return json.dumps([VERSION, key_id, table_name, field_name, int(member_id)]).encode()


def seal(ring: Keyring, text: str, *, member_id: int, table: str, field: str) -> str:
    """``text`` encrypted with the current key, bound to its member, table and field."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    data = ring.cipher(ring.current).encrypt(
        nonce, text.encode(), _associated(ring.current, member_id, table, field)
    )
    body = base64.urlsafe_b64encode(nonce + data).decode("ascii").rstrip("=")
    return f"{VERSION}.{ring.current}.{body}"


def _parts(sealed: str) -> tuple[str, bytes]:
    pieces = sealed.split(".")
    if len(pieces) != 3 or pieces[0] != VERSION or not KEY_ID.fullmatch(pieces[1]):
        raise Unreadable(DAMAGED, "damaged")
    key_id, body = pieces[1], pieces[2]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise Unreadable(DAMAGED, "damaged", key_id) from None
    # Only the one canonical spelling opens: a changed character always counts as a change.
    if base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != body:
        raise Unreadable(DAMAGED, "damaged", key_id)
    if len(raw) < NONCE_BYTES + 16:  # a nonce and the tag at least
        raise Unreadable(DAMAGED, "damaged", key_id)
    return key_id, raw


def unseal(ring: Keyring, sealed: str, *, member_id: int, table: str, field: str) -> str:
    """The text of a sealed value; :class:`Unreadable` if it cannot be opened here."""
    key_id, raw = _parts(sealed)
    if key_id not in ring.keys:
        raise Unreadable(UNKNOWN_KEY, "unknown_key", key_id)
    try:
        data = ring.cipher(key_id).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated(key_id, member_id, table, field)
        )
        return data.decode()
    except (InvalidTag, UnicodeDecodeError):
        raise Unreadable(DAMAGED, "damaged", key_id) from None


def key_id_of(sealed: str) -> str:
    """The id of the key a value names (:class:`Unreadable` when it is no sealed value)."""
    return _parts(sealed)[0]


def prefix_of(key_id: str) -> str:
    """How every value sealed with ``key_id`` begins."""
    return f"{VERSION}.{key_id}."


# --- Keys from settings ------------------------------------------------------------------


def _decode_key(text: str, key_id: str, where: str) -> bytes:
    body = text.strip().replace("-", "+").replace("_", "/").rstrip("=")
    try:
        key = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise BadKeys(f"The key {key_id!r} in {where} is not valid base64.") from None
    if len(key) != KEY_BYTES:
        raise BadKeys(
            f"The key {key_id!r} in {where} is {len(key)} bytes long: it must be 32 "
            "(44 characters of base64)."
        )
    return key


def parse_setting(value: str) -> Keyring:
    """``id:base64,id:base64``, the newest (the one that seals) last."""
    keys: dict[str, bytes] = {}
    for number, entry in enumerate(value.split(","), start=1):
        entry = entry.strip()
        if not entry:
            continue
        key_id, colon, text = entry.partition(":")
        key_id = key_id.strip()
        if not colon or not key_id or not text.strip():
            raise BadKeys(
                f"Entry {number} of {SETTING} is not 'id:base64-key' "
                "(pairs are separated by commas, the newest last)."
            )
        if not KEY_ID.fullmatch(key_id):
            raise BadKeys(
                f"The key id {key_id!r} in {SETTING} may hold only letters, digits, - and _ "
                "(at most 40)."
            )
        if key_id in keys:
            raise BadKeys(f"The key id {key_id!r} appears twice in {SETTING}.")
        keys[key_id] = _decode_key(text, key_id, SETTING)
    if not keys:
        raise BadKeys(f"{SETTING} is set but holds no key.")
    return Keyring(current=list(keys)[-1], keys=keys, from_settings=True)


# --- The keys file -----------------------------------------------------------------------


def keys_path(settings: Settings) -> Path:
    return settings.data_dir / "keys" / KEYS_FILE


def new_key() -> tuple[str, str]:
    """A fresh key id and its key as base64 (the form both the file and the setting use)."""
    return secrets.token_hex(4), base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _entries(path: Path) -> list[dict[str, Any]]:
    where = f"the keys file {path}"
    try:
        document = json.loads(path.read_text())
    except OSError as exc:
        raise BadKeys(f"Could not read {where}: {exc.strerror}.") from None
    except ValueError:
        raise BadKeys(f"{where[0].upper()}{where[1:]} is not valid JSON.") from None
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise BadKeys(f"{where[0].upper()}{where[1:]} has no list of keys under 'keys'.")
    for number, entry in enumerate(entries, start=1):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("id"), str)
            and isinstance(entry.get("key"), str)
        ):
            raise BadKeys(f"Key {number} in {where} needs an 'id' and a 'key', both text.")
    return entries


def read_keys_file(path: Path) -> Keyring:
    where = f"the keys file {path}"
    keys: dict[str, bytes] = {}
    for entry in _entries(path):
        key_id = entry["id"]
        if not KEY_ID.fullmatch(key_id):
            raise BadKeys(f"The key id {key_id!r} in {where} is not letters, digits, - and _.")
        if key_id in keys:
            raise BadKeys(f"The key id {key_id!r} appears twice in {where}.")
        keys[key_id] = _decode_key(entry["key"], key_id, where)
    return Keyring(current=list(keys)[-1], keys=keys)


def _entry(key_id: str, key: str) -> dict[str, Any]:
    return {"id": key_id, "key": key, "added_at": utcnow().isoformat(timespec="seconds")}


def _document(entries: list[dict[str, Any]]) -> bytes:
    return (json.dumps({"version": 1, "keys": entries}, indent=2) + "\n").encode()


def _write_private(path: Path, data: bytes) -> Path:
    """``data`` in a new 0600 file beside ``path``, flushed to disk; returns its path."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)
    return temporary


def _make_folder(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)


def _create_keys_file(path: Path) -> None:
    """The keys file with one new key, unless another process made it first."""
    _make_folder(path.parent)
    temporary = _write_private(path, _document([_entry(*new_key())]))
    try:
        os.link(temporary, path)  # fails if it exists: two processes never make two keys
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One changer of the keys file at a time (rotations run from the command line)."""
    _make_folder(path.parent)
    handle = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _replace(path: Path, entries: list[dict[str, Any]]) -> None:
    os.replace(_write_private(path, _document(entries)), path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def add_key(settings: Settings) -> str:
    """Add a new key to the keys file; it seals from now on. Returns its id."""
    path = keys_path(settings)
    with _locked(path):
        if not path.exists():
            _create_keys_file(path)
        entries = _entries(path)
        read_keys_file(path)  # a damaged file is reported, not extended
        key_id, key = new_key()
        while key_id in {e["id"] for e in entries}:
            key_id, key = new_key()
        _replace(path, [*entries, _entry(key_id, key)])
    return key_id


def drop_key(settings: Settings, key_id: str) -> None:
    """Take a key that is not the current one out of the keys file (the caller has made sure
    no value still needs it)."""
    path = keys_path(settings)
    with _locked(path):
        ring = read_keys_file(path)
        if key_id not in ring.keys:
            raise BadKeys(f"There is no key {key_id!r} in {path}.")
        if key_id == ring.current:
            raise BadKeys(f"The key {key_id!r} is the current one: it seals new values.")
        _replace(path, [e for e in _entries(path) if e["id"] != key_id])


class KeyringSource:
    """The keyring of one process, read once and read again when the keys file changes
    (``socialode keys rotate`` runs in another process while servers keep running)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._ring: Keyring | None = None
        self._stamp: tuple[int, int, int] | None = None

    def _file_stamp(self) -> tuple[int, int, int] | None:
        if self.settings.sealing_keys:
            return None
        try:
            found = keys_path(self.settings).stat()
        except OSError:
            return None
        return (found.st_ino, found.st_mtime_ns, found.st_size)

    def get(self) -> Keyring:
        stamp = self._file_stamp()
        if self._ring is None or stamp != self._stamp:
            return self.reload()
        return self._ring

    def reload(self) -> Keyring:
        self._ring = Keyring.load(self.settings)
        self._stamp = self._file_stamp()
        return self._ring

    def knowing(self, sealed: str) -> Keyring:
        """The keyring, read again first when ``sealed`` names a key it does not hold."""
        ring = self.get()
        try:
            key_id = key_id_of(sealed)
        except Unreadable:
            return ring
        return ring if key_id in ring.keys else self.reload()


# --- Sealed columns ----------------------------------------------------------------------


@dataclass(frozen=True)
class SealedColumns:
    """A table's sealed columns, with the row id and the member each value is bound to."""

    table: str
    id_column: str
    member_column: str
    fields: tuple[str, ...]

    @cached_property
    def clause(self) -> TableClause:
        """The table as SQLAlchemy Core sees it (one object, so statements join nothing)."""
        names = (self.id_column, self.member_column, *self.fields)
        return table(self.table, *(column(name) for name in names))


_registry: dict[str, SealedColumns] = {}


def register_sealed(table: str, id_column: str, member_column: str, fields: Sequence[str]) -> None:
    """Declare sealed columns, so rotation re-encrypts them (at import or registration time
    of the feature; registering the same thing again is harmless)."""
    entry = SealedColumns(table, id_column, member_column, tuple(fields))
    known = _registry.get(table)
    if known is not None and known != entry:
        raise ValueError(f"The sealed columns of {table!r} are registered already as {known}.")
    if not entry.fields:
        raise ValueError(f"Register at least one sealed column of {table!r}.")
    _registry[table] = entry


def unregister_sealed(table: str) -> None:
    """Forget a table's sealed columns (a table that was dropped)."""
    _registry.pop(table, None)


def registered() -> list[SealedColumns]:
    return [_registry[name] for name in sorted(_registry)]
