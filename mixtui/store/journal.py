"""The plays journal: recent plays as JSON lines beside the library file, folded into it later.

Rewriting a 20 MB library to save one play takes about a second, so a recorded play is appended
(and fsynced) to ``<library>.journal`` instead; the library file is rewritten only when some other
change needs it, when the journal grows past a size, or when the store closes. Then the journal is
removed. Replaying is idempotent (a play whose id is already stored is skipped), so a crash between
the rewrite and the removal loses nothing and duplicates nothing.

One line per operation::

    {"op": "play", "id": …, "media": {seed Media}, "played_at": …, "playlist_id": …, "skipped": false}
    {"op": "skip", "id": <play id>}
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mixtui.store.batching import PendingOp, PlayRecord, SkipMark
from mixtui.store.storage import Tables, decode_tables
from mixtui.store.tables import MEDIA, PLAYS

log = logging.getLogger(__name__)


def entry_for(op: PendingOp) -> dict[str, Any]:
    if isinstance(op, PlayRecord):
        return {
            "op": "play",
            "id": op.play_id,
            "media": op.media,
            "played_at": op.played_at,
            "playlist_id": op.playlist_id,
            "skipped": op.skipped,
        }
    return {"op": "skip", "id": op.play_id}


def op_for(entry: dict[str, Any]) -> PendingOp | None:
    """The operation a journal line holds; None for a line this version does not know."""
    kind = entry.get("op")
    if kind == "play":
        return PlayRecord(
            play_id=str(entry["id"]),
            media=dict(entry["media"]),
            played_at=str(entry["played_at"]),
            playlist_id=entry.get("playlist_id"),
            skipped=bool(entry.get("skipped")),
        )
    if kind == "skip":
        return SkipMark(str(entry["id"]))
    return None


@dataclass
class PlayIndex:
    """Where each stored play and media document is (derived from the two tables)."""

    play_keys: dict[str, str] = field(default_factory=dict)  # play id -> document key
    media_keys: dict[str, str] = field(default_factory=dict)  # media id -> document key
    next_play_key: int = 1
    next_media_key: int = 1

    @classmethod
    def of(cls, tables: Tables) -> PlayIndex:
        plays = tables.get(PLAYS, {})
        media = tables.get(MEDIA, {})
        return cls(
            play_keys={doc["id"]: key for key, doc in plays.items()},
            media_keys={doc["id"]: key for key, doc in media.items()},
            next_play_key=max(map(int, plays), default=0) + 1,
            next_media_key=max(map(int, media), default=0) + 1,
        )


def apply_ops(tables: Tables, ops: Iterable[PendingOp], index: PlayIndex) -> tuple[Tables, list[str]]:
    """New tables with the plays and skip marks applied (``index`` is updated to match).

    The plays and media tables are replaced by new dict objects when they change, so anything
    cached against the old objects is rebuilt; unchanged documents keep their identity.
    """
    plays: dict[str, Any] | None = None
    media: dict[str, Any] | None = None
    added: list[str] = []
    for op in ops:
        if isinstance(op, PlayRecord):
            if op.play_id in index.play_keys:
                continue  # replayed after a crash between a rewrite and the journal's removal
            media_id = op.media["id"]
            media_key = index.media_keys.get(media_id)
            current = tables.get(MEDIA, {}) if media is None else media
            if media_key is None or current[media_key] != op.media:
                media = dict(current) if media is None else media
                if media_key is None:
                    media_key = str(index.next_media_key)
                    index.next_media_key += 1
                    index.media_keys[media_id] = media_key
                media[media_key] = dict(op.media)
            plays = dict(tables.get(PLAYS, {})) if plays is None else plays
            key = str(index.next_play_key)
            index.next_play_key += 1
            plays[key] = {
                "id": op.play_id,
                "media_id": media_id,
                "played_at": op.played_at,
                "playlist_id": op.playlist_id,
                "skipped": op.skipped,
            }
            index.play_keys[op.play_id] = key
            added.append(op.play_id)
        else:
            key_or_none = index.play_keys.get(op.play_id)
            if key_or_none is None:
                log.warning("a skip mark for an unknown play %s was dropped", op.play_id)
                continue
            plays = dict(tables.get(PLAYS, {})) if plays is None else plays
            if not plays[key_or_none].get("skipped"):
                plays[key_or_none] = {**plays[key_or_none], "skipped": True}
    if plays is None and media is None:
        return tables, added
    updated = dict(tables)
    if plays is not None:
        updated[PLAYS] = plays
    if media is not None:
        updated[MEDIA] = media
    return updated, added


def read_library(path: Path) -> Tables:
    """The library as stored (the file, then its journal), read without changing anything.

    ValueError says what is wrong when the file or a complete journal line is damaged.
    """
    tables = decode_tables(path.read_bytes()) if path.exists() else {}
    journal_path = path.with_name(path.name + ".journal")
    try:
        raw = journal_path.read_bytes()
    except FileNotFoundError:
        return tables
    ops: list[PendingOp] = []
    for number, line in enumerate(raw[: raw.rfind(b"\n") + 1].splitlines(), 1):
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if not isinstance(entry, dict):
            raise ValueError(f"journal line {number} is not a journal entry")
        op = op_for(entry)
        if op is not None:
            ops.append(op)
    return apply_ops(tables, ops, PlayIndex.of(tables))[0]
