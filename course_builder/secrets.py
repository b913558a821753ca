"""No credential ever goes into a package: every file of a package can be read by a learner.

LRS addresses and keys reach xAPI and cmi5 packages only through the launch URL, and SCORM
packages need none at all, so a value that looks like a credential anywhere in a course's YAML
is refused with a located error, whatever the format being built.
"""

from __future__ import annotations

import re
from typing import Any

from course_builder.diagnostics import Reporter, SourceLocation
from course_builder.model import Course
from course_builder.pipeline.context import field_path
from course_builder.yamlsource import locate

# A URL with a user name and password (https://key:secret@lrs.example.org/xapi/), or an HTTP
# Authorization value (Basic dXNlcjpwYXNz..., Bearer eyJ...).
URL_CREDENTIALS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
AUTH_HEADER = re.compile(r"\b(Basic|Bearer)\s+[A-Za-z0-9+/=._-]{12,}")

HINT = "remove it: the LMS passes the LRS address and credentials in the launch URL"


def credential_paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Key paths inside ``value`` whose text looks like a credential."""
    found: list[tuple[str | int, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += credential_paths(item, (*path, str(key)))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found += credential_paths(item, (*path, i))
    elif isinstance(value, str) and (URL_CREDENTIALS.search(value) or AUTH_HEADER.search(value)):
        found.append(path)
    return found


def check_no_credentials(config_raw: Any, course: Course, reporter: Reporter) -> None:
    """Report every credential-like value in course.yaml and in every block."""
    config_path = course.root / "course.yaml"
    for where in credential_paths(config_raw):
        reporter.error(f"course.yaml: {field_path(where)} looks like LRS credentials; packages "
                       "must never hold an LRS key or secret",
                       locate(config_raw, where, SourceLocation(config_path)), hint=HINT)
    for block in course.blocks:
        for where in credential_paths(block.raw):
            reporter.error(f"block '{block.key}' ({block.type}): {field_path(where)} looks like "
                           "LRS credentials; packages must never hold an LRS key or secret",
                           locate(block.raw, where, block.location), hint=HINT)
