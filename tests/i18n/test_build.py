"""A course builds in each of its languages: translated strings reach the package, every page
and manifest says its language, untranslated strings carry lang="en-GB", and a Welsh build of a
fully translated course has no English word of the tool's left."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import polib
import pytest
from lxml import etree

from course_builder.commands.build import build
from course_builder.errors import CourseInvalid
from course_builder.i18n.words import LOCALE_DIR
from tests.i18n import welsh_course

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read(zip_path: Path, name: str) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.read(name).decode("utf-8")


def package(result, fmt: str, lang: str = "cy") -> Path:  # type: ignore[no-untyped-def]
    suffix = f"-{lang}-{fmt}.zip" if lang != "en-GB" else f"-1.0.0-{fmt}.zip"
    [found] = [path for name, path, _ in result.packages if name == fmt
               and path.name.endswith(suffix)]
    return found


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return welsh_course.write(tmp_path / "course")


def test_each_language_has_its_packages_and_the_source_keeps_its_names(course: Path,
                                                                      tmp_path: Path) -> None:
    result = build(course, tmp_path / "out", ["scorm12"])
    assert sorted(p.name for _, p, _ in result.packages) == [
        "welsh-test-1.0.0-cy-scorm12.zip", "welsh-test-1.0.0-scorm12.zip"]
    english = read(package(result, "scorm12", "en-GB"), "index.html")
    assert '<html lang="en-GB">' in english and 'lang="cy"' not in english


def test_a_translated_string_reaches_the_package_in_its_language(course: Path,
                                                                tmp_path: Path) -> None:
    catalog = welsh_course.translate_everything(course)
    text = catalog.read_text(encoding="utf-8")
    # leave one string untranslated: it shows in English, marked as English
    title = 'msgctxt "modules/one/module.yaml#pages.story.title"\nmsgid "A story"\nmsgstr "'
    start = text.index(title) + len(title)
    catalog.write_text(text[:start] + text[text.index('"', start):], encoding="utf-8")
    result = build(course, tmp_path / "out", ["scorm12", "scorm2004", "xapi", "cmi5"],
                   languages=["cy"])
    page = read(package(result, "scorm12"), "index.html")
    assert '<html lang="cy">' in page
    assert "Neidio i'r prif gynnwys" in page and ">Nesaf<" in page  # the tool's words
    assert welsh_course.welsh(0) in page  # course.yaml's title, translated
    assert re.search(r'<h1 lang="en-GB" id="cb-page-1-title" tabindex="-1">A story</h1>', page)
    assert 'data-goto="1"><span lang="en-GB">A story</span>' in page  # in the contents
    assert page.count('lang="en-GB"') == 2
    statement = read(package(result, "scorm12"), "accessibility.html")
    assert '<html lang="cy">' in statement and "29 Tachwedd 2026" in statement

    metadata = etree.fromstring(read(package(result, "scorm12"), "metadata.xml").encode())
    assert {s.get(XML_LANG) for s in metadata.iter("{*}langstring")} == {"cy"}
    assert metadata.find(".//{*}language").text == "cy"
    manifest = etree.fromstring(read(package(result, "scorm2004"), "imsmanifest.xml").encode())
    assert {s.get("language") for s in manifest.iter("{*}string")} == {"cy"}
    cmi5 = etree.fromstring(read(package(result, "cmi5"), "cmi5.xml").encode())
    assert {s.get("lang") for s in cmi5.iter("{*}langstring")} == {"cy"}
    tincan = etree.fromstring(read(package(result, "xapi"), "tincan.xml").encode())
    names = {(n.get("lang"), n.text) for n in tincan.iter("{*}name")}
    assert ("cy", welsh_course.welsh(0)) in names
    assert ("en-GB", "Test course") in names  # a translation carries its source too
    assert ("en-GB", "A story") in names  # the untranslated page, in its own language

    data = json.loads(re.search(r'id="cb-course">(.*?)</script>', read(
        package(result, "xapi"), "index.html"), re.S).group(1))
    assert data["language"] == "cy"  # context.language of every statement
    assert data["xapi"]["course"]["definition"]["name"] == {
        "cy": welsh_course.welsh(0), "en-GB": "Test course"}


def test_untranslated_strings_are_one_warning_and_strict_refuses_them(course: Path,
                                                                     tmp_path: Path) -> None:
    result = build(course, tmp_path / "out", ["scorm12"], languages=["cy"])
    assert result.reporter is not None
    warnings = [d.format(course) for d in result.reporter.warnings]
    assert warnings == [
        "course.yaml:3:12: warning: cy: 0 of 38 strings translated; 38 untranslated; the en-GB "
        "text is shown instead, marked as en-GB\n    hint: course-builder translate status "
        "--lang cy lists them; course-builder translate export --lang cy makes a file for the "
        "translator"]
    with pytest.raises(CourseInvalid):
        build(course, tmp_path / "strict", ["scorm12"], strict=True, languages=["cy"])
    assert not (tmp_path / "strict").exists()
    welsh_course.translate_everything(course)
    done = build(course, tmp_path / "done", ["scorm12"], strict=True, languages=["cy"])
    assert done.reporter is not None and done.reporter.warnings == []


def test_a_draft_language_is_built_only_when_asked_for(course: Path, tmp_path: Path) -> None:
    draft = welsh_course.COURSE.replace("languages: [en-GB, cy]",
                                        "languages: [en-GB, {cy: draft}]")
    welsh_course.write(course, course=draft)
    result = build(course, tmp_path / "out", ["scorm12"], strict=True)
    assert [p.name for _, p, _ in result.packages] == ["welsh-test-1.0.0-scorm12.zip"]
    every = build(course, tmp_path / "all", ["scorm12"], languages=["all"])
    assert len(every.packages) == 2
    with pytest.raises(CourseInvalid, match="fr: not among the course's languages"):
        build(course, tmp_path / "fr", ["scorm12"], languages=["fr"])


def _english_fragments() -> dict[str, str]:
    """Each stretch of English words in the tool's catalog (placeholders and markup cut out)
    whose Welsh is different, with the message it comes from."""
    found = {}
    for entry in polib.pofile(str(LOCALE_DIR / "cy.po")):
        welsh = entry.msgstr or " ".join(entry.msgstr_plural.values())
        for part in re.split(r"%\(\w+\)s|\{\w+\}|<[^>]+>|%%", entry.msgid):
            part = part.strip(" .,:;()'\u201c\u201d\u2019")
            # three letters at least: "or" is also a word of code ("for", "error")
            if re.search(r"[A-Za-z]{3}", part) and part not in welsh:
                found[part] = entry.msgid
    return found


def test_a_welsh_build_has_no_english_runtime_words_left(course: Path, tmp_path: Path) -> None:
    welsh_course.translate_everything(course)
    result = build(course, tmp_path / "out", ["scorm12", "web"], languages=["cy"], strict=True)
    fragments = _english_fragments()
    assert len(fragments) > 150  # the whole catalog is searched for
    for _, path, _ in result.packages:
        with zipfile.ZipFile(path) as archive:
            texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                     if name.endswith((".html", ".js"))}
        for name, text in texts.items():
            if name.endswith(".js"):
                # only what a script could show: its string literals, outside comments, that
                # are not code words ("passed", "attempt": values sent to an LMS, CSS names)
                text = re.sub(r"/\*.*?\*/|(?<![:\\])//[^\n]*", "", text, flags=re.S)
                literals = re.findall(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', text)
                text = "\n".join(x for x in literals if not re.fullmatch(r".[a-z_.-]*.", x))
            else:  # the page, with the runtime's messages (their words, not their keys)
                messages = json.loads(re.search(r'id="cb-messages">(.*?)</script>', text, re.S)
                                      .group(1)) if "cb-messages" in text else {}
                words = [re.sub(r"\{\w+\}", "", m) for m in messages.values()]
                text = re.sub(r"<script type=\"application/json\".*?</script>", "", text,
                              flags=re.S) + "\n".join(words)
            left = sorted({f"{fragment!r} (from {message!r})"
                           for fragment, message in fragments.items()
                           if re.search(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])", text)})
            assert left == [], f"{path.name}:{name}: English left: {left}"
