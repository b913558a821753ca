"""Myth or fact: statements the learner sorts into myths and facts, each followed by an
explanation. Each statement is recorded as a choice interaction ("m" Myth, "f" Fact)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from course_builder.plugin import (
    ID_PATTERN,
    Block,
    BlockContext,
    BlockModel,
    ContentType,
    Interaction,
    TranslatableMarkdown,
)

#: Response ids: SCORM 1.2 choice responses are single characters [a-z0-9].
CHOICES = (("m", "Myth"), ("f", "Fact"))
UNANSWERED = "_"


class Statement(BaseModel):
    """One statement; ``answer`` says whether it is a myth or a fact."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    statement: TranslatableMarkdown = Field(min_length=1)
    answer: Literal["myth", "fact"]
    explanation: TranslatableMarkdown = Field(min_length=1)


class MythFactBlock(BlockModel):
    """A list of statements, each answered with a Myth or a Fact button."""

    scored: bool = False
    statements: tuple[Statement, ...] = Field(min_length=1)


def interaction_id(block_key: str, statement_id: str) -> str:
    """``<block id>-<statement id>``."""
    return f"{block_key}-{statement_id}"


class MythFact(ContentType[MythFactBlock]):
    """Myth or fact. Not scored unless ``scored: true`` (then one point per statement).

    State: one character per statement, in order: ``m`` (answered Myth), ``f`` (answered Fact)
    or ``_`` (not answered yet); e.g. ``mf_`` for three statements.
    """

    #: what its script shows (api.t); translations in the tool's catalog
    messages = {
        "correct_myth": "Correct: this is a myth.",
        "correct_fact": "Correct: this is a fact.",
        "not_quite_myth": "Not quite: this is a myth.",
        "not_quite_fact": "Not quite: this is a fact.",
        "all_answered": "You have answered all {total} statements: {right} of {total} correctly.",
        "cleared": "Your answers have been cleared. Start again from the first statement.",
    }

    name = "myth_fact"
    model = MythFactBlock
    template = "myth_fact.html.j2"
    handout_template = "myth_fact.handout.html.j2"
    scripts = ("myth_fact.js",)
    styles = ("myth_fact.css",)
    requires_id = True
    can_score = True  # with `scored: true` it counts towards the pass mark
    completable = True

    def check(self, block: Block[MythFactBlock], ctx: BlockContext[MythFactBlock]) -> None:
        data = block.data
        ctx.check_unique_ids(data.statements, "statements", "statement", "block")

    # -- tracking -----------------------------------------------------------------------------
    def interactions(self, block: Block[MythFactBlock]) -> list[Interaction]:
        data = block.data
        return [Interaction(interaction_id(block.key, s.id), "choice",
                            " ".join(s.statement.split())[:250], choices=CHOICES,
                            correct=(s.answer[0],), scored=data.scored)
                for s in data.statements]

    def max_score(self, block: Block[MythFactBlock]) -> int:
        data = block.data
        return len(data.statements) if data.scored else 0

    def max_state_chars(self, block: Block[MythFactBlock]) -> int:
        data = block.data
        return len(data.statements)

    def decode_state(self, block: Block[MythFactBlock], state: str) -> Any:
        data = block.data
        names = {"m": "myth", "f": "fact"}
        answers: dict[str, Any] = {}
        for index, item in enumerate(data.statements):
            given = names.get(state[index]) if index < len(state) else None
            answers[item.id] = None if given is None else {
                "answer": given, "correct": given == item.answer}
        return {"answers": answers}

    # -- rendering ----------------------------------------------------------------------------
    def client_data(self, block: Block[MythFactBlock],
                    ctx: BlockContext[MythFactBlock]) -> dict[str, Any]:
        data = block.data
        return {
            "scored": data.scored,
            "statements": [{
                "interaction": interaction_id(block.key, s.id),
                "answer": s.answer[0],
                "explanation": str(ctx.md(s.explanation, f"statements[{i}].explanation")),
            } for i, s in enumerate(data.statements)],
        }
