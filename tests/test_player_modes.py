"""Shuffle and repeat in the pure play session: where the cursor goes, and that shuffle can be undone."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from mixtui.errors import BadInput
from mixtui.models import Media, Platform
from mixtui.player.session import EndReason, EntryStatus, PlaySession, QueueEntry, RepeatMode

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def media(number: int) -> Media:
    return Media(id=f"local-{number}", title=f"Track {number}", author="A", platform=Platform.LOCAL, url=f"/{number}")


def session_of(count: int) -> PlaySession:
    return PlaySession.of([media(n) for n in range(count)], playlist_id="pl-1")


def numbers(session: PlaySession) -> list[int]:
    return [int(entry.media.id.removeprefix("local-")) for entry in session.entries]


def test_repeat_modes_are_named_as_in_the_config_and_cycle_off_all_one() -> None:
    assert [mode.value for mode in RepeatMode] == ["off", "all", "one"]
    assert RepeatMode("one") is RepeatMode.ONE
    assert [RepeatMode.OFF.following(), RepeatMode.ALL.following(), RepeatMode.ONE.following()] == [
        RepeatMode.ALL,
        RepeatMode.ONE,
        RepeatMode.OFF,
    ]
    session = session_of(2)
    cycled = [session.cycle_repeat() for _ in range(4)]
    assert cycled == [RepeatMode.ALL, RepeatMode.ONE, RepeatMode.OFF, RepeatMode.ALL]


def test_shuffle_keeps_the_played_part_and_the_current_track_and_undoing_it_restores_the_order() -> None:
    session = session_of(10)
    session.play(now=NOW)
    session.next(now=NOW)
    session.next(now=NOW)  # playing 2
    assert session.set_shuffle(True, random.Random(3))
    assert not session.set_shuffle(True, random.Random(3))  # already on: nothing moves
    assert numbers(session)[:3] == [0, 1, 2] and session.index == 2
    assert sorted(numbers(session)[3:]) == list(range(3, 10))
    assert numbers(session)[3:] != list(range(3, 10))
    assert session.set_shuffle(False)
    assert numbers(session) == list(range(10)) and session.current == media(2)


def test_shuffle_is_a_real_shuffle_every_order_of_what_is_left_comes_up() -> None:
    seen = set()
    for seed in range(300):
        session = session_of(4)
        session.play(now=NOW)
        session.set_shuffle(True, random.Random(seed))
        seen.add(tuple(numbers(session)))
        assert numbers(session)[0] == 0  # the track playing stays
    assert len(seen) == 6  # 3! orders of the three tracks left


def test_shuffle_before_the_start_shuffles_everything() -> None:
    firsts = set()
    for seed in range(60):
        session = session_of(5)
        session.set_shuffle(True, random.Random(seed))
        session.play(now=NOW)
        firsts.add(session.current)
    assert len(firsts) == 5


def test_turning_shuffle_off_later_continues_after_the_current_track_in_the_lists_order() -> None:
    session = session_of(8)
    session.play(2, now=NOW)  # started in the middle of a list: 0 and 1 are before the cursor
    session.set_shuffle(True, random.Random(1))
    while session.current != media(6):
        session.skip(now=NOW)
    played = numbers(session)[: session.index + 1]
    session.set_shuffle(False)
    assert numbers(session)[: session.index + 1] == played  # the played part kept its order
    left = numbers(session)[session.index + 1 :]
    # After 6 comes 7 as in the list, then what shuffle had skipped over, in the list's order.
    assert left == [n for n in (7, 3, 4, 5) if n not in played]
    assert session.current == media(6)


def test_what_the_user_queued_keeps_its_place_through_shuffle_on_and_off() -> None:
    session = session_of(6)
    session.play(now=NOW)
    session.add_to_queue([media(90), media(91)])
    session.set_shuffle(True, random.Random(5))
    assert numbers(session)[:3] == [0, 90, 91]
    session.add_to_queue([media(92)])  # queued while shuffled: after what was queued before
    assert numbers(session)[:4] == [0, 90, 91, 92]
    session.set_shuffle(False)
    assert numbers(session) == [0, 90, 91, 92, 1, 2, 3, 4, 5]


def test_edits_while_shuffled_are_kept_when_shuffle_goes_off() -> None:
    session = session_of(6)
    session.play(now=NOW)
    session.set_shuffle(True, random.Random(2))
    gone = session.remove(numbers(session).index(3))
    assert gone.media == media(3)
    session.extend([media(7), media(8)])
    assert 7 in numbers(session)[1:] and 8 in numbers(session)[1:]
    session.set_shuffle(False)
    assert numbers(session) == [0, 1, 2, 4, 5, 7, 8]
    session.set_shuffle(True, random.Random(9))
    assert session.clear_upcoming() == 6
    session.set_shuffle(False)
    assert numbers(session) == [0]


def test_repeat_one_plays_the_track_again_as_a_new_play_until_the_user_moves_on() -> None:
    session = session_of(3)
    session.set_repeat(RepeatMode.ONE)
    session.play(now=NOW)
    assert session.upcoming() == media(0)
    assert session.position_changed(1.5) is not None
    transition = session.next(now=NOW)
    assert transition.reason is EndReason.ENDED and session.current == media(0)
    assert session.position_changed(1.5) is not None  # each time round is a play of its own
    assert len(session.history) == 2 and session.entries[0].status is EntryStatus.PLAYING
    session.skip(now=NOW)  # the user moves on
    assert session.current == media(1)
    session.skip(now=NOW)
    session.skip(now=NOW)  # past the last: round to the first (repeat never runs out)
    assert session.current == media(0)


def test_repeat_all_wraps_to_the_first_track_in_the_current_order() -> None:
    session = session_of(4)
    session.set_repeat(RepeatMode.ALL)
    session.play(now=NOW)
    session.set_shuffle(True, random.Random(7))
    order = numbers(session)
    for expected in [*order[1:], order[0], order[1]]:
        session.next(now=NOW)
        assert session.current == media(expected)
    session.play(len(order) - 1, now=NOW)
    assert session.upcoming() == media(order[0])
    session.skip(now=NOW)
    assert session.current == media(order[0])
    session.previous(now=NOW)  # before the first: round to the last
    assert session.current == media(order[-1])


def test_repeat_off_runs_out_and_previous_restarts_the_first_track() -> None:
    session = session_of(2)
    session.play(now=NOW)
    session.previous(now=NOW)
    assert session.current == media(0)
    session.next(now=NOW)
    assert session.upcoming() is None
    session.next(now=NOW)
    assert session.at_end


def test_repeat_never_loops_on_failures_a_queue_where_everything_fails_still_ends() -> None:
    for mode in RepeatMode:
        session = session_of(3)
        session.set_repeat(mode)
        session.play(now=NOW)
        for _ in range(3):
            session.fail("HTTP error 404 Not Found", now=NOW)
        assert session.at_end and session.current is None, mode


def test_an_unknown_repeat_mode_is_bad_input_or_a_value_error() -> None:
    with pytest.raises((ValueError, BadInput)):
        session_of(1).set_repeat("twice")  # type: ignore[arg-type]


class ModesMachine(RuleBasedStateMachine):
    """Any mix of moves, queue edits and mode changes keeps the queue whole and shuffle undoable."""

    def __init__(self) -> None:
        super().__init__()
        self.session = session_of(6)
        self.alive: list[QueueEntry] = list(self.session.entries)
        self.next_number = 6

    def entry_ids(self) -> list[int]:
        return [id(entry) for entry in self.session.entries]

    @rule()
    def start(self) -> None:
        if self.session.entries:
            self.session.play(now=NOW)

    @rule(which=st.integers(min_value=0, max_value=20))
    def jump(self, which: int) -> None:
        if self.session.entries:
            self.session.play(which % len(self.session.entries), now=NOW)

    @rule()
    def ended(self) -> None:
        before, mode, entry = self.session.index, self.session.repeat, self.session.current_entry
        self.session.next(now=NOW)
        if mode is RepeatMode.ONE and entry is not None and entry.playable:
            assert self.session.index == before
        elif mode is RepeatMode.OFF and entry is not None:
            assert self.session.index > before  # never wraps
        if mode is not RepeatMode.OFF and entry is not None and any(e.playable for e in self.session.entries):
            assert self.session.current is not None  # repeat never runs out

    @rule()
    def skip(self) -> None:
        self.session.skip(now=NOW)

    @rule()
    def previous(self) -> None:
        self.session.previous(now=NOW)

    @rule()
    def fail(self) -> None:
        self.session.fail("gone", now=NOW)

    @rule(count=st.integers(min_value=1, max_value=3), play_next=st.booleans())
    def queue(self, count: int, play_next: bool) -> None:
        items = [media(self.next_number + n) for n in range(count)]
        self.next_number += count
        position = self.session.add_to_queue(items, play_next=play_next)
        self.alive.extend(self.session.entries[position : position + count])

    @rule(count=st.integers(min_value=1, max_value=3))
    def extend(self, count: int) -> None:
        before = set(self.entry_ids())
        self.session.extend([media(self.next_number + n) for n in range(count)])
        self.next_number += count
        self.alive.extend(entry for entry in self.session.entries if id(entry) not in before)

    @rule(which=st.integers(min_value=0, max_value=20))
    def remove(self, which: int) -> None:
        if not self.session.entries:
            return
        index = which % len(self.session.entries)
        try:
            gone = self.session.remove(index)
        except BadInput:
            assert index == self.session.index
            return
        self.alive = [entry for entry in self.alive if entry is not gone]

    @rule(which=st.integers(min_value=0, max_value=20), to=st.integers(min_value=0, max_value=20))
    def move(self, which: int, to: int) -> None:
        if self.session.entries:
            self.session.move(which % len(self.session.entries), to)

    @rule()
    def clear(self) -> None:
        keep = set(self.entry_ids()[: max(0, self.session.index + 1)])
        self.session.clear_upcoming()
        self.alive = [entry for entry in self.alive if id(entry) in keep]

    @rule(seed=st.integers(min_value=0, max_value=1000))
    def shuffle_on(self, seed: int) -> None:
        played = self.entry_ids()[: max(0, self.session.index + 1)]
        current = self.session.current_entry
        self.session.set_shuffle(True, random.Random(seed))
        assert self.entry_ids()[: len(played)] == played and self.session.current_entry is current

    @precondition(lambda self: self.session.shuffle)
    @rule()
    def shuffle_off(self) -> None:
        start = max(0, self.session.index + 1)
        played = self.entry_ids()[:start]
        current = self.session.current_entry
        rank = {id(entry): number for number, entry in enumerate(self.session.unshuffled)}
        self.session.set_shuffle(False)
        assert self.entry_ids()[:start] == played and self.session.current_entry is current
        ranks = [rank[id(entry)] for entry in self.session.entries[start:]]
        if current is not None:
            here = rank[id(current)]
            after, before = [r for r in ranks if r > here], [r for r in ranks if r < here]
            assert ranks == after + before  # the list's order, continuing after the current track
            ranks = after
        assert ranks == sorted(ranks)

    @precondition(lambda self: not self.session.shuffle)
    @rule(seed=st.integers(min_value=0, max_value=1000))
    def shuffle_round_trip(self, seed: int) -> None:
        before = self.entry_ids()
        self.session.set_shuffle(True, random.Random(seed))
        self.session.set_shuffle(False)
        assert self.entry_ids() == before

    @rule(mode=st.sampled_from(list(RepeatMode)))
    def repeat(self, mode: RepeatMode) -> None:
        self.session.set_repeat(mode)

    @invariant()
    def nothing_lost_or_duplicated(self) -> None:
        assert sorted(self.entry_ids()) == sorted(id(entry) for entry in self.alive)
        if self.session.shuffle:
            assert sorted(id(entry) for entry in self.session.unshuffled) == sorted(self.entry_ids())
        else:
            assert self.session.unshuffled == []
        assert -1 <= self.session.index <= len(self.session.entries)


ModesMachine.TestCase.settings = hypothesis_settings(max_examples=150, stateful_step_count=40, deadline=None)
test_modes_machine = ModesMachine.TestCase


def test_leading_with_a_track_turns_the_list_round_it_and_only_before_the_start() -> None:
    session = session_of(5)
    session.lead_with(3)
    assert numbers(session) == [3, 4, 0, 1, 2]
    with pytest.raises(BadInput):
        session.lead_with(7)
    session.play(now=NOW)
    with pytest.raises(BadInput):
        session.lead_with(1)
