"""Builds the client for a platform from settings; each platform module is imported lazily."""

from __future__ import annotations

import importlib

import httpx

from mixtui.config import Settings
from mixtui.models import Platform
from mixtui.platforms.base import PlatformClient

# platform -> "module:ClientClass"; each class takes (settings, http).
CLIENT_CLASSES: dict[Platform, str] = {
    Platform.YOUTUBE: "mixtui.platforms.youtube:YouTubeClient",
    Platform.SOUNDCLOUD: "mixtui.platforms.soundcloud:SoundCloudClient",
    Platform.MIXCLOUD: "mixtui.platforms.mixcloud:MixcloudClient",
    Platform.BANDCAMP: "mixtui.platforms.bandcamp:BandcampClient",
    Platform.VIMEO: "mixtui.platforms.vimeo:VimeoClient",
    Platform.LOCAL: "mixtui.platforms.local:LocalClient",
    Platform.URL: "mixtui.platforms.url:UrlClient",
}


def import_client_modules(settings: Settings) -> None:
    """Import the enabled platforms' client modules (the app does it off the UI thread)."""
    for platform, target in CLIENT_CLASSES.items():
        if settings.platforms.is_enabled(platform):
            importlib.import_module(target.split(":", 1)[0])


def build_platform_client(platform: Platform, settings: Settings, http: httpx.AsyncClient) -> PlatformClient:
    module_name, class_name = CLIENT_CLASSES[platform].split(":")
    client_class = getattr(importlib.import_module(module_name), class_name)
    client: PlatformClient = client_class(settings, http)
    return client
