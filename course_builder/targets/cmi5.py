"""cmi5 package: ``cmi5.xml`` (one AU holding the whole course) and a runtime that follows the
cmi5 launch sequence (Quartz, section 8: launch URL, one-time fetch URL, ``LMS.LaunchData``).

Course structure: https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd.
moveOn and masteryScore come from the course rules: with a pass mark, the AU must be completed
and passed (``CompletedAndPassed``, masteryScore = pass mark / 100); without one, ``Completed``.
"""

from __future__ import annotations

from lxml.builder import ElementMaker

from course_builder.model import Course
from course_builder.targets import _xapi
from course_builder.targets._ims import serialize
from course_builder.targets.xapi import Xapi

CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def move_on(pass_mark: int | None) -> str:
    return "CompletedAndPassed" if pass_mark is not None else "Completed"


def mastery_score(pass_mark: int | None) -> str | None:
    """masteryScore is a decimal from 0 to 1 (cmi5 13.1.4); 80 -> "0.8"."""
    if pass_mark is None:
        return None
    return format(pass_mark / 100, "g")


class Cmi5(Xapi):
    """An xAPI package an LMS launches the cmi5 way; the LMS decides moveOn and launch mode."""

    name = "cmi5"
    label = "cmi5"
    runtime_adapter = "cmi5"

    def extra_files(self, course: Course, files: list[str]) -> dict[str, bytes]:
        return {"cmi5.xml": self.course_structure(course)}

    def course_structure(self, course: Course) -> bytes:
        config = course.config
        E = ElementMaker(namespace=CMI5, nsmap={None: CMI5})

        def langstrings(text: str):  # type: ignore[no-untyped-def]
            return [E.langstring(text, lang=config.language)]

        description = config.description or config.title
        pass_mark = config.passing.pass_mark if config.passing else None
        au_attrs = {"id": _xapi.au_iri(config.id), "moveOn": move_on(pass_mark),
                    "launchMethod": "AnyWindow"}
        score = mastery_score(pass_mark)
        if score is not None:
            au_attrs["masteryScore"] = score
        root = E.courseStructure(
            E.course(E.title(*langstrings(config.title)),
                     E.description(*langstrings(description)),
                     id=_xapi.course_iri(config.id)),
            E.au(E.title(*langstrings(config.title)), E.description(*langstrings(description)),
                 E.url(self.launch_file), **au_attrs),
        )
        return serialize(root)
