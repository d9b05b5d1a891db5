"""Loopback ListenBrainz and Last.fm that speak the services' documented APIs, for the scrobbling tests.

They keep what a real service keeps: ListenBrainz stores one listen per (listened_at, artist,
track) for a user, Last.fm one scrobble per (timestamp, artist, track), so a listen sent twice is
stored once, exactly what mixtui relies on after a crash. Every request is counted, listens as
received too, so a test can tell "stored once" from "sent once". Both run on :class:`ReplayServer`
(127.0.0.1, stop by themselves after ``lifetime`` seconds or a request budget).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from tests.support.replay import ReplayServer, Reply, Request

FOURTEEN_DAYS = 14 * 24 * 3600


@dataclass
class StoredListen:
    listened_at: int
    artist: str
    track: str
    metadata: dict[str, Any] = field(default_factory=dict)


class FakeListenBrainz:
    """``/1/submit-listens`` and ``/1/validate-token`` for the users in ``tokens`` (token -> user name)."""

    def __init__(self, tokens: dict[str, str] | None = None, *, lifetime: float = 60.0) -> None:
        self.tokens = dict(tokens or {"lb-token-1234567890": "alice"})
        self.server = ReplayServer("listenbrainz", lifetime=lifetime)
        self.stored: dict[tuple[int, str, str], StoredListen] = {}
        self.received_listens = 0
        self.playing_now: list[dict[str, Any]] = []
        self.submissions: list[str] = []  # listen_type of every accepted request
        # The listen submission with this number (1 = the first) stores its listens, sets ``held``
        # and waits for ``release`` before answering (a client killed mid-request).
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self.server.route("POST", "/1/submit-listens", self._submit)
        self.server.route("GET", "/1/validate-token", self._validate)

    @property
    def url(self) -> str:
        return self.server.url

    def __enter__(self) -> FakeListenBrainz:
        self.server.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release.set()
        self.server.stop()

    def _user(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        kind, _, token = header.partition(" ")
        return self.tokens.get(token.strip()) if kind == "Token" else None

    def _validate(self, request: Request) -> Reply:
        user = self._user(request) or self.tokens.get(request.query.get("token", ""))
        if user is None:
            return Reply(body={"code": 200, "message": "Token invalid.", "valid": False})
        return Reply(body={"code": 200, "message": "Token valid.", "valid": True, "user_name": user})

    def _submit(self, request: Request) -> Reply:
        if self._user(request) is None:
            return Reply(status=401, body={"code": 401, "error": "Invalid authorization token."})
        try:
            document = request.json()
            listen_type, payload = document["listen_type"], document["payload"]
        except (ValueError, KeyError, TypeError):
            return Reply(status=400, body={"code": 400, "error": "Invalid JSON document submitted."})
        if listen_type not in ("single", "import", "playing_now") or not payload:
            return Reply(status=400, body={"code": 400, "error": "JSON document requires a valid listen_type key."})
        if listen_type in ("single", "playing_now") and len(payload) > 1:
            return Reply(status=400, body={"code": 400, "error": "JSON document contains more than listen"})
        for listen in payload:
            metadata = listen.get("track_metadata") or {}
            if not metadata.get("artist_name") or not metadata.get("track_name"):
                return Reply(status=400, body={"code": 400, "error": "JSON document does not contain artist_name"})
            if listen_type == "playing_now" and "listened_at" in listen:
                return Reply(status=400, body={"code": 400, "error": "playing_now listens must not have listened_at"})
            if listen_type != "playing_now" and not isinstance(listen.get("listened_at"), int):
                return Reply(status=400, body={"code": 400, "error": "JSON document must contain the key listened_at"})
        with self._lock:
            if listen_type == "playing_now":
                self.playing_now.append(payload[0]["track_metadata"])
            else:
                self.received_listens += len(payload)
                for listen in payload:
                    metadata = listen["track_metadata"]
                    key = (listen["listened_at"], metadata["artist_name"], metadata["track_name"])
                    self.stored.setdefault(key, StoredListen(*key, metadata))
            self.submissions.append(listen_type)
            listen_submissions = sum(kind != "playing_now" for kind in self.submissions)
            hold = listen_type != "playing_now" and listen_submissions == self.hold_at
        if hold:
            self.held.set()
            self.release.wait(self.server.lifetime)
        return Reply(body={"status": "ok"})


class FakeLastfm:
    """Last.fm's ``/2.0/``: the desktop login, updateNowPlaying, scrobble, user.getInfo; calls are signed."""

    def __init__(self, api_key: str = "lfm-key-0001", secret: str = "lfm-secret-0001", *, lifetime: float = 60.0):
        self.api_key = api_key
        self.secret = secret
        self.server = ReplayServer("lastfm", lifetime=lifetime)
        self.sessions: dict[str, str] = {}  # session key -> user
        self.tokens: dict[str, str | None] = {}  # token -> the user who allowed it
        # The user allows each new token after this many auth.getSession calls (None: never).
        self.allow_after: int | None = 2
        self.allow_as = "bob"
        self._polls: dict[str, int] = {}
        self.stored: dict[tuple[int, str, str], dict[str, str]] = {}
        self.received_scrobbles = 0
        self.now_playing: list[dict[str, str]] = []
        self.now = time.time
        self._lock = threading.Lock()
        for method in ("GET", "POST"):
            self.server.route(method, "/2.0/", self._call)

    @property
    def url(self) -> str:
        return self.server.url + "/2.0/"

    def __enter__(self) -> FakeLastfm:
        self.server.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.stop()

    def issue_session(self, user: str = "bob") -> str:
        key = secrets.token_hex(16)
        self.sessions[key] = user
        return key

    def _signature(self, params: dict[str, str]) -> str:
        text = "".join(k + params[k] for k in sorted(params) if k not in ("format", "callback", "api_sig"))
        return hashlib.md5((text + self.secret).encode("utf-8")).hexdigest()

    @staticmethod
    def _error(code: int, message: str, status: int = 400) -> Reply:
        return Reply(status=status, body={"error": code, "message": message})

    def _call(self, request: Request) -> Reply:
        params = dict(request.query)
        if request.method == "POST":
            params.update(urllib.parse.parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
        if params.get("format") != "json":
            return self._error(5, "Invalid format - this service only answers json here")
        if params.get("api_key") != self.api_key:
            return self._error(10, "Invalid API key - You must be granted a valid key by last.fm", 403)
        if params.get("api_sig") != self._signature(params):
            return self._error(13, "Invalid method signature supplied", 403)
        method = params.get("method", "")
        handler = {
            "auth.getToken": self._get_token,
            "auth.getSession": self._get_session,
            "track.updateNowPlaying": self._now_playing,
            "track.scrobble": self._scrobble,
            "user.getInfo": self._user_info,
        }.get(method)
        if handler is None:
            return self._error(3, "Invalid Method - No method with that name in this package")
        if method in ("track.updateNowPlaying", "track.scrobble") and request.method != "POST":
            return self._error(6, "write methods are POSTed")
        return handler(params)

    def _session_user(self, params: dict[str, str]) -> str | None:
        return self.sessions.get(params.get("sk", ""))

    def _get_token(self, params: dict[str, str]) -> Reply:
        token = secrets.token_hex(16)
        self.tokens[token] = None
        return Reply(body={"token": token})

    def _get_session(self, params: dict[str, str]) -> Reply:
        token = params.get("token", "")
        if token not in self.tokens:
            return self._error(4, "Invalid authentication token supplied", 403)
        polls = self._polls[token] = self._polls.get(token, 0) + 1
        if self.tokens[token] is None and self.allow_after is not None and polls > self.allow_after:
            self.tokens[token] = self.allow_as
        user = self.tokens[token]
        if user is None:
            return self._error(14, "Unauthorized Token - This token has not been authorized", 403)
        key = self.issue_session(user)
        del self.tokens[token]
        return Reply(body={"session": {"name": user, "key": key, "subscriber": 0}})

    def _user_info(self, params: dict[str, str]) -> Reply:
        user = self._session_user(params)
        if user is None:
            return self._error(9, "Invalid session key - Please re-authenticate", 403)
        return Reply(body={"user": {"name": user, "playcount": str(len(self.stored))}})

    def _now_playing(self, params: dict[str, str]) -> Reply:
        if self._session_user(params) is None:
            return self._error(9, "Invalid session key - Please re-authenticate", 403)
        if not params.get("artist") or not params.get("track"):
            return self._error(6, "Invalid parameters - Your request is missing a required parameter")
        self.now_playing.append({"artist": params["artist"], "track": params["track"]})
        return Reply(body={"nowplaying": {"track": {"#text": params["track"]}, "artist": {"#text": params["artist"]}}})

    def _scrobble(self, params: dict[str, str]) -> Reply:
        if self._session_user(params) is None:
            return self._error(9, "Invalid session key - Please re-authenticate", 403)
        indices = sorted(int(k[len("timestamp[") : -1]) for k in params if k.startswith("timestamp["))
        if not indices or len(indices) > 50:
            return self._error(6, "Invalid parameters - between 1 and 50 scrobbles a batch")
        results: list[dict[str, Any]] = []
        accepted = ignored = 0
        with self._lock:
            for index in indices:
                artist, track = params.get(f"artist[{index}]", ""), params.get(f"track[{index}]", "")
                timestamp = int(params[f"timestamp[{index}]"])
                self.received_scrobbles += 1
                code = "0"
                if not artist or not track:
                    return self._error(6, "Invalid parameters - Your request is missing a required parameter")
                if timestamp < self.now() - FOURTEEN_DAYS:
                    code = "3"
                if code == "0":
                    accepted += 1
                    self.stored.setdefault(
                        (timestamp, artist, track), {"duration": params.get(f"duration[{index}]", "")}
                    )
                else:
                    ignored += 1
                results.append(
                    {
                        "artist": {"corrected": "0", "#text": artist},
                        "track": {"corrected": "0", "#text": track},
                        "timestamp": str(timestamp),
                        "ignoredMessage": {"code": code, "#text": "Timestamp too old" if code == "3" else ""},
                    }
                )
        scrobble: Any = results[0] if len(results) == 1 else results
        body = {"scrobbles": {"scrobble": scrobble, "@attr": {"accepted": accepted, "ignored": ignored}}}
        return Reply(body=json.loads(json.dumps(body)))
