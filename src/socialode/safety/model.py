"""A small linear text classifier over the seven categories, in pure Python.

Features are read from the normalised text (:mod:`socialode.safety.normalise`, so leetspeak,
spacing and accents are undone first): word unigrams and bigrams, each longer word's first
``STEM`` letters (so "idiota", "idiotas" and "idiotice" share one), the emoji and signs of the
plain view, each pair of different signs that follow one another ("🚪👋") and whether the text
is signs alone, and the language. A text of emoji alone ("🔪🔪", "🪢 for u") is read too.
(Character n-grams over the words read hurt into everyday words that share letters with an
insult, "connections", "moderator", "invited", and in round 12's cross-validation they found
less than the words alone; a light suffix stemmer found no more either.) Each
feature is hashed (CRC-32) into ``BUCKETS`` buckets; a text's features are a set, each worth
``1 / sqrt(len(set))`` (at most ``1 / sqrt(FEW_FEATURES)``). The model is a multinomial
logistic regression: one weight per bucket and category plus a bias per category, and a
softmax over the seven scores.

The weights are trained by ``bench/train_abuse_model.py`` on the tuning data only and live
beside this module in ``model_weights.json.gz`` (a package data file, shipped in the wheel).
They are read once, by :func:`load_model`. Scoring is a few dozen dictionary look-ups.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from socialode.safety.assessment import Category
from socialode.safety.normalise import Normalised, normalise

LABELS: tuple[Category, ...] = (
    Category.none,
    Category.threat,
    Category.self_harm_taunt,
    Category.harassment,
    Category.exclusion,
    Category.doxxing,
    Category.disclosure,
)
BUCKETS = 1 << 20
STEM = 4
WEIGHTS_FILE = Path(__file__).resolve().parent / "model_weights.json.gz"
# 2: stems instead of character n-grams, and the rules' answer among the features;
# 3: pairs of signs, and texts of signs alone
FORMAT = 3
SIGNS_RE = re.compile("[\u2001-\U0010ffff]")  # emoji and signs: above U+2000
# Round 13 tried 16: cross-validation found more of most classes, but each of the three or
# four features of an ordinary short sentence then weighed enough to pause it ("Maya wrote to
# you", "A long walk by the river"; bench/RESULTS.md, round 13).
FEW_FEATURES = 120


def bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (BUCKETS - 1)


def feature_names(n: Normalised, locale: str) -> set[str]:
    """The named features of a normalised text (before hashing)."""
    view = n.joined or n.words
    tokens = view.split(" ") if view else []
    names = {"l:" + locale.replace("-", "_").split("_", 1)[0].casefold()}
    names.update("w:" + t for t in tokens)
    names.update("b:" + a + " " + b for a, b in itertools.pairwise(tokens))
    names.update("s:" + t[:STEM] for t in tokens if len(t) > STEM)
    if not n.plain.isascii():
        signs = SIGNS_RE.findall(n.plain)
        names.update("e:" + c for c in signs)
        names.update("f:" + a + b for a, b in itertools.pairwise(signs) if a != b)
        if signs and not any(c.isalpha() for c in n.words):
            names.add("f:only")
    return names


def has_signs(n: Normalised) -> bool:
    """Whether a normalised text has emoji or other signs in it."""
    return not n.plain.isascii() and SIGNS_RE.search(n.plain) is not None


def features_of(n: Normalised, locale: str) -> set[int]:
    """The hashed features of a normalised text (none for a text of neither words nor signs)."""
    if not n.words and not has_signs(n):
        return set()
    return {bucket(name) for name in feature_names(n, locale)}


def features(text: str, locale: str) -> list[int]:
    """The hashed features of a text, sorted."""
    return sorted(features_of(normalise(text), locale))


def feature_value(count: int) -> float:
    """What each of a text's ``count`` features is worth: ``1 / sqrt(count)``, but never more
    than for ``FEW_FEATURES`` of them, so a short text has little weight to carry."""
    return 1.0 / math.sqrt(max(count, FEW_FEATURES))


def softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True, slots=True)
class Model:
    """Weights per bucket (one per label, in ``LABELS`` order), biases, and the thresholds
    the combined detector uses (chosen by the trainer by cross-validation)."""

    weights: dict[int, tuple[float, ...]]
    bias: tuple[float, ...]
    thresholds: dict[str, float]
    info: dict[str, Any]

    def probabilities_of(self, buckets: Iterable[int], count: int) -> list[float]:
        """The probability of each label (in ``LABELS`` order) for a text whose hashed
        features are ``buckets``, ``count`` of them."""
        get = self.weights.get
        rows = [w for w in map(get, buckets) if w is not None]
        if not rows:
            return softmax(list(self.bias))
        value = feature_value(count)
        sums = map(sum, zip(*rows, strict=True))
        return softmax([b + value * s for b, s in zip(self.bias, sums, strict=True)])

    def probabilities(self, text: str, locale: str) -> dict[Category, float]:
        """The probabilities for a text read on its own, as if no rule matched it (the combined
        detector adds the rules' answer: ``combined.model_probabilities``)."""
        found = features(text, locale)
        return dict(zip(LABELS, self.probabilities_of(found, len(found)), strict=True))

    def predict(self, text: str, locale: str) -> tuple[Category, float]:
        """The most likely category and its probability."""
        probs = self.probabilities(text, locale)
        best = max(LABELS, key=lambda c: probs[c])
        return best, probs[best]


def to_json(model: Model, scale: int = 1000) -> dict[str, Any]:
    """The weights file's content: weights as integers (``scale`` per unit), buckets sorted and
    written as the gaps between them."""
    buckets = sorted(model.weights)
    gaps = [b - a for a, b in itertools.pairwise([0, *buckets])]
    return {
        "format": FORMAT,
        "labels": [c.value for c in LABELS],
        "buckets": BUCKETS,
        "scale": scale,
        "bias": [round(b * scale) for b in model.bias],
        "gaps": gaps,
        "weights": [[round(x * scale) for x in model.weights[b]] for b in buckets],
        "thresholds": model.thresholds,
        "info": model.info,
    }


def from_json(data: dict[str, Any]) -> Model:
    if data.get("format") != FORMAT or data.get("buckets") != BUCKETS:
        raise ValueError("the abuse model's weights file is of another format")
    if data.get("labels") != [c.value for c in LABELS]:
        raise ValueError("the abuse model's weights file has other labels")
    scale = float(data["scale"])
    # The weights are stored rounded (``scale`` per unit), so under 10,000 distinct values
    # and about half as many distinct rows as buckets: each value and each row is made once
    # and shared, which keeps the loaded model at about 15 MB instead of 38.
    values: dict[int, float] = {}
    rows: dict[tuple[int, ...], tuple[float, ...]] = {}

    def value(x: int) -> float:
        found = values.get(x)
        if found is None:
            found = values[x] = x / scale
        return found

    weights: dict[int, tuple[float, ...]] = {}
    bucket = 0
    for gap, stored in zip(data["gaps"], data["weights"], strict=True):
        bucket += int(gap)
        key = tuple(stored)
        row = rows.get(key)
        if row is None:
            row = rows[key] = tuple(map(value, stored))
        weights[bucket] = row
    bias = tuple(b / scale for b in data["bias"])
    thresholds = {str(k): float(v) for k, v in data["thresholds"].items()}
    return Model(weights, bias, thresholds, dict(data.get("info", {})))


def write_model(model: Model, path: Path = WEIGHTS_FILE) -> None:
    text = json.dumps(to_json(model), separators=(",", ":"), sort_keys=True)
    # mtime=0: the same weights always give the same bytes
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def read_model(path: Path = WEIGHTS_FILE) -> Model:
    return from_json(json.loads(gzip.decompress(path.read_bytes()).decode("utf-8")))


@cache
def load_model() -> Model:
    """The shipped model, read once per process."""
    return read_model(WEIGHTS_FILE)
