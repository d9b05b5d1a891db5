"""The Mixider API document's contract, as scripts reading mixtui's JSON expect it.

``platform: url`` with words searches every other platform; at most 30 results; errors as
``{"error": {"status", "message", "hint"}}`` with the document's statuses; the seed's
``souncloud`` spelling wherever a platform is named; Mixcloud oEmbed covers read from ``image``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mixtui.cli import main
from mixtui.config import load_settings
from mixtui.errors import PlatformBlocked, PlatformTimeout, api_error_json
from mixtui.models import Media
from mixtui.services import Services
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply
from tests.support.routes.mixcloud_browse import install_browse_routes, rate_limited
from tests.test_cli_search import SEED_FIELDS, write_config

ERROR_KEYS = ["status", "message", "hint"]


@pytest.fixture
def runner(tmp_path: Path, platform_servers: PlatformServers, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    install_browse_routes(platform_servers)
    monkeypatch.setenv("MIXTUI_CONFIG", str(write_config(tmp_path, platform_servers)))
    monkeypatch.setenv("MIXTUI_PLATFORMS__LOCAL__ENABLED", "false")
    return CliRunner()


def json_error(output: str) -> dict[str, object]:
    payload = json.loads(output)
    assert list(payload) == ["error"] and list(payload["error"]) == ERROR_KEYS
    error: dict[str, object] = payload["error"]
    return error


def test_url_platform_with_words_searches_every_other_platform(
    runner: CliRunner, platform_servers: PlatformServers
) -> None:
    result = runner.invoke(main, ["search", "moon river", "--platform", "url", "--json", "--limit", "20"])
    assert result.exit_code == 0, result.output
    media = json.loads(result.stdout)
    assert all(list(item) == SEED_FIELDS for item in media)
    assert {item["platform"] for item in media} == {"youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo"}
    # A link still resolves to one Media.
    link = runner.invoke(main, ["search", "https://www.youtube.com/watch?v=_G1soKzXJUo", "-p", "url", "--json"])
    assert link.exit_code == 0, link.output
    assert [item["id"] for item in json.loads(link.stdout)] == ["youtube-_G1soKzXJUo"]


@pytest.mark.parametrize("limit", ["31", "200", "0"])
def test_a_limit_outside_1_to_30_is_refused(runner: CliRunner, platform_servers: PlatformServers, limit: str) -> None:
    result = runner.invoke(main, ["search", "moon river", "--limit", limit])
    assert result.exit_code == 2
    assert f"error: --limit must be between 1 and 30, not {limit}" in result.stderr
    assert "at most 30 results" in result.stderr
    as_json = runner.invoke(main, ["search", "moon river", "--limit", limit, "--json"])
    assert as_json.exit_code == 2
    error = json_error(as_json.stdout)
    assert error["status"] == 400 and "--limit must be between 1 and 30" in str(error["message"])
    assert "error: --limit" in as_json.stderr
    assert not platform_servers["youtube"].requests


def test_the_limit_of_30_itself_is_served(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "moon river", "--limit", "30", "--json"])
    assert result.exit_code == 0, result.output
    assert 0 < len(json.loads(result.stdout)) <= 30


@pytest.mark.parametrize(
    ("args", "status", "exit_code", "says"),
    [
        (["search", "moon river", "--platform", "myspace", "--json"], 400, 2, "unknown platform 'myspace'"),
        (["search", "", "--json"], 400, 2, "empty query"),
        (["browse", "mixcloud", "/nobody/", "--json"], 404, 4, "Mixcloud has no user at /nobody/"),
    ],
)
def test_json_errors_are_the_documents_error_object(
    runner: CliRunner, args: list[str], status: int, exit_code: int, says: str
) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == exit_code
    error = json_error(result.stdout)
    assert error["status"] == status and says in str(error["message"])
    # The human line still goes to stderr.
    assert result.stderr.startswith(f"error: {error['message']}")


def test_a_rate_limit_is_429_with_its_hint_and_a_platform_failure_is_500(
    runner: CliRunner, platform_servers: PlatformServers
) -> None:
    api = platform_servers["mixcloud_api"]
    api.force(Reply(status=502, body="bad gateway"), times=1)
    failed = runner.invoke(main, ["browse", "mixcloud", "/new/", "--json"])
    assert failed.exit_code == 1
    assert json_error(failed.stdout)["status"] == 500
    api.force(rate_limited(452), times=1)
    limited = runner.invoke(main, ["browse", "mixcloud", "/new/", "--json"])
    assert limited.exit_code == 1
    error = json_error(limited.stdout)
    assert error["status"] == 429 and "retry in 452 s" in str(error["message"])
    assert "sends nothing to Mixcloud until then" in str(error["hint"])


def test_statuses_the_document_does_not_know_are_500() -> None:
    assert api_error_json(PlatformTimeout("youtube did not answer"))["error"]["status"] == 500
    assert api_error_json(PlatformBlocked("blocked", hint="later"))["error"] == {
        "status": 500,
        "message": "blocked",
        "hint": "later",
    }


def test_souncloud_is_accepted_wherever_a_platform_is_named(
    tmp_path: Path, runner: CliRunner, platform_servers: PlatformServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A config section spelled the Mixider way is SoundCloud's section.
    config = tmp_path / "souncloud.toml"
    config.write_text(
        "[platforms.souncloud]\n"
        f'api_base_url = "{platform_servers.url("soundcloud_api")}"\n'
        f'base_url = "{platform_servers.url("soundcloud_site")}"\n'
        "[platforms.local]\nenabled = false\n"
    )
    settings = load_settings(config)
    assert settings.platforms.soundcloud.api_base_url == platform_servers.url("soundcloud_api")
    monkeypatch.setenv("MIXTUI_CONFIG", str(config))
    searched = runner.invoke(main, ["search", "moon river", "-p", "souncloud", "--json"])
    assert searched.exit_code == 0, searched.output
    assert {item["platform"] for item in json.loads(searched.stdout)} == {"soundcloud"}
    monkeypatch.setenv("MIXTUI_PLATFORMS__SOUNCLOUD__ENABLED", "false")
    disabled = runner.invoke(main, ["search", "moon river", "-p", "soundcloud", "--json"])
    assert disabled.exit_code == 2 and json_error(disabled.stdout)["status"] == 400
    monkeypatch.delenv("MIXTUI_PLATFORMS__SOUNCLOUD__ENABLED")
    # A preset and a Media object name it the same way.
    store = tmp_path / "library.json"
    monkeypatch.setenv("MIXTUI_STORE__PATH", str(store))
    saved = runner.invoke(main, ["preset", "add", "moon", "--query", "moon river", "-p", "souncloud", "--json"])
    assert saved.exit_code == 0, saved.output
    assert json.loads(saved.stdout)["platform"] == "soundcloud"
    media = Media.model_validate(
        {
            "id": "souncloud-40644970",
            "title": "t",
            "author": "a",
            "image": None,
            "platform": "souncloud",
            "url": "https://soundcloud.com/example/changed-the-way-you-kiss-me",
            "duration": 208.153,
        }
    )
    assert media.platform.value == "soundcloud"


async def test_mixcloud_oembed_reads_the_cover_from_image(tmp_path: Path, platform_servers: PlatformServers) -> None:
    install_browse_routes(platform_servers)
    async with Services(platform_servers.settings(tmp_path)) as services:
        embed = await services.mixcloud_browser.oembed("https://www.mixcloud.com/spartacus/party-time/")
    assert embed.thumbnail_url == "https://thumbnailer.mixcloud.com/unsafe/300x300/extaudio/p/a/party-time-0001"
    assert embed.to_json()["thumbnail_url"] == embed.thumbnail_url


async def test_mixcloud_oembed_prefers_thumbnail_url_when_present(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    install_browse_routes(platform_servers)
    answer = {"title": "Party Time", "image": "https://a.example/image.jpg", "thumbnail_url": "https://a.example/t.jpg"}
    platform_servers["mixcloud_oembed"].force(Reply(body=answer))
    async with Services(platform_servers.settings(tmp_path)) as services:
        embed = await services.mixcloud_browser.oembed("/spartacus/party-time/")
    assert embed.thumbnail_url == "https://a.example/t.jpg"
