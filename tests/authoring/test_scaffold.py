"""`course-builder new`: every starting point builds with --strict, a generated plugin works
unchanged in a course (its own tests pass there), and adding a module edits course.yaml's text
without disturbing the author's comments or layout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.commands.build import build
from course_builder.scaffold import ScaffoldError, add_to_modules_list


def run(*args: str, cwd: Path | None = None) -> str:
    """Run the CLI in ``cwd`` (click's runner does not change folder itself)."""
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def new_course(tmp_path: Path) -> Path:
    run("new", "course", str(tmp_path / "meetings"), "--title", "Running a good meeting")
    return tmp_path / "meetings"


def test_new_course_builds_strictly_in_every_format(new_course, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2026-11-29")
    assert sorted(p.relative_to(new_course).as_posix() for p in new_course.rglob("*")
                  if p.is_file()) == [
        ".gitignore", "course.yaml", "modules/check/module.yaml", "modules/welcome/module.yaml",
        "schema/course.schema.json", "schema/module.schema.json"]
    text = (new_course / "course.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=schema/course.schema.json\n")
    assert "title: Running a good meeting\n" in text
    assert (new_course / "modules/welcome/module.yaml").read_text().startswith(
        "# yaml-language-server: $schema=../../schema/module.schema.json\n")
    formats = ["scorm12", "scorm2004", "scorm2004-3rd", "xapi", "cmi5", "web"]
    result = build(new_course, tmp_path / "out", formats, strict=True)
    assert len(result.packages) == len(formats)
    assert result.reporter is not None and result.reporter.warnings == []
    # A neutral subject: nothing of the bundled course's words, in its files or its pages.
    assert not [p for p in new_course.rglob("*.yaml") if "self-injur" in p.read_text().lower()]
    for _name, path, _size in result.packages:
        html = zipfile.ZipFile(path).read("index.html").decode().lower()
        assert "self-injur" not in html and "samaritans" not in html


def test_new_course_refuses_an_existing_course(new_course):
    result = CliRunner().invoke(main, ["new", "course", str(new_course)])
    assert result.exit_code == 1
    assert "is a course" in result.output


def test_new_module_is_listed_and_builds(new_course, tmp_path):
    output = run("new", "module", "next-steps", cwd=new_course)
    assert "updated course.yaml (modules: ... next-steps)" in output
    module = new_course / "modules" / "next-steps" / "module.yaml"
    assert "title: Next steps\n" in module.read_text()
    assert "  - check\n  - next-steps\n# Completed when" in (new_course / "course.yaml").read_text()
    result = build(new_course, tmp_path / "out", ["web"], strict=True)
    assert [m.slug for m in result.course.modules] == ["welcome", "check", "next-steps"]


def test_new_module_refuses_a_bad_name_or_a_second_copy(new_course):
    bad = CliRunner().invoke(main, ["new", "module", "Next Steps", "--course", str(new_course)])
    assert bad.exit_code == 1 and "cannot name a module" in bad.output
    again = CliRunner().invoke(main, ["new", "module", "welcome", "--course", str(new_course)])
    assert again.exit_code == 1 and "lists 'welcome' already" in again.output


@pytest.mark.parametrize(("before", "after"), [
    ("id: x\nmodules:\n  - a   # the first\n  - b\n\n# next\ncompletion: {}\n",
     "id: x\nmodules:\n  - a   # the first\n  - b\n  - new\n\n# next\ncompletion: {}\n"),
    ("modules:\n- a\n- b  # last\ntitle: T\n", "modules:\n- a\n- b  # last\n- new\ntitle: T\n"),
    ("modules: [a, b]  # flow\n", "modules: [a, b, new]  # flow\n"),
    ("modules: [ a, 'b' ]\n", "modules: [ a, 'b', new ]\n"),
    ("modules: []\n", "modules: [new]\n"),
    ("modules:\n", "modules: [new]\n"),
    ("title: T\n", "title: T\nmodules:\n  - new\n"),
    ("title: T", "title: T\nmodules:\n  - new\n"),
    ("modules:\n  - a", "modules:\n  - a\n  - new\n"),
])
def test_add_to_modules_list_keeps_the_authors_text(before, after):
    assert add_to_modules_list(before, "new") == after


@pytest.mark.parametrize("text", ["modules: a\n", "- a\n", "modules: [a\n"])
def test_add_to_modules_list_refuses_what_it_cannot_edit(text):
    with pytest.raises(ScaffoldError):
        add_to_modules_list(text, "new")


def test_new_plugin_works_unchanged_in_the_course(new_course, tmp_path):
    output = run("new", "plugin", "checklist", cwd=new_course)
    assert "editors now know `type: checklist`" in output
    folder = new_course / "plugins" / "checklist"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.md", "example.yaml", "plugin.py", "static/checklist.css", "static/checklist.js",
        "templates/checklist.html.j2", "test_checklist.py"]
    # Its own tests pass where it was made, run as its README says.
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "plugins/checklist"], cwd=new_course, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "3 passed" in tests.stdout
    # An author uses it in a module, as example.yaml shows.
    run("new", "module", "ready", cwd=new_course)
    (new_course / "modules" / "ready" / "module.yaml").write_text(textwrap.dedent("""\
        title: Get ready
        pages:
          - id: list
            title: Before the meeting
            blocks:
              - type: checklist
                id: ready-list
                title: Before you start
                items: [Book a room, Send the agenda]
        """))
    result = build(new_course, tmp_path / "out", ["scorm12", "web"], strict=True)
    html = zipfile.ZipFile(result.packages[0][1]).read("index.html").decode()
    assert 'data-type="checklist"' in html and "assets/plugins/checklist/checklist.js" in html
    # a plugin from the course's folder keeps its own file: after the runtime's bundle, which
    # it registers with, and before boot.js, which starts the course
    assert re.findall(r'<script src="([^"]+)"', html) == [
        "assets/course.js", "assets/plugins/checklist/checklist.js", "assets/runtime/boot.js"]
    listing = run("plugins", str(new_course))
    assert any(line.split()[:1] == ["checklist"] and line.endswith("course folder checklist/")
               for line in listing.splitlines())


def test_new_plugin_refuses_a_name_that_is_not_a_type(new_course):
    result = CliRunner().invoke(main, ["new", "plugin", "Check-list", "--course", str(new_course)])
    assert result.exit_code == 1 and "cannot name a content type" in result.output


def test_new_plugin_needs_a_course(tmp_path):
    result = CliRunner().invoke(main, ["new", "plugin", "checklist", "--course", str(tmp_path)])
    assert result.exit_code == 1 and "no course.yaml" in result.output


def test_plugins_lists_the_courses_modules_and_where_each_comes_from(new_course):
    (new_course / "modules" / "spare").mkdir()
    (new_course / "modules" / "spare" / "module.yaml").write_text("title: Spare\n")
    config = new_course / "course.yaml"
    config.write_text(add_to_modules_list(config.read_text(), "not-there"))
    lines = run("plugins", str(new_course)).splitlines()
    modules = lines[lines.index("") + 1:]
    assert modules[0].split() == ["MODULE", "LISTED", "ORIGIN"]
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in modules[1:]}
    assert rows["welcome"] == ["yes", "course folder modules/welcome/"]
    assert rows["check"] == ["yes", "course folder modules/check/"]
    assert rows["spare"] == ["no", "course folder modules/spare/"]
    assert rows["not-there"] == ["yes", "missing: no folder and no installed module"]
