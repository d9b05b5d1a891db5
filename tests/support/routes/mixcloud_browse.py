"""Mixcloud's browsing lists on the "mixcloud_api" and "mixcloud_oembed" replay hosts.

``install_browse_routes(servers)`` adds what the platform routes do not replay: the popular,
hot and new lists (hot pages on by ``offset``), genre lists with a city, a user (spartacus)
with their shows, favourites and followers, a show with a tracklist, user and tag search, and
oEmbed. Payloads are the project's own, in ``tests/fixtures/mixcloud_browse/``, in both modes;
in recorded mode the platform routes keep answering the recorded paths (``/discover/nts/popular/``,
``/thelotradio/cloudcasts/``, shows, cloudcast search).

These routes answer before the platform's own catch-alls (``/<user>/<slug>/`` would take
``/popular/hot/`` for a show), so they are put at the head of the server's route list.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.platform_servers import OWN_FIXTURES, PlatformServers
from tests.support.replay import ReplayServer, Reply, Request, file_reply
from tests.support.routes.mixcloud import SEARCH_2013, SEARCH_2022, USER_CLOUDCASTS, not_found, shows_by_key

BROWSE_FIXTURES = OWN_FIXTURES / "mixcloud_browse"
USERS = {"/spartacus/": "user-spartacus.json"}
USER_LISTS = {
    "/spartacus/cloudcasts/": "user-spartacus-cloudcasts.json",
    "/spartacus/favorites/": "user-spartacus-favorites.json",
    "/spartacus/followers/": "user-spartacus-followers.json",
}
GENRE_LISTS = {
    ("funk+city:athens", "popular"): "genre-funk-athens-popular.json",
    ("funk", "latest"): "genre-funk-latest.json",
}
SHOWS = {"/spartacus/party-time/": "show-party-time.json"}
OEMBED_PAGES = {"https://www.mixcloud.com/spartacus/party-time/": "oembed-party-time.json"}
RATE_LIMIT_BODY = {
    "error": {
        "message": "You have hit your rate limit. Retry after 452 seconds.",
        "type": "RateLimitException",
        "retry_after": 452,
    }
}


def browse_fixture(name: str) -> Path:
    return BROWSE_FIXTURES / name


def browse_shows() -> dict[str, dict[str, Any]]:
    """Every show in the browse payloads by key (a list item doubles as the show's object)."""
    shows: dict[str, dict[str, Any]] = {}
    for path in sorted(BROWSE_FIXTURES.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        for item in payload.get("data", []) if isinstance(payload, dict) else []:
            if item.get("type", "cloudcast") == "cloudcast" and "audio_length" in item:
                shows.setdefault(item["key"], item)
    return shows


def rate_limited(seconds: int = 452) -> Reply:
    """Mixcloud's rate-limit answer: 403, ``Retry-After`` and the JSON error (the seed's example)."""
    body = {"error": dict(RATE_LIMIT_BODY["error"], retry_after=seconds)}
    body["error"]["message"] = f"You have hit your rate limit. Retry after {seconds} seconds."
    return Reply(status=403, body=body, headers={"Retry-After": str(seconds)})


def _first(server: ReplayServer, method: str, path: str, handler: Callable[[Request], Reply]) -> None:
    server.route(method, path, handler, first=True)


def _file(name: str) -> Callable[[Request], Reply]:
    return lambda _request: file_reply(browse_fixture(name))


def install_browse_routes(servers: PlatformServers) -> None:
    api = servers["mixcloud_api"]

    def hot(request: Request) -> Reply:
        page = "popular-hot-page2.json" if request.query.get("offset") == "3" else "popular-hot-page1.json"
        return file_reply(browse_fixture(page))

    def genre(request: Request) -> Reply:
        tag, order = request.path.strip("/").split("/")[1:3]
        name = GENRE_LISTS[(tag, order)]
        return file_reply(browse_fixture(name))

    def search(request: Request) -> Reply:
        kind = request.query.get("type")
        if kind == "user":
            return file_reply(browse_fixture("search-users.json"))
        if kind == "tag":
            return file_reply(browse_fixture("search-tags.json"))
        if kind != "cloudcast":
            return Reply(status=400, body={"error": {"message": f"unknown type {kind!r}", "type": "Bad"}})
        name = SEARCH_2013 if request.query.get("q", "").lower() == "party time" else SEARCH_2022
        return file_reply(servers.fixture("mixcloud", name))

    def from_table(table: dict[str, str]) -> Callable[[Request], Reply]:
        def answer(request: Request) -> Reply:
            name = table.get(request.path)
            return file_reply(browse_fixture(name)) if name else not_found(request.path)

        return answer

    platform_shows = shows_by_key(servers)
    own_shows = browse_shows()

    def show(request: Request) -> Reply:
        """A show of these payloads (its list object, or its own detail object), else the platform's."""
        if request.path in SHOWS:
            return file_reply(browse_fixture(SHOWS[request.path]))
        found = own_shows.get(request.path) or platform_shows.get(request.path)
        return Reply(body=found) if found is not None else not_found(request.path)

    def user_list(request: Request) -> Reply:
        name = USER_LISTS.get(request.path)
        if name:
            return file_reply(browse_fixture(name))
        if request.path.endswith("/cloudcasts/"):
            return file_reply(servers.fixture("mixcloud", USER_CLOUDCASTS))
        return not_found(request.path)

    # Inserted at the head one by one, so the last one added is tried first.
    _first(api, "GET", r"/[^/]+/[^/]+/", show)
    _first(api, "GET", r"/[^/]+/", from_table(USERS))
    _first(api, "GET", r"/[^/]+/(cloudcasts|favorites|listens|followers|following)/", user_list)
    _first(api, "GET", r"/discover/(funk\+city:athens/popular|funk/latest)/", genre)
    _first(api, "GET", r"/search/", search)
    _first(api, "GET", r"/new/", _file("new.json"))
    _first(api, "GET", r"/popular/", _file("popular.json"))
    _first(api, "GET", r"/popular/hot/", hot)

    oembed = servers["mixcloud_oembed"]

    def oembed_answer(request: Request) -> Reply:
        if request.query.get("format") != "json":
            return Reply(status=501, body={"error": "format=json only"})
        name = OEMBED_PAGES.get(request.query.get("url", ""))
        return file_reply(browse_fixture(name)) if name else Reply(status=404, body="Not Found")

    oembed.route("GET", r"/oembed/", oembed_answer)
