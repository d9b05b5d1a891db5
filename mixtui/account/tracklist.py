"""A show's tracklist as a DJ has it: from a cue sheet, or from the plays of a mixtui playlist.

Both give :class:`~mixtui.account.upload.Section` tracks (artist, song, start in whole seconds)
for the upload form's ``sections-X-…`` fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from mixtui.account.upload import Section
from mixtui.errors import BadInput

if TYPE_CHECKING:
    from mixtui.store.library import Library
    from mixtui.store.models import Play

# Plays further apart than the previous track's length plus this start a new session.
SESSION_GAP = timedelta(minutes=10)
HISTORY_PAGES = 40
HISTORY_PAGE_SIZE = 250
_CUE_LINE = re.compile(r"\s*(\w+)\s+(.*?)\s*$")
_CUE_INDEX = re.compile(r"(\d+)\s+(\d+):(\d{1,2}):(\d{1,2})")


def _cue_value(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].strip()
    return text


def parse_cue_sheet(text: str, *, source: str = "cue sheet") -> tuple[Section, ...]:
    """The tracks of a cue sheet: ``TRACK``'s ``PERFORMER`` and ``TITLE`` from its ``INDEX 01``.

    A track without its own PERFORMER takes the sheet's; frames (1/75 s) are dropped.
    """
    sheet_performer = ""
    tracks: list[dict[str, str | int | None]] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _CUE_LINE.match(line)
        if not match or not line.strip():
            continue
        command, value = match.group(1).upper(), match.group(2)
        if command == "TRACK":
            tracks.append({"performer": None, "title": None, "start": None, "line": number})
        elif command == "PERFORMER":
            if tracks:
                tracks[-1]["performer"] = _cue_value(value)
            else:
                sheet_performer = _cue_value(value)
        elif command == "TITLE" and tracks:
            tracks[-1]["title"] = _cue_value(value)
        elif command == "INDEX" and tracks:
            index = _CUE_INDEX.fullmatch(value.strip())
            if index is None:
                raise BadInput(f"{source}, line {number}: INDEX is not 'NN MM:SS:FF': {value.strip()!r}")
            if int(index.group(1)) == 1:
                minutes, seconds = int(index.group(2)), int(index.group(3))
                tracks[-1]["start"] = minutes * 60 + seconds
    if not tracks:
        raise BadInput(f"{source} has no TRACK entries")
    sections: list[Section] = []
    for track in tracks:
        artist = str(track["performer"] or sheet_performer).strip()
        song = str(track["title"] or "").strip()
        start = track["start"]
        where = f"{source}, track at line {track['line']}"
        if not isinstance(start, int):
            raise BadInput(f"{where} has no INDEX 01 (its start time)")
        if not artist or not song:
            raise BadInput(f"{where} needs a PERFORMER and a TITLE")
        sections.append(Section(start, artist=artist, song=song))
    return tuple(sections)


def read_cue_sheet(path: Path) -> tuple[Section, ...]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BadInput(f"cannot read the cue sheet {path}: {error.strerror}") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return parse_cue_sheet(raw.decode(encoding), source=str(path))
        except UnicodeDecodeError:
            continue
    raise BadInput(f"the cue sheet {path} is neither UTF-8 nor Windows-1252 text")


def sections_from_plays(plays: Iterable[Play]) -> tuple[Section, ...]:
    """The last listening session of some plays as tracks, timed from its first play.

    Plays are taken oldest first; skipped plays are left out; a gap longer than the previous
    track plus :data:`SESSION_GAP` starts a new session, and only the newest session counts.
    """
    ordered = sorted((play for play in plays if not play.skipped), key=lambda play: play.played_at)
    session: list[Play] = []
    for play in ordered:
        if session:
            previous = session[-1]
            length = timedelta(seconds=float(previous.media.duration or 0))
            if play.played_at - previous.played_at > length + SESSION_GAP:
                session = []
        session.append(play)
    if not session:
        return ()
    first = session[0].played_at
    return tuple(
        Section(
            int((play.played_at - first).total_seconds()), artist=play.media.author or "Unknown", song=play.media.title
        )
        for play in session
    )


def playlist_sections(store: Library, name_or_id: str) -> tuple[Section, ...]:
    """The tracklist of the last time a playlist was played (its plays in the history)."""
    playlist = store.playlists.get(name_or_id)
    plays: list[Play] = []
    for page in range(1, HISTORY_PAGES + 1):
        batch = store.plays.history(page, HISTORY_PAGE_SIZE)
        plays.extend(play for play in batch if play.playlist_id == playlist.id)
        if len(batch) < HISTORY_PAGE_SIZE:
            break
    sections = sections_from_plays(plays)
    if not sections:
        raise BadInput(
            f"the playlist {playlist.name!r} has no plays yet to make a tracklist from",
            hint="play it in mixtui first, or give --section / --cue",
        )
    return sections
