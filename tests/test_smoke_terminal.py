"""The installed ``mixtui`` command in a real terminal (tmux), driven by keystrokes.

Against the local replay servers and the local OpenAI-compatible server, in a throwaway
home: several searches, a link, a generated local file played and paused, a generation,
every screen, a resize to 80×24, then quit. Fails on a traceback or an early exit.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.support.audio import write_wav
from tests.support.journey import write_config
from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers
from tests.support.routes.mixcloud_browse import install_browse_routes
from tests.support.tmux import TmuxSession
from tests.test_planner_generate import PLAN, serve_catalogue

pytestmark = pytest.mark.timeout(180)

MIXTUI = Path(sys.executable).parent / "mixtui"


def search(term: TmuxSession, query: str) -> None:
    """``/`` puts the cursor in the search box (wherever it was), emptied, then the query and Enter."""
    term.keys("/")
    term.wait("Search every platform", keys=("C-u",))  # emptied: the box shows its placeholder
    term.type(query)
    term.keys("Enter")


def test_the_installed_command_lives_a_session_in_a_real_terminal(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    assert MIXTUI.exists(), f"{MIXTUI} is missing: pip install -e . first"
    serve_catalogue(platform_servers)
    install_browse_routes(platform_servers)
    home = tmp_path / "home"
    home.mkdir()
    song = write_wav(tmp_path / "song.wav", 20, rate=8000)
    with LLMServer() as llm:
        llm.default = llm.plan_reply(PLAN)
        config = write_config(tmp_path, platform_servers, llm)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "OPENAI_API_KEY": "sk-smoke-test-0123456789",
            **{name: str(home / folder) for name, folder in (
                ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state"),
            )},
        }  # fmt: skip
        with TmuxSession("mixtui-smoke", [str(MIXTUI), "--config", str(config)], env=env, size=(120, 40)) as term:
            term.wait("Type a search and press Enter")
            # Several searches: words on every platform, again, a link that is refused, a file link.
            for query in ("moon river", "jazz", "moon river"):
                search(term, query)
                term.wait("YouTube", "✓")
                time.sleep(0.3)
            search(term, "https://www.youtube.com/")
            term.wait("URL refused")
            search(term, song.as_uri())
            term.wait("URL 1 ✓")
            # Into the results, play the file, pause and resume.
            term.keys("Down", "Enter")  # ↓ from the box (or in the list already) to the result
            term.wait("▶", "song")
            term.keys("Space")
            term.wait("⏸")
            term.keys("Space")
            term.wait("▶")
            # Generate a playlist.
            term.keys("F2")
            term.wait("Smart · best anywhere")  # the Generate form, its prompt focused
            term.type("vintage jazz for the beach")
            term.keys("Enter")
            term.wait("tracks found", timeout=30)
            # Every screen.
            for key, text in (("F3", "Listen Later"), ("F4", "Mixcloud"), ("F5", "song"), ("F6", "Endpoint")):
                term.keys(key)
                term.wait(text)
            term.keys("F1")
            term.wait("Search")
            # A smaller terminal, then keep using it.
            term.resize(80, 24)
            time.sleep(0.5)
            term.check()
            search(term, "moon river")
            term.wait("YouTube", "✓")
            for key in ("F2", "F3", "F4", "F5", "F6", "F1"):
                term.keys(key)
                time.sleep(0.3)
                term.check()
            term.keys("C-q")
            term.wait("[exited 0]", exited_ok=True)
            assert "Traceback" not in term.screen()
    log = home / ".local" / "state" / "mixtui" / "mixtui.log"
    if log.exists():
        assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
