"""``languages:`` in course.yaml: the languages a course is offered in, the first its source.

::

    languages:
      - en-GB          # the language the course is written in
      - cy: draft      # being translated: built only when asked for (--lang cy)

A language written alone is built by every ``course-builder build``; its untranslated or stale
strings are warnings (so ``--strict`` refuses them). ``draft`` marks a translation still in
progress: ``build`` leaves it out unless ``--lang`` names it (or ``--lang all``), so that a
release build of the finished languages stays clean while the translation is being done.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, WithJsonSchema, field_validator, model_validator

LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


class CourseLanguage(BaseModel):
    """One entry of ``languages``: a BCP 47 tag (``cy``, ``en-GB``), perhaps marked ``draft``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tag: str
    status: Literal["complete", "draft"] = "complete"

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, value: Any) -> Any:
        # `- cy` and `- cy: draft` are what authors write; `{tag: cy, status: draft}` is the model.
        if isinstance(value, str):
            return {"tag": value}
        if isinstance(value, dict) and len(value) == 1 and "tag" not in value:
            ((tag, status),) = value.items()
            return {"tag": tag, "status": status if status is not None else "complete"}
        return value

    @field_validator("tag")
    @classmethod
    def _tag(cls, value: str) -> str:
        if not LANGUAGE_TAG.match(value):
            raise ValueError("must be a language tag such as en-GB or cy")
        return value

    @property
    def draft(self) -> bool:
        return self.status == "draft"


_TAG_SCHEMA = {"type": "string", "pattern": LANGUAGE_TAG.pattern}
#: One entry of ``languages`` as authors write it (``cy`` or ``cy: draft``): the JSON Schema
#: editors check course.yaml with describes those short forms, not the model's fields.
LanguageEntry = Annotated[CourseLanguage, WithJsonSchema({
    "description": "A language tag (cy, en-GB), or `cy: draft` for a translation in progress",
    "anyOf": [_TAG_SCHEMA, {
        "type": "object", "minProperties": 1, "maxProperties": 1,
        "propertyNames": _TAG_SCHEMA,
        "additionalProperties": {"enum": ["draft", "complete"]},
    }],
})]


def source_language_default(data: Any) -> Any:
    """course.yaml with ``languages`` and no ``language``: the first language is the source.
    (A ``model_validator(mode="before")`` of the course model.)"""
    if not isinstance(data, dict) or "language" in data:
        return data
    languages = data.get("languages")
    if isinstance(languages, list) and languages:
        first = languages[0]
        tag = first if isinstance(first, str) else (
            next(iter(first)) if isinstance(first, dict) and len(first) == 1 else None)
        if isinstance(tag, str):
            return {**data, "language": tag}
    return data


def check_languages(language: str, languages: tuple[CourseLanguage, ...]) -> None:
    """Raise ``ValueError`` unless ``languages`` starts with the source ``language``, names each
    language once, and does not mark the source a draft."""
    if not languages:
        return
    tags = [entry.tag for entry in languages]
    if tags[0] != language:
        raise ValueError(f"the first language is the one the course is written in, "
                         f"so it must be `language` ({language}), not {tags[0]}")
    repeated = sorted({tag for tag in tags if tags.count(tag) > 1})
    if repeated:
        raise ValueError(f"{', '.join(repeated)} is listed twice")
    if languages[0].draft:
        raise ValueError("the first language, the one the course is written in, cannot be a draft")
