"""The preview's build: what ``course-builder build`` does, minus what a browser does not need.

Rebuilt after every save, so it must be quick: the course is loaded, validated and its blocks
rendered once; each simulator mode (a package format) is then resolved and wrapped in its page
shell only when the simulator asks for it, in memory. No zip, no manifest, no control documents.
The safe-messaging lint runs after the new build is served (``check``): it only ever warns, and
on a large course it takes longer than the build itself.

A save that breaks the course gives a failed snapshot with every error; the server keeps serving
the last good one.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_builder.diagnostics import Diagnostic, Level, Reporter
from course_builder.lint import lint_course
from course_builder.model import Course
from course_builder.pipeline.load import load
from course_builder.pipeline.render import RenderedContent, render_content, render_package
from course_builder.pipeline.resolve import resolve
from course_builder.pipeline.validate import validate
from course_builder.registry import discover
from course_builder.targets import TARGETS

#: Simulator modes: the package format each runs, and what the page calls it.
PREVIEW_FORMATS: dict[str, str] = {
    "scorm12": "SCORM 1.2",
    "scorm2004": "SCORM 2004",
    "cmi5": "cmi5",
    "web": "No LMS (web)",
}


@dataclass
class Snapshot:
    """One build of the course: usable (``course`` set) or failed (``errors``)."""

    number: int
    root: Path
    course: Course | None = None
    content: RenderedContent | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    check_seconds: float | None = None  # the lint, once it has run
    _files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    _format_errors: dict[str, list[Diagnostic]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def ok(self) -> bool:
        return self.course is not None

    def files(self, fmt: str) -> tuple[dict[str, bytes] | None, list[Diagnostic]]:
        """The package files of one simulator mode, rendered on first use; or its errors."""
        with self._lock:
            if fmt not in self._files and fmt not in self._format_errors:
                self._render(fmt)
            return self._files.get(fmt), self._format_errors.get(fmt, [])

    def _render(self, fmt: str) -> None:
        assert self.course is not None and self.content is not None
        reporter = Reporter()
        resolved = resolve(self.course, TARGETS[fmt](), reporter)
        errors = [d for d in reporter.diagnostics if d.level is Level.ERROR]
        if resolved is None or errors:
            self._format_errors[fmt] = errors
            return
        self._files[fmt] = render_package(resolved, self.content)

    def to_json(self) -> dict[str, Any]:
        """What the simulator page is told about this build."""
        config = self.course.config if self.course else None
        return {
            "build": self.number,
            "ok": self.ok,
            "ms": round(self.seconds * 1000),
            "checkMs": None if self.check_seconds is None else round(self.check_seconds * 1000),
            "diagnostics": [diagnostic_json(d, self.root) for d in self.diagnostics],
            "formatErrors": {fmt: [diagnostic_json(d, self.root) for d in errors]
                             for fmt, errors in self._format_errors.items()},
            "course": None if config is None else {
                "id": config.id, "title": config.title, "version": config.version,
                "outputs": list(config.outputs),
                "passMark": config.passing.pass_mark if config.passing else None,
            },
        }


def diagnostic_json(diagnostic: Diagnostic, root: Path) -> dict[str, Any]:
    location = diagnostic.location
    return {
        "level": diagnostic.level.value,
        "text": diagnostic.format(root),
        "where": location.display(root) if location else "",
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }


def _forget_local_plugins(course_dir: Path) -> None:
    """The registry imports a course's plugin.py once per process; drop those modules so an
    edited plugin.py is imported again."""
    folder = (course_dir / "plugins").resolve()
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name.startswith("course_builder._loaded_plugins.") and path and \
                Path(path).resolve().is_relative_to(folder):
            del sys.modules[name]


class PreviewBuilder:
    """Builds a course for the preview, numbering each build."""

    def __init__(self, course_dir: Path) -> None:
        self.course_dir = course_dir
        self.count = 0

    def build(self, fmt: str | None = None, plugins_changed: bool = False) -> Snapshot:
        """Load, validate and render the course; with ``fmt``, also that mode's files."""
        started = time.perf_counter()
        self.count += 1
        snapshot = Snapshot(self.count, self.course_dir)
        reporter = Reporter()
        if plugins_changed:
            _forget_local_plugins(self.course_dir)
        course: Course | None = None
        content: RenderedContent | None = None
        try:
            registry = discover(self.course_dir, reporter)
            raw = load(self.course_dir, reporter)
            course = validate(raw, registry, reporter) if raw is not None else None
            content = render_content(course, reporter) if course is not None else None
        except Exception as exc:  # a plugin's bug: report it, keep the last good build up
            traceback.print_exc()
            reporter.error(f"{type(exc).__name__}: {exc}",
                           hint="a plugin failed unexpectedly; the traceback is in the terminal")
            course = None
        if course is not None and content is not None and not reporter.errors:
            snapshot.course, snapshot.content = course, content
            if fmt is not None:
                snapshot.files(fmt)
        snapshot.diagnostics = reporter.sorted()
        snapshot.seconds = time.perf_counter() - started
        return snapshot

    def check(self, snapshot: Snapshot) -> None:
        """The safe-messaging lint on a good build; its warnings join the build's."""
        if snapshot.course is None:
            return
        started = time.perf_counter()
        reporter = Reporter()
        lint_course(snapshot.course, reporter)
        snapshot.diagnostics = sorted(
            snapshot.diagnostics + reporter.diagnostics,
            key=lambda d: (d.location.path.as_posix(), d.location.line, d.location.column)
            if d.location else ("", 0, 0))
        snapshot.check_seconds = time.perf_counter() - started
