"""The instruments as a whole: the registry, the checks of answers, and their wording.

Scoring boundaries are in one file per instrument (test_ucla3.py, test_who5.py, test_phq2.py,
test_phq9.py, test_mood.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialode.platform.errors import Invalid, NotFound
from socialode.wellbeing.instruments import (
    INSTRUMENTS,
    Instrument,
    instrument,
    meaningful_change,
    mood,
)
from socialode.wellbeing.instruments.base import STEPS
from tests.deep import property_settings
from tests.untranslated import extracted_msgids

pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "socialode" / "wellbeing" / "instruments"


def lowest(inst: Instrument) -> dict[str, object]:
    return {item.key: min(o.value for o in inst.options) for item in inst.items}


def test_the_four_instruments_in_order() -> None:
    assert list(INSTRUMENTS) == ["who5", "ucla3", "phq2", "phq9"]
    for name, inst in INSTRUMENTS.items():
        assert inst.name == name
        assert instrument(name) is inst
        assert [item.key for item in inst.items] == [f"q{n}" for n in range(1, len(inst.items) + 1)]
        assert inst.citation and inst.title and inst.short and inst.stem
    assert {n: len(i.items) for n, i in INSTRUMENTS.items()} == {
        "who5": 5,
        "ucla3": 3,
        "phq2": 2,
        "phq9": 9,
    }
    assert {n: i.default_every_days for n, i in INSTRUMENTS.items()} == {
        "who5": 14,
        "ucla3": 30,
        "phq2": None,
        "phq9": None,
    }


def test_each_citation_names_authors_year_title_journal_volume_and_pages() -> None:
    expected = {
        "ucla3": ["Hughes", "(2004)", "Research on Aging, 26(6), 655-672"],
        "who5": ["Topp", "(2015)", "Psychotherapy and Psychosomatics, 84(3), 167-176"],
        "phq2": ["Kroenke", "(2003)", "Medical Care, 41(11), 1284-1292"],
        "phq9": ["Kroenke", "(2001)", "Journal of General Internal Medicine, 16(9), 606-613"],
    }
    for name, parts in expected.items():
        for part in parts:
            assert part in INSTRUMENTS[name].citation, (name, part)


def test_an_unknown_instrument_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        instrument("gad7")
    assert refused.value.status_code == 404
    assert refused.value.message == "There is no check-in called “gad7”."
    with pytest.raises(NotFound):
        instrument("mood")  # a mood check-in is not an instrument with items
    with pytest.raises(NotFound) as long:
        instrument("x" * 500)
    assert len(long.value.message) < 100


def test_answers_from_a_form_arrive_as_digits() -> None:
    who5 = INSTRUMENTS["who5"]
    raw = {"q1": "5", "q2": " 4 ", "q3": "3", "q4": 2, "q5": "0"}
    assert who5.check(raw) == {"q1": 5, "q2": 4, "q3": 3, "q4": 2, "q5": 0}


def test_a_missing_answer_names_the_item_in_its_words() -> None:
    who5 = INSTRUMENTS["who5"]
    for blank in (None, "", "  "):
        raw = {**lowest(who5), "q2": blank}
        with pytest.raises(Invalid) as refused:
            who5.check(raw)
        assert refused.value.message == "Choose an answer for “I have felt calm and relaxed”."
        assert refused.value.field == "q2"
        assert refused.value.status_code == 422
    raw = lowest(who5)
    del raw["q4"]
    with pytest.raises(Invalid) as refused:
        who5.check(raw)
    assert refused.value.field == "q4"
    assert "I woke up feeling fresh and rested" in refused.value.message


def test_the_first_problem_is_the_one_reported() -> None:
    phq9 = INSTRUMENTS["phq9"]
    with pytest.raises(Invalid) as refused:
        phq9.check({"q3": "9", "q5": None})
    assert refused.value.field == "q1"  # the first item, though q3 and q5 are wrong too


@pytest.mark.parametrize(
    "value",
    [4, -1, 9, "4", "-1", "x", "2.0", 2.0, True, False, "1" * 5000, [1], {"a": 1}, "٣"],
)
def test_an_answer_that_is_not_a_choice_is_refused(value: object) -> None:
    phq2 = INSTRUMENTS["phq2"]
    with pytest.raises(Invalid) as refused:
        phq2.check({"q1": 1, "q2": value})
    assert refused.value.message == "That answer is not one of the choices: choose one of them."
    assert refused.value.field == "q2"


def test_out_of_range_is_each_instruments_own_range() -> None:
    """UCLA answers are 1-3 (no 0), WHO-5 0-5, PHQ 0-3."""
    with pytest.raises(Invalid):
        INSTRUMENTS["ucla3"].check({"q1": 0, "q2": 1, "q3": 1})
    with pytest.raises(Invalid):
        INSTRUMENTS["phq9"].check({f"q{n}": 4 if n == 9 else 0 for n in range(1, 10)})
    assert INSTRUMENTS["who5"].check({f"q{n}": 5 for n in range(1, 6)})["q5"] == 5


def test_an_extra_key_is_refused() -> None:
    ucla3 = INSTRUMENTS["ucla3"]
    with pytest.raises(Invalid) as refused:
        ucla3.check({"q1": 1, "q2": 1, "q3": 1, "q4": 1})
    assert refused.value.message == "That question is not part of this check-in."
    assert refused.value.field == "q4"
    with pytest.raises(Invalid):
        ucla3.check({"q1": 1, "q2": 1, "q3": 1, "difficulty": 0})  # only the PHQ-9 has it


def test_answers_to_the_wrong_instrument_are_refused() -> None:
    """PHQ-9 answers sent to the PHQ-2 (extra items) and PHQ-2 answers to the PHQ-9
    (missing items) are refused, as are WHO-5 answers (5s) to the UCLA scale."""
    phq9_answers = {f"q{n}": 1 for n in range(1, 10)}
    with pytest.raises(Invalid) as refused:
        INSTRUMENTS["phq2"].check(phq9_answers)
    assert refused.value.field == "q3"
    with pytest.raises(Invalid) as refused:
        INSTRUMENTS["phq9"].check({"q1": 1, "q2": 1})
    assert refused.value.field == "q3"
    with pytest.raises(Invalid):
        INSTRUMENTS["ucla3"].check({"q1": 5, "q2": 5, "q3": 5})


def test_score_checks_its_answers_too() -> None:
    with pytest.raises(Invalid):
        INSTRUMENTS["who5"].score({"q1": 5})
    with pytest.raises(Invalid):
        INSTRUMENTS["phq2"].score({"q1": 3, "q2": 7})


def test_meaningful_change_where_the_literature_gives_one() -> None:
    """WHO-5: 10 points on 0-100 (Topp et al., 2015). PHQ-9: 5 points (Löwe et al., 2004,
    Medical Care 42(12), 1194-1201). No published threshold for the others: never."""
    assert not meaningful_change("who5", 40, 49)
    assert meaningful_change("who5", 40, 50)
    assert meaningful_change("who5", 40, 51)
    assert meaningful_change("who5", 60, 48)  # either way
    assert not meaningful_change("who5", 60, 51)
    assert not meaningful_change("phq9", 12, 8)
    assert meaningful_change("phq9", 12, 7)
    assert meaningful_change("phq9", 3, 9)
    for name in ("ucla3", "phq2", "mood"):
        assert not meaningful_change(name, 0, 100)
    with pytest.raises(NotFound):
        meaningful_change("nope", 1, 2)


def test_wording_is_stem_items_and_answers_only() -> None:
    phq9 = INSTRUMENTS["phq9"]
    assert phq9.wording[0] == phq9.stem
    assert "Nearly every day" in phq9.wording
    assert "Extremely difficult" in phq9.wording
    assert phq9.title not in phq9.wording
    assert len(set(phq9.wording)) == len(phq9.wording)


def every_msgid() -> set[str]:
    found: set[str] = set()
    for inst in INSTRUMENTS.values():
        found |= {inst.title, inst.short, *inst.wording}
        for total in range(0, 28):
            for item in range(len(inst.items)):
                answers = {i.key: min(o.value for o in inst.options) for i in inst.items}
                top = max(o.value for o in inst.options)
                remaining = total
                for i in inst.items[item:]:
                    step = min(top - answers[i.key], remaining)
                    answers[i.key] += step
                    remaining -= step
                if remaining == 0:
                    result = inst.score(answers)
                    found |= {result.band_label, result.meaning}
    found |= {o.label for o in mood.MOOD_LEVELS} | set(mood.FEELING_LABELS.values())
    for level in range(1, 6):
        found.add(mood.mood_result(level).meaning)
    return found


def test_every_string_is_found_by_the_extractor(tmp_path: Path) -> None:
    pot = tmp_path / "instruments.pot"
    extracted = extracted_msgids(pot, PACKAGE)
    wanted = every_msgid()
    assert len(wanted) > 80
    assert not sorted(wanted - extracted)
    for sentence in (
        "Choose an answer for “%(item)s”.",
        "That answer is not one of the choices: choose one of them.",
        "That question is not part of this check-in.",
        "There is no check-in called “%(name)s”.",
        "Choose at most %(count)s feelings.",
    ):
        assert sentence in extracted


ANSWERS = st.sampled_from(sorted(INSTRUMENTS)).flatmap(
    lambda name: st.tuples(
        st.just(name),
        st.fixed_dictionaries(
            {
                item.key: st.sampled_from([o.value for o in INSTRUMENTS[name].options])
                for item in INSTRUMENTS[name].items
            }
        ),
    )
)


@property_settings(normal=300, deep=5000)
@given(ANSWERS)
def test_any_valid_answers_score_within_range(case: tuple[str, dict[str, int]]) -> None:
    name, answers = case
    inst = INSTRUMENTS[name]
    result = inst.score(answers)
    values = [o.value for o in inst.options]
    assert min(values) * len(inst.items) <= result.total <= max(values) * len(inst.items)
    assert 0 <= result.shown <= result.scale_max
    assert result.total == sum(answers.values())
    assert result.band and result.band_label and result.meaning
    assert set(result.next_steps) <= set(STEPS)
    assert list(result.next_steps) == sorted(result.next_steps, key=STEPS.index)
    assert result.crisis == (name == "phq9" and answers["q9"] > 0)
    assert ("crisis" in result.next_steps) == result.crisis
    if result.crisis:
        assert result.next_steps[0] == "crisis"
    # a form sends the same answers as text; they score the same
    assert inst.score(inst.check({k: str(v) for k, v in answers.items()})) == result


@property_settings(normal=300, deep=5000)
@given(
    st.sampled_from(sorted(INSTRUMENTS)),
    st.dictionaries(
        st.sampled_from(["q1", "q2", "q3", "q4", "q5", "q9", "difficulty", "x"]),
        st.one_of(st.none(), st.integers(-3, 8), st.text(max_size=4), st.booleans()),
    ),
)
def test_any_input_is_either_checked_or_refused(name: str, raw: dict[str, object]) -> None:
    inst = INSTRUMENTS[name]
    try:
        answers = inst.check(raw)
    except Invalid as refused:
        problem = refused
    else:
        assert {item.key for item in inst.items} <= set(answers)
        assert inst.score(answers).band
        return
    assert problem.field is not None
    assert problem.message
