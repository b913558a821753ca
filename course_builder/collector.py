"""The evaluation collector: where anonymous evaluation answers go, in every package.

The course's owner (the charity that wrote it, not the trust hosting it) names an xAPI endpoint
of its own in course.yaml (``evaluation.collector``), with the key of an account there that may
only write statements. The runtime (``runtime/core/collector.js``) sends each submitted form to
it as one batch of statements under a random actor, whatever the package format and whatever the
LMS. This module computes, once per course, what the runtime needs and which outside address a
package may contact (its Content-Security-Policy ``connect-src``).

What a statement holds, and why nothing in it can link it to the learner, is documented in
docs/data-handling.md; the report that reads them back is ``course_builder/report/collector.py``.
"""

from __future__ import annotations

import base64
from typing import Any

from course_builder.config import CourseConfig
from course_builder.model import Course, Interaction
from course_builder.targets import _xapi

XAPI_VERSION = _xapi.XAPI_VERSION
# An anonymous batch not delivered within this many days is dropped from the learner's browser:
# answers are never left waiting on a machine indefinitely.
MAX_AGE_DAYS = 30


def auth_header(config: CourseConfig) -> str | None:
    """``Basic base64(username:write_only_key)``, or None without a collector."""
    collector = config.evaluation.collector
    if collector is None:
        return None
    token = f"{collector.username}:{collector.write_only_key}".encode()
    return "Basic " + base64.b64encode(token).decode("ascii")


def anonymous_interactions(course: Course) -> dict[str, Interaction]:
    """Every interaction the runtime sends to the collector rather than to the LMS."""
    return {iid: interaction for iid, interaction in course.interactions.items()
            if interaction.anonymous}


def runtime_data(course: Course) -> dict[str, Any] | None:
    """The ``collector`` entry of the course JSON (None when course.yaml names no collector).

    Everything a statement carries is fixed here, at build time: the question activities with
    their definitions, the account home page of the random actors, the course activity and
    version. The browser adds only the answers, a random actor name, random statement ids and
    the day."""
    config = course.config
    collector = config.evaluation.collector
    if collector is None:
        return None
    cid, lang = config.id, config.language
    course_activity = _xapi.activity(_xapi.course_iri(cid), "course", config.title, lang)
    return {
        "endpoint": collector.endpoint,
        "auth": auth_header(config),
        "version": XAPI_VERSION,
        "homePage": _xapi.home_page(cid),
        "course": course_activity,
        # The course, and a variant's own activity (docs/variants.md): the evaluation report
        # breaks answers down by variant, never showing a group of fewer than five.
        "grouping": [course_activity] + ([_xapi.activity(
            _xapi.package_iri(course), "course", f"{config.title}: {course.variant.name}",
            lang)] if course.variant is not None else []),
        "revision": config.version,
        "language": lang,
        "verb": {"id": _xapi.VERBS["answered"], "display": {"en-US": "answered"}},
        "delayMs": collector.random_delay_seconds * 1000,
        "maxAgeDays": MAX_AGE_DAYS,
        "questions": {iid: _xapi.interaction_activity(cid, interaction, lang)
                      for iid, interaction in anonymous_interactions(course).items()},
    }


def connect_src(config: CourseConfig, lrs_at_launch: bool) -> str:
    """The page's Content-Security-Policy ``connect-src``.

    A package may contact its own files and the collector's origin, nothing else. xAPI and cmi5
    packages are the exception: the LMS gives them their LRS's address only at launch, so they
    must allow any http(s) address (the collector is then one of them)."""
    if lrs_at_launch:
        return "'self' http: https:"
    collector = config.evaluation.collector
    return "'self'" + (f" {collector.origin}" if collector is not None else "")
