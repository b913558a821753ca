"""The page shell around every course: the support panel's words come from course.yaml (nothing of
one course's subject is built in), and each heading is shown once per page."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from course_builder.commands.build import build
from course_builder.config import DEFAULT_SUPPORT_INTRO

COURSE = """\
id: https://example.org/courses/test-course
title: Test course
version: 1.0.0
modules: [one]
"""

CONTACT = """\
support:
  - name: Your team leader
    contact: Ask at the start of your shift
"""


def _index(root: Path, tmp_path: Path) -> str:
    result = build(root, tmp_path / "out", ["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        return package.read("index.html").decode()


def _panel(html: str) -> str:
    match = re.search(r'<section id="cb-support".*?</section>', html, re.DOTALL)
    assert match, "no support panel"
    return match.group(0)


def test_support_intro_comes_from_course_yaml(write_course, tmp_path):
    root = write_course({"course.yaml": COURSE + CONTACT + (
        "support_intro: This course talks about <night shifts>. Stop whenever you like.\n")})
    panel = _panel(_index(root, tmp_path))
    assert "<p>This course talks about &lt;night shifts&gt;. Stop whenever you like.</p>" in panel
    assert "<strong>Your team leader</strong>" in panel


def test_support_intro_default_is_neutral(write_course, tmp_path):
    root = write_course({"course.yaml": COURSE + CONTACT})
    panel = _panel(_index(root, tmp_path))
    assert f"<p>{DEFAULT_SUPPORT_INTRO}</p>" in panel
    assert DEFAULT_SUPPORT_INTRO == ("You can stop at any time and come back later: your progress "
                                     "is saved.")


def test_no_contacts_no_support_button_or_panel(write_course, tmp_path):
    html = _index(write_course({"course.yaml": COURSE}), tmp_path)
    assert "cb-support" not in html  # neither the panel nor the header button
    assert "open <strong>Support</strong>" not in html  # nor the "Take a break" pointer to it
    statement_root = write_course({"course.yaml": COURSE}, name="again")
    result = build(statement_root, tmp_path / "again-out", ["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        statement = package.read("accessibility.html").decode()
    assert "reach support" not in statement


MODULE_ONE_TITLE = """\
title: Knowledge check
pages:
  - id: intro
    title: Before you start
    blocks:
      - type: text
        title: Knowledge check
        body: The next page has two questions.
  - id: check
    title: Knowledge check
    blocks:
      - type: text
        title: "knowledge  check."
        callout: note
        body: Take your time.
      - type: quiz
        id: the-quiz
        title: Knowledge check
        questions:
          - id: q1
            kind: true_false
            prompt: The sky is blue.
            answer: true
"""


def _page(html: str, number: int) -> str:
    match = re.search(rf'<section class="cb-page" data-page="{number}".*?'
                      r'(?=<section [^>]*class="cb-page"|<nav class="cb-pager")', html, re.DOTALL)
    assert match, f"page {number} not found"
    return match.group(0)


def test_each_heading_once_when_module_page_and_blocks_share_a_title(write_course, tmp_path):
    root = write_course({"modules/one/module.yaml": MODULE_ONE_TITLE})
    html = _index(root, tmp_path)
    check = _page(html, 1)
    # The page title once; no module label, no block heading repeating it; the quiz's own
    # sub-heading moves up a level, so heading levels stay in order (h1, h2).
    headings = re.findall(r"<(h\d)[^>]*>([^<]*)</h\d>", check)
    assert headings == [("h1", "Knowledge check"), ("h2", "Review your answers")]
    assert 'class="cb-page__module"' not in check
    # The quiz's section is named by the page heading instead of a repeated h2.
    assert '<section class="cb-quiz" aria-labelledby="cb-page-1-title">' in check
    assert '<h1 id="cb-page-1-title" tabindex="-1">Knowledge check</h1>' in check
    # The callout keeps its accessible name and label, without a repeated heading.
    assert '<aside class="cb-callout cb-callout--note" aria-label="knowledge  check.">' in check
    # Where the titles differ, everything stays: the module label and the block's own heading.
    intro = _page(html, 0)
    assert '<p class="cb-page__module">Knowledge check</p>' in intro
    assert re.findall(r"<h\d[^>]*>([^<]*)</h\d>", intro) == ["Before you start", "Knowledge check"]
