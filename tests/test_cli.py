"""The command line: exit codes and the exact text people read."""

from __future__ import annotations

import json

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
