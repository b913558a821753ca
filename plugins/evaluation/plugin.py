"""An evaluation form: Likert statements, ratings, a "would you recommend" question and free
text, submitted once with one button. Anonymous by default.

Where the answers go is decided by the build and said on the form, in every package alike:

- ``anonymous: true`` (default) and course.yaml names an ``evaluation.collector``: the answers go,
  as one batch under a random actor, to that collector (the course owner's own xAPI endpoint),
  never to the LMS (``runtime/core/collector.js``; ``api.submitAnonymous``). The form names the
  owner (``evaluation.owner``, else ``organisation``) and what is sent.
- ``anonymous: true`` and ``evaluation.external_url``: the form links to that survey instead of
  showing its questions (for trusts that run their own survey tool).
- ``anonymous: true`` and neither: the answers could reach nobody, so the form says that feedback
  is not collected and shows no questions; requiring such a form for completion is an error.
- ``anonymous: false``: the answers are recorded in the learner's own LMS record.

The learner's own record gets a single interaction, ``<block id>-submitted``, saying only that
the form was sent (or, with an external survey, that it was opened). The saved state (which is
tied to the learner) holds only whether that happened, never the answers.
"""

from __future__ import annotations

import string
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from course_builder.config import CourseConfig
from course_builder.i18n.words import N_
from course_builder.i18n.words import gettext as _
from course_builder.plugin import (
    ID_PATTERN,
    Block,
    BlockContext,
    BlockModel,
    ContentType,
    Interaction,
    TranslatableMarkdown,
    TranslatableText,
)

LETTERS = string.ascii_lowercase  # SCORM 1.2 likert/choice responses are single characters
DEFAULT_SCALE = (N_("Strongly disagree"), N_("Disagree"), N_("Neutral"), N_("Agree"),
                 N_("Strongly agree"))
MIN_SCALE, MAX_SCALE = 2, 10
MIN_RATING, MAX_RATING = 2, 10
TEXT_MAX_LENGTH = 1000
RECOMMEND_PROMPT = N_("Would you recommend this training to a colleague?")
RECOMMEND_CHOICES = (("a", N_("Yes")), ("b", N_("No")), ("c", N_("Not sure")))
SUBMITTED = "submitted"  # suffix of the one non-anonymous interaction; reserved as an item id
DESCRIPTION_LIMIT = 250
SURVEY_OPENED = "survey-opened"  # the submitted interaction's response with an external survey
Delivery = Literal["collector", "external", "none", "lms"]
COLLECTOR_DOCS = "docs/evaluation-collector.md"


class Item(BaseModel):
    """One question of the form. Every item is optional for the learner."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["likert", "rating", "text", "recommend"]
    prompt: TranslatableText | None = Field(default=None, min_length=1)
    scale: tuple[TranslatableText, ...] | None = None
    max: int | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """The Likert scale (the default five points, in the page's language, when the author
        gave none)."""
        return self.scale or tuple(_(label) for label in DEFAULT_SCALE)

    @property
    def top(self) -> int:
        """The highest rating (default 5)."""
        return self.max or 5

    @property
    def question(self) -> str:
        """The prompt shown, with the fixed wording for ``recommend`` when none is given."""
        if self.prompt:
            return self.prompt
        return _(RECOMMEND_PROMPT) if self.kind == "recommend" else ""


class EvaluationBlock(BlockModel):
    """An evaluation form, sent once with a single Submit button."""

    anonymous: bool = True
    required: bool = False
    intro: TranslatableMarkdown | None = None
    items: tuple[Item, ...] = Field(min_length=1)


def delivery(form: EvaluationBlock, config: CourseConfig) -> Delivery:
    """Where this form's answers go (see the module docstring)."""
    if not form.anonymous:
        return "lms"
    if config.evaluation.collector is not None:
        return "collector"
    if config.evaluation.external_url is not None:
        return "external"
    return "none"


def thanks_text(where: Delivery, owner: str) -> str:
    """What the learner reads (and hears) once they have sent the form."""
    if where == "collector":
        return _("Thank you. Your answers are on their way to %(owner)s, without your "
                 "name.") % {"owner": owner}
    if where == "external":
        return _("Thank you. The survey has opened in a new window: your answers there go to "
                 "%(owner)s.") % {"owner": owner}
    return _("Thank you. Your feedback has been submitted.")


class Evaluation(ContentType[EvaluationBlock]):
    """Course evaluation. Interactions ``<block id>-<item id>`` (anonymous unless
    ``anonymous: false``) and ``<block id>-submitted``. State: ``1`` once submitted."""
    #: what its script shows (api.t); translations in the tool's catalog
    messages = {
        "already_submitted": "You have already submitted this form. Thank you for your feedback.",
        "not_recorded": "This visit is not recorded, so this form cannot be sent now.",
    }

    name = "evaluation"
    model = EvaluationBlock
    template = "evaluation.html.j2"
    handout_template = "evaluation.handout.html.j2"
    scripts = ("evaluation.js",)
    styles = ("evaluation.css",)
    requires_id = True
    completable = True  # it calls api.complete() when submitted

    # -- validation ---------------------------------------------------------------------------
    def check(self, block: Block[EvaluationBlock], ctx: BlockContext[EvaluationBlock]) -> None:
        form = block.data
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
        if ctx.course.config_invalid("completion", "evaluation", "organisation"):
            return  # what these checks compare with has its own errors in course.yaml
        config = ctx.course.config
        required_by_course = block.key in config.completion.require
        self._check_delivery(form, block, ctx, required_by_course)
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

    @staticmethod
    def _check_delivery(form: EvaluationBlock, block: Block[EvaluationBlock],
                        ctx: BlockContext[EvaluationBlock],
                        required_by_course: bool) -> None:
        config = ctx.course.config
        where = delivery(form, config)
        if where == "none":
            fix = (f"name the course owner's evaluation collector in course.yaml "
                   f"(evaluation.collector, see {COLLECTOR_DOCS}) or an external survey "
                   "(evaluation.external_url)")
            if required_by_course:
                ctx.error("course.yaml's completion.require lists this anonymous form, but its "
                          "answers would reach nobody: course.yaml names no evaluation "
                          "collector or external survey", "anonymous",
                          hint=fix + f", or remove '{block.key}' from completion.require")
            else:
                ctx.warning("the answers of this anonymous form would reach nobody, so the form "
                            "says that feedback is not collected and shows no questions",
                            "anonymous", hint=fix)
        elif where in ("collector", "external") and not config.evaluation_owner:
            ctx.error("the form must tell learners who receives their answers, but course.yaml "
                      "names nobody", "anonymous",
                      hint="set evaluation.owner (or organisation) in course.yaml")

    # -- tracking -----------------------------------------------------------------------------
    def interactions(self, block: Block[EvaluationBlock]) -> list[Interaction]:
        form = block.data
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
                                          anonymous=form.anonymous, bounds=(1, item.top)))
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

    def max_state_chars(self, block: Block[EvaluationBlock]) -> int:
        # "1" once submitted. Answers are never saved: suspend_data belongs to the learner.
        return 1

    def decode_state(self, block: Block[EvaluationBlock], state: str) -> Any:
        return {"submitted": state == "1"}

    # -- rendering ----------------------------------------------------------------------------
    def client_data(self, block: Block[EvaluationBlock],
                    ctx: BlockContext[EvaluationBlock]) -> dict[str, Any]:
        form = block.data
        items = []
        for item in form.items:
            entry: dict[str, Any] = {"id": item.id, "interaction": f"{block.key}-{item.id}",
                                     "kind": item.kind}
            if item.kind == "likert":
                entry["choices"] = list(LETTERS[: len(item.labels)])
            items.append(entry)
        where = delivery(form, ctx.course.config)
        return {"anonymous": form.anonymous, "required": form.required, "items": items,
                "submitted": f"{block.key}-{SUBMITTED}", "delivery": where,
                "surveyOpened": SURVEY_OPENED,
                "thanks": thanks_text(where, ctx.course.config.evaluation_owner or "")}

    def template_variables(self, block: Block[EvaluationBlock],
                           ctx: BlockContext[EvaluationBlock]) -> dict[str, Any]:
        config = ctx.course.config
        return {"letters": LETTERS,
                "recommend_choices": [(value, _(label)) for value, label in RECOMMEND_CHOICES],
                "text_max_length": TEXT_MAX_LENGTH,
                "delivery": delivery(block.data, config),
                "owner": config.evaluation_owner or "",
                "external_url": config.evaluation.external_url,
                "privacy_url": config.evaluation.privacy_url}
