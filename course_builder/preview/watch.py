"""Rebuild the preview when a file of the course changes (watchfiles: native file events, so a
save is noticed within milliseconds, with no polling of the whole folder)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import watchfiles

from course_builder.editor_schema import SCHEMA_DIR

#: Folders whose changes never affect the course: build output, editor schemas, tool caches.
IGNORED_DIRS = (*watchfiles.DefaultFilter.ignore_dirs, "build", SCHEMA_DIR, "dist")
#: watchfiles groups events arriving within ``STEP_MS`` of each other into one rebuild: editors
#: that save by writing a temporary file and renaming it make two or three events within a
#: millisecond or two.
STEP_MS = 15


class CourseFilter(watchfiles.DefaultFilter):
    """Everything in the course folder except build output, editor schemas and caches."""

    def __init__(self) -> None:
        super().__init__(ignore_dirs=IGNORED_DIRS)


def watch(course_dir: Path, rebuild: Callable[[bool, float], object],
          stop: threading.Event) -> None:
    """Call ``rebuild(plugins_changed, noticed_at)`` after each group of changes, until
    ``stop`` is set."""
    plugins = (course_dir / "plugins").resolve()
    for changes in watchfiles.watch(course_dir, watch_filter=CourseFilter(), step=STEP_MS,
                                    debounce=400, stop_event=stop, raise_interrupt=False):
        noticed = time.perf_counter()
        plugins_changed = any(Path(path).resolve().is_relative_to(plugins)
                              and path.endswith(".py") for _change, path in changes)
        rebuild(plugins_changed, noticed)
