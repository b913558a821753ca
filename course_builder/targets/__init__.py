"""Output formats, by name."""

from __future__ import annotations

from course_builder.targets.base import Target
from course_builder.targets.scorm12 import Scorm12
from course_builder.targets.scorm2004 import Scorm2004, Scorm2004Third

TARGETS: dict[str, type[Target]] = {
    cls.name: cls for cls in (Scorm12, Scorm2004, Scorm2004Third)
}

__all__ = ["TARGETS", "Target"]
