"""Media keys and the desktop: mixtui as an MPRIS2 player on the D-Bus session bus.

While the app or ``mixtui play`` runs, :class:`~mixtui.mpris.service.MediaKeys` publishes
the one player they share as ``org.mpris.MediaPlayer2.mixtui`` (with an instance suffix
when that name is taken), so media keys, the desktop's sound menu and ``playerctl``
control it. Without a session bus (a bare server, macOS, Windows) it stays off and says
why; ``[mpris] enabled = false`` turns it off. Nothing here loads D-Bus code until it starts.
"""
