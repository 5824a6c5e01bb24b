"""What abuse scoring adds to a message send: the app with and without the detector.

Every send runs the abuse detector before anything is stored
(``conversations.actions.messages.check_send`` → ``safety.pause.check_words`` → the
configured detector's ``score``: ``combined``, rules and model, by default). Target: scoring
adds <= 1 ms to the median send.

Two servers, measured round-robin in the same run, each one uvicorn worker on core 0 as in
bench/sends.py, each with pairs of its own (seeded together through the app's actions):

- after:  ``socialode.asgi:app``, the app as `socialode serve` runs it;
- before: ``whatif_app:app`` with ``BENCH_SCORING=off``: the same app, with the detector that
  ``check_words`` uses replaced by one that returns the empty assessment at once.

Sends go as in bench/sends.py (``sends_run``): per pair one ``send`` frame at a time over the
sender's WebSocket, the next when the ack has reached the sender and the event the partner;
latency is from just before the frame is written until both have arrived. Scenarios
(``--pairs``, default ``1 20``): one pair (one send at a time: the send's service time) and
20 pairs sending at once (a loaded server). By default each pair sends its next message as
soon as the last arrived: with 20 pairs the server never rests, and a send's median is
mostly its wait in line (pairs divided by sends per second), so what it shows is the app's
CPU per send. ``--period MS`` instead has each pair send once every MS ms, from a start of
its own spread over the first period: below the server's limit, a send's latency is what a
person waits when that many others are sending too. The texts rotate message by message through
``TEXTS``: 36 short chat texts (8-230 characters) and four long ones (about 1,000, 2,000,
3,000 and 3,980 characters), each after a ``bench k00000123`` marker the receiver is matched
by. None reads as hurtful (checked before the run: a paused send would not be a send;
a disclosure is sent like any text).

The detector's own time comes last, in this process (core 1, servers idle): each text
(with a marker) scored ``--repeat`` times with ``detector_for(Settings()).score(text, "en")``,
the median per text; the mean over the rotation is what one send pays on average.

Each run waits (``--quiet-wait``) for an idle machine and repeats a run that others disturbed
by more than ``--max-other`` cores (``--attempts``); the report is the median over runs of
each run's p50 and p95.

    .venv/bin/python bench/sends_scoring.py                    # SQLite, then PostgreSQL + Redis
    .venv/bin/python bench/sends_scoring.py --backend sqlite --runs 3 --seconds 3 --pairs 1
    .venv/bin/python bench/sends_scoring.py --profile 5 --py-spy /tmp/tools/bin/py-spy
    .venv/bin/python bench/sends_scoring.py --score-times /tmp/score-times.txt  # in-server cost
    .venv/bin/python bench/sends_scoring.py --scorer instant --scorer-core 1  # the pipe alone
    .venv/bin/python bench/sends_scoring.py --scorer sleep --scorer-core 1  # the delay alone
    .venv/bin/python bench/sends_scoring.py --scorer-core 1 --loadgen-first  # as root
    .venv/bin/python bench/sends_scoring.py --period 100   # 20 pairs at 200 sends/s, not flat out
    .venv/bin/python bench/sends_scoring.py | tee bench/raw/sends-scoring.txt
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from _common import BENCH, Quiet, backend, log, stop_cleanly_on_sigterm
from _live import (
    LIVE_ENV,
    LiveServer,
    Table,
    app_server,
    app_socket,
    close_all,
    live_machine,
    open_many,
    percentile,
    pin_load_generator,
    pyspy_during,
    quiet_attempts,
    run_async,
    seed,
)
from sends import Pair, Run, Target, print_run, sends_run

TARGET_MS = 1.0
MARK = "bench k00000000 "  # what sends_run puts before each text (its k differs)

SHORT = (
    "hey",
    "ok!",
    "on my way",
    "see you at 7?",
    "haha yes exactly",
    "did you get home ok?",
    "thanks so much for yesterday",
    "running 10 min late, sorry",
    "can you send me the address again?",
    "happy birthday!! hope it's a lovely one",
    "I finished the book, the ending surprised me",
    "do you still want to go to the market on Saturday?",
    "that photo of the lake is beautiful, where was it?",
    "Mum says hi and asks whether you are coming for lunch on Sunday",
    "I'll bring the salad and some bread, you do dessert?",
    "the train is delayed again, I'll text when I'm close",
    "good luck with the interview tomorrow, you'll be great",
    "no worries at all, take your time",
    "just landed, the flight was fine",
    "lol I can't believe he actually said that",
    "what time does the film start?",
    "I'm making soup tonight if you want to come over",
    "sorry I missed your call, I was in a meeting",
    "the kids loved the game you gave them",
    "are you feeling better today?",
    "let's do coffee next week, Tuesday or Thursday works for me",
    "we're meeting at the café by the station, the one with the green door",
    "I found your scarf in my bag, I'll bring it on Friday",
    "the garden is full of tomatoes this year, do you want some?",
    "can we move our call to 4? something came up at work",
    "that's such good news, I'm really happy for you both",
    "yes! count me in",
    "I think the meeting notes are in the shared folder, under March",
    "see you soon x",
    "Remember the picnic last summer? We should go back to that spot before the weather "
    "turns. I can bring the blanket and a flask of tea, and you could bring the cards.",
    "Quick update: the plumber came, the leak is fixed, and the landlord agreed to pay for "
    "it. Thanks for the number, he was great and quick, and he even fixed the dripping tap.",
)
PARAGRAPHS = (
    "We finally made it to the coast on Friday evening, after a long drive with far too many "
    "roadworks. The cottage is small but lovely: a kitchen with a big wooden table, a garden "
    "that runs down to a stream, and a view of the hills from the bedroom window. ",
    "On Saturday we walked along the cliffs to the next village, about eleven kilometres. "
    "The weather kept changing, sun and then rain and then sun again, but nobody minded. We "
    "had lunch in a pub by the harbour and watched the boats come in with the tide. ",
    "The children spent most of Sunday on the beach building a castle with a moat, and then "
    "a second one when the sea took the first. I read half of the novel you lent me; I see "
    "why you liked it, the sister's letters near the middle are wonderful. ",
    "About next month: I checked the calendar and the second weekend works for all of us. If "
    "you still want to come, we could meet at the station on Friday and take the late train "
    "together. Let me know what you think, and whether Sam can come too. ",
    "Work has been busy, with the new project starting and two people away, but it is "
    "getting better. I have started cycling in on the days it does not rain, which helps, and "
    "I am sleeping better than I was in the spring. ",
)


def _long(chars: int) -> str:
    text = "".join(itertools.islice(itertools.cycle(PARAGRAPHS), chars // 150 + 2))
    return text[:chars].rsplit(" ", 1)[0] + "."


LONG = tuple(_long(n) for n in (1000, 2000, 3000, 3980))
TEXTS = SHORT + LONG


def check_texts() -> None:
    """Every text fits a message and is not paused, or the run would count refusals."""
    from socialode.config import Settings
    from socialode.safety.loading import detector_for

    detector = detector_for(Settings())
    for text in TEXTS:
        sent = MARK + text
        assert len(sent) <= Settings().message_max_chars, len(sent)
        assessment = detector.score(sent, "en")
        if assessment.hurtful:  # a disclosure is sent as any text (and offered help)
            raise SystemExit(f"{text[:60]!r} reads as {assessment}: choose another text")


def detector_times(repeat: int) -> list[float]:
    """Median ms per text of scoring it directly, each call with its own marker."""
    from socialode.config import Settings
    from socialode.safety.loading import detector_for

    detector = detector_for(Settings())
    out = []
    counter = itertools.count()
    for text in TEXTS:
        for _ in range(20):  # warm
            detector.score(f"bench k{next(counter):08d} {text}", "en")
        times = []
        for _ in range(repeat):
            sent = f"bench k{next(counter):08d} {text}"
            started = time.perf_counter()
            detector.score(sent, "en")
            times.append((time.perf_counter() - started) * 1000)
        out.append(statistics.median(times))
    return out


def after_server(env: dict[str, str], args: argparse.Namespace) -> tuple[LiveServer, str]:
    """The app with its own scorer (``--scorer``), as `socialode serve` runs it; through
    ``whatif_app`` when each ``score`` call is timed inside the server (``--score-times``:
    what scoring costs among the server's other work) or the scorer process is pinned to a
    core of its own (``--scorer-core``). Also the knobs, for the log."""
    knobs = {"SOCIALODE_ABUSE_SCORER": args.scorer}
    if args.scorer in ("instant", "spin", "sleep"):  # a stand-in: bench/_instant_scorer.py
        knobs = {"SOCIALODE_ABUSE_SCORER": "process", "BENCH_SCORER": args.scorer}
    if args.score_times:
        knobs |= {"BENCH_SCORING": "timed", "BENCH_SCORING_LOG": args.score_times}
    if args.scorer_core is not None:
        knobs["BENCH_SCORER_CORE"] = str(args.scorer_core)
    said = " ".join(f"{k}={v}" for k, v in knobs.items())
    if len(knobs) == 1:
        return app_server(env | knobs), said
    return LiveServer("whatif_app:app", env | knobs, app_dir=BENCH), said


def noscore_server(env: dict[str, str]) -> LiveServer:
    knobs = {"BENCH_SCORING": "off", "SOCIALODE_ABUSE_SCORER": "inline"}
    return LiveServer("whatif_app:app", env | knobs, app_dir=BENCH)


async def session(
    data: dict[str, Any], after: LiveServer, before: LiveServer, args: argparse.Namespace
) -> dict[int, list[Target]]:
    pairs = data["pairs"]
    most = max(args.pairs)
    sockets = []
    results: dict[int, list[Target]] = {}
    try:
        arms = []
        for label, server, mine in (
            ("before (no scoring)", before, pairs[:most]),
            ("after (scoring)", after, pairs[most:]),
        ):
            tokens = [p[side]["token"] for p in mine for side in ("a", "b")]
            opened = await open_many(
                len(tokens), server.port, lambda n, t=tokens: app_socket(t[n]), args.deflate
            )
            sockets += opened
            arms.append((label, server, mine, opened))
        counter = itertools.count(1)
        quiet = Quiet(args.quiet_wait, args.max_other, args.attempts)
        if args.loadgen_first:  # the servers and their scorer processes keep their own
            os.setpriority(os.PRIO_PROCESS, 0, -10)
        for count in args.pairs:
            targets = []
            for label, server, mine, opened in arms:
                target = Target(f"{label}, {count} pair{'s' if count > 1 else ''}", server)
                for n, pair in enumerate(mine[:count]):
                    frame = {"type": "send", "conversation_id": pair["conversation_id"]}
                    target.pairs.append(Pair(opened[2 * n], opened[2 * n + 1], frame))
                targets.append(target)
            for n in range(1, args.runs + 1):
                order = targets if n % 2 else targets[::-1]
                for target in order:
                    async for attempt in quiet_attempts(quiet):
                        run: Run = await sends_run(
                            target, args.warmup, args.seconds, counter, TEXTS, args.period / 1000
                        )
                        run.discarded = run.cpu.other > quiet.max_other and (
                            attempt < quiet.attempts
                        )
                        print_run(run, n)
                        if run.latencies_ms:
                            log(f"         p95 {percentile(run.latencies_ms, 95):7.2f} ms")
                        if not run.discarded:
                            target.runs.append(run)
                            break
            results[count] = targets
        if args.profile:
            for target in results[min(args.pairs)][::-1]:
                assert target.server is not None
                log(f"\npy-spy profile of {target.label}, {args.profile:g} s:")
                work = sends_run(target, 0.5, args.profile, counter, TEXTS, args.period / 1000)
                log(await pyspy_during(args.py_spy, target.server.pid, args.profile, work))
    finally:
        if args.loadgen_first:
            os.setpriority(os.PRIO_PROCESS, 0, 0)
        await close_all(sockets)
    return results


def bench_backend(name: str, args: argparse.Namespace) -> dict[int, list[Target]]:
    log(f"\n=== {name}: a fresh database")
    with backend(name, LIVE_ENV) as db, contextlib.ExitStack() as stack:
        env = db.env | LIVE_ENV
        (after_live, said), before_live = after_server(env, args), noscore_server(env)
        data = seed(env | {"SOCIALODE_BASE_URL": after_live.url}, "pairs", 2 * max(args.pairs))
        after = stack.enter_context(after_live.running())
        before = stack.enter_context(before_live.running())
        log(f"after:  {said} {' '.join(after.command())}")
        log(f"before: BENCH_SCORING=off SOCIALODE_ABUSE_SCORER=inline {' '.join(before.command())}")
        result: dict[int, list[Target]] = run_async(session(data, after, before, args))
    if args.score_times:
        lines = Path(args.score_times).read_text().splitlines()
        Path(args.score_times).write_text("")
        log(f"inside the server, every score call of the after arm: {lines[-1] if lines else '?'}")
    return result


def report(name: str, results: dict[int, list[Target]]) -> None:
    med = statistics.median
    table = Table(["what", "runs", "sends/s", "p50 ms", "p95 ms", "failed", "server ms/send"])
    verdicts = []
    for count, targets in results.items():
        got = {}
        for t in targets:
            runs = [r for r in t.runs if r.latencies_ms]
            if not runs:
                continue
            p50 = med(med(r.latencies_ms) for r in runs)
            p95 = med(percentile(r.latencies_ms, 95) for r in runs)
            cpu = med(1000 * r.cpu.server * r.cpu.wall / max(1, r.counted) for r in runs)
            got[t.label.split(" ", 1)[0]] = (p50, p95)
            table.add(
                t.label,
                len(runs),
                f"{med(r.per_second for r in runs):,.0f}",
                f"{p50:.2f}",
                f"{p95:.2f}",
                sum(r.failed for r in runs),
                f"{cpu:.3f}",
            )
        if len(got) == 2:
            d50 = got["after"][0] - got["before"][0]
            d95 = got["after"][1] - got["before"][1]
            table.add(f"difference, {count} pairs", "", "", f"{d50:+.2f}", f"{d95:+.2f}", "", "")
            paired = per_run_differences(targets)
            if paired:
                table.add(
                    "per run (after minus before, the same run)",
                    len(paired),
                    "",
                    f"{med(paired):+.2f} ({min(paired):+.2f} to {max(paired):+.2f})",
                    "",
                    "",
                    "",
                )
            verdict = "met" if d50 <= TARGET_MS else "MISSED"
            verdicts.append(f"  {count} pairs: median send +{d50:.2f} ms: {verdict}")
    log(f"\n{name}: medians over runs of each run's p50 / p95")
    log(table.render())
    log(f"target: scoring adds <= {TARGET_MS:g} ms to the median send")
    log("\n".join(verdicts))


def per_run_differences(targets: list[Target]) -> list[float]:
    """Each run's after p50 minus its before p50: the arms of one run were measured back to
    back, so these differences leave out what drifts between runs (a median of them is the
    sturdier figure when whole runs move by milliseconds)."""
    arms = {t.label.split(" ", 1)[0]: [r for r in t.runs if r.latencies_ms] for t in targets}
    after, before = arms.get("after", []), arms.get("before", [])
    if not after or len(after) != len(before):
        return []
    med = statistics.median
    return [med(a.latencies_ms) - med(b.latencies_ms) for a, b in zip(after, before, strict=True)]


def report_detector(times: list[float]) -> None:
    log(
        f"\ndetector alone (the configured detector's score, in process), "
        f"median of {len(TEXTS)} texts:"
    )
    short = times[: len(SHORT)]
    table = Table(["texts", "characters", "median ms per text", "max ms"])
    lengths = [len(MARK + t) for t in SHORT]
    table.add(
        f"{len(SHORT)} short",
        f"{min(lengths)}-{max(lengths)}",
        f"{statistics.median(short):.3f}",
        f"{max(short):.3f}",
    )
    for text, ms in zip(LONG, times[len(SHORT) :], strict=True):
        table.add("one long", len(MARK + text), f"{ms:.3f}", "")
    table.add("mean over the rotation", "", f"{statistics.fmean(times):.3f}", "")
    log(table.render())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=5, choices=range(1, 21))
    parser.add_argument("--seconds", type=float, default=5, help="the counted window per run")
    parser.add_argument("--warmup", type=float, default=1, help="sending before each window")
    parser.add_argument("--pairs", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--repeat", type=int, default=200, help="direct detector calls per text")
    parser.add_argument(
        "--deflate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="offer permessage-deflate as browsers do (default); --no-deflate to not",
    )
    parser.add_argument("--profile", type=float, default=0, help="py-spy each arm N seconds")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "/tmp/tools/bin/py-spy")
    parser.add_argument(
        "--score-times",
        default="",
        metavar="FILE",
        help="run the after arm with each score call timed inside the server, written to FILE",
    )
    parser.add_argument(
        "--scorer",
        choices=["process", "inline", "instant", "spin", "sleep"],
        default="process",
        help="the after arm's SOCIALODE_ABUSE_SCORER (the app's default: process); instant, "
        "spin, sleep: a stand-in scorer process that answers 'none' at once, or after spinning "
        "or sleeping about as long as the detector takes (bench/_instant_scorer.py)",
    )
    parser.add_argument(
        "--scorer-core",
        type=int,
        default=None,
        help="pin the after arm's scorer process to this core (default: the server's, core 0)",
    )
    parser.add_argument(
        "--period",
        type=float,
        default=0,
        metavar="MS",
        help="each pair sends once every MS ms, from a start of its own (default 0: the next "
        "as soon as the last arrived, which saturates the server with many pairs)",
    )
    parser.add_argument(
        "--loadgen-first",
        action="store_true",
        help="while measuring, run the load generator at nice -10 (root), so the scorer "
        "process pinned to its core never holds it up: clients on other machines would not "
        "wait for it",
    )
    parser.add_argument("--quiet-wait", type=float, default=60)
    parser.add_argument("--max-other", type=float, default=0.15)
    parser.add_argument("--attempts", type=int, default=3, choices=range(1, 11))
    args = parser.parse_args()
    if not 1 <= args.seconds <= 60 or not all(1 <= p <= 200 for p in args.pairs):
        parser.error("--seconds must be 1..60, --pairs 1..200")
    stop_cleanly_on_sigterm()
    pin_load_generator()
    log(f"sends with and without abuse scoring, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    live_machine()
    check_texts()
    log(
        f"  {len(TEXTS)} texts in rotation: {len(SHORT)} short, {len(LONG)} long "
        f"({', '.join(str(len(MARK + t)) for t in LONG)} characters)"
    )
    if args.loadgen_first:
        log("  the load generator runs at nice -10 while measuring (the servers at 0)")
    log(
        f"  each pair sends once every {args.period:g} ms"
        if args.period
        else "  each pair sends its next message as soon as the last arrived"
    )
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = {name: bench_backend(name, args) for name in names}
    for name, got in results.items():
        report(name, got)
    report_detector(detector_times(args.repeat))


if __name__ == "__main__":
    main()
