"""The library's scrobble queue: listens waiting for ListenBrainz or Last.fm, and what was sent.

A role of the Library built by composition: it is handed the library's tables and runs every change as
one of its transactions (thread lock, inter-process file lock, atomic file replace), so a listen
that :meth:`ScrobbleQueue.add` returned for is on disk and survives a crash or a restart.

Each listen is one document per service in the ``scrobbles`` table, moving through::

    queued ──claim──▶ sending ──mark_sent──▶ (removed; counted in scrobble_totals)
      ▲                  │ └────mark_failed─▶ failed (the service refused it for good)
      └─────release──────┘  (network down, 5xx, 429, the service stopped: tried again later)

``claim`` marks a batch as being sent by one owner (host, process, sender) before the request
goes out. Another process skips a claimed listen, so the app and ``mixtui play`` running at once
never send the same listen; a claim whose process has died (same host) or that is older than
``stale_after`` is taken over. A process killed after the service stored a batch but before
``mark_sent`` leaves that batch claimed: it is sent again, with the same ``listened_at`` and the
same metadata, which both services recognise as the listen they already have (see
:mod:`mixtui.scrobble`). Nothing is lost; the one batch in flight may be sent twice on the wire.

Documents (``scrobbles``)::

    {"id", "service", "state": "queued"|"sending"|"failed", "listened_at": <unix seconds>,
     "track": {artist, title, duration, origin_url, media_id, album}, "queued_at", "attempts",
     "claim": {"owner", "at"} | null, "error": <last reason> | null}

and one ``scrobble_totals`` document per service: ``{"service", "sent", "failed", "last_sent_at"}``.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mixtui.store.models import timestamp, utc_now
from mixtui.store.tables import SCROBBLE_TOTALS, SCROBBLES

if TYPE_CHECKING:
    from mixtui.store.library_tables import LibraryTables

# A claim older than this is abandoned (a request never takes this long: it has its own timeout).
CLAIM_STALE_SECONDS = 120.0

QUEUED = "queued"
SENDING = "sending"
FAILED = "failed"


@dataclass(frozen=True)
class QueuedListen:
    """One listen for one service, as the queue holds it."""

    id: str
    service: str
    listened_at: int
    track: dict[str, Any]
    attempts: int = 0


@dataclass(frozen=True)
class ServiceTotals:
    """What ``mixtui scrobble status`` shows for one service."""

    queued: int = 0
    sending: int = 0
    failed: int = 0
    sent: int = 0
    last_sent_at: str | None = None
    last_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "queued": self.queued,
            "sending": self.sending,
            "sent": self.sent,
            "failed": self.failed,
            "last_sent_at": self.last_sent_at,
            "last_error": self.last_error,
        }


def new_owner() -> str:
    """A claim owner: this host, this process, and a nonce for this sender."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def process_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there; rely on the claim's age instead
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def claim_abandoned(
    claim: Any, now: datetime, stale_after: float, alive: Callable[[int], bool] = process_alive
) -> bool:
    """True when a claim's owner can no longer finish: its process is gone, or it is too old."""
    if not isinstance(claim, dict):
        return True
    try:
        at = datetime.fromisoformat(str(claim.get("at")))
    except ValueError:
        return True
    if now - at > timedelta(seconds=stale_after):
        return True
    host, _, rest = str(claim.get("owner", "")).partition(":")
    pid_text = rest.partition(":")[0]
    if host == socket.gethostname() and pid_text.isdigit() and int(pid_text) != os.getpid():
        return not alive(int(pid_text))
    return False


class ScrobbleQueue:
    """Listens waiting to be sent, per service; every method is one library transaction."""

    def __init__(self, state: LibraryTables, *, stale_after: float = CLAIM_STALE_SECONDS) -> None:
        self._state = state
        self.stale_after = stale_after

    def add(self, listens: Iterable[tuple[str, int, dict[str, Any]]]) -> list[str]:
        """Queue ``(service, listened_at, track)`` listens; on disk when this returns.

        A listen already queued for the service (same time, artist and title) is not queued twice.
        """
        state = self._state
        added: list[str] = []
        with state.writing():
            known = {
                (doc["service"], doc["listened_at"], _identity(doc["track"]))
                for doc in state.main.raw(SCROBBLES).values()
                if doc.get("state") != FAILED
            }
            documents = []
            for service, listened_at, track in listens:
                key = (service, int(listened_at), _identity(track))
                if key in known:
                    continue
                known.add(key)
                listen_id = secrets.token_hex(8)
                documents.append(
                    {
                        "id": listen_id,
                        "service": service,
                        "state": QUEUED,
                        "listened_at": int(listened_at),
                        "track": dict(track),
                        "queued_at": timestamp(),
                        "attempts": 0,
                        "claim": None,
                        "error": None,
                    }
                )
                added.append(listen_id)
            if documents:
                state.main.table(SCROBBLES).insert_multiple(documents)
        return added

    def claim(self, service: str, owner: str, limit: int) -> list[QueuedListen]:
        """Mark up to ``limit`` of the oldest sendable listens as being sent by ``owner``; return them."""
        state = self._state
        now = utc_now()
        with state.writing():
            raw = state.main.raw(SCROBBLES)
            ready = [
                (key, doc)
                for key, doc in raw.items()
                if doc["service"] == service
                and (
                    doc["state"] == QUEUED
                    or (doc["state"] == SENDING and claim_abandoned(doc.get("claim"), now, self.stale_after))
                )
            ]
            ready.sort(key=lambda item: (item[1]["listened_at"], int(item[0])))
            chosen = ready[:limit]
            if chosen:
                claim = {"owner": owner, "at": timestamp(now)}
                state.main.table(SCROBBLES).update(
                    {"state": SENDING, "claim": claim}, doc_ids=[int(k) for k, _ in chosen]
                )
        return [
            QueuedListen(doc["id"], service, doc["listened_at"], doc["track"], int(doc.get("attempts") or 0))
            for _, doc in chosen
        ]

    def mark_sent(self, service: str, listen_ids: Iterable[str]) -> int:
        """The service accepted these listens: they leave the queue and count as sent."""
        wanted = set(listen_ids)
        state = self._state
        with state.writing():
            keys = [int(k) for k, doc in state.main.raw(SCROBBLES).items() if doc["id"] in wanted]
            if keys:
                state.main.table(SCROBBLES).remove(doc_ids=keys)
                self._count(service, sent=len(keys), last_sent_at=timestamp())
        return len(keys)

    def mark_failed(self, service: str, reasons: dict[str, str]) -> int:
        """The service refused these listens for good (invalid, too old): kept as failed, not retried."""
        state = self._state
        with state.writing():
            keys = [int(k) for k, doc in state.main.raw(SCROBBLES).items() if doc["id"] in reasons]
            table = state.main.table(SCROBBLES)
            raw = state.main.raw(SCROBBLES)
            for key in keys:
                document = raw[str(key)]
                table.update({"state": FAILED, "claim": None, "error": reasons[document["id"]][:300]}, doc_ids=[key])
            if keys:
                self._count(service, failed=len(keys))
        return len(keys)

    def release(self, service: str, owner: str, listen_ids: Iterable[str], error: str) -> int:
        """Sending failed for now: back in the queue (if ``owner`` still holds them), tried again later."""
        wanted = set(listen_ids)
        state = self._state
        with state.writing():
            raw = state.main.raw(SCROBBLES)
            keys = [
                int(k)
                for k, doc in raw.items()
                if doc["id"] in wanted and doc["state"] == SENDING and (doc.get("claim") or {}).get("owner") == owner
            ]
            table = state.main.table(SCROBBLES)
            for key in keys:
                attempts = int(raw[str(key)].get("attempts") or 0) + 1
                table.update(
                    {"state": QUEUED, "claim": None, "attempts": attempts, "error": error[:300]}, doc_ids=[key]
                )
        return len(keys)

    def retry_failed(self, service: str | None = None) -> int:
        """Put failed listens (of one service, or all) back in the queue."""
        state = self._state
        with state.writing():
            keys = [
                int(k)
                for k, doc in state.main.raw(SCROBBLES).items()
                if doc["state"] == FAILED and (service is None or doc["service"] == service)
            ]
            if keys:
                state.main.table(SCROBBLES).update({"state": QUEUED, "error": None}, doc_ids=keys)
        return len(keys)

    def pending(self, service: str) -> int:
        """Listens of ``service`` still to send (queued or being sent)."""
        with self._state.reading():
            return sum(
                1
                for doc in self._state.main.raw(SCROBBLES).values()
                if doc["service"] == service and doc["state"] in (QUEUED, SENDING)
            )

    def totals(self, services: Iterable[str]) -> dict[str, ServiceTotals]:
        """Queued, being sent, sent and failed listens of each service."""
        state = self._state
        result: dict[str, ServiceTotals] = {}
        with state.reading():
            listens = list(state.main.raw(SCROBBLES).values())
            counters = {doc["service"]: doc for doc in state.main.raw(SCROBBLE_TOTALS).values()}
        for service in services:
            mine = [doc for doc in listens if doc["service"] == service]
            errors = [doc for doc in mine if doc.get("error")]
            errors.sort(key=lambda doc: doc["queued_at"])
            counter = counters.get(service, {})
            result[service] = ServiceTotals(
                queued=sum(doc["state"] == QUEUED for doc in mine),
                sending=sum(doc["state"] == SENDING for doc in mine),
                failed=sum(doc["state"] == FAILED for doc in mine),
                sent=int(counter.get("sent") or 0),
                last_sent_at=counter.get("last_sent_at"),
                last_error=errors[-1]["error"] if errors else None,
            )
        return result

    def failed(self, service: str, limit: int = 20) -> list[tuple[QueuedListen, str]]:
        """The newest listens the service refused, with its reason."""
        with self._state.reading():
            raw = self._state.main.raw(SCROBBLES).values()
            docs = [d for d in raw if d["service"] == service and d["state"] == FAILED]
        docs.sort(key=lambda doc: doc["listened_at"], reverse=True)
        return [
            (
                QueuedListen(d["id"], service, d["listened_at"], d["track"], int(d.get("attempts") or 0)),
                d["error"] or "",
            )
            for d in docs[:limit]
        ]

    def _count(self, service: str, *, sent: int = 0, failed: int = 0, last_sent_at: str | None = None) -> None:
        """Add to the service's totals (inside a transaction)."""
        state = self._state
        table = state.main.table(SCROBBLE_TOTALS)
        for key, document in state.main.raw(SCROBBLE_TOTALS).items():
            if document.get("service") == service:
                fields: dict[str, Any] = {
                    "sent": int(document.get("sent") or 0) + sent,
                    "failed": int(document.get("failed") or 0) + failed,
                }
                if last_sent_at:
                    fields["last_sent_at"] = last_sent_at
                table.update(fields, doc_ids=[int(key)])
                return
        table.insert({"service": service, "sent": sent, "failed": failed, "last_sent_at": last_sent_at})


def _identity(track: dict[str, Any]) -> tuple[str, str]:
    return (str(track.get("artist", "")).casefold(), str(track.get("title", "")).casefold())
