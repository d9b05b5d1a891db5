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
READ = PropertyAccess.READ


def variants(fields: dict[str, tuple[str, Any]]) -> dict[str, Variant]:
    return {key: Variant(signature, value) for key, (signature, value) in fields.items()}


class RootInterface(ServiceInterface):
    """``org.mpris.MediaPlayer2``: who the player is; Quit closes the app or ends ``mixtui play``."""

    def __init__(self, keys: MediaKeys) -> None:
        super().__init__(state.ROOT_INTERFACE)
        self._keys = keys

    @dbus_method()
    def Raise(self) -> None:  # noqa: N802 (D-Bus names)
        """A terminal cannot be brought to the front from here: CanRaise is false."""

    @dbus_method()
    async def Quit(self) -> None:  # noqa: N802
        await self._keys.quit()

    @dbus_property(access=READ)
    def CanQuit(self) -> DBusBool:  # noqa: N802
        return True

    @dbus_property(access=READ)
    def CanRaise(self) -> DBusBool:  # noqa: N802
        return False

    @dbus_property(access=READ)
    def HasTrackList(self) -> DBusBool:  # noqa: N802
        return False

    @dbus_property(access=READ)
    def Identity(self) -> DBusStr:  # noqa: N802
        return state.IDENTITY

    @dbus_property(access=READ)
    def SupportedUriSchemes(self) -> DBusStrList:  # noqa: N802
        return list(state.URI_SCHEMES)

    @dbus_property(access=READ)
    def SupportedMimeTypes(self) -> DBusStrList:  # noqa: N802
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
    async def Next(self) -> None:  # noqa: N802
        await self._keys.next()

    @dbus_method()
    async def Previous(self) -> None:  # noqa: N802
        await self._keys.previous()

    @dbus_method()
    async def Pause(self) -> None:  # noqa: N802
        await self._keys.pause()

    @dbus_method()
    async def PlayPause(self) -> None:  # noqa: N802
        await self._keys.play_pause()

    @dbus_method()
    async def Stop(self) -> None:  # noqa: N802
        await self._keys.stop()

    @dbus_method()
    async def Play(self) -> None:  # noqa: N802
        await self._keys.play()

    @dbus_method()
    async def Seek(self, offset: DBusInt64) -> None:  # noqa: N802
        await self._keys.seek(offset)

    @dbus_method()
    async def SetPosition(self, track_id: DBusObjectPath, position: DBusInt64) -> None:  # noqa: N802
        await self._keys.set_position(track_id, position)

    @dbus_method()
    async def OpenUri(self, uri: DBusStr) -> None:  # noqa: N802
        await self._keys.open_uri(uri)

    @dbus_signal()
    def Seeked(self, position: int) -> DBusInt64:  # noqa: N802
        return position

    # -- properties -------------------------------------------------------------------------
    @dbus_property(access=READ)
    def PlaybackStatus(self) -> DBusStr:  # noqa: N802
        return str(self._value("PlaybackStatus"))

    @dbus_property()
    def LoopStatus(self) -> DBusStr:  # noqa: N802
        return str(self._value("LoopStatus"))

    @LoopStatus.setter
    async def LoopStatus(self, value: DBusStr) -> None:  # noqa: N802
        await self._keys.set_loop_status(value)

    @dbus_property()
    def Rate(self) -> DBusDouble:  # noqa: N802
        return 1.0

    @Rate.setter
    async def Rate(self, value: DBusDouble) -> None:  # noqa: N802
        await self._keys.set_rate(value)

    @dbus_property()
    def Shuffle(self) -> DBusBool:  # noqa: N802
        return bool(self._value("Shuffle"))

    @Shuffle.setter
    async def Shuffle(self, value: DBusBool) -> None:  # noqa: N802
        await self._keys.set_shuffle(value)

    @dbus_property(access=READ)
    def Metadata(self) -> DBusDict:  # noqa: N802
        fields: dict[str, tuple[str, Any]] = self._value("Metadata")
        return variants(fields)

    @dbus_property()
    def Volume(self) -> DBusDouble:  # noqa: N802
        return float(self._value("Volume"))

    @Volume.setter
    async def Volume(self, value: DBusDouble) -> None:  # noqa: N802
        await self._keys.set_volume(value)

    @dbus_property(access=READ)
    def Position(self) -> DBusInt64:  # noqa: N802
        return self._keys.position()

    @dbus_property(access=READ)
    def MinimumRate(self) -> DBusDouble:  # noqa: N802
        return 1.0

    @dbus_property(access=READ)
    def MaximumRate(self) -> DBusDouble:  # noqa: N802
        return 1.0

    @dbus_property(access=READ)
    def CanGoNext(self) -> DBusBool:  # noqa: N802
        return bool(self._value("CanGoNext"))

    @dbus_property(access=READ)
    def CanGoPrevious(self) -> DBusBool:  # noqa: N802
        return bool(self._value("CanGoPrevious"))

    @dbus_property(access=READ)
    def CanPlay(self) -> DBusBool:  # noqa: N802
        return bool(self._value("CanPlay"))

    @dbus_property(access=READ)
    def CanPause(self) -> DBusBool:  # noqa: N802
        return bool(self._value("CanPause"))

    @dbus_property(access=READ)
    def CanSeek(self) -> DBusBool:  # noqa: N802
        return bool(self._value("CanSeek"))

    @dbus_property(access=READ)
    def CanControl(self) -> DBusBool:  # noqa: N802
        return True
