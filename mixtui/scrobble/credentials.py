"""Where each service's secrets come from: the config or ``MIXTUI_SCROBBLE__…`` variables first,
else the 0600 file that ``mixtui scrobble login`` wrote (never the library, never a log)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mixtui import paths
from mixtui.account.tokens import TokenStore

if TYPE_CHECKING:
    import httpx

    from mixtui.config import Settings
    from mixtui.scrobble.lastfm import Lastfm
    from mixtui.scrobble.listenbrainz import ListenBrainz


def token_store(service: str) -> TokenStore:
    """The 0600 file of a service's login: ``listenbrainz-token.json`` or ``lastfm-session.json``."""
    name = "listenbrainz-token.json" if service == "listenbrainz" else "lastfm-session.json"
    return TokenStore(
        paths.config_dir() / name, service=_TITLES[service], logout_command=f"mixtui scrobble logout {service}"
    )


_TITLES = {"listenbrainz": "ListenBrainz", "lastfm": "Last.fm"}


@dataclass(frozen=True)
class Secret:
    """A secret and where it came from ("config", "file"), for messages that never show it."""

    value: str
    source: str
    user: str | None = None


def listenbrainz_token(settings: Settings) -> Secret | None:
    """The ListenBrainz user token (MixtuiError when its file is readable by others)."""
    configured = settings.scrobble.listenbrainz.token
    if configured is not None and configured.get_secret_value().strip():
        return Secret(configured.get_secret_value().strip(), "config")
    stored = token_store("listenbrainz").load()
    return Secret(stored.access_token, "file", stored.user) if stored else None


def lastfm_api(settings: Settings) -> tuple[str, str] | None:
    """The Last.fm API key and secret, when both are set."""
    section = settings.scrobble.lastfm
    secret = section.api_secret.get_secret_value().strip() if section.api_secret is not None else ""
    key = (section.api_key or "").strip()
    return (key, secret) if key and secret else None


def lastfm_session(settings: Settings) -> Secret | None:
    configured = settings.scrobble.lastfm.session_key
    if configured is not None and configured.get_secret_value().strip():
        return Secret(configured.get_secret_value().strip(), "config")
    stored = token_store("lastfm").load()
    return Secret(stored.access_token, "file", stored.user) if stored else None


def listenbrainz_client(settings: Settings, http: httpx.AsyncClient, token: str) -> ListenBrainz:
    from mixtui.scrobble.listenbrainz import ListenBrainz

    return ListenBrainz(http, settings.scrobble.listenbrainz.api_base_url, token)


def lastfm_client(settings: Settings, http: httpx.AsyncClient, session_key: str | None = None) -> Lastfm | None:
    """A Last.fm client for the configured API account (None when the key or secret is missing)."""
    from mixtui.scrobble.lastfm import Lastfm

    api = lastfm_api(settings)
    if api is None:
        return None
    section = settings.scrobble.lastfm
    return Lastfm(http, section.api_base_url, api[0], api[1], session_key, auth_url=section.auth_url)
