"""Markdown text, optionally shown as a callout (note, important, support, content note)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from course_builder.plugin import BlockModel, ContentType, TranslatableMarkdown, TranslatableText


class TextBlock(BlockModel):
    """A passage of Markdown."""

    title: TranslatableText | None = None
    body: TranslatableMarkdown = Field(min_length=1)
    callout: Literal["note", "important", "support", "content-note"] | None = None


class Text(ContentType[TextBlock]):
    """Prose and callouts; not tracked."""

    name = "text"
    model = TextBlock
    template = "text.html.j2"
    handout_template = "text.handout.html.j2"
    styles = ("text.css",)
