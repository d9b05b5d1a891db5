"""``mixtui mixcloud …`` as a new user tries it against a loopback Mixcloud: log in, me, act, upload, edit, log out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mixtui.account.tokens import default_token_path
from mixtui.cli import main
from tests.support.mixcloud_account import FakeMixcloud

BROWSER_SCRIPT = """
import sys, httpx
with httpx.Client(follow_redirects=True, timeout=10) as browser:
    answer = browser.get(sys.argv[1])
sys.exit(0 if answer.status_code == 200 else 1)
"""


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMixcloud]:
    with FakeMixcloud(lifetime=90.0) as server:
        monkeypatch.setenv("MIXCLOUD_CLIENT_SECRET", server.client_secret)
        monkeypatch.setenv("MIXTUI_PLATFORMS__MIXCLOUD__BASE_URL", server.site_url)
        monkeypatch.setenv("MIXTUI_PLATFORMS__MIXCLOUD__API_BASE_URL", server.api_url)
        monkeypatch.setenv("MIXTUI_PLATFORMS__MIXCLOUD__CLIENT_ID", server.client_id)
        monkeypatch.setenv("MIXTUI_PLATFORMS__MIXCLOUD__REDIRECT_PORT", "0")
        yield server


def mixtui(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_new_user_logs_in_acts_uploads_edits_and_logs_out(fake: FakeMixcloud, tmp_path: Path) -> None:
    script = tmp_path / "browser.py"
    script.write_text(BROWSER_SCRIPT)
    env = dict(os.environ, BROWSER=f"{sys.executable} {script} %s")
    login = subprocess.run(
        [sys.executable, "-m", "mixtui", "mixcloud", "login", "--timeout", "20"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert login.returncode == 0, login.stderr
    assert "Signed in to Mixcloud as DJ Ane (djane)." in login.stdout
    token = json.loads(default_token_path().read_text())["access_token"]
    assert token in fake.tokens
    assert token not in login.stdout + login.stderr and fake.client_secret not in login.stdout + login.stderr

    code, out, err = mixtui("mixcloud", "me")
    assert code == 0, err
    assert out.splitlines()[:2] == ["DJ Ane (djane)", "  https://www.mixcloud.com/djane/"]
    assert "mixtui mixcloud me favorites" in out

    code, out, err = mixtui("mixcloud", "me", "favorites", "--limit", "10")
    assert code == 0, err
    # Piped: the rows on stdout, the command for the next page on stderr.
    assert "Mix 00" in out and "more: mixtui mixcloud me favorites --limit '10' --offset '10'" in err
    code, out, err = mixtui("mixcloud", "me", "favorites", "--limit", "10", "--offset", "20", "--json")
    page = json.loads(out)
    assert len(page["items"]) == 5 and page["next"] is None and token not in out

    code, out, err = mixtui("mixcloud", "follow", "spartacus")
    assert (code, out) == (0, "Following on Mixcloud: /spartacus/\n")
    code, out, err = mixtui("mixcloud", "favorite", "https://www.mixcloud.com/spartacus/party-time/")
    assert (code, out) == (0, "Favourited on Mixcloud: /spartacus/party-time/\n")
    assert "/spartacus/party-time/" in fake.favorites
    code, out, err = mixtui("mixcloud", "favorite", "/spartacus/party-time/", "--undo")
    assert (code, out) == (0, "No longer favourited on Mixcloud: /spartacus/party-time/\n")
    code, out, err = mixtui("mixcloud", "listen-later", "/spartacus/party-time/", "--json")
    assert json.loads(out)["action"] == "listen-later" and "/spartacus/party-time/" in fake.listen_later
    code, out, err = mixtui("mixcloud", "repost", "https://www.mixcloud.com/spartacus/")
    assert code == 2 and "not a single Mixcloud show" in err

    mix = tmp_path / "generated-mix.mp3"
    mix.write_bytes(os.urandom(2_000_000))
    cover = tmp_path / "cover.png"
    cover.write_bytes(b"\x89PNG" + os.urandom(5000))
    code, out, err = mixtui(
        "mixcloud", "upload", str(mix), "--name", "Generated Mix", "--tag", "house", "--tag", "disco",
        "--picture", str(cover), "--chapter", "0|Warm-up", "--section", "0|Ann Peebles|Rain",
        "--section", "4:10|Chic|Good Times", "--description", "Made by a test",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == [
        "Uploaded Generated Mix",
        "  key: /djane/generated-mix/",
        "  url: https://www.mixcloud.com/djane/generated-mix/",
    ]
    upload = fake.uploads[-1]
    assert upload.fields["sections-0-chapter"] == "Warm-up" and upload.fields["sections-2-song"] == "Good Times"
    assert upload.files["mp3"][2] == 2_000_000 and upload.files["picture"][2] == 5004

    code, out, err = mixtui("mixcloud", "edit", "/djane/generated-mix/", "--name", "Generated Mix II", "--unpublish")
    assert code == 0, err
    assert fake.uploads[-1].fields == {"name": "Generated Mix II", "unpublish": "1"}

    code, out, err = mixtui("mixcloud", "logout")
    assert (code, out) == (0, "Signed out of Mixcloud; the token was deleted from this computer.\n")
    assert not default_token_path().exists()
    code, out, err = mixtui("mixcloud", "me")
    assert code == 2 and "not signed in" in err and "mixtui mixcloud login" in err


def test_without_a_browser_the_url_is_printed(fake: FakeMixcloud) -> None:
    env = dict(os.environ, BROWSER="false")
    login = subprocess.run(
        [sys.executable, "-m", "mixtui", "mixcloud", "login", "--timeout", "0.5"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert login.returncode == 1
    assert login.stdout.startswith(f"{fake.site_url}/oauth/authorize?client_id=mixtui-test-app&redirect_uri=http")
    assert "Open this address in a browser" in login.stderr
    assert "no answer from the browser" in login.stderr


def test_upload_problems_are_told_before_anything_is_sent(fake: FakeMixcloud, tmp_path: Path) -> None:
    fake_token = fake.issue_token()
    default_token_path().parent.mkdir(parents=True, exist_ok=True)
    from mixtui.account.tokens import TokenStore

    TokenStore().save(fake_token)
    mix = tmp_path / "mix.mp3"
    mix.write_bytes(b"ID3" * 10)
    code, _out, err = mixtui(
        "mixcloud", "upload", str(mix), "--tag", "a", "--tag", "b", "--tag", "c", "--tag", "d", "--tag", "e",
        "--tag", "f", "--description", "x" * 1001,
    )  # fmt: skip
    assert code == 2
    assert "a show needs a name" in err and "6 tags given" in err and "1001 characters" in err
    assert "nothing was sent to Mixcloud" in err
    code, _out, err = mixtui("mixcloud", "upload", str(mix), "--name", "Mix", "--publish-date", "2030-01-01T10:00:00Z")
    assert code == 2 and "--publish-date only work on Mixcloud Pro accounts" in err
    assert [seen.path for seen in fake.seen] == ["/me/"]  # only the account check went out
    assert fake.uploads == []


def test_a_rate_limit_says_how_long_to_wait(fake: FakeMixcloud) -> None:
    from mixtui.account.tokens import TokenStore

    TokenStore().save(fake.issue_token())
    fake.rate_limit_next(452)
    code, _out, err = mixtui("mixcloud", "follow", "spartacus")
    assert code == 1 and "Mixcloud rate-limited us; retry in 452 s" in err
    code, _out, err = mixtui("mixcloud", "follow", "spartacus")
    assert code == 1 and "retry in 45" in err
    assert [
        seen.path for seen in fake.seen
    ] == []  # the first was refused before its body was read; the second never sent
    assert "/spartacus/" not in fake.following


def test_a_revoked_login_is_forgotten(fake: FakeMixcloud) -> None:
    from mixtui.account.tokens import TokenStore

    TokenStore().save(fake.issue_token())
    fake.revoke_all()
    code, _out, err = mixtui("mixcloud", "favorite", "/spartacus/party-time/")
    assert code == 1 and "no longer accepts your login" in err and "log in again with `mixtui mixcloud login`" in err
    assert not default_token_path().exists()


def test_doctor_masks_the_token_and_the_secret(fake: FakeMixcloud) -> None:
    from mixtui.account.tokens import TokenStore

    token = fake.issue_token()
    TokenStore().save(token)
    result = CliRunner().invoke(main, ["doctor"])
    lines = [line for line in result.output.splitlines() if line.split()[1:2] == ["mixcloud"]]
    assert any("signed in, token set (tok…" in line for line in lines), lines
    assert any("MIXCLOUD_CLIENT_SECRET set (s3c…" in line for line in lines), lines
    assert token not in result.output and fake.client_secret not in result.output


def test_upload_takes_its_tracklist_from_the_last_time_a_playlist_was_played(
    fake: FakeMixcloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from mixtui.account.tokens import TokenStore
    from mixtui.models import Media, Platform
    from mixtui.store import Library

    TokenStore().save(fake.issue_token())
    tracks = [
        Media(
            id=f"local-{n}", title=title, author=artist, platform=Platform.LOCAL, url=f"file:///{n}.mp3", duration=200
        )
        for n, (artist, title) in enumerate([("Ann Peebles", "Rain"), ("Chic", "Good Times"), ("Sade", "Cherish")])
    ]
    library = tmp_path / "library.json"
    start = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
    with Library(library) as store:
        playlist = store.playlists.create("Friday", items=tracks)
        for offset, media in zip((0, 200, 410), tracks, strict=True):
            store.plays.record_play(media, start + timedelta(seconds=offset), playlist.id)
        store.flush()
    mix = tmp_path / "friday.mp3"
    mix.write_bytes(b"ID3" + bytes(5000))
    monkeypatch.setenv("MIXTUI_STORE__PATH", str(library))
    code, _out, err = mixtui("mixcloud", "upload", str(mix), "--name", "Friday", "--from-playlist", "friday")
    assert code == 0, err
    fields = fake.uploads[-1].fields
    assert [(fields[f"sections-{n}-artist"], fields[f"sections-{n}-start_time"]) for n in range(3)] == [
        ("Ann Peebles", "0"),
        ("Chic", "200"),
        ("Sade", "410"),
    ]
    code, _out, err = mixtui("mixcloud", "upload", str(mix), "--name", "F", "--from-playlist", "nope")
    assert code == 4 and "nope" in err


def test_browse_shows_what_you_did_on_mixcloud_when_signed_in(fake: FakeMixcloud) -> None:
    from mixtui.account.tokens import TokenStore

    code, out, err = mixtui("browse", "mixcloud", "/spartacus/party-time/")
    assert code == 0, err
    assert "On Mixcloud" not in out  # signed out: nothing is asked with a token
    TokenStore().save(fake.issue_token())
    fake.favorites.add("/spartacus/party-time/")
    code, out, err = mixtui("browse", "mixcloud", "/spartacus/party-time/")
    assert code == 0, err
    assert out.splitlines()[-1] == "On Mixcloud: favourited, not reposted, not in your Listen Later"
    code, out, err = mixtui("browse", "mixcloud", "/spartacus/party-time/", "--json")
    assert json.loads(out)["on_mixcloud"] == {
        "key": "/spartacus/party-time/",
        "following": None,
        "favorited": True,
        "reposted": False,
        "listen_later": False,
    }


def test_login_with_a_code_pasted_by_hand(fake: FakeMixcloud) -> None:
    import httpx

    from mixtui import paths

    redirect_uri = "http://127.0.0.1:0/mixcloud/callback"  # redirect_port 0 in this test's config
    answer = httpx.get(
        f"{fake.site_url}/oauth/authorize", params={"client_id": fake.client_id, "redirect_uri": redirect_uri}
    )
    code = answer.headers["location"].split("code=", 1)[1]
    result = CliRunner().invoke(main, ["mixcloud", "login", "--code", code])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Signed in to Mixcloud as DJ Ane (djane).\n"
    token = json.loads(default_token_path().read_text())["access_token"]
    # Used once: the same code again is refused, and says what to do.
    again = CliRunner().invoke(main, ["mixcloud", "login", "--code", code])
    assert again.exit_code == 1 and "refused the login code" in again.stderr and "login" in again.stderr
    # Neither the token nor the app's secret reaches the log file.
    log = paths.log_file()
    logged = log.read_text() if log.exists() else ""
    assert token not in logged and fake.client_secret not in logged
