"""The library's plays: queuing them as they happen, writing them to the plays file, the history
and play counts.

``record_play`` only queues the play in memory and returns at once; a background thread appends
it to the plays journal (fsynced) within ``flush_delay`` seconds, and ``flush()``, ``close()`` and
interpreter exit write what is left. The journal is folded into the plays file when it grows
large and at ``close()``; no other change of the library touches the plays file.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from mixtui.errors import BadInput, StoreError
from mixtui.models import Media
from mixtui.store.batching import FLUSH_DELAY, Flusher, PendingPlays, PlayRecord, SkipMark
from mixtui.store.library_tables import LibraryTables
from mixtui.store.models import Play, check_paging, timestamp
from mixtui.store.tables import PLAYS

log = logging.getLogger(__name__)

# Called with the ids of the plays each write put on disk.
FlushListener = Callable[[list[str]], None]


def _media_counts(raw: dict[str, Any]) -> Counter[str]:
    return Counter(document["media_id"] for document in raw.values())


class Plays:
    """Plays: queued in memory and written by the background flusher, read back merged with the queue."""

    def __init__(self, tables: LibraryTables, *, flush_delay: float = FLUSH_DELAY) -> None:
        self._tables = tables
        self._pending = PendingPlays()
        self._flusher = Flusher(self.flush, flush_delay)
        self._flush_listeners: list[FlushListener] = []

    def add_flush_listener(self, listener: FlushListener) -> None:
        """``listener(play_ids)`` runs after each write that put those plays on disk."""
        self._flush_listeners.append(listener)

    def flush(self) -> None:
        """Write queued plays now; when it returns they are on disk (in the plays journal)."""
        ops = self._pending.take()
        if not ops:
            return
        try:
            added = self._tables.append_plays(ops)
        except BaseException:
            self._pending.put_back(ops)
            raise
        if added:
            for listener in list(self._flush_listeners):
                listener(added)

    def close(self) -> None:
        """Stop the background writer and write what is queued, folding the plays journal into
        the plays file; raises when plays could not be recorded."""
        self._flusher.stop()
        if not (self._tables.journaled or len(self._pending) or self._tables.plays_journal_path.exists()):
            return
        try:
            self.flush()
            self._tables.fold_plays()
        except StoreError as error:
            lost = sum(isinstance(op, PlayRecord) for op in self._pending.snapshot())
            if lost:  # plays that reached no file at all
                plays = f"{lost} play{'s' if lost > 1 else ''} could not be recorded"
                raise type(error)(f"{plays}: {error.message}", hint=error.hint) from None
            if len(self._pending):
                raise
            # Every play is in the journal (fsynced): it is read back and folded in later.
            log.warning("the plays journal was not folded into the plays file of %s: %s", self._tables.path, error)
            self._tables.notice(
                f"the plays are saved in {self._tables.plays_journal_path}; they go into the plays file "
                f"later ({error.message})"
            )

    def queued_count(self) -> int:
        """Plays recorded but not written yet."""
        return sum(isinstance(op, PlayRecord) for op in self._pending.snapshot())

    def record_play(self, media: Media, started_at: datetime, playlist_id: str | None, skipped: bool = False) -> str:
        """Queue a play and return its id at once; it is on disk within ``flush_delay`` + one write."""
        if not isinstance(media, Media):
            raise BadInput(f"a play needs a Media, not {type(media).__name__}")
        if not isinstance(started_at, datetime):
            raise BadInput(f"a play needs its start time as a datetime, not {type(started_at).__name__}")
        self._tables.check_open()
        play_id = secrets.token_hex(8)
        record = PlayRecord(play_id, media.to_json(), timestamp(started_at), playlist_id, bool(skipped))
        self._pending.add(record)
        self._flusher.wake()
        return play_id

    def mark_skipped(self, play_id: str) -> None:
        """The user skipped the track of a play already reported (queued like the play itself)."""
        self._tables.check_open()
        self._pending.add(SkipMark(str(play_id)))
        self._flusher.wake()

    def history(self, page: int = 1, per_page: int = 50) -> list[Play]:
        """Plays, newest first."""
        check_paging(page, per_page)
        wanted = page * per_page
        with self._tables.reading(plays=True):
            media_docs = self._tables.plays.media_docs()
            raw = self._tables.plays.raw(PLAYS)
            pending, skipped = self._pending_plays()
            # The newest stored plays, then the queued ones (newer keys), merged by time.
            rows = [(raw[key], int(key)) for key in self._stored_order()[:wanted]]
            rows += [(doc, len(raw) + 1_000_000_000 + n) for n, doc in enumerate(pending)]
            rows.sort(key=lambda row: (row[0]["played_at"], row[1]), reverse=True)
            result: list[Play] = []
            for document, _ in rows[(page - 1) * per_page : wanted]:
                media = document.get("media") or media_docs.get(document["media_id"])
                if media is None:
                    continue
                result.append(
                    Play(
                        id=document["id"],
                        media=Media.model_validate(media),
                        played_at=datetime.fromisoformat(document["played_at"]),
                        playlist_id=document.get("playlist_id"),
                        skipped=bool(document.get("skipped")) or document["id"] in skipped,
                    )
                )
            return result

    def played_media_ids(self, playlist_id: str) -> set[str]:
        """Ids of the tracks already played in a playlist."""
        with self._tables.reading(plays=True):
            played = set(self._played_by_playlist().get(playlist_id, ()))
            pending, _ = self._pending_plays()
        played.update(doc["media_id"] for doc in pending if doc["playlist_id"] == playlist_id)
        return played

    def play_counts(self) -> dict[str, int]:
        """Plays per media id."""
        with self._tables.reading(plays=True):
            counts = Counter(self._tables.plays.derive("media_counts", PLAYS, _media_counts))
            pending, _ = self._pending_plays()
        counts.update(doc["media_id"] for doc in pending)
        return dict(counts)

    def playlist_play_counts(self) -> dict[str, int]:
        """Plays per playlist id (what ``:popular`` sorts by)."""
        with self._tables.reading(plays=True):
            return dict(self.playlist_stats()[0])

    def play_total(self) -> int:
        with self._tables.reading(plays=True):
            return len(self._tables.plays.raw(PLAYS)) + self.queued_count()

    def _pending_plays(self) -> tuple[list[dict[str, Any]], set[str]]:
        """Queued plays as documents (with their Media) and the ids of queued skip marks."""
        documents: list[dict[str, Any]] = []
        skipped: set[str] = set()
        for op in self._pending.snapshot():
            if isinstance(op, PlayRecord):
                documents.append(
                    {
                        "id": op.play_id,
                        "media_id": op.media["id"],
                        "media": op.media,
                        "played_at": op.played_at,
                        "playlist_id": op.playlist_id,
                        "skipped": op.skipped,
                    }
                )
            else:
                skipped.add(op.play_id)
        return documents, skipped

    def _stored_order(self) -> list[str]:
        """Keys of the stored plays, newest first (rebuilt when the plays table changes)."""

        def build(raw: dict[str, Any]) -> list[str]:
            return sorted(raw, key=lambda key: (raw[key]["played_at"], int(key)), reverse=True)

        return self._tables.plays.derive("play_order", PLAYS, build)

    def _played_by_playlist(self) -> dict[str, set[str]]:
        def build(raw: dict[str, Any]) -> dict[str, set[str]]:
            played: dict[str, set[str]] = {}
            for document in raw.values():
                playlist_id = document.get("playlist_id")
                if playlist_id:
                    played.setdefault(playlist_id, set()).add(document["media_id"])
            return played

        return self._tables.plays.derive("played_by_playlist", PLAYS, build)

    def playlist_stats(self) -> tuple[Counter[str], dict[str, datetime]]:
        """Plays and the last play time per playlist id (inside ``reading(plays=True)``)."""

        def build(raw: dict[str, Any]) -> tuple[Counter[str], dict[str, str]]:
            counts: Counter[str] = Counter()
            last: dict[str, str] = {}
            for document in raw.values():
                playlist_id = document.get("playlist_id")
                if playlist_id:
                    counts[playlist_id] += 1
                    if document["played_at"] > last.get(playlist_id, ""):
                        last[playlist_id] = document["played_at"]
            return counts, last

        counts, last = self._tables.plays.derive("playlist_stats", PLAYS, build)
        counts = Counter(counts)
        last = dict(last)
        for op in self._pending.snapshot():
            if isinstance(op, PlayRecord) and op.playlist_id:
                counts[op.playlist_id] += 1
                last[op.playlist_id] = max(last.get(op.playlist_id, ""), op.played_at)
        return counts, {key: datetime.fromisoformat(value) for key, value in last.items()}
