"""The PHQ-9 as Kroenke, Spitzer and Williams (2001) score it: nine items 0-3, total 0-27,
severity 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe (the
paper's Table 3 ranges); 10 is its cut point (sensitivity and specificity 88% for major
depression), from which talking to a professional is suggested. Any answer above 0 to item
9 shows crisis resources first, whatever the total."""

from __future__ import annotations

import pytest

from socialode.platform.errors import Invalid
from socialode.wellbeing.instruments import INSTRUMENTS

pytestmark = pytest.mark.once

PHQ9 = INSTRUMENTS["phq9"]


def with_total(total: int, q9: int = 0) -> dict[str, int]:
    """Answers adding up to ``total``, item 9 set to ``q9``, the rest filled from item 1."""
    answers = {f"q{n}": 0 for n in range(1, 10)}
    answers["q9"] = q9
    remaining = total - q9
    for n in range(1, 9):
        answers[f"q{n}"] = min(3, remaining)
        remaining -= answers[f"q{n}"]
    assert remaining == 0 and sum(answers.values()) == total
    return answers


def test_published_wording() -> None:
    texts = [i.text for i in PHQ9.items]
    assert texts[2] == "Trouble falling or staying asleep, or sleeping too much"
    assert texts[5].startswith("Feeling bad about yourself — or that you are a failure")
    assert texts[7].startswith("Moving or speaking so slowly that other people could have noticed?")
    assert texts[8] == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert PHQ9.followup is not None and PHQ9.followup.key == "difficulty"
    assert PHQ9.followup.text.startswith("If you checked off any problems, how difficult")
    assert [o.label for o in PHQ9.followup_options] == [
        "Not difficult at all",
        "Somewhat difficult",
        "Very difficult",
        "Extremely difficult",
    ]


@pytest.mark.parametrize(
    ("total", "band", "label"),
    [
        (0, "minimal", "Minimal"),
        (4, "minimal", "Minimal"),
        (5, "mild", "Mild"),
        (9, "mild", "Mild"),
        (10, "moderate", "Moderate"),
        (14, "moderate", "Moderate"),
        (15, "moderately_severe", "Moderately severe"),
        (19, "moderately_severe", "Moderately severe"),
        (20, "severe", "Severe"),
        (27, "severe", "Severe"),
    ],
)
def test_bands_at_every_boundary(total: int, band: str, label: str) -> None:
    q9 = max(0, total - 24)  # 27 needs item 9 at 3
    result = PHQ9.score(with_total(total, q9=q9))
    assert (result.total, result.shown, result.scale_max) == (total, total, 27)
    assert (result.band, result.band_label) == (band, label)
    assert f"the range the authors call {label.lower()}" in result.meaning
    assert "This is not a diagnosis" in result.meaning
    assert "a professional can help you make sense of it" in result.meaning
    assert result.crisis == (q9 > 0)
    if q9:
        assert result.next_steps == ("crisis", "talk")
    else:
        assert result.next_steps == (("talk",) if total >= 10 else ())


@pytest.mark.parametrize(
    ("q9", "total"),
    [(q9, total) for q9 in (1, 2, 3) for total in (1, 3, 9, 14, 24, 27) if q9 <= total <= 24 + q9],
)
def test_item_9_shows_crisis_resources_first_whatever_the_total(q9: int, total: int) -> None:
    result = PHQ9.score(with_total(total, q9=q9))
    assert result.crisis
    assert result.next_steps[0] == "crisis"
    assert "talk" in result.next_steps


def test_item_9_alone_at_1_is_a_crisis_with_a_minimal_total() -> None:
    result = PHQ9.score(with_total(1, q9=1))
    assert (result.total, result.band, result.crisis) == (1, "minimal", True)
    assert result.next_steps == ("crisis", "talk")


def test_item_9_at_0_is_never_a_crisis() -> None:
    result = PHQ9.score(with_total(24, q9=0))
    assert result.band == "severe"
    assert not result.crisis
    assert result.next_steps == ("talk",)


def test_the_difficulty_question_is_optional_and_never_counted() -> None:
    answers = with_total(6)
    assert "difficulty" not in PHQ9.check(answers)
    assert "difficulty" not in PHQ9.check({**answers, "difficulty": ""})
    checked = PHQ9.check({**answers, "difficulty": "3"})
    assert checked["difficulty"] == 3
    assert PHQ9.score(checked).total == 6
    with pytest.raises(Invalid) as refused:
        PHQ9.check({**answers, "difficulty": 4})
    assert refused.value.field == "difficulty"
