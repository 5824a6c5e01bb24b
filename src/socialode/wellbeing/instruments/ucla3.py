"""The UCLA 3-item Loneliness Scale (Hughes, Waite, Hawkley and Cacioppo, 2004).

Three questions, each Hardly ever = 1, Some of the time = 2, Often = 3; the total runs from 3
to 9. A total of 6 or more is what many studies call "often lonely": a convention for
describing answers, not a diagnosis. Offered monthly.
"""

from __future__ import annotations

from collections.abc import Mapping

from socialode.platform.i18n import N_
from socialode.wellbeing.instruments.base import Instrument, Item, Option, Result, steps

OFTEN_LONELY_FROM = 6

# untranslated: a citation is the paper's own words
CITATION = (
    "Hughes, M. E., Waite, L. J., Hawkley, L. C., & Cacioppo, J. T. (2004). A short scale "
    "for measuring loneliness in large surveys: results from two population-based studies. "
    "Research on Aging, 26(6), 655-672. https://doi.org/10.1177/0164027504268574"
)


def score(answers: Mapping[str, int]) -> Result:
    total = UCLA3.total(answers)
    if total >= OFTEN_LONELY_FROM:
        return Result(
            total=total,
            shown=total,
            scale_max=9,
            band="often_lonely",
            band_label=N_("Often lonely"),
            meaning=N_(
                "Your answers suggest you have often felt lonely lately. "
                "Many people do; it can change."
            ),
            next_steps=steps(),
            crisis=False,
        )
    return Result(
        total=total,
        shown=total,
        scale_max=9,
        band="not_often_lonely",
        band_label=N_("Not often lonely"),
        meaning=N_("Your answers suggest you have not often felt lonely lately."),
        next_steps=steps(),
        crisis=False,
    )


UCLA3 = Instrument(
    name="ucla3",
    title=N_("UCLA 3-item Loneliness Scale"),
    short=N_("Loneliness"),
    stem=N_(
        "The next questions are about how you feel about different aspects of your life. "
        "For each one, tell me how often you feel that way."
    ),
    items=(
        Item("q1", N_("How often do you feel that you lack companionship?")),
        Item("q2", N_("How often do you feel left out?")),
        Item("q3", N_("How often do you feel isolated from others?")),
    ),
    options=(
        Option(1, N_("Hardly ever")),
        Option(2, N_("Some of the time")),
        Option(3, N_("Often")),
    ),
    citation=CITATION,
    default_every_days=30,
    scorer=score,
)
