"""The bundled course built in Welsh (``course-builder build --lang cy``), in every format, has no
English word of the tool's left: every page, every attribute a learner reads, every style sheet's
printed strings, every script's words and the runtime's message catalog hold Welsh, or English
inside an element marked ``lang="en-GB"`` (the course's own text, not yet translated).

The English looked for is the tool's whole vocabulary: the catalog template's words and every
word the English build of the same course shows outside the course's own text, so that English
written into a template without going through the catalog is found too (tests/i18n/english_left.py).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from course_builder.bundled import bundled_course_dir
from course_builder.commands.build import build
from course_builder.diagnostics import Reporter
from course_builder.i18n.prepare import read_course_text
from tests.i18n.english_left import Scanner, english_words, shown_words, welsh_words

FORMATS = ["scorm12", "scorm2004", "xapi", "cmi5", "web", "handout"]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    out = tmp_path_factory.mktemp("bundled")
    course = bundled_course_dir()
    found = {}
    for lang in ("en-GB", "cy"):
        result = build(course, out / lang, FORMATS, languages=[lang])
        found[lang] = sorted(path for _, path, _ in result.packages)
    return found


@pytest.fixture(scope="module")
def scanner(builds: dict[str, list[Path]]) -> Scanner:
    text = read_course_text(bundled_course_dir(), Reporter())
    assert text is not None
    author = [unit.source for unit in text.units]
    english = english_words("cy")
    assert len(english) > 400  # the whole catalog is looked for, not a few words
    # what the English build shows that is not the course's own text: the tool's words, wherever
    # they come from (a template's English that never reached the catalog included)
    shown = set().union(*(shown_words(path, author) for path in builds["en-GB"]))
    return Scanner(english | (shown - welsh_words("cy")), author)


def test_every_format_of_the_bundled_course_is_built_in_welsh(
        builds: dict[str, list[Path]]) -> None:
    assert len(builds["cy"]) == 2 * len(FORMATS)  # two variants
    assert all("-cy-" in path.name for path in builds["cy"])


def test_a_welsh_build_has_no_english_word_of_the_tools(builds: dict[str, list[Path]],
                                                       scanner: Scanner) -> None:
    found = [str(f) for path in builds["cy"] for f in scanner.package(path)]
    assert found == [], f"{len(found)} English left:\n" + "\n".join(found)


def test_the_scanner_finds_english(tmp_path: Path, scanner: Scanner) -> None:
    """The scanner is not blind: the tool's English, unmarked, in each place it reads."""
    page = ('<html lang="cy"><head><title>Page 1</title><style>@page{content:"Support"}</style>'
            '</head><body><p>Nesaf</p><button aria-label="Submit your answers">x</button>'
            '<p lang="en-GB">Next</p><p>Previous</p>'
            '<script type="application/json" id="cb-messages">{"a":"Take a break"}</script>'
            '</body></html>')
    package = tmp_path / "p.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("index.html", page)
        archive.writestr("a.js", 'el.textContent = "Try again";')
    where = sorted({f.where for f in scanner.package(package)})
    assert where == ["<button aria-label>", "<p>", "css", "message a", "script", "title"]
