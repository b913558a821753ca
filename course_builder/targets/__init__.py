"""Output formats, by name."""

from __future__ import annotations

from course_builder.targets.base import Target
from course_builder.targets.cmi5 import Cmi5
from course_builder.targets.handout import Handout
from course_builder.targets.scorm12 import Scorm12
from course_builder.targets.scorm2004 import Scorm2004, Scorm2004Third
from course_builder.targets.web import Web
from course_builder.targets.xapi import Xapi

TARGETS: dict[str, type[Target]] = {
    cls.name: cls for cls in (Scorm12, Scorm2004, Scorm2004Third, Xapi, Cmi5, Web, Handout)
}

__all__ = ["TARGETS", "Target"]
