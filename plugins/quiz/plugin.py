"""Knowledge checks: single choice, multiple choice, true/false, matching, ordering and numeric
questions with feedback, a pass mark, attempts, question banks and a review of answers.

Each answered question is recorded as an interaction whose id is the question's ``id`` (question
ids are unique in the whole course, see docs/authoring-format.md; the build checks it).

Random choices (which questions are drawn from a bank, option order) come from a small seeded
generator (mulberry32) that runs the same way in ``static/quiz.js`` and here, so a resumed attempt
shows the same questions in the same order, and ``decode-state`` can name the drawn questions.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Callable
from typing import Any, Literal

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from course_builder.i18n.text import SourceText
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
from course_builder.state import base36_len

LETTERS = string.ascii_lowercase  # option ids: SCORM 1.2 choice responses are single characters
TARGETS = "123456789"  # matching target ids: single characters, distinct from the source letters
MAX_OPTIONS = len(LETTERS)
MAX_TARGETS = len(TARGETS)
MAX_ATTEMPT_DIGITS = 2  # attempts are saved in base 36 and capped at 1,295
MAX_SEED = 36 ** 4  # seeds are saved as at most 4 base-36 digits
MAX_NUMBER_CHARS = 12  # the numeric answer box accepts at most this many characters
NUMERIC_KINDS = ("numeric",)


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Part):
    """One option of a single or multiple choice question."""

    text: TranslatableMarkdown = Field(min_length=1)
    correct: bool = False
    feedback: TranslatableMarkdown | None = None


class Pair(_Part):
    """One row of a matching question: a prompt and the answer it matches."""

    prompt: TranslatableMarkdown = Field(min_length=1)
    match: TranslatableMarkdown = Field(min_length=1)


class Feedback(_Part):
    correct: TranslatableMarkdown | None = None
    incorrect: TranslatableMarkdown | None = None


class Question(_Part):
    """One question; which fields apply depends on ``kind``."""

    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["single", "multiple", "true_false", "matching", "ordering", "numeric"]
    prompt: TranslatableMarkdown = Field(min_length=1)
    outcome: str | None = Field(default=None, pattern=ID_PATTERN)
    options: tuple[Option, ...] = ()
    answer: bool | None = None
    pairs: tuple[Pair, ...] = ()
    items: tuple[TranslatableMarkdown, ...] = ()
    value: float | None = None
    tolerance: float | None = None
    feedback: Feedback = Feedback()


class QuizBlock(BlockModel):
    """A quiz: questions answered one at a time, each with its own Submit button."""

    title: TranslatableText | None = None
    intro: TranslatableMarkdown | None = None
    scored: bool = True
    pass_mark: int | None = Field(default=None, ge=0, le=100)
    attempts: int = Field(default=0, ge=0, le=99)
    draw: int | None = Field(default=None, ge=1)
    draw_per_outcome: int | None = Field(default=None, ge=1)
    shuffle: bool = False
    questions: tuple[Question, ...] = Field(min_length=1)


# -- helpers shared with static/quiz.js ----------------------------------------------------------
def mulberry32(seed: int) -> Callable[[], float]:
    """The same generator as ``mulberry32`` in quiz.js: floats in [0, 1) from a 32-bit seed."""
    a = seed & 0xFFFFFFFF

    def imul(x: int, y: int) -> int:
        return (x * y) & 0xFFFFFFFF

    def next_float() -> float:
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = imul(a ^ (a >> 15), 1 | a)
        t = ((t + imul(t ^ (t >> 7), 61 | t)) & 0xFFFFFFFF) ^ t
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return next_float


def shuffled(values: list[int], rand: Callable[[], float]) -> list[int]:
    """Fisher-Yates, exactly as ``shuffle`` in quiz.js."""
    out = list(values)
    for i in range(len(out) - 1, 0, -1):
        j = int(rand() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def paper_order(question_id: str, count: int) -> list[int]:
    """A fixed, scrambled order of an ordering question's items for the printed handout (on
    screen quiz.js shuffles them). The same every build, and never the right order itself."""
    seed = int(hashlib.sha256(question_id.encode()).hexdigest()[:8], 16)
    order = shuffled(list(range(count)), mulberry32(seed))
    if count > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


def outcomes_of(quiz: QuizBlock) -> list[str]:
    """Outcome ids in order of first appearance."""
    seen: list[str] = []
    for q in quiz.questions:
        if q.outcome and q.outcome not in seen:
            seen.append(q.outcome)
    return seen


def drawn_indices(quiz: QuizBlock, seed: int) -> list[int]:
    """Which questions (bank positions, ascending) an attempt with this seed shows.

    Mirrors ``draw`` in quiz.js; it is the first use of the attempt's generator.
    """
    rand = mulberry32(seed)
    every = list(range(len(quiz.questions)))
    if quiz.draw_per_outcome:
        chosen: list[int] = []
        for outcome in outcomes_of(quiz):
            group = [i for i in every if quiz.questions[i].outcome == outcome]
            chosen += shuffled(group, rand)[:quiz.draw_per_outcome]
        return sorted(chosen)
    if quiz.draw:
        return sorted(shuffled(every, rand)[:quiz.draw])
    return every


def per_attempt(quiz: QuizBlock) -> int:
    """How many questions one attempt shows (and so the block's maximum score)."""
    if quiz.draw_per_outcome:
        return sum(min(quiz.draw_per_outcome, sum(q.outcome == o for q in quiz.questions))
                   for o in outcomes_of(quiz))
    if quiz.draw:
        return min(quiz.draw, len(quiz.questions))
    return len(quiz.questions)


def match_targets(q: Question) -> list[str]:
    """A matching question's distinct answers, in the order first written (ids 1, 2, 3...)."""
    targets: list[str] = []
    for pair in q.pairs:
        if pair.match not in targets:
            targets.append(pair.match)
    return targets


def format_number(x: float) -> str:
    """``42.0`` -> ``42``; rounding noise such as 0.30000000000000004 -> ``0.3``."""
    return f"{x:.12g}"


def answer_chars(q: Question) -> int:
    """The most characters one saved answer to this question can take."""
    if q.kind == "multiple":
        return base36_len(2 ** len(q.options) - 1)
    if q.kind == "matching":
        return len(q.pairs)
    if q.kind == "ordering":
        return len(q.items)
    if q.kind == "numeric":
        return MAX_NUMBER_CHARS
    return 1  # single (an index under 36) and true_false (t or f)


def _plain(ctx: BlockContext[QuizBlock], text: str, field: str) -> str:
    """Author Markdown as plain text, for aria-labels and the JS review (set as textContent)."""
    return " ".join(Markup(str(ctx.md_inline(text, field))).striptags().split())


def _text(ctx: BlockContext[QuizBlock], text: str, field: str) -> dict[str, str]:
    """Author text for the script: ``{"text": plain text}``, and its ``lang`` when it is source
    text standing in for a missing translation (the script sets it on the element it writes
    the text into, so a screen reader reads it in its own language: WCAG 2.2, 3.1.2)."""
    found = {"text": _plain(ctx, text, field)}
    if isinstance(text, SourceText):
        found["lang"] = text.lang
    return found


class Quiz(ContentType[QuizBlock]):
    """Scored questions.

    Saved state: ``<attempt>.<best %>.<seed>.<answer>-<answer>-...``: attempt, best percent (or
    ``_`` before any attempt finished) and seed in base 36; then one answer per question drawn for
    the attempt, in bank order, empty while unanswered (see ``decode_state`` and README.md).
    """

    #: what its script shows (api.t); translations in the tool's catalog
    messages = {
        "not_answered": "Not answered",
        "true": "True",
        "false": "False",
        "label_text": "{label}: {text}",
        "label": "{label}:",
        "question_of": "Question {n} of {total}",
        "correct": "Correct.",
        "not_quite": "Not quite.",
        "the_correct_answer": "The correct answer",
        "review_question": "Question {n}: {text}",
        "your_answer": "Your answer",
        "review_correct": "Correct",
        "review_incorrect": "Incorrect",
        "correct_answer": "Correct answer",
        "score": "You answered {right} of {total} correctly ({percent}%).",
        "passed": "You passed: the pass mark is {mark}%.",
        "not_passed": "You did not reach the pass mark of {mark}% this time.",
        "attempts_left": "Attempts left: {left}.",
        "no_attempts_left": "You have used all your attempts.",
        "review_follows": "A review of your answers follows.",
        "choose_matches": "Choose a match for every item, then select Submit.",
        "type_number": "Type a number, then select Submit.",
        "choose_answer": "Choose an answer, then select Submit.",
        "number_format": ("Type a number using digits, with a "
                          "point for decimals, for example 42 or 3.5."),
        "already_first": "'{name}' is already first.",
        "already_last": "'{name}' is already last.",
        "moved": "'{name}' moved to position {n} of {total}.",
        "new_attempt": "Attempt {attempt}. Your previous answers have been cleared.",
        "new_attempt_drawn": ("Attempt {attempt}. Your previous answers have "
                              "been cleared and new questions chosen."),
    }

    name = "quiz"
    model = QuizBlock
    template = "quiz.html.j2"
    handout_template = "quiz.handout.html.j2"
    scripts = ("quiz.js",)
    styles = ("quiz.css",)
    requires_id = True
    completable = True
    can_score = True  # a scored quiz counts towards the pass mark

    def check(self, block: Block[QuizBlock], ctx: BlockContext[QuizBlock]) -> None:
        quiz = block.data
        ctx.check_unique_ids(quiz.questions, "questions", "question", "quiz")
        for q_index, q in enumerate(quiz.questions):
            where = f"questions[{q_index}]"
            self._check_fields(q, where, ctx)
            if q.kind == "true_false":
                if q.answer is None:
                    ctx.error("a true_false question needs `answer: true` or `answer: false`",
                              where)
                if q.options:
                    ctx.error("a true_false question has no options; use `answer`",
                              f"{where}.options")
            elif q.kind in ("single", "multiple"):
                self._check_choice(q, where, ctx)
            elif q.kind == "matching":
                self._check_matching(q, where, ctx)
            elif q.kind == "ordering":
                self._check_ordering(q, where, ctx)
            else:
                self._check_numeric(q, where, ctx)
        self._check_draw(quiz, ctx)

    def _check_fields(self, q: Question, where: str, ctx: BlockContext[QuizBlock]) -> None:
        """Fields written for another kind of question are mistakes worth pointing at."""
        if q.answer is not None and q.kind != "true_false":
            if q.kind in ("single", "multiple"):
                ctx.error(f"`answer` is only for true_false questions; a {q.kind} question marks "
                          "its right options with `correct: true`", f"{where}.answer")
            else:
                ctx.error("`answer` is only for true_false questions", f"{where}.answer")
        uses = {"matching": "pairs", "ordering": "items", "numeric": "value"}
        if q.options and q.kind in uses:
            ctx.error(f"a {q.kind} question has no options; use `{uses[q.kind]}`",
                      f"{where}.options")
        if q.pairs and q.kind != "matching":
            ctx.error("`pairs` is only for matching questions", f"{where}.pairs")
        if q.items and q.kind != "ordering":
            ctx.error("`items` is only for ordering questions", f"{where}.items")
        for name in ("value", "tolerance"):
            if getattr(q, name) is not None and q.kind != "numeric":
                ctx.error(f"`{name}` is only for numeric questions", f"{where}.{name}")

    def _check_choice(self, q: Question, where: str, ctx: BlockContext[QuizBlock]) -> None:
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

    def _check_matching(self, q: Question, where: str, ctx: BlockContext[QuizBlock]) -> None:
        if len(q.pairs) < 2:
            ctx.error(f"a matching question needs at least 2 pairs (found {len(q.pairs)})",
                      f"{where}.pairs", hint="write `pairs: [{prompt: ..., match: ...}, ...]`")
            return
        if len(q.pairs) > MAX_OPTIONS:
            ctx.error(f"a matching question can have at most {MAX_OPTIONS} pairs "
                      f"(found {len(q.pairs)})", f"{where}.pairs")
        targets = match_targets(q)
        if len(targets) < 2:
            ctx.error("a matching question needs at least 2 different `match` answers",
                      f"{where}.pairs")
        if len(targets) > MAX_TARGETS:
            ctx.error(f"a matching question can have at most {MAX_TARGETS} different `match` "
                      f"answers (found {len(targets)})", f"{where}.pairs",
                      hint="split it into two questions")
        prompts: set[str] = set()
        for i, pair in enumerate(q.pairs):
            if pair.prompt in prompts:
                ctx.error("repeats an earlier prompt", f"{where}.pairs[{i}].prompt")
            prompts.add(pair.prompt)

    def _check_ordering(self, q: Question, where: str, ctx: BlockContext[QuizBlock]) -> None:
        if len(q.items) < 2:
            ctx.error(f"an ordering question needs at least 2 items (found {len(q.items)})",
                      f"{where}.items", hint="list the items in the correct order")
            return
        if len(q.items) > MAX_OPTIONS:
            ctx.error(f"an ordering question can have at most {MAX_OPTIONS} items "
                      f"(found {len(q.items)})", f"{where}.items")
        for i, item in enumerate(q.items):
            if not item.strip():
                ctx.error("is empty", f"{where}.items[{i}]")
            elif item in q.items[:i]:
                ctx.error("repeats an earlier item, so the correct order is ambiguous",
                          f"{where}.items[{i}]")

    def _check_numeric(self, q: Question, where: str, ctx: BlockContext[QuizBlock]) -> None:
        if q.value is None:
            ctx.error("a numeric question needs `value` (the correct number)", where,
                      hint="add e.g. `value: 42` and, if answers close to it count, "
                           "`tolerance: 2`")
            return
        if q.tolerance is not None and q.tolerance < 0:
            ctx.error(f"`tolerance` must be 0 or more (found {format_number(q.tolerance)})",
                      f"{where}.tolerance")
        if len(format_number(q.value)) > MAX_NUMBER_CHARS:
            ctx.error(f"`value` must be writable in {MAX_NUMBER_CHARS} characters, the size of "
                      "the answer box", f"{where}.value")

    def _check_draw(self, quiz: QuizBlock, ctx: BlockContext[QuizBlock]) -> None:
        total = len(quiz.questions)
        if quiz.draw is not None and quiz.draw_per_outcome is not None:
            ctx.error("use either `draw` or `draw_per_outcome`, not both", "draw_per_outcome")
            return
        if quiz.draw is not None and quiz.draw > total:
            ctx.error(f"`draw` is {quiz.draw} but the quiz has only {total} "
                      f"question{'s' if total != 1 else ''}", "draw",
                      hint="add questions to the bank or draw fewer")
        if quiz.draw_per_outcome is not None:
            for q_index, q in enumerate(quiz.questions):
                if q.outcome is None:
                    ctx.error(f"question '{q.id}' has no `outcome`; with `draw_per_outcome` "
                              "every question needs one", f"questions[{q_index}]",
                              hint="add e.g. `outcome: recognise-distress`")
            for outcome in outcomes_of(quiz):
                count = sum(q.outcome == outcome for q in quiz.questions)
                if count < quiz.draw_per_outcome:
                    ctx.error(f"outcome '{outcome}' has {count} question"
                              f"{'s' if count != 1 else ''} but `draw_per_outcome` is "
                              f"{quiz.draw_per_outcome}", "draw_per_outcome",
                              hint="add questions for that outcome or draw fewer per outcome")

    # -- tracking -----------------------------------------------------------------------------
    def interactions(self, block: Block[QuizBlock]) -> list[Interaction]:
        quiz = block.data
        result = []
        for q in quiz.questions:
            description = " ".join(q.prompt.split())[:250]
            scored = quiz.scored
            if q.kind == "true_false":
                result.append(Interaction(q.id, "true-false", description,
                                          correct=("true" if q.answer else "false",),
                                          scored=scored))
            elif q.kind == "matching":
                targets = match_targets(q)
                sources = tuple((LETTERS[i], p.prompt) for i, p in enumerate(q.pairs))
                target_ids = tuple((TARGETS[i], t) for i, t in enumerate(targets))
                correct = ",".join(f"{LETTERS[i]}.{TARGETS[targets.index(p.match)]}"
                                   for i, p in enumerate(q.pairs))
                result.append(Interaction(q.id, "matching", description, choices=sources,
                                          targets=target_ids, correct=(correct,),
                                          scored=scored))
            elif q.kind == "ordering":
                choices = tuple((LETTERS[i], text) for i, text in enumerate(q.items))
                result.append(Interaction(q.id, "sequencing", description, choices=choices,
                                          correct=(",".join(c for c, _ in choices),),
                                          scored=scored))
            elif q.kind == "numeric":
                value = q.value or 0.0
                if q.tolerance:
                    correct = (f"{format_number(value - q.tolerance)}:"
                               f"{format_number(value + q.tolerance)}")
                else:
                    correct = format_number(value)
                result.append(Interaction(q.id, "numeric", description, correct=(correct,),
                                          scored=scored))
            else:
                choices = tuple((LETTERS[i], o.text) for i, o in enumerate(q.options))
                correct = ",".join(LETTERS[i] for i, o in enumerate(q.options) if o.correct)
                result.append(Interaction(q.id, "choice", description, choices=choices,
                                          correct=(correct,), scored=scored))
        return result

    def max_score(self, block: Block[QuizBlock]) -> int:
        quiz = block.data
        return per_attempt(quiz) if quiz.scored else 0

    def max_state_chars(self, block: Block[QuizBlock]) -> int:
        """Attempt, best percent and seed with their separators, then the longest answers any
        draw can give (the longest per outcome, or the longest ``draw`` of the bank)."""
        quiz = block.data
        sizes = [answer_chars(q) for q in quiz.questions]
        if quiz.draw_per_outcome:
            answers = 0
            for outcome in outcomes_of(quiz):
                group = sorted((s for s, q in zip(sizes, quiz.questions, strict=True)
                                if q.outcome == outcome), reverse=True)
                answers += sum(group[:quiz.draw_per_outcome])
        elif quiz.draw:
            answers = sum(sorted(sizes, reverse=True)[:quiz.draw])
        else:
            answers = sum(sizes)
        separators = max(per_attempt(quiz) - 1, 0)
        header = MAX_ATTEMPT_DIGITS + 1 + base36_len(100) + 1 + base36_len(MAX_SEED - 1) + 1
        return header + answers + separators

    def decode_state(self, block: Block[QuizBlock], state: str) -> Any:
        """``{"attempt", "best_score_percent", "seed", "questions", "answers"}``.

        Answers are keyed by question id: a list of option letters (single, multiple), true or
        false, ``["a.2", "b.1"]`` pairs (matching: prompt letter . answer number), the letters in
        the learner's order (ordering), the number as typed (numeric), or null if unanswered.
        The older three-field format (no seed, every question) is read too.
        """
        quiz = block.data
        parts = state.split(".")
        if len(parts) == 3:  # before question banks: attempt.best.answers
            attempt, best, answers = parts
            seed = 0
        else:
            attempt, best, seed_text, answers = (parts + ["", "", "", ""])[:4]
            seed = int(seed_text, 36) if seed_text else 0
        drawn = drawn_indices(quiz, seed)
        tokens = answers.split("-") if answers else []
        decoded: dict[str, Any] = {}
        for index, token in zip(drawn, tokens, strict=False):  # a short state: rest unanswered
            q = quiz.questions[index]
            decoded[q.id] = _decode_answer(q, token)
        return {
            "attempt": int(attempt, 36) if attempt else 1,
            "best_score_percent": int(best, 36) if best and best != "_" else None,
            "seed": seed,
            "questions": [quiz.questions[i].id for i in drawn],
            "answers": decoded,
        }

    # -- rendering ----------------------------------------------------------------------------
    def client_data(self, block: Block[QuizBlock], ctx: BlockContext[QuizBlock]) -> dict[str, Any]:
        quiz = block.data
        questions = []
        for q_index, q in enumerate(quiz.questions):
            where = f"questions[{q_index}]"
            item: dict[str, Any] = {
                "id": q.id,
                "kind": q.kind,
                "outcome": q.outcome,
                **_text(ctx, q.prompt, f"{where}.prompt"),
                "feedback": {"correct": str(ctx.md(q.feedback.correct, f"{where}.feedback")),
                             "incorrect": str(ctx.md(q.feedback.incorrect, f"{where}.feedback"))},
            }
            if q.kind == "true_false":
                item["answer"] = q.answer
            elif q.kind in ("single", "multiple"):
                item["options"] = [
                    {"id": LETTERS[i], "correct": o.correct,
                     **_text(ctx, o.text, f"{where}.options[{i}].text"),
                     "feedback": str(ctx.md(o.feedback, f"{where}.options[{i}]"))}
                    for i, o in enumerate(q.options)]
            elif q.kind == "matching":
                targets = match_targets(q)
                item["pairs"] = [
                    {"id": LETTERS[i], **_text(ctx, p.prompt, f"{where}.pairs[{i}].prompt"),
                     "match": TARGETS[targets.index(p.match)]}
                    for i, p in enumerate(q.pairs)]
                item["targets"] = [
                    {"id": TARGETS[i], **_text(ctx, t, f"{where}.pairs")}
                    for i, t in enumerate(targets)]
            elif q.kind == "ordering":
                item["items"] = [{"id": LETTERS[i], **_text(ctx, t, f"{where}.items[{i}]")}
                                 for i, t in enumerate(q.items)]
            else:
                item["value"] = q.value
                item["tolerance"] = q.tolerance or 0
                value = q.value or 0.0
                item["correctText"] = format_number(value) + (
                    " " + _("(answers from %(low)s to %(high)s count)") % {
                        "low": format_number(value - q.tolerance),
                        "high": format_number(value + q.tolerance)} if q.tolerance else "")
            questions.append(item)
        return {"attempts": quiz.attempts, "passMark": quiz.pass_mark, "scored": quiz.scored,
                "draw": quiz.draw, "drawPerOutcome": quiz.draw_per_outcome,
                "shuffle": quiz.shuffle, "perAttempt": per_attempt(quiz),
                "maxSeed": MAX_SEED, "maxNumberChars": MAX_NUMBER_CHARS,
                "questions": questions}

    def template_variables(self, block: Block[QuizBlock],
                           ctx: BlockContext[QuizBlock]) -> dict[str, Any]:
        quiz = block.data
        return {"letters": LETTERS, "targets": TARGETS, "match_targets": match_targets,
                "per_attempt": per_attempt(quiz),
                "plain": lambda text, field: _plain(ctx, text, field),
                "max_number_chars": MAX_NUMBER_CHARS, "format_number": format_number,
                "paper_order": paper_order}


def _decode_answer(q: Question, token: str) -> Any:
    if not token:
        return None
    if q.kind == "true_false":
        return token == "t"
    if q.kind == "single":
        return [LETTERS[int(token, 36)]]
    if q.kind == "multiple":
        mask = int(token, 36)
        return [LETTERS[i] for i in range(len(q.options)) if mask >> i & 1]
    if q.kind == "matching":
        return [f"{LETTERS[i]}.{char}" for i, char in enumerate(token)]
    if q.kind == "ordering":
        return list(token)
    return token.replace("n", "-").replace("p", ".")  # numeric: n is a minus sign, p a point
