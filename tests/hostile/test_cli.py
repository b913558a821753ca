"""The command line when the disk, the output folder or the input is hostile or unlucky: one
clear line, a non-zero exit, nothing half-written, never a traceback."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import course_builder
from course_builder.cli import main
from course_builder.commands.build import load_course
from course_builder.diagnostics import Reporter
from course_builder.pipeline import package
from course_builder.state import MAX_INPUT, fingerprint

SOURCE = Path(course_builder.__file__).resolve().parent.parent


def build(root: Path, out: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["build", str(root), "--out", str(out), *args])


def assert_clean_failure(result: Result, message: str) -> None:
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    assert result.output == f"Error: {message}\n"


# --- 6. a full disk, a read-only folder, a file in the way ------------------------------------

def test_a_full_disk_is_one_clear_line_and_nothing_is_written(write_course, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    root = write_course()
    out = tmp_path / "build"
    assert build(root, out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    written: list[Path] = []

    def full_disk(files: dict[str, bytes], destination: Path) -> None:
        destination.write_bytes(b"PK\x03\x04 half a zip")  # the disk fills up part way
        written.append(destination)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(destination))

    monkeypatch.setattr("course_builder.commands.build.write_zip", full_disk)
    result = build(root, out)
    (half,) = written
    assert half.parent.parent == out and half.parent.name.startswith(".staging-")
    assert_clean_failure(result, f"cannot write the packages into {out}: the disk is full "
                                 f"({half}). Nothing was written.")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the last good build


def test_a_full_disk_on_a_first_build_leaves_no_folder(write_course, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(files: dict[str, bytes], destination: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(destination))

    monkeypatch.setattr("course_builder.commands.build.write_zip", full_disk)
    result = build(write_course(), tmp_path / "build")
    assert result.exit_code == 1 and "the disk is full" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course"]


def test_a_file_where_the_output_folder_should_be(write_course, tmp_path: Path) -> None:
    (tmp_path / "build").write_text("not a folder")
    result = build(write_course(), tmp_path / "build")  # click's own check: a usage error
    assert result.exit_code == 2 and "is a file" in result.output
    out = tmp_path / "build" / "scorm"  # a file where a folder on the way should be
    result = build(write_course(), out)
    assert_clean_failure(result, f"cannot write the packages into {out}: a file of that name "
                                 f"is in the way ({out}). Nothing was written.")
    assert (tmp_path / "build").read_text() == "not a folder"


def test_a_read_only_output_folder(write_course, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root here, which chmod does not stop: the refusal is simulated where the
    # build first writes inside the folder.
    def read_only(prefix: str = "", dir: str | None = None) -> str:  # noqa: A002
        raise PermissionError(errno.EROFS, os.strerror(errno.EROFS), f"{dir}/{prefix}x")

    monkeypatch.setattr(package.tempfile, "mkdtemp", read_only)
    out = tmp_path / "build"
    out.mkdir()
    result = build(write_course(), out)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith(f"Error: cannot write the packages into {out}: the disk is "
                                    "read-only (")
    assert list(out.iterdir()) == []


# --- 8. the staging folder: inside the output folder, cleaned ---------------------------------

def test_staging_is_inside_the_output_folder_so_a_read_only_parent_is_fine(
        write_course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "parent" / "build"
    out.mkdir(parents=True)
    real_mkdtemp = tempfile.mkdtemp

    def only_inside_out(*args: Any, **kwargs: Any) -> str:
        folder = Path(kwargs.get("dir") or args[2])
        if folder != out:  # the parent is read-only: nothing may be made there
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
        return real_mkdtemp(*args, **kwargs)

    monkeypatch.setattr(package.tempfile, "mkdtemp", only_inside_out)
    result = build(write_course(), out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["test-course-1.0.0-scorm12.zip",
                                                     "test-course-1.0.0-scorm2004.zip"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["build"]


def test_staging_left_by_a_killed_build_is_removed_by_the_next(write_course,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "build"
    # A build killed part way, for real: it stops inside write_zip.
    script = textwrap.dedent(f"""\
        import os, signal
        from pathlib import Path
        import course_builder.commands.build as b
        def killed(files, destination):
            destination.write_bytes(b"half")
            os.kill(os.getpid(), signal.SIGKILL)
        b.write_zip = killed
        b.build(Path({str(write_course())!r}), Path({str(out)!r}))
        """)
    env = {**os.environ, "PYTHONPATH": str(SOURCE)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          timeout=120, check=False)
    assert done.returncode == -9
    (left,) = list(out.glob(".staging-*"))
    assert [p.name for p in left.iterdir()] == ["test-course-1.0.0-scorm12.zip"]
    young = out / f".staging-{os.getpid()}-running"  # this process's: a build beside this one
    young.mkdir()
    assert build(tmp_path / "course", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [young.name,
                                                     "test-course-1.0.0-scorm12.zip",
                                                     "test-course-1.0.0-scorm2004.zip"]


# --- 10. decode-state -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("1~abcd~-1~A~", "the bookmark '-1' is not a base-36 number (0-9, a-z, at most 6 digits, "
                     "no sign)"),
    ("1~abcd~0~A~-1=x", "a block's position '-1' is not a base-36 number (0-9, a-z, at most 6 "
                        "digits, no sign)"),
    ("1~abcd~+1~A~", "the bookmark '+1' is not a base-36 number (0-9, a-z, at most 6 digits, "
                     "no sign)"),
    ("1~abcd~1_0~A~", "the bookmark '1_0' is not a base-36 number (0-9, a-z, at most 6 digits, "
                      "no sign)"),
    ("1~abcd~" + "z" * 5000 + "~A~", "the bookmark 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
                                     "...' is not a base-36 number (0-9, a-z, at most 6 digits, "
                                     "no sign)"),
    ("1~ab\x1bd~0~A~", "the course fingerprint 'ab\\x1bd' is not 4 characters a-z, 0-9"),
    ("1~abcd~0~A~0=a*0=b", "block '0' is out of order or repeated"),
    ("1~abcd~0~A~0=<script>", "block entry '0=<script>' is not <position>=<state> with the "
                              "state in A-Z a-z 0-9 . _ -"),
    ("1~abcd~0~A!~", "the pages-seen field has an unexpected character '!'"),
])
def test_decode_state_refuses_malformed_input(text: str, message: str) -> None:
    result = CliRunner().invoke(main, ["decode-state", "--raw", text])
    assert_clean_failure(result, message)


def test_decode_state_never_names_a_page_for_a_bookmark_past_the_end(write_course) -> None:
    root = write_course()
    fp = fingerprint(load_course(root, Reporter()))
    result = CliRunner().invoke(main, ["decode-state", "--course", str(root), f"1~{fp}~5~D~"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["bookmark_page"] == {
        "index": 5, "problem": "beyond the course's 2 pages"}


def test_decode_state_refuses_a_huge_input_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("1~abcd~0~A~" + "0=" + "a" * 20_000_000)
    with big.open() as handle:
        done = subprocess.run([sys.executable, "-m", "course_builder", "decode-state", "--raw",
                               "-"], stdin=handle, capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(SOURCE)}, check=False)
    assert (done.returncode, done.stdout) == (1, "")
    message = (f"the text is longer than {MAX_INPUT:,} characters, which saved state never "
               "is (SCORM 2004 allows 64,000); is this the suspend_data, copied whole?")
    assert done.stderr == f"Error: {message}\n"
    result = CliRunner().invoke(main, ["decode-state", "--raw", "1~abcd~0~A~0=" + "a" * 70_000])
    assert_clean_failure(result, message)


def test_decode_state_refuses_binary_input() -> None:
    result = CliRunner().invoke(main, ["decode-state", "--raw", "-"], input=b"\xff\xfe\x00")
    assert_clean_failure(result, "standard input is not text: saved state is letters, digits "
                                 "and ~ . _ - * =")
