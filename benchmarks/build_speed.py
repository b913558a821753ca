"""Build time and package size: the bundled course, and generated courses of growing size.

Run: python benchmarks/build_speed.py   (not part of the tests: timings belong here, not in CI)
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from course_builder.bundled import bundled_course_dir
from course_builder.commands.build import build


def _generated(root: Path, pages: int) -> Path:
    (root / "modules" / "m").mkdir(parents=True)
    (root / "course.yaml").write_text(
        "id: https://example.org/courses/bench\ntitle: Bench\nversion: 1.0.0\nmodules: [m]\n")
    lines = ["title: M", "pages:"]
    for n in range(pages):
        lines += [f"  - id: p{n}", f"    title: Page {n}", "    blocks:",
                  "      - type: text", "        body: |",
                  "          " + "Some **Markdown** text with a [link](https://www.nhs.uk). " * 8]
        if n % 10 == 0:
            lines += ["      - type: quiz", f"        id: quiz-{n}", "        questions:"]
            for q in range(5):
                lines += [f"          - id: q{n}-{q}", "            kind: single",
                          "            prompt: Which?", "            options:",
                          "              - {text: A, correct: true}", "              - {text: B}"]
    (root / "modules" / "m" / "module.yaml").write_text("\n".join(lines) + "\n")
    return root


def _time(course: Path, runs: int = 5) -> tuple[float, list[int]]:
    times, sizes = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            result = build(course, Path(out))
            times.append(time.perf_counter() - started)
            sizes = [size for _, _, size in result.packages]
    return statistics.median(times), sizes


def main() -> None:
    seconds, sizes = _time(bundled_course_dir())
    print(f"bundled course: {seconds:.3f} s (median of 5), zips {[s // 1024 for s in sizes]} KiB")
    for pages in (50, 100, 200, 400):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, sizes = _time(_generated(Path(tmp), pages), runs=3)
            print(f"{pages:4d} pages: {seconds:.3f} s, {seconds / pages * 1000:.2f} ms/page, "
                  f"zips {[s // 1024 for s in sizes]} KiB")


if __name__ == "__main__":
    main()
