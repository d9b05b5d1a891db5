"""The play session: a queue, where we are in it, and when a play must be reported.

Pure state (no mpv, no I/O, no clock of its own), modelled on 8tracks' play sessions:
``next`` is a track that ended by itself, ``skip`` is the user moving on, and the states
``at_beginning``, ``at_last_track`` and ``at_end`` say where the session stands. A play is
reported once, the first time its position reaches :data:`REPORT_AFTER_SECONDS`; a play
skipped before that is never reported. The player feeds positions in and acts on what the
session answers (record the play, mark it skipped).

Two modes change where the cursor goes. Shuffle reorders what is still to come (the part
before the cursor, already played, keeps its order) and remembers the order it had, so that
turning it off puts what is left back in that order, continuing after the current track.
Repeat ``one`` plays the current track again when it ends; repeat ``all`` goes from the last
track back to the first (in the current order); with either, the session never runs out by
itself, so nothing follows it (no autoplay).
"""

from __future__ import annotations

import enum
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from mixtui.errors import BadInput
from mixtui.models import Media

# 8tracks: "A performance is counted when the 1 second mark of a song is reached."
REPORT_AFTER_SECONDS = 1.0
MAX_VOLUME = 130.0


class EntryStatus(enum.StrEnum):
    PENDING = "pending"
    PLAYING = "playing"
    PLAYED = "played"
    SKIPPED = "skipped"
    FAILED = "failed"


class RepeatMode(enum.StrEnum):
    """What happens when a track ends: move on (``off``), wrap at the end (``all``), or play it again (``one``)."""

    OFF = "off"
    ALL = "all"
    ONE = "one"

    def following(self) -> RepeatMode:
        """The mode a "cycle repeat" key moves to: off → all → one → off."""
        order = list(RepeatMode)
        return order[(order.index(self) + 1) % len(order)]


class EndReason(enum.StrEnum):
    """Why the current play stopped."""

    ENDED = "ended"  # the track finished by itself (8tracks "next")
    SKIPPED = "skipped"  # the user moved on (8tracks "skip")
    PREVIOUS = "previous"  # the user went back
    JUMPED = "jumped"  # the user picked another entry
    FAILED = "failed"  # the track could not be played
    STOPPED = "stopped"  # the session was stopped


@dataclass
class QueueEntry:
    media: Media
    # The library playlist this entry came from (plays are recorded against it).
    playlist_id: str | None = None
    status: EntryStatus = EntryStatus.PENDING
    # Why the entry could not be played, kept for display.
    failure: str | None = None
    # Where the entry came from ("search 'moon river'", a playlist's name), for display.
    origin: str | None = None
    # Added by the user (``a`` / play next): plays before the rest of the list it interrupts.
    queued: bool = False

    @property
    def playable(self) -> bool:
        return self.status is not EntryStatus.FAILED


@dataclass
class Play:
    """One performance of one queue entry; reported at most once."""

    number: int
    index: int
    media: Media
    playlist_id: str | None
    started_at: datetime
    reported: bool = False
    # Set once the library recorded the play.
    play_id: str | None = None
    skipped: bool = False
    # True once the library knows the play was skipped.
    skip_recorded: bool = False
    end_reason: EndReason | None = None


@dataclass(frozen=True)
class Transition:
    """What a move did: the play that ended (if any) and whether the library must mark it skipped."""

    ended: Play | None
    reason: EndReason
    # True when the ended play was already reported and now counts as skipped.
    mark_skipped: bool = False
    # A play that ended by itself before a position past one second was seen (its last
    # moments were still in the audio buffer): it played through, so it is reported now.
    report: Play | None = None


@dataclass
class PlaySession:
    """A queue with a cursor; ``index`` is -1 before the start and ``len(entries)`` past the end."""

    entries: list[QueueEntry] = field(default_factory=list)
    # Media ids played before this session (from the library), shown as "already played".
    previously_played: set[str] = field(default_factory=set)
    report_after: float = REPORT_AFTER_SECONDS
    index: int = -1
    history: list[Play] = field(default_factory=list)
    current_play: Play | None = None
    paused: bool = False
    volume: float = 100.0
    position: float | None = None
    duration: float | None = None
    shuffle: bool = False
    repeat: RepeatMode = RepeatMode.OFF
    # While shuffled: every entry in the order it had before (turning shuffle off restores it).
    unshuffled: list[QueueEntry] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        items: Iterable[Media],
        *,
        playlist_id: str | None = None,
        previously_played: Iterable[str] = (),
        origin: str | None = None,
    ) -> PlaySession:
        return cls(
            entries=[QueueEntry(media, playlist_id, origin=origin) for media in items],
            previously_played=set(previously_played),
        )

    # -- where we are -----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entries)

    @property
    def started(self) -> bool:
        return self.index >= 0

    @property
    def current_entry(self) -> QueueEntry | None:
        return self.entries[self.index] if 0 <= self.index < len(self.entries) else None

    @property
    def current(self) -> Media | None:
        entry = self.current_entry
        return entry.media if entry else None

    @property
    def playlist_id(self) -> str | None:
        """The playlist being played: the current entry's, else the last entry's."""
        entry = self.current_entry or (self.entries[-1] if self.entries else None)
        return entry.playlist_id if entry else None

    @property
    def at_beginning(self) -> bool:
        """At the first playable track (or not started)."""
        return self.index <= 0 or self._step_from(self.index, -1) is None

    @property
    def at_last_track(self) -> bool:
        """At a track with no playable track after it."""
        return self.current_entry is not None and self._step_from(self.index, 1) is None

    @property
    def at_end(self) -> bool:
        """Past the final track."""
        return self.index >= len(self.entries)

    def upcoming(self) -> Media | None:
        """The track a ``next`` would play (what the player resolves ahead of time)."""
        following = self._following(ended=True)
        return self.entries[following].media if following is not None else None

    def played_media_ids(self) -> set[str]:
        """Tracks already played: earlier sessions' plus the ones reported in this one."""
        return self.previously_played | {play.media.id for play in self.history if play.reported}

    def failures(self) -> list[QueueEntry]:
        return [entry for entry in self.entries if entry.status is EntryStatus.FAILED]

    # -- moves ------------------------------------------------------------------------
    def play(self, index: int = 0, *, now: datetime) -> Transition:
        """Start (or restart) at ``index``; a failed entry picked this way is tried again."""
        if not 0 <= index < max(len(self.entries), 1):
            raise BadInput(f"no track {index + 1} in a queue of {len(self.entries)}")
        if index < len(self.entries) and not self.entries[index].playable:
            self.entries[index].status, self.entries[index].failure = EntryStatus.PENDING, None
        target = index if index < len(self.entries) and self.entries[index].playable else None
        if target is None:
            target = self._step_from(index, 1)
        return self._move_to(target, EndReason.JUMPED, now=now)

    def next(self, *, now: datetime) -> Transition:
        """The current track ended by itself; move to the following one (repeat one: the same one)."""
        return self._move_to(self._following(ended=True), EndReason.ENDED, now=now)

    def skip(self, *, now: datetime) -> Transition:
        """The user skipped the current track (with repeat on, the last one wraps to the first)."""
        return self._move_to(self._following(ended=False), EndReason.SKIPPED, now=now)

    def previous(self, *, now: datetime) -> Transition:
        """Back to the previous playable track (or the start of this one at the beginning;
        with repeat on, the first track goes back to the last)."""
        if self.at_end:
            target = self._step_from(len(self.entries), -1)
        else:
            target = self._step_from(self.index, -1)
            if target is None and self.repeat is not RepeatMode.OFF and self.current_entry is not None:
                target = self._step_from(len(self.entries), -1)
            if target is None:
                target = self.index if self.current_entry else None
        return self._move_to(target, EndReason.PREVIOUS, now=now)

    def fail(self, reason: str, *, now: datetime) -> Transition:
        """The current track cannot be played: keep the reason and move on (never to itself)."""
        entry = self.current_entry
        if entry is not None:
            entry.status = EntryStatus.FAILED
            entry.failure = reason
        return self._move_to(self._following(ended=False), EndReason.FAILED, now=now)

    def stop(self) -> Transition:
        """End the current play and leave the cursor where it is."""
        ended = self._end_current(EndReason.STOPPED)
        return Transition(ended, EndReason.STOPPED)

    def extend(self, items: Iterable[Media], *, playlist_id: str | None = None) -> None:
        """Append ``items``; while shuffled they are shuffled into what is still to come."""
        new = [QueueEntry(media, playlist_id) for media in items]
        if not self.shuffle:
            self.entries.extend(new)
            return
        self.unshuffled.extend(new)
        rng = random.Random()
        for entry in new:
            start = self._upcoming_start()
            self.entries.insert(rng.randint(start, len(self.entries)), entry)

    # -- modes --------------------------------------------------------------------------
    def set_shuffle(self, on: bool, rng: random.Random | None = None) -> bool:
        """Shuffle what is still to come (on), or put it back in its order before (off).

        What the user queued and has not heard keeps its place at the front. Returns whether
        the mode changed.
        """
        if on == self.shuffle:
            return False
        start = self._upcoming_start()
        if on:
            self.unshuffled = list(self.entries)
            queued: list[QueueEntry] = []
            others: list[QueueEntry] = []
            for entry in self.entries[start:]:
                (queued if entry.queued and entry.status is EntryStatus.PENDING else others).append(entry)
            (rng or random.Random()).shuffle(others)
            self.entries[start:] = queued + others
        else:
            rank = {id(entry): number for number, entry in enumerate(self.unshuffled)}
            # Continue after the current track, as the list went; what shuffle had skipped over
            # (ranked before it) follows, then anything unknown: one sort on a rotated rank.
            lap = len(rank) + 1
            current = self.current_entry
            here = rank.get(id(current), -1) if current is not None else -1

            def rotated(entry: QueueEntry) -> int:
                number = rank.get(id(entry), 2 * lap)
                return number if number > here else number + lap

            self.entries[start:] = sorted(self.entries[start:], key=rotated)
            self.unshuffled = []
        self.shuffle = on
        return True

    def lead_with(self, index: int) -> None:
        """Before the start: make entry ``index`` the first and the ones before it follow the
        last, so that a list started in the middle with shuffle on shuffles all the rest."""
        if self.started:
            raise BadInput("the order can only be turned before the session starts")
        self._check_index(index)
        self.entries[:] = self.entries[index:] + self.entries[:index]

    def set_repeat(self, mode: RepeatMode) -> bool:
        """Returns whether the mode changed."""
        mode = RepeatMode(mode)
        changed = mode is not self.repeat
        self.repeat = mode
        return changed

    def cycle_repeat(self) -> RepeatMode:
        """off → all → one → off; returns the new mode."""
        self.repeat = self.repeat.following()
        return self.repeat

    # -- the user's queue -------------------------------------------------------------
    def add_to_queue(self, items: Iterable[Media], *, play_next: bool = False) -> int:
        """Queue ``items`` after the current track and what the user queued before
        (``play_next``: right after the current track); returns where they went.

        Past the end (or before the start) they are appended, and the session plays them next.
        """
        new = [QueueEntry(media, origin="queue", queued=True) for media in items]
        if self.current_entry is None:
            position = len(self.entries)
        else:
            position = self.index + 1
            if not play_next:
                while position < len(self.entries) and self._queued_pending(position):
                    position += 1
        self.entries[position:position] = new
        if self.shuffle:
            self._add_unshuffled(new, play_next=play_next)
        return position

    def pending_queued(self) -> list[Media]:
        """What the user queued that has not played yet (carried over when a new list starts)."""
        start = self.index + 1 if self.current_entry is not None else 0
        return [entry.media for entry in self.entries[start:] if self._queued_pending_entry(entry)]

    def remove(self, index: int) -> QueueEntry:
        """Take an entry out of the queue (not the one playing: skip that one)."""
        self._check_index(index)
        if index == self.index and self.current_play is not None:
            raise BadInput("that track is playing: press n to skip it")
        entry = self.entries.pop(index)
        if index < self.index:
            self.index -= 1
        self._forget_unshuffled([entry])
        return entry

    def move(self, index: int, to: int) -> int:
        """Move an entry to position ``to`` (clamped to the queue); the cursor follows the current entry."""
        self._check_index(index)
        to = max(0, min(len(self.entries) - 1, to))
        current = self.current_entry
        entry = self.entries.pop(index)
        self.entries.insert(to, entry)
        if current is not None:
            self.index = self.entries.index(current)
        return to

    def clear_upcoming(self) -> int:
        """Drop every entry after the current one (everything before the start); returns how many."""
        keep = max(0, min(len(self.entries), self.index + 1))
        dropped = len(self.entries) - keep
        self._forget_unshuffled(self.entries[keep:])
        del self.entries[keep:]
        if self.at_end:
            self.index = len(self.entries)
        return dropped

    # -- playback facts ---------------------------------------------------------------
    def position_changed(self, seconds: float | None) -> Play | None:
        """Record the position; returns the play when it must be reported now (once per play)."""
        self.position = seconds
        play = self.current_play
        if play is None or seconds is None or play.reported or seconds < self.report_after:
            return None
        play.reported = True
        return play

    def duration_changed(self, seconds: float | None) -> None:
        self.duration = seconds if seconds and seconds > 0 else None

    def set_paused(self, paused: bool) -> None:
        self.paused = paused

    def clamp_volume(self, volume: float) -> float:
        self.volume = max(0.0, min(MAX_VOLUME, float(volume)))
        return self.volume

    def seek_target(self, seconds: float, *, relative: bool = False) -> float:
        """Where a seek lands: within [0, duration) when the duration is known."""
        base = (self.position or 0.0) if relative else 0.0
        target = max(0.0, base + seconds)
        if self.duration:
            target = min(target, max(0.0, self.duration - 0.05))
        return target

    # -- internals --------------------------------------------------------------------
    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self.entries):
            raise BadInput(f"no track {index + 1} in a queue of {len(self.entries)}")

    def _queued_pending(self, position: int) -> bool:
        return self._queued_pending_entry(self.entries[position])

    @staticmethod
    def _queued_pending_entry(entry: QueueEntry) -> bool:
        return entry.queued and entry.status is EntryStatus.PENDING

    def _upcoming_start(self) -> int:
        """Where what is still to come begins: after the cursor (everything before the start)."""
        return min(len(self.entries), self.index + 1) if self.started else 0

    def _following(self, *, ended: bool) -> int | None:
        """The entry after the current one: itself when it ended under repeat one, the first
        after the last under repeat all (or one, when the user moves on)."""
        entry = self.current_entry
        if ended and self.repeat is RepeatMode.ONE and entry is not None and entry.playable:
            return self.index
        following = self._step_from(self.index, 1)
        if following is None and self.repeat is not RepeatMode.OFF and entry is not None:
            following = self._step_from(-1, 1)
        return following

    def _add_unshuffled(self, new: list[QueueEntry], *, play_next: bool) -> None:
        """Queued entries go into the order kept for unshuffling as ``add_to_queue`` put them."""
        current = self.current_entry
        positions = {id(entry): number for number, entry in enumerate(self.unshuffled)}
        if current is None or id(current) not in positions:
            self.unshuffled.extend(new)
            return
        position = positions[id(current)] + 1
        if not play_next:
            while position < len(self.unshuffled) and self._queued_pending_entry(self.unshuffled[position]):
                position += 1
        self.unshuffled[position:position] = new

    def _forget_unshuffled(self, gone: Iterable[QueueEntry]) -> None:
        if self.shuffle:
            ids = {id(entry) for entry in gone}
            self.unshuffled = [entry for entry in self.unshuffled if id(entry) not in ids]

    def _step_from(self, index: int, step: int) -> int | None:
        position = index + step
        while 0 <= position < len(self.entries):
            if self.entries[position].playable:
                return position
            position += step
        return None

    def _end_current(self, reason: EndReason) -> Play | None:
        play = self.current_play
        entry = self.current_entry
        if play is None:
            return None
        play.end_reason = reason
        if reason is EndReason.SKIPPED:
            play.skipped = True
        if entry is not None and entry.status is EntryStatus.PLAYING:
            entry.status = EntryStatus.SKIPPED if reason is EndReason.SKIPPED else EntryStatus.PLAYED
        self.current_play = None
        self.position = None
        self.duration = None
        return play

    def _move_to(self, target: int | None, reason: EndReason, *, now: datetime) -> Transition:
        duration = self.duration or (self.current.duration if self.current else None)
        ended = self._end_current(reason)
        mark_skipped = bool(ended and ended.skipped and ended.reported)
        report = None
        if ended and reason is EndReason.ENDED and not ended.reported and (duration or 0) >= self.report_after:
            ended.reported = True
            report = ended
        if target is None:
            self.index = len(self.entries)
        else:
            self.index = target
            entry = self.entries[target]
            entry.status = EntryStatus.PLAYING
            self.current_play = Play(
                number=len(self.history) + 1,
                index=target,
                media=entry.media,
                playlist_id=entry.playlist_id,
                started_at=now,
            )
            self.history.append(self.current_play)
        self.paused = False
        return Transition(ended, reason, mark_skipped, report)
