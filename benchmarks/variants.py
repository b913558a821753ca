"""Variants: the build time of every variant in every format, against one variant alone.

    python -m benchmarks.variants [--runs N] [--pages N] [--course DIR]

Builds the bundled course (two example variants, every format in its ``outputs``) and a
generated course of ``--pages`` pages given the same two variants, each in a new
``course-builder build`` process (cold, as an author runs it), and prints for each:

- every variant, as ``course-builder build`` does it: in parallel (one forked process per
  variant) on a machine with more than one core, for courses of 200 pages or more
  (``PARALLEL_PAGES`` in ``course_builder/commands/build.py``), else one after another;
- every variant, one after another (the same build with one core: ``os.cpu_count`` is 1);
- one variant alone (``--variant``);

the wall time (the least and the median of ``--runs``) and the CPU time of the build and its
workers (median). It also times the stages inside one process, so that it is plain how much of
the work is shared (parsed, validated and linted once, whatever the number of variants) and how
much is done again for each variant (derived, resolved, rendered, packaged).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import REFERENCE_DAY, generate_course

REPO = Path(__file__).resolve().parent.parent
VARIANTS = """\
variants:
  - id: northmoor
    name: Northmoor (generated)
    support:
      before:
        - name: Northmoor line (fictional)
          contact: "01632 960001"
  - id: southvale
    name: Southvale (generated)
    support:
      after:
        - name: Southvale line (fictional)
          contact: "01632 960002"
"""
#: Run in the build's process: one core, so the variants are packaged one after another.
ONE_CORE = ("import os, sys; os.cpu_count = lambda: 1; "
            "from course_builder.cli import main; sys.exit(main())")


def generated(pages: int, where: Path) -> Path:
    root = where / f"course-{pages}"
    generate_course(root, pages)
    with (root / "course.yaml").open("a", encoding="utf-8") as handle:
        handle.write(VARIANTS)
    return root


def cold(command: list[str], runs: int) -> tuple[float, float, float]:
    """(least wall, median wall, median CPU) seconds of ``command`` in new processes."""
    walls, cpus = [], []
    env = dict(os.environ, COURSE_BUILDER_TODAY=REFERENCE_DAY)
    for _ in range(runs):
        out = tempfile.mkdtemp(prefix="cb-variants-")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([*command, "-o", out], check=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        shutil.rmtree(out)
    return min(walls), statistics.median(walls), statistics.median(cpus)


def stages(course: Path) -> dict[str, float]:
    """CPU seconds of each stage in this process (warm: run twice, the second counted)."""
    os.environ["COURSE_BUILDER_TODAY"] = REFERENCE_DAY
    from course_builder.commands.build import BuildUnit, package_unit
    from course_builder.diagnostics import Reporter
    from course_builder.lint import lint_course
    from course_builder.pipeline.load import load
    from course_builder.pipeline.render import render_content
    from course_builder.pipeline.resolve import resolve
    from course_builder.pipeline.validate import validate
    from course_builder.registry import discover
    from course_builder.targets import TARGETS
    from course_builder.variants import derive_variants

    figures: dict[str, float] = {}
    for _ in range(2):
        clock = time.process_time
        reporter = Reporter()
        start = clock()
        registry = discover(course, reporter)
        raw = load(course, reporter)
        assert raw is not None
        base = validate(raw, registry, reporter)
        assert base is not None
        lint_course(raw, reporter)
        shared = clock()
        variants = derive_variants(base, registry, reporter)
        derived = clock()
        units = [BuildUnit(v.course, [resolve(v.course, TARGETS[n](), reporter)  # type: ignore[misc]
                                      for n in base.config.outputs], folder=v.variant.id)
                 for v in variants]
        for unit in units:
            unit.content = render_content(unit.course, reporter)
        rendered = clock()
        with tempfile.TemporaryDirectory() as temp:
            for unit in units:
                package_unit(unit, Path(temp))
        packaged = clock()
        figures = {"shared: load, validate, lint": shared - start,
                   f"derive {len(variants)} variants": derived - shared,
                   "resolve and render, each variant": (rendered - derived) / len(units),
                   "package every format, each variant": (packaged - rendered) / len(units)}
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        courses = {"bundled course": REPO,
                   f"{args.pages} pages": generated(args.pages, Path(work))}
        build = [sys.executable, "-m", "course_builder", "build"]
        for label, course in courses.items():
            print(f"{label} ({course}), load average {os.getloadavg()[0]:.1f}:")
            for name, command in (
                    ("every variant (as built)", [*build, str(course)]),
                    ("every variant, one core", [sys.executable, "-c", ONE_CORE, "build",
                                                 str(course)]),
                    ("one variant", [*build, str(course), "--variant", "northmoor"])):
                least, median, cpu = cold(command, args.runs)
                print(f"  {name:28s} wall {least:.2f} s (median {median:.2f} s), "
                      f"CPU {cpu:.2f} s")
            for name, seconds in stages(course).items():
                print(f"  {name:36s} {seconds * 1000:7.0f} ms CPU")


if __name__ == "__main__":
    main()
