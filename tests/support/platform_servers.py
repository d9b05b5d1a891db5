"""One replay server per platform host, and settings that point mixtui at them.

``PlatformServers`` starts a loopback server for every host a platform talks to and
installs each platform's routes from ``tests/support/routes/<platform>.py`` (each module
has ``install(servers)``). Payloads come from the project's own ``tests/fixtures/`` or, with
``source="recorded"``, from the recorded responses in ``../shared/fixtures/platforms/``
(same file names), so the same routes replay both.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from mixtui.config import Settings, load_settings
from mixtui.config_file import deep_merge
from tests.support.replay import ReplayServer

REPO_ROOT = Path(__file__).resolve().parents[2]
OWN_FIXTURES = REPO_ROOT / "tests" / "fixtures"
# ``RECORDED_FIXTURES_DIR`` points elsewhere when the checkout has no ``../shared`` beside it.
RECORDED_FIXTURES = Path(
    os.environ.get("RECORDED_FIXTURES_DIR") or REPO_ROOT.parent / "shared" / "fixtures" / "platforms"
)

# Every host mixtui's platform clients talk to, by the name used in routes modules.
HOSTS = (
    "youtube",
    "youtube_music",
    "soundcloud_site",
    "soundcloud_api",
    "mixcloud_api",
    "mixcloud_oembed",
    "bandcamp",
    "vimeo_site",
    "vimeo_api",
    "media",
)

ROUTE_MODULES = ("youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo")

Source = Literal["own", "recorded"]


class PlatformServers:
    def __init__(self, *, source: Source = "own", lifetime: float = 300.0) -> None:
        self.source = source
        self.servers = {name: ReplayServer(name, lifetime=lifetime) for name in HOSTS}

    def __getitem__(self, host: str) -> ReplayServer:
        return self.servers[host]

    def fixture(self, platform: str, name: str) -> Path:
        """A payload file: the project's own, or the recorded one of the same name."""
        root = RECORDED_FIXTURES if self.source == "recorded" else OWN_FIXTURES
        return root / platform / name

    def url(self, host: str) -> str:
        return self.servers[host].url

    def set_latency(self, host: str, seconds: float) -> None:
        self.servers[host].delay = seconds

    def settings_overrides(self) -> dict[str, Any]:
        """Config sections pointing every platform at these servers."""
        return {
            "platforms": {
                "youtube": {"base_url": self.url("youtube"), "music_base_url": self.url("youtube_music")},
                "soundcloud": {"base_url": self.url("soundcloud_site"), "api_base_url": self.url("soundcloud_api")},
                "mixcloud": {
                    "api_base_url": self.url("mixcloud_api"),
                    "oembed_base_url": self.url("mixcloud_oembed"),
                },
                "bandcamp": {"base_url": self.url("bandcamp")},
                "vimeo": {"base_url": self.url("vimeo_site"), "api_base_url": self.url("vimeo_api")},
            },
        }

    def settings(self, tmp_path: Path, **sections: Any) -> Settings:
        """Settings for a test: these servers, a store and music dir under ``tmp_path``."""
        overrides = self.settings_overrides()
        music_dir = tmp_path / "music"
        music_dir.mkdir(exist_ok=True)
        overrides["platforms"]["local"] = {"dirs": [str(music_dir)]}
        overrides["store"] = {"path": str(tmp_path / "library.json")}
        overrides["search"] = {"timeout": 5.0}
        deep_merge(overrides, sections)
        return load_settings(None, **overrides)

    def start(self) -> PlatformServers:
        for server in self.servers.values():
            server.start()
        for name in ROUTE_MODULES:
            try:
                module = importlib.import_module(f"tests.support.routes.{name}")
            except ModuleNotFoundError:
                continue
            module.install(self)
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()

    def __enter__(self) -> PlatformServers:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
