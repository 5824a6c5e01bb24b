"""The UCLA 3-item Loneliness Scale, scored as Hughes et al. (2004) give it: three items of
1 (Hardly ever) to 3 (Often), total 3-9; 6 or more is described as "often lonely" (the
convention used with this scale, not a cut point for a diagnosis)."""

from __future__ import annotations

import pytest

from socialode.wellbeing.instruments import INSTRUMENTS

pytestmark = pytest.mark.once

UCLA3 = INSTRUMENTS["ucla3"]


def answers(q1: int, q2: int, q3: int) -> dict[str, int]:
    return {"q1": q1, "q2": q2, "q3": q3}


def test_published_wording() -> None:
    assert [i.text for i in UCLA3.items] == [
        "How often do you feel that you lack companionship?",
        "How often do you feel left out?",
        "How often do you feel isolated from others?",
    ]
    assert [(o.value, o.label) for o in UCLA3.options] == [
        (1, "Hardly ever"),
        (2, "Some of the time"),
        (3, "Often"),
    ]
    assert UCLA3.title == "UCLA 3-item Loneliness Scale"


@pytest.mark.parametrize(
    ("given", "total", "band"),
    [
        (answers(1, 1, 1), 3, "not_often_lonely"),  # minimum
        (answers(2, 2, 1), 5, "not_often_lonely"),  # threshold - 1
        (answers(2, 2, 2), 6, "often_lonely"),  # threshold
        (answers(3, 1, 2), 6, "often_lonely"),  # threshold, another way
        (answers(3, 3, 1), 7, "often_lonely"),  # threshold + 1
        (answers(3, 3, 3), 9, "often_lonely"),  # maximum
    ],
)
def test_boundaries(given: dict[str, int], total: int, band: str) -> None:
    result = UCLA3.score(given)
    assert (result.total, result.shown, result.scale_max, result.band) == (total, total, 9, band)
    assert result.next_steps == ()
    assert not result.crisis


def test_what_the_member_is_told_is_about_the_answers() -> None:
    often = UCLA3.score(answers(2, 2, 2))
    assert often.band_label == "Often lonely"
    assert often.meaning == (
        "Your answers suggest you have often felt lonely lately. Many people do; it can change."
    )
    rarely = UCLA3.score(answers(1, 2, 2))
    assert rarely.band_label == "Not often lonely"
    assert rarely.meaning.startswith("Your answers suggest")
