"""Wellbeing instruments: the published wording, the checks of answers, and the scoring.

Pure Python, no storage: the pages and the API import ``INSTRUMENTS`` / ``instrument(name)``,
show the wording through ``_()``, pass a member's raw answers to ``check`` and the checked
answers to ``score``. Each instrument's scoring lives in its own module, as its paper gives
it; see docs/subsystems/wellbeing-instruments.md. Socialode supports; it never diagnoses.
"""

from __future__ import annotations

from socialode.platform.errors import NotFound
from socialode.platform.i18n import _
from socialode.wellbeing.instruments import phq9, who5
from socialode.wellbeing.instruments.base import Instrument, Item, Option, Result
from socialode.wellbeing.instruments.phq2 import PHQ2
from socialode.wellbeing.instruments.phq9 import PHQ9
from socialode.wellbeing.instruments.ucla3 import UCLA3
from socialode.wellbeing.instruments.who5 import WHO5

__all__ = [
    "INSTRUMENTS",
    "Instrument",
    "Item",
    "Option",
    "Result",
    "instrument",
    "meaningful_change",
]

# In the order a list offers them: the two regular check-ins, then the follow-ups.
INSTRUMENTS: dict[str, Instrument] = {i.name: i for i in (WHO5, UCLA3, PHQ2, PHQ9)}

# The smallest change of the shown score treated as meaningful, where the literature gives
# one: WHO-5 10 points (Topp et al., 2015), PHQ-9 5 points (Löwe et al., 2004). The UCLA
# 3-item scale, the PHQ-2 and mood have no published threshold: no change is called
# meaningful for them.
_MEANINGFUL = {"who5": who5.MEANINGFUL_CHANGE, "phq9": phq9.MEANINGFUL_CHANGE}
_LONGEST_NAME = 40


def instrument(name: str) -> Instrument:
    """The instrument called ``name``; NotFound (404) when there is none."""
    found = INSTRUMENTS.get(name)
    if found is None:
        raise NotFound(
            _("There is no check-in called “%(name)s”.") % {"name": str(name)[:_LONGEST_NAME]},
            "instrument",
        )
    return found


def meaningful_change(name: str, before: int, after: int) -> bool:
    """Whether two shown scores of the same check-in differ by a change its literature calls
    meaningful (WHO-5: 10 points or more; PHQ-9: 5 or more). False for check-ins without a
    published threshold (UCLA 3-item, PHQ-2, mood); NotFound for an unknown name."""
    if name != "mood":
        instrument(name)
    threshold = _MEANINGFUL.get(name)
    return threshold is not None and abs(after - before) >= threshold
