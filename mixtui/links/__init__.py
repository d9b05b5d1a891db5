"""Links without network: which platform a link belongs to, its native id, its canonical URL
and the Media id it gives — one rule for the whole of mixtui.

The store, the player, the planner and the platform clients all ask here; this package
imports nothing above the models, so any of them may use it (the platforms import it, never
the other way round).

* :func:`recognise` / :func:`identify` — what a link is (:class:`RecognisedUrl`, :class:`UrlKind`);
* :func:`canonical_url` / :func:`normalise_url` — the one spelling of a link that is stored;
* :func:`link_media_id` / :func:`media_for_link` / :func:`media_for_stream` /
  :func:`local_media_id` — the id (and the offline Media) of a link, a stream or a file;
* :func:`youtube_video_id`, :func:`mixcloud_key`, :func:`mixcloud_native_id` — platform ids.
"""

from __future__ import annotations

from mixtui.links.identity import (
    digest,
    display_host,
    link_media_id,
    link_native_id,
    link_platform,
    link_title,
    local_media_id,
    local_native_id,
    media_for_link,
    media_for_stream,
    single_link,
    stream_media_id,
    title_from_file_name,
)
from mixtui.links.recognise import (
    PLATFORM_NOISE_PARAMS,
    TRACKING_PARAMS,
    YOUTUBE_VIDEO_ID,
    RecognisedUrl,
    UrlKind,
    canonical_url,
    identify,
    media_file_id,
    mixcloud_key,
    mixcloud_native_id,
    normalise_url,
    recognise,
    youtube_video_id,
)

__all__ = [
    "PLATFORM_NOISE_PARAMS",
    "TRACKING_PARAMS",
    "YOUTUBE_VIDEO_ID",
    "RecognisedUrl",
    "UrlKind",
    "canonical_url",
    "digest",
    "display_host",
    "identify",
    "link_media_id",
    "link_native_id",
    "link_platform",
    "link_title",
    "local_media_id",
    "local_native_id",
    "media_file_id",
    "media_for_link",
    "media_for_stream",
    "mixcloud_key",
    "mixcloud_native_id",
    "normalise_url",
    "recognise",
    "single_link",
    "stream_media_id",
    "title_from_file_name",
    "youtube_video_id",
]
