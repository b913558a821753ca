"""Pictures, sound and film from the course folder, each with its text alternative.

* ``kind: image`` needs ``alt`` unless ``decorative: true`` (then ``alt=""``); SVG is fine.
* ``kind: audio`` needs a ``transcript``.
* ``kind: video`` needs ``captions`` (a WebVTT ``.vtt`` file) or a ``transcript``, or both.

Files must be inside the course (``ctx.source_file`` refuses URLs and paths that leave it), so
packages never load anything from outside themselves. Nothing plays by itself: players always
have ``controls`` and never ``autoplay`` (WCAG 2.2 SC 1.4.2, 2.2.2). Not tracked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from course_builder.i18n.files import language_file
from course_builder.plugin import (
    Block,
    BlockContext,
    BlockModel,
    ContentType,
    TranslatableMarkdown,
    TranslatableText,
)

#: File endings browsers play for each kind; anything else gets a warning, not an error.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image": (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"),
    "audio": (".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".webm"),
    "video": (".mp4", ".m4v", ".webm", ".ogv"),
}


class MediaBlock(BlockModel):
    """One image, audio clip or video with its text alternative and an optional caption."""

    kind: Literal["image", "audio", "video"]
    src: str = Field(min_length=1)
    alt: TranslatableText | None = None
    decorative: bool = False
    caption: TranslatableMarkdown | None = None
    transcript: TranslatableMarkdown | None = None
    captions: str | None = None


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


class Media(ContentType[MediaBlock]):
    """Images, audio and video with alt text, transcripts and captions; not tracked."""

    name = "media"
    model = MediaBlock
    template = "media.html.j2"
    handout_template = "media.handout.html.j2"
    styles = ("media.css",)

    def check(self, block: Block[MediaBlock], ctx: BlockContext[MediaBlock]) -> None:
        """Every medium has its text alternative, and its files exist inside the course."""
        media = block.data
        source = ctx.source_file(media.src, "src")
        if source is not None and source.suffix.lower() not in EXTENSIONS[media.kind]:
            ctx.warning(f"'{media.src}' does not look like a{'n' if media.kind != 'video' else ''} "
                        f"{media.kind} file", "src",
                        hint=f"browsers play {', '.join(EXTENSIONS[media.kind])}")

        if media.kind == "image":
            if media.decorative:
                if not _blank(media.alt):
                    ctx.warning("is ignored because the image is `decorative: true`", "alt",
                                hint="remove `decorative` if the image carries meaning")
            elif _blank(media.alt):
                ctx.error("an image needs `alt` text saying what it shows", "alt",
                          hint="or set `decorative: true` if it adds nothing to the text")
            if media.transcript is not None:
                ctx.error("is only for audio and video; describe an image with `alt`",
                          "transcript")
        else:
            if media.alt is not None:
                ctx.error(f"is only for images; give {media.kind} a `transcript` instead", "alt")
            if media.decorative:
                ctx.error("is only for images", "decorative")

        if media.captions is not None and media.kind != "video":
            ctx.error("is only for video", "captions")

        if media.kind == "audio" and _blank(media.transcript):
            ctx.error("audio needs a `transcript`", "transcript",
                      hint="people who cannot hear it, or whose PC has no sound, read it instead")
        if media.kind == "video":
            if media.captions is None and _blank(media.transcript):
                ctx.error("a video needs `captions` (a .vtt file) or a `transcript`",
                          hint="captions are best: add `captions: video/clip.vtt`")
            elif media.transcript is not None and _blank(media.transcript):
                ctx.error("must not be empty", "transcript")
            if media.captions is not None:
                self._check_captions(media.captions, ctx)

    def _check_captions(self, path: str, ctx: BlockContext[MediaBlock]) -> None:
        file = ctx.source_file(path, "captions")
        if file is None:
            return
        if file.suffix.lower() != ".vtt":
            ctx.error(f"'{path}' is not a WebVTT file; captions must be a .vtt file",
                      "captions", hint="most captioning tools can export WebVTT")
            return
        if not _is_webvtt(file):
            ctx.error(f"'{path}' is not a WebVTT file: it must start with WEBVTT", "captions")

    def template_variables(self, block: Block[MediaBlock],
                           ctx: BlockContext[MediaBlock]) -> dict[str, Any]:
        """The captions file in the page's language when the course has one (``clip.cy.vtt``
        beside ``clip.vtt``), and the language of the file used, for the caption track."""
        captions, language = (language_file(ctx, block.data.captions) if block.data.captions
                              else (None, ctx.course.config.language))
        return {"language": language, "captions": captions}


def _is_webvtt(file: Path) -> bool:
    # WebVTT spec, 4.1: an optional BOM, then "WEBVTT" followed by a space, tab or line end.
    head = file.read_bytes()[:16].removeprefix(b"\xef\xbb\xbf")
    return head.startswith(b"WEBVTT") and (len(head) == 6 or head[6:7] in (b" ", b"\t", b"\n",
                                                                             b"\r"))
