"""The two MPRIS2 D-Bus interfaces, as dbus-fast service interfaces over :class:`MediaKeys`.

They only translate: D-Bus calls become :class:`~mixtui.mpris.service.MediaKeys` commands,
property reads come from :mod:`mixtui.mpris.state`. dbus-fast does the marshalling,
introspection and ``org.freedesktop.DBus.Properties``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from dbus_fast import PropertyAccess, Variant
from dbus_fast.annotations import (
    DBusBool,
    DBusDict,
    DBusDouble,
    DBusInt64,
    DBusObjectPath,
    DBusSignature,
    DBusStr,
)
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal

from mixtui.mpris import state

if TYPE_CHECKING:
    from mixtui.mpris.service import MediaKeys

DBusStrList = Annotated[list[str], DBusSignature("as")]
# A method that answers with an empty reply ("-> None" reads as a missing signature).
NoReply = Annotated[None, DBusSignature("")]
READ = PropertyAccess.READ


def variants(fields: dict[str, tuple[str, Any]]) -> dict[str, Variant]:
    return {key: Variant(signature, value) for key, (signature, value) in fields.items()}


class RootInterface(ServiceInterface):
    """``org.mpris.MediaPlayer2``: who the player is; Quit closes the app or ends ``mixtui play``."""

    def __init__(self, keys: MediaKeys) -> None:
        super().__init__(state.ROOT_INTERFACE)
        self._keys = keys

    @dbus_method()
    def Raise(self) -> NoReply:
        """A terminal cannot be brought to the front from here: CanRaise is false."""

    @dbus_method()
    async def Quit(self) -> NoReply:
        await self._keys.quit()

    @dbus_property(access=READ)
    def CanQuit(self) -> DBusBool:
        return True

    @dbus_property(access=READ)
    def CanRaise(self) -> DBusBool:
        return False

    @dbus_property(access=READ)
    def HasTrackList(self) -> DBusBool:
        return False

    @dbus_property(access=READ)
    def Identity(self) -> DBusStr:
        return state.IDENTITY

    @dbus_property(access=READ)
    def SupportedUriSchemes(self) -> DBusStrList:
        return list(state.URI_SCHEMES)

    @dbus_property(access=READ)
    def SupportedMimeTypes(self) -> DBusStrList:
        return state.supported_mime_types()


class PlayerInterface(ServiceInterface):
    """``org.mpris.MediaPlayer2.Player``: transport, position, volume, modes and what plays."""

    def __init__(self, keys: MediaKeys) -> None:
        super().__init__(state.PLAYER_INTERFACE)
        self._keys = keys

    def _value(self, name: str) -> Any:
        return self._keys.properties()[name][1]

    # -- methods ----------------------------------------------------------------------------
    @dbus_method()
    async def Next(self) -> NoReply:
        await self._keys.next()

    @dbus_method()
    async def Previous(self) -> NoReply:
        await self._keys.previous()

    @dbus_method()
    async def Pause(self) -> NoReply:
        await self._keys.pause()

    @dbus_method()
    async def PlayPause(self) -> NoReply:
        await self._keys.play_pause()

    @dbus_method()
    async def Stop(self) -> NoReply:
        await self._keys.stop()

    @dbus_method()
    async def Play(self) -> NoReply:
        await self._keys.play()

    @dbus_method()
    async def Seek(self, offset: DBusInt64) -> NoReply:
        await self._keys.seek(offset)

    @dbus_method()
    async def SetPosition(self, track_id: DBusObjectPath, position: DBusInt64) -> NoReply:
        await self._keys.set_position(track_id, position)

    @dbus_method()
    async def OpenUri(self, uri: DBusStr) -> NoReply:
        await self._keys.open_uri(uri)

    @dbus_signal()
    def Seeked(self, position: int) -> DBusInt64:
        return position

    # -- properties -------------------------------------------------------------------------
    @dbus_property(access=READ)
    def PlaybackStatus(self) -> DBusStr:
        return str(self._value("PlaybackStatus"))

    @dbus_property()
    def LoopStatus(self) -> DBusStr:
        return str(self._value("LoopStatus"))

    @LoopStatus.setter  # type: ignore[no-redef]
    async def LoopStatus(self, value: DBusStr) -> None:
        await self._keys.set_loop_status(value)

    @dbus_property()
    def Rate(self) -> DBusDouble:
        return 1.0

    @Rate.setter  # type: ignore[no-redef]
    async def Rate(self, value: DBusDouble) -> None:
        await self._keys.set_rate(value)

    @dbus_property()
    def Shuffle(self) -> DBusBool:
        return bool(self._value("Shuffle"))

    @Shuffle.setter  # type: ignore[no-redef]
    async def Shuffle(self, value: DBusBool) -> None:
        await self._keys.set_shuffle(value)

    @dbus_property(access=READ)
    def Metadata(self) -> DBusDict:
        fields: dict[str, tuple[str, Any]] = self._value("Metadata")
        return variants(fields)

    @dbus_property()
    def Volume(self) -> DBusDouble:
        return float(self._value("Volume"))

    @Volume.setter  # type: ignore[no-redef]
    async def Volume(self, value: DBusDouble) -> None:
        await self._keys.set_volume(value)

    @dbus_property(access=READ)
    def Position(self) -> DBusInt64:
        return self._keys.position()

    @dbus_property(access=READ)
    def MinimumRate(self) -> DBusDouble:
        return 1.0

    @dbus_property(access=READ)
    def MaximumRate(self) -> DBusDouble:
        return 1.0

    @dbus_property(access=READ)
    def CanGoNext(self) -> DBusBool:
        return bool(self._value("CanGoNext"))

    @dbus_property(access=READ)
    def CanGoPrevious(self) -> DBusBool:
        return bool(self._value("CanGoPrevious"))

    @dbus_property(access=READ)
    def CanPlay(self) -> DBusBool:
        return bool(self._value("CanPlay"))

    @dbus_property(access=READ)
    def CanPause(self) -> DBusBool:
        return bool(self._value("CanPause"))

    @dbus_property(access=READ)
    def CanSeek(self) -> DBusBool:
        return bool(self._value("CanSeek"))

    @dbus_property(access=READ)
    def CanControl(self) -> DBusBool:
        return True
