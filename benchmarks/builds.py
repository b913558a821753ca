"""Build timings: cold (the ``course-builder`` command in a new process), warm (in process, see
worker.py) and the floor (what any Python tool that imports the same libraries and writes the
same zips would pay)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import packages

BENCH_ROOT = Path(__file__).resolve().parent.parent
#: What the floor's process imports: the libraries every build needs before it can do anything.
FLOOR_IMPORTS = "import jinja2, lxml.etree, click"


class BenchmarkError(RuntimeError):
    """A build the benchmark ran failed; the message holds its output."""


@dataclass
class Runs:
    """Repeated measurements of one thing: wall seconds, CPU seconds, peak RSS (KiB)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    maxrss_kib: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = asdict(self)
        out["median"] = self.median
        out["min"], out["max"] = min(self.wall), max(self.wall)
        if self.cpu:
            out["cpu_median"] = self.cpu_median
        if self.maxrss_kib:
            out["maxrss_kib_max"] = max(self.maxrss_kib)
        return out


def cli_command() -> list[str]:
    """The installed ``course-builder`` script beside this Python, else ``python -m``."""
    script = Path(sys.executable).with_name("course-builder")
    if script.is_file():
        return [str(script)]
    found = shutil.which("course-builder")
    return [found] if found else [sys.executable, "-m", "course_builder"]


def environment() -> dict[str, str]:
    """The environment of every build: the same "today" every year (see generate.py)."""
    from benchmarks.generate import REFERENCE_DAY

    env = dict(os.environ)
    env["COURSE_BUILDER_TODAY"] = REFERENCE_DAY
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run ``command`` to the end; wall seconds, the child's CPU seconds and peak RSS (KiB)."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=output,
                                stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise BenchmarkError(f"{' '.join(command)} exited with {proc.returncode}:\n{text}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, text


def cold(course: Path, formats: list[str], work: Path, runs: int) -> tuple[Runs, list[Path]]:
    """``course-builder build COURSE -o OUT -f ...`` in a new process, ``runs`` times, each
    into an empty folder. Returns the runs and the zips of the last one."""
    result = Runs()
    env = environment()
    out = work / "cold-out"
    command = cli_command() + ["build", str(course), "--out", str(out)]
    for name in formats:
        command += ["-f", name]
    for _ in range(runs):
        if out.exists():
            shutil.rmtree(out)
        wall, cpu, rss, _ = _run(command, work, env)
        result.wall.append(wall)
        result.cpu.append(cpu)
        result.maxrss_kib.append(rss)
    return result, sorted(out.glob("*.zip"))


def floor_startup(runs: int) -> dict[str, Runs]:
    """A new Python process that only starts (``pass``), and one that imports jinja2, lxml and
    click: what any tool built on them pays before its first line of work."""
    env = environment()
    found = {"python": Runs(), "imports": Runs()}
    for _ in range(runs):
        for name, code in (("python", "pass"), ("imports", FLOOR_IMPORTS)):
            wall, cpu, rss, _ = _run([sys.executable, "-c", code], BENCH_ROOT, env)
            found[name].wall.append(wall)
            found[name].cpu.append(cpu)
            found[name].maxrss_kib.append(rss)
    return found


def floor_zips(zips: list[Path], work: Path, runs: int) -> Runs:
    """Writing the same entries (same bytes, compression method and level) to new zips."""
    contents = [packages.read_entries(z) for z in zips]
    result = Runs()
    target = work / "floor.zip"
    for _ in range(runs):
        started = time.perf_counter()
        cpu_started = time.process_time()
        for entries in contents:
            packages.write_like(entries, target)
        result.wall.append(time.perf_counter() - started)
        result.cpu.append(time.process_time() - cpu_started)
    target.unlink(missing_ok=True)
    return result


def warm(course: Path, format_sets: dict[str, dict[str, Any]], edit: str,
         work: Path) -> dict[str, Any]:
    """Warm and edited rebuilds in one fresh process (see benchmarks/worker.py for
    ``format_sets``)."""
    spec = work / "worker-spec.json"
    spec.write_text(json.dumps({"course": str(course), "out": str(work / "warm-out"),
                                "edit": edit, "format_sets": format_sets}),
                    encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "benchmarks.worker", str(spec)],
                          cwd=BENCH_ROOT, env=environment(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchmarkError(f"warm builds of {course} failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout)
