"""Evaluating a detector on a labelled set: loading the set and computing the figures.

A set is a UTF-8 text file of lines ``label<TAB>locale<TAB>text``; empty lines and lines
starting with ``#`` are skipped. A label is a category name ("threat", "disclosure", ...) or
``none:<kind>`` for texts that should not be flagged ("none:banter", "none:neutral",
"none:quote"). A hurtful text counts as found only when the detector names its category.

The tuning data is every file in ``TUNING_FILES``: the project's first texts (the rules are
written against them), twenty-one earlier blind sets released for tuning once they had been
evaluated (with their everyday messages; the twelfth to twenty-first since round 24), and
training texts written in forty-four voices
(young group chats, adults, hard near pairs, Portuguese, everyday messages, online and at
work, teenagers, veiled harm, couples and exes, games and sport, identity and bodies,
families and neighbours, short messages, work, school, older people, nights out, plain
sentences of other kinds than chat, insults beside friendly roasting, blunt insults, veiled
threats, more Portuguese, rough banter beside its cruel counterparts, invitations and
joining, support and venting beside the taunts that share their words, insults in every
form, threats in every form, sharing contact details and running a group, insults a person
knows at once beside the same words among friends, passing on numbers and photos, meaning
carried by emoji, veiled threats and taunts tied to places and routines, mockery and
shutting people out of groups, mental health mocked beside support, longer messages with
one hurtful sentence among ordinary ones, emoji aimed at a named person beside the same
emoji used kindly, laughing mockery and schemes behind someone's back, medical details,
videos and screenshots shared to expose someone, short plain sentences of four to ten
words beside hurtful ones that share their words, threats in idioms and as consequences,
leaving someone out in the words of logistics and admin, mockery by comparison and private
details passed round, exclusion announced after the fact, put-downs without a swear word,
veiled urging to self-harm and veiled threats). Three files written for round 17
(``train_slights.tsv``, ``train_shutout.tsv``, ``train_veiled2.tsv``) are not in it: the model
retrained with them found less of the sixteenth blind set (bench/RESULTS.md, round 17); nor
are the four written for round 25 (``train_chats1.tsv`` to ``train_chats4.tsv``), with which
it found less of the twenty-sixth.
``CALIBRATION_FILES`` are the twenty-second and twenty-third blind sets, released after their
evaluation, and two files of short plain sentences: the model is never trained on them, and
the trainer chooses the detector's thresholds there.
``HELDOUT_FILES`` make the blind set: the twenty-fifth, written by two authors apart from the
detector, its rules and its training data, and a third author's everyday messages (to
measure how often ordinary talk is paused); only ever read by the benchmark. The
twenty-fourth set, evaluated once, chose among three detectors (bench/RESULTS.md, round 24),
and the twenty-sixth kept that choice over round 25; both are in no list. The eighteenth's to
twenty-first's and the twenty-sixth's misses guided a few rules.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from socialode.safety.assessment import HURTFUL, Assessment, Category, Detector

SETS = Path(__file__).resolve().parents[3] / "tests" / "safety" / "abuse_set"
TUNING_FILES = (
    "tuning.tsv",
    "first_heldout.tsv",
    "second_heldout.tsv",
    "train_young.tsv",
    "train_adult.tsv",
    "train_hard.tsv",
    "train_pt.tsv",
    "train_everyday.tsv",
    "blind3_a.tsv",
    "blind3_b.tsv",
    "train_online.tsv",
    "train_teens.tsv",
    "train_pt2.tsv",
    "train_veiled.tsv",
    "train_couples.tsv",
    "train_games.tsv",
    "train_identity.tsv",
    "train_families.tsv",
    "train_pt3.tsv",
    "train_short.tsv",
    "blind4_a.tsv",
    "blind4_b.tsv",
    "blind3_everyday.tsv",
    "train_work.tsv",
    "train_school.tsv",
    "train_elders.tsv",
    "train_nightlife.tsv",
    "train_pt4.tsv",
    "blind5_a.tsv",
    "blind5_b.tsv",
    "blind5_everyday.tsv",
    "train_plain.tsv",
    "train_roast.tsv",
    "blind6_a.tsv",
    "blind6_b.tsv",
    "blind6_everyday.tsv",
    "train_insults.tsv",
    "train_menace.tsv",
    "train_pt5.tsv",
    "train_rough.tsv",
    "blind7_a.tsv",
    "blind7_b.tsv",
    "blind7_everyday.tsv",
    "train_welcome.tsv",
    "blind8_a.tsv",
    "blind8_b.tsv",
    "blind8_everyday.tsv",
    "train_support.tsv",
    "train_insults2.tsv",
    "train_threats2.tsv",
    "train_contacts.tsv",
    "blind9_a.tsv",
    "blind9_b.tsv",
    "blind9_everyday.tsv",
    "train_insults3.tsv",
    "train_contacts2.tsv",
    "blind10_a.tsv",
    "blind10_b.tsv",
    "blind10_everyday.tsv",
    "train_emoji.tsv",
    "train_places.tsv",
    "train_mockery.tsv",
    "train_minds.tsv",
    "train_long.tsv",
    "blind11_a.tsv",
    "blind11_b.tsv",
    "blind11_everyday.tsv",
    "train_tags.tsv",
    "train_schemes.tsv",
    "train_exposed.tsv",
    "train_brief.tsv",
    "train_brief2.tsv",
    "train_idioms.tsv",
    "train_leftout.tsv",
    "train_gossip.tsv",
    "train_removed.tsv",
    "train_putdowns.tsv",
    "train_despair.tsv",
    "train_menace2.tsv",
    "blind12_a.tsv",
    "blind12_b.tsv",
    "blind12_everyday.tsv",
    "blind13_a.tsv",
    "blind13_b.tsv",
    "blind13_everyday.tsv",
    "blind14_a.tsv",
    "blind14_b.tsv",
    "blind14_everyday.tsv",
    "blind15_a.tsv",
    "blind15_b.tsv",
    "blind15_everyday.tsv",
    "blind16_a.tsv",
    "blind16_b.tsv",
    "blind16_everyday.tsv",
    "blind17_a.tsv",
    "blind17_b.tsv",
    "blind17_everyday.tsv",
    "blind18_a.tsv",
    "blind18_b.tsv",
    "blind18_everyday.tsv",
    "blind19_a.tsv",
    "blind19_b.tsv",
    "blind19_everyday.tsv",
    "blind20_a.tsv",
    "blind20_b.tsv",
    "blind20_everyday.tsv",
    "blind21_a.tsv",
    "blind21_b.tsv",
    "blind21_everyday.tsv",
)
# Earlier blind sets and short plain sentences the model is never trained on: the trainer
# chooses the detector's thresholds on them, texts as new to the model as what people will
# send (bench/RESULTS.md, round 15: thresholds chosen in cross-validation sat higher than new
# texts needed; round 16: with the blind sets alone they paused ordinary sentences).
CALIBRATION_FILES = (
    "blind22_a.tsv",
    "blind22_b.tsv",
    "blind22_everyday.tsv",
    "blind23_a.tsv",
    "blind23_b.tsv",
    "blind23_everyday.tsv",
    "calibration_plain.tsv",
    "calibration_more_plain.tsv",
)
HELDOUT_FILES = ("blind25_a.tsv", "blind25_b.tsv", "blind25_everyday.tsv")
# The phrase rules were written against these; the rest of the tuning data is new to them.
RULES_WRITTEN_ON = TUNING_FILES[:2]


@dataclass(frozen=True, slots=True)
class Example:
    label: str
    locale: str
    text: str
    line: int = 0

    @property
    def category(self) -> Category:
        return Category(self.label.split(":", 1)[0])

    @property
    def kind(self) -> str:
        """The part after "none:" ("banter", "quote"), or the category name."""
        return self.label.split(":", 1)[1] if ":" in self.label else self.label


class SetError(ValueError):
    pass


def parse(lines: Iterable[str], source: str = "set") -> list[Example]:
    examples: list[Example] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise SetError(
                f"{source}, line {number}: expected label, locale and text separated by tabs"
            )
        label, locale, text = (p.strip() for p in parts)
        try:
            category = Category(label.split(":", 1)[0])
        except ValueError:
            raise SetError(f"{source}, line {number}: unknown label {label!r}") from None
        if (category is Category.none) != label.startswith("none:"):
            raise SetError(f"{source}, line {number}: write 'none:<kind>' for unflagged texts")
        examples.append(Example(label, locale, text, number))
    return examples


def load(path: Path) -> list[Example]:
    with path.open(encoding="utf-8") as f:
        return parse(f, str(path))


def load_files(names: Sequence[str], folder: Path = SETS) -> list[Example]:
    """The examples of these files in ``folder``, one file after the other."""
    examples: list[Example] = []
    for name in names:
        examples.extend(load(folder / name))
    return examples


def load_tuning(folder: Path = SETS) -> list[Example]:
    """Every tuning file in ``folder``, one after the other."""
    return load_files(TUNING_FILES, folder)


def ordinary_text(chars: int = 4000, ending: str = "", folder: Path = SETS) -> str:
    """An everyday text (plans, a recipe, a shop's hours: ``ordinary.txt`` beside the sets)
    of ``chars`` characters, its last words ``ending`` when given."""
    ordinary = (folder / "ordinary.txt").read_text(encoding="utf-8").strip() + " "
    body = ordinary * (chars // len(ordinary) + 1)
    if not ending:
        return body[:chars]
    return body[: max(0, chars - len(ending) - 1)] + " " + ending


@dataclass(frozen=True, slots=True)
class ClassFigures:
    category: Category
    support: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.support if self.support else 1.0


@dataclass(slots=True)
class Report:
    examples: int = 0
    per_class: dict[Category, ClassFigures] = field(default_factory=dict)
    hurtful_precision: float = 1.0
    hurtful_recall: float = 1.0
    flagged_share: dict[str, float] = field(default_factory=dict)  # by kind, e.g. "banter"
    kind_counts: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[Example, Assessment]] = field(default_factory=list)


def evaluate(detector: Detector, examples: Sequence[Example]) -> Report:
    """Per hurtful class precision and recall, hurtful-vs-not, and the flagged share of each
    kind of text that should not be flagged (disclosures, banter, quotes, neutral)."""
    answers = [detector.score(e.text, e.locale) for e in examples]
    report = Report(examples=len(examples))
    for category in sorted(HURTFUL):
        support = sum(1 for e in examples if e.category is category)
        predicted = sum(1 for a in answers if a.category is category)
        correct = sum(
            1
            for e, a in zip(examples, answers, strict=True)
            if e.category is category is a.category
        )
        report.per_class[category] = ClassFigures(category, support, predicted, correct)
    truly = [e.category in HURTFUL for e in examples]
    said = [a.hurtful for a in answers]
    both = sum(1 for t, s in zip(truly, said, strict=True) if t and s)
    report.hurtful_precision = both / sum(said) if any(said) else 1.0
    report.hurtful_recall = both / sum(truly) if any(truly) else 1.0
    for kind in sorted({e.kind for e in examples if e.category not in HURTFUL}):
        members = [
            a
            for e, a in zip(examples, answers, strict=True)
            if e.category not in HURTFUL and e.kind == kind
        ]
        report.kind_counts[kind] = len(members)
        report.flagged_share[kind] = sum(a.hurtful for a in members) / len(members)
    for e, a in zip(examples, answers, strict=True):
        wrong = a.category is not e.category if e.category in HURTFUL else a.hurtful
        if wrong or (e.category is Category.disclosure and not a.disclosure):
            report.misses.append((e, a))
    return report


def latencies_ns(detector: Detector, examples: Sequence[Example], runs: int = 7) -> list[int]:
    """Nanoseconds for each call, ``runs`` passes over the whole set."""
    timings: list[int] = []
    clock = time.perf_counter_ns
    for _ in range(runs):
        for e in examples:
            start = clock()
            detector.score(e.text, e.locale)
            timings.append(clock() - start)
    return timings


def percentile(values: Sequence[int], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return float(ordered[index])
