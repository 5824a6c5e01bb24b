"""Gatherings' notification kinds, job handlers and privacy registration for every test here."""

from __future__ import annotations

import pytest

from socialode.gatherings.notices import register_notices


@pytest.fixture(autouse=True)
def _gathering_kinds() -> None:
    register_notices()  # idempotent: the same kinds, handlers and registration each time
