"""How hard the property tests try.

The normal run draws a few fixed examples (derandomized, so a failure repeats); with
``SOCIALODE_DEEP=1`` each property test draws many more, randomly, for a thorough search:

    SOCIALODE_DEEP=1 .venv/bin/pytest tests/moments/test_property.py tests/conversations/...
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from collections.abc import Coroutine
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

DEEP = os.environ.get("SOCIALODE_DEEP") == "1"
# A deep run takes as long as it needs; the normal one keeps the suite's time limit.
# Property tests take 10-45 s here; a busy machine may take several times that, and only a
# hang should fail them.
no_time_limit_when_deep = pytest.mark.timeout(0) if DEEP else pytest.mark.timeout(600)


def property_settings(normal: int, deep: int = 500) -> settings:
    """Hypothesis settings for a property test: ``normal`` examples, or ``deep`` ones."""
    return settings(
        max_examples=deep if DEEP else normal,
        deadline=None,
        derandomize=not DEEP,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def run_example(example: Coroutine[Any, Any, None]) -> None:
    """Run one example of a property test: Hypothesis drives a sync test, and each example
    runs in an event loop of its own, on a worker thread (the suite's loop is busy)."""
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        worker.submit(asyncio.run, example).result()
