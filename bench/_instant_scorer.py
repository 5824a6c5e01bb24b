"""Stand-in scorer processes for ``bench/sends_scoring.py``, to tell apart what scoring in a
scorer process costs a send. They run the scorer process's own loop
(``socialode.safety.scorer_process.answer_all``: lines that arrive together are answered in
one write) with a stand-in for the detector that answers every text with "none"; never used
outside bench/.

- ``instant``: at once: what the pipe alone costs;
- ``spin``: after spinning on the processor about as long as the detector takes for such a
  text (50 µs, and 0.5 µs per character: bench/RESULTS.md's timings of the detector alone),
  touching almost no memory: the detector's timing without its memory traffic.
"""

from __future__ import annotations

import sys
import time

from socialode.safety.assessment import CLEAR, Assessment
from socialode.safety.scorer_process import answer_all

BASE = 50e-6  # seconds for a short text
PER_CHARACTER = 0.5e-6


class StandIn:
    def __init__(self, spin: bool) -> None:
        self.spin = spin

    def score(self, text: str, locale: str) -> Assessment:
        if self.spin:
            until = time.perf_counter() + BASE + PER_CHARACTER * len(text)
            while time.perf_counter() < until:
                pass
        return CLEAR


if __name__ == "__main__":
    answer_all(StandIn(spin=sys.argv[1:] == ["spin"]), sys.stdin.buffer, sys.stdout.buffer)
