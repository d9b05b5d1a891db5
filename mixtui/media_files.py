"""Which file names are media mixtui plays as they are: one list for files, links and the player."""

from __future__ import annotations

# Audio files: listed by the local platform and ``mixtui play FOLDER`` (mpv plays them all;
# tags are read where mutagen can).
AUDIO_EXTENSIONS = frozenset(
    {
        ".aac", ".aif", ".aiff", ".alac", ".ape", ".flac", ".m4a", ".m4b", ".mka", ".mp2", ".mp3", ".mpc",
        ".oga", ".ogg", ".opus", ".spx", ".wav", ".weba", ".wma", ".wv",
    }
)  # fmt: skip

# Direct media links (platforms.md §6): audio, a few video containers and HLS playlists that
# mpv opens itself, never sent to yt-dlp.
MEDIA_FILE_EXTENSIONS = AUDIO_EXTENSIONS | {".au", ".mkv", ".mp4", ".webm", ".m3u8"}

# Stream schemes mpv opens itself (radio streams and the like): played as they are, and the only
# non-web schemes a Media of the url platform may carry besides ``file:``.
STREAM_SCHEMES = frozenset({"rtmp", "rtsp", "mms", "icyx", "udp", "rtp", "srt"})
