"""Doctor checks of scrobbling: which services are set up, and (``--online``) whether they take the credentials."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mixtui.config import Settings
from mixtui.doctor import Check, mask_secret
from mixtui.errors import MixtuiError, PlatformAuthError
from mixtui.scrobble import SERVICE_NAMES, SERVICE_TITLES, credentials

if TYPE_CHECKING:
    import httpx

# The shared HTTP client, asked for only when a service is asked online.
HttpSource = Callable[[], "httpx.AsyncClient"]


async def run_checks(settings: Settings, online: bool, http: HttpSource | None = None) -> list[Check]:
    section = settings.scrobble
    if not section.enabled:
        return [Check("scrobbling", True, "off ([scrobble] enabled = false)")]
    checks: list[Check] = []
    for name in SERVICE_NAMES:
        checks.append(await _check(settings, name, online and http is not None, http))
    return checks


async def _check(settings: Settings, name: str, online: bool, http: HttpSource | None) -> Check:
    title = SERVICE_TITLES[name]
    label = f"scrobble {name}"
    if not getattr(settings.scrobble, name).enabled:
        return Check(label, True, f"off ([scrobble.{name}] enabled = false)")
    try:
        if name == "listenbrainz":
            secret = credentials.listenbrainz_token(settings)
            missing = None if secret else "optional: `mixtui scrobble login listenbrainz`"
        else:
            secret = credentials.lastfm_session(settings)
            if credentials.lastfm_api(settings) is None:
                secret = None
                missing = "optional: set [scrobble.lastfm] api_key and api_secret, then `mixtui scrobble login lastfm`"
            else:
                missing = None if secret else "optional: `mixtui scrobble login lastfm`"
    except MixtuiError as error:
        return Check(label, False, error.message, error.hint)
    if secret is None:
        return Check(label, True, "not set up", missing, warning=True)
    where = f"key {mask_secret(secret.value)} from the {secret.source}"
    if not online or http is None:
        return Check(label, True, f"{where} (`mixtui doctor --online` asks {title})")
    client = (
        credentials.listenbrainz_client(settings, http(), secret.value)
        if name == "listenbrainz"
        else credentials.lastfm_client(settings, http(), secret.value)
    )
    assert client is not None
    try:
        user = await client.validate()
    except PlatformAuthError as error:
        return Check(label, False, f"{title} refused the {where}: {error.message}", f"mixtui scrobble login {name}")
    except MixtuiError as error:
        return Check(label, False, f"{title} could not be asked: {error.message}", error.hint)
    return Check(label, True, f"{title} accepts the {where} (user {user})")
