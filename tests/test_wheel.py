"""The wheel: built-in plugins and the bundled course inside course_builder/, no top-level
`plugins` package, and a working build from a plain (non-editable) install."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(REPO)], check=True)
    (path,) = out.glob("course_builder-*.whl")
    return path


def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert "plugins" not in tops
    assert {n for n in tops if not n.endswith(".dist-info")} == {"course_builder"}
    assert "course_builder/_builtin_plugins/quiz/plugin.py" in names
    assert "course_builder/_builtin_plugins/quiz/static/quiz.js" in names
    assert "course_builder/_bundled_course/course.yaml" in names
    assert "course_builder/_bundled_course/variants/northmoor/logo.svg" in names  # a variant's
    assert "course_builder/runtime/core/tracker.js" in names
    assert "course_builder/templates/page.html.j2" in names
    # The SCORM control documents travel as package data (the zips carry them).
    assert "course_builder/schemas/scorm12/imscp_rootv1p1p2.xsd" in names
    assert "course_builder/schemas/scorm2004_4th/common/anyElement.xsd" in names


def test_installed_wheel_builds_the_bundled_course(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    # A new virtual environment that sees nothing of the interpreter running the tests: the
    # wheel brings its dependencies from the package index, as it does for a new user.
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheel)], check=True)
    where = subprocess.run([python, "-c", "import course_builder; print(course_builder.__file__)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout
    assert str(env_dir) in where
    # tmp_path has no course.yaml: the bundled example is built only when asked for by name.
    refused = subprocess.run([env_dir / "bin" / "course-builder", "build", "--out", "out"],
                             capture_output=True, text=True, cwd=tmp_path)
    assert refused.returncode == 1
    assert "no course.yaml in" in refused.stderr and "course-builder build --example" in (
        refused.stderr)
    assert not (tmp_path / "out").exists()
    result = subprocess.run([env_dir / "bin" / "course-builder", "build", "--example", "--out",
                             "out"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Building the example course that comes with course-builder" in result.stderr
    assert "_bundled_course" in result.stderr  # the copy inside the installed wheel
    assert "overrides" not in result.stderr  # the checkout's plugins/ are the built-ins
    version = yaml.safe_load((REPO / "course.yaml").read_text(encoding="utf-8"))["version"]
    # one folder per example variant (two fictional trusts), each with every format
    assert sorted(p.relative_to(tmp_path / "out").as_posix()
                  for p in (tmp_path / "out").rglob("*.zip")) == [
        f"{variant}/self-injury-awareness-{version}-{variant}-{name}.zip"
        for variant in ("northmoor", "southvale")
        for name in ("cmi5", "handout", "scorm12", "scorm2004", "xapi")]
    plugins = subprocess.run([env_dir / "bin" / "course-builder", "plugins"], capture_output=True,
                             text=True, cwd=tmp_path, check=True).stdout
    assert "quiz" in plugins and "built-in" in plugins
