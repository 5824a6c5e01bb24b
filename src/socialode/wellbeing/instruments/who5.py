"""The WHO-5 Well-Being Index (WHO, 1998, republished 2024; Topp et al., 2015).

Five statements about the last two weeks, each scored 0 (At no time) to 5 (All of the time).
The raw total runs 0-25 and is shown as a percentage, 0-100 (raw x 4). A shown score of 50 or
below, or any single answer of 0 or 1, is where the WHO-5's authors suggest looking further:
the app suggests talking to someone and offers the PHQ-2. A change of 10 points (on 0-100) is
the change the literature treats as meaningful.
"""

from __future__ import annotations

from collections.abc import Mapping

from socialode.platform.i18n import N_
from socialode.wellbeing.instruments.base import Instrument, Item, Option, Result, steps

PERCENT = 4
LOW_AT_MOST = 50  # a shown score this low or lower
LOW_ITEM_AT_MOST = 1  # or any single answer this low
MEANINGFUL_CHANGE = 10  # points of the shown score

# untranslated: a citation is the paper's own words
CITATION = (
    "World Health Organization (2024). The World Health Organization-Five Well-Being Index "
    "(WHO-5). Geneva: World Health Organization (WHO/UCN/MSD/MHE/2024.1; first published by "
    "the WHO Regional Office for Europe, 1998). Licence: CC BY-NC-SA 3.0 IGO. Scoring and "
    "thresholds: Topp, C. W., Østergaard, S. D., Søndergaard, S., & Bech, P. (2015). The "
    "WHO-5 Well-Being Index: a systematic review of the literature. Psychotherapy and "
    "Psychosomatics, 84(3), 167-176. https://doi.org/10.1159/000376585"
)


def score(answers: Mapping[str, int]) -> Result:
    total = WHO5.total(answers)
    shown = total * PERCENT
    if shown <= LOW_AT_MOST:
        band_label = N_("Lower well-being")
        meaning = N_(
            "Your answers suggest your well-being has been low over the last two weeks. "
            "Talking with someone you trust, or with a professional, can help."
        )
    elif any(answers[item.key] <= LOW_ITEM_AT_MOST for item in WHO5.items):
        band_label = N_("Lower well-being")
        meaning = N_(
            "Your answers suggest one part of your well-being has been low over the last two "
            "weeks. Talking with someone you trust, or with a professional, can help."
        )
    else:
        return Result(
            total=total,
            shown=shown,
            scale_max=25 * PERCENT,
            band="ok",
            band_label=N_("Good well-being"),
            meaning=N_(
                "Your answers suggest your well-being has been good over the last two weeks."
            ),
            next_steps=steps(),
            crisis=False,
        )
    return Result(
        total=total,
        shown=shown,
        scale_max=25 * PERCENT,
        band="low",
        band_label=band_label,
        meaning=meaning,
        next_steps=steps("talk", "phq2"),
        crisis=False,
    )


WHO5 = Instrument(
    name="who5",
    title=N_("WHO-5 Well-Being Index"),
    short=N_("Well-being"),
    stem=N_(
        "Please indicate for each of the five statements which is closest to how you have "
        "been feeling over the last two weeks. Notice that higher numbers mean better "
        "well-being."
    ),
    items=(
        Item("q1", N_("I have felt cheerful and in good spirits")),
        Item("q2", N_("I have felt calm and relaxed")),
        Item("q3", N_("I have felt active and vigorous")),
        Item("q4", N_("I woke up feeling fresh and rested")),
        Item("q5", N_("My daily life has been filled with things that interest me")),
    ),
    options=(
        Option(5, N_("All of the time")),
        Option(4, N_("Most of the time")),
        Option(3, N_("More than half of the time")),
        Option(2, N_("Less than half of the time")),
        Option(1, N_("Some of the time")),
        Option(0, N_("At no time")),
    ),
    citation=CITATION,
    default_every_days=14,
    scorer=score,
)
