"""Abuse detection: the "combined" detector (or the one ``--detector`` names) on the tuning
data and the held-out set, in process.

The tuning data is every file of ``TUNING_FILES`` in tests/safety/abuse_set (the project's
first texts, earlier blind sets released for tuning after they had been evaluated, and
training texts in many voices); the held-out report reads only the current blind set
(``HELDOUT_FILES``: blind25_a.tsv, blind25_b.tsv and blind25_everyday.tsv, by three authors).
For each (tuning, held-out, both together) this prints, per hurtful class, precision and
recall (a hurtful text counts as found only when the detector names its
class), the same for hurtful-vs-not, the share of disclosures, banter, quotes and neutral
texts flagged as hurtful, and the time per text: every text scored once to warm up, then
``--runs`` passes over the whole set timing each call with ``time.perf_counter_ns``; the
median and p95 are over all those calls. A "long text" line gives the median time over
``--runs`` x 5 calls for a 4,000-character everyday text, and for the same length ending in
a threat. The process is pinned to core 0 when it can be.

Targets (the safety issue): recall >= 0.85 on each hurtful class with precision >= 0.9,
fewer than 3 % of disclosures and of banter flagged, a median <= 1 ms per text.

The held-out set is written apart from the detector and never used to tune it; when it is
missing only the tuning set is reported. Texts the detector gets wrong are listed for the
tuning set only (``--misses``), never for the held-out set.

    .venv/bin/python bench/abuse_eval.py
    .venv/bin/python bench/abuse_eval.py --runs 7 --misses --tuning-only   # while tuning
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from socialode.safety.assessment import HURTFUL, Detector  # noqa: E402
from socialode.safety.detector import load_detector  # noqa: E402
from socialode.safety.evaluation import (  # noqa: E402
    HELDOUT_FILES,
    TUNING_FILES,
    Example,
    SetError,
    evaluate,
    latencies_ns,
    load_files,
    load_tuning,
    ordinary_text,
    percentile,
)

SETS = ROOT / "tests" / "safety" / "abuse_set"
RECALL = 0.85
PRECISION = 0.9
FLAGGED = 0.03
MEDIAN_NS = 1_000_000


def log(message: str = "") -> None:
    print(message, flush=True)


def machine() -> None:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    head = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %ad %s", "--date=iso"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "-uno", "--", "src/socialode/safety"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    log(f"  code: {head}{' (src/socialode/safety has uncommitted changes)' if dirty else ''}")
    log(f"  cpu: {cpu}, nproc {os.cpu_count()}, kernel {platform.release()}")
    log(f"  python: {sys.version.split()[0]} ({sys.executable})")


def report(
    name: str, detector: Detector, examples: Sequence[Example], runs: int, misses: bool
) -> bool:
    locales = {loc: sum(1 for e in examples if e.locale == loc) for loc in ("en", "pt")}
    others = len(examples) - sum(locales.values())
    counts = ", ".join(f"{n} {loc}" for loc, n in locales.items()) + (
        f", {others} other" if others else ""
    )
    log(f"\n== {name}: {len(examples)} texts ({counts}) ==")
    r = evaluate(detector, examples)
    met = True
    log(f"  {'class':16} {'texts':>5} {'flagged as':>10} {'precision':>9} {'recall':>7}")
    for category in sorted(HURTFUL):
        f = r.per_class[category]
        ok = f.recall >= RECALL and f.precision >= PRECISION
        met &= ok
        log(
            f"  {category.value:16} {f.support:5d} {f.predicted:10d} {f.precision:9.3f}"
            f" {f.recall:7.3f}{'' if ok else '   (below target)'}"
        )
    log(f"  hurtful vs not: precision {r.hurtful_precision:.3f}, recall {r.hurtful_recall:.3f}")
    for kind, share in r.flagged_share.items():
        n = r.kind_counts[kind]
        target = kind in ("disclosure", "banter")
        ok = share < FLAGGED
        if target:
            met &= ok
        log(
            f"  {kind} flagged as hurtful: {round(share * n)}/{n} = {share:.1%}"
            + ("" if not target else ("" if ok else "   (target < 3 %)"))
        )
    disclosures = [e for e in examples if e.label == "disclosure"]
    if disclosures:
        named = sum(detector.score(e.text, e.locale).disclosure for e in disclosures)
        log(f"  disclosures recognised as disclosures: {named}/{len(disclosures)}")
    timings = latencies_ns(detector, examples, runs)
    median = percentile(timings, 0.5)
    met &= median <= MEDIAN_NS
    log(
        f"  time per text over {runs} runs ({len(timings)} calls): median "
        f"{median / 1000:.1f} us, p95 {percentile(timings, 0.95) / 1000:.1f} us, "
        f"max {max(timings) / 1000:.1f} us"
    )
    log(f"  targets: {'met' if met else 'MISSED'}")
    if misses:
        for e, a in r.misses:
            log(f"    line {e.line}: {e.label} -> {a.category.value} ({a.rule}): {e.text}")
    return met


def long_texts(detector: Detector, runs: int) -> None:
    """Median time for a 4,000-character everyday text, and one ending in a threat."""
    texts = {
        "neutral": ordinary_text(4000),
        "threat at the end": ordinary_text(
            4000, "if you tell anyone i will find you and hurt you."
        ),
    }
    parts: list[str] = []
    for name, text in texts.items():
        answer = detector.score(text, "en")
        timings: list[int] = []
        for _ in range(runs * 5):
            start = time.perf_counter_ns()
            detector.score(text, "en")
            timings.append(time.perf_counter_ns() - start)
        parts.append(f"{name} {percentile(timings, 0.5) / 1000:.0f} us ({answer.category.value})")
    log(f"\n== long text (4,000 characters, en, median of {runs * 5} calls): {', '.join(parts)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--detector", default="combined")
    parser.add_argument("--misses", action="store_true", help="list the tuning set's misses")
    parser.add_argument("--tuning-only", action="store_true", help="leave the held-out set out")
    args = parser.parse_args()
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {0})

    log(f"Abuse detection: the {args.detector!r} detector on the tuning data and held-out set")
    machine()
    started = time.perf_counter()
    detector = load_detector(args.detector)
    log(f"  detector {args.detector!r} loaded in {(time.perf_counter() - started) * 1000:.0f} ms")
    tuning = load_tuning(SETS)
    for e in tuning:  # warm up
        detector.score(e.text, e.locale)

    report(f"tuning ({' + '.join(TUNING_FILES)})", detector, tuning, args.runs, args.misses)
    long_texts(detector, args.runs)
    if args.tuning_only:
        return
    if not all((SETS / name).exists() for name in HELDOUT_FILES):
        log("\n== heldout: not there yet; only the tuning set is reported ==")
        return
    try:
        heldout = load_files(HELDOUT_FILES, SETS)
    except SetError as exc:
        log(f"\n== heldout: cannot be read: {exc} ==")
        return
    report(f"heldout ({' + '.join(HELDOUT_FILES)})", detector, heldout, args.runs, misses=False)
    report("all", detector, tuning + heldout, args.runs, misses=False)


if __name__ == "__main__":
    main()
