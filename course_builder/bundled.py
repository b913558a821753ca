"""Where the bundled example course lives: inside the wheel, or at the checkout's root.

Commands never fall back to it silently: a folder without ``course.yaml`` is refused, and the
example is built only when asked for by name (``course-builder build --example``), so nobody
hands the example to a trust believing it is their own course.
"""

from __future__ import annotations

from pathlib import Path


def bundled_course_dir() -> Path:
    """The example course that comes with course-builder."""
    here = Path(__file__).resolve().parent
    packaged = here / "_bundled_course"
    return packaged if (packaged / "course.yaml").is_file() else here.parent


def default_course_dir() -> Path:
    """The current folder when it holds a course, else the bundled course.

    Only for commands that read a course to describe something (``plugins``,
    ``decode-state``); commands that build or check a course use
    ``commands._options.course_dir_or_default``, which refuses instead."""
    cwd = Path.cwd()
    return cwd if (cwd / "course.yaml").is_file() else bundled_course_dir()
