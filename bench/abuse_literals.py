"""How often the abuse detector pauses sentences unlike the chat it learned from: the string
literals of the project's own test modules.

The tuning data and the blind sets are chat messages; a detector can do well on them and
still read hurt into an ordinary sentence of another kind ("Someone here cares about you.").
The test modules (all but tests/safety, whose literals are meant to hurt) hold a few thousand
sentences written for other reasons: page texts, error messages, docstrings, and a few
hurtful messages the browser tests send on purpose. Every distinct string literal of four
words or more and under 500 characters is scored once, in English; this prints how many
the detector flags, and each flagged one under 90 characters with its category.

Not a target of its own: a probe to compare detectors and decision rules by, in one run.

    .venv/bin/python bench/abuse_literals.py                      # the configured default
    .venv/bin/python bench/abuse_literals.py --detector phrases
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from socialode.safety.detector import load_detector  # noqa: E402

SHORT = 90


def literals(root: Path) -> list[str]:
    found: dict[str, None] = {}
    for path in sorted((root / "tests").rglob("*.py")):
        if "safety" in path.relative_to(root / "tests").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                if len(text.split()) >= 4 and len(text) < 500:
                    found[text] = None
    return list(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--detector", default="combined")
    args = parser.parse_args()
    detector = load_detector(args.detector)
    texts = literals(ROOT)
    flagged = [(t, a) for t in texts if (a := detector.score(t, "en")).hurtful]
    share = len(flagged) / len(texts)
    print(
        f"detector {args.detector!r}: {len(flagged)} of {len(texts)} literals flagged ({share:.1%})"
    )
    short = [(t, a) for t, a in flagged if len(t) < SHORT]
    print(f"under {SHORT} characters: {len(short)}")
    for text, assessment in short:
        print(f"  {assessment.category.value:16} {' '.join(text.split())}")


if __name__ == "__main__":
    main()
