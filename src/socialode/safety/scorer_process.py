"""The scorer process (``safety.scorer``): ``python -m socialode.safety.scorer_process
<detector>`` loads the detector, says ``"ready"``, then answers each line of JSON on its
input, ``[id, locale, text]``, with one on its output, ``[id, category, rule]``, until its
input ends. It imports the detector and nothing else of the app (about 70 MB)."""

from __future__ import annotations

import json
import sys
from typing import BinaryIO

from socialode.safety.detector import load_detector

READY = b'"ready"'


def serve(detector_name: str, source: BinaryIO, out: BinaryIO) -> None:
    """Load the detector, say so, then answer each line until input ends; a line it cannot
    read gets no answer (the app stops waiting and scores that text itself)."""
    detector = load_detector(detector_name)
    out.write(READY + b"\n")
    out.flush()
    for line in source:
        try:
            ident, locale, text = json.loads(line)
            assessment = detector.score(str(text), str(locale))
            answer = [ident, assessment.category.value, assessment.rule]
        except (ValueError, TypeError):
            continue
        out.write(json.dumps(answer).encode() + b"\n")
        out.flush()


if __name__ == "__main__":
    serve(sys.argv[1], sys.stdin.buffer, sys.stdout.buffer)
