"""A course on another subject carries none of the bundled course's words.

tests/roots/difficult-shift is "Supporting a colleague after a difficult shift", with its own
support contacts and support introduction, using every built-in content type but nice_guidance.
Every file of every package it builds, in every output format, is searched for the words that
belong to the bundled self-injury course: helplines, guidance, settings and terms. Nothing of
one course's subject may come from the compiler, the runtime, the theme or the built-in plugins.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from course_builder.bundled import bundled_course_dir
from course_builder.commands.build import build
from course_builder.targets import TARGETS
from tests.conftest import REPO

OTHER_SUBJECT = REPO / "tests" / "roots" / "difficult-shift"

#: Words that belong to the bundled course, not to course-builder. "NICE" only in capitals, as
#: the institute's name: "nice" is an ordinary word.
BUNDLED_WORDS = {
    "self-injury": re.compile(r"self[\s-]*injur", re.I),
    "self-harm": re.compile(r"self[\s-]*harm", re.I),
    "self-poisoning": re.compile(r"self[\s-]*poison", re.I),
    "suicide": re.compile(r"suicid", re.I),
    "Samaritans": re.compile(r"samaritans", re.I),
    "116 123": re.compile(r"116\s*123"),
    "Shout": re.compile(r"\bshout\b", re.I),
    "85258": re.compile(r"85258"),
    "NICE": re.compile(r"\bNICE\b"),
    "NG225": re.compile(r"NG\s*225", re.I),
    "QS34": re.compile(r"QS\s*34", re.I),
    "A&E": re.compile(r"A&(amp;)?E\b"),
    "emergency department": re.compile(r"emergency department", re.I),
    "NHS 111": re.compile(r"NHS\s*111", re.I),
    "NHS 24": re.compile(r"NHS\s*24\b", re.I),
    "Childline": re.compile(r"childline", re.I),
    "PAPYRUS": re.compile(r"papyrus|hopeline", re.I),
    "Lifeline": re.compile(r"lifeline", re.I),
    "mental health": re.compile(r"mental health", re.I),
    "lived experience": re.compile(r"lived[\s-]*experience", re.I),
    "liaison": re.compile(r"liaison", re.I),
}


def bundled_words_in(package: Path) -> list[str]:
    """``file: word: ...context...`` for each bundled-course word in any file of a zip."""
    found = []
    with zipfile.ZipFile(package) as zf:
        for name in zf.namelist():
            text = zf.read(name).decode("utf-8", errors="replace")
            for word, pattern in BUNDLED_WORDS.items():
                for match in pattern.finditer(text):
                    context = text[max(0, match.start() - 40):match.end() + 40]
                    found.append(f"{package.name}/{name}: {word}: {context!r}")
    return found


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("other-subject")
    with pytest.MonkeyPatch.context() as patch:  # the course's release dates, whatever today is
        patch.setenv("COURSE_BUILDER_TODAY", "2026-11-30")
        result = build(OTHER_SUBJECT, out, sorted(TARGETS), strict=True)
    return [path for _, path, _ in result.packages]


def test_every_format_is_built(packages: list[Path]) -> None:
    assert sorted(p.name for p in packages) == sorted(
        f"after-a-difficult-shift-0.3.0-{name}.zip" for name in TARGETS)


def test_no_package_carries_the_bundled_course_words(packages: list[Path]) -> None:
    found = [line for package in packages for line in bundled_words_in(package)]
    assert found == []


def test_the_course_own_support_words_are_shown(packages: list[Path]) -> None:
    with zipfile.ZipFile(packages[0]) as zf:
        html = zf.read("index.html").decode()
    assert "A hard shift can stay with you." in html
    assert '<a href="tel:4321">Extension 4321</a>' in html


def test_the_search_finds_the_words_where_they_are(tmp_path: Path) -> None:
    """The same search over the bundled course's package finds its words (it is not vacuous)."""
    result = build(bundled_course_dir(), tmp_path, ["scorm12"])  # not strict: any date will do
    found = {line.split(": ")[1] for line in bundled_words_in(result.packages[0][1])}
    assert found == set(BUNDLED_WORDS)
