"""The command line: exit codes and the exact text people read."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from course_builder import __version__
from course_builder.cli import main


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"course-builder, version {__version__}\n"


def test_help_has_examples():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "course-builder build my-course" in result.output


def test_build_and_validate(write_course, tmp_path):
    root = write_course()
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(root), "--out", str(tmp_path / "o"), "-f",
                                  "scorm12"])
    assert result.exit_code == 0, result.output
    assert "test-course-1.0.0-scorm12.zip" in result.output
    assert (tmp_path / "o" / "test-course-1.0.0-scorm12.zip").is_file()
    result = runner.invoke(main, ["validate", str(root)])
    assert result.exit_code == 0
    assert "OK: 1 modules, 2 pages, 2 blocks" in result.output


def test_errors_exit_non_zero_with_every_error(write_course, tmp_path):
    root = write_course({"modules/one/module.yaml": """\
        title: M
        pages:
          - id: a
            title: A
            blocks:
              - {type: txt, body: x}
              - {type: text}
        """})
    result = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "modules/one/module.yaml:6:16: error: unknown block type 'txt'",
        "    hint: did you mean `text`?",
        "modules/one/module.yaml:7:9: error: block 2 (text) on page 'one/a': body: is required "
        "but missing",
        "2 error(s), 0 warning(s); nothing was written.",
    ]
    assert not (tmp_path / "o").exists()


def test_plugins_lists_origin_and_version():
    result = CliRunner().invoke(main, ["plugins"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["TYPE", "VERSION", "ORIGIN"]
    assert any(line.split()[:1] == ["quiz"] and line.endswith("built-in") for line in lines)


def test_decode_state_reads_stdin(write_course):
    from course_builder.commands.build import load_course
    from course_builder.diagnostics import Reporter
    from course_builder.state import fingerprint

    root = write_course()
    fp = fingerprint(load_course(root, Reporter()))
    result = CliRunner().invoke(main, ["decode-state", "--course", str(root)],
                                input=f"1~{fp}~0~B~\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["pages_seen"]["ids"] == ["one/intro"]
    bad = CliRunner().invoke(main, ["decode-state", "--raw", "nonsense"])
    assert bad.exit_code == 1
    assert "not course_builder saved state" in bad.output


NO_COURSE_HINT = ("    hint: run this in your course's folder, or give the folder: {command} "
                  "path/to/course{example}\n")


def test_no_course_here_is_refused_not_the_example_built(tmp_path, monkeypatch):
    """A folder without course.yaml never builds the bundled example silently (issue 9, 16)."""
    monkeypatch.chdir(tmp_path)
    example = "; to use the example course that comes with course-builder, run: {} --example"
    for args, command in ((["build"], "course-builder build"), ([], "course-builder build"),
                          (["validate"], "course-builder validate")):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, args
        assert result.output == (
            f"Error: no course.yaml in {tmp_path}, so there is no course here\n"
            + NO_COURSE_HINT.format(command=command, example=example.format(command)))
    assert not (tmp_path / "build").exists()
    report = CliRunner().invoke(main, ["report"])
    assert report.exit_code == 1
    assert report.output.endswith(NO_COURSE_HINT.format(command="course-builder report",
                                                        example=""))


def test_example_flag_builds_the_bundled_course_and_says_so(tmp_path, monkeypatch):
    from course_builder.bundled import bundled_course_dir

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--example", "-f", "scorm12"])
    assert result.exit_code == 0, result.output
    assert (f"Building the example course that comes with course-builder "
            f"({bundled_course_dir()}). It shows what the tool can do; it is not your course."
            in result.output)
    version = yaml.safe_load((bundled_course_dir() / "course.yaml").read_text())["version"]
    # the example declares two variants (fictional trusts): a folder of packages for each
    assert sorted(p.relative_to(tmp_path / "build").as_posix()
                  for p in (tmp_path / "build").rglob("*.zip")) == [
        f"northmoor/self-injury-awareness-{version}-northmoor-scorm12.zip",
        f"southvale/self-injury-awareness-{version}-southvale-scorm12.zip"]
    both = CliRunner().invoke(main, ["build", "--example", str(tmp_path)])
    assert both.exit_code == 2
    assert "give a course folder or --example, not both" in both.output
    checked = CliRunner().invoke(main, ["validate", "--example"])
    assert checked.exit_code == 0, checked.output
