"""Mixcloud's public API on the "mixcloud_api" replay host.

``/search/`` answers with the search payload (the 2013 one for its own query, "party time"),
list paths with the list payloads, and ``/<user>/<slug>/`` with the show of that key found in
any payload (the detail payload first); unknown keys get a 404 in Mixcloud's error envelope.
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply, Request, file_reply

SEARCH_2022 = "api-search-cloudcast-2022.json"
SEARCH_2013 = "api-search-cloudcast-2013.json"
DETAIL = "api-cloudcast-detail.json"
USER_CLOUDCASTS = "api-user-cloudcasts.json"
DISCOVER_POPULAR = "api-discover-popular.json"


def not_found(path: str) -> Reply:
    body = {"error": {"message": f"The requested object {path} does not exist", "type": "NotFoundException"}}
    return Reply(status=404, body=body)


def shows_by_key(servers: PlatformServers) -> dict[str, dict[str, Any]]:
    shows: dict[str, dict[str, Any]] = {}
    for name in (SEARCH_2022, SEARCH_2013, USER_CLOUDCASTS, DISCOVER_POPULAR):
        for item in json.loads(servers.fixture("mixcloud", name).read_text(encoding="utf-8"))["data"]:
            shows.setdefault(item["key"], item)
    detail = json.loads(servers.fixture("mixcloud", DETAIL).read_text(encoding="utf-8"))
    shows[detail["key"]] = detail
    return shows


def install(servers: PlatformServers) -> None:
    api = servers["mixcloud_api"]
    shows = shows_by_key(servers)

    def search(request: Request) -> Reply:
        if request.query.get("type") != "cloudcast":
            return Reply(status=400, body={"error": {"message": "only type=cloudcast is replayed", "type": "Bad"}})
        name = SEARCH_2013 if request.query.get("q", "").lower() == "party time" else SEARCH_2022
        return file_reply(servers.fixture("mixcloud", name))

    def show(request: Request) -> Reply:
        found = shows.get(request.path)
        return Reply(body=found) if found is not None else not_found(request.path)

    api.route("GET", r"/search/", search)
    api.route("GET", r"/discover/[^/]+/popular/", lambda _r: file_reply(servers.fixture("mixcloud", DISCOVER_POPULAR)))
    api.route("GET", r"/[^/]+/cloudcasts/", lambda _r: file_reply(servers.fixture("mixcloud", USER_CLOUDCASTS)))
    api.route("GET", r"/[^/]+/[^/]+/", show)
