"""YouTube on the "youtube" replay host (InnerTube search, oEmbed) and "youtube_music".

``POST /youtubei/v1/search`` answers a first-page body (``query``) with the page-1 payload, a
continuation body with the continuation payload, and the continuation payload's own token
with the end-of-results payload, so a client that follows tokens sees three pages and stops.
``GET /oembed`` answers any video URL with the video payload and a playlist URL with the
playlist payload; like YouTube, it wants ``url`` and answers plain text when it is missing.
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply, Request, file_reply

PAGE1 = "innertube-search-videos-page1.json"
CONTINUATION = "innertube-search-videos-continuation.json"
END_OF_RESULTS = "innertube-search-end-of-results.json"
OEMBED_VIDEO = "oembed-video.json"
OEMBED_PLAYLIST = "oembed-playlist.json"
MUSIC_SONGS = "ytmusic-search-songs.json"


def google_error(status: int, message: str, reason: str) -> Reply:
    """Google's JSON error envelope, as InnerTube sends it with a 4xx."""
    return Reply(status=status, body={"error": {"code": status, "message": message, "status": reason}})


def continuation_token(payload: dict[str, Any]) -> str | None:
    """The next-page token a search payload carries (first page or continuation)."""
    sections = payload.get("contents", {}).get("twoColumnSearchResultsRenderer", {})
    sections = sections.get("primaryContents", {}).get("sectionListRenderer", {}).get("contents")
    if sections is None:
        sections = []
        for command in payload.get("onResponseReceivedCommands", []):
            sections += command.get("appendContinuationItemsAction", {}).get("continuationItems", [])
    for section in sections:
        token = (
            section.get("continuationItemRenderer", {})
            .get("continuationEndpoint", {})
            .get("continuationCommand", {})
            .get("token")
        )
        if token:
            return str(token)
    return None


def install(servers: PlatformServers) -> None:
    site = servers["youtube"]
    music = servers["youtube_music"]
    continuation_path = servers.fixture("youtube", CONTINUATION)
    last_token = continuation_token(json.loads(continuation_path.read_text(encoding="utf-8")))

    def search(request: Request) -> Reply:
        try:
            body = request.json()
        except ValueError:
            return google_error(400, "Invalid JSON payload received.", "INVALID_ARGUMENT")
        if not isinstance(body, dict) or "context" not in body:
            return google_error(400, "Request contains an invalid argument.", "INVALID_ARGUMENT")
        if "continuation" in body:
            name = END_OF_RESULTS if body["continuation"] == last_token else CONTINUATION
            return file_reply(servers.fixture("youtube", name))
        if not body.get("query"):
            return google_error(400, "Request contains an invalid argument.", "INVALID_ARGUMENT")
        return file_reply(servers.fixture("youtube", PAGE1))

    def oembed(request: Request) -> Reply:
        url = request.query.get("url", "")
        if not url:
            return Reply(status=400, body="Bad Request", content_type="application/json")
        name = OEMBED_PLAYLIST if "list=" in url and "v=" not in url else OEMBED_VIDEO
        return file_reply(servers.fixture("youtube", name))

    def music_search(request: Request) -> Reply:
        try:
            body = request.json()
        except ValueError:
            return google_error(400, "Invalid JSON payload received.", "INVALID_ARGUMENT")
        if not isinstance(body, dict) or not body.get("query"):
            return google_error(400, "Request contains an invalid argument.", "INVALID_ARGUMENT")
        return file_reply(servers.fixture("youtube", MUSIC_SONGS))

    site.route("POST", r"/youtubei/v1/search", search)
    site.route("GET", r"/oembed/?", oembed)
    music.route("POST", r"/youtubei/v1/search", music_search)
