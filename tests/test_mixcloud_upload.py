"""Uploads and edits: every check before sending, the streamed multipart POST, memory, progress, cancel, answers."""

from __future__ import annotations

import hashlib
import threading
import tracemalloc
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mixtui.account.mixcloud import MixcloudAccount
from mixtui.account.tracklist import parse_cue_sheet, sections_from_plays
from mixtui.account.upload import (
    MAX_AUDIO_BYTES,
    FormProblems,
    Section,
    ShowForm,
    UploadCancelled,
    UploadProgress,
    ValidationFailure,
    check_form,
    form_fields,
    merge_sections,
    parse_chapter,
    parse_publish_date,
    parse_section,
    parse_upload_answer,
    send_form,
)
from mixtui.config import Settings
from mixtui.errors import BadInput
from mixtui.models import Media, Platform
from mixtui.services import Services
from mixtui.store.models import Play
from tests.support.mixcloud_account import FakeMixcloud, fake_mixcloud, fake_mixcloud_settings  # noqa: F401

MIB = 1024 * 1024


@pytest.fixture
async def account(settings: Settings, fake: FakeMixcloud) -> AsyncIterator[MixcloudAccount]:
    async with Services(settings) as services:
        signed = services.mixcloud_account
        signed.store.save(fake.issue_token())
        yield signed


def write_file(path: Path, size: int, seed: bytes = b"mix") -> str:
    """A file of ``size`` bytes written in pieces; its sha256."""
    digest = hashlib.sha256()
    piece = (seed * (MIB // len(seed) + 1))[:MIB]
    with path.open("wb") as handle:
        left = size
        while left > 0:
            chunk = piece[: min(left, MIB)]
            handle.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


@pytest.fixture
def audio(tmp_path: Path) -> Path:
    path = tmp_path / "friday-mix.mp3"
    write_file(path, 300_000)
    return path


@pytest.fixture
def picture(tmp_path: Path) -> Path:
    path = tmp_path / "cover.jpg"
    write_file(path, 20_000, b"\xff\xd8jpeg")
    return path


# -- what the user types --------------------------------------------------------------------------------


def test_sections_and_chapters_are_read_and_numbered_in_play_order() -> None:
    tracks = [parse_section("0:10|Artist Name|Song Title", 1), parse_section("1:02:03|Ann Peebles|Rain", 2)]
    chapters = [parse_chapter("0|Introduction", 1)]
    merged = merge_sections(tracks, chapters)
    assert merge_sections([parse_section("0|A|B", 1)], chapters)[0] == Section(0, chapter="Introduction")
    assert merged == (
        Section(0, chapter="Introduction"),
        Section(10, artist="Artist Name", song="Song Title"),
        Section(3723, artist="Ann Peebles", song="Rain"),
    )
    fields = form_fields(
        ShowForm(name="API Upload", tags=("Test", "API"), sections=merged, description="My test upload")
    )
    # The document's own example, field for field.
    assert fields == [
        ("name", "API Upload"),
        ("description", "My test upload"),
        ("tags-0-tag", "Test"),
        ("tags-1-tag", "API"),
        ("sections-0-chapter", "Introduction"),
        ("sections-0-start_time", "0"),
        ("sections-1-artist", "Artist Name"),
        ("sections-1-song", "Song Title"),
        ("sections-1-start_time", "10"),
        ("sections-2-artist", "Ann Peebles"),
        ("sections-2-song", "Rain"),
        ("sections-2-start_time", "3723"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10|Artist", "START|ARTIST|SONG"),
        ("10||Song", "needs both an artist and a song"),
        ("ten|A|S", "not seconds, m:ss or h:mm:ss"),
        ("1:75|A|S", "not a valid time"),
    ],
)
def test_a_malformed_section_says_how_to_write_it(text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        parse_section(text, 1)


def test_a_chapter_needs_a_title_and_entries_their_order() -> None:
    with pytest.raises(BadInput, match=r"START\|TITLE"):
        parse_chapter("0|", 1)
    with pytest.raises(BadInput, match="must be in play order"):
        merge_sections([parse_section("5:00|A|B", 1), parse_section("1:00|C|D", 2)], [])


def test_publish_dates_must_be_utc() -> None:
    assert parse_publish_date("2026-12-24T20:00:00Z") == datetime(2026, 12, 24, 20, tzinfo=UTC)
    with pytest.raises(BadInput, match="not in UTC"):
        parse_publish_date("2026-12-24T21:00:00+01:00")
    with pytest.raises(BadInput, match="not in UTC"):
        parse_publish_date("2026-12-24 20:00")
    with pytest.raises(BadInput, match="YYYY-MM-DDTHH:MM:SSZ"):
        parse_publish_date("next friday")


# -- every rule, before anything is sent ----------------------------------------------------------------------

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def rules(tmp_path: Path) -> list[tuple[ShowForm, Path | None, bool, bool | None, str]]:
    big_picture = tmp_path / "big.png"
    with big_picture.open("wb") as handle:
        handle.truncate(10_485_761)
    empty = tmp_path / "empty.mp3"
    empty.touch()
    sparse = tmp_path / "huge.mp3"
    with sparse.open("wb") as handle:
        handle.truncate(MAX_AUDIO_BYTES + 1)
    bitmap = tmp_path / "cover.bmp"
    bitmap.write_bytes(b"BM")
    song = tmp_path / "song.mp3"
    song.write_bytes(b"ID3")
    good = ShowForm(name="Mix")
    future = NOW + timedelta(days=3)
    return [
        (good, tmp_path / "missing.mp3", False, None, "does not exist"),
        (good, empty, False, None, "is empty"),
        (good, sparse, False, None, "at most 4,294,967,296"),
        (good, None, False, None, "give the audio file"),
        (ShowForm(), song, False, None, "a show needs a name"),
        (ShowForm(name="  "), song, False, None, "a show needs a name"),
        (ShowForm(name="  "), None, True, None, "the name cannot be empty"),
        (ShowForm(name="Mix", picture=big_picture), song, False, None, "at most 10,485,760"),
        (ShowForm(name="Mix", picture=bitmap), song, False, None, "JPEG, PNG, GIF or WebP"),
        (ShowForm(name="Mix", description="x" * 1001), song, False, None, r"1001 characters \(Mixcloud allows 1000\)"),
        (ShowForm(name="Mix", tags=("a", "b", "c", "d", "e", "f")), song, False, None, "6 tags given"),
        (ShowForm(name="Mix", tags=("house", " ")), song, False, None, "a tag cannot be empty"),
        (ShowForm(name="Mix", tags=("House", "house")), song, False, None, "same tag is given twice"),
        (ShowForm(name="Mix", sections=(Section(5, artist="A", song=""),)), song, False, None, "needs an artist and"),
        (ShowForm(name="Mix", sections=(Section(-1, chapter="Intro"),)), song, False, None, "cannot be negative"),
        (ShowForm(name="Mix", hosts=("a", "b", "c")), song, False, True, "3 hosts given"),
        (ShowForm(name="Mix", publish_date=NOW - timedelta(hours=1)), song, False, True, "not in the future"),
        (ShowForm(name="Mix", publish_date=future, unlisted=True), song, False, True, "would ignore --publish-date"),
        (ShowForm(name="Mix", publish_date=future), song, False, False, "--publish-date only work on Mixcloud Pro"),
        (
            ShowForm(name="Mix", hide_stats=True, disable_comments=True),
            song,
            False,
            False,
            "--disable-comments, --hide",
        ),
        (ShowForm(name="Mix", publish=True), song, False, None, "apply to edits"),
        (ShowForm(publish=True, unpublish=True), None, True, None, "only one of --publish, --unpublish"),
        (ShowForm(unlisted=True, publish=True), None, True, None, "only one of --unlisted, --publish"),
        (ShowForm(), None, True, None, "nothing to change"),
    ]


def test_every_rule_is_checked_before_sending(tmp_path: Path) -> None:
    for form, audio_path, editing, is_pro, message in rules(tmp_path):
        with pytest.raises(BadInput, match=message) as caught:
            check_form(form, audio=audio_path, editing=editing, is_pro=is_pro, now=NOW)
        assert caught.value.hint == "nothing was sent to Mixcloud"


def test_all_problems_are_told_at_once(tmp_path: Path) -> None:
    with pytest.raises(FormProblems) as caught:
        check_form(ShowForm(description="x" * 1001, tags=tuple("abcdef")), audio=tmp_path / "none.mp3", editing=False)
    assert [problem.split(" ")[1] for problem in caught.value.problems] == ["audio", "show", "description", "tags"]


def test_a_good_form_passes(tmp_path: Path, audio: Path, picture: Path) -> None:
    form = ShowForm(name="Mix", tags=("house",), picture=picture, publish_date=NOW + timedelta(days=1))
    check_form(form, audio=audio, editing=False, is_pro=True, now=NOW)
    check_form(ShowForm(unpublish=True), audio=None, editing=True)


async def test_a_bad_form_sends_nothing(account: MixcloudAccount, fake: FakeMixcloud, tmp_path: Path) -> None:
    with pytest.raises(BadInput):
        check_form(ShowForm(name="Mix", tags=tuple("abcdef")), audio=tmp_path / "none.mp3", editing=False)
    assert fake.seen == [] and fake.uploads == []


# -- sending ------------------------------------------------------------------------------------------------


async def test_an_upload_sends_every_field_and_the_files(
    account: MixcloudAccount, fake: FakeMixcloud, audio: Path, picture: Path
) -> None:
    sections = merge_sections([parse_section("10|Artist Name|Song Title", 1)], [parse_chapter("0|Introduction", 1)])
    form = ShowForm(
        name="Friday Mix", description="Warm-up set", tags=("House", "Disco"), picture=picture, sections=sections
    )
    progress: list[UploadProgress] = []
    result = await send_form(account, "/upload/", form, audio=audio, on_progress=progress.append)
    assert result.key == "/djane/friday-mix/"
    assert result.url == "https://www.mixcloud.com/djane/friday-mix/"
    [upload] = fake.uploads
    assert upload.fields == {
        "name": "Friday Mix",
        "description": "Warm-up set",
        "tags-0-tag": "House",
        "tags-1-tag": "Disco",
        "sections-0-chapter": "Introduction",
        "sections-0-start_time": "0",
        "sections-1-artist": "Artist Name",
        "sections-1-song": "Song Title",
        "sections-1-start_time": "10",
    }
    assert upload.files["mp3"] == (
        "friday-mix.mp3",
        "audio/mpeg",
        300_000,
        hashlib.sha256(audio.read_bytes()).hexdigest(),
    )
    assert upload.files["picture"][:3] == ("cover.jpg", "image/jpeg", 20_000)
    assert upload.files["picture"][3] == hashlib.sha256(picture.read_bytes()).hexdigest()
    assert progress and progress[-1].sent == progress[-1].total and progress[-1].fraction == 1.0
    assert [p.sent for p in progress] == sorted(p.sent for p in progress)


async def test_an_edit_sends_only_what_changes(account: MixcloudAccount, fake: FakeMixcloud) -> None:
    form = ShowForm(name="Party Time (edit)", tags=("Funk",), publish=True)
    check_form(form, audio=None, editing=True)
    result = await send_form(account, "/upload/spartacus/party-time/edit/", form, audio=None)
    assert result.key == "/spartacus/party-time/" and result.message == "Edited"
    [upload] = fake.uploads
    assert upload.path == "/upload/spartacus/party-time/edit/"
    assert upload.fields == {"name": "Party Time (edit)", "tags-0-tag": "Funk", "publish": "1"}
    assert upload.files == {}
    assert fake.shows["/spartacus/party-time/"]["name"] == "Party Time (edit)"


async def test_mixcloud_validation_errors_are_told_in_plain_words(
    account: MixcloudAccount, fake: FakeMixcloud, audio: Path
) -> None:
    # Pro-only fields are refused by Mixcloud for a free account (when mixtui could not tell beforehand).
    form = ShowForm(name="Mix", publish_date=datetime.now(UTC) + timedelta(days=2), hosts=("nightowl",))
    with pytest.raises(ValidationFailure) as caught:
        await send_form(account, "/upload/", form, audio=audio)
    assert caught.value.problems == ["publish date: Only for Pro accounts", "host 1: Only for Pro accounts"]
    assert "Mixcloud refused the show" in caught.value.message
    assert fake.uploads == []


def test_answers_are_read() -> None:
    ok = parse_upload_answer(200, {"result": {"success": True, "key": "/a/b/", "message": "Uploaded B"}})
    assert (ok.key, ok.url, ok.message) == ("/a/b/", "https://www.mixcloud.com/a/b/", "Uploaded B")
    details = {"sections-2-artist": ["This field is required."], "tags-0-tag": "Too long."}
    with pytest.raises(ValidationFailure) as caught:
        parse_upload_answer(400, {"error": {"type": "UploadValidationError", "details": details}})
    assert caught.value.problems == ["section 3 artist: This field is required", "tag 1: Too long"]
    with pytest.raises(ValidationFailure, match="HTTP 500"):
        parse_upload_answer(500, None)


async def test_a_50_mb_upload_streams_with_flat_memory(
    account: MixcloudAccount, fake: FakeMixcloud, tmp_path: Path
) -> None:
    big = tmp_path / "long-mix.mp3"
    digest = write_file(big, 50 * 1_000_000)
    progress: list[UploadProgress] = []
    tracemalloc.start()
    try:
        result = await send_form(account, "/upload/", ShowForm(name="Long Mix"), audio=big, on_progress=progress.append)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.key == "/djane/long-mix/"
    assert fake.uploads[0].files["mp3"][2:] == (50_000_000, digest)
    # Client and server both in this process: the peak stays a small fraction of the 50 MB file.
    print(f"peak traced memory during a 50 MB upload: {peak / MIB:.2f} MiB")
    assert peak < 4 * MIB, f"peak traced memory {peak / MIB:.1f} MiB"
    last = progress[-1]
    assert last.sent == last.total > 50_000_000 and last.rate is not None
    assert "MB of" in progress[len(progress) // 2].describe()


async def test_cancel_mid_upload(account: MixcloudAccount, fake: FakeMixcloud, tmp_path: Path) -> None:
    big = tmp_path / "mix.mp3"
    write_file(big, 20 * 1_000_000)
    fake.read_delay = 0.005  # a slow line, so the upload is still going when the user cancels
    cancel = threading.Event()
    seen: list[int] = []

    def on_progress(state: UploadProgress) -> None:
        seen.append(state.sent)
        if state.sent > 8_000_000:
            cancel.set()

    with pytest.raises(UploadCancelled, match="nothing was published"):
        await send_form(account, "/upload/", ShowForm(name="Mix"), audio=big, on_progress=on_progress, cancel=cancel)
    assert 8_000_000 < seen[-1] < 20_000_000
    assert fake.uploads == []
    # The account still works after a cancelled upload.
    assert (await account.me()).user.username == "djane"


# -- tracklists ------------------------------------------------------------------------------------------------

CUE = """REM GENRE House
PERFORMER "DJ Ane"
TITLE "Friday Mix"
FILE "friday-mix.mp3" MP3
  TRACK 01 AUDIO
    TITLE "Intro"
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    PERFORMER "Ann Peebles"
    TITLE "I Can't Stand the Rain"
    INDEX 00 03:20:00
    INDEX 01 03:25:40
  TRACK 03 AUDIO
    PERFORMER "Chic"
    TITLE "Good Times"
    INDEX 01 65:02:00
"""


def test_a_cue_sheet_gives_the_tracks() -> None:
    assert parse_cue_sheet(CUE) == (
        Section(0, artist="DJ Ane", song="Intro"),
        Section(205, artist="Ann Peebles", song="I Can't Stand the Rain"),
        Section(3902, artist="Chic", song="Good Times"),
    )
    with pytest.raises(BadInput, match="no INDEX 01"):
        parse_cue_sheet('TRACK 01 AUDIO\n TITLE "x"\n PERFORMER "y"\n')
    with pytest.raises(BadInput, match="no TRACK"):
        parse_cue_sheet("REM nothing")


def test_the_last_session_of_a_playlist_gives_the_tracks() -> None:
    def play(minute: float, title: str, duration: int = 240, skipped: bool = False) -> Play:
        media = Media(
            id=f"local-{title}",
            title=title,
            author="Artist " + title,
            platform=Platform.LOCAL,
            url=f"file:///{title}",
            duration=duration,
        )
        start = datetime(2026, 11, 20, 21, 0, tzinfo=UTC) + timedelta(minutes=minute)
        return Play(id=title, media=media, played_at=start, playlist_id="p1", skipped=skipped)

    plays = [
        play(-600, "old"),  # an earlier evening
        play(0, "one"),
        play(4, "two"),
        play(8.5, "skipped", skipped=True),
        play(9, "three"),
    ]
    assert sections_from_plays(reversed(plays)) == (
        Section(0, artist="Artist one", song="one"),
        Section(240, artist="Artist two", song="two"),
        Section(540, artist="Artist three", song="three"),
    )
