"""``mixtui browse mixcloud KEY_OR_URL`` end to end against the replay servers: output, JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mixtui.cli import main
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply
from tests.support.routes.mixcloud_browse import install_browse_routes, rate_limited

SEED_FIELDS = ["id", "title", "author", "image", "platform", "url", "duration"]


@pytest.fixture
def runner(platform_servers: PlatformServers, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    install_browse_routes(platform_servers)
    monkeypatch.setenv("MIXTUI_PLATFORMS__MIXCLOUD__API_BASE_URL", platform_servers.url("mixcloud_api"))
    monkeypatch.setenv("MIXTUI_PLATFORMS__MIXCLOUD__OEMBED_BASE_URL", platform_servers.url("mixcloud_oembed"))
    return CliRunner()


def browse(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["browse", "mixcloud", *args])
    return result.exit_code, result.stdout, result.stderr


def test_hot_as_json_pages_of_seed_media(runner: CliRunner, platform_servers: PlatformServers) -> None:
    code, out, err = browse(runner, "/popular/hot/", "--limit", "3", "--json")
    assert code == 0, err
    page = json.loads(out)
    assert page["kind"] == "page" and page["item_type"] == "show"
    assert [item["title"] for item in page["items"]] == ["Sunrise Set — April", "Party Time", "Deep Water Dub #9"]
    assert all(list(item) == SEED_FIELDS for item in page["items"])
    assert page["next"] == "https://api.mixcloud.com/popular/hot/?limit=3&offset=3"
    # The next link pasted back gives the next page.
    code, out, err = browse(runner, page["next"], "--json")
    assert code == 0, err
    second = json.loads(out)
    assert second["offset"] == 3 and second["next"] is None
    assert [item["title"] for item in second["items"]] == ["Acropolis Grooves", "After Hours 12"]
    assert [r.query for r in platform_servers["mixcloud_api"].requests] == [
        {"limit": "3"},
        {"limit": "3", "offset": "3"},
    ]


def test_the_table_ends_with_the_command_for_the_next_page(runner: CliRunner) -> None:
    # Piped (as here): rows on stdout, the heading and the paging commands on stderr.
    code, out, err = browse(runner, "/popular/hot/", "-n", "3")
    assert code == 0
    assert "Hot shows — 3 shows" in err
    assert "Party Time" in out and "Spartacus" in out and "1:02:03" in out
    assert err.rstrip().endswith("more: mixtui browse mixcloud '/popular/hot/?limit=3&offset=3'")
    code, out, err = browse(runner, "/popular/hot/?limit=3&offset=3")
    assert "from 4" in err and "4\tmixcloud\tAcropolis Grooves" in out
    assert "back: mixtui browse mixcloud '/popular/hot/?limit=3&offset=0'" in err
    assert err.rstrip().endswith("(last page)")


def test_a_page_without_paging_is_the_last(runner: CliRunner) -> None:
    code, out, _ = browse(runner, "/new/", "--json")
    assert code == 0
    assert json.loads(out)["next"] is None
    assert browse(runner, "/new/")[2].rstrip().endswith("(last page)")


def test_a_genre_with_a_city(runner: CliRunner, platform_servers: PlatformServers) -> None:
    code, out, _ = browse(runner, "/genres/funk+city:athens/", "--offset", "0", "--json")
    assert code == 0
    page = json.loads(out)
    assert page["owner"]["type"] == "tag" and page["owner"]["city"] == "athens"
    assert page["key"] == "/discover/funk+city:athens/popular/"
    assert platform_servers["mixcloud_api"].requests[-1].query == {"limit": "20", "offset": "0"}


def test_a_user_and_their_followers(runner: CliRunner) -> None:
    code, out, err = browse(runner, "https://www.mixcloud.com/spartacus/")
    assert code == 0
    assert "Spartacus (spartacus) London, United Kingdom · 1,234 followers · 56 shows" in err  # piped: on stderr
    assert "Party Time 2" in out
    assert "until=2025-03-01" in err  # a user's shows page by date
    code, out, _ = browse(runner, "/spartacus/followers/")
    assert "/athensfunk/" in out and "Athens Funk Club" in out and "8,890" in out
    code, out, _ = browse(runner, "/spartacus/followers/", "--json")
    assert [user["username"] for user in json.loads(out)["items"]] == ["athensfunk", "nightowl", "dubdiver"]


def test_search_users_and_tags(runner: CliRunner) -> None:
    code, out, _ = browse(runner, "/search/?q=party&type=user", "--json")
    assert code == 0 and json.loads(out)["item_type"] == "user"
    code, out, _ = browse(runner, "https://www.mixcloud.com/search/?q=funk&type=tag")
    assert "Funk in Athens" in out and "/discover/funk+city:athens/" in out


def test_a_show_with_its_tracklist(runner: CliRunner) -> None:
    code, out, _ = browse(runner, "https://www.mixcloud.com/spartacus/party-time/")
    assert code == 0
    assert "Party Time — Spartacus · 1:02:03" in out
    assert "tags: Funk, Athens" in out
    assert "Tracklist (4)" in out
    assert "2.    1:35  The J.B.'s — Pass the Peas" in out
    code, out, _ = browse(runner, "/spartacus/party-time/", "--json")
    detail = json.loads(out)
    assert list(detail["media"]) == SEED_FIELDS
    titles = [entry["title"] for entry in detail["tracklist"]]
    assert titles == ["Warm-up", "Pass the Peas", "Cissy Strut", "Funky Drummer"]


def test_oembed(runner: CliRunner) -> None:
    code, out, _ = browse(runner, "https://www.mixcloud.com/spartacus/party-time/", "--oembed", "--json")
    assert code == 0
    embed = json.loads(out)
    assert embed["kind"] == "oembed" and embed["author_name"] == "Spartacus" and embed["html"].startswith("<iframe")
    code, out, _ = browse(runner, "/spartacus/party-time/", "--oembed")
    assert out.startswith("Party Time by Spartacus\n  by Spartacus (https://www.mixcloud.com/spartacus/)")
    code, _, err = browse(runner, "/popular/", "--oembed")
    assert code == 2 and "single show" in err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["https://soundcloud.com/x/y"], "not a Mixcloud address"),
        ([""], "give a Mixcloud key or URL"),
        (["/me/"], "needs a Mixcloud login"),
        (["/popular/", "--limit", "0"], "limit must be between 1 and 100"),
        (["/spartacus/cloudcasts/", "--offset", "5", "--since", "1700000000"], "not both"),
        (["/spartacus/cloudcasts/", "--until", "tomorrow"], "Unix timestamp"),
        (["/spartacus/party-time/", "--limit", "5"], "apply to lists"),
        (["/spartacus/party-time/", "--oembed", "--limit", "5"], "paging options do not apply"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(
    runner: CliRunner, platform_servers: PlatformServers, args: list[str], says: str
) -> None:
    code, out, err = browse(runner, *args)
    assert code == 2
    assert says in err and "Traceback" not in err + out
    assert not platform_servers["mixcloud_api"].requests


def test_an_unknown_key_exits_4(runner: CliRunner) -> None:
    code, _, err = browse(runner, "/nobody/")
    assert code == 4
    assert "error: Mixcloud has no user at /nobody/ (https://www.mixcloud.com/nobody/)" in err


def test_a_rate_limit_says_the_wait_and_the_next_run_sends_nothing(
    runner: CliRunner, platform_servers: PlatformServers
) -> None:
    api = platform_servers["mixcloud_api"]
    api.force(rate_limited(452), times=1)
    code, _, err = browse(runner, "/popular/hot/")
    assert code == 1
    assert "error: Mixcloud rate-limited us; retry in 452 s" in err
    code, _, err = browse(runner, "/new/", "--json")
    assert code == 1 and "Mixcloud rate-limited us; retry in 45" in err
    assert "sends nothing to Mixcloud until then" in err
    assert len(api.requests) == 1


def test_a_failing_mixcloud_exits_1(runner: CliRunner, platform_servers: PlatformServers) -> None:
    platform_servers["mixcloud_api"].force(Reply(status=502, body="bad gateway"), times=1)
    code, _, err = browse(runner, "/new/")
    assert code == 1 and "mixcloud answered HTTP 502" in err


def test_help_lists_the_examples() -> None:
    result = CliRunner().invoke(main, ["browse", "mixcloud", "--help"])
    assert result.exit_code == 0
    assert "mixtui browse mixcloud /genres/funk+city:athens/" in result.output
    assert "--offset" in result.output and "--limit" in result.output and "--json" in result.output
    assert "browse" in CliRunner().invoke(main, ["--help"]).output


def test_the_command_runs_as_a_program(platform_servers: PlatformServers, tmp_path: Path) -> None:
    install_browse_routes(platform_servers)
    env = {
        "HOME": str(tmp_path),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "MIXTUI_PLATFORMS__MIXCLOUD__API_BASE_URL": platform_servers.url("mixcloud_api"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-m", "mixtui", "browse", "mixcloud", "/new/", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["items"]) == 2
