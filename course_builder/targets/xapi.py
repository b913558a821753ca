"""Tin Can (xAPI) package: ``tincan.xml`` and a runtime that sends statements to the LRS named in
the launch URL (``endpoint``, ``auth``, ``actor``, ``registration``, ``activity_id``).

Tin Can launch was never standardised beyond Rustici's "Launch" document; ``tincan.xml`` follows
the schema at http://projecttincan.com/tincan.xsd (activities with name, description, launch,
and for questions interactionType, correctResponsePatterns and component lists).
"""

from __future__ import annotations

from typing import Any, ClassVar

from lxml.builder import ElementMaker

from course_builder.model import Course
from course_builder.targets import _xapi
from course_builder.targets._ims import serialize
from course_builder.targets.base import Target

TINCAN = "http://projecttincan.com/tincan.xsd"


class Xapi(Target):
    """xAPI statements to an LRS; progress in the LRS's State API so learners resume anywhere."""

    name = "xapi"
    label = "xAPI (Tin Can)"
    runtime_adapter = "xapi"
    # Extra runtime files before the adapter: the statement queue shared with cmi5 (the
    # durations' format is the core's, runtime/core/adapter.js).
    runtime_helpers: ClassVar[tuple[str, ...]] = ("_lrs.js",)
    # Progress lives in a State document (JSON): no format limit on saved state or bookmark.
    max_suspend_data = None
    max_location = None
    supported_interactions = frozenset(_xapi.INTERACTION_TYPES)
    lrs_at_launch = True  # the launch URL names the LRS

    def runtime_extra(self, course: Course) -> dict[str, Any]:
        """``xapi`` in the course JSON: every activity the adapter sends, questions included
        (``questions``: interaction id -> activity with its full definition)."""
        data = _xapi.runtime_data(course)
        data["questions"] = {
            iid: _xapi.interaction_activity(course.config.id, interaction, course.config.language)
            for iid, interaction in course.interactions.items()}
        return {"xapi": data}

    def extra_files(self, course: Course, files: list[str]) -> dict[str, bytes]:
        return {"tincan.xml": self.tincan_xml(course)}

    def tincan_xml(self, course: Course) -> bytes:
        config = course.config
        lang = config.language
        E = ElementMaker(namespace=TINCAN, nsmap={None: TINCAN})

        def texts(definition: dict[str, Any]) -> list[Any]:
            # one element per language of the language map (a translation's source too)
            names = definition["name"]
            descriptions = definition.get("description", names)
            return [*[E.name(text, lang=key) for key, text in names.items()],
                    *[E.description(text, lang=key) for key, text in descriptions.items()]]

        data = _xapi.runtime_data(course)
        launched = data["variant"]["activity"] if data["variant"] else data["course"]
        course_def = launched["definition"]
        activities = [E.activity(*texts(course_def), E.launch(self.launch_file, lang=lang),
                                 id=launched["id"], type=course_def["type"])]
        for module in data["modules"]:
            activities.append(E.activity(*texts(module["definition"]), id=module["id"],
                                         type=module["definition"]["type"]))
        for page in data["pages"].values():
            act = page["activity"]
            activities.append(E.activity(*texts(act["definition"]), id=act["id"],
                                         type=act["definition"]["type"]))
        for interaction in course.interactions.values():
            definition = _xapi.interaction_definition(interaction, lang)
            parts = texts(definition)
            parts.append(E.interactionType(definition["interactionType"]))
            if "correctResponsesPattern" in definition:
                parts.append(E.correctResponsePatterns(
                    *[E.correctResponsePattern(p) for p in definition["correctResponsesPattern"]]))
            for kind in ("choices", "scale", "source", "target", "steps"):
                if kind in definition:
                    parts.append(E(kind, *[
                        E.component(E.id(c["id"]), *[E.description(text, lang=key) for key, text
                                                     in c["description"].items()])
                        for c in definition[kind]]))
            activities.append(E.activity(*parts, id=_xapi.question_iri(config.id, interaction.id),
                                         type=definition["type"]))
        return serialize(E.tincan(E.activities(*activities)))
