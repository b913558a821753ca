"""Neutral course and interactions to xAPI 1.0.3 data: pure functions, unit-tested.

Both the Tin Can (``xapi``) and the ``cmi5`` targets use these. The build computes every activity
id and definition here and hands them to the runtime (``runtime/adapters/xapi.js``, ``cmi5.js``)
in the course JSON, so the browser never invents an IRI. The runtime formats learners'
responses in the same syntax (xAPI 1.0.3 Data 2.4.4.1.1, "Interaction Activities"), which the
browser tests check with xapi-validation.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from course_builder.i18n.text import language_map as i18n_language_map
from course_builder.model import Course, Interaction

XAPI_VERSION = "1.0.3"
ADL_VERB = "http://adlnet.gov/expapi/verbs/"
VERBS = {name: ADL_VERB + name for name in (
    "initialized", "experienced", "answered", "completed", "passed", "failed", "terminated",
    "suspended", "resumed",
)}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    # The xAPI vocabulary registry's type for a web page (Activity Streams 1.0).
    "page": "http://activitystrea.ms/schema/1.0/page",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
}
# cmi5 (Quartz) section 9.6.2 and 9.7: categories and context extensions.
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CMI5_MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
CMI5_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
CMI5_MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
STATE_ID = "course_builder.state"  # the course's own State document (bookmark and progress)

# Neutral type -> xAPI interactionType (xAPI 1.0.3 Data 2.4.4.1.1): the neutral vocabulary is
# xAPI's own, so every type maps to itself.
INTERACTION_TYPES = {t: t for t in (
    "choice", "true-false", "matching", "sequencing", "numeric", "likert", "fill-in",
    "long-fill-in", "other",
)}


def _base(course_id: str) -> str:
    return course_id.rstrip("/")


def _segment(text: str) -> str:
    """A path segment safe in an IRI (ids are already [a-z0-9-] in practice)."""
    return quote(text, safe="-._~")


def course_iri(course_id: str) -> str:
    """The course activity: the course id itself (tincan.xml's launch activity, cmi5 course)."""
    return course_id


def au_iri(course_id: str) -> str:
    """cmi5 publisher id of the single AU that holds the whole course."""
    return f"{_base(course_id)}/au"


def module_au_iri(course_id: str, slug: str) -> str:
    """cmi5 publisher id of the AU that holds one module (``cmi5: {au_per_module: true}``)."""
    return f"{au_iri(course_id)}/{_segment(slug)}"


def variant_iri(course_id: str, variant_id: str) -> str:
    """The activity of one variant of the course (``variants:`` in course.yaml): the launch
    activity of that variant's Tin Can package, the base of its cmi5 course and AU ids, and,
    beside the course activity, in the grouping of every statement it sends."""
    return f"{_base(course_id)}/variant/{_segment(variant_id)}"


def variant_extension(course_id: str) -> str:
    """The context extension holding the variant's id (``"north-trust"``) in every statement
    a variant's package sends: the project's own IRI, under the course id
    (docs/xapi-and-cmi5.md, "Variants")."""
    return f"{_base(course_id)}/extensions/variant"


def package_iri(course: Course) -> str:
    """What identifies one package's course: the course id, or for a variant its
    :func:`variant_iri`, so that an LMS or LRS holding several trusts' packages of one course
    keeps them apart (cmi5 course and AU ids, the Tin Can launch activity)."""
    config = course.config
    if course.variant is None:
        return course_iri(config.id)
    return variant_iri(config.id, course.variant.id)


def module_iri(course_id: str, slug: str) -> str:
    return f"{_base(course_id)}/module/{_segment(slug)}"


def page_iri(course_id: str, page_id: str) -> str:
    """``page_id`` is the course-wide ``<module>/<page>`` id."""
    return f"{_base(course_id)}/page/" + "/".join(_segment(p) for p in page_id.split("/"))


def question_iri(course_id: str, interaction_id: str) -> str:
    return f"{_base(course_id)}/question/{_segment(interaction_id)}"


def home_page(course_id: str) -> str:
    """The homePage of anonymous accounts: the origin of the course id (``https://host``).

    An id without a host (a URN) is used whole, so the account still names the course's owner.
    """
    parts = urlsplit(course_id)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return course_id


def language_map(text: str, language: str) -> dict[str, str]:
    # the text's own language, and a translation's source too (course_builder/i18n/text.py)
    return i18n_language_map(text, language)


def activity(iri: str, kind: str, name: str, language: str,
             description: str | None = None) -> dict[str, Any]:
    """An Activity object with its definition (type and name; description when given)."""
    definition: dict[str, Any] = {"type": ACTIVITY_TYPES[kind],
                                  "name": language_map(name, language)}
    if description:
        definition["description"] = language_map(description, language)
    return {"objectType": "Activity", "id": iri, "definition": definition}


def correct_responses_pattern(interaction: Interaction) -> list[str] | None:
    """``correctResponsesPattern`` (xAPI 1.0.3 Data 2.4.4.1.1), or None when nothing is correct.

    Lists use ``[,]``, matching pairs ``[.]``, numeric ranges ``[:]``.
    """
    if not interaction.correct:
        return None
    return [_pattern(interaction.type, value.split(",") if interaction.type in
                     ("choice", "sequencing", "matching") else value)
            for value in interaction.correct]


def _pattern(kind: str, value: list[str] | str) -> str:
    if kind == "matching":
        pairs = value if isinstance(value, list) else str(value).split(",")
        return "[,]".join(pair.replace(".", "[.]", 1) for pair in pairs)
    if kind == "numeric":
        return str(value).replace(":", "[:]")
    if isinstance(value, list):
        return "[,]".join(value)
    return str(value)


def _components(pairs: tuple[tuple[str, str], ...], language: str) -> list[dict[str, Any]]:
    return [{"id": cid, "description": language_map(text or cid, language)} for cid, text in pairs]


def interaction_definition(interaction: Interaction, language: str) -> dict[str, Any]:
    """The activity definition of one question (xAPI 1.0.3 Data 2.4.4.1)."""
    definition: dict[str, Any] = {
        "type": ACTIVITY_TYPES["interaction"],
        "name": language_map(interaction.description or interaction.id, language),
        "interactionType": INTERACTION_TYPES[interaction.type],
    }
    if interaction.description:
        definition["description"] = language_map(interaction.description, language)
    pattern = correct_responses_pattern(interaction)
    if pattern is not None:
        definition["correctResponsesPattern"] = pattern
    if interaction.type in ("choice", "sequencing") and interaction.choices:
        definition["choices"] = _components(interaction.choices, language)
    elif interaction.type == "likert" and interaction.choices:
        definition["scale"] = _components(interaction.choices, language)
    elif interaction.type == "matching":
        definition["source"] = _components(interaction.choices, language)
        definition["target"] = _components(interaction.targets, language)
    elif interaction.type == "other" and interaction.choices:
        # "other" has no component list in xAPI; a performance would use steps.
        pass
    return definition


def interaction_activity(course_id: str, interaction: Interaction,
                         language: str) -> dict[str, Any]:
    return {"objectType": "Activity", "id": question_iri(course_id, interaction.id),
            "definition": interaction_definition(interaction, language)}


def runtime_data(course: Course) -> dict[str, Any]:
    """What the xAPI and cmi5 adapters need beyond the course JSON: every activity, by page id."""
    config = course.config
    cid, lang = config.id, config.language
    modules = [activity(module_iri(cid, m.slug), "module", m.title, lang, m.description or None)
               for m in course.modules]
    pages = {p.id: {"activity": activity(page_iri(cid, p.id), "page", p.title, lang),
                    "module": p.module.number} for p in course.pages}
    package = package_iri(course)
    variant = None
    if course.variant is not None:
        variant = {"id": course.variant.id, "extension": variant_extension(cid),
                   "activity": activity(package, "course",
                                        f"{config.title}: {course.variant.name}", lang,
                                        config.description or None)}
    return {
        "version": XAPI_VERSION,
        "course": activity(course_iri(cid), "course", config.title, lang,
                           config.description or None),
        # A variant's own activity and context extension (None for the course itself): in the
        # context of every statement, so that reports can compare variants.
        "variant": variant,
        "au": au_iri(package),
        # cmi5 with one AU per module: the publisher id of each module's AU, in module order.
        "moduleAus": [module_au_iri(package, m.slug) for m in course.modules],
        "modules": modules,
        "pages": pages,
        "homePage": home_page(cid),
        "stateId": STATE_ID,
        "verbs": VERBS,
        "cmi5": {"category": CMI5_CATEGORY, "moveOnCategory": CMI5_MOVEON_CATEGORY,
                 "masteryScore": CMI5_MASTERY, "session": CMI5_SESSION},
    }


# --- no secrets in packages ----------------------------------------------------------------

