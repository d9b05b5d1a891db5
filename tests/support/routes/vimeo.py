"""Vimeo on two replay hosts: "vimeo_site" (anonymous JWT, oEmbed) and "vimeo_api" (search).

``/_next/jwt`` mints a JWT-shaped token with an ``exp`` claim ``lifetime`` seconds ahead; the
API's ``/search`` accepts a minted token until that expiry or until :meth:`JwtIssuer.revoke`
(401 otherwise), so a revoked token behaves like an expired one. ``/videos`` (the official
API) accepts ``bearer`` + the access token :data:`VALID_ACCESS_TOKEN`. oEmbed answers by
video id and unlisted hash, read from the ``uri`` of each oEmbed payload. There is no
recorded search answer: the project's own ``api-search-clips.json`` is served in both modes.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.platform_servers import OWN_FIXTURES, PlatformServers
from tests.support.replay import Reply, Request

SEARCH_CLIPS = "api-search-clips.json"
OEMBED_FILES = ("oembed-video.json", "oembed-video-2020.json", "oembed-video-restricted.json")
VALID_ACCESS_TOKEN = "vimeo-personal-token-for-tests-0123456789"
_URL_IDS = re.compile(r"vimeo\.com/(?:video/)?(?P<id>\d+)(?:/(?P<hash>[0-9a-f]+))?")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@dataclass
class JwtIssuer:
    """Mints anonymous tokens; only the latest one is valid."""

    lifetime: float = 300.0
    with_exp: bool = True
    current: str | None = None
    minted: int = 0
    # Every token handed out and not revoked, with its expiry (epoch seconds).
    valid: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def mint(self) -> str:
        with self._lock:
            self.minted += 1
            claims: dict[str, Any] = {"app_id": 58479, "scopes": "public", "n": self.minted}
            expires_at = time.time() + self.lifetime
            if self.with_exp:
                claims["exp"] = int(expires_at)
            header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
            token = f"{header}.{_b64(json.dumps(claims).encode())}.{_b64(secrets.token_bytes(16))}"
            self.current = token
            self.valid[token] = expires_at
            return token

    def accepts(self, token: str) -> bool:
        with self._lock:
            return time.time() < self.valid.get(token, 0.0)

    def revoke(self) -> None:
        """Make every token handed out so far invalid (as if it expired)."""
        with self._lock:
            self.current = None
            self.valid.clear()


_ISSUERS: weakref.WeakKeyDictionary[PlatformServers, JwtIssuer] = weakref.WeakKeyDictionary()


def jwt_issuer(servers: PlatformServers) -> JwtIssuer:
    return _ISSUERS[servers]


def search_payload() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((OWN_FIXTURES / "vimeo" / SEARCH_CLIPS).read_text(encoding="utf-8"))
    return data


def oembed_index(servers: PlatformServers) -> dict[tuple[str, str | None], bytes]:
    index: dict[tuple[str, str | None], bytes] = {}
    for name in OEMBED_FILES:
        raw = servers.fixture("vimeo", name).read_bytes()
        uri = json.loads(raw)["uri"]
        video_id, _, unlisted = uri.rsplit("/", 1)[-1].partition(":")
        index.setdefault((video_id, unlisted or None), raw)
    return index


def install(servers: PlatformServers) -> None:
    issuer = JwtIssuer()
    _ISSUERS[servers] = issuer
    site, api = servers["vimeo_site"], servers["vimeo_api"]
    oembeds = oembed_index(servers)

    def jwt(request: Request) -> Reply:
        if request.headers.get("x-requested-with") != "XMLHttpRequest":
            return Reply(status=403, body="<html><body>Forbidden</body></html>")
        return Reply(body={"token": issuer.mint()})

    def oembed(request: Request) -> Reply:
        target = request.query.get("url", "")
        match = _URL_IDS.search(target)
        if match is None:
            return Reply(status=404, body="404 Not Found", content_type="text/plain")
        wanted_hash = match.group("hash") or (parse_qs(urlsplit(target).query).get("h") or [None])[0]
        raw = oembeds.get((match.group("id"), wanted_hash)) or oembeds.get((match.group("id"), None))
        if raw is None:
            return Reply(status=404, body="404 Not Found", content_type="text/plain")
        return Reply(body=raw, content_type="application/json")

    def unauthorized(message: str) -> Reply:
        return Reply(status=401, body={"error": message, "error_code": 8003, "developer_message": message})

    def search(request: Request) -> Reply:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "jwt" or not issuer.accepts(token):
            return unauthorized("Unauthenticated: the token is missing or expired")
        if request.query.get("filter_type") != "clip" or not request.query.get("query"):
            return Reply(status=400, body={"error": "filter_type=clip and query are required"})
        return Reply(body=search_payload())

    def videos(request: Request) -> Reply:
        if request.headers.get("authorization") != f"bearer {VALID_ACCESS_TOKEN}":
            return unauthorized("You must provide a valid authenticated access token.")
        payload = search_payload()
        # The official API lists the video objects themselves (each with "type": "video").
        payload["data"] = [{**item["clip"], "type": "video"} for item in payload["data"]]
        return Reply(body=payload)

    site.route("GET", r"/_next/jwt", jwt)
    site.route("GET", r"/api/oembed\.json", oembed)
    api.route("GET", r"/search", search)
    api.route("GET", r"/videos", videos)
