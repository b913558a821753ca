"""Layered detail: a list of headed sections that learners open one at a time.

Rendered as native ``<details>``/``<summary>`` elements, so every item is a keyboard-operable,
screen-reader-announced disclosure (expanded/collapsed) without any JavaScript. Not tracked.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from course_builder.plugin import (
    Block,
    BlockContext,
    BlockModel,
    ContentType,
    TranslatableMarkdown,
    TranslatableText,
)


class AccordionItem(BaseModel):
    """One section: ``title`` is shown on the control that opens it, ``body`` is Markdown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: TranslatableText = Field(min_length=1)
    body: TranslatableMarkdown = Field(min_length=1)


class AccordionBlock(BlockModel):
    """An accordion: at least one item, each closed until the learner opens it."""

    items: tuple[AccordionItem, ...] = Field(min_length=1)


class Accordion(ContentType[AccordionBlock]):
    """Native ``<details>`` disclosures; no JavaScript, no saved state, nothing recorded."""

    name = "accordion"
    model = AccordionBlock
    template = "accordion.html.j2"
    handout_template = "accordion.handout.html.j2"
    styles = ("accordion.css",)

    def check(self, block: Block[AccordionBlock], ctx: BlockContext[AccordionBlock]) -> None:
        """Titles must not be blank, and two items with the same title would be ambiguous
        to screen-reader users moving between the controls."""
        accordion = block.data
        seen: set[str] = set()
        for index, item in enumerate(accordion.items):
            title = " ".join(item.title.split())
            if not title:
                ctx.error("must not be blank", f"items[{index}].title")
                continue
            if not item.body.strip():
                ctx.error("must not be blank", f"items[{index}].body")
            if title.casefold() in seen:
                ctx.warning(f"the title '{title}' is used twice in this accordion",
                            f"items[{index}].title",
                            hint="give each item its own title so the controls can be told apart")
            seen.add(title.casefold())
