"""Builds the client for a platform from settings; each platform module is imported on first use."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from mixtui.config import Settings
from mixtui.models import Platform
from mixtui.platforms.base import PlatformClient

# A client class: each takes (settings, http).
ClientClass = Callable[[Settings, httpx.AsyncClient], PlatformClient]


def client_class(platform: Platform) -> ClientClass:
    """The client class of a platform; its module is imported here, not at start-up."""
    match platform:
        case Platform.YOUTUBE:
            from mixtui.platforms.youtube import YouTubeClient

            return YouTubeClient
        case Platform.SOUNDCLOUD:
            from mixtui.platforms.soundcloud import SoundCloudClient

            return SoundCloudClient
        case Platform.MIXCLOUD:
            from mixtui.platforms.mixcloud import MixcloudClient

            return MixcloudClient
        case Platform.BANDCAMP:
            from mixtui.platforms.bandcamp import BandcampClient

            return BandcampClient
        case Platform.VIMEO:
            from mixtui.platforms.vimeo import VimeoClient

            return VimeoClient
        case Platform.LOCAL:
            from mixtui.platforms.local import LocalClient

            return LocalClient
        case Platform.URL:
            from mixtui.platforms.url import UrlClient

            return UrlClient


def import_client_modules(settings: Settings) -> None:
    """Import the enabled platforms' client modules (the app does it off the UI thread)."""
    for platform in Platform:
        if settings.platforms.is_enabled(platform):
            client_class(platform)


def build_platform_client(platform: Platform, settings: Settings, http: httpx.AsyncClient) -> PlatformClient:
    return client_class(platform)(settings, http)
