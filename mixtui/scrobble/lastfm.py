"""Last.fm's documented API (web services 2.0): signed calls, the desktop login, now playing, scrobbles.

Every call is ``method=…&api_key=…`` plus ``api_sig``: the MD5 (hex) of the call's parameters
sorted by name and written as ``namevalue`` one after the other, followed by the API secret,
in UTF-8 (``format`` is left out of the signature). Write calls (``track.updateNowPlaying``,
``track.scrobble``) are POSTed with the session key ``sk``.

The desktop login: ``auth.getToken`` gives a token; the user opens
``<auth_url>?api_key=…&token=…`` and allows mixtui; ``auth.getSession`` with that token then
answers the session key (error 14 until the user has allowed it). The key does not expire.

Errors come as ``{"error": <code>, "message": …}``: 4, 9, 10, 13 and 26 are refused credentials
(the service stops), 29 is the rate limit, 8, 11 and 16 ask to try again later, 6 is an invalid
request. A scrobble batch (up to 50) answers per track; an ignored one (too old, filtered) fails
with Last.fm's reason and is not retried.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from mixtui.errors import MixtuiError, PlatformAuthError, PlatformError, RateLimited
from mixtui.platforms.base import decode_json, retry_after_seconds, send
from mixtui.scrobble.rules import LASTFM_RULE, Track
from mixtui.store.scrobbles import QueuedListen

if TYPE_CHECKING:
    import httpx

NAME = "lastfm"
BATCH_SIZE = 50
AUTH_ERRORS = frozenset({4, 9, 10, 13, 26})
RETRY_ERRORS = frozenset({8, 11, 16})
RATE_LIMITED = 29
TOKEN_NOT_AUTHORIZED = 14
IGNORED_REASONS = {
    "1": "Last.fm ignored the artist",
    "2": "Last.fm ignored the track",
    "3": "too old for Last.fm (more than 14 days)",
    "4": "Last.fm says the time is in the future",
    "5": "Last.fm's daily scrobble limit was reached",
}


def api_signature(params: Mapping[str, str], secret: str) -> str:
    """Last.fm's ``api_sig`` for a call's parameters."""
    text = "".join(f"{name}{params[name]}" for name in sorted(params) if name not in ("format", "callback"))
    return hashlib.md5((text + secret).encode("utf-8")).hexdigest()


class NotAuthorizedYet(MixtuiError):
    """The user has not allowed mixtui in the browser yet."""


class _Rejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Lastfm:
    """Last.fm for one API account (key and secret) and, once logged in, one user's session key."""

    name = NAME
    title = "Last.fm"
    rule = LASTFM_RULE
    batch_size = BATCH_SIZE

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        api_key: str,
        api_secret: str,
        session_key: str | None = None,
        *,
        auth_url: str = "https://www.last.fm/api/auth/",
    ) -> None:
        self.http = http
        self.base_url = base_url
        self.auth_base = auth_url
        self.api_key = api_key
        self._secret = api_secret
        self._session_key = session_key

    def __repr__(self) -> str:
        return f"Lastfm(base_url={self.base_url!r}, api_key={self.api_key!r}, secret='***', session_key='***')"

    # -- the desktop login ------------------------------------------------------------------------
    async def get_token(self) -> str:
        body = await self._call("GET", "auth.getToken", {})
        token = body.get("token")
        if not isinstance(token, str) or not token:
            raise PlatformError("Last.fm answered auth.getToken without a token", platform=self.title)
        return token

    def auth_url(self, token: str) -> str:
        """Where the user allows mixtui to scrobble."""
        return f"{self.auth_base}?{urlencode({'api_key': self.api_key, 'token': token})}"

    async def get_session(self, token: str) -> tuple[str, str]:
        """``(user name, session key)`` once the user allowed the token; NotAuthorizedYet before."""
        body = await self._call("GET", "auth.getSession", {"token": token})
        session = body.get("session")
        if not isinstance(session, dict) or not isinstance(session.get("key"), str):
            raise PlatformError("Last.fm answered auth.getSession without a session key", platform=self.title)
        return str(session.get("name") or "?"), str(session["key"])

    # -- a logged-in user ---------------------------------------------------------------------------
    async def validate(self) -> str:
        """The user name of the session key; PlatformAuthError when Last.fm refuses it."""
        body = await self._call("GET", "user.getInfo", {"sk": self._need_session()})
        user = body.get("user")
        return str(user.get("name") or "?") if isinstance(user, dict) else "?"

    async def now_playing(self, track: Track) -> None:
        params = {"artist": track.artist, "track": track.title, "sk": self._need_session()}
        if track.duration:
            params["duration"] = str(track.duration)
        await self._call("POST", "track.updateNowPlaying", params)

    async def submit(self, listens: Sequence[QueuedListen]) -> dict[str, str]:
        """Scrobble up to 50 listens; the ones Last.fm ignored or refused come back with the reason."""
        if not listens:
            return {}
        params: dict[str, str] = {"sk": self._need_session()}
        for index, listen in enumerate(listens):
            track = Track.from_json(listen.track)
            params[f"artist[{index}]"] = track.artist
            params[f"track[{index}]"] = track.title
            params[f"timestamp[{index}]"] = str(listen.listened_at)
            params[f"chosenByUser[{index}]"] = "1"
            if track.duration:
                params[f"duration[{index}]"] = str(track.duration)
        try:
            body = await self._call("POST", "track.scrobble", params)
        except _Rejected as rejected:
            if len(listens) == 1:
                return {listens[0].id: rejected.reason}
            middle = len(listens) // 2
            return {**await self.submit(listens[:middle]), **await self.submit(listens[middle:])}
        return _ignored(body, listens)

    # -- calls ----------------------------------------------------------------------------------------
    def _need_session(self) -> str:
        if not self._session_key:
            raise PlatformAuthError(
                "not logged in to Last.fm", platform=self.title, hint="run `mixtui scrobble login lastfm`"
            )
        return self._session_key

    def signed(self, method: str, params: Mapping[str, str]) -> dict[str, str]:
        call = {**params, "method": method, "api_key": self.api_key}
        call["api_sig"] = api_signature(call, self._secret)
        call["format"] = "json"
        return call

    async def _call(self, http_method: str, method: str, params: Mapping[str, str]) -> dict[str, Any]:
        call = self.signed(method, params)
        if http_method == "GET":
            response = await send(self.http, self.title, "GET", self.base_url, params=call, check=False)
        else:
            response = await send(self.http, self.title, "POST", self.base_url, data=call, check=False)
        try:
            body = decode_json(response, self.title)
        except PlatformError:
            if response.status_code >= 400:
                raise PlatformError(f"Last.fm answered HTTP {response.status_code}", platform=self.title) from None
            raise
        if not isinstance(body, dict):
            raise PlatformError("Last.fm sent an answer that is not a JSON object", platform=self.title)
        code = body.get("error")
        if code is None and response.status_code < 400:
            return body
        message = str(body.get("message") or f"HTTP {response.status_code}")[:200]
        if code in AUTH_ERRORS or (code is None and response.status_code in (401, 403)):
            raise PlatformAuthError(f"Last.fm refused the credentials: {message} (error {code})", platform=self.title)
        if code == TOKEN_NOT_AUTHORIZED:
            raise NotAuthorizedYet("the Last.fm token is not allowed yet")
        if code == RATE_LIMITED or response.status_code == 429:
            wait = retry_after_seconds(response)
            raise RateLimited(f"Last.fm asked us to slow down: {message}", platform=self.title, retry_after=wait)
        if code == 6:
            raise _Rejected(message)
        if code in (14, 15):
            raise MixtuiError(f"Last.fm: {message}", hint="start the login again")
        raise PlatformError(f"Last.fm failed: {message} (error {code})", platform=self.title)


def _ignored(body: dict[str, Any], listens: Sequence[QueuedListen]) -> dict[str, str]:
    """The listens of a scrobble batch that Last.fm ignored, with its reason."""
    scrobbles = body.get("scrobbles")
    items = scrobbles.get("scrobble") if isinstance(scrobbles, dict) else None
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        return {}
    failed: dict[str, str] = {}
    for listen, item in zip(listens, items, strict=False):
        ignored = item.get("ignoredMessage") if isinstance(item, dict) else None
        code = str(ignored.get("code", "0")) if isinstance(ignored, dict) else "0"
        if code != "0":
            text = ignored.get("#text") if isinstance(ignored, dict) else None
            failed[listen.id] = IGNORED_REASONS.get(code, str(text or f"Last.fm ignored it (code {code})"))
    return failed
