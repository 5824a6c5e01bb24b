"""Stand-in scorer processes for ``bench/sends_scoring.py``, to tell apart what scoring in a
scorer process costs a send. They run the scorer process's own loop
(``socialode.safety.scorer_process.answer_all``: lines that arrive together are answered in
one write) with a stand-in for the detector that answers every text with "none"; never used
outside bench/.

- ``instant``: at once: what the pipe alone costs;
- ``spin``: after spinning on the processor about as long as the detector takes for such a
  text (50 µs, and 0.5 µs per character: bench/RESULTS.md's timings of the detector alone),
  touching almost no memory: the detector's timing without its memory traffic;
- ``sleep``: after sleeping as long, using no processor: the detector's delay alone, without
  its work on the core it shares (in the benchmark, with the load generator).
"""

from __future__ import annotations

import sys
import time

from socialode.safety.assessment import CLEAR, Assessment
from socialode.safety.scorer_process import answer_all

BASE = 50e-6  # seconds for a short text
PER_CHARACTER = 0.5e-6


class StandIn:
    def __init__(self, how: str) -> None:
        self.how = how

    def score(self, text: str, locale: str) -> Assessment:
        seconds = BASE + PER_CHARACTER * len(text)
        if self.how == "spin":
            until = time.perf_counter() + seconds
            while time.perf_counter() < until:
                pass
        elif self.how == "sleep":
            time.sleep(seconds)
        return CLEAR


if __name__ == "__main__":
    answer_all(StandIn(sys.argv[1]), sys.stdin.buffer, sys.stdout.buffer)
