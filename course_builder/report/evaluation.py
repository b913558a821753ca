"""Evaluation results from the course owner's collector: only what the course asked, only in the
shape it asked it, and no figure from fewer than five people.

The collector's write key is published inside every package (course_builder/collector.py), so
anyone could post statements to it. :class:`Results` therefore keeps a statement only when it is
one this course's runtime would send (``runtime/core/collector.js``): verb ``answered``; object
one of the course's anonymous evaluation questions (by activity id, from the course's own
files); actor an account on the course's home page with a UUID name and nothing else; a context
with no registration, instructor, team, statement or extensions; a response valid for that
question (a scale or choice id it offers, a number within its bounds, text up to the form's
limit); one answer per question per submission. Everything else is counted as ignored, by reason.

A submission is one random actor: the answers given together. Submissions are grouped by course
version (``context.revision``), by month (the day in ``timestamp``) and by variant (the
``<course id>/variant/<id>`` activity in the grouping of a variant's answers, docs/variants.md);
see :func:`breakdown` for how small groups are kept from singling anyone out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from course_builder.collector import anonymous_interactions
from course_builder.model import Course
from course_builder.targets import _xapi

MIN_GROUP = 5  # no figure is shown from fewer than this many submissions (or answers)
OTHER = "Other (groups under 5, combined)"
TEXT_LIMIT = 4000  # characters; the built-in form allows 1,000
ANSWERED = _xapi.VERBS["answered"]
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                   re.IGNORECASE)
_DAY = re.compile(r"^(\d{4}-\d{2})-\d{2}")
_LINKING_CONTEXT = ("registration", "instructor", "team", "statement", "extensions")
DIMENSIONS = (("version", "Course version"), ("month", "Month"), ("variant", "Variant"))
NO_VARIANT = "(none)"  # answers from a package of the course without a variant


@dataclass(frozen=True)
class Item:
    """One anonymous evaluation question of the course, as the report checks answers to it."""

    interaction_id: str
    activity_id: str
    prompt: str
    kind: str  # xAPI interactionType
    choices: tuple[tuple[str, str], ...] = ()  # (id, text) in the form's order
    bounds: tuple[float, float] | None = None

    @property
    def is_text(self) -> bool:
        return self.kind in ("fill-in", "long-fill-in", "other")

    def valid(self, response: Any) -> bool:
        """Whether ``response`` is an answer this question could have been given."""
        if not isinstance(response, str) or not response:
            return False
        if self.is_text:
            return len(response) <= TEXT_LIMIT
        if self.kind == "numeric":
            try:
                number = float(response)
            except ValueError:
                return False
            if not math.isfinite(number):
                return False
            return self.bounds is None or self.bounds[0] <= number <= self.bounds[1]
        ids = {cid for cid, _ in self.choices}
        parts = response.split("[,]")
        if self.kind == "choice":
            return len(set(parts)) == len(parts) and all(p in ids for p in parts)
        return len(parts) == 1 and parts[0] in ids  # likert: one scale point

    def describe(self, response: str) -> str:
        """An answer as people read it: choice ids through their texts."""
        texts = dict(self.choices)
        return "; ".join(texts.get(p, p) for p in response.split("[,]")) if texts else response


def course_items(course: Course) -> dict[str, Item]:
    """The course's anonymous evaluation questions, by activity id."""
    items = {}
    for iid, interaction in anonymous_interactions(course).items():
        activity = _xapi.question_iri(course.config.id, iid)
        items[activity] = Item(iid, activity, interaction.description, interaction.type,
                               interaction.choices, interaction.bounds)
    return items


@dataclass
class Submission:
    """The answers one random actor gave together."""

    version: str
    month: str
    answers: dict[str, str] = field(default_factory=dict)  # interaction id -> response
    #: the variant whose package sent it (``variants:`` in course.yaml), from its grouping
    variant: str = NO_VARIANT


@dataclass
class Results:
    """Feed statements with :meth:`add`; read submissions and ignored counts afterwards."""

    course_id: str
    items: dict[str, Item]
    submissions: dict[str, Submission] = field(default_factory=dict)
    ignored: Counter[str] = field(default_factory=Counter)
    statements: int = 0

    def __post_init__(self) -> None:
        self._home = _xapi.home_page(self.course_id)
        self._variant_prefix = _xapi.variant_iri(self.course_id, "")

    def _variant(self, context: dict[str, Any]) -> str:
        """The variant in a statement's grouping (``<course id>/variant/<id>``)."""
        activities = context.get("contextActivities")
        grouping = activities.get("grouping") if isinstance(activities, dict) else None
        for activity in grouping if isinstance(grouping, list) else ():
            found = activity.get("id") if isinstance(activity, dict) else None
            if isinstance(found, str) and found.startswith(self._variant_prefix):
                name = found[len(self._variant_prefix):]
                if name and "/" not in name:
                    return name
        return NO_VARIANT

    def add(self, statement: Any) -> None:
        self.statements += 1
        reason = self._refuse(statement)
        if reason:
            self.ignored[reason] += 1
            return
        item = self.items[statement["object"]["id"]]
        actor = statement["actor"]["account"]["name"].lower()
        context = statement.get("context") or {}
        version = context.get("revision") if isinstance(context.get("revision"), str) else ""
        month = _DAY.match(statement["timestamp"]).group(1)  # type: ignore[union-attr]
        submission = self.submissions.setdefault(actor, Submission(
            version or "unknown", month, variant=self._variant(context)))
        if item.interaction_id in submission.answers:
            self.ignored["a second answer to the same question in one submission"] += 1
            return
        submission.answers[item.interaction_id] = statement["result"]["response"]

    def _refuse(self, s: Any) -> str | None:
        """Why a statement is not one of this course's anonymous answers (None if it is)."""
        if not isinstance(s, dict) or (s.get("verb") or {}).get("id") != ANSWERED:
            return "not an answer"
        obj = s.get("object")
        if not isinstance(obj, dict) or obj.get("id") not in self.items:
            return "not one of this course's evaluation questions"
        actor = s.get("actor")
        if not isinstance(actor, dict):
            return "not an anonymous actor"
        account = actor.get("account")
        if (not isinstance(account, dict) or account.get("homePage") != self._home
                or not _UUID.match(str(account.get("name") or ""))
                or set(actor) - {"objectType", "account"}
                or actor.get("objectType", "Agent") != "Agent"):
            return "not an anonymous actor"
        context = s.get("context")
        if context is not None and (not isinstance(context, dict)
                                    or any(k in context for k in _LINKING_CONTEXT)):
            return "context that could link it to a learner"
        if not isinstance(s.get("timestamp"), str) or not _DAY.match(s["timestamp"]):
            return "no timestamp"
        result = s.get("result")
        response = result.get("response") if isinstance(result, dict) else None
        if not self.items[obj["id"]].valid(response):
            return "an answer the question does not offer"
        return None

    # --- figures -------------------------------------------------------------------------

    @property
    def count(self) -> int:
        return len(self.submissions)

    @property
    def shown(self) -> bool:
        """Figures appear only from MIN_GROUP submissions."""
        return self.count >= MIN_GROUP

    def ordered_items(self) -> list[Item]:
        return sorted(self.items.values(), key=lambda i: i.interaction_id)

    def distribution(self, item: Item, submissions: list[Submission] | None = None
                     ) -> list[tuple[str, int]]:
        """``(answer as people read it, count)``: choices in the form's order (zero counts
        included), numbers in numeric order, free text alphabetically."""
        chosen = Counter(s.answers[item.interaction_id]
                         for s in (self.submissions.values() if submissions is None
                                   else submissions)
                         if item.interaction_id in s.answers)
        if item.choices and item.kind != "choice":
            return [(text, chosen.get(cid, 0)) for cid, text in item.choices]
        if item.choices:  # choice: each chosen id counts (a response may hold several)
            counts: Counter[str] = Counter()
            for response, n in chosen.items():
                for part in response.split("[,]"):
                    counts[part] += n
            return [(text, counts.get(cid, 0)) for cid, text in item.choices]
        if item.kind == "numeric":
            return sorted(((r, n) for r, n in chosen.items()), key=lambda p: float(p[0]))
        return sorted(chosen.items(), key=lambda p: (p[0].casefold(), p[0]))

    def answered(self, item: Item, submissions: list[Submission] | None = None) -> int:
        pool = self.submissions.values() if submissions is None else submissions
        return sum(1 for s in pool if item.interaction_id in s.answers)

    def mean(self, item: Item, submissions: list[Submission] | None = None) -> float | None:
        if item.kind != "numeric":
            return None
        pool = self.submissions.values() if submissions is None else submissions
        values = [float(s.answers[item.interaction_id]) for s in pool
                  if item.interaction_id in s.answers]
        return sum(values) / len(values) if values else None

    def breakdown(self, dimension: str) -> list[tuple[str, list[Submission]]] | None:
        """Submissions by ``version``, ``month`` or ``variant``, safe to show: every group has
        at least MIN_GROUP submissions. Groups under that are combined into one "Other" group;
        if that is still under MIN_GROUP, the smallest remaining groups join it too (otherwise
        the small groups could be worked out by subtracting the others from the total). None
        when fewer than two groups would remain (the breakdown would only repeat the total)."""
        if not self.shown:
            return None
        groups: dict[str, list[Submission]] = {}
        for submission in self.submissions.values():
            groups.setdefault(getattr(submission, dimension), []).append(submission)
        big = sorted(((g, s) for g, s in groups.items() if len(s) >= MIN_GROUP),
                     key=lambda p: (len(p[1]), p[0]))
        other = [s for g, subs in groups.items() if len(subs) < MIN_GROUP for s in subs]
        while other and len(other) < MIN_GROUP and big:
            other += big.pop(0)[1]
        shown = sorted(big, key=lambda p: p[0]) + ([(OTHER, other)] if other else [])
        return shown if len(shown) >= 2 else None
