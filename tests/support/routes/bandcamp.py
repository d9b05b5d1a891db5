"""Bandcamp's website on the "bandcamp" replay host: the search page, track/album pages by
path and the mobile API's ``tralbum_details``."""

from __future__ import annotations

from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply, Request, file_reply

SEARCH = "search-tracks-albums.html"
TRACK_PAGE = "track-page.html"
ALBUM_PAGE = "album-page.html"
DETAILS = "mobile-tralbum-details-track.json"


def install(servers: PlatformServers) -> None:
    site = servers["bandcamp"]

    def search(request: Request) -> Reply:
        if not request.query.get("q"):
            return Reply(status=302, headers={"Location": "/"})
        return file_reply(servers.fixture("bandcamp", SEARCH))

    def details(request: Request) -> Reply:
        if not (request.query.get("band_id") and request.query.get("tralbum_id")):
            return Reply(status=400, body={"error": True, "error_message": "band_id and tralbum_id are required"})
        return file_reply(servers.fixture("bandcamp", DETAILS))

    site.route("GET", r"/search", search)
    site.route("GET", r"/track/[^/]+/?", lambda _r: file_reply(servers.fixture("bandcamp", TRACK_PAGE)))
    site.route("GET", r"/album/[^/]+/?", lambda _r: file_reply(servers.fixture("bandcamp", ALBUM_PAGE)))
    site.route("GET", r"/api/mobile/22/tralbum_details", details)
