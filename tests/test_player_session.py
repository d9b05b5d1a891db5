"""The pure play session: moves, 8tracks states, and when a play is reported."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from mixtui.errors import BadInput
from mixtui.models import Media, Platform
from mixtui.player.session import EndReason, EntryStatus, PlaySession

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def media(number: int) -> Media:
    return Media(id=f"local-{number}", title=f"Track {number}", author="A", platform=Platform.LOCAL, url=f"/{number}")


def session_of(count: int, playlist_id: str | None = "pl-1") -> PlaySession:
    return PlaySession.of([media(n) for n in range(count)], playlist_id=playlist_id)


def test_states_walk_through_the_queue_like_8tracks() -> None:
    session = session_of(3)
    assert session.at_beginning and not session.at_end and not session.at_last_track
    session.play(now=NOW)
    assert session.current == media(0)
    assert (session.at_beginning, session.at_last_track, session.at_end) == (True, False, False)
    session.next(now=NOW)
    assert session.current == media(1)
    assert (session.at_beginning, session.at_last_track, session.at_end) == (False, False, False)
    session.next(now=NOW)
    assert (session.at_beginning, session.at_last_track, session.at_end) == (False, True, False)
    transition = session.next(now=NOW)
    assert transition.reason is EndReason.ENDED and transition.ended is not None
    assert session.current is None and session.at_end and not session.at_last_track
    assert [entry.status for entry in session.entries] == [EntryStatus.PLAYED] * 3


def test_previous_goes_back_and_restarts_at_the_beginning() -> None:
    session = session_of(3)
    session.play(now=NOW)
    session.next(now=NOW)
    session.previous(now=NOW)
    assert session.current == media(0)
    session.previous(now=NOW)  # at the beginning: the first track starts again
    assert session.current == media(0)
    assert len(session.history) == 4
    session.next(now=NOW)
    session.next(now=NOW)
    session.next(now=NOW)
    assert session.at_end
    session.previous(now=NOW)  # from past the end back to the last track
    assert session.current == media(2) and session.at_last_track


def test_play_is_reported_once_when_position_reaches_one_second() -> None:
    session = session_of(2)
    session.play(now=NOW)
    assert session.position_changed(0.0) is None
    assert session.position_changed(0.99) is None
    play = session.position_changed(1.0)
    assert play is not None and play.media == media(0) and play.playlist_id == "pl-1"
    assert play.started_at == NOW
    assert session.position_changed(1.5) is None
    session.position_changed(0.2)  # seeking back does not make a second report
    assert session.position_changed(1.2) is None
    assert session.played_media_ids() == {"local-0"}


def test_each_new_play_of_the_same_track_reports_again() -> None:
    session = session_of(1)
    session.play(now=NOW)
    assert session.position_changed(1.1) is not None
    session.previous(now=NOW)  # restart the only track: a new performance
    assert session.position_changed(1.1) is not None
    assert [play.reported for play in session.history] == [True, True]


def test_skip_before_one_second_reports_nothing_and_after_marks_the_play_skipped() -> None:
    session = session_of(3)
    session.play(now=NOW)
    session.position_changed(0.5)
    early = session.skip(now=NOW)
    assert early.reason is EndReason.SKIPPED and not early.mark_skipped
    assert early.ended is not None and not early.ended.reported
    assert session.current == media(1)
    assert session.position_changed(1.0) is not None
    late = session.skip(now=NOW)
    assert late.mark_skipped and late.ended is not None and late.ended.skipped
    assert session.entries[1].status is EntryStatus.SKIPPED
    assert session.played_media_ids() == {"local-1"}


def test_a_track_that_ended_is_not_marked_skipped() -> None:
    session = session_of(2)
    session.play(now=NOW)
    session.position_changed(1.0)
    transition = session.next(now=NOW)
    assert not transition.mark_skipped and transition.ended is not None and not transition.ended.skipped


def test_failed_entries_keep_their_reason_and_are_passed_over() -> None:
    session = session_of(4)
    session.play(now=NOW)
    session.next(now=NOW)
    transition = session.fail("geo-blocked: not in your country", now=NOW)
    assert transition.reason is EndReason.FAILED
    assert session.current == media(2)
    assert session.entries[1].failure == "geo-blocked: not in your country"
    session.previous(now=NOW)  # the failed entry is stepped over
    assert session.current == media(0)
    assert [entry.media for entry in session.failures()] == [media(1)]
    session.play(3, now=NOW)
    assert session.at_last_track


def test_a_queue_where_everything_fails_reaches_the_end() -> None:
    session = session_of(2)
    session.play(now=NOW)
    session.fail("HTTP error 404 Not Found", now=NOW)
    session.fail("HTTP error 404 Not Found", now=NOW)
    assert session.at_end and session.current is None and len(session.failures()) == 2


def test_play_out_of_range_is_bad_input_and_an_empty_queue_is_at_end() -> None:
    with pytest.raises(BadInput):
        session_of(2).play(5, now=NOW)
    empty = PlaySession()
    empty.play(now=NOW)
    assert empty.at_end and empty.at_beginning and empty.current is None


def test_previously_played_ids_merge_with_this_session() -> None:
    session = PlaySession.of([media(0), media(1)], playlist_id="pl-1", previously_played={"local-9"})
    session.play(now=NOW)
    session.position_changed(2.0)
    assert session.played_media_ids() == {"local-9", "local-0"}


def test_seek_and_volume_are_clamped() -> None:
    session = session_of(1)
    session.play(now=NOW)
    session.duration_changed(10.0)
    session.position_changed(4.0)
    assert session.seek_target(5, relative=True) == 9.0
    assert session.seek_target(-50, relative=True) == 0.0
    assert session.seek_target(99) == pytest.approx(9.95)
    assert session.clamp_volume(500) == 130.0
    assert session.clamp_volume(-3) == 0.0


def test_shuffle_only_reorders_what_is_still_to_come() -> None:
    session = session_of(8)
    session.play(now=NOW)
    session.next(now=NOW)
    session.set_shuffle(True, random.Random(4))
    assert [e.media for e in session.entries[:2]] == [media(0), media(1)]
    assert sorted(e.media.id for e in session.entries[2:]) == sorted(media(n).id for n in range(2, 8))
    assert [e.media for e in session.entries[2:]] != [media(n) for n in range(2, 8)]


def test_per_entry_playlists_travel_with_the_plays() -> None:
    session = PlaySession.of([media(0)], playlist_id="pl-a")
    session.extend([media(1)], playlist_id="pl-b")
    session.play(now=NOW)
    first = session.position_changed(1.0)
    session.next(now=NOW)
    second = session.position_changed(1.0)
    assert first is not None and second is not None
    assert (first.playlist_id, second.playlist_id) == ("pl-a", "pl-b")
    session.next(now=NOW)
    assert session.playlist_id == "pl-b"  # past the end: the last playlist (for autoplay)


def test_a_track_that_plays_through_is_reported_even_if_the_last_position_seen_was_under_a_second() -> None:
    session = session_of(3)
    session.play(now=NOW)
    session.duration_changed(1.5)
    session.position_changed(0.95)  # mpv's last position before its audio buffer played out
    transition = session.next(now=NOW)
    assert transition.report is not None and transition.report.media == media(0)
    session.duration_changed(0.6)  # shorter than a second: never a performance
    session.position_changed(0.5)
    assert session.next(now=NOW).report is None
    session.duration_changed(10.0)
    session.position_changed(0.5)
    assert session.skip(now=NOW).report is None  # skipped early: not reported
    assert session.played_media_ids() == {"local-0"}


def ids(session: PlaySession) -> list[str]:
    return [entry.media.id for entry in session.entries]


def test_queued_tracks_play_before_the_rest_of_the_list_in_the_order_added() -> None:
    session = session_of(4)
    session.play(1, now=NOW)
    session.add_to_queue([media(10)])
    session.add_to_queue([media(11)])
    assert ids(session) == ["local-0", "local-1", "local-10", "local-11", "local-2", "local-3"]
    assert session.entries[2].queued and not session.entries[4].queued
    session.next(now=NOW)
    assert session.current == media(10)
    session.add_to_queue([media(12)])  # after what is still queued, before the list goes on
    assert ids(session)[3:5] == ["local-11", "local-12"]
    session.next(now=NOW)
    session.next(now=NOW)
    session.next(now=NOW)
    assert session.current == media(2)


def test_play_next_goes_right_after_the_current_track() -> None:
    session = session_of(3)
    session.play(now=NOW)
    session.add_to_queue([media(10)])
    session.add_to_queue([media(11)], play_next=True)
    assert ids(session)[:4] == ["local-0", "local-11", "local-10", "local-1"]
    assert session.upcoming() == media(11)


def test_queueing_into_a_finished_or_unstarted_session_appends() -> None:
    finished = session_of(1)
    finished.play(now=NOW)
    finished.next(now=NOW)
    assert finished.at_end
    assert finished.add_to_queue([media(5)]) == 1
    assert finished.play(1, now=NOW).reason is EndReason.JUMPED and finished.current == media(5)
    fresh = PlaySession()
    assert fresh.add_to_queue([media(1)]) == 0 and not fresh.started


def test_pending_queued_is_what_the_user_queued_and_has_not_heard() -> None:
    session = session_of(3)
    session.play(now=NOW)
    session.add_to_queue([media(10), media(11)])
    session.next(now=NOW)  # media(10) plays
    assert session.pending_queued() == [media(11)]


def test_remove_keeps_the_cursor_on_the_current_entry_and_refuses_the_playing_one() -> None:
    session = session_of(4)
    session.play(2, now=NOW)
    removed = session.remove(0)
    assert removed.media == media(0)
    assert session.current == media(2) and session.index == 1
    session.remove(2)
    assert ids(session) == ["local-1", "local-2"]
    with pytest.raises(BadInput, match="playing"):
        session.remove(1)
    with pytest.raises(BadInput, match="no track 9"):
        session.remove(8)
    session.next(now=NOW)
    assert session.at_end


def test_move_reorders_and_the_cursor_follows_the_current_entry() -> None:
    session = session_of(4)
    session.play(1, now=NOW)
    assert session.move(3, 2) == 2
    assert ids(session) == ["local-0", "local-1", "local-3", "local-2"]
    assert session.upcoming() == media(3)
    assert session.move(1, -5) == 0  # clamped; the playing entry moves with the cursor
    assert session.index == 0 and session.current == media(1)
    assert session.move(0, 99) == 3 and session.index == 3 and session.at_last_track


def test_clear_upcoming_keeps_the_current_track_only() -> None:
    session = session_of(4)
    session.play(1, now=NOW)
    assert session.clear_upcoming() == 2
    assert ids(session) == ["local-0", "local-1"] and session.at_last_track
    session.next(now=NOW)
    assert session.clear_upcoming() == 0
    idle = session_of(3)
    assert idle.clear_upcoming() == 3 and len(idle) == 0 and not idle.started


def test_entries_remember_where_they_came_from() -> None:
    session = PlaySession.of([media(1)], origin="search 'moon river'")
    session.play(now=NOW)
    session.add_to_queue([media(2)])
    assert [entry.origin for entry in session.entries] == ["search 'moon river'", "queue"]


def test_picking_a_failed_entry_tries_it_again() -> None:
    session = session_of(3)
    session.play(now=NOW)
    session.fail("cannot reach example.org", now=NOW)
    assert session.current == media(1)
    session.play(0, now=NOW)
    assert session.current == media(0) and session.entries[0].failure is None
