"""The benchmark's course generator keeps producing courses that build (no timings here: those
live in ``python -m benchmarks``)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import yaml

from benchmarks.generate import generate_course, generate_quiz_course
from benchmarks.packages import stats
from course_builder.commands.build import build
from course_builder.registry import builtin_plugins_dir
from course_builder.targets import TARGETS


def _block_types(course: Path) -> set[str]:
    found = set()
    for module in course.glob("modules/*/module.yaml"):
        for page in yaml.safe_load(module.read_text(encoding="utf-8"))["pages"]:
            found |= {block["type"] for block in page["blocks"]}
    return found


def test_ten_pages_use_every_built_in_type_and_build_in_every_format(tmp_path: Path) -> None:
    course = generate_course(tmp_path / "course", 10)
    built_ins = {p.parent.name for p in builtin_plugins_dir().glob("*/plugin.py")}
    assert _block_types(course) == built_ins

    result = build(course, tmp_path / "out", list(TARGETS), False)

    assert sorted(name for name, _, _ in result.packages) == sorted(TARGETS)
    assert len(result.course.pages) == 10
    for name, path, _ in result.packages:
        with zipfile.ZipFile(path) as archive:
            html = archive.read("index.html").decode("utf-8")
            names = archive.namelist()
        assert set(re.findall(r'data-type="([a-z_]+)"', html)) == built_ins
        for kind in ("png", "svg"):  # as files, or inlined (the one-file handout)
            assert any(n.endswith("." + kind) for n in names) or f"data:image/{kind}" in html
        figures = stats(path)
        assert figures["files"] == len(names) and figures["format"] == name


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    first = generate_course(tmp_path / "a", 12)
    second = generate_course(tmp_path / "b", 12)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    assert len(list(first.glob("modules/*/module.yaml"))) == 2


def test_the_quiz_course_builds_with_a_bank(tmp_path: Path) -> None:
    course = generate_quiz_course(tmp_path / "quiz", questions=12)

    result = build(course, tmp_path / "out", ["scorm12"], False)

    quiz = next(b for b in result.course.blocks if b.type == "quiz")
    assert len(quiz.data.questions) == 12
    kinds = {q.kind for q in quiz.data.questions}
    assert kinds == {"single", "multiple", "true_false", "matching", "ordering", "numeric"}
