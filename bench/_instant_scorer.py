"""Stand-in scorer processes for ``bench/sends_scoring.py``, to tell apart what scoring in a
scorer process costs a send. They speak the protocol of
``socialode.safety.scorer_process`` (lines that arrive together are answered in one write,
as there) and answer every text with "none"; never used outside bench/.

- ``instant``: at once: what the pipe alone costs;
- ``spin``: after spinning on the processor about as long as the detector takes for such a
  text (50 µs, and 0.5 µs per character: bench/RESULTS.md's timings of the detector alone),
  touching almost no memory: the detector's timing without its memory traffic.
"""

from __future__ import annotations

import json
import sys
import time

BASE = 50e-6  # seconds for a short text
PER_CHARACTER = 0.5e-6


def main(spin: bool) -> None:
    source, out = sys.stdin.buffer, sys.stdout.buffer
    out.write(b'"ready"\n')
    out.flush()
    pending = b""
    while chunk := source.read1(1 << 16):
        *lines, pending = (pending + chunk).split(b"\n")
        answers = []
        for line in lines:
            if not line:
                continue
            ident, _locale, text = json.loads(line)
            if spin:
                until = time.perf_counter() + BASE + PER_CHARACTER * len(text)
                while time.perf_counter() < until:
                    pass
            answers.append(json.dumps([ident, "none", ""]))
        if answers:
            out.write("".join(f"{answer}\n" for answer in answers).encode())
            out.flush()


if __name__ == "__main__":
    main(spin=sys.argv[1:] == ["spin"])
