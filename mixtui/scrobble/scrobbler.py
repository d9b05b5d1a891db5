"""The scrobbler: follows the one player's events, queues listens in the library, sends them.

:class:`Scrobbler` is a player listener (``player.subscribe(scrobbler.on_event)``), so it runs on
the player's loop and never drives the player. When a track starts it tells each service "now
playing" (best effort, never queued); while it plays, it adds up the listened time
(:mod:`mixtui.scrobble.rules`), and the moment a service's rule is met it queues one listen for
that service in the library. A :class:`Sender` per service then sends the queue in batches:
after a failure (offline, 5xx, 429) it waits with exponential backoff (and at least what the
service asked for) and tries again; refused credentials stop that service, said once, and its
listens stay queued for the next login.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from mixtui.errors import MixtuiError, PlatformAuthError, RateLimited, StoreError
from mixtui.player.events import PlayerEvent, PositionChanged, SessionFinished, TrackEnded, TrackFailed, TrackStarted
from mixtui.scrobble import SERVICE_NAMES
from mixtui.scrobble.rules import ListenedTime, ListenRule, Track, track_of
from mixtui.store.scrobbles import QueuedListen, new_owner

if TYPE_CHECKING:
    import httpx

    from mixtui.config import Settings
    from mixtui.models import Media

log = logging.getLogger(__name__)

MIN_BACKOFF_SECONDS = 5.0
MAX_BACKOFF_SECONDS = 600.0
# How long closing waits for listens being written and a batch being sent.
CLOSE_TIMEOUT_SECONDS = 3.0

Notice = Callable[[str], None]


class ScrobbleService(Protocol):
    name: str
    title: str
    rule: ListenRule
    batch_size: int

    async def now_playing(self, track: Track) -> None: ...

    async def submit(self, listens: Sequence[QueuedListen]) -> dict[str, str]: ...


class ListenQueue(Protocol):
    """The library's scrobble queue (``Store.scrobbles`` has this shape)."""

    def add(self, listens: Sequence[tuple[str, int, dict[str, object]]]) -> list[str]: ...

    def claim(self, service: str, owner: str, limit: int) -> list[QueuedListen]: ...

    def mark_sent(self, service: str, listen_ids: Sequence[str]) -> int: ...

    def mark_failed(self, service: str, reasons: dict[str, str]) -> int: ...

    def release(self, service: str, owner: str, listen_ids: Sequence[str], error: str) -> int: ...


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    error: str | None = None


class Sender:
    """Sends one service's queued listens, in batches, with backoff; stops on refused credentials."""

    def __init__(
        self,
        service: ScrobbleService,
        queue: ListenQueue,
        notice: Notice,
        *,
        min_backoff: float = MIN_BACKOFF_SECONDS,
        max_backoff: float = MAX_BACKOFF_SECONDS,
    ) -> None:
        self.service = service
        self.queue = queue
        self.notice = notice
        self.owner = new_owner()
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.enabled = True
        # Why the service was stopped (its credentials were refused), once it was.
        self.stopped: str | None = None
        self.failures = 0
        self.report = SendReport()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # Set while no batch is on the wire (sent and its answer not yet written to the queue).
        self._idle = asyncio.Event()
        self._idle.set()
        self._closing = False

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"mixtui-scrobble-{self.service.name}")
            self.wake()

    def wake(self) -> None:
        self._wake.set()

    async def aclose(self, timeout: float = CLOSE_TIMEOUT_SECONDS) -> None:
        """Stop sending; a batch on the wire gets ``timeout`` to be answered and written down
        (so it is not sent again next time), then whatever is left is given back to the queue."""
        task, self._task = self._task, None
        self._closing = True
        if task is not None:
            if not self._idle.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._idle.wait(), timeout)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self.enabled and self.stopped is None:
                try:
                    await self.drain()
                except (MixtuiError, OSError) as error:
                    await asyncio.sleep(self._backoff(error))
                    continue
                break

    def _backoff(self, error: Exception) -> float:
        self.failures += 1
        delay: float = min(self.max_backoff, self.min_backoff * 2.0 ** (self.failures - 1)) * random.uniform(0.8, 1.2)
        if isinstance(error, RateLimited) and error.retry_after is not None:
            delay = max(delay, float(error.retry_after))
        if self.failures == 1:
            log.warning("%s: %s; listens stay queued, retrying with backoff", self.service.title, error)
        else:
            log.info("%s still failing (%s); next try in %.0f s", self.service.title, error, delay)
        return delay

    async def drain(self) -> SendReport:
        """Send every sendable listen now; raises the first failure (claims are given back)."""
        while not self._closing:
            self._idle.clear()
            try:
                more = await self._send_batch()
            finally:
                self._idle.set()
            if not more:
                break
        return self.report

    async def _send_batch(self) -> bool:
        """Claim, send and write down one batch; whether there may be more to send."""
        service, queue = self.service, self.queue
        batch = await asyncio.to_thread(queue.claim, service.name, self.owner, service.batch_size)
        if not batch:
            self.failures = 0
            return False
        ids = [listen.id for listen in batch]
        try:
            refused = await service.submit(batch)
        except PlatformAuthError as error:
            await asyncio.to_thread(queue.release, service.name, self.owner, ids, error.message)
            self._stop(error)
            self.report.error = error.message
            return False
        except asyncio.CancelledError:
            # Closed while the service did not answer: the batch goes back to the queue (the
            # service may have it; the same listens sent again are recognised as the ones it has).
            with contextlib.suppress(MixtuiError):
                queue.release(service.name, self.owner, ids, "interrupted")
            raise
        except (MixtuiError, OSError) as error:
            self.report.error = str(error)
            await asyncio.to_thread(queue.release, service.name, self.owner, ids, str(error))
            raise
        accepted = [listen_id for listen_id in ids if listen_id not in refused]
        if accepted:
            self.report.sent += await asyncio.to_thread(queue.mark_sent, service.name, accepted)
        if refused:
            self.report.failed += await asyncio.to_thread(queue.mark_failed, service.name, refused)
            log.warning("%s refused %d listen(s): %s", service.title, len(refused), next(iter(refused.values())))
        self.report.error = None
        return True

    def _stop(self, error: PlatformAuthError) -> None:
        if self.stopped is not None:
            return
        self.stopped = error.message
        log.warning("%s stopped: %s", self.service.title, error.message)
        self.notice(
            f"{self.service.title} refused the credentials ({error.message}); scrobbling to it is stopped and "
            f"listens are kept until you log in again: mixtui scrobble login {self.service.name}"
        )


@dataclass
class _Play:
    media: Media
    started_at: int
    listened: ListenedTime = field(default_factory=ListenedTime)
    duration: float | None = None
    queued: set[str] = field(default_factory=set)


class Scrobbler:
    """Now playing and listens for every configured service; a listener of the one player."""

    def __init__(
        self,
        services: Sequence[ScrobbleService],
        queue: ListenQueue,
        *,
        notice: Notice | None = None,
        enabled: bool = True,
        max_length_seconds: float | None = None,
        clock: Callable[[], float] = time.time,
        min_backoff: float = MIN_BACKOFF_SECONDS,
        max_backoff: float = MAX_BACKOFF_SECONDS,
    ) -> None:
        self.queue = queue
        self.notice = notice or (lambda text: log.warning("%s", text))
        self.enabled = enabled
        self.max_length_seconds = max_length_seconds
        self.clock = clock
        self.senders = {
            service.name: Sender(service, queue, self._notice_once, min_backoff=min_backoff, max_backoff=max_backoff)
            for service in services
        }
        self._play: _Play | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._said: set[str] = set()
        self._started = False

    @property
    def service_names(self) -> list[str]:
        return list(self.senders)

    def start(self) -> None:
        """Start the senders (on the running loop); what earlier runs left queued goes out now."""
        if not self._started:
            self._started = True
            for sender in self.senders.values():
                sender.start()

    def apply_settings(self, settings: Settings) -> None:
        """The switches of ``[scrobble]`` take effect at once."""
        section = settings.scrobble
        self.enabled = section.enabled
        self.max_length_seconds = None if section.long_tracks else section.max_length_minutes * 60.0
        for name, sender in self.senders.items():
            sender.enabled = bool(getattr(section, name).enabled)
            if sender.enabled:
                sender.wake()

    # -- the player's events ------------------------------------------------------------------------
    def on_event(self, event: PlayerEvent) -> None:
        if isinstance(event, TrackStarted):
            self._play = _Play(event.media, int(self.clock()), duration=event.media.duration)
            if self._active(self._play):
                track = track_of(event.media)
                for sender in self._active_senders():
                    self._spawn(self._now_playing(sender, track))
        elif isinstance(event, PositionChanged):
            play = self._play
            if play is None or event.media.id != play.media.id:
                return
            play.listened.position(event.position)
            if event.duration:
                play.duration = event.duration
            self._maybe_queue(play)
        elif isinstance(event, TrackEnded | TrackFailed | SessionFinished):
            self._play = None

    def _active(self, play: _Play) -> bool:
        if not self.enabled:
            return False
        too_long = self.max_length_seconds is not None and (play.duration or 0) > self.max_length_seconds
        return not too_long

    def _active_senders(self) -> list[Sender]:
        return [sender for sender in self.senders.values() if sender.enabled and sender.stopped is None]

    def _maybe_queue(self, play: _Play) -> None:
        if not self._active(play):
            return
        due = [
            sender
            for sender in self.senders.values()
            if sender.enabled
            and sender.service.name not in play.queued
            and sender.service.rule.qualifies(play.listened.seconds, play.duration)
        ]
        if not due:
            return
        track = track_of(play.media, play.duration).to_json()
        entries = [(sender.service.name, play.started_at, track) for sender in due]
        play.queued.update(sender.service.name for sender in due)
        self._spawn(self._queue(entries, due))

    async def _queue(self, entries: list[tuple[str, int, dict[str, object]]], senders: list[Sender]) -> None:
        try:
            await asyncio.to_thread(self.queue.add, entries)
        except StoreError as error:
            self._notice_once(f"a listen could not be kept in the library: {error.message}")
            return
        for sender in senders:
            sender.wake()

    async def _now_playing(self, sender: Sender, track: Track) -> None:
        try:
            await sender.service.now_playing(track)
        except PlatformAuthError as error:
            sender._stop(error)
        except (MixtuiError, OSError) as error:
            log.info("%s: now playing not sent: %s", sender.service.title, error)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _notice_once(self, text: str) -> None:
        if text not in self._said:
            self._said.add(text)
            self.notice(text)

    # -- sending now, closing -----------------------------------------------------------------------
    async def flush(self) -> dict[str, SendReport]:
        """Send what is queued for every enabled service now (one try each); the outcome per service."""
        await self._settle()
        reports: dict[str, SendReport] = {}
        for name, sender in self.senders.items():
            if not sender.enabled:
                continue
            try:
                reports[name] = await sender.drain()
            except (MixtuiError, OSError) as error:
                sender.report.error = str(error)
                reports[name] = sender.report
        return reports

    async def _settle(self, timeout: float = CLOSE_TIMEOUT_SECONDS) -> None:
        """Wait (bounded) for listens being written to the library and now-playing calls."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)

    async def aclose(self) -> None:
        """Write the listens in flight to the library, then stop the senders (queued ones stay)."""
        await self._settle()
        for sender in self.senders.values():
            await sender.aclose()
        for task in list(self._tasks):
            task.cancel()


def configured_services(settings: Settings, http: httpx.AsyncClient, notice: Notice) -> list[ScrobbleService]:
    """A client for every service that has its credentials (a token file others can read is said)."""
    services: list[ScrobbleService] = []
    for name in SERVICE_NAMES:
        try:
            service = _service(name, settings, http)
        except MixtuiError as error:
            notice(str(error))
            continue
        if service is not None:
            services.append(service)
    return services


def build_scrobbler(
    settings: Settings, queue: ListenQueue, http: httpx.AsyncClient, *, notice: Notice | None = None
) -> Scrobbler:
    """A started scrobbler for every service that has its credentials (none: it only keeps quiet).

    Call on the loop the player runs on; subscribe ``scrobbler.on_event`` to the player and close
    the scrobbler before the library.
    """
    say = notice or (lambda text: log.warning("%s", text))
    scrobbler = Scrobbler(configured_services(settings, http, say), queue, notice=notice)
    scrobbler.apply_settings(settings)
    scrobbler.start()
    return scrobbler


def _service(name: str, settings: Settings, http: httpx.AsyncClient) -> ScrobbleService | None:
    from mixtui.scrobble import credentials

    if name == "listenbrainz":
        token = credentials.listenbrainz_token(settings)
        return credentials.listenbrainz_client(settings, http, token.value) if token else None
    session = credentials.lastfm_session(settings)
    if session is None:
        return None
    return credentials.lastfm_client(settings, http, session.value)
