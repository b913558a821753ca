"""Statements shaped like the ones course packages send (runtime/adapters/_lrs.js,
course_builder/targets/_xapi.py), for report tests and benchmarks: no browser needed."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from course_builder.targets._xapi import (
    ACTIVITY_TYPES,
    VERBS,
    XAPI_VERSION,
    home_page,
    page_iri,
    question_iri,
)

__all__ = ["Course", "XAPI_VERSION"]


def _at(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


class Course:
    """Makes statements for one course, as its xAPI package would."""

    def __init__(self, course_id: str = "https://example.org/courses/report-test",
                 title: str = "Report test course", language: str = "en-GB") -> None:
        self.id, self.title, self.language = course_id, title, language
        self.activity = {"objectType": "Activity", "id": course_id, "definition": {
            "type": ACTIVITY_TYPES["course"], "name": {language: title}}}

    def _ref(self) -> dict[str, Any]:
        return {"objectType": "Activity", "id": self.id,
                "definition": {"type": ACTIVITY_TYPES["course"],
                               "name": {self.language: self.title}}}

    def statement(self, actor: dict[str, Any], verb: str, obj: dict[str, Any], when: datetime,
                  registration: str | None, result: dict[str, Any] | None = None
                  ) -> dict[str, Any]:
        context: dict[str, Any] = {"language": self.language,
                                   "contextActivities": {"grouping": [self._ref()]}}
        if registration:
            context["registration"] = registration
        made = {"id": str(uuid.uuid4()), "actor": actor,
                "verb": {"id": VERBS[verb], "display": {"en-US": verb}}, "object": obj,
                "timestamp": _at(when), "context": context}
        if result is not None:
            made["result"] = result
        return made

    def page(self, page_id: str, title: str) -> dict[str, Any]:
        return {"objectType": "Activity", "id": page_iri(self.id, page_id),
                "definition": {"type": ACTIVITY_TYPES["page"], "name": {self.language: title}}}

    def question(self, interaction_id: str, prompt: str, kind: str = "choice",
                 choices: list[tuple[str, str]] | None = None,
                 correct: list[str] | None = None) -> dict[str, Any]:
        definition: dict[str, Any] = {
            "type": ACTIVITY_TYPES["interaction"], "name": {self.language: prompt},
            "description": {self.language: prompt}, "interactionType": kind}
        if correct:
            definition["correctResponsesPattern"] = correct
        if choices:
            definition["scale" if kind == "likert" else "choices"] = [
                {"id": cid, "description": {self.language: text}} for cid, text in choices]
        return {"objectType": "Activity", "id": question_iri(self.id, interaction_id),
                "definition": definition}

    def session(self, actor: dict[str, Any], start: datetime, registration: str | None,
                answers: list[tuple[dict[str, Any], str, bool | None]] = (),  # type: ignore[assignment]
                completed: bool = False, outcome: str | None = None, percent: float | None = None,
                minutes: float = 20, activity: dict[str, Any] | None = None
                ) -> list[dict[str, Any]]:
        """One launch: initialized, a page, answers, completed/passed/failed, terminated."""
        launch = activity or self.activity
        out = [self.statement(actor, "initialized", launch, start, registration),
               self.statement(actor, "experienced", self.page("m/intro", "Welcome"),
                              start + timedelta(minutes=1), registration)]
        at = start + timedelta(minutes=2)
        for question, response, success in answers:
            result: dict[str, Any] = {"response": response, "duration": "PT20S"}
            if success is not None:
                result["success"] = success
            out.append(self.statement(actor, "answered", question, at, registration, result))
            at += timedelta(seconds=30)
        end = start + timedelta(minutes=minutes)
        if completed:
            out.append(self.statement(actor, "completed", launch, end - timedelta(seconds=2),
                                      registration, {"completion": True, "duration": "PT19M"}))
        if outcome:
            result = {"success": outcome == "passed", "duration": "PT19M"}
            if percent is not None:
                result["score"] = {"scaled": round(percent / 100, 4), "raw": percent,
                                   "min": 0, "max": 100}
            out.append(self.statement(actor, outcome, launch, end - timedelta(seconds=1),
                                      registration, result))
        seconds = int(minutes * 60)
        out.append(self.statement(actor, "terminated", launch, end, registration,
                                  {"duration": f"PT{seconds // 60}M{seconds % 60}S"}))
        return out

    def anonymous(self, when: datetime, answers: list[tuple[dict[str, Any], str]]
                  ) -> list[dict[str, Any]]:
        """One anonymous evaluation submission: a fresh random account, no registration, the
        day only as timestamp."""
        actor = {"objectType": "Agent", "account": {"homePage": home_page(self.id),
                                                    "name": str(uuid.uuid4())}}
        day = when.replace(hour=0, minute=0, second=0, microsecond=0)
        return [self.statement(actor, "answered", item, day, None, {"response": response})
                for item, response in answers]
