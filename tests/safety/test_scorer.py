"""The scorer process beside each app process (``safety.scorer``): it answers as the
detector does, and whenever it cannot answer (starting, dead, silent, turned off) the text is
scored in the app process instead, so no text goes unscored."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from socialode.config import Settings
from socialode.safety import scorer as scorer_module
from socialode.safety import scorer_process
from socialode.safety.assessment import Assessment, Category
from socialode.safety.scorer import Scorer
from socialode.safety.scorer_process import answer_all, serve

pytestmark = pytest.mark.once  # no database in here

TEXTS = [
    ("I know where you live and I will hurt you", "en"),
    ("nobody wants you here, just leave the group", "en"),
    ("people at school keep telling me to kill myself and I don't know what to do", "en"),
    ("are we still on for dinner tomorrow at 7?", "en"),
    ("sei onde moras e vais pagar", "pt_PT"),
    ("We walked along the river and talked about the summer. " * 60, "en"),
    ("", "en"),
]


async def ready(scorer: Scorer) -> Scorer:
    await scorer.start()
    for _ in range(500):
        if scorer.ready:
            return scorer
        await asyncio.sleep(0.02)
    raise AssertionError("the scorer process did not get ready in 10 s")


async def silent() -> Scorer:
    """A ready scorer whose process says it is ready and then never answers."""
    scorer = Scorer(Settings(abuse_scorer="process"))
    says_ready = "print(json.dumps('ready'), flush=True); time.sleep(30)"
    scorer.command = (sys.executable, "-c", f"import json, time; {says_ready}")
    return await ready(scorer)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()


async def test_the_scorer_process_answers_as_the_detector_does() -> None:
    scorer = await ready(Scorer(Settings(abuse_scorer="process")))
    try:
        assert scorer.pid is not None and scorer.pid != os.getpid()
        got = await asyncio.gather(*(scorer.score(text, locale) for text, locale in TEXTS * 3))
        expected = [scorer.detector.score(text, locale) for text, locale in TEXTS * 3]
        assert got == expected
        assert [a.category for a in got[:3]] == [
            Category.threat,
            Category.exclusion,
            Category.disclosure,
        ]
    finally:
        await scorer.close()


async def test_texts_asked_in_one_turn_go_down_the_pipe_in_one_write() -> None:
    """Many senders at once cost the event loop one write, not one each."""
    scorer = await ready(Scorer(Settings(abuse_scorer="process")))
    pipe = scorer._stdin
    assert pipe is not None
    writes: list[bytes] = []

    class Counting:
        def write(self, data: bytes) -> None:
            writes.append(data)
            pipe.write(data)

        def is_closing(self) -> bool:
            return pipe.is_closing()

        def close(self) -> None:
            pipe.close()

    scorer._stdin = Counting()  # type: ignore[assignment]
    try:
        got = await asyncio.gather(*(scorer.score(text, locale) for text, locale in TEXTS * 3))
        assert got == [scorer.detector.score(text, locale) for text, locale in TEXTS * 3]
        assert len(writes) == 1 and writes[0].count(b"\n") == len(TEXTS) * 3
        await scorer.score(TEXTS[0][0], "en")  # a later turn: a write of its own
        assert len(writes) == 2
    finally:
        await scorer.close()


async def test_closing_ends_the_scorer_process() -> None:
    scorer = await ready(Scorer(Settings(abuse_scorer="process")))
    pid = scorer.pid
    assert pid is not None and alive(pid)
    await scorer.close()
    assert scorer.pid is None and not scorer.ready
    for _ in range(100):
        if not alive(pid):
            break
        await asyncio.sleep(0.02)
    assert not alive(pid)
    # after closing, texts are still scored (here), and no process is started again
    assert (await scorer.score(TEXTS[0][0], "en")).category is Category.threat
    assert scorer.pid is None


async def test_inline_scores_in_the_app_process_and_starts_nothing() -> None:
    scorer = Scorer(Settings(abuse_scorer="inline"))
    await scorer.start()
    assert scorer.pid is None and not scorer.ready
    assert (await scorer.score(TEXTS[0][0], "en")).category is Category.threat


async def test_texts_are_scored_here_until_the_process_is_ready() -> None:
    scorer = Scorer(Settings(abuse_scorer="process"))
    scorer.command = (sys.executable, "-c", "import time; time.sleep(30)")  # never ready
    await scorer.start()
    try:
        assert scorer.pid is not None and not scorer.ready
        assert (await scorer.score(TEXTS[0][0], "en")).category is Category.threat
    finally:
        await scorer.close()


async def test_a_silent_process_is_waited_for_only_so_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scorer_module, "ANSWER_WITHIN", 0.2)
    scorer = await silent()
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        assert (await scorer.score(TEXTS[0][0], "en")).category is Category.threat
        assert loop.time() - started >= 0.2

        async def later(text: str, after: float) -> tuple[Category, float]:
            await asyncio.sleep(after)
            asked = loop.time()
            return (await scorer.score(text, "en")).category, loop.time() - asked

        # each text waits its own while, however many wait at once
        answers = await asyncio.gather(later(TEXTS[0][0], 0), later(TEXTS[1][0], 0.1))
        assert [category for category, _ in answers] == [Category.threat, Category.exclusion]
        assert all(waited >= 0.2 for _, waited in answers), answers
    finally:
        await scorer.close()


async def test_texts_waiting_when_it_closes_are_scored_here_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scorer_module, "ANSWER_WITHIN", 30.0)
    scorer = await silent()
    waiting = asyncio.ensure_future(scorer.score(TEXTS[0][0], "en"))
    await asyncio.sleep(0.05)  # written down the pipe, never answered
    assert not waiting.done()
    closing = asyncio.ensure_future(scorer.close())
    await asyncio.sleep(0.1)
    # answered here while the close still waits for the child (which ignores its input
    # ending and is killed after a second), not once it has gone
    assert waiting.done() and not closing.done()
    assert (await waiting).category is Category.threat
    await closing


async def test_when_the_process_dies_texts_are_scored_here_and_it_is_started_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scorer = await ready(Scorer(Settings(abuse_scorer="process")))
    try:
        first = scorer.pid
        assert first is not None
        monkeypatch.setattr(scorer_module, "RESTART_AFTER", 0.0)
        os.kill(first, 9)
        for _ in range(200):
            if scorer.pid is None:
                break
            await asyncio.sleep(0.01)
        assert scorer.pid is None and not scorer.ready
        # scored here at once, and a new process is started
        assert (await scorer.score(TEXTS[1][0], "en")).category is Category.exclusion
        await ready(scorer)
        assert scorer.pid not in (None, first)
        assert (await scorer.score(TEXTS[0][0], "en")).category is Category.threat
    finally:
        await scorer.close()


def test_the_process_skips_lines_it_cannot_read() -> None:
    lines = [
        b"not json\n",
        json.dumps([1, "en", TEXTS[0][0]]).encode() + b"\n",
        b'[2, "en"]\n',
        json.dumps([3, "en", TEXTS[3][0]]).encode() + b"\n",
    ]
    out = io.BytesIO()
    serve("combined", io.BytesIO(b"".join(lines)), out)
    said = [json.loads(line) for line in out.getvalue().splitlines()]
    assert said[0] == "ready"
    assert [answer[:2] for answer in said[1:]] == [[1, "threat"], [3, "none"]]


class Flushes(io.BytesIO):
    """The child's output, with each write it sends (each flush) kept apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[list[int | str]] = []
        self._sent = 0

    def flush(self) -> None:
        data = self.getvalue()[self._sent :]
        self._sent += len(data)
        said = [json.loads(line) for line in data.splitlines()]
        self.writes.append([one[0] if isinstance(one, list) else one for one in said])


def line(ident: int, text: str, locale: str = "en") -> bytes:
    return json.dumps([ident, locale, text]).encode() + b"\n"


def test_the_process_answers_lines_that_arrive_together_in_one_write() -> None:
    out = Flushes()
    lines = [line(n, text, locale) for n, (text, locale) in enumerate(TEXTS) if n != 5]
    # all at once, the last without its newline (input ended there)
    serve("combined", io.BytesIO(b"".join(lines).rstrip(b"\n")), out)
    assert out.writes == [["ready"], [0, 1, 2, 3, 4], [6]]


def test_short_texts_are_answered_before_a_long_one_that_came_first() -> None:
    """A long text takes the detector a millisecond or more: the messages that came with it
    do not wait for it, and its answer goes in a write of its own."""
    long_text = TEXTS[5][0]
    lines = [
        line(0, long_text),
        line(1, "see you at 7"),
        line(2, long_text + " Bye."),
        line(3, TEXTS[0][0]),
    ]
    out = Flushes()
    serve("combined", io.BytesIO(b"".join(lines)), out)
    assert out.writes == [["ready"], [1, 3], [0], [2]]
    said = {answer[0]: answer[1] for answer in map(json.loads, out.getvalue().splitlines()[1:])}
    assert said == {0: "none", 1: "none", 2: "none", 3: "threat"}


def test_a_long_text_looks_again_for_short_ones_that_arrived_meanwhile() -> None:
    read, write = os.pipe()
    long_text = TEXTS[5][0]

    class Slow:
        """Scores as the detector does; while on the first long text, a message arrives."""

        def __init__(self) -> None:
            self.detector = Scorer(Settings(abuse_scorer="inline")).detector
            self.seen: list[str] = []

        def score(self, text: str, locale: str) -> Assessment:
            self.seen.append(text)
            if text == long_text:
                os.write(write, line(9, "on my way"))
            return self.detector.score(text, locale)

    os.write(write, line(0, long_text) + line(1, long_text + " The end."))
    out = Flushes()
    with open(read, "rb") as source:
        thread = threading.Thread(target=answer_all, args=(Slow(), source, out))
        thread.start()
        for _ in range(200):
            if len(out.writes) == 4:
                break
            time.sleep(0.01)
        os.close(write)
        thread.join(5)
    assert out.writes == [["ready"], [0], [9], [1]]


def test_an_overdue_long_text_goes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """However many short texts keep coming, a long one waits only so long."""
    monkeypatch.setattr(scorer_process, "OVERDUE", 0.0)
    lines = [line(0, TEXTS[5][0]), line(1, "see you at 7"), line(2, "ok")]
    out = Flushes()
    serve("combined", io.BytesIO(b"".join(lines)), out)
    assert out.writes == [["ready"], [0, 1, 2]]


def test_auto_starts_a_process_only_with_more_than_one_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scorer_module, "usable_cores", lambda: 1)
    assert not Scorer(Settings()).process
    assert Scorer(Settings(abuse_scorer="process")).process
    monkeypatch.setattr(scorer_module, "usable_cores", lambda: 2)
    assert Scorer(Settings()).process
    assert not Scorer(Settings(abuse_scorer="inline")).process


async def test_a_scorer_never_started_starts_no_process() -> None:
    """An app run without its start-up (tests, scripts) scores in its own process."""
    scorer = Scorer(Settings(abuse_scorer="process"))
    assert (await scorer.score(TEXTS[0][0], "en")).category is Category.threat
    await asyncio.sleep(0.05)
    assert scorer.pid is None
