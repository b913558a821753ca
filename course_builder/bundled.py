"""Where the bundled example course lives: inside the wheel, or at the checkout's root."""

from __future__ import annotations

from pathlib import Path


def bundled_course_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "_bundled_course"
    return packaged if (packaged / "course.yaml").is_file() else here.parent


def default_course_dir() -> Path:
    """The current folder when it holds a course, else the bundled course."""
    cwd = Path.cwd()
    return cwd if (cwd / "course.yaml").is_file() else bundled_course_dir()
