"""ListenBrainz's documented API: ``POST /1/submit-listens`` and ``GET /1/validate-token``.

Requests carry ``Authorization: Token <user token>``. A listen is ``{"listened_at": <start, Unix
seconds>, "track_metadata": {"artist_name", "track_name", "additional_info": {...}}}``; one listen
goes as ``single``, a backlog as ``import`` (at most 1000 a request), "now playing" as
``playing_now`` without ``listened_at``. HTTP 401 means the token was refused, 400 that a listen
is invalid (it is never retried), 429 and 5xx that the service wants us back later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mixtui import __version__
from mixtui.errors import PlatformAuthError, PlatformError, RateLimited
from mixtui.platforms.base import decode_json, retry_after_seconds, send
from mixtui.scrobble.rules import LISTENBRAINZ_RULE, Track
from mixtui.store.scrobbles import QueuedListen

if TYPE_CHECKING:
    import httpx

NAME = "listenbrainz"
# The service takes up to 1000; 100 keeps a request small on a slow link.
BATCH_SIZE = 100


def track_metadata(track: Track) -> dict[str, Any]:
    info: dict[str, Any] = {
        "media_player": "mixtui",
        "media_player_version": __version__,
        "submission_client": "mixtui",
        "submission_client_version": __version__,
    }
    if track.duration:
        info["duration_ms"] = track.duration * 1000
    if track.origin_url:
        info["origin_url"] = track.origin_url
    if track.music_service:
        info["music_service"] = track.music_service
    return {"artist_name": track.artist, "track_name": track.title, "additional_info": info}


def submission(listen_type: str, listens: Sequence[tuple[int | None, Track]]) -> dict[str, Any]:
    payload = []
    for listened_at, track in listens:
        item: dict[str, Any] = {"track_metadata": track_metadata(track)}
        if listened_at is not None:
            item["listened_at"] = listened_at
        payload.append(item)
    return {"listen_type": listen_type, "payload": payload}


class ListenBrainz:
    """One user's ListenBrainz, on the shared HTTP client."""

    name = NAME
    title = "ListenBrainz"
    rule = LISTENBRAINZ_RULE
    batch_size = BATCH_SIZE

    def __init__(self, http: httpx.AsyncClient, base_url: str, token: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self._token = token

    def __repr__(self) -> str:
        return f"ListenBrainz(base_url={self.base_url!r}, token='***')"

    @property
    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self._token}", "Content-Type": "application/json"}

    async def validate(self) -> str:
        """The user name the token belongs to; PlatformAuthError when the token is not valid."""
        response = await send(
            self.http, self.title, "GET", f"{self.base_url}/1/validate-token", headers=self._headers, check=False
        )
        self._raise_for(response)
        body = decode_json(response, self.title)
        if not isinstance(body, dict) or body.get("valid") is not True:
            raise PlatformAuthError("ListenBrainz says the token is not valid", platform=self.title)
        return str(body.get("user_name") or "?")

    async def now_playing(self, track: Track) -> None:
        await self._post(submission("playing_now", [(None, track)]))

    async def submit(self, listens: Sequence[QueuedListen]) -> dict[str, str]:
        """Send listens; the ones refused as invalid come back with the reason (the rest were accepted)."""
        if not listens:
            return {}
        pairs = [(listen.listened_at, Track.from_json(listen.track)) for listen in listens]
        try:
            await self._post(submission("single" if len(listens) == 1 else "import", pairs))
        except _Rejected as rejected:
            if len(listens) == 1:
                return {listens[0].id: rejected.reason}
            # Find the invalid ones: halves are sent on their own (the valid ones are stored).
            middle = len(listens) // 2
            return {**await self.submit(listens[:middle]), **await self.submit(listens[middle:])}
        return {}

    async def _post(self, document: dict[str, Any]) -> None:
        response = await send(
            self.http,
            self.title,
            "POST",
            f"{self.base_url}/1/submit-listens",
            json=document,
            headers=self._headers,
            check=False,
        )
        self._raise_for(response)

    def _raise_for(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        reason = _error_text(response)
        if status == 401:
            raise PlatformAuthError(f"ListenBrainz refused the token (HTTP 401): {reason}", platform=self.title)
        if status == 400:
            raise _Rejected(reason or "invalid listen")
        if status == 429:
            wait = retry_after_seconds(response)
            reset = response.headers.get("x-ratelimit-reset-in")
            if wait is None and reset and reset.strip().isdigit():
                wait = float(reset)
            raise RateLimited("ListenBrainz asked us to slow down (HTTP 429)", platform=self.title, retry_after=wait)
        raise PlatformError(
            f"ListenBrainz answered HTTP {status}{': ' + reason if reason else ''}", platform=self.title
        )


class _Rejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _error_text(response: httpx.Response) -> str:
    try:
        body = decode_json(response, NAME)
    except PlatformError:
        return ""
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])[:200]
    return ""
