"""Where a build's time goes: ``python -m benchmarks.profile [bundled|10|100|1000|quiz ...]``.

For each course: a cold ``course-builder build`` (every format) under cProfile in a new process,
and ``-X importtime`` for the imports; prints the functions with the most cumulative and own
time, and the imports that cost most. ``--out DIR`` keeps the ``.prof`` files (for snakeviz or
``python -m pstats``). This is the tool behind benchmarks/PROFILE.md.
"""

from __future__ import annotations

import argparse
import io
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from benchmarks import builds
from benchmarks.generate import generate_course, generate_quiz_course
from benchmarks.run import all_formats, copy_bundled


def _course(name: str, work: Path) -> Path:
    if name == "bundled":
        return copy_bundled(work / "bundled")
    if name == "quiz":
        return generate_quiz_course(work / "quiz", 900)
    return generate_course(work / f"gen-{name}", int(name))


def _build_args(course: Path, out: Path) -> list[str]:
    args = ["build", str(course), "--out", str(out)]
    for name in all_formats():
        args += ["-f", name]
    return args


# cProfile with the process's CPU clock, not the wall clock: on a busy machine the time the
# process spends waiting for a core would otherwise be charged to whatever function was running.
_PROFILED_RUN = """
import cProfile, runpy, sys, time
profiler = cProfile.Profile(time.process_time)
sys.argv = ["course-builder", *sys.argv[2:]]
profiler.enable()
try:
    runpy.run_module("course_builder", run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
profiler.disable()
profiler.dump_stats(PROF)
sys.exit(code)
"""


def profile(course: Path, work: Path, top: int) -> str:
    """cProfile (CPU time) of one cold build in a new process; the top functions as text."""
    prof = work / f"{course.name}.prof"
    command = [sys.executable, "-c", _PROFILED_RUN.replace("PROF", repr(str(prof))), "-",
               *_build_args(course, work / "out")]
    subprocess.run(command, cwd=work, env=builds.environment(), check=True,
                   capture_output=True)
    text = io.StringIO()
    stats = pstats.Stats(str(prof), stream=text)
    stats.strip_dirs()
    text.write(f"== {course.name}: cumulative\n")
    stats.sort_stats("cumulative").print_stats(top)
    text.write(f"== {course.name}: own time\n")
    stats.sort_stats("tottime").print_stats(top)
    return text.getvalue()


def import_times(course: Path, work: Path, top: int) -> str:
    """``-X importtime`` of the same command: the slowest imports, cumulative, by module."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "course_builder",
                           *_build_args(course, work / "out-imports")], cwd=work,
                          env=builds.environment(), capture_output=True, text=True, check=True)
    rows = []
    by_package: dict[str, int] = defaultdict(int)
    for line in proc.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if not found:
            continue
        own, cumulative, indent, name = found.groups()
        rows.append((int(cumulative), len(indent), name))
        by_package[name.split(".")[0]] += int(own)
    total = sum(by_package.values())
    out = [f"== imports: {total / 1000:.0f} ms in all (own time by top-level package)"]
    for name, micros in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
        out.append(f"{micros / 1000:8.1f} ms  {name}")
    out.append("== slowest single imports (cumulative)")
    for cumulative, depth, name in sorted(rows, reverse=True)[:top]:
        out.append(f"{cumulative / 1000:8.1f} ms  {'  ' * (depth // 2)}{name}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("courses", nargs="*", default=["bundled", "1000", "quiz"],
                        help="bundled, a page count (10, 100, 1000) or quiz")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", type=Path, help="keep the .prof files here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cb-profile-") as tmp:
        work = args.out or Path(tmp)
        shutil.rmtree(work / "courses", ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        for name in args.courses:
            course = _course(name, work / "courses")
            print(import_times(course, work, args.top))
            print(profile(course, work, args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
