"""The PHQ-2 (Kroenke, Spitzer and Williams, 2003).

The first two questions of the PHQ-9, each 0 (Not at all) to 3 (Nearly every day); the total
runs 0-6. The paper's cut point is 3: from there the app offers the full PHQ-9, which gives a
fuller picture. It never names a condition.
"""

from __future__ import annotations

from collections.abc import Mapping

from socialode.platform.i18n import N_
from socialode.wellbeing.instruments.base import Instrument, Item, Option, Result, steps

OFFER_PHQ9_FROM = 3

# untranslated: a citation is the paper's own words
CITATION = (
    "Kroenke, K., Spitzer, R. L., & Williams, J. B. W. (2003). The Patient Health "
    "Questionnaire-2: validity of a two-item depression screener. Medical Care, 41(11), "
    "1284-1292. https://doi.org/10.1097/01.MLR.0000093487.78664.3C. Developed by Drs. "
    "Robert L. Spitzer, Janet B. W. Williams, Kurt Kroenke and colleagues, with an "
    "educational grant from Pfizer Inc.; no permission required to reproduce, translate, "
    "display or distribute."
)

# The PHQ's own stem, answers and first two items, shared with the PHQ-9.
STEM = N_(
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)
OPTIONS = (
    Option(0, N_("Not at all")),
    Option(1, N_("Several days")),
    Option(2, N_("More than half the days")),
    Option(3, N_("Nearly every day")),
)
INTEREST = N_("Little interest or pleasure in doing things")
DOWN = N_("Feeling down, depressed, or hopeless")


def score(answers: Mapping[str, int]) -> Result:
    total = PHQ2.total(answers)
    if total >= OFFER_PHQ9_FROM:
        return Result(
            total=total,
            shown=total,
            scale_max=6,
            band="offer_phq9",
            band_label=N_("A few more questions may help"),
            meaning=N_(
                "Your answers suggest you have often felt down or had little interest in "
                "things over the last two weeks. A few more questions can give a fuller "
                "picture; this is not a diagnosis."
            ),
            next_steps=steps("phq9"),
            crisis=False,
        )
    return Result(
        total=total,
        shown=total,
        scale_max=6,
        band="below",
        band_label=N_("Not often bothered"),
        meaning=N_(
            "Your answers suggest you have not often felt down or had little interest in "
            "things over the last two weeks."
        ),
        next_steps=steps(),
        crisis=False,
    )


PHQ2 = Instrument(
    name="phq2",
    title=N_("Patient Health Questionnaire-2 (PHQ-2)"),
    short=N_("Mood, 2 questions"),
    stem=STEM,
    items=(Item("q1", INTEREST), Item("q2", DOWN)),
    options=OPTIONS,
    citation=CITATION,
    default_every_days=None,
    scorer=score,
)
