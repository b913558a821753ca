"""A module pack made with `course-builder new module-pack` is a Python project whose wheel
carries module.yaml and its images: installed into a fresh virtual environment (no system
site-packages) beside this checkout's course-builder wheel, a course lists its module and
builds, `course-builder plugins` says where the module comes from, and the pack's own tests
pass."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.scaffold import add_to_modules_list
from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_module_pack_installs_in_a_fresh_venv_and_a_course_builds(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(REPO)], check=True)
    (wheel,) = wheels.glob("course_builder-*.whl")
    pack = tmp_path / "team-skills"
    made = CliRunner().invoke(main, ["new", "module-pack", "team-skills", "--dir", str(pack)])
    assert made.exit_code == 0, made.output

    env = tmp_path / "venv"
    venv.create(env, with_pip=True, system_site_packages=False)
    python, bin_dir = env / "bin" / "python", env / "bin"
    subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheel), str(pack), "pytest"], check=True)

    def cli(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([bin_dir / "course-builder", *args], cwd=cwd,
                              capture_output=True, text=True)

    # The module's files are package data of the installed pack.
    where = subprocess.run([python, "-c", "import team_skills.welcome as m; print(m.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    folder = Path(where.strip()).parent
    assert str(env) in str(folder)
    assert (folder / "module.yaml").is_file() and (folder / "images" / "agenda.svg").is_file()

    assert cli("new", "course", "course").returncode == 0
    course = tmp_path / "course"
    config = course / "course.yaml"
    config.write_text(add_to_modules_list(config.read_text(), "team-skills-welcome"))
    built = cli("build", "--strict", "-f", "web", "-f", "scorm12", "--out", "out", cwd=course)
    assert built.returncode == 0, built.stderr
    listing = cli("plugins", cwd=course).stdout
    row = next(line for line in listing.splitlines() if line.startswith("team-skills-welcome"))
    assert row.split()[1] == "yes"
    assert "entry point 'team-skills-welcome' from team-skills 0.1.0" in row
    assert str(folder) in row

    tests = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=pack,
                           capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 passed" in tests.stdout
