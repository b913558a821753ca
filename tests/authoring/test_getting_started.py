"""docs/getting-started.md, followed as written: every command in its shell blocks runs, in
order, in a fresh folder (installing is the test environment's own; the preview is started and
stopped), and ends with the packages it promises and a web build that unzips as described."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.e2e.preview_process import run_preview

GUIDE = REPO / "docs" / "getting-started.md"
INSTALL = ("python3 -m venv", ". ", "pip install")  # the test environment is installed already


def commands() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_the_guide_lists_the_steps_in_order():
    assert commands() == [
        "python3 -m venv ~/course-builder-env", ". ~/course-builder-env/bin/activate",
        "pip install .", "course-builder new course my-course", "cd my-course",
        "course-builder preview", "course-builder new module next-steps",
        "course-builder validate", "course-builder build",
        "python3 -m zipfile -e build/my-course-0.1.0-web.zip site/"]


def test_every_command_in_the_guide_works(tmp_path):
    cwd = tmp_path
    bin_dir = Path(sys.executable).parent
    for command in commands():
        if command.startswith(INSTALL):
            continue
        words = shlex.split(command)
        if words[0] == "cd":
            cwd = cwd / words[1]
            continue
        if words[:2] == ["course-builder", "preview"]:
            with run_preview(cwd) as preview:
                preview.wait_for_output(r"^build 1: ready in \d+ ms$")
            continue
        if words[0] == "course-builder":
            words[0] = str(bin_dir / "course-builder")
        elif words[0] == "python3":
            words[0] = sys.executable
        result = subprocess.run(words, cwd=cwd, capture_output=True, text=True)
        assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    assert sorted(p.name for p in (cwd / "build").iterdir()) == [
        "my-course-0.1.0-scorm12.zip", "my-course-0.1.0-scorm2004.zip", "my-course-0.1.0-web.zip"]
    assert (cwd / "site" / "index.html").is_file()
    assert "  - next-steps\n" in (cwd / "course.yaml").read_text()
    # The pictures the guide shows are in the repository.
    for image in re.findall(r"\]\((images/[^)]+)\)", GUIDE.read_text(encoding="utf-8")):
        assert (GUIDE.parent / image).is_file(), image
