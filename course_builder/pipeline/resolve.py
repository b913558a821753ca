"""Stage 3: bind a validated course to one output format and check it fits that format.

Checks here happen before anything is rendered or written: interaction types the format can
record, the longest saved state against the format's suspend_data limit, bookmark length. Where
anonymous evaluation answers go does not depend on the format (every package sends them to the
owner's collector, course_builder/collector.py), so nothing about them is checked here.
"""

from __future__ import annotations

from typing import Any

from course_builder import collector
from course_builder.diagnostics import Reporter, SourceLocation
from course_builder.model import Course
from course_builder.state import fingerprint, max_length
from course_builder.targets.base import Resolved, Target

__all__ = ["Resolved", "resolve"]


def resolve(course: Course, target: Target, reporter: Reporter) -> Resolved | None:
    """Check that the course fits ``target`` (the kinds of question it can record, the longest
    saved state, the bookmark's length) and compute the format's runtime data; None when it
    does not fit (every reason is reported). Uses what validation measured: no plugin is
    asked anything here."""
    errors_before = len(reporter.errors)
    config = course.config
    config_path = course.root / "course.yaml"
    for interaction, block in course.questions.values():
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

    runtime_data: dict[str, Any] = {
        "id": config.id,
        "title": config.title,
        "version": config.version,
        "language": config.language,
        "adapter": target.runtime_adapter,
        "target": target.name,
        "fingerprint": fingerprint(course),
        "maxSuspend": target.max_suspend_data,
        "modules": [{"slug": m.slug, "title": m.title} for m in course.modules],
        "pages": [{"id": p.id, "title": p.title, "module": p.module.number}
                  for p in course.pages],
        "rules": {
            "completionPercent": config.completion.percent,
            "require": list(config.completion.require),
            "passMark": config.passing.pass_mark if config.passing else None,
        },
        "interactions": {iid: target.interaction_data(interaction)
                         for iid, interaction in course.interactions.items()},
        # Anonymous evaluation answers go to the owner's collector in every format, never to
        # the LMS (the evaluation plugin checks at validation that a required form has one).
        "collector": collector.runtime_data(course),
        **target.runtime_extra(course),  # e.g. xAPI activity ids and definitions
    }
    return Resolved(course, target, runtime_data, longest,
                    collector.connect_src(config, target.lrs_at_launch))
