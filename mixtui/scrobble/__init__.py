"""Scrobbling: "now playing" and listens sent to ListenBrainz and Last.fm.

* :mod:`~mixtui.scrobble.rules`: when a play counts as a listen under each service's own rule, how
  long it was really listened to, and the track's metadata (pure, no I/O).
* :mod:`~mixtui.scrobble.listenbrainz` and :mod:`~mixtui.scrobble.lastfm`: the two services'
  documented web APIs over httpx (their Python clients are synchronous and fixed to the real hosts).
* :mod:`~mixtui.scrobble.credentials`: tokens from the config, the environment or a 0600 file.
* :mod:`~mixtui.scrobble.scrobbler`: listens to the one player's events, queues qualifying listens
  in the library (:mod:`mixtui.store.scrobbles`) and sends them in batches with backoff.

Delivery: a listen is written to the library before anything is sent, and leaves it only after the
service accepted it, so nothing is lost to a crash, a restart or a network outage. A batch is
claimed in the library before its request goes out; if mixtui dies between the service storing a
batch and the library marking it sent, that one batch is sent again after the restart. It carries
the same ``listened_at`` and the same metadata, and both services keep one listen per user, time
and track (ListenBrainz de-duplicates identical listens; Last.fm keeps one scrobble per track and
timestamp), so the user's history holds it once: at least once on the wire, once in the history.
"""

from __future__ import annotations

SERVICE_NAMES = ("listenbrainz", "lastfm")
SERVICE_TITLES = {"listenbrainz": "ListenBrainz", "lastfm": "Last.fm"}
