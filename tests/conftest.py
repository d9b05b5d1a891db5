"""Every test runs with its own HOME, XDG dirs and no MIXTUI_/OPENAI_ variables from outside."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.platform_servers import RECORDED_FIXTURES, PlatformServers


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith(("MIXTUI_", "OPENAI_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    # No test reaches the desktop's session bus: media keys tests start their own (tests/support/dbus.py).
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    for variable, folder in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_MUSIC_DIR", "Music"),
    ):
        monkeypatch.setenv(variable, str(home / folder))


@pytest.fixture
def platform_servers() -> Iterator[PlatformServers]:
    with PlatformServers(source="own", lifetime=120.0) as servers:
        yield servers


@pytest.fixture
def recorded_servers() -> Iterator[PlatformServers]:
    if not RECORDED_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures/platforms is absent (recorded platform responses)")
    with PlatformServers(source="recorded", lifetime=120.0) as servers:
        yield servers


@pytest.fixture
def recorded_fixtures() -> Path:
    if not RECORDED_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures/platforms is absent (recorded platform responses)")
    return RECORDED_FIXTURES
