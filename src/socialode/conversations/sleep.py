"""The sleep line: a gentle word to someone writing to people who are resting ("Tom will see
this in the morning"), so a message sent at night carries no expectation of an answer.

It names only members who chose to share it (on by default) and says only *when*, roughly:
"in the morning" for quiet hours that end in the morning where they live, "later" otherwise
(together mode, unusual hours). Their notifications wait in any case; this is about what the
sender is told.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.models import User
from socialode.boundaries.access import access_resting
from socialode.boundaries.limits import safe_zone
from socialode.platform.clock import utcnow
from socialode.platform.i18n import _, ngettext

NAMED = 2  # people named before "and N others"
MORNING = range(4, 12)  # local hours a wake-up counts as "in the morning"


def _names(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) <= NAMED:
        return _("%(first)s and %(second)s") % {"first": names[0], "second": names[1]}
    others = len(names) - NAMED
    return ngettext(
        "%(first)s, %(second)s and %(num)s other",
        "%(first)s, %(second)s and %(num)s others",
        others,
    ) % {"first": names[0], "second": names[1], "num": others}


async def access_sleep_line(
    db: AsyncSession, people: Sequence[User], now: datetime | None = None
) -> str | None:
    """The line for a message to ``people`` now, or None when everyone can be reached."""
    resting = await access_resting(db, [p.id for p in people], now or utcnow())
    if not resting:
        return None
    morning: list[str] = []
    later: list[str] = []
    for person in sorted(people, key=lambda p: p.display_name.casefold()):
        until = resting.get(person.id)
        if until is None:
            continue
        local = until.astimezone(ZoneInfo(safe_zone(person.timezone)))
        (morning if local.hour in MORNING else later).append(person.display_name)
    parts = []
    if morning:
        parts.append(_("%(names)s will see this in the morning") % {"names": _names(morning)})
    if later:
        parts.append(_("%(names)s will see this later") % {"names": _names(later)})
    return "; ".join(parts) + "."
