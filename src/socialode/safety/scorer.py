"""Scoring beside the event loop: one scorer process per app process.

Every send is scored before it is stored (``safety.pause``). Scored in the app process, the
detector's work runs on the event loop's core, and when many people send at once each send
waits behind the scoring of the sends ahead of it. ``Scorer`` hands each text to a child
process (``python -m socialode.safety.scorer_process``) that holds the same detector, over a pipe
(one line of JSON each way), so the loop only writes the text and reads the answer and the
detector runs on another core when the machine has one. Texts asked for in the same turn of
the loop go down the pipe in one write, and the child answers what arrived together in one
write too, so many people sending at once cost the loop a few system calls, not two each.

The answer is the detector's own, so a text reads the same either way. Whenever the child
cannot answer, the text is scored in the app process instead and nothing is lost: before the
child has loaded its detector, after it died (it is started again, at most once a
``RESTART_AFTER`` seconds), or when an answer takes longer than ``ANSWER_WITHIN`` seconds.
``SOCIALODE_ABUSE_SCORER`` chooses: ``auto`` (the default) starts the child when the app
process may use more than one core, ``process`` always, ``inline`` never. On one core the
child would only take turns with the event loop, and pay for the pipe besides
(bench/RESULTS.md, "Abuse scoring on a send").
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import time
from typing import cast

from socialode.config import Settings
from socialode.platform.services import Services
from socialode.safety.assessment import Assessment, Category
from socialode.safety.loading import detector_for
from socialode.safety.scorer_process import READY

log = logging.getLogger(__name__)

ANSWER_WITHIN = 2.0  # seconds; after that the text is scored in the app process
RESTART_AFTER = 30.0  # seconds between starts of a child that keeps dying


class _Pipe(asyncio.SubprocessProtocol):
    """The child's answers, one line of JSON each: ``[id, category, rule]``."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        self.buffer = b""

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        if fd != 1:
            return
        self.buffer += data
        if b"\n" not in data:
            return
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            self.scorer._answered(line)

    def process_exited(self) -> None:
        self.scorer._exited()


class Scorer:
    """Scores texts with the configured detector, in a child process when it can."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.detector = detector_for(settings)
        self.process = settings.abuse_scorer == "process" or (
            settings.abuse_scorer == "auto" and usable_cores() > 1
        )
        self._transport: asyncio.SubprocessTransport | None = None
        self._stdin: asyncio.WriteTransport | None = None
        self._ready = False
        self._started_at: float | None = None  # not started: scored here until ``start``
        self._next = 0
        # what waits for an answer, oldest first, with when to stop waiting for it
        self._waiting: dict[int, tuple[asyncio.Future[Assessment], float]] = {}
        self._watch: asyncio.TimerHandle | None = None  # at the oldest one's deadline
        self._lines: list[tuple[int, bytes]] = []  # written in one go, at the end of this turn
        self.command = (
            sys.executable,
            "-m",
            "socialode.safety.scorer_process",
            settings.abuse_detector,
        )

    @property
    def asked(self) -> int:
        """How many texts went to the scorer process so far."""
        return self._next

    @property
    def ready(self) -> bool:
        """Whether texts go to the child now."""
        return self._ready and self._stdin is not None and not self._stdin.is_closing()

    @property
    def pid(self) -> int | None:
        """The scorer process's id, while there is one."""
        return self._transport.get_pid() if self._transport is not None else None

    async def start(self) -> None:
        """Start the child (it answers once its detector is loaded; until then, and if it
        cannot be started, texts are scored here)."""
        if not self.process or self._transport is not None:
            return
        self._started_at = time.monotonic()
        loop = asyncio.get_running_loop()
        try:
            transport, _ = await loop.subprocess_exec(lambda: _Pipe(self), *self.command)
        except OSError as error:
            log.warning("abuse scorer process did not start (%s); scoring in process", error)
            return
        self._transport = transport
        # a write transport (uvloop's is not a subclass of asyncio's)
        self._stdin = cast(asyncio.WriteTransport, transport.get_pipe_transport(0))

    async def score(self, text: str, locale: str) -> Assessment:
        if not self.ready:
            self._restart_if_due()
            return self.detector.score(text, locale)
        ident = self._next = self._next + 1
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Assessment] = loop.create_future()
        self._waiting[ident] = (answer, loop.time() + ANSWER_WITHIN)
        if self._watch is None:
            self._watch = loop.call_at(loop.time() + ANSWER_WITHIN, self._expire)
        if not self._lines:
            loop.call_soon(self._write)
        self._lines.append((ident, json.dumps([ident, locale, text]).encode() + b"\n"))
        try:
            return await answer
        except (TimeoutError, ConnectionError):
            return self.detector.score(text, locale)
        finally:
            self._waiting.pop(ident, None)

    def _write(self) -> None:
        """Every text asked for in this turn of the loop, down the pipe in one write."""
        lines, self._lines = self._lines, []
        if self._stdin is not None and not self._stdin.is_closing():
            self._stdin.write(b"".join(line for _, line in lines))
            return
        self._give_up("the abuse scorer process is closing", [ident for ident, _ in lines])

    def _expire(self) -> None:
        """Stop waiting for answers that are overdue (they are scored here); watch the next."""
        self._watch = None
        if not self._waiting:
            return
        now = asyncio.get_running_loop().time()
        for answer, deadline in list(self._waiting.values()):
            if deadline > now:
                self._watch = asyncio.get_running_loop().call_at(deadline, self._expire)
                return
            _too_late(answer)

    def _answered(self, line: bytes) -> None:
        if line == READY:
            self._ready = True
            return
        try:
            ident, category, rule = json.loads(line)
            assessment = Assessment(Category(category), str(rule))
        except (ValueError, TypeError):
            log.warning("abuse scorer process answered %r", line[:200])
            return
        waiting = self._waiting.pop(ident, None)
        if waiting is not None and not waiting[0].done():
            waiting[0].set_result(assessment)

    def _exited(self) -> None:
        """The child is gone: what it was asked is scored here instead."""
        self._ready = False
        transport, self._transport, self._stdin = self._transport, None, None
        if transport is not None:
            transport.close()
        self._give_up("the abuse scorer process exited")

    def _give_up(self, why: str, idents: list[int] | None = None) -> None:
        """Stop waiting for these answers (all, by default): those texts are scored here."""
        for ident in list(self._waiting) if idents is None else idents:
            waiting = self._waiting.get(ident)
            if waiting is not None and not waiting[0].done():
                waiting[0].set_exception(ConnectionError(why))

    def _restart_if_due(self) -> None:
        if (
            self.process
            and self._transport is None
            and self._started_at is not None
            and time.monotonic() - self._started_at >= RESTART_AFTER
        ):
            self._started_at = time.monotonic()
            task = asyncio.get_running_loop().create_task(self.start())
            task.add_done_callback(lambda _: None)

    async def close(self) -> None:
        """End the child; texts still waiting for it are scored here at once."""
        self.process = False  # no restart
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        self._ready = False
        self._give_up("the abuse scorer process is closing")
        transport, self._transport = self._transport, None
        if transport is None:
            return
        if self._stdin is not None:
            self._stdin.close()  # the child ends when its input does
        for _ in range(50):
            if transport.get_returncode() is not None:
                break
            await asyncio.sleep(0.02)
        else:
            with contextlib.suppress(ProcessLookupError):
                transport.kill()
        transport.close()


def usable_cores() -> int:
    """How many cores this process may run on (a server pinned to one core has one: a scorer
    process would only take turns with it there, and it would inherit the pinning)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _too_late(answer: asyncio.Future[Assessment]) -> None:
    if not answer.done():
        answer.set_exception(TimeoutError("the abuse scorer process did not answer in time"))


def scorer_for(svc: Services) -> Scorer:
    """The app process's scorer (started with the app: ``start``)."""
    return svc.part("abuse_scorer", lambda: Scorer(svc.settings))
