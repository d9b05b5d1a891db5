"""``mixtui serve`` as a user runs it: keys, refusing to go public without one, a real process stopped by SIGTERM.

Also the review commands (``mixtui playlist review`` / ``reviews``) and reviews in the JSON export.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from mixtui.cli import main
from tests.support.api_server import write_config as write_api_config
from tests.support.platform_servers import PlatformServers

MIXTUI = str(Path(sys.executable).with_name("mixtui"))


def write_config(tmp_path: Path, servers: PlatformServers) -> Path:
    return write_api_config(tmp_path, servers, "[search]", "timeout = 5.0")


@pytest.fixture
def runner(tmp_path: Path, platform_servers: PlatformServers, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MIXTUI_CONFIG", str(write_config(tmp_path, platform_servers)))
    return CliRunner()


def test_keys_add_prints_the_key_alone_once_and_stores_only_its_hash(runner: CliRunner, tmp_path: Path) -> None:
    added = runner.invoke(main, ["serve", "keys", "add", "phone"])
    assert added.exit_code == 0, added.output
    key = added.stdout.strip()
    assert added.stdout == key + "\n" and key.startswith("mxt_") and len(key) > 40
    keys_file = tmp_path / "api-keys.json"
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    assert key not in keys_file.read_text()
    assert not (tmp_path / "library.json").exists()  # keys never go into the library
    listed = runner.invoke(main, ["serve", "keys", "list"])
    assert "phone" in listed.stdout and key not in listed.stdout and key[:8] in listed.stdout
    as_json = json.loads(runner.invoke(main, ["serve", "keys", "list", "--json"]).stdout)
    assert [k["name"] for k in as_json] == ["phone"] and set(as_json[0]) == {"name", "prefix", "created_at"}
    again = runner.invoke(main, ["serve", "keys", "add", "Phone"])
    assert again.exit_code == 2 and "exists" in again.stderr
    assert runner.invoke(main, ["serve", "keys", "revoke", "phone"]).exit_code == 0
    unknown = runner.invoke(main, ["serve", "keys", "revoke", "phone"])
    assert unknown.exit_code == 4 and "no API key named 'phone'" in unknown.stderr
    assert runner.invoke(main, ["serve", "keys", "list", "--json"]).stdout.strip() == "[]"


def test_a_network_address_needs_a_key(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2
    assert "needs an API key" in result.stderr and "mixtui serve keys add" in result.stderr


def test_a_port_in_use_is_a_clear_error(runner: CliRunner) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 2 and f"cannot listen on http://127.0.0.1:{port}" in result.stderr


def _start_server(config: Path, home: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(home / "state"), "MIXTUI_CONFIG": str(config)}
    process = subprocess.Popen(
        [MIXTUI, "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()  # printed once the server listens
    assert address.startswith("http://127.0.0.1:"), process.stderr.read() if process.stderr else ""
    return process, address


def test_sigterm_finishes_the_requests_in_flight_and_stops_cleanly(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    platform_servers.set_latency("mixcloud_api", 1.5)
    process, address = _start_server(write_config(tmp_path, platform_servers), tmp_path / "home")
    try:
        key_free = httpx.get(f"{address}/api/v1/playlists", timeout=10)
        assert key_free.status_code == 200
        answers: list[httpx.Response] = []

        def search() -> None:
            body = {"query": "moon river", "platform": "mixcloud"}
            answers.append(httpx.post(f"{address}/api/v1/media/search", json=body, timeout=20))

        worker = threading.Thread(target=search)
        worker.start()
        time.sleep(0.6)  # the search is waiting on the slow platform
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        worker.join(timeout=20)
        code = process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read() if process.stderr else ""
    assert [a.status_code for a in answers] == [200] and answers[0].json()
    assert code == 0 and "stopped" in stderr and "Traceback" not in stderr
    assert time.monotonic() - started < 10
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{address}/api/v1/playlists", timeout=2)


def test_curl_like_session_with_a_key(tmp_path: Path, platform_servers: PlatformServers) -> None:
    config = write_config(tmp_path, platform_servers)
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "MIXTUI_CONFIG": str(config)}
    key = subprocess.run(
        [MIXTUI, "serve", "keys", "add", "laptop"], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    process, address = _start_server(config, home)
    try:
        headers = {"Authorization": f"Bearer {key}"}
        assert httpx.post(f"{address}/api/v1/media/search", json={"query": "moon"}, timeout=10).status_code == 401
        found = httpx.post(
            f"{address}/api/v1/media/search",
            json={"platform": "url", "query": "moon river"},
            headers=headers,
            timeout=20,
        )
        assert found.status_code == 200 and {m["platform"] for m in found.json()} >= {"youtube", "mixcloud"}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    stderr = process.stderr.read() if process.stderr else ""
    assert "1 configured; every request needs Authorization: Bearer <key>" in stderr
    assert key not in stderr


# -- reviews --------------------------------------------------------------------------------------
def test_review_commands_and_json_export(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["playlist", "create", "Road Trip"]).exit_code == 0
    first = runner.invoke(main, ["playlist", "review", "Road Trip", "Great for driving", "--author", "ana", "--json"])
    assert first.exit_code == 0, first.output
    review = json.loads(first.stdout)
    assert review["author"] == "ana" and review["parent_id"] is None
    reply = runner.invoke(
        main, ["playlist", "review", "road trip", "Agreed!", "--reply-to", review["id"], "--author", "bo"]
    )
    assert reply.exit_code == 0 and "reply" in reply.stdout
    later = runner.invoke(main, ["playlist", "review", "Road Trip", "Needs more\nsoul\x1b[2J", "--author", "cy"])
    assert later.exit_code == 0
    shown = runner.invoke(main, ["playlist", "reviews", "Road Trip"])
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("cy · ") and lines[1:3] == ["  Needs more", "  soul␛[2J"]  # shown inert
    assert lines[3].startswith("ana · ") and lines[5].startswith("    ↳ bo · ") and lines[6] == "      Agreed!"
    paged = runner.invoke(main, ["playlist", "reviews", "Road Trip", "--per-page", "1", "--page", "2", "--json"])
    assert [r["body"] for r in json.loads(paged.stdout)] == ["Great for driving", "Agreed!"]
    empty = runner.invoke(main, ["playlist", "review", "Road Trip", "   "])
    assert empty.exit_code == 2 and "a review needs some text" in empty.stderr
    orphan = runner.invoke(main, ["playlist", "review", "Road Trip", "hi", "--reply-to", "rv-nothing"])
    assert orphan.exit_code == 4
    assert runner.invoke(main, ["playlist", "reviews", "Nowhere"]).exit_code == 4
    exported = runner.invoke(main, ["playlist", "export", "Road Trip", "--format", "json"])
    assert exported.exit_code == 0, exported.output
    document = json.loads(exported.stdout)
    assert [r["body"] for r in document["reviews"]] == ["Needs more\nsoul\x1b[2J", "Great for driving", "Agreed!"]
    assert document["reviews"][2]["parent_id"] == review["id"]
    # Deleting the playlist takes its reviews along.
    assert runner.invoke(main, ["playlist", "delete", "Road Trip"]).exit_code == 0
    library = json.loads((tmp_path / "library.json").read_text())
    assert library.get("reviews", {}) == {}
