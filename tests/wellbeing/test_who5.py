"""The WHO-5 Well-Being Index as Topp et al. (2015) describe its scoring: five items 0-5, raw
0-25, shown as 0-100 (raw x 4). A shown score of 50 or below, or any item at 0 or 1, is where
further assessment is suggested (here: talk to someone, and the PHQ-2 is offered). Shown
scores are multiples of 4, so the threshold of 50 falls between raw 12 (48) and raw 13 (52):
those are its -1/+1 cases; 50 itself cannot be reached."""

from __future__ import annotations

import pytest

from socialode.wellbeing.instruments import INSTRUMENTS

pytestmark = pytest.mark.once

WHO5 = INSTRUMENTS["who5"]


def answers(*values: int) -> dict[str, int]:
    return {f"q{n}": v for n, v in enumerate(values, start=1)}


def test_published_wording() -> None:
    assert [i.text for i in WHO5.items] == [
        "I have felt cheerful and in good spirits",
        "I have felt calm and relaxed",
        "I have felt active and vigorous",
        "I woke up feeling fresh and rested",
        "My daily life has been filled with things that interest me",
    ]
    assert [(o.value, o.label) for o in WHO5.options] == [
        (5, "All of the time"),
        (4, "Most of the time"),
        (3, "More than half of the time"),
        (2, "Less than half of the time"),
        (1, "Some of the time"),
        (0, "At no time"),
    ]
    assert "over the last two weeks" in WHO5.stem


@pytest.mark.parametrize(
    ("given", "total", "shown", "band"),
    [
        (answers(0, 0, 0, 0, 0), 0, 0, "low"),  # minimum
        (answers(2, 2, 2, 3, 3), 12, 48, "low"),  # the highest shown score at or under 50
        (answers(2, 2, 3, 3, 3), 13, 52, "ok"),  # the lowest over 50, no item under 2
        (answers(3, 3, 3, 3, 2), 14, 56, "ok"),
        (answers(5, 5, 5, 5, 5), 25, 100, "ok"),  # maximum
    ],
)
def test_boundaries_and_times_four(
    given: dict[str, int], total: int, shown: int, band: str
) -> None:
    result = WHO5.score(given)
    assert (result.total, result.shown, result.scale_max, result.band) == (
        total,
        shown,
        100,
        band,
    )
    assert result.next_steps == (("talk", "phq2") if band == "low" else ())
    assert not result.crisis


@pytest.mark.parametrize("item", ["q1", "q2", "q3", "q4", "q5"])
@pytest.mark.parametrize(("value", "low"), [(0, True), (1, True), (2, False)])
def test_any_item_at_0_or_1_suggests_talking_whatever_the_total(
    item: str, value: int, low: bool
) -> None:
    given = {**answers(5, 5, 5, 5, 5), item: value}
    result = WHO5.score(given)
    assert result.shown == (20 + value) * 4  # 80-88: well over 50
    assert result.band == ("low" if low else "ok")
    assert result.next_steps == (("talk", "phq2") if low else ())


def test_what_the_member_is_told() -> None:
    low = WHO5.score(answers(1, 1, 1, 1, 1))
    assert low.band_label == "Lower well-being"
    assert "Talking with someone you trust" in low.meaning
    one_item = WHO5.score(answers(5, 5, 5, 5, 0))
    assert "one part of your well-being" in one_item.meaning
    good = WHO5.score(answers(4, 4, 4, 4, 4))
    assert good.band_label == "Good well-being"
    assert good.meaning.startswith("Your answers suggest")
