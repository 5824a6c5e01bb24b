"""A mood check-in: a level from 1 (very low) to 5 (very good) and a few feeling words.

Not a published instrument, so no citation and no threshold: a member's own note of how the
day feels. How many a day is enforced where check-ins are stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from socialode.platform.errors import Invalid
from socialode.platform.i18n import N_, _
from socialode.wellbeing.instruments.base import NOT_A_CHOICE, Option, Result, read_choice

MOOD_LEVELS = (
    Option(1, N_("Very low")),
    Option(2, N_("Low")),
    Option(3, N_("Okay")),
    Option(4, N_("Good")),
    Option(5, N_("Very good")),
)
MAX_FEELINGS = 5

FEELING_LABELS = {
    "calm": N_("Calm"),
    "content": N_("Content"),
    "grateful": N_("Grateful"),
    "hopeful": N_("Hopeful"),
    "joyful": N_("Joyful"),
    "energetic": N_("Energetic"),
    "connected": N_("Close to others"),
    "proud": N_("Proud"),
    "tired": N_("Tired"),
    "stressed": N_("Stressed"),
    "anxious": N_("Anxious"),
    "sad": N_("Sad"),
    "lonely": N_("Lonely"),
    "irritable": N_("Irritable"),
    "overwhelmed": N_("Overwhelmed"),
    "bored": N_("Bored"),
}
FEELINGS = tuple(FEELING_LABELS)

CHOOSE_LEVEL = N_("Choose how you feel, from very low to very good.")
UNKNOWN_FEELING = N_("That feeling is not one of the choices: choose from the list.")

# band key, meaning, by level
_MEANINGS = {
    1: (
        "very_low",
        N_(
            "You noted a very low mood. Be gentle with yourself today; reaching out to "
            "someone you trust can help."
        ),
    ),
    2: ("low", N_("You noted a low mood. Days like this come and go; be kind to yourself.")),
    3: ("okay", N_("You noted an okay mood.")),
    4: ("good", N_("You noted a good mood.")),
    5: ("very_good", N_("You noted a very good mood.")),
}


def check_mood(level: object, feelings: Sequence[object]) -> tuple[int, tuple[str, ...]]:
    """The level as a number and the feeling keys, each once, in the order given; refused
    with Invalid (field "level" or "feelings") for a missing or unknown level, an unknown
    feeling, or more than MAX_FEELINGS of them."""
    chosen = read_choice(level, {o.value for o in MOOD_LEVELS}, "level")
    if chosen is None:
        raise Invalid(CHOOSE_LEVEL, "level")
    if isinstance(feelings, str):
        feelings = [feelings]  # one checkbox sent as a lone value
    keys: list[str] = []
    for feeling in feelings:
        if isinstance(feeling, str) and not feeling.strip():
            continue
        if not isinstance(feeling, str) or feeling.strip() not in FEELING_LABELS:
            raise Invalid(UNKNOWN_FEELING, "feelings")
        if feeling.strip() not in keys:
            keys.append(feeling.strip())
    if len(keys) > MAX_FEELINGS:
        raise Invalid(_("Choose at most %(count)s feelings.") % {"count": MAX_FEELINGS}, "feelings")
    return chosen, tuple(keys)


def mood_result(level: int) -> Result:
    """A mood check-in as a result, so lists and charts show it like the instruments."""
    if isinstance(level, bool) or level not in _MEANINGS:
        raise Invalid(NOT_A_CHOICE, "level")
    band, meaning = _MEANINGS[level]
    label = next(o.label for o in MOOD_LEVELS if o.value == level)
    return Result(
        total=level,
        shown=level,
        scale_max=5,
        band=band,
        band_label=label,
        meaning=meaning,
        next_steps=(),
        crisis=False,
    )
