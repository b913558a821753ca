"""A course's side files in the language being built: captions (``.vtt``) and data (``.csv``).

A file holds one language, so a translated course gives each language its own file beside the
source's, with the language tag before the suffix: ``video/clip.vtt`` (the source language) and
``video/clip.cy.vtt`` (Welsh); ``data/figures.csv`` and ``data/figures.cy.csv``. A Welsh build
uses the Welsh file when there is one (``clip.cy-GB.vtt`` first, then ``clip.cy.vtt``), and
otherwise the source's, which the page then marks as being in the source language.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any


def language_file(ctx: Any, path: str) -> tuple[str, str]:
    """``path`` (relative to the block's module, as the author wrote it) in the language the
    block is built in, and the language that file holds: ``("data/figures.cy.csv", "cy")``,
    or ``(path, <source language>)`` when the course has no file for that language."""
    from course_builder.i18n.build import source_language

    config = ctx.course.config
    lang, source = config.language, source_language(config)
    found = _own_file(ctx.block.module.directory, path, lang) if lang != source else None
    return found if found is not None else (path, source)


def translated_files(ctx: Any, path: str) -> list[str]:
    """The files of ``path`` in the course's other languages that exist beside it
    (``data/figures.cy.csv``), relative to the block's module: checked with the source's own,
    so a mistake in one is a located error from ``validate``, not a failure while building."""
    from course_builder.i18n.build import source_language

    config = ctx.course.config
    source = source_language(config)
    found: list[str] = []
    for entry in config.languages:
        own = _own_file(ctx.block.module.directory, path, entry.tag) \
            if entry.tag != source else None
        if own is not None and own[0] not in found:
            found.append(own[0])
    return found


def _own_file(folder: Path, path: str, lang: str) -> tuple[str, str] | None:
    """``path``'s file in ``lang`` beside it in ``folder`` (``clip.cy-GB.vtt`` first, then
    ``clip.cy.vtt``) and the tag it was found under, or None when there is none."""
    written = PurePosixPath(path)
    parts = lang.split("-")
    for size in range(len(parts), 0, -1):
        tag = "-".join(parts[:size])
        candidate = written.with_name(f"{written.stem}.{tag}{written.suffix}")
        if (folder / candidate).is_file():
            return candidate.as_posix(), tag
    return None
