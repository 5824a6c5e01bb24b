"""The PHQ-9 (Kroenke, Spitzer and Williams, 2001).

Nine questions, each 0 (Not at all) to 3 (Nearly every day); the total runs 0-27. The paper
names the severity of symptoms in five ranges: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19
moderately severe, 20-27 severe. The member is told which range the answers fall in, in the
paper's words and about the answers, with a line that this is not a diagnosis.

Any answer above 0 to question 9 means crisis resources are shown at once, before any score,
whatever the total. From a total of 10 (the paper's cut point) the app suggests talking to a
professional. A change of 5 points is what Löwe et al. (2004) found meaningful.

The published form ends with an unscored question on how difficult the problems have made
daily life; it is offered as optional (key "difficulty") and never counted.
"""

from __future__ import annotations

from collections.abc import Mapping

from socialode.platform.i18n import N_
from socialode.wellbeing.instruments.base import Instrument, Item, Option, Result, steps
from socialode.wellbeing.instruments.phq2 import DOWN, INTEREST, OPTIONS, STEM

TALK_FROM = 10
MEANINGFUL_CHANGE = 5
CRISIS_ITEM = "q9"

# untranslated: a citation is the paper's own words
CITATION = (
    "Kroenke, K., Spitzer, R. L., & Williams, J. B. W. (2001). The PHQ-9: validity of a brief "
    "depression severity measure. Journal of General Internal Medicine, 16(9), 606-613. "
    "https://doi.org/10.1046/j.1525-1497.2001.016009606.x. Developed by Drs. Robert L. "
    "Spitzer, Janet B. W. Williams, Kurt Kroenke and colleagues, with an educational grant "
    "from Pfizer Inc.; no permission required to reproduce, translate, display or distribute."
)

# (lowest total, band, label, meaning), from the highest range down.
BANDS = (
    (
        20,
        "severe",
        N_("Severe"),
        N_(
            "Your answers are in the range the authors call severe. This is not a diagnosis, "
            "and you do not have to go through this alone: a professional can help you make "
            "sense of it."
        ),
    ),
    (
        15,
        "moderately_severe",
        N_("Moderately severe"),
        N_(
            "Your answers are in the range the authors call moderately severe. This is not a "
            "diagnosis; a professional can help you make sense of it."
        ),
    ),
    (
        10,
        "moderate",
        N_("Moderate"),
        N_(
            "Your answers are in the range the authors call moderate. This is not a "
            "diagnosis; a professional can help you make sense of it."
        ),
    ),
    (
        5,
        "mild",
        N_("Mild"),
        N_(
            "Your answers are in the range the authors call mild. This is not a diagnosis; "
            "a professional can help you make sense of it."
        ),
    ),
    (
        0,
        "minimal",
        N_("Minimal"),
        N_(
            "Your answers are in the range the authors call minimal. This is not a "
            "diagnosis; a professional can help you make sense of it."
        ),
    ),
)


def score(answers: Mapping[str, int]) -> Result:
    total = PHQ9.total(answers)
    _lowest, band, label, meaning = next(b for b in BANDS if total >= b[0])
    crisis = answers[CRISIS_ITEM] > 0
    wanted = []
    if crisis:
        wanted += ["crisis", "talk"]
    if total >= TALK_FROM:
        wanted.append("talk")
    return Result(
        total=total,
        shown=total,
        scale_max=27,
        band=band,
        band_label=label,
        meaning=meaning,
        next_steps=steps(*wanted),
        crisis=crisis,
    )


PHQ9 = Instrument(
    name="phq9",
    title=N_("Patient Health Questionnaire-9 (PHQ-9)"),
    short=N_("Mood, 9 questions"),
    stem=STEM,
    items=(
        Item("q1", INTEREST),
        Item("q2", DOWN),
        Item("q3", N_("Trouble falling or staying asleep, or sleeping too much")),
        Item("q4", N_("Feeling tired or having little energy")),
        Item("q5", N_("Poor appetite or overeating")),
        Item(
            "q6",
            N_(
                "Feeling bad about yourself — or that you are a failure or have let yourself "
                "or your family down"
            ),
        ),
        Item(
            "q7",
            N_(
                "Trouble concentrating on things, such as reading the newspaper or watching "
                "television"
            ),
        ),
        Item(
            "q8",
            N_(
                "Moving or speaking so slowly that other people could have noticed? Or the "
                "opposite — being so fidgety or restless that you have been moving around a "
                "lot more than usual"
            ),
        ),
        Item(
            CRISIS_ITEM,
            N_("Thoughts that you would be better off dead or of hurting yourself in some way"),
        ),
    ),
    options=OPTIONS,
    citation=CITATION,
    default_every_days=None,
    scorer=score,
    followup=Item(
        "difficulty",
        N_(
            "If you checked off any problems, how difficult have these problems made it for "
            "you to do your work, take care of things at home, or get along with other people?"
        ),
    ),
    followup_options=(
        Option(0, N_("Not difficult at all")),
        Option(1, N_("Somewhat difficult")),
        Option(2, N_("Very difficult")),
        Option(3, N_("Extremely difficult")),
    ),
)
