"""Scenarios of good and poor practice: a situation, a choice of responses, feedback on each,
and optional follow-up steps that branch to any depth. Each answered step is a choice interaction.

Branching is a directed graph: the first step (the block's own ``situation``) and each entry of
``steps`` hold choices, and a choice's ``next`` names the step shown after it. The build refuses
cycles, so every path ends and the saved state (the letters chosen along the path) has a true
upper bound: the number of steps on the longest path.
"""

from __future__ import annotations

import string
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from course_builder.diagnostics import did_you_mean
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

LETTERS = string.ascii_lowercase  # SCORM 1.2 choice responses are single characters [a-z0-9]
MAX_CHOICES = len(LETTERS)
ROOT = ""  # the first step has no author id; "" stands for it in the graph

# English; shown through gettext (the page's language)
PRACTICE_LABELS = {"good": N_("Good practice"), "poor": N_("Poor practice"),
                   "mixed": N_("Mixed practice")}


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Part):
    """One possible response. ``next`` names the step shown after it (none: the path ends)."""

    id: str = Field(pattern=ID_PATTERN)
    text: TranslatableMarkdown = Field(min_length=1)
    practice: Literal["good", "poor", "mixed"]
    feedback: TranslatableMarkdown = Field(min_length=1)
    next: str | None = None


class Step(_Part):
    """A follow-up step, reached from a choice whose ``next`` is this step's ``id``."""

    id: str = Field(pattern=ID_PATTERN)
    situation: TranslatableMarkdown = Field(min_length=1)
    question: TranslatableMarkdown | None = None
    choices: tuple[Choice, ...] = Field(min_length=2, max_length=MAX_CHOICES)


class ScenarioBlock(BlockModel):
    """A scenario: the first step's situation and choices, then optional follow-up steps."""

    setting: TranslatableText = Field(min_length=1)
    situation: TranslatableMarkdown = Field(min_length=1)
    question: TranslatableMarkdown | None = None
    scored: bool = False
    choices: tuple[Choice, ...] = Field(min_length=2, max_length=MAX_CHOICES)
    steps: tuple[Step, ...] = ()
    reflection: TranslatableMarkdown | None = None


def _graph(block: ScenarioBlock) -> dict[str, list[tuple[int, str]]]:
    """Step id -> [(choice index, next step id)], for known targets only; ROOT is the first."""
    known = {s.id for s in block.steps}
    graph: dict[str, list[tuple[int, str]]] = {ROOT: []}
    for step_id, choices in [(ROOT, block.choices), *[(s.id, s.choices) for s in block.steps]]:
        edges = graph.setdefault(step_id, [])
        for index, choice in enumerate(choices):
            if choice.next is not None and choice.next in known:
                edges.append((index, choice.next))
    return graph


def longest_path(block: ScenarioBlock) -> int:
    """Steps on the longest path from the first step (1 with no follow-ups).

    Cycles are refused by ``check``; should one reach here anyway, an edge back into the current
    path is ignored, so this always terminates and never undercounts an acyclic path."""
    graph = _graph(block)
    memo: dict[str, int] = {}

    def depth(node: str, on_path: frozenset[str]) -> int:
        if node in memo:
            return memo[node]
        best = 1 + max((depth(nxt, on_path | {nxt}) for _, nxt in graph.get(node, [])
                        if nxt not in on_path), default=0)
        memo[node] = best
        return best

    return depth(ROOT, frozenset({ROOT}))


def interaction_id(block_key: str, step_id: str) -> str:
    """``<block id>`` for the first step, ``<block id>-<step id>`` for follow-up steps."""
    return block_key if step_id == ROOT else f"{block_key}-{step_id}"


def _oneline(text: str, limit: int = 250) -> str:
    return " ".join(text.split())[:limit]


class Scenario(ContentType[ScenarioBlock]):
    """Good and poor practice, with branching follow-up steps.

    Tracking: one ``choice`` interaction per step (see ``interaction_id``); the correct response
    is the step's good choice(s). Score (only with ``scored: true``): the block weighs as many
    points as there are steps on its longest path, and the learner's result is the share of
    steps on the path they took where they chose a good response.

    State: the letters chosen along the path, in order (``"ab"``: ``a`` at the first step, then
    ``b`` at the step that choice led to).
    """

    #: what its script shows (api.t); translations in the tool's catalog
    messages = {
        "choose_response": "Choose a response, then select Submit.",
        "choice_cleared": "Your choice has been cleared. Choose a different response.",
    }

    name = "scenario"
    model = ScenarioBlock
    template = "scenario.html.j2"
    handout_template = "scenario.handout.html.j2"
    scripts = ("scenario.js",)
    styles = ("scenario.css",)
    requires_id = True
    can_score = True  # with `scored: true` it counts towards the pass mark
    completable = True

    # -- validation ---------------------------------------------------------------------------
    def check(self, block: Block[ScenarioBlock], ctx: BlockContext[ScenarioBlock]) -> None:
        data = block.data
        step_ids: dict[str, int] = {}
        for s_index, step in enumerate(data.steps):
            if step.id in step_ids:
                ctx.error(f"step id '{step.id}' is used twice in this scenario",
                          f"steps[{s_index}].id")
            else:
                step_ids[step.id] = s_index

        places: list[tuple[str, str, tuple[Choice, ...]]] = [(ROOT, "", data.choices)]
        places += [(s.id, f"steps[{i}].", s.choices) for i, s in enumerate(data.steps)]
        for _step_id, prefix, choices in places:
            ctx.check_unique_ids(choices, f"{prefix}choices", "choice", "step")
            for c_index, choice in enumerate(choices):
                where = f"{prefix}choices[{c_index}]"
                if choice.next is not None and choice.next not in step_ids:
                    hint = did_you_mean(choice.next, step_ids) or (
                        f"steps in this scenario: {', '.join(step_ids)}" if step_ids
                        else "add the follow-up under `steps:` with this id")
                    ctx.error(f"`next` points to unknown step '{choice.next}'", f"{where}.next",
                              hint=hint)
            if data.scored and not any(c.practice == "good" for c in choices):
                ctx.warning("this step has no choice with `practice: good`, so nobody can score "
                            "full marks on it", f"{prefix}choices" if prefix else "choices")

        self._check_cycles(data, step_ids, ctx)

        reachable = self._reachable(data)
        for s_index, step in enumerate(data.steps):
            if step.id not in reachable and step_ids.get(step.id) == s_index:
                ctx.warning(f"step '{step.id}' is never reached: no choice has "
                            f"`next: {step.id}`", f"steps[{s_index}].id")

    @staticmethod
    def _reachable(data: ScenarioBlock) -> set[str]:
        graph = _graph(data)
        seen = {ROOT}
        todo = [ROOT]
        while todo:
            for _choice, nxt in graph.get(todo.pop(), []):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    @staticmethod
    def _check_cycles(data: ScenarioBlock, step_ids: dict[str, int],
                      ctx: BlockContext[ScenarioBlock]) -> None:
        """Depth-first search from every step; each cycle is reported once, at the `next`
        that closes it, naming the whole loop."""
        graph = _graph(data)
        done: set[str] = set()
        reported: set[frozenset[str]] = set()

        def visit(node: str, path: list[str]) -> None:
            path.append(node)
            for c_index, nxt in graph.get(node, []):
                if nxt in path:
                    loop = path[path.index(nxt):] + [nxt]
                    key = frozenset(loop)
                    if key not in reported:
                        reported.add(key)
                        where = (f"steps[{step_ids[node]}].choices[{c_index}].next"
                                 if node != ROOT else f"choices[{c_index}].next")
                        ctx.error(f"steps form a cycle: {' -> '.join(loop)}", where,
                                  hint="every path must end: point the last step's choices "
                                  "somewhere new, or leave out `next`")
                elif nxt not in done:
                    visit(nxt, path)
            path.pop()
            done.add(node)

        for node in [ROOT, *step_ids]:
            if node not in done:
                visit(node, [])

    # -- tracking -----------------------------------------------------------------------------
    def _steps(self, data: ScenarioBlock) -> list[tuple[str, str, str | None, tuple[Choice, ...]]]:
        first = (ROOT, data.situation, data.question, data.choices)
        return [first, *[(s.id, s.situation, s.question, s.choices) for s in data.steps]]

    def interactions(self, block: Block[ScenarioBlock]) -> list[Interaction]:
        data = block.data
        result = []
        for step_id, situation, question, choices in self._steps(data):
            description = _oneline(f"{data.setting}. {situation} {question or ''}")
            result.append(Interaction(
                interaction_id(block.key, step_id), "choice", description,
                choices=tuple((LETTERS[i], _oneline(c.text)) for i, c in enumerate(choices)),
                # Each good choice is a correct response on its own (one is chosen per step).
                correct=tuple(LETTERS[i] for i, c in enumerate(choices) if c.practice == "good"),
                scored=data.scored,
            ))
        return result

    def max_score(self, block: Block[ScenarioBlock]) -> int:
        data = block.data
        return longest_path(data) if data.scored else 0

    def max_state_chars(self, block: Block[ScenarioBlock]) -> int:
        # One letter per step on the path; no path is longer than the longest acyclic one.
        return longest_path(block.data)

    def decode_state(self, block: Block[ScenarioBlock], state: str) -> Any:
        data = block.data
        steps = {s.id: s for s in data.steps}
        path: list[dict[str, Any]] = []
        step_id, choices = ROOT, data.choices
        finished = False
        for letter in state:
            index = LETTERS.find(letter)
            if not 0 <= index < len(choices):
                path.append({"step": step_id or "(first)", "letter": letter,
                             "error": f"this step has no choice '{letter}'"})
                break
            choice = choices[index]
            path.append({"step": step_id or "(first)", "letter": letter, "choice": choice.id,
                         "practice": choice.practice})
            if choice.next is None or choice.next not in steps:
                finished = True
                break
            step_id, choices = choice.next, steps[choice.next].choices
        return {"path": path, "finished": finished}

    # -- rendering ----------------------------------------------------------------------------
    def client_data(self, block: Block[ScenarioBlock],
                    ctx: BlockContext[ScenarioBlock]) -> dict[str, Any]:
        data = block.data
        steps = []
        for s_index, (step_id, _situation, _question, choices) in enumerate(self._steps(data)):
            prefix = f"steps[{s_index - 1}]." if s_index else ""
            steps.append({
                "id": step_id,
                "interaction": interaction_id(block.key, step_id),
                "choices": [{
                    "letter": LETTERS[i],
                    "practice": c.practice,
                    "label": _(PRACTICE_LABELS[c.practice]),
                    "feedback": str(ctx.md(c.feedback, f"{prefix}choices[{i}].feedback")),
                    "next": c.next,
                } for i, c in enumerate(choices)],
            })
        return {"scored": data.scored, "steps": steps}

    def template_variables(self, block: Block[ScenarioBlock],
                           ctx: BlockContext[ScenarioBlock]) -> dict[str, Any]:
        """``steps`` (the first step, then each follow-up, with where each is reached from and
        where its choices lead), ``letters`` and ``practice_labels``."""
        data = block.data
        numbers = {step_id: i + 1 for i, (step_id, *_rest) in enumerate(self._steps(data))}
        steps: list[dict[str, Any]] = [
            {"id": step_id, "dom": f"{block.key}-step-{i}", "number": i + 1,
             "situation": situation, "question": question, "choices": choices,
             "field": f"steps[{i - 1}]." if i else "", "reached_from": []}
            for i, (step_id, situation, question, choices) in enumerate(self._steps(data))]
        for step in steps:
            for index, choice in enumerate(step["choices"]):
                if choice.next in numbers:
                    steps[numbers[choice.next] - 1]["reached_from"].append(
                        f"{step['number']}{LETTERS[index].upper()}")
        return {"steps": steps, "letters": LETTERS, "step_numbers": numbers,
                "practice_labels": {k: _(v) for k, v in PRACTICE_LABELS.items()}}
