"""Pydantic's validation errors as located diagnostics with hints: the field path the author
wrote, at its line and column, "did you mean" for a misspelt field, and without the noise of
errors that follow from another."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from course_builder.diagnostics import Reporter, SourceLocation, did_you_mean, field_path
from course_builder.model import ID_PATTERN
from course_builder.yamlsource import LocatedDict, locate


def _field_names(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every field name in a model and its nested models, for "did you mean" hints."""
    seen = seen or set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for candidate in _nested_models(info.annotation):
            names |= _field_names(candidate, seen)
    return names


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    found = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_nested_models(arg))
    return found


def _describe(error: Any) -> tuple[str, str | None]:
    kind = error["type"]
    message = error["msg"]
    if kind == "missing":
        return "is required but missing", None
    if kind == "extra_forbidden":
        return "is not a known field", None
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == ID_PATTERN:
        return (f"{error['input']!r} is not a valid id",
                "use lowercase letters, digits and hyphens, e.g. my-block-1")
    if kind.startswith("literal_error") or kind == "enum":
        return f"{error.get('input')!r} is not allowed: {message.lower()}", None
    message = message.removeprefix("Value error, ")
    text = message[0].lower() + message[1:] if message else kind
    if "input" in error and not isinstance(error["input"], (dict, list)) and kind != "missing":
        text += f" (got {error['input']!r})"
    return text, None


def report_validation_error(exc: ValidationError, raw: Any, model: type[BaseModel],
                            fallback: SourceLocation, reporter: Reporter,
                            prefix: str = "") -> None:
    """Turn pydantic's errors into located diagnostics with hints.

    Two kinds of noise are dropped: "missing" for a field the author misspelt (the misspelling
    is reported with a "did you mean" hint instead), and "too short" for a list whose items
    already have errors of their own.
    """
    names = _field_names(model)
    errors = []
    for error in exc.errors():
        parts = tuple(p for p in error["loc"]
                      if isinstance(p, int) or not re.search(r"[\[\]()]", p))
        errors.append((parts, error))
    misspelt: set[tuple[str | int, ...]] = set()
    for parts, error in errors:
        if error["type"] == "extra_forbidden" and parts:
            hint = did_you_mean(str(parts[-1]), names - {str(parts[-1])})
            if hint:
                misspelt.add((*parts[:-1], hint.split("`")[1]))
    for parts, error in errors:
        if error["type"] == "missing" and parts in misspelt:
            continue
        if error["type"] == "too_short" and any(
                len(other) > len(parts) and other[:len(parts)] == parts for other, _ in errors):
            continue
        text, hint = _describe(error)
        location = locate(raw, parts, fallback)
        if error["type"] == "extra_forbidden" and parts:
            hint = did_you_mean(str(parts[-1]), names - {str(parts[-1])})
            parent = _get(raw, parts[:-1])
            if isinstance(parent, LocatedDict):
                location = parent.key_locations.get(str(parts[-1]), location)
        if error["type"] == "missing":
            location = locate(raw, parts[:-1], fallback)
        where = field_path(parts) or "(top level)"
        reporter.error(f"{prefix}{where}: {text}", location, hint)


def _get(data: Any, parts: tuple[str | int, ...]) -> Any:
    for part in parts:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
