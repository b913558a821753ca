"""``course-builder preview``: the course in a small LMS simulator that rebuilds as you save.

- ``build``: the in-memory build the preview serves (one format at a time, no zip, no
  manifest), keeping the last good one when a save breaks the course;
- ``lms``: the cmi5-like launch and the local xAPI endpoint (statements, State API) the
  simulator's cmi5 mode talks to, in memory;
- ``server``: the HTTP server on 127.0.0.1 (the simulator page, the course, Server-Sent Events
  that tell the page a new build is ready);
- ``watch``: watchfiles on the course folder, rebuilding after each change;
- ``static/``: the simulator page, its SCORM 1.2 and 2004 API (hand-written, with the standard
  error codes) and its styles.
"""

from __future__ import annotations

from course_builder.preview.build import PREVIEW_FORMATS, PreviewBuilder, Snapshot
from course_builder.preview.server import PreviewServer

__all__ = ["PREVIEW_FORMATS", "PreviewBuilder", "PreviewServer", "Snapshot"]
