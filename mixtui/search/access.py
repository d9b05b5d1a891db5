"""What searching, generating and browsing ask of the composition root (:class:`mixtui.services.Services`).

The domain names only this narrow shape, never the root itself: the settings, the one client
of each platform, and the one rate gate of each platform (shared by search, generate and browse).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mixtui.browse.rate_gate import RateGate
    from mixtui.config import Settings
    from mixtui.models import Platform
    from mixtui.platforms.base import PlatformClient


class PlatformAccess(Protocol):
    @property
    def settings(self) -> Settings: ...

    def platform_client(self, platform: Platform) -> PlatformClient:
        """The client for one platform, built on first use; BadInput when it is disabled."""
        ...

    def rate_gate(self, platform: str) -> RateGate:
        """The one gate of a platform (``"mixcloud"``) that every caller goes through."""
        ...
