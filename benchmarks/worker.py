"""Warm rebuilds, in one process: ``python -m benchmarks.worker SPEC.json`` prints JSON.

Run by benchmarks/builds.py in a fresh process per course, so the benchmark's own imports
(Playwright and the like) and other courses' caches never colour the figures. SPEC holds::

    {"course": "/path/to/course", "out": "/tmp/dir",
     "edit": "modules/x/module.yaml",          # the file the one-file edit changes
     "format_sets": {"all": {"formats": ["scorm12", ...], "runs": 5, "traced": true},
                     "scorm12": {"formats": ["scorm12"], "runs": 3, "traced": false}, ...}}

For each format set, after one build that is not counted: ``runs`` rebuilds of the unchanged
course ("warm"), then ``runs`` rebuilds each after changing one title in ``edit`` ("edit"); wall
and CPU time of each. Then, for sets with ``traced``, one more build under tracemalloc for its
peak (Python allocations only: lxml's and other C libraries' own memory is not traced). Every
build goes through the public entry point
``course_builder.commands.build.build(course_dir, out_dir, formats, strict)``.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

# A title written as a plain scalar (no quotes, colon or comment), so the edit stays valid YAML.
_TITLE = re.compile(r"^(\s*(?:- )?title: )([A-Za-z0-9][^:#'\"\n]*)$", re.M)


def edit_once(path: Path, n: int) -> None:
    """Change the first plain title in ``path`` (a module.yaml), as an author would."""
    text = path.read_text(encoding="utf-8")
    match = _TITLE.search(text)
    if match is None:
        raise SystemExit(f"benchmark: no title to edit in {path}")
    title = re.sub(r" \(edit \d+\)$", "", match.group(2).strip())
    new = f"{match.group(1)}{title} (edit {n})"
    path.write_text(text[:match.start()] + new + text[match.end():], encoding="utf-8")


def _timed(build: Any, course: Path, out: Path, formats: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one build into an empty ``out``."""
    if out.exists():
        shutil.rmtree(out)
    started, cpu = time.perf_counter(), time.process_time()
    build(course, out, formats, False)
    return time.perf_counter() - started, time.process_time() - cpu


def _summary(runs: list[tuple[float, float]]) -> dict[str, Any]:
    wall, cpu = [w for w, _ in runs], [c for _, c in runs]
    return {"median": statistics.median(wall), "min": min(wall), "max": max(wall),
            "cpu_median": statistics.median(cpu), "runs": wall, "cpu": cpu}


def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    course, out = Path(spec["course"]), Path(spec["out"])
    edit = course / spec["edit"]

    started = time.perf_counter()
    from course_builder.commands.build import build
    result: dict[str, Any] = {"import_seconds": time.perf_counter() - started, "sets": {}}

    edits = 0
    sets = spec["format_sets"]
    for name, chosen in sets.items():
        formats, runs = chosen["formats"], int(chosen["runs"])
        first = _timed(build, course, out, formats)
        warm = [_timed(build, course, out, formats) for _ in range(runs)]
        edited = []
        for _ in range(runs):
            edits += 1
            edit_once(edit, edits)
            edited.append(_timed(build, course, out, formats))
        result["sets"][name] = {"first": first[0], "warm": _summary(warm),
                                "edit": _summary(edited)}
    for name, chosen in sets.items():
        if not chosen.get("traced"):
            continue
        tracemalloc.start()
        try:
            _timed(build, course, out, chosen["formats"])
            result["sets"][name]["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    shutil.rmtree(out, ignore_errors=True)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
