"""course.yaml's `release:` section: sign-off by named reviewers, the next review date, and what
the course's about page (accessibility.html) says about them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.commands.build import build
from tests.conftest import REPO, errors_of

COURSE = """\
id: https://example.org/courses/test-course
title: Test course
version: 2.0.0
modules: [one]
"""

SIGNED = """\
release:
  status: release
  reviewers:
    - area: clinical
      role: Consultant liaison psychiatrist
      name: Dr Ada Example
      organisation: Example NHS Trust
      signed_off: 2027-01-10
    - area: lived experience
      role: Lived experience trainer
      name: Sam Example
      signed_off: 2027-01-12
  next_review: 2028-01-31
  illustrative: The figures on page 3 are made up.
"""

PENDING = """\
release:
  status: {status}
  reviewers:
    - area: clinical
      role: Consultant liaison psychiatrist
    - area: lived experience
      role: Lived experience trainer
      name: Sam Example
      signed_off: 2027-01-12
  next_review: 2028-01-31
"""


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2027-06-01")


def _course(write_course, release: str) -> Path:
    return write_course({"course.yaml": COURSE + release})


def _statement(root: Path, tmp_path: Path) -> str:
    result = build(root, tmp_path / "out", ["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        return package.read("accessibility.html").decode()


def test_a_signed_off_release_is_clean_and_named_on_the_about_page(write_course, tmp_path):
    root = _course(write_course, SIGNED)
    assert errors_of(root, strict=True) == []
    page = _statement(root, tmp_path)
    assert '<h2 id="about-this-version">About this version of the course</h2>' in page
    assert "This version (2.0.0) has been signed off by the reviewers below." in page
    assert ("<li>Clinical review (Consultant liaison psychiatrist, Example NHS Trust): "
            "Dr Ada Example, signed off on 10 January 2027.</li>") in page
    assert ("<li>Lived experience review (Lived experience trainer): Sam Example, signed off "
            "on 12 January 2027.</li>") in page
    assert "Next review due: 31 January 2028." in page
    assert "<p>The figures on page 3 are made up.</p>" in page


def test_review_date_passed_is_a_warning_and_strict_refuses(write_course, monkeypatch):
    root = _course(write_course, SIGNED)
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2028-02-01")
    expected = ("course.yaml:17:16: warning: release.next_review: this version was due for "
                "review on 31 January 2028; check the course against its sources again and set "
                "the next review date\n"
                "    hint: --strict refuses to build a course that is past its review date")
    assert errors_of(root) == []  # a warning alone does not stop a build
    assert errors_of(root, strict=True) == [expected]
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2028-01-31")  # due today: not yet late
    assert errors_of(root, strict=True) == []


def test_a_release_without_named_reviewers_fails_with_strict(write_course):
    root = _course(write_course, PENDING.format(status="release"))
    assert errors_of(root, strict=True) == [
        ("course.yaml:8:7: warning: release.reviewers[0]: the clinical reviewer has not signed "
         "this release off (no name and signed_off)\n"
         "    hint: add their name and the date they signed it off, or set `status: draft` "
         "until they have"),
    ]
    nobody = _course(write_course, "release:\n  status: release\n  next_review: 2028-01-31\n")
    [message] = errors_of(nobody, strict=True)
    assert message.startswith("course.yaml:6:11: warning: release.reviewers: a release needs "
                              "the names of the people who signed it off, and none are listed")


def test_a_draft_says_so_on_every_build_and_on_the_about_page(write_course, tmp_path):
    root = _course(write_course, PENDING.format(status="draft"))
    assert errors_of(root, strict=True) == []  # a draft is honest: --strict builds it
    result = CliRunner().invoke(main, ["build", str(root), "--strict", "-f", "scorm12",
                                       "--out", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    assert ("course.yaml:6:11: note: release.status: this is a draft, not a signed-off release; "
            "sign-off still pending: clinical (Consultant liaison psychiatrist)") in result.output
    page = _statement(root, tmp_path)
    assert ("<strong>This version is a draft, not a signed-off release. Sign-off by the "
            "reviewers marked below is still pending.</strong>") in page
    assert "<li>Clinical review (Consultant liaison psychiatrist): not yet signed off.</li>" in page


def test_a_sign_off_in_the_future_is_an_error(write_course):
    root = _course(write_course, SIGNED.replace("2027-01-12", "2027-07-01"))
    assert errors_of(root) == [
        "course.yaml:16:19: error: release.reviewers[1].signed_off: 2027-07-01 is in the future "
        "(today is 2027-06-01)"]


def test_no_release_section_says_nothing(write_course, tmp_path):
    root = _course(write_course, "")
    assert errors_of(root, strict=True) == []
    assert "About this version" not in _statement(root, tmp_path)


def test_the_bundled_course_is_a_draft_pending_clinical_sign_off(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2026-11-30")
    assert errors_of(REPO, strict=True) == []
    page = _statement(REPO, tmp_path)
    assert "This version is a draft, not a signed-off release." in page
    assert "<li>Clinical review (" in page and "not yet signed off.</li>" in page
    assert "<h3 id=\"what-is-illustrative\">What is illustrative</h3>" in page
    assert "made up for training" in page
