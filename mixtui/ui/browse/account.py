"""The Browse screen's Mixcloud-account messages: signed in or not, an object's state, an action's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from mixtui.account.mixcloud import ObjectState
    from mixtui.errors import MixtuiError


@dataclass
class SignedInChecked(Message):
    """``name`` is the signed-in user's name ("" when not fetched yet), None when signed out."""

    name: str | None
    # Signed out, but a Mixcloud app (client_id) is configured, so the app can sign in.
    can_sign_in: bool = False


@dataclass
class SignInWaiting(Message):
    """The authorize page is open (or could not be): where the user should go."""

    url: str
    opened: bool


@dataclass
class AccountStateLoaded(Message):
    state: ObjectState


@dataclass
class AccountActed(Message):
    state: ObjectState
    text: str


@dataclass
class AccountActionFailed(Message):
    error: MixtuiError
