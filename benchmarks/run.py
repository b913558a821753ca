"""``python -m benchmarks``: build speed, package size and browser figures, beside their floor.

    python -m benchmarks                 the full run (several minutes on 2 cores)
    python -m benchmarks --quick         bundled course, 10 and 100 pages, all formats only
    python -m benchmarks --json out.json also write every figure and every run as JSON

See benchmarks/README.md for what each figure means and how it is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import builds, packages, report
from benchmarks.generate import generate_course, generate_quiz_course

SIZES = (10, 100, 1000)
QUIZ_QUESTIONS = 900


@dataclass
class Plan:
    """What to measure, and how many times."""

    sizes: tuple[int, ...] = SIZES
    quiz: bool = True
    per_format: bool = True
    cold_runs: int = 5
    cold_runs_large: int = 3  # courses of 1,000 pages and the big quiz
    warm_runs: int = 5
    warm_runs_large: int = 3
    warm_runs_large_per_format: int = 1  # one format at a time, on the large courses
    floor_runs: int = 9
    browser: bool = True
    first_page_runs: int = 5
    walks: bool = True


QUICK = Plan(sizes=(10, 100), quiz=False, per_format=False, cold_runs=3, cold_runs_large=1,
             warm_runs=3, warm_runs_large=1, warm_runs_large_per_format=1, floor_runs=5,
             first_page_runs=3, walks=False)


@dataclass
class Course:
    key: str  # "bundled", "10 pages", ...
    path: Path
    edit: str  # the module.yaml the one-file edit changes, relative to the course
    pages: int = 0
    large: bool = False
    results: dict[str, Any] = field(default_factory=dict)


def all_formats() -> list[str]:
    """Every output format course-builder has, in its own order."""
    from course_builder.targets import TARGETS

    return list(TARGETS)


def copy_bundled(dest: Path) -> Path:
    """A copy of the bundled course (course.yaml and modules/), so edits never touch it:
    the course itself, without its example variants (``python -m benchmarks.variants``
    measures those), so that its figures compare with earlier runs."""
    import yaml

    from course_builder.bundled import bundled_course_dir

    source = bundled_course_dir()
    dest.mkdir(parents=True)
    config = yaml.safe_load((source / "course.yaml").read_text(encoding="utf-8"))
    config.pop("variants", None)
    (dest / "course.yaml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                                      encoding="utf-8")
    shutil.copytree(source / "modules", dest / "modules")
    for extra in ("safe-messaging.yaml",):
        if (source / extra).is_file():
            shutil.copy2(source / extra, dest / extra)
    return dest


def _first_module(course: Path) -> str:
    import yaml

    config = yaml.safe_load((course / "course.yaml").read_text(encoding="utf-8"))
    return f"modules/{config['modules'][0]}/module.yaml"


def _page_count(zip_path: Path) -> int:
    """Pages of a built package (from the course data the runtime reads)."""
    with zipfile.ZipFile(zip_path) as archive:
        html = archive.read("index.html").decode("utf-8")
    found = re.search(r'<script type="application/json" id="cb-course">(.*?)</script>', html, re.S)
    if not found:
        raise builds.BenchmarkError(f"{zip_path.name}: no course data in index.html")
    return len(json.loads(found.group(1))["pages"])


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_course(course: Course, plan: Plan, work: Path, formats: list[str]) -> None:
    cold_runs = plan.cold_runs_large if course.large else plan.cold_runs
    warm_runs = plan.warm_runs_large if course.large else plan.warm_runs
    sets: dict[str, list[str]] = {"all": formats}
    if plan.per_format:
        sets.update({name: [name] for name in formats})
    for name, chosen in sets.items():
        _say(f"  {course.key}: cold build, {name} ({cold_runs} runs)")
        runs, zips = builds.cold(course.path, chosen, work, cold_runs)
        if not course.pages:
            course.pages = _page_count(zips[0])
        zip_floor = builds.floor_zips(zips, work, plan.floor_runs)
        course.results[name] = {
            "formats": chosen, "cold": runs.as_json(), "zip_floor": zip_floor.as_json(),
            "packages": [packages.stats(z) for z in zips],
        }
    per_format = plan.warm_runs_large_per_format if course.large else warm_runs
    warm_sets = {name: {"formats": chosen, "runs": warm_runs if name == "all" else per_format,
                        "traced": name == "all"} for name, chosen in sets.items()}
    _say(f"  {course.key}: warm rebuilds in one process ({warm_runs} runs, {per_format} per "
         "single format)")
    warm = builds.warm(course.path, warm_sets, course.edit, work)
    for name, figures in warm["sets"].items():
        course.results[name]["warm"] = figures
    course.results["_import_seconds"] = warm["import_seconds"]


def measure_browser(plan: Plan, zips: dict[str, dict[str, Path]], bundled: str,
                    large: str | None) -> dict[str, Any]:
    """First page times and LMS walks; ``zips``: course key -> format -> package."""
    from benchmarks import browser

    gone = browser.missing()
    if gone:
        return {"missing": gone}
    out: dict[str, Any] = {"first_page": {}, "walks": {}}
    alone = "web" if "web" in zips[bundled] else "scorm12"
    cases = [("bundled, SCORM 1.2 in the LMS", bundled, "scorm12", "1.2"),
             ("bundled, SCORM 2004 in the LMS", bundled, "scorm2004", "2004"),
             (f"bundled, {alone} on its own (no LMS)", bundled, alone, None)]
    if large is not None:
        cases.append((f"{large}, SCORM 1.2 in the LMS", large, "scorm12", "1.2"))
    with browser.chromium() as chromium:
        for label, key, fmt, lms in cases:
            _say(f"  browser: first page, {label} ({plan.first_page_runs} runs)")
            figures = browser.first_page(chromium, zips[key][fmt], lms, plan.first_page_runs)
            figures.update(course=key, format=fmt, lms=lms)
            out["first_page"][label] = figures
        if plan.walks:
            for fmt, version in (("scorm12", "1.2"), ("scorm2004", "2004")):
                _say(f"  browser: full walk of the bundled course, SCORM {version}")
                out["walks"][fmt] = browser.lms_walk(chromium, zips[bundled][fmt], version)
    return out


def _build_for_browser(course: Course, work: Path, formats: list[str]) -> dict[str, Path]:
    """The SCORM 1.2 and 2004 (and web) zips of a course, built once into work/browser/."""
    out = work / "browser" / re.sub(r"[^a-z0-9]+", "-", course.key)
    out.mkdir(parents=True)
    wanted: list[str] = [name for name in ("scorm12", "scorm2004", "web") if name in formats]
    _, zips = builds.cold(course.path, wanted, out, 1)
    return {packages.target_of(z): z for z in zips}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=builds.BENCH_ROOT,
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    import course_builder

    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}",
            "course_builder": course_builder.__version__, "commit": commit,
            "load_before": list(os.getloadavg())}


def run(plan: Plan, keep: Path | None) -> dict[str, Any]:
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="cb-bench-")) if keep is None else keep
    if keep is not None and keep.exists():
        shutil.rmtree(keep)
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "plan": plan.__dict__.copy()}
    try:
        formats = all_formats()
        results["formats"] = formats
        _say("floor: Python start-up and imports")
        startup = builds.floor_startup(plan.floor_runs)
        results["floor"] = {name: r.as_json() for name, r in startup.items()}

        courses = [Course("bundled", copy_bundled(work / "courses" / "bundled"), "")]
        for pages in plan.sizes:
            path = generate_course(work / "courses" / f"gen-{pages}", pages)
            courses.append(Course(f"{pages} pages", path, "", pages, large=pages >= 1000))
        if plan.quiz:
            path = generate_quiz_course(work / "courses" / f"quiz-{QUIZ_QUESTIONS}",
                                        QUIZ_QUESTIONS)
            courses.append(Course(f"{QUIZ_QUESTIONS}-question quiz", path, "", large=True))
        for course in courses:
            course.edit = _first_module(course.path)
            _say(f"{course.key}: {course.path}")
            scratch = work / "scratch" / re.sub(r"[^a-z0-9]+", "-", course.key)
            scratch.mkdir(parents=True)
            measure_course(course, plan, scratch, formats)
        results["courses"] = {c.key: {"pages": c.pages, "path": str(c.path), "edit": c.edit,
                                      **c.results} for c in courses}

        if plan.browser:
            _say("browser")
            large = next((c for c in courses if c.pages >= 1000), None)
            zips = {c.key: _build_for_browser(c, work, formats)
                    for c in [courses[0], large] if c}
            try:
                results["browser"] = measure_browser(plan, zips, courses[0].key,
                                                     large.key if large else None)
            except Exception as exc:  # a browser failure must not lose the build figures
                results["browser"] = {"failed": f"{type(exc).__name__}: {exc}",
                                      "traceback": traceback.format_exc()}
        else:
            results["browser"] = {"skipped": "--no-browser"}
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_after"] = list(os.getloadavg())
    results["seconds"] = time.perf_counter() - started
    results["targets"] = report.targets(results)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Build speed, package size and browser figures of course_builder, each "
                    "beside its floor (what cannot be avoided), with the issue's targets.")
    parser.add_argument("--quick", action="store_true",
                        help="a fast run: bundled course, 10 and 100 pages, all formats "
                             "together, fewer runs, no LMS walks")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write all results here")
    parser.add_argument("--sizes", help="generated course sizes, e.g. 10,100,1000")
    parser.add_argument("--runs", type=int, help="runs per cold and warm figure")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the generated courses and builds in DIR (emptied first)")
    args = parser.parse_args(argv)

    plan = Plan(**QUICK.__dict__) if args.quick else Plan()
    if args.sizes:
        plan.sizes = tuple(int(s) for s in args.sizes.split(","))
    if args.runs:
        plan.cold_runs = plan.cold_runs_large = plan.warm_runs = plan.warm_runs_large = args.runs
        plan.warm_runs_large_per_format = args.runs
    if args.no_browser:
        plan.browser = False

    results = run(plan, args.keep)
    print(report.render(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n",
                             encoding="utf-8")
        _say(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
