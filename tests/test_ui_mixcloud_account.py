"""Your Mixcloud account in the app, lived as a user would (Pilot, real httpx, a loopback Mixcloud)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, ProgressBar, Static

from mixtui.account.tokens import TokenStore
from mixtui.config import load_settings
from mixtui.ui.app import MixtuiApp
from mixtui.ui.browse.screen import BrowseScreen, PeopleTable
from mixtui.ui.browse.upload_dialog import MixcloudUpload
from tests.support.mixcloud_account import FakeMixcloud, fake_mixcloud  # noqa: F401
from tests.support.ui import notifications

pytestmark = pytest.mark.timeout(90)


def make_app(tmp_path: Path, fake: FakeMixcloud) -> MixtuiApp:
    overrides = fake.settings_overrides()
    overrides["platforms"]["local"] = {"enabled": False}
    settings = load_settings(
        None,
        **overrides,
        store={"path": str(tmp_path / "library.json")},
        ui={"images": False, "theme": "mixtui-dark"},
        player={"audio_output": "null"},
    )
    return MixtuiApp(settings)


async def settle(app: MixtuiApp, pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)


async def open_browse(app: MixtuiApp, pilot: Pilot[Any]) -> BrowseScreen:
    await app.switch_mode("browse")
    await pilot.pause()
    await app.wait_ready()
    await settle(app, pilot)
    assert isinstance(app.screen, BrowseScreen)
    return app.screen


def entry_ids(app: MixtuiApp) -> list[str]:
    entries = app.screen.query_one("#entries", OptionList)
    return [str(entries.get_option_at_index(i).id) for i in range(entries.option_count)]


async def pick(app: MixtuiApp, pilot: Pilot[Any], key: str) -> None:
    entries = app.screen.query_one("#entries", OptionList)
    entries.focus()
    entries.highlighted = entries.get_option_index(key)
    await pilot.press("enter")
    await settle(app, pilot)


def state_text(app: MixtuiApp) -> str:
    widget = app.screen.query_one("#account-state", Static)
    return str(widget.content) if widget.display else ""


async def test_signed_out_there_is_no_me_and_keys_stay_local(tmp_path: Path, fake: FakeMixcloud) -> None:
    app = make_app(tmp_path, fake)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(app, pilot)
        assert [entry for entry in entry_ids(app) if entry.startswith("me:")] == ["me:login"]
        await pilot.press("U")
        await settle(app, pilot)
        assert any("mixtui mixcloud login" in text for text in notifications(app))
    assert fake.seen == []


async def test_a_signed_in_user_browses_their_lists_and_acts_on_mixcloud(tmp_path: Path, fake: FakeMixcloud) -> None:
    TokenStore().save(fake.issue_token())
    app = make_app(tmp_path, fake)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(app, pilot)
        ids = entry_ids(app)
        assert [entry for entry in ids if entry.startswith("me:") and entry != "me:upload"] == [
            "me:",
            "me:cloudcasts",
            "me:favorites",
            "me:listen-later",
            "me:following",
            "me:followers",
        ]
        assert "Me · DJ Ane" in str(app.screen.query_one("#entries", OptionList).get_option("me:").prompt)
        await pick(app, pilot, "me:favorites")
        table = app.screen.query_one("#shows")
        assert table.row_count == 21  # 20 shows and "load more"
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert state_text(app) == "On Mixcloud: ♥ favourited"
        # f on a Mixcloud show, signed in: unfavourite on Mixcloud (it was favourited there).
        await pilot.press("f")
        await settle(app, pilot)
        assert "/spartacus/mix-00/" not in fake.favorites
        assert "Mixcloud: No longer favourited on Mixcloud: Mix 00" in notifications(app)
        assert state_text(app) == "On Mixcloud: not favourited"
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        assert "/spartacus/mix-00/" in fake.listen_later and "/spartacus/mix-00/" in fake.reposts
        assert state_text(app) == "On Mixcloud: ⟲ reposted · ◷ in Listen Later"
        await pilot.press("F")
        await settle(app, pilot)
        assert "/spartacus/" in fake.following
        assert "Mixcloud: Following on Mixcloud: Spartacus" in notifications(app)
        # Nothing went to the local library: the library has no favourite.
        store = await app.media_actions.store()
        assert store.counts().get("favs", 0) == 0
        # Load more pages on with the token, and the people you follow list as users.
        await pilot.press("m")
        await settle(app, pilot)
        assert table.row_count == 24  # Mix 00 is no longer a favourite: 24 in all, nothing more to load
        await pick(app, pilot, "me:following")
        people = app.screen.query_one("#people", PeopleTable)
        assert people.display and people.row_count == 2  # nightowl and spartacus
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert state_text(app) == "On Mixcloud: ✓ following"
        # F on a user you follow unfollows them on Mixcloud.
        await pilot.press("F")
        await settle(app, pilot)
        assert fake.following == {"/nightowl/"}  # the first row, Spartacus, followed above
        assert state_text(app) == "On Mixcloud: not following"


async def test_upload_from_the_app_shows_progress_and_can_be_cancelled(tmp_path: Path, fake: FakeMixcloud) -> None:
    TokenStore().save(fake.issue_token())
    mix = tmp_path / "live-mix.mp3"
    # 24 MB: more than loopback's socket buffers, so a slow server holds the upload back.
    mix.write_bytes(bytes(range(256)) * 96_000)
    cue = tmp_path / "live-mix.cue"
    cue.write_text('PERFORMER "DJ Ane"\nTRACK 01 AUDIO\n TITLE "Intro"\n INDEX 01 00:00:00\n')
    app = make_app(tmp_path, fake)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(app, pilot)
        await pick(app, pilot, "me:upload")
        dialog = app.screen
        assert isinstance(dialog, MixcloudUpload)

        def fill(field: str, value: str) -> None:
            dialog.query_one(f"#upload-{field}", Input).value = value

        # A form the document refuses is refused before anything is sent.
        fill("file", str(mix))
        fill("tags", "a, b, c, d, e, f")
        await pilot.click("#upload-start")
        await settle(app, pilot)
        status = str(dialog.query_one("#upload-status", Static).content)
        assert "a show needs a name" in status and "6 tags given" in status
        assert [seen.path for seen in fake.seen if seen.path.startswith("/upload")] == []
        # A slow line: watch the progress, then cancel with Escape.
        fake.read_delay = 0.01
        fill("name", "Live Mix")
        fill("tags", "house, disco")
        fill("cue", str(cue))
        await pilot.click("#upload-start")
        bar = dialog.query_one("#upload-progress", ProgressBar)
        for _ in range(200):
            await pilot.pause(0.05)
            if (bar.progress or 0) > 8_000_000:
                break
        assert bar.total and 0 < (bar.progress or 0) < bar.total
        assert "MB of" in str(dialog.query_one("#upload-status", Static).content)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is dialog  # Escape while sending cancels; it does not close
        assert "upload cancelled; nothing was published" in str(dialog.query_one("#upload-status", Static).content)
        assert fake.uploads == []
        # Again, at full speed: Mixcloud's answer, then close.
        fake.read_delay = 0.0
        await pilot.click("#upload-start")
        await settle(app, pilot)
        assert "https://www.mixcloud.com/djane/live-mix/" in str(dialog.query_one("#upload-status", Static).content)
        [upload] = fake.uploads
        assert upload.fields["sections-0-song"] == "Intro" and upload.fields["tags-1-tag"] == "disco"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert "Mixcloud: Uploaded to Mixcloud: /djane/live-mix/" in notifications(app)


async def test_a_revoked_login_hides_me_and_says_to_log_in_again(tmp_path: Path, fake: FakeMixcloud) -> None:
    TokenStore().save(fake.issue_token())
    app = make_app(tmp_path, fake)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(app, pilot)
        await pick(app, pilot, "me:favorites")
        fake.revoke_all()
        await pilot.press("R")
        await settle(app, pilot)
        assert any("no longer accepts your login" in text for text in notifications(app))
        assert [entry for entry in entry_ids(app) if entry.startswith("me:")] == ["me:login"]
        assert not TokenStore().path.exists()
        # Signed out now: f saves in mixtui's library, not on Mixcloud.
        await pilot.press("f")
        await settle(app, pilot)
        store = await app.media_actions.store()
        assert store.counts().get("favs") == 1


async def test_coming_back_to_browse_asks_mixcloud_nothing_new(tmp_path: Path, fake: FakeMixcloud) -> None:
    TokenStore().save(fake.issue_token())
    app = make_app(tmp_path, fake)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(app, pilot)
        assert [seen.path for seen in fake.seen] == ["/me/"]
        await app.switch_mode("search")
        await pilot.pause()
        await open_browse(app, pilot)
        assert [seen.path for seen in fake.seen] == ["/me/"]
        # Logged out from the command line meanwhile: the Me entries go when Browse comes back.
        TokenStore().clear()
        await app.switch_mode("search")
        await pilot.pause()
        await open_browse(app, pilot)
        assert [entry for entry in entry_ids(app) if entry.startswith("me:")] == ["me:login"]


async def test_sign_in_from_the_app(tmp_path: Path, fake: FakeMixcloud, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    opened: list[str] = []

    def browser(url: str) -> bool:
        """What the user's browser does: the authorize page, then its redirect to mixtui's loopback address."""
        opened.append(url)
        with httpx.Client(follow_redirects=True, timeout=5) as client:
            return client.get(url).status_code == 200

    monkeypatch.setattr("webbrowser.open", browser)
    app = make_app(tmp_path, fake)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(app, pilot)
        await pick(app, pilot, "me:login")
        await settle(app, pilot)
        assert opened and opened[0].startswith(f"{fake.site_url}/oauth/authorize?client_id=mixtui-test-app")
        assert "me:favorites" in entry_ids(app) and "me:login" not in entry_ids(app)
        assert "Mixcloud: Signed in to Mixcloud as DJ Ane" in notifications(app)
        stored = TokenStore().load()
        assert stored is not None and stored.access_token in fake.tokens


async def test_a_rate_limit_in_the_app_says_how_long_to_wait(tmp_path: Path, fake: FakeMixcloud) -> None:
    TokenStore().save(fake.issue_token())
    app = make_app(tmp_path, fake)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(app, pilot)
        await pick(app, pilot, "me:favorites")
        await pilot.pause(0.3)
        await settle(app, pilot)
        fake.rate_limit_next(30)
        await pilot.press("R")
        await settle(app, pilot)
        assert "Mixcloud: Mixcloud rate-limited us; retry in 30 s (mixtui sends nothing to Mixcloud until then" in (
            " ".join(notifications(app))
        )
        sent = len(fake.seen)
        await pilot.press("l")
        await settle(app, pilot)
        assert len(fake.seen) == sent  # refused at once, nothing sent
        assert fake.reposts == set() and fake.listen_later == set()
        # Still signed in: a rate limit is not a rejected login.
        assert "me:favorites" in entry_ids(app)


async def test_upload_from_the_app_with_the_tracklist_of_a_played_playlist(tmp_path: Path, fake: FakeMixcloud) -> None:
    from datetime import UTC, datetime, timedelta

    from mixtui.models import Media, Platform
    from mixtui.store import Library

    TokenStore().save(fake.issue_token())
    tracks = [
        Media(
            id=f"local-{n}", title=title, author="Chic", platform=Platform.LOCAL, url=f"file:///{n}.mp3", duration=180
        )
        for n, title in enumerate(["Le Freak", "Good Times"])
    ]
    with Library(tmp_path / "library.json") as store:
        playlist = store.playlists.create("Friday night", items=tracks)
        started = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
        store.plays.record_play(tracks[0], started, playlist.id)
        store.plays.record_play(tracks[1], started + timedelta(seconds=185), playlist.id)
        store.flush()
    mix = tmp_path / "friday.mp3"
    mix.write_bytes(b"ID3" + bytes(50_000))
    app = make_app(tmp_path, fake)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(app, pilot)
        await pick(app, pilot, "me:upload")
        dialog = app.screen
        assert isinstance(dialog, MixcloudUpload)
        for field, value in (("file", str(mix)), ("name", "Friday night"), ("cue", "friday night")):
            dialog.query_one(f"#upload-{field}", Input).value = value
        await pilot.click("#upload-start")
        await settle(app, pilot)
        assert "https://www.mixcloud.com/djane/friday-night/" in str(dialog.query_one("#upload-status", Static).content)
        fields = fake.uploads[-1].fields
        assert [fields[f"sections-{n}-song"] for n in range(2)] == ["Le Freak", "Good Times"]
        assert [fields[f"sections-{n}-start_time"] for n in range(2)] == ["0", "185"]
        # A cue sheet that is not there is named as such, not taken for a playlist.
        dialog.query_one("#upload-cue", Input).value = str(tmp_path / "missing.cue")
        await pilot.click("#upload-start")
        await settle(app, pilot)
        assert "missing.cue does not exist" in str(dialog.query_one("#upload-status", Static).content)
