"""Stage 3: bind a validated course to one output format and check it fits that format.

Checks here happen before anything is rendered or written: interaction types the format can
record, the longest saved state against the format's suspend_data limit, bookmark length. Where
anonymous evaluation answers go does not depend on the format (every package sends them to the
owner's collector, course_builder/collector.py), so nothing about them is checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course_builder import collector
from course_builder.diagnostics import Reporter, SourceLocation
from course_builder.model import Course, Interaction
from course_builder.state import fingerprint, max_length, stateful_blocks
from course_builder.targets.base import Target


@dataclass
class Resolved:
    """A course bound to a target: the JSON the runtime reads, and the figures behind it."""

    course: Course
    target: Target
    runtime_data: dict[str, Any]
    max_state: int
    connect_src: str  # the page's Content-Security-Policy connect-src


def collect_interactions(course: Course, reporter: Reporter) -> dict[str, tuple[Interaction, Any]]:
    """Every interaction in the course by id, with the block that owns it; ids must be unique."""
    found: dict[str, tuple[Interaction, Any]] = {}
    for block in course.blocks:
        for interaction in block.plugin.interactions(block):
            if interaction.id in found:
                other = found[interaction.id][1]
                reporter.error(
                    f"block '{block.key}' ({block.type}): question id '{interaction.id}' is also "
                    f"used in block '{other.key}'; reports and LMS records need unique ids",
                    block.location)
            else:
                found[interaction.id] = (interaction, block)
    return found


def resolve(course: Course, target: Target, reporter: Reporter) -> Resolved | None:
    errors_before = len(reporter.errors)
    config = course.config
    config_path = course.root / "course.yaml"
    interactions = collect_interactions(course, reporter)
    for interaction, block in interactions.values():
        if interaction.type not in target.supported_interactions:
            reporter.error(f"block '{block.key}' ({block.type}): {target.label} cannot record "
                           f"'{interaction.type}' questions ('{interaction.id}')", block.location)

    longest, shares = max_length(course)
    if target.max_suspend_data is not None and longest > target.max_suspend_data:
        biggest = sorted(shares, key=lambda s: -s[1])[:3]
        causes = ", ".join(f"'{b.key}' ({b.type}, {n})" for b, n in biggest)
        reporter.error(
            f"{target.label}: saved progress could reach {longest:,} characters, over the "
            f"format's suspend_data limit of {target.max_suspend_data:,}; largest blocks: {causes}",
            biggest[0][0].location if biggest else SourceLocation(config_path),
            hint="split long quizzes into smaller ones, or build scorm2004 (64,000 characters)")

    if target.max_location is not None:
        for page in course.pages:
            if len(page.id) > target.max_location:
                reporter.error(f"page id '{page.id}' is longer than {target.label}'s bookmark "
                               f"limit of {target.max_location} characters", page.location)
    if len(reporter.errors) > errors_before:
        return None

    state_index = {b.key: i for i, b in enumerate(stateful_blocks(course))}
    runtime_data = {
        "id": config.id,
        "title": config.title,
        "version": config.version,
        "language": config.language,
        "adapter": target.runtime_adapter,
        "target": target.name,
        "fingerprint": fingerprint(course),
        "maxSuspend": target.max_suspend_data,
        "modules": [{"slug": m.slug, "title": m.title} for m in course.modules],
        "pages": [{"id": p.id, "title": p.title,
                   "module": course.modules.index(p.module)} for p in course.pages],
        "rules": {
            "completionPercent": config.completion.percent,
            "require": list(config.completion.require),
            "passMark": config.passing.pass_mark if config.passing else None,
        },
        "blocks": [],  # filled by render with each block's client data
        "stateIndex": state_index,
        "interactions": {iid: target.interaction_data(i) for iid, (i, _) in interactions.items()},
        # Anonymous evaluation answers go to the owner's collector in every format, never to
        # the LMS (the evaluation plugin checks at validation that a required form has one).
        "collector": collector.runtime_data(course),
    }
    return Resolved(course, target, runtime_data, longest,
                    collector.connect_src(config, target.lrs_at_launch))
