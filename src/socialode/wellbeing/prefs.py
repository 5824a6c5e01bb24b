"""What a member chose about their check-ins, with the defaults for those who chose nothing.

Everything is optional. By default the wellbeing page offers the UCLA-3 once a month and the
WHO-5 every two weeks; mood can be noted any time; the PHQ-2 and PHQ-9 are offered when an
answer suggests them, or on a schedule the member picks. Reminders are off until the member
turns them on; a pause stops offers and reminders until it ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from socialode.platform.i18n import N_

NAMES = ("mood", "who5", "ucla3", "phq2", "phq9")  # everything a member can check in with
DEFAULT_SCHEDULE = {"ucla3": 30, "who5": 14}
EVERY = {  # how often a check-in can be offered, in days, and how the settings name it
    1: N_("Every day"),
    7: N_("Every week"),
    14: N_("Every two weeks"),
    30: N_("Every month"),
}
PAUSES = {7: N_("For a week"), 30: N_("For a month"), 90: N_("For three months")}


@dataclass(frozen=True)
class Prefs:
    schedule: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_SCHEDULE))
    reminders: bool = False
    paused_until: datetime | None = None
    line_up: bool = False

    def paused(self, now: datetime) -> bool:
        return self.paused_until is not None and self.paused_until > now
