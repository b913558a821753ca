"""Shared fixtures: write small courses into tmp_path and build them there (never into the repo)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseInvalid

REPO = Path(__file__).resolve().parent.parent

COURSE_YAML = """\
id: https://example.org/courses/test-course
title: Test course
version: 1.0.0
description: A course for tests.
keywords: [testing]
duration: PT10M
modules: [one]
"""

MODULE_YAML = """\
title: Module one
pages:
  - id: intro
    title: Welcome
    blocks:
      - type: text
        body: Hello.
  - id: check
    title: Check
    blocks:
      - type: quiz
        id: check-quiz
        questions:
          - id: q1
            kind: single
            prompt: Pick A
            options:
              - text: A
                correct: true
              - text: B
          - id: q2
            kind: true_false
            prompt: The sky is blue.
            answer: true
"""

WriteCourse = Callable[..., Path]


@pytest.fixture
def write_course(tmp_path: Path) -> WriteCourse:
    """Write a course: ``write_course(files={"modules/one/module.yaml": "..."})``.

    Defaults to a two-page course; any file given replaces the default of that name.
    """

    def write(files: dict[str, str] | None = None, name: str = "course") -> Path:
        root = tmp_path / name
        contents = {"course.yaml": COURSE_YAML, "modules/one/module.yaml": MODULE_YAML}
        contents.update(files or {})
        for relative, text in contents.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return write


def errors_of(course_dir: Path, strict: bool = False) -> list[str]:
    """The formatted diagnostics a course produces, relative to its folder."""
    try:
        load_course(course_dir, Reporter(strict=strict))
    except CourseInvalid as exc:
        return [d.format(course_dir) for d in exc.diagnostics]
    return []


@pytest.fixture
def build_course(tmp_path: Path) -> Callable[..., list[Path]]:
    def run(course_dir: Path, formats: list[str] | None = None) -> list[Path]:
        result = build(course_dir, tmp_path / "out", formats)
        return [path for _, path, _ in result.packages]

    return run


# One headless Chromium per test session, shared by every browser test (tests/e2e/harness.py).
from tests.e2e.harness import browser  # noqa: E402,F401
