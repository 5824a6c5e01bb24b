"""The detectors meet their targets on the data they were built from: the default (rules and
model combined) on all of the tuning data, the rules alone on the texts they were written
against. This is a check that nothing regressed, not a claim about unseen text: that is the
blind set's (``HELDOUT_FILES``), which only bench/abuse_eval.py reads. The set loader refuses
malformed lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialode.safety.assessment import HURTFUL, Category
from socialode.safety.detector import load_detector
from socialode.safety.evaluation import (
    CALIBRATION_FILES,
    HELDOUT_FILES,
    RULES_WRITTEN_ON,
    TUNING_FILES,
    Report,
    SetError,
    evaluate,
    load_files,
    load_tuning,
    parse,
)

pytestmark = pytest.mark.once  # no database in here

SETS = Path(__file__).parent / "abuse_set"
RECALL = 0.85
PRECISION = 0.9
FLAGGED = 0.03
EVERYDAY = 0.005


@pytest.fixture(scope="module", params=["combined", "phrases"])
def report(request: pytest.FixtureRequest) -> Report:
    built_from = TUNING_FILES if request.param == "combined" else RULES_WRITTEN_ON
    return evaluate(load_detector(request.param), load_files(built_from, SETS))


def test_the_tuning_data_is_its_own_files_and_never_the_held_out_set() -> None:
    assert not set(HELDOUT_FILES) & set(TUNING_FILES)
    assert not set(CALIBRATION_FILES) & (set(TUNING_FILES) | set(HELDOUT_FILES))
    assert set(RULES_WRITTEN_ON) < set(TUNING_FILES)
    assert len(load_tuning(SETS)) > 3000
    tuned = {e.text.casefold() for e in load_tuning(SETS)}
    calibration = {e.text.casefold() for e in load_files(CALIBRATION_FILES, SETS)}
    blind = load_files(HELDOUT_FILES, SETS)
    assert len(blind) >= 600
    assert not [e.text for e in blind if e.text.casefold() in tuned | calibration]
    assert not calibration & tuned  # no text in two of them


def test_the_tuning_set_covers_every_label_in_both_languages() -> None:
    examples = load_tuning(SETS)
    for locale, least in (("en", 230), ("pt", 45)):
        mine = [e for e in examples if e.locale == locale]
        assert len(mine) >= least
        labels = {e.label for e in mine}
        assert {c.value for c in HURTFUL} | {"disclosure", "none:banter", "none:neutral"} <= labels


@pytest.mark.parametrize("category", sorted(HURTFUL))
def test_each_hurtful_class_is_found(report: Report, category: Category) -> None:
    figures = report.per_class[category]
    assert figures.support >= 20
    assert figures.recall >= RECALL, [
        (e.text, a.category.value) for e, a in report.misses if e.category is category
    ]
    assert figures.precision >= PRECISION


def test_disclosures_banter_and_everyday_texts_are_rarely_flagged(report: Report) -> None:
    assert report.flagged_share["disclosure"] < FLAGGED
    assert report.flagged_share["banter"] < FLAGGED
    # Everyday talk is most of what people send: a pause on it is the error felt most.
    assert report.flagged_share["neutral"] < EVERYDAY


def test_hurtful_or_not(report: Report) -> None:
    assert report.hurtful_recall >= RECALL
    assert report.hurtful_precision >= PRECISION


def test_malformed_lines_are_refused_with_their_line_number() -> None:
    good = parse(["# a comment", "", "threat\ten\ti will hurt you", "none:banter\ten\tlol"])
    assert [e.label for e in good] == ["threat", "none:banter"]
    assert good[1].kind == "banter"
    with pytest.raises(SetError, match="line 2: expected label, locale and text"):
        parse(["threat\ten\tfine", "threat en no tabs"])
    with pytest.raises(SetError, match="line 1: unknown label 'rude'"):
        parse(["rude\ten\tsomething"])
    with pytest.raises(SetError, match="line 1: write 'none:<kind>'"):
        parse(["none\ten\tsomething"])
