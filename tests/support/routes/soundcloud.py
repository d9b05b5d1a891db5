"""SoundCloud on the "soundcloud_site" and "soundcloud_api" replay hosts.

The site serves a homepage whose script tags point at bundles on the same host; the second
to last bundle holds ``CLIENT_ID`` (the client walks them from the last backwards), the
others hold none. The recordings have no homepage or bundles, so both are generated here.
The site also serves oEmbed, track pages and short links (``/on/<code>``, redirecting where
the recorded short link went).

api-v2 checks ``client_id`` on every call and answers 401 in SoundCloud's error shape for
any other value (a stale id). ``/search/tracks`` pages by ``offset``: 0 → page 1, page 1's
next offset → page 2, anything further → the last page (no ``next_href``).
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply, Request, file_reply

CLIENT_ID = "mixtuiTestClientId0123456789abcd"
STALE_CLIENT_ID = "staleStaleStaleStaleStaleStale12"

SEARCH_PAGE1 = "api-v2-search-tracks-page1.json"
SEARCH_PAGE2 = "api-v2-search-tracks-page2.json"
SEARCH_LAST = "api-v2-search-last-page-users.json"
RESOLVE_TRACK = "api-v2-resolve-track.json"
OEMBED_TRACK = "oembed-track.json"
OEMBED_USER = "oembed-user.json"
TRACK_PAGE = "track-page.html"
SHORT_LINK = "on-soundcloud-redirect.newpipe-mock.json"

# Bundles in page order; only the second to last one carries the client_id.
BUNDLES = {
    "0-7f3e9a21.js": "var e=function(t){return t.client_id=t.clientId,t};window.webpackJsonp=[];\n",
    "2-a93b0c4d.js": '(self.webpackChunk=self.webpackChunk||[]).push([[2],{810:function(e,t){e.exports="moon"}}]);\n',
    "49-2c8d1b07.js": (
        '(self.webpackChunk=self.webpackChunk||[]).push([[49],{4511:function(e,t,n){"use strict";'
        f'n.d(t,{{a:function(){{return r}}}});var r={{env:"production",client_id:"{CLIENT_ID}",'
        'api_host:"api-v2.soundcloud.com"}}}}]);\n'
    ),
    "50-d41e6c3f.js": "(self.webpackChunk=self.webpackChunk||[]).push([[50],{77:function(e){e.exports={}}}]);\n",
}


def unauthorized() -> Reply:
    body = {
        "code": 401,
        "message": "",
        "link": "https://developers.soundcloud.com/docs/api/explorer/open-api",
        "status": "401 - Unauthorized",
        "errors": [],
        "error": None,
    }
    return Reply(status=401, body=body)


def homepage(site_url: str) -> str:
    """A homepage shaped like soundcloud.com's: a few bundles, one of them by a relative URL."""
    tags = []
    for index, name in enumerate(BUNDLES):
        src = f"/assets/{name}" if index == 1 else f"{site_url}/assets/{name}"
        tags.append(f'<script crossorigin src="{src}"></script>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>SoundCloud</title>'
        f'<link rel="stylesheet" href="{site_url}/assets/app.css"></head>\n<body><div id="app"></div>\n'
        '<script>window.__sc_version="1771636102"</script>\n'
        f'<script type="module" src="{site_url}/assets/loader.mjs"></script>\n' + "\n".join(tags) + "\n</body></html>\n"
    )


def offset_of(url: str | None) -> str | None:
    if not url:
        return None
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("offset", [None])[0]


def load(servers: PlatformServers, name: str) -> Any:
    return json.loads(servers.fixture("soundcloud", name).read_text(encoding="utf-8"))


def install(servers: PlatformServers) -> None:
    site = servers["soundcloud_site"]
    api = servers["soundcloud_api"]
    page2_offset = offset_of(load(servers, SEARCH_PAGE1).get("next_href"))
    track_id = str(load(servers, RESOLVE_TRACK)["id"])
    short_link_target = load(servers, SHORT_LINK)["response"]["latestUrl"]

    def with_client_id(handler: Any) -> Any:
        def checked(request: Request) -> Reply:
            if request.query.get("client_id") != CLIENT_ID:
                return unauthorized()
            reply: Reply = handler(request)
            return reply

        return checked

    def search_tracks(request: Request) -> Reply:
        if not request.query.get("q") and not request.query.get("query_urn"):
            return Reply(status=400, body={"code": 400, "message": "missing q", "status": "400 - Bad Request"})
        offset = request.query.get("offset", "0")
        name = SEARCH_PAGE1 if offset == "0" else SEARCH_PAGE2 if offset == page2_offset else SEARCH_LAST
        return file_reply(servers.fixture("soundcloud", name))

    def resolve(request: Request) -> Reply:
        if not request.query.get("url"):
            return Reply(status=400, body={"code": 400, "message": "url is required", "status": "400 - Bad Request"})
        return file_reply(servers.fixture("soundcloud", RESOLVE_TRACK))

    def track(request: Request) -> Reply:
        if request.path.rsplit("/", 1)[-1] != track_id:
            return Reply(status=404, body={"code": 404, "message": "", "status": "404 - Not Found", "errors": []})
        return file_reply(servers.fixture("soundcloud", RESOLVE_TRACK))

    def oembed(request: Request) -> Reply:
        url = request.query.get("url", "")
        if not url:
            return Reply(status=400, body="url parameter is required", content_type="text/plain")
        segments = [s for s in urllib.parse.urlsplit(url).path.split("/") if s]
        name = OEMBED_USER if len(segments) == 1 else OEMBED_TRACK
        return file_reply(servers.fixture("soundcloud", name))

    site.route("GET", r"/", lambda _request: Reply(body=homepage(site.url)))
    for name, text in BUNDLES.items():
        site.route("GET", rf"/assets/{name}", Reply(body=text, content_type="application/javascript"))
    site.route("GET", r"/oembed/?", oembed)
    site.route("GET", r"/on/[A-Za-z0-9]+", Reply(status=302, headers={"Location": short_link_target}))
    site.route("GET", r"/[\w-]+/[\w-]+/?", lambda _request: file_reply(servers.fixture("soundcloud", TRACK_PAGE)))
    api.route("GET", r"/search/tracks", with_client_id(search_tracks))
    api.route("GET", r"/resolve", with_client_id(resolve))
    api.route("GET", r"/tracks/\d+", with_client_id(track))
