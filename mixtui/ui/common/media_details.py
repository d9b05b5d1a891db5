"""The side panel: the highlighted Media's cover art (where the terminal can show it) and details."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from mixtui import paths
from mixtui.durations import format_duration
from mixtui.text import mask_userinfo

if TYPE_CHECKING:
    from mixtui.models import Media
from mixtui.ui.app_access import AppAccess
from mixtui.ui.common.media_table import platform_badge
from mixtui.ui.common.plain import shown

COVER_BYTES_LIMIT = 5_000_000


def cover_cache_path(url: str) -> Path:
    return paths.cache_dir() / "covers" / hashlib.sha1(url.encode()).hexdigest()


class MediaDetails(AppAccess, Vertical):
    DEFAULT_CSS = """
    MediaDetails { width: 40; padding: 0 1; border-left: tall $panel; }
    MediaDetails #cover { height: 14; width: 28; }
    MediaDetails #info { height: auto; }
    """

    media: reactive[Media | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Static("", id="info")

    def watch_media(self, media: Media | None) -> None:
        info = self.query_one("#info", Static)
        if media is None:
            info.update("")
            return
        text = Text.assemble(
            platform_badge(media.platform.value),
            f"  {media.platform.display_name} · {format_duration(media.duration)}\n\n",
            (shown(media.title) + "\n", "bold"),
            (shown(media.author) + "\n\n", "italic"),
            (shown(mask_userinfo(media.url)), "dim"),
        )
        info.update(text)
        if media.image and self.mixtui.show_images:
            self.load_cover(media.image)

    @work(exclusive=True, group="cover", exit_on_error=False)
    async def load_cover(self, url: str) -> None:
        """Fetch (or read from the disk cache) the cover, then show it; failures just show none."""
        path = cover_cache_path(url)
        if not path.exists():
            http = self.mixtui.services.http
            try:
                response = await http.get(url)
            except Exception:
                return
            if response.status_code != 200 or len(response.content) > COVER_BYTES_LIMIT:
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(response.content)
        self._show_cover(path)

    def _show_cover(self, path: Path) -> None:
        from textual_image.widget import Image  # ~0.3 s to import: only once a cover is shown

        try:
            existing = self.query("#cover")
            if existing:
                existing.first(Image).image = str(path)
            else:
                self.mount(Image(str(path), id="cover"), before=0)
        except Exception:
            return
