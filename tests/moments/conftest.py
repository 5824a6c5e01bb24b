"""Moments tests sign many people up: the cheapest Argon2 the settings allow keeps them quick."""

from __future__ import annotations

import pytest

from tests.circles.conftest import QUICK


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return dict(QUICK)
