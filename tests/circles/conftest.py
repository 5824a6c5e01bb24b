"""Circles tests sign many people up: the cheapest Argon2 the settings allow keeps them quick."""

from __future__ import annotations

import pytest

QUICK: dict[str, object] = {"argon2_memory_kib": 8 * 1024, "argon2_time_cost": 1}


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return dict(QUICK)
