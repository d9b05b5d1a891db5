"""Reviews in the Library: shown under the open playlist's tracks, as text, refreshed when the library changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from mixtui.store import Library
from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE
from tests.test_ui_library import library_app, open_library, pick_playlist, settle

pytestmark = pytest.mark.timeout(90)


def reviews_box(screen: object) -> Static:
    box = screen.query_one("#reviews", Static)  # type: ignore[attr-defined]
    assert isinstance(box, Static)
    return box


async def test_reviews_show_under_the_tracks_and_follow_the_library(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app, seeded = library_app(tmp_path, platform_servers)
    with Library(tmp_path / "library.json") as store:
        first = store.reviews.add(seeded.beach, "Perfect for [bold]sunsets[/bold] \x1b]52;c;QUFB\x07", author="ana")
        store.reviews.add(seeded.beach, "Agreed\nfully", author="bo", parent_id=first.id)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_library(app, pilot)
        assert not reviews_box(screen).display  # Listen Later has none
        await pick_playlist(screen, pilot, seeded.beach)
        await settle(app, pilot)
        box = reviews_box(screen)
        assert box.display
        text = str(box.render())
        # Strangers' text is shown as text: markup as written, control codes as symbols; a reply sits under its review.
        assert text.splitlines() == [
            "Reviews (1)",
            "ana: Perfect for [bold]sunsets[/bold] ␛]52;c;QUFB␇",
            "  ↳ bo: Agreed fully",
        ]
        await pick_playlist(screen, pilot, seeded.road)
        await settle(app, pilot)
        assert not reviews_box(screen).display
        # Another process reviews the road trip; coming back to the Library shows it.
        with Library(tmp_path / "library.json") as other:
            for number in range(5):
                other.reviews.add(seeded.road, f"note {number}", author="cy")
        await app.switch_mode("search")
        await pilot.pause()
        await app.switch_mode("library")
        await settle(app, pilot)
        lines = str(reviews_box(screen).render()).splitlines()
        assert (
            lines[0] == "Reviews (5)" and lines[1] == "cy: note 4" and lines[-1] == "… 2 more: mixtui playlist reviews"
        )
