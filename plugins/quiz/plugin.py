"""Knowledge checks: single choice, multiple choice and true/false questions with feedback,
a pass mark and retries. Each answered question is recorded as an interaction."""

from __future__ import annotations

import string
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from course_builder.model import Block, Interaction
from course_builder.pipeline.context import BlockContext
from course_builder.plugin import ID_PATTERN, BlockModel, ContentType
from course_builder.state import base36_len

LETTERS = string.ascii_lowercase  # option ids: SCORM 1.2 choice responses are single characters
MAX_OPTIONS = len(LETTERS)
MAX_ATTEMPT_DIGITS = 2  # attempts are saved in base 36 and capped at 1,295


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Part):
    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str | None = None


class Feedback(_Part):
    correct: str | None = None
    incorrect: str | None = None


class Question(_Part):
    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["single", "multiple", "true_false"]
    prompt: str = Field(min_length=1)
    options: tuple[Option, ...] = ()
    answer: bool | None = None
    feedback: Feedback = Feedback()


class QuizBlock(BlockModel):
    """A quiz: questions answered one at a time, each with its own Submit button."""

    title: str | None = None
    intro: str | None = None
    scored: bool = True
    pass_mark: int | None = Field(default=None, ge=0, le=100)
    attempts: int = Field(default=0, ge=0, le=99)
    questions: tuple[Question, ...] = Field(min_length=1)


class Quiz(ContentType[QuizBlock]):
    """Scored questions. State: ``<attempt>.<best %>.<answer>-<answer>-...`` (see decode_state)."""

    name = "quiz"
    model = QuizBlock
    template = "quiz.html.j2"
    scripts = ("quiz.js",)
    styles = ("quiz.css",)
    requires_id = True
    completable = True

    def check(self, block: Block, ctx: BlockContext) -> None:
        quiz: QuizBlock = block.data  # type: ignore[assignment]
        seen: set[str] = set()
        for q_index, q in enumerate(quiz.questions):
            where = f"questions[{q_index}]"
            if q.id in seen:
                ctx.error(f"question id '{q.id}' is used twice in this quiz", f"{where}.id")
            seen.add(q.id)
            if q.kind == "true_false":
                if q.answer is None:
                    ctx.error("a true_false question needs `answer: true` or `answer: false`",
                              where)
                if q.options:
                    ctx.error("a true_false question has no options; use `answer`",
                              f"{where}.options")
                continue
            if q.answer is not None:
                ctx.error(f"`answer` is only for true_false questions; a {q.kind} question marks "
                          "its right options with `correct: true`", f"{where}.answer")
            if not 2 <= len(q.options) <= MAX_OPTIONS:
                ctx.error(f"needs between 2 and {MAX_OPTIONS} options", f"{where}.options")
            right = sum(o.correct for o in q.options)
            if q.kind == "single" and right != 1:
                ctx.error(f"a single-choice question needs exactly one option with "
                          f"`correct: true` (found {right})", f"{where}.options",
                          hint="use `kind: multiple` if more than one answer is right")
            if q.kind == "multiple" and right < 1:
                ctx.error("a multiple-choice question needs at least one correct option",
                          f"{where}.options")

    # -- tracking -----------------------------------------------------------------------------
    def interactions(self, block: Block) -> list[Interaction]:
        quiz: QuizBlock = block.data  # type: ignore[assignment]
        result = []
        for q in quiz.questions:
            description = " ".join(q.prompt.split())[:250]
            if q.kind == "true_false":
                result.append(Interaction(q.id, "true-false", description,
                                          correct=("true" if q.answer else "false",),
                                          scored=quiz.scored))
            else:
                choices = tuple((LETTERS[i], o.text) for i, o in enumerate(q.options))
                correct = ",".join(LETTERS[i] for i, o in enumerate(q.options) if o.correct)
                result.append(Interaction(q.id, "choice", description, choices=choices,
                                          correct=(correct,), scored=quiz.scored))
        return result

    def max_score(self, block: Block) -> int:
        quiz: QuizBlock = block.data  # type: ignore[assignment]
        return len(quiz.questions) if quiz.scored else 0

    def max_state_chars(self, block: Block) -> int:
        quiz: QuizBlock = block.data  # type: ignore[assignment]
        answers = 0
        for q in quiz.questions:
            if q.kind == "multiple":
                answers += base36_len(2 ** len(q.options) - 1)
            else:
                answers += 1
        separators = len(quiz.questions) - 1
        return MAX_ATTEMPT_DIGITS + 1 + 2 + 1 + answers + separators

    def decode_state(self, block: Block, state: str) -> Any:
        quiz: QuizBlock = block.data  # type: ignore[assignment]
        attempt, best, answers = (state.split(".", 2) + ["", "", ""])[:3]
        tokens = answers.split("-") if answers else []
        decoded: dict[str, Any] = {}
        for q, token in zip(quiz.questions, tokens):
            if not token:
                decoded[q.id] = None
            elif q.kind == "true_false":
                decoded[q.id] = token == "t"
            elif q.kind == "single":
                decoded[q.id] = [LETTERS[int(token, 36)]]
            else:
                mask = int(token, 36)
                decoded[q.id] = [LETTERS[i] for i in range(len(q.options)) if mask >> i & 1]
        return {
            "attempt": int(attempt, 36) if attempt else 1,
            "best_score_percent": int(best, 36) if best and best != "_" else None,
            "answers": decoded,
        }

    # -- rendering ----------------------------------------------------------------------------
    def client_data(self, block: Block, ctx: BlockContext) -> dict[str, Any]:
        quiz: QuizBlock = block.data  # type: ignore[assignment]
        questions = []
        for q_index, q in enumerate(quiz.questions):
            where = f"questions[{q_index}]"
            questions.append({
                "id": q.id,
                "kind": q.kind,
                "answer": q.answer,
                "options": [{"id": LETTERS[i], "correct": o.correct,
                             "feedback": str(ctx.md(o.feedback, f"{where}.options[{i}]"))}
                            for i, o in enumerate(q.options)],
                "feedback": {"correct": str(ctx.md(q.feedback.correct, f"{where}.feedback")),
                             "incorrect": str(ctx.md(q.feedback.incorrect, f"{where}.feedback"))},
            })
        return {"attempts": quiz.attempts, "passMark": quiz.pass_mark, "scored": quiz.scored,
                "questions": questions}

    def render(self, block: Block, ctx: BlockContext):  # type: ignore[no-untyped-def]
        return ctx.render_template(self, self.template or "", block=block.data, key=block.key,
                                   letters=LETTERS)

