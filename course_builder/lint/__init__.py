"""Build-time checks on what authors write (beyond the schema): safe messaging.

``lint_course(course, reporter)`` runs after validation and reports warnings; see
``docs/safe-messaging.md``.
"""

from __future__ import annotations

from course_builder.lint.safe_messaging import (
    RuleSet,
    builtin_rules,
    course_rules,
    find,
    lint_course,
)

__all__ = ["RuleSet", "builtin_rules", "course_rules", "find", "lint_course"]
