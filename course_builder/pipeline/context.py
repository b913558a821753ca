"""Kept for plugins written before the contract moved: import these from ``course_builder.plugin``
(``BlockContext``) instead. Nothing in course_builder imports this module."""

from __future__ import annotations

from course_builder.context import BlockContext, Environment
from course_builder.diagnostics import field_path
from course_builder.templating import safe_href

__all__ = ["BlockContext", "Environment", "field_path", "safe_href"]
