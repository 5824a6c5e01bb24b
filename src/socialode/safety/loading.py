"""The detector an instance uses, loaded once per process (``SOCIALODE_ABUSE_DETECTOR``)."""

from __future__ import annotations

from functools import cache

from socialode.config import Settings
from socialode.safety.assessment import Detector
from socialode.safety.detector import load_detector


@cache
def _loaded(name: str) -> Detector:
    return load_detector(name)


def detector_for(settings: Settings) -> Detector:
    """The configured detector; the app loads it when it starts, so a detector whose optional
    package is missing refuses the start with its message instead of failing a send."""
    return _loaded(settings.abuse_detector)
