"""The scorer process (``safety.scorer``): ``python -m socialode.safety.scorer_process
<detector>`` loads the detector, says ``"ready"``, then answers each line of JSON on its
input, ``[id, locale, text]``, with one on its output, ``[id, category, rule]``, until its
input ends. It imports the detector and nothing else of the app (about 70 MB).

Lines that arrive together are answered together, in one write: when many people send at
once, the app reads their answers in one go and their sends go on in the same turn of its
event loop, instead of one wake-up per answer."""

from __future__ import annotations

import json
import sys
from typing import BinaryIO

from socialode.safety.assessment import Detector
from socialode.safety.detector import load_detector

READY = b'"ready"'
CHUNK = 1 << 16  # bytes read at most at once: whatever has arrived, up to this


def serve(detector_name: str, source: BinaryIO, out: BinaryIO) -> None:
    """Load the detector, say so, then answer each line until input ends; a line it cannot
    read gets no answer (the app stops waiting and scores that text itself)."""
    answer_all(load_detector(detector_name), source, out)


def answer_all(detector: Detector, source: BinaryIO, out: BinaryIO) -> None:
    """Say ``"ready"``, then answer with ``detector`` until input ends (``serve``)."""
    out.write(READY + b"\n")
    out.flush()
    pending = b""
    while chunk := _available(source):
        *lines, pending = (pending + chunk).split(b"\n")
        answers = b"".join(_answer(detector, line) for line in lines)
        if answers:
            out.write(answers)
            out.flush()
    if pending.strip():  # a last line without its newline
        out.write(_answer(detector, pending))
        out.flush()


def _available(source: BinaryIO) -> bytes:
    """What has arrived on ``source``: waits for at least one byte, then takes what is there
    (b"" once the input ended)."""
    read1 = getattr(source, "read1", None)
    return bytes(read1(CHUNK) if read1 is not None else source.read(CHUNK))


def _answer(detector: Detector, line: bytes) -> bytes:
    try:
        ident, locale, text = json.loads(line)
        assessment = detector.score(str(text), str(locale))
    except (ValueError, TypeError):
        return b""
    return json.dumps([ident, assessment.category.value, assessment.rule]).encode() + b"\n"


if __name__ == "__main__":
    serve(sys.argv[1], sys.stdin.buffer, sys.stdout.buffer)
