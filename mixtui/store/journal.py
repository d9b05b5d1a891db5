"""The plays journal: recent plays as JSON lines beside the plays file, folded into it later.

Rewriting a plays file of 100k plays to save one play takes about a second, so a recorded play is
appended (and fsynced) to ``<plays file>.journal`` instead; the plays file is rewritten only when
the journal grows past a size or when the library closes. Then the journal is removed. Replaying
is idempotent (a play whose id is already stored is skipped), so a crash between the rewrite and
the removal loses nothing and duplicates nothing.

One line per operation (:func:`mixtui.store.schema.journal_op` checks each as it is read)::

    {"op": "play", "id": …, "media": {Media}, "played_at": …, "playlist_id": …, "skipped": false}
    {"op": "skip", "id": <play id>}
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mixtui.store.batching import PendingOp, PlayRecord
from mixtui.store.schema import Checked, Reject, journal_ops
from mixtui.store.storage import Tables, journal_lines, read_tables
from mixtui.store.tables import MEDIA, PLAYS, merge_plays, plays_path

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
    """The library as stored (its file, the plays file, their journals) as one set of tables,
    read without changing anything.

    Documents and journal lines that do not fit are left out (see :func:`inspect_library`);
    ValueError says what is wrong when a file itself cannot be read.
    """
    return inspect_library(path)[0]


def inspect_library(path: Path) -> tuple[Tables, list[Reject]]:
    """The library as stored, as one set of tables (plays and all media included), and the
    documents and journal lines a Library would set aside."""
    tables, rejects = _inspect_file(path, named=False)
    try:
        played, more = _inspect_file(plays_path(path), named=True)
    except ValueError as error:
        raise ValueError(f"its plays file {plays_path(path).name}: {error}") from None
    combined = dict(tables)
    merged = merge_plays({PLAYS: tables.get(PLAYS, {}), MEDIA: tables.get(MEDIA, {})}, played)
    if merged[PLAYS] or PLAYS in tables:
        combined[PLAYS] = merged[PLAYS]
    if merged[MEDIA] or MEDIA in tables:
        combined[MEDIA] = merged[MEDIA]
    return combined, rejects + more


def _inspect_file(path: Path, *, named: bool) -> tuple[Tables, list[Reject]]:
    """One file of the library with its journal applied; rejects named as the storage names them."""
    checked = read_tables(path.read_bytes()) if path.exists() else Checked({})
    rejects = checked.rejects
    if named:
        rejects = [dataclasses.replace(reject, where=f"{path.name}: {reject.where}") for reject in rejects]
    journal_path = path.with_name(path.name + ".journal")
    try:
        raw = journal_path.read_bytes()
    except FileNotFoundError:
        return checked.tables, rejects
    ops, bad_lines = journal_ops(journal_lines(raw[: raw.rfind(b"\n") + 1]), journal_path.name)
    return apply_ops(checked.tables, ops, PlayIndex.of(checked.tables))[0], rejects + bad_lines
