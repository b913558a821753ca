"""The preview's rebuild after a one-file edit, on the bundled course.

Run: python benchmarks/preview_rebuild.py   (timings belong here, never in tests)

Measures, over several edits of one module.yaml in a copy of the bundled course:
- the rebuild itself (load, validate, render, then one simulator mode's page), split by stage;
- from the file being written to the page being told a new build is ready (watchfiles noticing
  the save, the rebuild, the Server-Sent Event): what an author waits for, less the browser's
  reload;
- the safe-messaging check that runs after the new build is already shown.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from course_builder.bundled import bundled_course_dir
from course_builder.diagnostics import Reporter
from course_builder.lint import lint_course
from course_builder.pipeline.load import load
from course_builder.pipeline.render import render_content, render_package
from course_builder.pipeline.resolve import resolve
from course_builder.pipeline.validate import validate
from course_builder.preview.server import PreviewServer
from course_builder.preview.watch import watch
from course_builder.registry import discover
from course_builder.targets import TARGETS

EDITS = 15
MODULE = "modules/understanding/module.yaml"


def _copy() -> Path:
    work = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    source = bundled_course_dir()
    shutil.copy(source / "course.yaml", work / "course.yaml")
    shutil.copytree(source / "modules", work / "modules")
    return work


def _edit(path: Path, n: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n").rsplit("\n# edit", 1)[0] + f"\n# edit {n}\n",
                    encoding="utf-8")


def stages(course: Path) -> dict[str, list[float]]:
    """Each stage of the preview's build, in ms, after each edit."""
    times: dict[str, list[float]] = {k: [] for k in (
        "discover", "load", "validate", "render blocks", "resolve + page (scorm12)", "total",
        "safe-messaging check (after)")}
    for n in range(EDITS):
        _edit(course / MODULE, n)
        t = [time.perf_counter()]
        reporter = Reporter()
        registry = discover(course, reporter)
        t.append(time.perf_counter())
        raw = load(course, reporter)
        t.append(time.perf_counter())
        built = validate(raw, registry, reporter)
        t.append(time.perf_counter())
        assert built is not None
        content = render_content(built, reporter)
        t.append(time.perf_counter())
        resolved = resolve(built, TARGETS["scorm12"](), reporter)
        assert resolved is not None
        render_package(resolved, content)
        t.append(time.perf_counter())
        lint_course(built, Reporter())
        t.append(time.perf_counter())
        names = list(times)
        for i, name in enumerate(names[:4]):
            times[name].append((t[i + 1] - t[i]) * 1000)
        times[names[4]].append((t[5] - t[4]) * 1000)
        times["total"].append((t[5] - t[0]) * 1000)
        times[names[6]].append((t[6] - t[5]) * 1000)
    return times


def end_to_end(course: Path) -> list[float]:
    """ms from writing the file to the page being sent the new build's status."""
    server = PreviewServer(course, echo=lambda _text: None)
    server.rebuild()
    events = server.subscribe()
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(course, lambda p, _n: server.rebuild(p), stop),
                               daemon=True)
    watcher.start()
    time.sleep(0.5)  # let watchfiles start watching
    waits = []
    for n in range(EDITS):
        while not events.empty():
            events.get()
        before = server.latest.number if server.latest else 0
        started = time.perf_counter()
        _edit(course / MODULE, 100 + n)
        while True:
            event, data = events.get(timeout=10)  # type: ignore[misc]
            if event == "status" and json.loads(data)["build"] > before:
                waits.append((time.perf_counter() - started) * 1000)
                break
        time.sleep(0.6)  # let the check after the build finish before the next edit
    stop.set()
    watcher.join(timeout=5)
    server.httpd.server_close()
    return waits


def main() -> None:
    course = _copy()
    try:
        discover(course, Reporter())  # warm: imports and template compilation, once a session
        print(f"Bundled course, one edit of {MODULE}, {EDITS} edits (median, min-max ms):")
        for name, values in stages(course).items():
            print(f"  {name:32} {statistics.median(values):6.1f}  "
                  f"({min(values):.1f}-{max(values):.1f})")
        waits = end_to_end(course)
        print(f"  {'save -> page told (watch+build)':32} {statistics.median(waits):6.1f}  "
              f"({min(waits):.1f}-{max(waits):.1f})")
    finally:
        shutil.rmtree(course, ignore_errors=True)


if __name__ == "__main__":
    main()
