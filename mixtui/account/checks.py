"""Doctor checks of the Mixcloud account: the app's id and secret, and the login (masked, never shown)."""

from __future__ import annotations

import os

from mixtui.account.oauth import REGISTER_HINT, SECRET_ENV
from mixtui.account.tokens import TokenStore
from mixtui.config import Settings
from mixtui.doctor import Check, mask_secret
from mixtui.errors import MixtuiError


async def run_checks(settings: Settings, online: bool) -> list[Check]:
    client_id = settings.platforms.mixcloud.client_id
    secret = os.environ.get(SECRET_ENV)
    store = TokenStore()
    try:
        stored = store.load()
        login = Check(
            "mixcloud login",
            True,
            f"signed in, token {mask_secret(stored.access_token)} in {store.path}" if stored else "not signed in",
            None if stored else "optional: `mixtui mixcloud login` to follow, favourite and upload",
            warning=stored is None,
        )
    except MixtuiError as error:
        login = Check("mixcloud login", False, error.message, error.hint)
    app_ready = bool(client_id) and bool(secret)
    return [
        Check(
            "mixcloud app",
            True,
            f"client_id {client_id or 'not set'}, {SECRET_ENV} {mask_secret(secret)}",
            None if app_ready else REGISTER_HINT,
            warning=not app_ready,
        ),
        login,
    ]
