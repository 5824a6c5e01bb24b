"""The PHQ-2 as Kroenke, Spitzer and Williams (2003) score it: two items 0-3, total 0-6; the
paper's cut point is 3 (sensitivity 83%, specificity 92% for major depression), from which
the PHQ-9 is offered."""

from __future__ import annotations

import pytest

from socialode.wellbeing.instruments import INSTRUMENTS

pytestmark = pytest.mark.once

PHQ2 = INSTRUMENTS["phq2"]


def test_published_wording_is_the_phq9s_first_two_items() -> None:
    phq9 = INSTRUMENTS["phq9"]
    assert [i.text for i in PHQ2.items] == [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
    ]
    assert PHQ2.items == phq9.items[:2]
    assert (
        PHQ2.stem
        == phq9.stem
        == (
            "Over the last 2 weeks, how often have you been bothered by any of the following "
            "problems?"
        )
    )
    assert [(o.value, o.label) for o in PHQ2.options] == [
        (0, "Not at all"),
        (1, "Several days"),
        (2, "More than half the days"),
        (3, "Nearly every day"),
    ]


@pytest.mark.parametrize(
    ("q1", "q2", "band"),
    [
        (0, 0, "below"),  # minimum
        (1, 1, "below"),  # threshold - 1
        (2, 0, "below"),
        (0, 3, "offer_phq9"),  # threshold
        (2, 1, "offer_phq9"),
        (2, 2, "offer_phq9"),  # threshold + 1
        (3, 3, "offer_phq9"),  # maximum
    ],
)
def test_boundaries(q1: int, q2: int, band: str) -> None:
    result = PHQ2.score({"q1": q1, "q2": q2})
    assert (result.total, result.shown, result.scale_max, result.band) == (
        q1 + q2,
        q1 + q2,
        6,
        band,
    )
    assert result.next_steps == (("phq9",) if band == "offer_phq9" else ())
    assert not result.crisis


def test_what_the_member_is_told_never_names_a_condition() -> None:
    offer = PHQ2.score({"q1": 2, "q2": 1})
    assert "this is not a diagnosis" in offer.meaning
    assert "depression" not in offer.meaning.lower()
    below = PHQ2.score({"q1": 0, "q2": 1})
    assert below.meaning.startswith("Your answers suggest")
