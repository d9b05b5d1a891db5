"""A play session as JSON, to pick up where the user left off after a restart.

Pure (no I/O): the app keeps the JSON in its state file (:mod:`mixtui.store.state_file`).
What is kept: every queue entry (its Media as the Mixider API's JSON, the library playlist it
came from, where it came from — "search 'moon river'", the user's queue — and how it went),
the current entry and its position, whether its play was already reported (so a restart
never reports it twice), the tracks already played, the volume and the play modes (shuffle
with the order to go back to, repeat). Stream
URLs are never kept: they are resolved again when the track plays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from mixtui.errors import BadInput, MixtuiError
from mixtui.models import Media
from mixtui.player.session import MAX_VOLUME, EntryStatus, PlaySession, QueueEntry, RepeatMode

SESSION_VERSION = 1


@dataclass
class Resumed:
    """A saved session, ready to play again: the queue with its cursor on the saved track."""

    session: PlaySession
    # Where the saved track was (seconds), and whether its play was reported already.
    position: float
    reported: bool
    play_id: str | None
    # Where the list being played came from ("search 'moon river'").
    origin: str | None

    @property
    def current(self) -> Media | None:
        return self.session.current


def snapshot(session: PlaySession, *, origin: str | None = None) -> dict[str, Any]:
    """``session`` as JSON; ``origin``: where the list being played came from."""
    play = session.current_play
    positions = {id(entry): number for number, entry in enumerate(session.entries)}
    return {
        "version": SESSION_VERSION,
        "entries": [_entry_json(entry) for entry in session.entries],
        "index": session.index,
        "position": round(session.position or 0.0, 3) if session.current_entry is not None else 0.0,
        "reported": bool(play and play.reported),
        "play_id": play.play_id if play else None,
        "previously_played": sorted(session.previously_played),
        "volume": session.volume,
        "origin": origin,
        "shuffle": session.shuffle,
        "repeat": session.repeat.value,
        # While shuffled: the order before, as entry numbers (turning shuffle off goes back to it).
        "unshuffled": [positions[id(entry)] for entry in session.unshuffled if id(entry) in positions],
    }


def restore(data: Any) -> Resumed:
    """The session saved by :func:`snapshot`; BadInput naming what is wrong when it does not fit."""
    if not isinstance(data, dict):
        raise BadInput("the saved session is not a JSON object")
    version = data.get("version")
    if version != SESSION_VERSION:
        raise BadInput(f"the saved session has version {version!r}, not {SESSION_VERSION}")
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        raise BadInput("the saved session has no list of entries")
    entries = [_entry(raw, number) for number, raw in enumerate(raw_entries, 1)]
    index = data.get("index", -1)
    if not isinstance(index, int) or isinstance(index, bool) or not -1 <= index <= len(entries):
        raise BadInput(f"the saved session's track number {index!r} is not in its queue of {len(entries)}")
    played = data.get("previously_played", [])
    if not isinstance(played, list) or not all(isinstance(media_id, str) for media_id in played):
        raise BadInput("the saved session's played tracks are not a list of ids")
    try:
        repeat = RepeatMode(data.get("repeat", "off"))
    except ValueError:
        raise BadInput(f"the saved session's repeat mode {data.get('repeat')!r} is not off, all or one") from None
    order = data.get("unshuffled", [])
    if not isinstance(order, list) or not all(
        isinstance(number, int) and not isinstance(number, bool) and 0 <= number < len(entries) for number in order
    ):
        raise BadInput("the saved session's order before shuffling is not a list of its entries")
    session = PlaySession(entries=entries, previously_played=set(played), index=index, repeat=repeat)
    session.shuffle = data.get("shuffle") is True
    session.unshuffled = [entries[number] for number in dict.fromkeys(order)] if session.shuffle else []
    session.clamp_volume(_number(data.get("volume", 100.0), "volume", 0.0, MAX_VOLUME))
    if session.current_entry is not None and session.current_entry.status is EntryStatus.PLAYING:
        session.current_entry.status = EntryStatus.PENDING  # playing again once the player loads it
    return Resumed(
        session=session,
        position=_number(data.get("position", 0.0), "position", 0.0, math.inf),
        reported=data.get("reported") is True,
        play_id=_optional_text(data.get("play_id"), "play id"),
        origin=_optional_text(data.get("origin"), "origin"),
    )


def _entry_json(entry: QueueEntry) -> dict[str, Any]:
    return {
        "media": entry.media.to_json(),
        "playlist_id": entry.playlist_id,
        "origin": entry.origin,
        "queued": entry.queued,
        "status": entry.status.value,
        "failure": entry.failure,
    }


def _entry(raw: Any, number: int) -> QueueEntry:
    if not isinstance(raw, dict):
        raise BadInput(f"entry {number} of the saved session is not a JSON object")
    try:
        media = Media.from_json(raw.get("media"))
    except MixtuiError as error:
        raise BadInput(f"entry {number} of the saved session: {error.message}") from None
    try:
        status = EntryStatus(raw.get("status", "pending"))
    except ValueError:
        raise BadInput(f"entry {number} of the saved session has an unknown status {raw.get('status')!r}") from None
    return QueueEntry(
        media,
        playlist_id=_optional_text(raw.get("playlist_id"), f"entry {number}'s playlist"),
        status=status,
        failure=_optional_text(raw.get("failure"), f"entry {number}'s failure"),
        origin=_optional_text(raw.get("origin"), f"entry {number}'s origin"),
        queued=raw.get("queued") is True,
    )


def _optional_text(value: Any, what: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise BadInput(f"the saved session's {what} is not text")


def _number(value: Any, what: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadInput(f"the saved session's {what} is not a number")
    return max(low, min(high, float(value)))
