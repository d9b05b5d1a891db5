"""``GET /api/v1/openapi.json``: the API described in OpenAPI 3.1, built from the same constants as the routes."""

from __future__ import annotations

from typing import Any

from mixtui.serve.core import DOCUMENT_PLATFORMS, MAX_PLAYLIST_TRACKS, MAX_SEARCH_RESULTS

_PLATFORM_VALUES = [p for p in DOCUMENT_PLATFORMS if p != "url"]


def _error_responses(*codes: int) -> dict[str, Any]:
    text = {
        400: "Invalid request parameters or missing required fields.",
        401: "Invalid or missing API key.",
        404: "The requested resource was not found.",
        408: "The request body did not arrive in time.",
        413: "The request body is too large.",
        422: "The request was well-formed but could not be followed.",
        429: "Rate limit exceeded (this server's per-key limit, or a platform's or the model's); see Retry-After.",
        500: "An unexpected error occurred on the server, or every platform failed.",
    }
    return {
        str(code): {
            "description": text[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code in codes
    }


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def openapi_document(version: str) -> dict[str, Any]:
    media_list = {"type": "array", "items": {"$ref": "#/components/schemas/Media"}}
    common = (400, 401, 404, 408, 413, 429, 500)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "mixtui (the Mixider API, served locally)",
            "version": version,
            "description": "Search every platform and generate playlists with the user's own mixtui.",
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Media": {
                    "type": "object",
                    "required": ["id", "title", "author", "image", "platform", "url", "duration"],
                    "properties": {
                        "id": {"type": "string", "examples": ["youtube-_G1soKzXJUo"]},
                        "title": {"type": "string"},
                        "author": {"type": "string"},
                        "image": {"type": ["string", "null"]},
                        "platform": {"type": "string", "enum": [*_PLATFORM_VALUES, "url", "local"]},
                        "url": {"type": "string"},
                        "duration": {"type": ["number", "null"]},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error", "status", "message"],
                    "properties": {
                        "error": {"type": "string"},
                        "status": {"type": "integer"},
                        "message": {"type": "string"},
                        "hint": {"type": "string"},
                        "retry_after": {"type": ["number", "null"]},
                    },
                },
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/media/search": {
                "post": {
                    "summary": "Search for media",
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["query"],
                            "properties": {
                                "platform": {"type": "string", "enum": list(DOCUMENT_PLATFORMS), "default": "url"},
                                "query": {"type": "string"},
                            },
                        }
                    ),
                    "responses": {
                        "200": {"description": f"At most {MAX_SEARCH_RESULTS} Media.", **_json(media_list)},
                        **_error_responses(*common),
                    },
                }
            },
            "/api/v1/playlists/generate": {
                "post": {
                    "summary": "Generate a playlist from a prompt",
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["query"],
                            "properties": {
                                "query": {"type": "string"},
                                "mode": {"type": "string", "enum": ["smart", "platform", "manual"], "default": "smart"},
                                "mainPlatform": {"type": "string", "enum": _PLATFORM_VALUES},
                            },
                        }
                    ),
                    "responses": {
                        "200": {
                            "description": (
                                f"smart/platform: one item with at most {MAX_PLAYLIST_TRACKS} results; "
                                f"manual: at most {MAX_PLAYLIST_TRACKS} items of title, author and results."
                            ),
                            **_json(
                                {
                                    "type": "object",
                                    "required": ["title", "description", "items"],
                                    "properties": {
                                        "title": {"type": "string"},
                                        "description": {"type": "string"},
                                        "items": {
                                            "type": "array",
                                            "items": {
                                                "type": "object",
                                                "required": ["results"],
                                                "properties": {
                                                    "title": {"type": "string"},
                                                    "author": {"type": "string"},
                                                    "results": media_list,
                                                },
                                            },
                                        },
                                    },
                                }
                            ),
                        },
                        **_error_responses(*common, 422),
                    },
                }
            },
            "/api/v1/playlists": {
                "get": {"summary": "List the library's playlists", "responses": _error_responses(401, 429, 500)},
                "post": {"summary": "Create a playlist", "responses": _error_responses(*common)},
            },
            "/api/v1/playlists/{playlist}": {
                "get": {"summary": "One playlist by name or id", "responses": _error_responses(*common)}
            },
            "/api/v1/playlists/{playlist}/items": {
                "post": {"summary": "Add Media (items) or a link (url)", "responses": _error_responses(*common)}
            },
            "/api/v1/playlists/{playlist}/reviews": {
                "get": {"summary": "Reviews, newest first, replies after their review"},
                "post": {"summary": "Add a review or a reply (parent_id)", "responses": _error_responses(*common)},
            },
            "/api/v1/history": {"get": {"summary": "Plays, newest first (page, per_page)"}},
            "/api/v1/player": {"get": {"summary": "What is playing and the queue"}},
            "/api/v1/player/{command}": {
                "post": {"summary": "play, pause, resume, toggle, next, previous, queue or stop"}
            },
        },
    }
