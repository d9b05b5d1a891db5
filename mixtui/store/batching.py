"""Plays recorded in memory and written by a background thread within a bounded delay.

``record_play`` must never wait for the disk: it appends to :class:`PendingPlays` and wakes the
:class:`Flusher`, which waits ``delay`` seconds (so a burst becomes one write) and then calls the
store's flush. A failed flush is retried after a pause; ``close()`` stops the thread and leaves the
last flush to the store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

# Seconds between the first unsaved play and its write; with the write itself, well under 1 s.
FLUSH_DELAY = 0.2
# Seconds before retrying a flush that failed (disk full, lock held too long).
RETRY_DELAY = 1.0


@dataclass(frozen=True)
class PlayRecord:
    play_id: str
    media: dict[str, Any]
    played_at: str
    playlist_id: str | None
    skipped: bool


@dataclass(frozen=True)
class SkipMark:
    play_id: str


PendingOp = PlayRecord | SkipMark


class PendingPlays:
    """Thread-safe queue of unsaved play operations, in the order they happened."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ops: list[PendingOp] = []

    def add(self, op: PendingOp) -> None:
        with self._lock:
            self._ops.append(op)

    def take(self) -> list[PendingOp]:
        with self._lock:
            ops, self._ops = self._ops, []
        return ops

    def put_back(self, ops: list[PendingOp]) -> None:
        """Return a batch whose write failed, ahead of anything newer."""
        if ops:
            with self._lock:
                self._ops[:0] = ops

    def snapshot(self) -> list[PendingOp]:
        with self._lock:
            return list(self._ops)

    def __len__(self) -> int:
        with self._lock:
            return len(self._ops)


class Flusher:
    """A daemon thread that calls ``flush`` at most ``delay`` seconds after it is woken."""

    def __init__(self, flush: Callable[[], None], delay: float = FLUSH_DELAY) -> None:
        self._flush = flush
        self.delay = delay
        self._condition = threading.Condition()
        self._due: float | None = None
        self._stopping = False
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        with self._condition:
            if self._thread is None and not self._stopping:
                self._thread = threading.Thread(target=self._run, name="mixtui-store-flush", daemon=True)
                self._thread.start()
            if self._due is None:
                self._due = time.monotonic() + self.delay
                self._condition.notify()

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._stopping and (self._due is None or self._due > time.monotonic()):
                    timeout = None if self._due is None else self._due - time.monotonic()
                    self._condition.wait(timeout)
                if self._stopping:
                    return
                self._due = None
            try:
                self._flush()
            except Exception:
                log.exception("writing plays to the library failed; retrying in %.0f s", RETRY_DELAY)
                with self._condition:
                    if self._due is None:
                        self._due = time.monotonic() + RETRY_DELAY
