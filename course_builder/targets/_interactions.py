"""Neutral interactions to SCORM data: pure functions, unit-tested. (The learner's responses
are formatted in the browser by runtime/adapters/*.js, and checked there by the browser tests
against scorm-again.)"""

from __future__ import annotations

from course_builder.model import Interaction

# SCORM 1.2 RTE 3.4.2.6.1 (cmi.interactions.n.type): no long-fill-in, and "performance" instead
# of "other".
SCORM12_TYPES = {
    "choice": "choice", "true-false": "true-false", "matching": "matching",
    "sequencing": "sequencing", "numeric": "numeric", "likert": "likert", "fill-in": "fill-in",
    "long-fill-in": "fill-in", "other": "performance",
}


def scorm12_patterns(interaction: Interaction) -> list[str]:
    """cmi.interactions.n.correct_responses.N.pattern, one per correct answer."""
    return [_scorm12_pattern(interaction, value) for value in interaction.correct]


def scorm2004_patterns(interaction: Interaction) -> list[str]:
    """cmi.interactions.n.correct_responses.N.pattern, one per correct answer."""
    return [_scorm2004_pattern(interaction, value) for value in interaction.correct]


def _scorm12_pattern(interaction: Interaction, value: str) -> str:
    """One SCORM 1.2 CMIFeedback pattern."""
    if interaction.type == "true-false":
        return "t" if value == "true" else "f"
    if interaction.type == "matching":
        return value  # "a.1,b.2"
    if interaction.type == "numeric" and ":" in value:
        return value.split(":")[0]  # 1.2 has no ranges; the lower bound is one correct value
    return value[:255]


def _scorm2004_pattern(interaction: Interaction, value: str) -> str:
    """One SCORM 2004 pattern (RTE 4.2.9.1: "[,]" between choices, "[.]" in pairs)."""
    if interaction.type in ("choice", "sequencing"):
        return "[,]".join(value.split(","))
    if interaction.type == "matching":
        return "[,]".join(pair.replace(".", "[.]") for pair in value.split(","))
    if interaction.type == "numeric":
        return value.replace(":", "[:]")
    return value
