"""An evaluation form: Likert statements, ratings, a "would you recommend" question and free
text, submitted once with one button. Anonymous by default.

Anonymity is enforced here, in the tracking declaration, not only promised on screen: every item
of an anonymous form is an ``Interaction`` with ``anonymous=True``, which the runtime never sends
to a SCORM LMS (``runtime/core/tracker.js`` ``record()`` passes anonymous interactions only to
``adapter.recordAnonymous``, which SCORM adapters do not have). The learner's own record gets a
single interaction, ``<block id>-submitted``, saying only that the form was sent. The saved state
(suspend_data, which is tied to the learner) holds only whether the form was submitted, never the
answers.
"""

from __future__ import annotations

import string
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from course_builder.model import Block, Interaction
from course_builder.pipeline.context import BlockContext
from course_builder.plugin import ID_PATTERN, BlockModel, ContentType

LETTERS = string.ascii_lowercase  # SCORM 1.2 likert/choice responses are single characters
DEFAULT_SCALE = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")
MIN_SCALE, MAX_SCALE = 2, 10
MIN_RATING, MAX_RATING = 2, 10
TEXT_MAX_LENGTH = 1000
RECOMMEND_PROMPT = "Would you recommend this training to a colleague?"
RECOMMEND_CHOICES = (("a", "Yes"), ("b", "No"), ("c", "Not sure"))
SUBMITTED = "submitted"  # suffix of the one non-anonymous interaction; reserved as an item id
ANONYMOUS_NOTICE = ("This form is anonymous: your answers are not linked to your name or your "
                    "learning record.")
DESCRIPTION_LIMIT = 250


class Item(BaseModel):
    """One question of the form. Every item is optional for the learner."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["likert", "rating", "text", "recommend"]
    prompt: str | None = Field(default=None, min_length=1)
    scale: tuple[str, ...] | None = None
    max: int | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """The Likert scale (the default five points when the author gave none)."""
        return self.scale or DEFAULT_SCALE

    @property
    def top(self) -> int:
        """The highest rating (default 5)."""
        return self.max or 5

    @property
    def question(self) -> str:
        """The prompt shown, with the fixed wording for ``recommend`` when none is given."""
        if self.prompt:
            return self.prompt
        return RECOMMEND_PROMPT if self.kind == "recommend" else ""


class EvaluationBlock(BlockModel):
    """An evaluation form, sent once with a single Submit button."""

    anonymous: bool = True
    required: bool = False
    intro: str | None = None
    items: tuple[Item, ...] = Field(min_length=1)


class Evaluation(ContentType[EvaluationBlock]):
    """Course evaluation. Interactions ``<block id>-<item id>`` (anonymous unless
    ``anonymous: false``) and ``<block id>-submitted``. State: ``1`` once submitted."""

    name = "evaluation"
    model = EvaluationBlock
    template = "evaluation.html.j2"
    handout_template = "evaluation.handout.html.j2"
    scripts = ("evaluation.js",)
    styles = ("evaluation.css",)
    requires_id = True
    completable = True  # it calls api.complete() when submitted

    # -- validation ---------------------------------------------------------------------------
    def check(self, block: Block, ctx: BlockContext) -> None:
        form: EvaluationBlock = block.data  # type: ignore[assignment]
        ctx.check_unique_ids(form.items, "items", "item", "form")
        for index, item in enumerate(form.items):
            where = f"items[{index}]"
            if item.id == SUBMITTED:
                ctx.error(f"item id '{SUBMITTED}' is reserved: '{block.key}-{SUBMITTED}' records "
                          "that the form was sent", f"{where}.id",
                          hint="choose another id, e.g. 'submitted-feedback'")
            if item.prompt is None and item.kind != "recommend":
                ctx.error(f"a {item.kind} item needs a `prompt`", where)
            if item.scale is not None:
                if item.kind != "likert":
                    ctx.error(f"`scale` is only for likert items, not {item.kind}",
                              f"{where}.scale")
                elif not MIN_SCALE <= len(item.scale) <= MAX_SCALE:
                    ctx.error(f"needs between {MIN_SCALE} and {MAX_SCALE} labels "
                              f"(found {len(item.scale)})", f"{where}.scale")
                elif any(not label.strip() for label in item.scale):
                    ctx.error("labels may not be empty", f"{where}.scale")
            if item.max is not None:
                if item.kind != "rating":
                    ctx.error(f"`max` is only for rating items, not {item.kind}", f"{where}.max")
                elif not MIN_RATING <= item.max <= MAX_RATING:
                    ctx.error(f"must be between {MIN_RATING} and {MAX_RATING} (found {item.max})",
                              f"{where}.max")
        required_by_course = block.key in ctx.course.config.completion.require
        if form.required and not required_by_course:
            # A warning, not an error: the form would only overstate what is needed to finish.
            ctx.warning("`required: true` but course.yaml's completion.require does not list "
                      f"'{block.key}'", "required",
                      hint=f"add '{block.key}' to completion.require in course.yaml, or set "
                      "`required: false`")
        elif required_by_course and not form.required:
            ctx.warning(f"course.yaml's completion.require lists '{block.key}', so learners must "
                        "submit it, but the form does not say so", "required",
                        hint="set `required: true` so the form tells learners it is required")

    # -- tracking -----------------------------------------------------------------------------
    def interactions(self, block: Block) -> list[Interaction]:
        form: EvaluationBlock = block.data  # type: ignore[assignment]
        result = []
        for item in form.items:
            iid = f"{block.key}-{item.id}"
            description = " ".join(item.question.split())[:DESCRIPTION_LIMIT]
            if item.kind == "likert":
                choices = tuple((LETTERS[i], label) for i, label in enumerate(item.labels))
                result.append(Interaction(iid, "likert", description, choices=choices,
                                          scored=False, anonymous=form.anonymous))
            elif item.kind == "rating":
                result.append(Interaction(iid, "numeric", description, scored=False,
                                          anonymous=form.anonymous))
            elif item.kind == "recommend":
                result.append(Interaction(iid, "choice", description, choices=RECOMMEND_CHOICES,
                                          scored=False, anonymous=form.anonymous))
            else:
                result.append(Interaction(iid, "long-fill-in", description, scored=False,
                                          anonymous=form.anonymous))
        # Never anonymous: the learner's record says that the form was sent, and nothing more.
        result.append(Interaction(f"{block.key}-{SUBMITTED}", "other", "Evaluation submitted",
                                  scored=False, anonymous=False))
        return result

    def max_state_chars(self, block: Block) -> int:
        # "1" once submitted. Answers are never saved: suspend_data belongs to the learner.
        return 1

    def decode_state(self, block: Block, state: str) -> Any:
        return {"submitted": state == "1"}

    # -- rendering ----------------------------------------------------------------------------
    def client_data(self, block: Block, ctx: BlockContext) -> dict[str, Any]:
        form: EvaluationBlock = block.data  # type: ignore[assignment]
        items = []
        for item in form.items:
            entry: dict[str, Any] = {"id": item.id, "interaction": f"{block.key}-{item.id}",
                                     "kind": item.kind}
            if item.kind == "likert":
                entry["choices"] = list(LETTERS[: len(item.labels)])
            items.append(entry)
        return {"anonymous": form.anonymous, "required": form.required, "items": items,
                "submitted": f"{block.key}-{SUBMITTED}"}

    def template_variables(self, block: Block, ctx: BlockContext) -> dict[str, Any]:
        return {"letters": LETTERS, "recommend_choices": RECOMMEND_CHOICES,
                "anonymous_notice": ANONYMOUS_NOTICE, "text_max_length": TEXT_MAX_LENGTH}
