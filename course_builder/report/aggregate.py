"""Turn a stream of xAPI statements into the report's figures, one statement at a time.

:class:`Aggregator` keeps one small record per learner, per question and per evaluation item,
never the statements themselves, so memory depends on how many people and questions there are,
not on how many statements the LRS holds. Statements may arrive in any order (LRSs differ:
newest first, oldest first, pages resumed): every figure is a minimum, maximum, sum or count.

Which statement means what follows the course's own statements (``course_builder/targets/_xapi.py``,
``runtime/adapters/xapi.js``):

- course level: the object is the course activity (its id), the cmi5 AU (``<id>/au``), or the
  activity the package was launched as (a cmi5 LMS may give the AU an id of its own) - any
  object outside the course's own ``<id>/...`` pages, modules and questions in a statement
  whose context holds the course. ``completed``, ``passed`` and ``failed`` there are the
  learner's results, ``terminated`` there carries the session's ``result.duration``;
- module AUs (cmi5 ``au_per_module``): a statement whose object or context activities hold a
  module AU's publisher id ``<id>/au/<module slug>`` belongs to that AU. Its ``completed``,
  ``passed`` and ``failed`` are the AU's, not the course's. The course counts as completed
  when every module AU is completed (at the moment the last of them first was); the AUs are
  the ``units`` given to :class:`Aggregator` (the course's module slugs), or when none are
  given, every module AU seen in the statements read. The course result is ``failed`` when
  an AU's latest result is failed, ``passed`` when none is and the course is completed with at
  least one AU passed; the best score is the mean of the AUs' best scores. A cmi5 LMS's own
  ``satisfied`` statement about the course activity also counts as the course completed;
- questions: ``answered`` with an object under ``<id>/question/``. One that carries
  ``result.success`` is a question with a right answer (``questions.csv``); one without is an
  evaluation item (``evaluation.csv``); ``<block>-submitted`` says a learner sent a form;
- anonymous evaluation answers come under a random account per submission with no
  registration: they are counted as answers, never as learners;
- variants (``variants:`` in course.yaml, docs/variants.md): a variant's package launches as
  ``<id>/variant/<variant>`` and its cmi5 AUs are ``<id>/variant/<variant>/au[/<module>]``;
  these count as the course's and its module AUs' own ids. Each statement's variant is its
  context extension ``<id>/extensions/variant`` (or its ``<id>/variant/<variant>`` grouping
  activity); :attr:`Aggregator.variants` holds the same figures for each variant seen.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote

from course_builder.targets._xapi import (
    au_iri,
    course_iri,
    module_au_iri,
    question_iri,
    variant_extension,
    variant_iri,
)

VERB = "http://adlnet.gov/expapi/verbs/"
COMPLETED, PASSED, FAILED = VERB + "completed", VERB + "passed", VERB + "failed"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"  # cmi5 9.3.9: sent by the LMS
ANSWERED, TERMINATED = VERB + "answered", VERB + "terminated"
SUBMITTED_SUFFIX = "-submitted"  # plugins/evaluation: the learner's own "form sent" record
TEXT_TYPES = ("fill-in", "long-fill-in", "other")
_LIST_SEPARATOR = "[,]"

_DURATION = re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime; None if absent or unreadable.

    Accepts what LRSs send (``Z`` or an offset, any number of fraction digits) on Python 3.10,
    whose ``fromisoformat`` does not; a time without a zone is taken as UTC."""
    if not isinstance(value, str):
        return None
    match = _TIMESTAMP.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(second or 0), int((fraction or "0")[:6].ljust(6, "0")),
                          tzinfo=timezone.utc)
    except ValueError:
        return None
    if zone and zone.upper() != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment


def parse_duration(value: Any) -> float:
    """Seconds in an ISO 8601 duration (``PT1H2M3.5S``); 0 if absent or unreadable. A month is
    taken as 30 days and a year as 365 (course sessions never come near either)."""
    if not isinstance(value, str):
        return 0.0
    match = _DURATION.match(value.strip())
    if not match or value.strip() in ("P", "PT"):
        return 0.0
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    return (parts.get("y", 0) * 365 * 86400 + parts.get("mo", 0) * 30 * 86400
            + parts.get("w", 0) * 7 * 86400 + parts.get("d", 0) * 86400
            + parts.get("h", 0) * 3600 + parts.get("mi", 0) * 60 + parts.get("s", 0))


def actor_key(actor: Any) -> tuple[str, str] | None:
    """``(identified_by, identifier)`` for an agent: its inverse functional identifier
    (xAPI 1.0.3 Data 2.4.2.3). ``identified_by`` is ``mbox``, ``mbox_sha1sum``, ``openid`` or
    ``account <homePage>``. None for an actor without one (an anonymous group)."""
    if not isinstance(actor, dict):
        return None
    for ifi in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(actor.get(ifi), str) and actor[ifi]:
            return ifi, actor[ifi]
    account = actor.get("account")
    if isinstance(account, dict) and account.get("name"):
        return f"account {account.get('homePage', '')}".strip(), str(account["name"])
    return None


def language_text(value: Any, preferred: str | None = None) -> str:
    """The text of a language map, in the preferred language if it has it."""
    if not isinstance(value, dict) or not value:
        return ""
    if preferred and isinstance(value.get(preferred), str):
        return str(value[preferred])
    for text in value.values():
        if isinstance(text, str):
            return text
    return ""


def scaled_score(result: dict[str, Any]) -> float | None:
    """``score.scaled``, or (raw - min) / (max - min) when only those are given."""
    score = result.get("score")
    if not isinstance(score, dict):
        return None
    scaled = score.get("scaled")
    if isinstance(scaled, (int, float)) and not isinstance(scaled, bool):
        return float(scaled)
    raw, low, high = score.get("raw"), score.get("min", 0), score.get("max")
    if (isinstance(raw, (int, float)) and isinstance(low, (int, float))
            and isinstance(high, (int, float)) and high != low):
        return (float(raw) - float(low)) / (float(high) - float(low))
    return None


@dataclass
class Unit:
    """One learner's results in the course as a whole, or in one module AU."""

    completed: datetime | None = None  # the first completed
    result: str = ""  # "passed", "failed" or "" (the latest of the two)
    result_at: datetime | None = None
    best_scaled: float | None = None

    def add(self, verb: Any, result: dict[str, Any], when: datetime | None) -> None:
        scaled = scaled_score(result)
        if scaled is not None and math.isfinite(scaled):
            self.best_scaled = scaled if self.best_scaled is None else max(self.best_scaled,
                                                                           scaled)
        if when is None:
            return
        if verb == COMPLETED and (self.completed is None or when < self.completed):
            self.completed = when
        elif verb in (PASSED, FAILED) and (self.result_at is None or when >= self.result_at):
            self.result = "passed" if verb == PASSED else "failed"
            self.result_at = when


@dataclass
class Learner:
    """What the report knows about one learner.

    ``completed``, ``result``, ``result_at`` and ``best_scaled`` combine what was said about the
    whole course (``course``) with the module AUs' results (``units``) as the module doc says;
    ``expected_units`` is the set of module AUs the course has (shared by every learner)."""

    identified_by: str
    identifier: str
    name: str = ""
    first_seen: datetime | None = None
    course: Unit = field(default_factory=Unit)
    registrations: set[str] = field(default_factory=set)
    seconds: float = 0.0
    units: dict[str, Unit] = field(default_factory=dict)
    expected_units: set[str] = field(default_factory=set, repr=False)

    def units_completed(self) -> datetime | None:
        """When the last module AU was first completed; None until every one is."""
        if not self.units or not self.expected_units:
            return None
        times = [self.units[u].completed if u in self.units else None
                 for u in self.expected_units]
        return None if None in times else max(t for t in times if t is not None)

    @property
    def completed(self) -> datetime | None:
        times = [t for t in (self.course.completed, self.units_completed()) if t is not None]
        return min(times) if times else None

    def _unit_result(self) -> tuple[str, datetime | None]:
        judged = [u for u in self.units.values() if u.result and u.result_at is not None]
        failed = [u.result_at for u in judged if u.result == "failed"]
        if failed:
            return "failed", max(t for t in failed if t is not None)
        if judged and self.units_completed() is not None:
            return "passed", max(u.result_at for u in judged if u.result_at is not None)
        return "", None

    def _result(self) -> tuple[str, datetime | None]:
        course = (self.course.result, self.course.result_at)
        units = self._unit_result()
        if not units[0]:
            return course
        if not course[0] or course[1] is None or (units[1] is not None and units[1] >= course[1]):
            return units
        return course

    @property
    def result(self) -> str:
        return self._result()[0]

    @property
    def result_at(self) -> datetime | None:
        return self._result()[1]

    @property
    def best_scaled(self) -> float | None:
        scores = [u.best_scaled for u in self.units.values() if u.best_scaled is not None]
        mean = sum(scores) / len(scores) if scores else None
        found = [v for v in (self.course.best_scaled, mean) if v is not None]
        return max(found) if found else None

    @property
    def attempts(self) -> int:
        """Distinct registrations; 1 for a learner whose statements carry none (a Tin Can
        launch without ``registration``)."""
        return len(self.registrations) or 1


@dataclass
class Interaction:
    """Answers to one question or evaluation item (keyed by its activity id)."""

    activity_id: str
    interaction_id: str
    prompt: str = ""
    kind: str = ""  # interactionType
    components: dict[str, str] = field(default_factory=dict)  # choice/scale id -> text
    order: list[str] = field(default_factory=list)  # component ids in definition order
    answered: int = 0
    correct: int = 0
    judged: int = 0  # answers that carried result.success
    responses: Counter[str] = field(default_factory=Counter)
    wrong: Counter[str] = field(default_factory=Counter)

    @property
    def is_question(self) -> bool:
        """A question has a right answer: at least one answer said whether it was right."""
        return self.judged > 0

    def describe(self, response: str) -> str:
        """A response as people read it: choice ids through their texts (``a[,]b`` -> ``Yes;
        No``), matching pairs as ``source -> target``; anything else as sent."""
        if not self.components or response == "":
            return response
        parts = response.split(_LIST_SEPARATOR)
        shown = []
        for part in parts:
            if "[.]" in part:
                source, target = part.split("[.]", 1)
                shown.append(f"{self.components.get(source, source)} -> "
                             f"{self.components.get(target, target)}")
            else:
                shown.append(self.components.get(part, part))
        return "; ".join(shown)


@dataclass
class Aggregator:
    """Feed statements with :meth:`add`; read the figures from the attributes afterwards.

    ``units``: the module slugs of a course built with one cmi5 AU per module (see the module
    doc); when not given, the module AUs found in the statements."""

    course_id: str
    language: str | None = None
    units: Iterable[str] | None = None
    learners: dict[tuple[str, str], Learner] = field(default_factory=dict)
    interactions: dict[str, Interaction] = field(default_factory=dict)
    submissions: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    anonymous_actors: set[str] = field(default_factory=set)
    statements: int = 0  # read
    ignored: int = 0  # not about this course, or without a usable actor
    course_title: str = ""
    first: datetime | None = None
    last: datetime | None = None
    #: the same figures for each variant (``""``: statements of no variant), when
    #: ``by_variant`` (the report's own aggregator); see :attr:`variant_groups`
    variants: dict[str, Aggregator] = field(default_factory=dict)
    by_variant: bool = True

    def __post_init__(self) -> None:
        self._course_level = {course_iri(self.course_id), au_iri(self.course_id)}
        self._base = self.course_id.rstrip("/")
        self._question_prefix = question_iri(self.course_id, "")
        self._unit_prefix = module_au_iri(self.course_id, "")
        self._variant_prefix = variant_iri(self.course_id, "")
        self._variant_extension = variant_extension(self.course_id)
        self._given_units = self.units is not None
        self.units = tuple(self.units) if self.units is not None else None
        # One set shared by every learner: the module AUs the course has.
        self.expected_units: set[str] = set(self.units or ())

    def add(self, statement: dict[str, Any]) -> None:
        self._add(statement)
        if self.by_variant:  # one small record per learner and variant, never the statement
            context = statement.get("context")
            self._in_variant(self.variant_of(context if isinstance(context, dict) else {}) or "",
                             statement)

    @property
    def variant_groups(self) -> dict[str, Aggregator]:
        """The figures of each variant, by id (``""``: statements of no variant); empty when
        no statement came from a variant."""
        return dict(sorted(self.variants.items())) if set(self.variants) - {""} else {}

    def _in_variant(self, variant: str, statement: dict[str, Any]) -> None:
        group = self.variants.get(variant)
        if group is None:
            group = self.variants[variant] = Aggregator(self.course_id, self.language,
                                                        self.units, by_variant=False)
        group.add(statement)

    def variant_of(self, context: dict[str, Any]) -> str | None:
        """The variant a statement came from: its context extension, or its variant grouping
        activity; None for a statement of no variant."""
        extensions = context.get("extensions")
        if isinstance(extensions, dict) and isinstance(extensions.get(self._variant_extension),
                                                       str):
            return str(extensions[self._variant_extension])
        activities = context.get("contextActivities")
        for group in activities.values() if isinstance(activities, dict) else ():
            for activity in group if isinstance(group, list) else [group]:
                found = activity.get("id") if isinstance(activity, dict) else None
                if isinstance(found, str) and found.startswith(self._variant_prefix):
                    name = unquote(found[len(self._variant_prefix):])
                    if name and "/" not in name:
                        return name
        return None

    def _package_level(self, object_id: str) -> bool:
        """The course's own activity or AU, or a variant's (``<id>/variant/<v>[/au]``)."""
        if object_id in self._course_level:
            return True
        if not object_id.startswith(self._variant_prefix):
            return False
        parts = object_id[len(self._variant_prefix):].split("/")
        return bool(parts[0]) and (len(parts) == 1 or parts[1:] == ["au"])

    def _add(self, statement: dict[str, Any]) -> None:
        self.statements += 1
        obj = statement.get("object") or {}
        object_id = obj.get("id") if isinstance(obj, dict) else None
        verb = (statement.get("verb") or {}).get("id")
        context = statement.get("context") or {}
        if not isinstance(object_id, str):
            self.ignored += 1
            return
        own = object_id in self._course_level or object_id.startswith(self._base + "/")
        grouped = self._grouped(context)
        unit = self._unit(object_id, context)
        if not own and not grouped and unit is None:
            self.ignored += 1
            return
        course_level = (self._package_level(object_id) or not own
                        or self._unit_of(object_id) is not None)
        when = parse_timestamp(statement.get("timestamp")) or parse_timestamp(
            statement.get("stored"))
        found = statement.get("result")
        result: dict[str, Any] = found if isinstance(found, dict) else {}
        registration = context.get("registration") if isinstance(context, dict) else None
        if when is not None:
            self.first = when if self.first is None else min(self.first, when)
            self.last = when if self.last is None else max(self.last, when)
        if object_id in self._course_level and not self.course_title:
            self.course_title = language_text((obj.get("definition") or {}).get("name"),
                                              self.language)

        key = actor_key(statement.get("actor"))
        if verb == ANSWERED and object_id.startswith(self._question_prefix):
            if object_id.endswith(SUBMITTED_SUFFIX) and "success" not in result:
                if key is not None:
                    self.submissions.setdefault(object_id, set()).add(key)
            else:
                self._answer(self._interaction(object_id, obj), result)
                if "success" not in result and not registration:
                    # An evaluation answer: anonymous ones must never count as learners.
                    if key is not None:
                        self.anonymous_actors.add(key[1])
                    return
        if key is None:
            self.ignored += 1
            return
        self._learner(key, statement, verb, course_level, result, registration, when, object_id,
                      unit)

    # --- pieces --------------------------------------------------------------------------

    def _unit_of(self, activity_id: Any) -> str | None:
        """The module slug of a module AU's id (the course's ``<id>/au/<slug>``, or a
        variant's ``<id>/variant/<v>/au/<slug>``)."""
        if not isinstance(activity_id, str):
            return None
        rest = None
        if activity_id.startswith(self._unit_prefix):
            rest = activity_id[len(self._unit_prefix):]
        elif activity_id.startswith(self._variant_prefix):
            parts = activity_id[len(self._variant_prefix):].split("/", 2)
            if len(parts) == 3 and parts[0] and parts[1] == "au":
                rest = parts[2]
        if rest is not None:
            slug = unquote(rest)
            if slug and "/" not in slug:
                return slug
        return None

    def _unit(self, object_id: str, context: Any) -> str | None:
        """The module AU (its slug) a statement belongs to, or None."""
        slug = self._unit_of(object_id)
        activities = context.get("contextActivities") if isinstance(context, dict) else None
        if slug is None and isinstance(activities, dict):
            for group in activities.values():
                for activity in group if isinstance(group, list) else [group]:
                    if isinstance(activity, dict):
                        slug = self._unit_of(activity.get("id"))
                        if slug is not None:
                            break
                if slug is not None:
                    break
        if slug is not None and not self._given_units:
            self.expected_units.add(slug)
        return slug

    def _grouped(self, context: Any) -> bool:
        """True when the course activity is in the statement's context activities."""
        activities = context.get("contextActivities") if isinstance(context, dict) else None
        if isinstance(activities, dict):
            for group in activities.values():
                for activity in group if isinstance(group, list) else [group]:
                    if isinstance(activity, dict) and activity.get("id") in self._course_level:
                        return True
        return False

    def _interaction(self, object_id: str, obj: dict[str, Any]) -> Interaction:
        item = self.interactions.get(object_id)
        if item is None:
            item = self.interactions[object_id] = Interaction(
                object_id, unquote(object_id[len(self._question_prefix):]))
        definition = obj.get("definition")
        if isinstance(definition, dict) and not item.prompt:
            item.prompt = (language_text(definition.get("description"), self.language)
                           or language_text(definition.get("name"), self.language))
            item.kind = str(definition.get("interactionType") or "")
            for list_name in ("choices", "scale", "source", "target", "steps"):
                for component in definition.get(list_name) or []:
                    if isinstance(component, dict) and isinstance(component.get("id"), str):
                        cid = component["id"]
                        item.components[cid] = (language_text(component.get("description"),
                                                              self.language) or cid)
                        if list_name in ("choices", "scale"):
                            item.order.append(cid)
        return item

    @staticmethod
    def _answer(item: Interaction, result: dict[str, Any]) -> None:
        response = result.get("response")
        response = "" if response is None else str(response)
        item.answered += 1
        success = result.get("success")
        if isinstance(success, bool):
            item.judged += 1
            if success:
                item.correct += 1
            else:
                item.wrong[response] += 1
        item.responses[response] += 1

    def _learner(self, key: tuple[str, str], statement: dict[str, Any], verb: Any,
                 course_level: bool, result: dict[str, Any], registration: Any,
                 when: datetime | None, object_id: str, unit: str | None) -> None:
        learner = self.learners.get(key)
        if learner is None:
            learner = self.learners[key] = Learner(*key)
            learner.expected_units = self.expected_units
        name = (statement.get("actor") or {}).get("name")
        if isinstance(name, str) and name and (learner.first_seen is None or when is None
                                               or when >= learner.first_seen):
            learner.name = name
        if when is not None and (learner.first_seen is None or when < learner.first_seen):
            learner.first_seen = when
        if isinstance(registration, str) and registration:
            learner.registrations.add(registration.lower())
        if verb == SATISFIED and self._package_level(object_id) and not object_id.endswith("/au"):
            # The cmi5 LMS says the learner met the course's moveOn rules: every AU is done.
            learner.course.add(COMPLETED, {}, when)
            return
        if not course_level:
            return
        if unit is None:
            learner.course.add(verb, result, when)
        else:
            learner.units.setdefault(unit, Unit()).add(verb, result, when)
        if verb == TERMINATED and when is not None:
            learner.seconds += parse_duration(result.get("duration"))

    # --- figures -------------------------------------------------------------------------

    @property
    def questions(self) -> list[Interaction]:
        return sorted((i for i in self.interactions.values() if i.is_question),
                      key=lambda i: i.interaction_id)

    @property
    def evaluation_items(self) -> list[Interaction]:
        return sorted((i for i in self.interactions.values() if not i.is_question),
                      key=lambda i: i.interaction_id)

    def trained_per_month(self) -> list[tuple[str, int]]:
        """``[("2026-01", n), ...]``: learners by the month (UTC) they first completed, every
        month from the first to the last included (zero when nobody completed)."""
        counts = Counter(f"{person.completed:%Y-%m}" for person in self.learners.values()
                         if person.completed)
        if not counts:
            return []
        first, last = min(counts), max(counts)
        year, month = int(first[:4]), int(first[5:])
        months = []
        while f"{year:04d}-{month:02d}" <= last:
            label = f"{year:04d}-{month:02d}"
            months.append((label, counts.get(label, 0)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def totals(self) -> dict[str, int]:
        learners = list(self.learners.values())
        return {
            "learners": len(learners),
            "completed": sum(1 for person in learners if person.completed),
            "passed": sum(1 for person in learners if person.result == "passed"),
            "failed": sum(1 for person in learners if person.result == "failed"),
            "evaluation_submissions": sum(len(s) for s in self.submissions.values()),
            "anonymous_responses": len(self.anonymous_actors),
        }

    def distribution(self, item: Interaction) -> list[tuple[str, int]]:
        """An evaluation item's answers as ``(answer as people read it, count)``: every choice
        or scale point in the definition's order (zero counts included), numbers in numeric
        order, free text alphabetically."""
        if item.order:
            known = [(item.components[c], item.responses.get(c, 0)) for c in item.order]
            others = sorted((item.describe(r), n) for r, n in item.responses.items()
                            if r not in item.components)
            return known + others
        answers = [(item.describe(r), n) for r, n in item.responses.items() if r != ""]

        def numeric(pair: tuple[str, int]) -> tuple[int, float, str]:
            try:
                return 0, float(pair[0]), pair[0]
            except ValueError:
                return 1, 0.0, pair[0].casefold()

        return sorted(answers, key=numeric)
