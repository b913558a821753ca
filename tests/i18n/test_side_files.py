"""Files that hold one language (captions, a statistics block's figures): a Welsh build uses the
course's Welsh file when it has one (``clip.cy.vtt``, ``figures.cy.csv``), and otherwise the
source's, whose words the page then marks as English."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from course_builder.commands.build import build
from tests.conftest import errors_of
from tests.i18n import welsh_course

MODULE = """\
title: Module one
pages:
  - id: figures
    title: Figures
    blocks:
      - type: statistics
        id: figures
        title: Calls by quarter
        data: data/figures.csv
        unit: calls
        source: Test Trust
        as_of: 2026-09-30
  - id: film
    title: Film
    blocks:
      - type: media
        id: film
        kind: video
        src: video/clip.mp4
        captions: video/clip.vtt
        transcript: Hello.
"""


def _course(root: Path, welsh_files: bool) -> Path:
    welsh_course.write(root, module=MODULE)
    folder = root / "modules" / "one"
    (folder / "data").mkdir()
    (folder / "data" / "figures.csv").write_text(
        "period,value,group\nSpring term,3,Day\nSpring term,4,Night\n", encoding="utf-8")
    (folder / "video").mkdir()
    (folder / "video" / "clip.mp4").write_bytes(b"\0\0\0\x18ftypmp42")
    (folder / "video" / "clip.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n",
                                               encoding="utf-8")
    if welsh_files:
        (folder / "data" / "figures.cy.csv").write_text(
            "period,value,group\nTymor y gwanwyn,3,Dydd\nTymor y gwanwyn,4,Nos\n",
            encoding="utf-8")
        (folder / "video" / "clip.cy.vtt").write_text(
            "WEBVTT\n\n00:00.000 --> 00:01.000\nHelo\n", encoding="utf-8")
    return root


def _welsh_page(root: Path, out: Path) -> tuple[str, list[str]]:
    result = build(root, out, ["web"], languages=["cy"])
    [(_, path, _)] = result.packages
    with zipfile.ZipFile(path) as archive:
        return archive.read("index.html").decode("utf-8"), archive.namelist()


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2026-11-30")


def test_the_welsh_files_are_used_when_the_course_has_them(tmp_path: Path) -> None:
    page, names = _welsh_page(_course(tmp_path / "course", welsh_files=True), tmp_path / "out")
    assert re.search(r'<track kind="captions" src="[^"]*clip\.cy\.vtt" srclang="cy"', page)
    assert not any(name.endswith("/clip.vtt") for name in names)
    assert ">Tymor y gwanwyn<" in page and "Spring term" not in page
    assert ">Dydd<" in page and 'lang="en-GB">Day<' not in page


def test_the_source_files_are_marked_as_english_otherwise(tmp_path: Path) -> None:
    page, _ = _welsh_page(_course(tmp_path / "course", welsh_files=False), tmp_path / "out")
    assert re.search(r'<track kind="captions" src="[^"]*clip\.vtt" srclang="en-GB"', page)
    # the file's own words: a period that is not a month, the groups
    assert '<th lang="en-GB" scope="row">Spring term</th>' in page
    assert '<th lang="en-GB" scope="col" class="cb-stats__num">Day</th>' in page
    assert '<text lang="en-GB" class="cb-stats__rowlabel"' in page
    # in the computed summary, inside a Welsh sentence
    assert ('<span lang="en-GB">Night</span>: 4 <span lang="en-GB">calls</span> yn '
            '<span lang="en-GB">Spring term</span>.') in page


def test_a_mistake_in_the_welsh_figures_is_a_located_error(tmp_path: Path) -> None:
    """`validate` checks the Welsh figures as it checks the source's: file, line and what is
    wrong, before any build (it used to surface only while a Welsh build rendered)."""
    root = _course(tmp_path / "course", welsh_files=True)
    (root / "modules" / "one" / "data" / "figures.cy.csv").write_text(
        "period,value,group\nTymor y gwanwyn,tri,Dydd\n", encoding="utf-8")
    errors = errors_of(root)
    assert len(errors) == 1, errors
    assert errors[0].startswith("modules/one/data/figures.cy.csv:2:1: error: block 'figures' "
                                "(statistics): data/figures.cy.csv: line 2: "), errors
