"""The course's support contacts (``support:`` in course.yaml) shown inline on a page, in a calm
callout with an optional introduction. Not tracked; no JavaScript.

The same contacts are always one click away in the page shell's "Support" panel; this block is
for the places where an author wants them in the flow of the page as well, such as before a
personal story or at the end of the course.
"""

from __future__ import annotations

from typing import Any

from course_builder.plugin import Block, BlockContext, BlockModel, ContentType, TranslatableMarkdown


class SupportBlock(BlockModel):
    """Support contacts from course.yaml, with an optional Markdown introduction."""

    intro: TranslatableMarkdown | None = None


class Support(ContentType[SupportBlock]):
    """Inline support contacts; not tracked."""

    name = "support"
    model = SupportBlock
    template = "support.html.j2"
    handout_template = "support.handout.html.j2"
    styles = ("support.css",)

    def check(self, block: Block[SupportBlock], ctx: BlockContext[SupportBlock]) -> None:
        if not ctx.course.config.support and not ctx.course.config_invalid("support"):
            ctx.error("course.yaml lists no support contacts, so this block would be empty",
                      hint="add contacts under `support:` in course.yaml (name, contact, href, "
                      "description), or remove the block")

    def template_variables(self, block: Block[SupportBlock],
                           ctx: BlockContext[SupportBlock]) -> dict[str, Any]:
        return {"contacts": ctx.course.config.support}
