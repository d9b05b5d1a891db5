"""Settings: a TOML file in the user's config dir, overridden by environment variables.

Precedence, highest first: ``MIXTUI_<SECTION>__<KEY>`` variables (e.g.
``MIXTUI_PLATFORMS__YOUTUBE__BASE_URL``), the shortcuts ``MIXTUI_DATA_DIR`` and
``OPENAI_BASE_URL``, the TOML file (``--config PATH`` or ``MIXTUI_CONFIG``, else the
platformdirs config dir), then the defaults below. Settings are passed to whoever needs
them; nothing reads a global. Secrets are never stored here: the LLM key is read from the
environment variable named by ``[llm] api_key_env`` when it is used.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from mixtui import paths
from mixtui.config_file import ENV_PREFIX, config_file_path, deep_merge, environment_overrides, read_config_file
from mixtui.errors import BadInput
from mixtui.models import PLATFORM_ALIASES, SEARCHABLE_PLATFORMS, Platform


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class YouTubeSettings(_Section):
    enabled: bool = True
    base_url: str = "https://www.youtube.com"
    music_base_url: str = "https://music.youtube.com"
    client_version: str = "2.20260123.01.00"


class SoundCloudSettings(_Section):
    enabled: bool = True
    base_url: str = "https://soundcloud.com"
    api_base_url: str = "https://api-v2.soundcloud.com"
    # Optional: scraped from the site's script bundles and cached when absent.
    client_id: SecretStr | None = None


class MixcloudSettings(_Section):
    enabled: bool = True
    api_base_url: str = "https://api.mixcloud.com"
    base_url: str = "https://www.mixcloud.com"
    oembed_base_url: str = "https://app.mixcloud.com"
    # Your registered Mixcloud app (its secret comes from MIXCLOUD_CLIENT_SECRET, never from here).
    client_id: str | None = None
    # The login's redirect URI is http://127.0.0.1:<redirect_port>/mixcloud/callback; register
    # that exact URI with your app (0 picks any free port, which only a test server accepts).
    redirect_port: int = Field(default=8765, ge=0, le=65535)


class BandcampSettings(_Section):
    enabled: bool = True
    base_url: str = "https://bandcamp.com"


class VimeoSettings(_Section):
    # Vimeo has no official key-free search: the anonymous path is unofficial and fragile.
    enabled: bool = True
    base_url: str = "https://vimeo.com"
    api_base_url: str = "https://api.vimeo.com"
    # Optional personal access token for the official API.
    access_token: SecretStr | None = None


class LocalSettings(_Section):
    enabled: bool = True
    dirs: list[Path] = Field(default_factory=lambda: [paths.music_dir()])


class UrlSettings(_Section):
    enabled: bool = True


class PlatformsSettings(_Section):
    youtube: YouTubeSettings = Field(default_factory=YouTubeSettings)
    soundcloud: SoundCloudSettings = Field(default_factory=SoundCloudSettings)
    mixcloud: MixcloudSettings = Field(default_factory=MixcloudSettings)
    bandcamp: BandcampSettings = Field(default_factory=BandcampSettings)
    vimeo: VimeoSettings = Field(default_factory=VimeoSettings)
    local: LocalSettings = Field(default_factory=LocalSettings)
    url: UrlSettings = Field(default_factory=UrlSettings)

    @model_validator(mode="before")
    @classmethod
    def _aliased_sections(cls, data: Any) -> Any:
        """``[platforms.souncloud]`` (the Mixider API's spelling) is the soundcloud section."""
        if not isinstance(data, dict) or not any(key in PLATFORM_ALIASES for key in data):
            return data
        merged: dict[str, Any] = {}
        for key, value in data.items():
            name = PLATFORM_ALIASES.get(str(key), str(key))
            if isinstance(value, dict) and isinstance(merged.get(name), dict):
                merged[name] = {**merged[name], **value}
            else:
                merged[name] = value
        return merged

    def is_enabled(self, platform: Platform) -> bool:
        section: Any = getattr(self, platform.value)
        return bool(section.enabled)

    def enabled_searchable(self) -> list[Platform]:
        return [p for p in SEARCHABLE_PLATFORMS if self.is_enabled(p)]


class SearchSettings(_Section):
    limit: int = Field(default=30, ge=1, le=200)
    # Results asked of each platform before the fair merge.
    per_platform: int = Field(default=20, ge=1, le=100)
    timeout: float = Field(default=10.0, gt=0)
    # Earlier queries recalled with ↑ in the search box (0 keeps none).
    history: int = Field(default=200, ge=0, le=10_000)


class StoreSettings(_Section):
    path: Path | None = None


class LLMSettings(_Section):
    base_url: str | None = None
    model: str = "gpt-4o-mini"
    api_key_env: str = "OPENAI_API_KEY"
    timeout: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=1, ge=0, le=10)


class PlayerSettings(_Section):
    audio_output: str | None = None
    video: bool = False
    autoplay: bool = True
    # Quit and start again: the queue, the track (paused at its position), modes, screen and query are back.
    resume: bool = True


class MprisSettings(_Section):
    """Media keys: an MPRIS2 player on the D-Bus session bus while the app or ``mixtui play`` runs."""

    enabled: bool = True


class UISettings(_Section):
    theme: str = "mixtui-dark"
    # Show cover art where the terminal can (Kitty/Sixel, else half-blocks).
    images: bool = True
    # Remapped keys by binding id, e.g. {"media.play" = "enter,ctrl+j"}.
    keymap: dict[str, str] = Field(default_factory=dict)


class ServeSettings(_Section):
    """``mixtui serve``: where it listens and how it protects itself."""

    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)
    # Where the hashed API keys live (default: api-keys.json next to the library file).
    keys_file: Path | None = None
    # Requests per minute per API key (per client address when no key is configured).
    rate_limit: int = Field(default=120, ge=1)
    max_body_bytes: int = Field(default=65_536, ge=1024)
    # A client gets this long to send its headers and its body.
    request_timeout: float = Field(default=10.0, gt=0)
    # Searches and generations running at once; more wait their turn.
    max_concurrent: int = Field(default=16, ge=1)
    # The app runs the server on its own core while it is open.
    in_app: bool = False


class ListenBrainzSettings(_Section):
    enabled: bool = True
    api_base_url: str = "https://api.listenbrainz.org"
    # Your user token; normally kept by `mixtui scrobble login listenbrainz` in a file only you can read.
    token: SecretStr | None = None


class LastfmSettings(_Section):
    enabled: bool = True
    api_base_url: str = "https://ws.audioscrobbler.com/2.0/"
    auth_url: str = "https://www.last.fm/api/auth/"
    # Your Last.fm API account (https://www.last.fm/api/account/create).
    api_key: str | None = None
    api_secret: SecretStr | None = None
    # Normally kept by `mixtui scrobble login lastfm` in a file only you can read.
    session_key: SecretStr | None = None


class ScrobbleSettings(_Section):
    """Listens sent to ListenBrainz and Last.fm; each service acts once it has its credentials."""

    enabled: bool = True
    # Tracks longer than this (podcasts, DJ mixes) are not scrobbled unless long_tracks is on.
    max_length_minutes: float = Field(default=30.0, gt=0)
    long_tracks: bool = False
    listenbrainz: ListenBrainzSettings = Field(default_factory=ListenBrainzSettings)
    lastfm: LastfmSettings = Field(default_factory=LastfmSettings)


class Settings(BaseModel):
    """All of mixtui's settings; build with :func:`load_settings`."""

    model_config = ConfigDict(extra="forbid")

    platforms: PlatformsSettings = Field(default_factory=PlatformsSettings)
    search: SearchSettings = Field(default_factory=SearchSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    player: PlayerSettings = Field(default_factory=PlayerSettings)
    ui: UISettings = Field(default_factory=UISettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)
    mpris: MprisSettings = Field(default_factory=MprisSettings)
    scrobble: ScrobbleSettings = Field(default_factory=ScrobbleSettings)

    # Where these settings were read from (not a config key).
    config_path: Path | None = Field(default=None, exclude=True)
    # What loading them warned about, e.g. MIXTUI_* variables that name no setting.
    warnings: list[str] = Field(default_factory=list, exclude=True)

    @property
    def store_path(self) -> Path:
        if self.store.path is not None:
            return self.store.path.expanduser()
        data_dir = os.environ.get("MIXTUI_DATA_DIR")
        base = Path(data_dir).expanduser() if data_dir else paths.data_dir()
        return base / "library.json"

    @property
    def keys_path(self) -> Path:
        """The API keys of ``mixtui serve`` (hashed), kept beside the library, never in it."""
        if self.serve.keys_file is not None:
            return self.serve.keys_file.expanduser()
        return self.store_path.parent / "api-keys.json"

    @property
    def state_path(self) -> Path:
        """What the app keeps between runs (the queue to resume, the search history), beside the library."""
        return self.store_path.parent / "state.json"

    @property
    def llm_base_url(self) -> str | None:
        return self.llm.base_url or os.environ.get("OPENAI_BASE_URL") or None

    def llm_api_key(self) -> str | None:
        """The LLM key from the environment variable named in config; never stored."""
        return os.environ.get(self.llm.api_key_env) or None


def load_settings(config_path: Path | str | None = None, **overrides: Any) -> Settings:
    """Read the TOML file (if it exists), apply env overrides, validate; BadInput on errors.

    ``overrides`` are section dicts merged over the file (tests and benchmarks use them to
    point platforms at local servers); environment variables still win over both.
    A ``MIXTUI_*`` variable that names no setting is ignored with a warning (in
    ``settings.warnings``): any program may set one, and it must not cost the user their
    config. A wrong key in the file, or a wrong value anywhere, is an error.
    """
    path = config_file_path(config_path)
    if not path.exists() and config_path is not None:
        raise BadInput(f"config file {path} does not exist")
    data = read_config_file(path)
    deep_merge(data, overrides)
    unknown: list[str] = []
    deep_merge(data, _known_settings(Settings, environment_overrides(os.environ), ENV_PREFIX, unknown))
    try:
        settings = Settings(**data)
    except ValidationError as error:
        raise BadInput(f"invalid settings (config file {path} or MIXTUI_* variables): {_describe(error)}") from None
    settings.config_path = path
    settings.warnings = [f"{name} names no setting; ignored" for name in unknown]
    return settings


def _known_settings(model: type[BaseModel], values: dict[str, Any], prefix: str, unknown: list[str]) -> dict[str, Any]:
    """``values`` without the keys ``model`` does not have; their variable names go to ``unknown``."""
    kept: dict[str, Any] = {}
    for given, value in values.items():
        name = f"{prefix}{given.upper()}"
        # MIXTUI_PLATFORMS__SOUNCLOUD__… names the soundcloud section (the Mixider API's spelling).
        key = PLATFORM_ALIASES.get(given, given) if model is PlatformsSettings else given
        field = model.model_fields.get(key)
        if field is None or field.exclude:
            unknown.append(name)
            continue
        annotation = field.annotation
        if isinstance(value, dict) and isinstance(annotation, type) and issubclass(annotation, BaseModel):
            kept[key] = {**kept.get(key, {}), **_known_settings(annotation, value, f"{name}__", unknown)}
        else:
            kept[key] = value
    return kept


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:3]:
        where = ".".join(str(p) for p in item["loc"])
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)
