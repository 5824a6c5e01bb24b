"""Where each feature declares the personal data it keeps, so a member's export holds all of
it and their erasure removes all of it (architecture convention 8).

A feature registers, once, the tables that hold its members' data, how to export one
member's part (plain JSON-ready data, opened if it is sealed) and how to erase it. The
privacy feature (export and erasure) calls every registration; a test fails when a table
holding personal data is in none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from socialode.platform.services import Services

Exporter = Callable[[AsyncSession, "Services", int], Awaitable[dict[str, Any]]]
Eraser = Callable[[AsyncSession, int], Awaitable[None]]  # the caller commits


@dataclass(frozen=True)
class PersonalData:
    feature: str
    tables: tuple[str, ...]
    export: Exporter
    erase: Eraser


_registry: dict[str, PersonalData] = {}


def register_personal_data(entry: PersonalData) -> None:
    """Declare a feature's personal data (registering the same again is harmless)."""
    known = _registry.get(entry.feature)
    if known is not None and known != entry:
        raise ValueError(f"The personal data of {entry.feature!r} is registered already.")
    _registry[entry.feature] = entry


def registered() -> list[PersonalData]:
    return list(_registry.values())


def registered_tables() -> set[str]:
    return {table for entry in _registry.values() for table in entry.tables}
