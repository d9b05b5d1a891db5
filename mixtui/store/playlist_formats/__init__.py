"""Playlist file formats, one module each, and the rules they share.

``text`` reads a file safely and decodes it; ``locations`` turns what a playlist names (a
path in any style, a ``file://`` URI, a web link) into a Media; ``m3u``, ``xspf``, ``pls``,
``xml_lists`` (ASX, WPL) and ``json_list`` read and write their format. A parser collects a
note for each entry it cannot place and keeps going; ``mixtui.store.playlist_io`` is the
public surface.
"""
