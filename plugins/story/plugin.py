"""A lived-experience story, shown behind its content note.

The learner first sees who is telling the story and the content note, with two buttons: "Read
this story" and "Skip this story". The story stays hidden until they choose to read it; skipping
is always allowed and still finishes the block, so no learner has to read an account they are not
ready for in order to complete the course.

Tracking: reading is recorded once as an interaction of type ``other`` whose id is the block's
``id`` (response ``read``, no correct answer, not scored). Skipping is deliberately *not* sent to
the LMS: it is saved only in the block's opaque state, so a manager's report cannot single out
who chose not to read a story. Saved state (one character): ``r`` read, ``s`` skipped.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from course_builder.plugin import (
    Block,
    BlockContext,
    BlockModel,
    ContentType,
    Interaction,
    TranslatableMarkdown,
    TranslatableText,
)

STATES = {"r": "read", "s": "skipped"}


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Photo(_Part):
    """A picture of the teller (or an illustration). ``alt`` is required."""

    src: str = Field(min_length=1)
    alt: TranslatableText

    @field_validator("alt")
    @classmethod
    def _alt_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must say what the picture shows")
        return value


class Audio(_Part):
    """The teller reading their story. ``transcript`` (Markdown) is required."""

    src: str = Field(min_length=1)
    transcript: TranslatableMarkdown

    @field_validator("transcript")
    @classmethod
    def _transcript_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty: it is the only way some learners get the audio")
        return value


class StoryBlock(BlockModel):
    """One person's account, in their words, behind a content note."""

    teller: TranslatableText
    role: TranslatableText | None = None
    photo: Photo | None = None
    content_note: TranslatableMarkdown
    quote: TranslatableMarkdown | None = None
    body: TranslatableMarkdown
    what_helped: tuple[TranslatableMarkdown, ...] = ()
    what_made_it_worse: tuple[TranslatableMarkdown, ...] = ()
    audio: Audio | None = None

    @field_validator("content_note")
    @classmethod
    def _note_not_blank(cls, value: str) -> str:
        # Safe messaging: learners must be able to decide whether to read before they see it.
        if not value.strip():
            raise ValueError("must not be empty: say what the story touches on, without detail")
        return value

    @field_validator("teller", "body")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value


class Story(ContentType[StoryBlock]):
    """Lived-experience stories. State: ``r`` (read) or ``s`` (skipped); see module docstring."""
    #: what its script shows (api.t); translations in the tool's catalog
    messages = {
        "skipped": "You skipped this story. You can read it whenever you are ready.",
        "skipped_announce": "Story skipped. You can read it later with the Read this story button.",
    }

    name = "story"
    model = StoryBlock
    template = "story.html.j2"
    handout_template = "story.handout.html.j2"
    scripts = ("story.js",)
    styles = ("story.css",)
    requires_id = True
    completable = True

    def check(self, block: Block[StoryBlock], ctx: BlockContext[StoryBlock]) -> None:
        """The photo and audio files must exist inside the course; list items must say something."""
        story = block.data
        if story.photo is not None:
            ctx.source_file(story.photo.src, "photo.src")
        if story.audio is not None:
            ctx.source_file(story.audio.src, "audio.src")
        for name in ("what_helped", "what_made_it_worse"):
            for index, item in enumerate(getattr(story, name)):
                if not item.strip():
                    ctx.error("must not be empty", f"{name}[{index}]")

    # -- tracking -----------------------------------------------------------------------------
    def interactions(self, block: Block[StoryBlock]) -> list[Interaction]:
        """One unscored ``other`` interaction (id = block id), recorded when the story is read."""
        story = block.data
        teller = " ".join(story.teller.split())
        return [Interaction(block.key, "other", f"Story: {teller}"[:250], scored=False)]

    def max_state_chars(self, block: Block[StoryBlock]) -> int:
        return 1  # "r" or "s"

    def decode_state(self, block: Block[StoryBlock], state: str) -> Any:
        return {"story": STATES.get(state, "not opened")}

    # -- rendering ----------------------------------------------------------------------------
    def client_data(self, block: Block[StoryBlock],
                    ctx: BlockContext[StoryBlock]) -> dict[str, Any]:
        story = block.data
        return {"interaction": block.key, "teller": " ".join(story.teller.split())}
