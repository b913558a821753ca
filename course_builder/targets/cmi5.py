"""cmi5 package: ``cmi5.xml`` (one AU holding the whole course, or one AU per module) and a
runtime that follows the cmi5 launch sequence (Quartz, section 8: launch URL, one-time fetch URL,
``LMS.LaunchData``).

Course structure: https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd.
moveOn and masteryScore come from the course rules: with a pass mark, an AU that holds scored
blocks must be completed and passed (``CompletedAndPassed``, masteryScore = pass mark / 100);
otherwise it must be completed (``Completed``, no masteryScore).

Layouts (``cmi5.au_per_module`` in course.yaml):

- one AU (default): id ``<course id>/au``, url ``index.html``, the course's title;
- one AU per module: id ``<course id>/au/<module slug>``, url ``index.html?module=<slug>``
  (cmi5 9.5.1 lets the AU url carry a query; the LMS adds its launch parameters to it), the
  module's title and description. The runtime (``runtime/adapters/cmi5.js``) reads ``module``
  and narrows the session to that module's pages, so each AU is completed, scored and passed on
  its own pages and keeps its own State document (under the AU's launch activityId).

A variant's package (``variants:`` in course.yaml) has the course id ``<course id>/variant/<id>``
and its AU ids under it (``<course id>/variant/<id>/au``...), so that an LMS holding several
trusts' packages keeps them apart; pages, modules and questions keep the course's own ids.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from lxml.builder import ElementMaker

from course_builder.i18n.text import lang_of
from course_builder.model import Course, Module
from course_builder.targets import _xapi
from course_builder.targets._ims import serialize
from course_builder.targets.xapi import Xapi

CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MODULE_PARAMETER = "module"  # the AU url's query parameter naming the module (cmi5.js reads it)


def move_on(pass_mark: int | None) -> str:
    return "CompletedAndPassed" if pass_mark is not None else "Completed"


def mastery_score(pass_mark: int | None) -> str | None:
    """masteryScore is a decimal from 0 to 1 (cmi5 13.1.4); 80 -> "0.8"."""
    if pass_mark is None:
        return None
    return format(pass_mark / 100, "g")


def is_scored(module: Module) -> bool:
    """True when the module holds a block that gives a score (a scored quiz)."""
    return any(block.max_score > 0 for page in module.pages for block in page.blocks)


def module_url(launch_file: str, slug: str) -> str:
    return f"{launch_file}?{MODULE_PARAMETER}={quote(slug, safe='-._~')}"


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

        def langstrings(text: str) -> list[Any]:
            return [E.langstring(text, lang=lang_of(text, config.language))]

        def au(au_id: str, title: str, description: str, url: str,
               pass_mark: int | None) -> Any:
            attrs = {"id": au_id, "moveOn": move_on(pass_mark), "launchMethod": "AnyWindow"}
            score = mastery_score(pass_mark)
            if score is not None:
                attrs["masteryScore"] = score
            # element order the XSD requires: title, description, url
            return E.au(E.title(*langstrings(title)), E.description(*langstrings(description)),
                        E.url(url), **attrs)

        description = config.description or config.title
        package = _xapi.package_iri(course)  # the course id, or a variant's own (docs/variants.md)
        pass_mark = config.passing.pass_mark if config.passing else None
        if config.cmi5.au_per_module:
            aus = [au(_xapi.module_au_iri(package, module.slug), module.title,
                      module.description or module.title,
                      module_url(self.launch_file, module.slug),
                      pass_mark if is_scored(module) else None)
                   for module in course.modules]
        else:
            aus = [au(_xapi.au_iri(package), config.title, description, self.launch_file,
                      pass_mark)]
        root = E.courseStructure(
            E.course(E.title(*langstrings(config.title)),
                     E.description(*langstrings(description)),
                     id=package),
            *aus,
        )
        return serialize(root)
