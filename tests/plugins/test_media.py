"""The media content type: local files only, text alternatives required, never autoplay."""

from __future__ import annotations

import re
import textwrap
import zipfile
from pathlib import Path

import pytest

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseInvalid

COURSE = """\
id: https://example.org/courses/media-test
title: Media test
version: 1.0.0
language: en-GB
modules: [one]
"""

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
       '<rect width="10" height="10"/></svg>')
VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\nHello.\n"
FILES = {
    "modules/one/images/pic.svg": SVG,
    "modules/one/audio/clip.mp3": "ID3",
    "modules/one/video/clip.mp4": "\x00\x00\x00\x18ftypmp42",
    "modules/one/video/clip.vtt": VTT,
}


def write_course(root: Path, blocks: str, files: dict[str, str] | None = None) -> Path:
    """A one-page course holding ``blocks`` (a YAML list), with small media files beside it."""
    module = "title: One\npages:\n  - id: page\n    title: Media\n    blocks:\n" + \
        textwrap.indent(textwrap.dedent(blocks), "      ")
    contents = {"course.yaml": COURSE, "modules/one/module.yaml": module, **FILES, **(files or {})}
    for relative, text in contents.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def errors_of(course_dir: Path) -> list[str]:
    try:
        load_course(course_dir, Reporter())
    except CourseInvalid as exc:
        return [d.format(course_dir) for d in exc.diagnostics]
    return []


def build_page(tmp_path: Path, blocks: str) -> tuple[str, list[str]]:
    """The rendered media blocks and the package's file list."""
    result = build(write_course(tmp_path / "c", blocks), tmp_path / "out", ["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        html = package.read("index.html").decode()
        names = package.namelist()
    blocks_html = re.findall(r'<div class="cb-block cb-block--media".*?\n</div>', html, re.S)
    return "\n".join(blocks_html), names


# -- images -----------------------------------------------------------------------------------
def test_image_with_alt_and_caption(tmp_path: Path) -> None:
    html, names = build_page(tmp_path, """\
        - type: media
          kind: image
          src: images/pic.svg
          alt: A black square
          caption: A *square*, drawn in SVG.
        """)
    assert "media/one/images/pic.svg" in names
    assert '<figure class="cb-media cb-media--image">' in html
    assert '<img class="cb-media__image" src="media/one/images/pic.svg" alt="A black square"' \
        in html
    assert '<figcaption class="cb-media__caption">A <em>square</em>, drawn in SVG.</figcaption>' \
        in html


def test_image_without_caption_is_not_a_figure(tmp_path: Path) -> None:
    html, _ = build_page(tmp_path, """\
        - type: media
          kind: image
          src: images/pic.svg
          alt: A black square
        """)
    assert "<figure" not in html and "<figcaption" not in html
    assert '<div class="cb-media cb-media--image">' in html


def test_image_needs_alt(tmp_path: Path) -> None:
    course = write_course(tmp_path, """\
        - type: media
          kind: image
          src: images/pic.svg
        """)
    assert errors_of(course) == [
        "modules/one/module.yaml:6:9: error: block 'one-page-1' (media): alt: an image needs "
        "`alt` text saying what it shows\n    hint: or set `decorative: true` if it adds "
        "nothing to the text",
    ]


def test_decorative_image_has_empty_alt(tmp_path: Path) -> None:
    html, _ = build_page(tmp_path, """\
        - type: media
          kind: image
          src: images/pic.svg
          decorative: true
        """)
    assert '<img class="cb-media__image" src="media/one/images/pic.svg" alt=""' in html


@pytest.mark.parametrize("src", ["https://example.org/pic.png", "//cdn.example.org/pic.png"])
def test_remote_files_are_errors(tmp_path: Path, src: str) -> None:
    course = write_course(tmp_path, f"""\
        - type: media
          kind: image
          src: "{src}"
          alt: A picture
        """)
    assert errors_of(course) == [
        f"modules/one/module.yaml:8:14: error: block 'one-page-1' (media): src: '{src}' is not "
        "a local file; packages must not load anything from outside themselves\n    hint: "
        "download the file into the module's folder and use a relative path",
    ]


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    course = write_course(tmp_path, """\
        - type: media
          kind: image
          src: images/nope.png
          alt: A picture
        """)
    assert errors_of(course) == [
        "modules/one/module.yaml:8:14: error: block 'one-page-1' (media): src: file "
        "'images/nope.png' not found in one/",
    ]


# -- audio ------------------------------------------------------------------------------------
def test_audio_needs_a_transcript(tmp_path: Path) -> None:
    course = write_course(tmp_path, """\
        - type: media
          kind: audio
          src: audio/clip.mp3
        """)
    assert errors_of(course) == [
        "modules/one/module.yaml:6:9: error: block 'one-page-1' (media): transcript: audio "
        "needs a `transcript`\n    hint: people who cannot hear it, or whose PC has no sound, "
        "read it instead",
    ]


def test_audio_player_and_transcript(tmp_path: Path) -> None:
    html, names = build_page(tmp_path, """\
        - type: media
          kind: audio
          src: audio/clip.mp3
          transcript: "**Trainer:** Hello."
        """)
    assert "media/one/audio/clip.mp3" in names
    assert '<audio class="cb-media__player" controls preload="metadata" ' \
           'src="media/one/audio/clip.mp3">' in html
    assert "autoplay" not in html
    assert re.search(r'<details class="cb-media__transcript">\s*<summary>Transcript.*?</summary>'
                     r'.*?<p><strong>Trainer:</strong> Hello.</p>', html, re.S)


# -- video ------------------------------------------------------------------------------------
def test_video_needs_captions_or_a_transcript(tmp_path: Path) -> None:
    course = write_course(tmp_path, """\
        - type: media
          kind: video
          src: video/clip.mp4
        """)
    assert errors_of(course) == [
        "modules/one/module.yaml:6:9: error: block 'one-page-1' (media): a video needs "
        "`captions` (a .vtt file) or a `transcript`\n    hint: captions are best: add "
        "`captions: video/clip.vtt`",
    ]


def test_video_with_captions(tmp_path: Path) -> None:
    html, names = build_page(tmp_path, """\
        - type: media
          kind: video
          src: video/clip.mp4
          captions: video/clip.vtt
        """)
    assert "media/one/video/clip.vtt" in names and "media/one/video/clip.mp4" in names
    assert '<video class="cb-media__player" controls preload="metadata" playsinline ' \
           'src="media/one/video/clip.mp4">' in html
    assert '<track kind="captions" src="media/one/video/clip.vtt" srclang="en-GB" ' \
           'label="Captions" default>' in html
    assert "autoplay" not in html
    assert "cb-media__transcript" not in html


def test_video_with_transcript_only(tmp_path: Path) -> None:
    html, _ = build_page(tmp_path, """\
        - type: media
          kind: video
          src: video/clip.mp4
          transcript: A nurse sits down and asks how the person is feeling.
        """)
    assert "<track" not in html
    assert "A nurse sits down and asks how the person is feeling." in html


def test_captions_must_be_webvtt(tmp_path: Path) -> None:
    course = write_course(tmp_path, """\
        - type: media
          kind: video
          src: video/clip.mp4
          captions: video/clip.srt
        - type: media
          kind: video
          src: video/clip.mp4
          captions: video/bad.vtt
        """, {"modules/one/video/clip.srt": "1\n00:00:00,000 --> 00:00:01,000\nHi\n",
              "modules/one/video/bad.vtt": "00:00.000 --> 00:01.000\nHi\n"})
    assert errors_of(course) == [
        "modules/one/module.yaml:9:19: error: block 'one-page-1' (media): captions: "
        "'video/clip.srt' is not a WebVTT file; captions must be a .vtt file\n    hint: most "
        "captioning tools can export WebVTT",
        "modules/one/module.yaml:13:19: error: block 'one-page-2' (media): captions: "
        "'video/bad.vtt' is not a WebVTT file: it must start with WEBVTT",
    ]


# -- fields that belong to another kind -------------------------------------------------------
def test_fields_for_other_kinds_are_errors(tmp_path: Path) -> None:
    course = write_course(tmp_path, """\
        - type: media
          kind: audio
          src: audio/clip.mp3
          alt: A clip
          captions: video/clip.vtt
          transcript: Words.
        """)
    assert errors_of(course) == [
        "modules/one/module.yaml:9:14: error: block 'one-page-1' (media): alt: is only for "
        "images; give audio a `transcript` instead",
        "modules/one/module.yaml:10:19: error: block 'one-page-1' (media): captions: is only "
        "for video",
    ]


def test_media_is_not_tracked(tmp_path: Path) -> None:
    course = load_course(write_course(tmp_path, """\
        - type: media
          kind: image
          src: images/pic.svg
          alt: A black square
        """), Reporter())
    block = course.blocks[0]
    assert block.plugin.interactions(block) == []
    assert block.plugin.max_state_chars(block) == 0
    assert block.plugin.scripts == ()
