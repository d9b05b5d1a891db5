"""A loopback Mixcloud that speaks the signed-in endpoints of the Mixcloud API document.

Two servers on 127.0.0.1 share one state: the *site* (``/oauth/authorize`` redirects with a
code, ``/oauth/access_token`` trades it for a token) and the *API* (``/me/`` and its lists,
users and shows with the caller's ``following``/``favorited`` flags, follow/favorite/repost/
listen-later by POST, DELETE or POST ``method=delete``, ``/upload/`` and ``/upload/<key>edit/``).

Uploads are parsed as a stream (python-multipart): file parts are hashed and counted, never
kept, so a test can measure the client's memory while gigabytes could go by. Every field is
checked against the document (names, numbering, sizes, formats); a violation is answered 400
with Mixcloud's ``{"error": {"type": …, "details": {field: [reasons]}}}``. Faults: a rate limit
(403 + ``Retry-After``), a revoked token, DELETE refused (405). The servers stop by themselves
after ``lifetime`` seconds and answer at most ``max_requests`` requests.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from python_multipart.multipart import MultipartParser, parse_options_header

from mixtui.config import Settings, load_settings
from tests.support.replay import QuietHandler

MAX_AUDIO = 4_294_967_296
MAX_PICTURE = 10_485_760
_FIELD = re.compile(
    r"name|description|picture|mp3|unlisted|publish_date|disable_comments|hide_stats|publish|unpublish"
    r"|tags-[0-4]-tag|hosts-[01]-username|sections-\d+-(artist|song|chapter|start_time)"
)
_PUBLISH_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
INVALID_TOKEN = {"error": {"type": "OAuthException", "message": "An invalid access token was provided."}}


def _picture(seed: str) -> dict[str, str]:
    return {size: f"https://thumbnailer.mixcloud.com/unsafe/{size}/{seed}" for size in ("320wx320h", "640wx640h")}


def make_user(username: str, name: str, *, is_pro: bool = False) -> dict[str, Any]:
    return {
        "key": f"/{username}/",
        "url": f"https://www.mixcloud.com/{username}/",
        "name": name,
        "username": username,
        "pictures": _picture(username),
        "city": "Lyon",
        "country": "France",
        "follower_count": 42,
        "cloudcast_count": 3,
        "is_pro": is_pro,
        "type": "user",
    }


def make_show(user: dict[str, Any], slug: str, title: str, seconds: int) -> dict[str, Any]:
    return {
        "key": f"{user['key']}{slug}/",
        "url": f"https://www.mixcloud.com{user['key']}{slug}/",
        "name": title,
        "slug": slug,
        "user": {key: user[key] for key in ("key", "url", "name", "username", "pictures")},
        "pictures": _picture(slug),
        "audio_length": seconds,
        "created_time": "2026-11-01T20:00:00Z",
        "play_count": 10,
        "favorite_count": 2,
        "tags": [],
        "type": "cloudcast",
    }


@dataclass
class ParsedUpload:
    """What the API received in one upload or edit POST."""

    path: str
    fields: dict[str, str] = field(default_factory=dict)
    # name -> (file name, content type, size in bytes, sha256 hex)
    files: dict[str, tuple[str, str, int, str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]


class FakeMixcloud:
    def __init__(
        self,
        *,
        client_id: str = "mixtui-test-app",
        client_secret: str = "s3cret-app-key",
        lifetime: float = 120.0,
        max_requests: int = 2000,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.lifetime = lifetime
        self.max_requests = max_requests
        self.lock = threading.Lock()
        self.me = make_user("djane", "DJ Ane")
        self.users = {"/spartacus/": make_user("spartacus", "Spartacus"), "/djane/": self.me}
        others = make_user("nightowl", "Night Owl")
        self.users["/nightowl/"] = others
        self.shows: dict[str, dict[str, Any]] = {}
        for number in range(45):
            show = make_show(
                others if number % 2 else self.users["/spartacus/"],
                f"mix-{number:02d}",
                f"Mix {number:02d}",
                3600 + number,
            )
            self.shows[show["key"]] = show
        party = make_show(self.users["/spartacus/"], "party-time", "Party Time", 5400)
        self.shows[party["key"]] = party
        self.codes: dict[str, str] = {}  # code -> redirect_uri
        self.tokens: set[str] = set()
        self.following: set[str] = {"/nightowl/"}
        self.favorites: set[str] = {key for key in list(self.shows)[:25]}
        self.reposts: set[str] = set()
        self.listen_later: set[str] = set()
        self.uploads: list[ParsedUpload] = []
        self.seen: list[Seen] = []
        self.deny_login = False
        self.refuse_delete = False
        self.token_answer_as_form = False
        # Seconds to wait after each 64 KiB of an upload (a slow line, to watch progress or cancel).
        self.read_delay = 0.0
        # /me/<list>/ answers replayed as they are (recorded list payloads), by list name.
        self.recorded_lists: dict[str, Any] = {}
        self._rate_limit: int | None = None
        self._servers: list[ThreadingHTTPServer] = []
        self._timers: list[threading.Timer] = []
        self.site_url = ""
        self.api_url = ""
        self._count = 0

    # -- scripting -----------------------------------------------------------------------------
    def issue_token(self) -> str:
        token = "tok-" + secrets.token_hex(12)
        with self.lock:
            self.tokens.add(token)
        return token

    def revoke_all(self) -> None:
        with self.lock:
            self.tokens.clear()

    def rate_limit_next(self, seconds: int) -> None:
        self._rate_limit = seconds

    def settings_overrides(self) -> dict[str, Any]:
        return {
            "platforms": {
                "mixcloud": {
                    "base_url": self.site_url,
                    "api_base_url": self.api_url,
                    "client_id": self.client_id,
                    "redirect_port": 0,
                }
            }
        }

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> FakeMixcloud:
        self.site_url = self._serve("site")
        self.api_url = self._serve("api")
        return self

    def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        servers, self._servers = self._servers, []
        for server in servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> FakeMixcloud:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _serve(self, role: str) -> str:
        fake = self

        class Handler(QuietHandler):
            def handle_one(self) -> None:
                with fake.lock:
                    fake._count += 1
                    over = fake._count > fake.max_requests
                if over:
                    self._reply(503, {"error": {"message": "request budget spent"}})
                    return
                parsed = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
                if role == "site":
                    fake._site(self, parsed.path, query)
                else:
                    fake._api(self, parsed.path, query)

            do_GET = do_POST = do_DELETE = handle_one

            def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if not isinstance(body, bytes) else "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                return

        server = Server(("127.0.0.1", 0), Handler)
        self._servers.append(server)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        timer = threading.Timer(self.lifetime, self.stop)
        timer.daemon = True
        timer.start()
        self._timers.append(timer)
        host, port = server.server_address[:2]
        return f"http://{host}:{port}"

    # -- the site: OAuth ------------------------------------------------------------------------------
    def _site(self, handler: Any, path: str, query: dict[str, str]) -> None:
        self.seen.append(Seen(handler.command, path, query, {}))
        if path == "/oauth/authorize":
            if query.get("client_id") != self.client_id or not query.get("redirect_uri", "").startswith(
                "http://127.0.0.1:"
            ):
                handler._reply(400, {"error": {"message": "unknown client or redirect_uri"}})
                return
            redirect = query["redirect_uri"]
            if self.deny_login:
                location = f"{redirect}?error=access_denied"
            else:
                code = "code-" + secrets.token_hex(6)
                self.codes[code] = redirect
                location = f"{redirect}?code={code}"
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if path == "/oauth/access_token":
            code = query.get("code", "")
            valid = (
                query.get("client_id") == self.client_id
                and query.get("client_secret") == self.client_secret
                and code in self.codes
                and self.codes[code] == query.get("redirect_uri")
            )
            if not valid:
                handler._reply(400, {"error": {"type": "OAuthException", "message": "Invalid code or client"}})
                return
            del self.codes[code]
            token = self.issue_token()
            if self.token_answer_as_form:
                handler._reply(200, f"access_token={token}".encode())
            else:
                handler._reply(200, {"access_token": token})
            return
        handler._reply(404, {"error": {"message": "not found"}})

    # -- the API ----------------------------------------------------------------------------------------------
    def _api(self, handler: Any, path: str, query: dict[str, str]) -> None:
        if self._rate_limit is not None:
            wait, self._rate_limit = self._rate_limit, None
            self._drain(handler)
            handler._reply(
                403,
                {
                    "error": {
                        "message": f"You have hit your rate limit. Retry after {wait} seconds.",
                        "type": "RateLimitException",
                        "retry_after": wait,
                    }
                },
                {"Retry-After": str(wait)},
            )
            return
        token = query.get("access_token")
        if path.startswith("/upload/") and handler.command == "POST":
            self._upload(handler, path, token)
            return
        form = self._small_form(handler)
        self.seen.append(Seen(handler.command, path, query, form))
        if token is not None and token not in self.tokens:
            handler._reply(401, INVALID_TOKEN)
            return
        signed = token is not None
        parts = [part for part in path.split("/") if part]
        if parts[:1] == ["me"]:
            if not signed:
                handler._reply(401, INVALID_TOKEN)
            elif len(parts) == 1:
                self._me(handler, query)
            else:
                self._me_list(handler, parts[1], query, token or "")
            return
        if (
            handler.command in ("POST", "DELETE")
            and parts
            and parts[-1] in ("follow", "favorite", "repost", "listen-later")
        ):
            if not signed:
                handler._reply(401, INVALID_TOKEN)
                return
            self._act(handler, "/" + "/".join(parts[:-1]) + "/", parts[-1], form)
            return
        key = "/" + "/".join(parts) + "/"
        if handler.command == "GET" and key in self.users:
            user = dict(self.users[key])
            if signed:
                user["following"] = key in self.following
            handler._reply(200, user)
            return
        if handler.command == "GET" and key in self.shows:
            show = dict(self.shows[key])
            if signed:
                show.update(
                    favorited=key in self.favorites, reposted=key in self.reposts, listen_later=key in self.listen_later
                )
            handler._reply(200, show)
            return
        handler._reply(404, {"error": {"type": "NotFound", "message": f"no object at {path}"}})

    def _me(self, handler: Any, query: dict[str, str]) -> None:
        body = dict(self.me)
        if query.get("metadata") == "1":
            token = urllib.parse.quote(query.get("access_token", ""))
            names = ("cloudcasts", "favorites", "following", "followers", "listens", "listen-later")
            body["metadata"] = {
                "connections": {n: f"https://api.mixcloud.com/me/{n}/?access_token={token}" for n in names}
            }
        handler._reply(200, body)

    def _me_list(self, handler: Any, name: str, query: dict[str, str], token: str) -> None:
        lists: dict[str, list[dict[str, Any]]] = {
            "cloudcasts": [show for show in self.shows.values() if show["user"]["key"] == self.me["key"]],
            "favorites": [self.shows[key] for key in self.shows if key in self.favorites],
            "listen-later": [self.shows[key] for key in self.shows if key in self.listen_later],
            "listens": [],
            "following": [self.users[key] for key in self.users if key in self.following],
            "followers": [self.users["/spartacus/"]],
        }
        if name in self.recorded_lists:
            handler._reply(200, self.recorded_lists[name])
            return
        if name not in lists:
            handler._reply(404, {"error": {"type": "NotFound", "message": "no such list"}})
            return
        items = lists[name]
        limit = int(query.get("limit", "20"))
        offset = int(query.get("offset", "0"))
        page = items[offset : offset + limit]
        paging: dict[str, str] = {}
        base = f"https://api.mixcloud.com/me/{name}/?access_token={urllib.parse.quote(token)}&limit={limit}"
        if offset + limit < len(items):
            paging["next"] = f"{base}&offset={offset + limit}"
        if offset > 0:
            paging["previous"] = f"{base}&offset={max(0, offset - limit)}"
        handler._reply(200, {"data": page, "paging": paging, "name": f"DJ Ane's {name}"})

    def _act(self, handler: Any, key: str, action: str, form: dict[str, str]) -> None:
        delete = handler.command == "DELETE" or form.get("method") == "delete"
        if handler.command == "DELETE" and self.refuse_delete:
            handler._reply(405, {"error": {"type": "MethodNotAllowed", "message": "DELETE is not allowed here"}})
            return
        target = self.users if action == "follow" else self.shows
        if key not in target:
            handler._reply(404, {"error": {"type": "NotFound", "message": f"no object at {key}"}})
            return
        chosen = {
            "follow": self.following,
            "favorite": self.favorites,
            "repost": self.reposts,
            "listen-later": self.listen_later,
        }[action]
        with self.lock:
            (chosen.discard if delete else chosen.add)(key)
        verb = ("un" if delete else "") + action
        handler._reply(200, {"result": {"success": True, "message": f"{verb} {key}"}})

    # -- request bodies ------------------------------------------------------------------------------------
    @staticmethod
    def _length(handler: Any) -> int:
        return int(handler.headers.get("Content-Length") or 0)

    def _drain(self, handler: Any) -> None:
        remaining = self._length(handler)
        while remaining > 0:
            chunk = handler.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)

    def _small_form(self, handler: Any) -> dict[str, str]:
        length = self._length(handler)
        if not length:
            return {}
        body = handler.rfile.read(min(length, 1_000_000))
        content_type = handler.headers.get("Content-Type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            return dict(urllib.parse.parse_qsl(body.decode()))
        if content_type.startswith("multipart/form-data"):
            upload = ParsedUpload("")
            self._parse_multipart(content_type, [body], upload)
            return upload.fields
        return {}

    def _parse_multipart(self, content_type: str, chunks: Any, upload: ParsedUpload) -> None:
        _, options = parse_options_header(content_type)
        boundary = options[b"boundary"]
        state: dict[str, Any] = {}

        def on_part_begin() -> None:
            state.update(
                headers={}, value=bytearray(), size=0, digest=hashlib.sha256(), header_field=b"", header_value=b""
            )

        def on_header_field(data: bytes, start: int, end: int) -> None:
            state["header_field"] += data[start:end]

        def on_header_value(data: bytes, start: int, end: int) -> None:
            state["header_value"] += data[start:end]

        def on_header_end() -> None:
            state["headers"][state["header_field"].decode().lower()] = state["header_value"].decode()
            state["header_field"] = state["header_value"] = b""

        def on_part_data(data: bytes, start: int, end: int) -> None:
            piece = data[start:end]
            state["size"] += len(piece)
            if "filename" in state["headers"].get("content-disposition", ""):
                state["digest"].update(piece)
            elif len(state["value"]) < 100_000:
                state["value"] += piece

        def on_part_end() -> None:
            _, disposition = parse_options_header(state["headers"].get("content-disposition", ""))
            name = disposition.get(b"name", b"").decode()
            upload.order.append(name)
            if b"filename" in disposition:
                upload.files[name] = (
                    disposition[b"filename"].decode(),
                    state["headers"].get("content-type", ""),
                    state["size"],
                    state["digest"].hexdigest(),
                )
            else:
                upload.fields[name] = state["value"].decode("utf-8")

        parser = MultipartParser(
            boundary,
            {
                "on_part_begin": on_part_begin,
                "on_header_field": on_header_field,
                "on_header_value": on_header_value,
                "on_header_end": on_header_end,
                "on_part_data": on_part_data,
                "on_part_end": on_part_end,
            },
        )
        for chunk in chunks:
            parser.write(chunk)
        parser.finalize()

    def _stream(self, handler: Any) -> Any:
        remaining = self._length(handler)
        while remaining > 0:
            chunk = handler.rfile.read(min(remaining, 65536))
            if not chunk:
                raise ConnectionError("the client hung up mid-upload")
            remaining -= len(chunk)
            if self.read_delay:
                time.sleep(self.read_delay)
            yield chunk

    # -- uploads ----------------------------------------------------------------------------------------------
    def _upload(self, handler: Any, path: str, token: str | None) -> None:
        upload = ParsedUpload(path)
        try:
            self._parse_multipart(handler.headers.get("Content-Type", ""), self._stream(handler), upload)
        except (ConnectionError, ValueError, KeyError):
            handler.close_connection = True
            return
        self.seen.append(Seen("POST", path, {"access_token": "***"} if token else {}, dict(upload.fields)))
        if token not in self.tokens:
            handler._reply(401, INVALID_TOKEN)
            return
        editing = path != "/upload/"
        shown_key = path[len("/upload") : -len("edit/")] if editing else None
        if editing and (not path.endswith("/edit/") or shown_key not in self.shows):
            handler._reply(404, {"error": {"type": "NotFound", "message": "no such upload"}})
            return
        details = self.check_upload(upload, editing=editing)
        if details:
            handler._reply(
                400, {"error": {"type": "UploadValidationError", "message": "Invalid upload", "details": details}}
            )
            return
        with self.lock:
            self.uploads.append(upload)
        if editing:
            assert shown_key is not None
            if "name" in upload.fields:
                self.shows[shown_key]["name"] = upload.fields["name"]
            handler._reply(200, {"result": {"success": True, "key": shown_key, "message": "Edited"}})
            return
        slug = re.sub(r"[^a-z0-9]+", "-", upload.fields["name"].lower()).strip("-")
        show = make_show(self.me, slug, upload.fields["name"], 60)
        self.shows[show["key"]] = show
        handler._reply(
            200, {"result": {"success": True, "key": show["key"], "message": f"Uploaded {upload.fields['name']}"}}
        )

    def check_upload(self, upload: ParsedUpload, *, editing: bool) -> dict[str, list[str]]:
        """Every rule of the document's upload and edit tables; {} when the form is good."""
        problems: dict[str, list[str]] = {}

        def problem(name: str, text: str) -> None:
            problems.setdefault(name, []).append(text)

        for name in [*upload.fields, *upload.files]:
            if not _FIELD.fullmatch(name):
                problem(name, "Unknown field.")
        fields = upload.fields
        if editing:
            if "mp3" in upload.files:
                problem("mp3", "An edit cannot replace the audio.")
            switches = [name for name in ("unlisted", "publish", "unpublish") if name in fields]
            if len(switches) > 1:
                problem("__all__", "Only one of unlisted, publish or unpublish.")
        else:
            if "mp3" not in upload.files:
                problem("mp3", "This field is required.")
            if not fields.get("name", "").strip():
                problem("name", "This field is required.")
            for name in ("publish", "unpublish"):
                if name in fields:
                    problem(name, "Only for edits.")
        if "mp3" in upload.files and not 0 < upload.files["mp3"][2] <= MAX_AUDIO:
            problem("mp3", "The file is empty or too large.")
        if "picture" in upload.files and not 0 < upload.files["picture"][2] <= MAX_PICTURE:
            problem("picture", "The picture is empty or too large.")
        if len(fields.get("description", "")) > 1000:
            problem("description", "Ensure this value has at most 1000 characters.")
        tags = sorted(int(name.split("-")[1]) for name in fields if name.startswith("tags-"))
        if tags != list(range(len(tags))):
            problem("tags", "Tags must be numbered from 0 without gaps.")
        if "publish_date" in fields:
            if not _PUBLISH_DATE.fullmatch(fields["publish_date"]):
                problem("publish_date", "Use YYYY-MM-DDTHH:MM:SSZ (UTC).")
            if not self.me.get("is_pro"):
                problem("publish_date", "Only for Pro accounts.")
        for name in ("disable_comments", "hide_stats", "hosts-0-username"):
            if name in fields and not self.me.get("is_pro"):
                problem(name, "Only for Pro accounts.")
        numbers = sorted({int(name.split("-")[1]) for name in fields if name.startswith("sections-")})
        if numbers != list(range(len(numbers))):
            problem("sections", "Sections must be numbered from 0 without gaps.")
        starts: list[int] = []
        for number in numbers:
            prefix = f"sections-{number}-"
            chapter = fields.get(prefix + "chapter")
            artist, song = fields.get(prefix + "artist"), fields.get(prefix + "song")
            if chapter is None and (not artist or not song):
                problem(prefix + "artist", "A track needs an artist and a song.")
            if chapter is not None and (artist or song):
                problem(prefix + "chapter", "A section is a chapter or a track, not both.")
            start = fields.get(prefix + "start_time", "")
            if not start.isdigit():
                problem(prefix + "start_time", "Enter a whole number.")
            else:
                starts.append(int(start))
        if starts != sorted(starts):
            problem("sections", "Sections must be in order of start time.")
        return problems


def wait_until(predicate: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture(name="fake")
def fake_mixcloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMixcloud]:
    """A started loopback Mixcloud, and its app secret in ``MIXCLOUD_CLIENT_SECRET``."""
    with FakeMixcloud(lifetime=90.0) as server:
        monkeypatch.setenv("MIXCLOUD_CLIENT_SECRET", server.client_secret)
        yield server


@pytest.fixture(name="settings")
def fake_mixcloud_settings(fake: FakeMixcloud, tmp_path: Path) -> Settings:
    """Settings pointing Mixcloud's site and API at the loopback Mixcloud; a library in ``tmp_path``."""
    return load_settings(None, **fake.settings_overrides(), store={"path": str(tmp_path / "library.json")})
