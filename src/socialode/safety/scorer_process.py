"""The scorer process (``safety.scorer``): ``python -m socialode.safety.scorer_process
<detector>`` loads the detector, says ``"ready"``, then answers each line of JSON on its
input, ``[id, locale, text]``, with one on its output, ``[id, category, rule]``, until its
input ends. It imports the detector and nothing else of the app (about 70 MB).

Lines that arrive together are answered together, in one write: when many people send at
once, the app reads their answers in one go and their sends go on in the same turn of its
event loop, instead of one wake-up per answer.

Short texts go before long ones. A text of a few thousand characters takes the detector a
millisecond or two, against about 50 µs for a chat message; answered in arrival order, every
message that came with it would wait for it. So the short lines that are waiting are answered
first (in the order they came) and written out, and before each long line the process looks
again for short ones that arrived meanwhile. A line that has waited ``OVERDUE`` goes next
whatever its length, so a steady stream of short texts cannot hold a long one back."""

from __future__ import annotations

import json
import select
import sys
import time
from typing import BinaryIO

from socialode.safety.assessment import Detector
from socialode.safety.detector import load_detector

READY = b'"ready"'
CHUNK = 1 << 16  # bytes read at most at once: whatever has arrived, up to this
LONG_LINE = 512  # bytes: a longer line waits for the short ones (about 250 µs of scoring)
OVERDUE = 0.1  # seconds a line waits at most for shorter ones that keep arriving


def serve(detector_name: str, source: BinaryIO, out: BinaryIO) -> None:
    """Load the detector, say so, then answer each line until input ends; a line it cannot
    read gets no answer (the app stops waiting and scores that text itself)."""
    answer_all(load_detector(detector_name), source, out)


def answer_all(detector: Detector, source: BinaryIO, out: BinaryIO) -> None:
    """Say ``"ready"``, then answer with ``detector`` until input ends (``serve``)."""
    _say(out, READY + b"\n")
    inbox = Inbox(source)
    answers = b""
    while True:
        at = inbox.next_at()
        if at is None or len(inbox.lines[at][1]) > LONG_LINE:
            # about to wait for input or to spend long on one text: what is answered goes now
            if answers:
                _say(out, answers)
                answers = b""
            if at is None:
                if inbox.take(wait=True):
                    continue
                return  # input ended and nothing waits
            if inbox.take(wait=False):
                continue  # something came meanwhile: it may be shorter
        answers += _answer(detector, inbox.lines.pop(at)[1])


class Inbox:
    """The lines read and not yet answered, each with when it arrived."""

    def __init__(self, source: BinaryIO) -> None:
        self.source = source
        self.lines: list[tuple[float, bytes]] = []
        self._partial = b""
        self._ended = False
        try:
            self._fileno: int | None = source.fileno()
        except (AttributeError, OSError, ValueError):
            self._fileno = None  # nothing to poll (a test's bytes): read when waiting only

    def take(self, *, wait: bool) -> bool:
        """Add what has arrived, waiting for it if ``wait``; False when nothing came."""
        if self._ended:
            return False
        if not wait and (self._fileno is None or not select.select([self._fileno], [], [], 0)[0]):
            return False
        chunk = _available(self.source)
        if chunk:
            *lines, self._partial = (self._partial + chunk).split(b"\n")
        else:  # input ended; a last line without its newline is answered too
            self._ended = True
            lines, self._partial = [self._partial], b""
        now = time.monotonic()
        came = [(now, line) for line in lines if line.strip()]
        self.lines.extend(came)
        return bool(chunk) or bool(came)

    def next_at(self) -> int | None:
        """Where the line to answer next is: an overdue one, else the first short one, else
        the shortest; None when nothing waits."""
        if not self.lines:
            return None
        if time.monotonic() - self.lines[0][0] >= OVERDUE:
            return 0
        sizes = [len(line) for _, line in self.lines]
        short = next((n for n, size in enumerate(sizes) if size <= LONG_LINE), None)
        return short if short is not None else sizes.index(min(sizes))


def _say(out: BinaryIO, data: bytes) -> None:
    out.write(data)
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
