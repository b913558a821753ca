"""course-builder translate: export and import through PO and XLIFF 2.0 change nothing; stale
strings are found; files for another course, or naming strings the course lacks, are refused
with located errors; the files open in Weblate's reader (translate-toolkit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.commands.build import build
from course_builder.diagnostics import Reporter
from course_builder.i18n import xliff
from course_builder.i18n.catalog import State, status
from course_builder.i18n.exchange import load_catalog
from course_builder.i18n.prepare import read_course_text
from tests.i18n import welsh_course


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return welsh_course.write(tmp_path / "course")


def test_contexts_name_the_file_and_the_field_by_ids(course: Path) -> None:
    text = read_course_text(course, Reporter())
    assert text is not None
    contexts = {unit.context: unit for unit in text.units}
    body = contexts["modules/one/module.yaml#pages.intro.blocks.welcome-text.body"]
    assert (body.source, body.line, body.markdown) == ("Hello, **learner**.", 10, True)
    assert "modules/one/module.yaml#pages.check.blocks.check-quiz.questions.q1.options[0].text" \
        in contexts
    assert "modules/one/module.yaml#pages.story.blocks.sam-story.what_helped[0]" in contexts
    assert "course.yaml#support[0].description" in contexts
    assert "course.yaml#accessibility.limitations[0]" in contexts
    # a block without an id is named by its place; ids, URLs, numbers are not translatable
    assert "modules/one/module.yaml#pages.intro.blocks[1].body" in contexts
    assert not [c for c in contexts if c.endswith((".id", ".href", ".practice", ".kind"))]


@pytest.mark.parametrize("fmt, suffix", [("po", ".po"), ("xliff", ".xlf")])
def test_round_trip_changes_nothing(course: Path, tmp_path: Path, fmt: str,
                                   suffix: str) -> None:
    stored = welsh_course.translate_everything(course)
    code, output = run("translate", "export", str(course), "--lang", "cy")
    assert code == 0, output
    before = stored.read_bytes()
    first = build(course, tmp_path / "first", ["scorm12"], languages=["cy"])
    copy = tmp_path / f"for-translator{suffix}"
    code, output = run("translate", "export", str(course), "--lang", "cy", "--format", fmt,
                       "-o", str(copy))
    assert code == 0, output
    code, output = run("translate", "import", str(copy), str(course))
    assert code == 0, output
    assert "0 translation(s) changed" in output
    assert stored.read_bytes() == before
    second = build(course, tmp_path / "second", ["scorm12"], languages=["cy"])
    [(_, a, _)], [(_, b, _)] = first.packages, second.packages
    assert a.read_bytes() == b.read_bytes()


def test_a_translated_xliff_comes_back_into_the_po_file(course: Path, tmp_path: Path) -> None:
    assert run("translate", "export", str(course), "--lang", "cy")[0] == 0  # translations/cy.po
    out = tmp_path / "cy.xlf"
    assert run("translate", "export", str(course), "--lang", "cy", "-o", str(out))[0] == 0
    text = out.read_text(encoding="utf-8")
    context = "modules/one/module.yaml#pages.intro.title"
    unit = f'<unit id="{xliff.unit_id(context)}" name="{context}">'
    assert unit in text
    # what a CAT tool does: fill in the target and mark the segment translated
    start = text.index(unit)
    segment = text.index('<segment state="initial">', start)
    source_end = text.index("</source>", segment) + len("</source>")
    text = (text[:segment] + '<segment state="translated">' + text[segment + 25:source_end]
            + "<target>Croeso</target>" + text[source_end:])
    out.write_text(text, encoding="utf-8")
    code, output = run("translate", "import", str(out), str(course))
    assert code == 0, output
    po_text = (course / "translations" / "cy.po").read_text(encoding="utf-8")
    assert f'msgctxt "{context}"\nmsgid "Welcome"\nmsgstr "Croeso"' in po_text
    assert "#: modules/one/module.yaml:5" in po_text


def test_changed_source_text_makes_the_translation_stale(course: Path) -> None:
    welsh_course.translate_everything(course)
    module = course / "modules" / "one" / "module.yaml"
    module.write_text(module.read_text().replace("It was a hard day.", "It was a long day."))
    code, output = run("translate", "status", str(course), "--lang", "cy", "--check")
    assert code == 1
    assert ("  modules/one/module.yaml:24:15: stale: modules/one/module.yaml#pages.story.blocks"
            ".sam-story.body (the source text changed since it was translated)") in output
    text = read_course_text(course, Reporter())
    assert text is not None
    catalog = load_catalog(text, "cy", Reporter())
    result = status(text.units, catalog)
    assert [u.context for u in result.units(State.STALE)] == [
        "modules/one/module.yaml#pages.story.blocks.sam-story.body"]
    # export keeps the translation, marks it fuzzy and remembers what it was made for
    assert run("translate", "export", str(course), "--lang", "cy")[0] == 0
    po_text = (course / "translations" / "cy.po").read_text(encoding="utf-8")
    assert ('#, fuzzy\n#| msgid "It was a hard day."\n'
            'msgctxt "modules/one/module.yaml#pages.story.blocks.sam-story.body"\n'
            'msgid "It was a long day."\n') in po_text


def test_a_file_for_another_course_is_refused(course: Path, tmp_path: Path) -> None:
    other = welsh_course.write(
        tmp_path / "other",
        course=welsh_course.COURSE.replace("welsh-test", "another-course"))
    out = tmp_path / "other.po"
    assert run("translate", "export", str(other), "--lang", "cy", "-o", str(out))[0] == 0
    code, output = run("translate", "import", str(out), str(course))
    assert code == 1
    assert (f"{out}:1: error: this file is for the course "
            "'https://example.org/courses/another-course', not this one "
            "('https://example.org/courses/welsh-test')\n"
            "    hint: export a file from this course: course-builder translate export") in output
    assert not (course / "translations").exists()


def test_unknown_contexts_are_refused_where_they_are(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "cy.po"
    assert run("translate", "export", str(course), "--lang", "cy", "-o", str(out))[0] == 0
    text = out.read_text(encoding="utf-8")
    text = text.replace('msgctxt "modules/one/module.yaml#pages.intro.title"',
                        'msgctxt "modules/one/module.yaml#pages.intro.titel"')
    out.write_text(text, encoding="utf-8")
    # the entry's first line: its "#:" reference, just above msgctxt
    line = text[:text.index("pages.intro.titel")].count("\n")
    code, output = run("translate", "import", str(out), str(course))
    assert code == 1
    assert (f"{out}:{line}: error: 'modules/one/module.yaml#pages.intro.titel' is not a string "
            "of this course\n    hint: did you mean "
            "`modules/one/module.yaml#pages.intro.title`?") in output
    assert "nothing was written" in output
    assert not (course / "translations").exists()


def test_a_broken_file_is_reported_with_its_line(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "cy.xlf"
    out.write_text('<?xml version="1.0"?>\n<xliff version="2.0" xmlns="urn:oasis:names:tc:'
                   'xliff:document:2.0" srcLang="en-GB" trgLang="cy">\n<file id="f">\n'
                   "<unit id=\"u\"></file></xliff>\n", encoding="utf-8")
    code, output = run("translate", "import", str(out), str(course))
    assert code == 1
    assert f"{out}:4: error: not well-formed XML" in output


def test_weblates_reader_opens_both_formats(course: Path, tmp_path: Path) -> None:
    """translate-toolkit is what Weblate and Pootle read PO and XLIFF 2.0 with."""
    from translate.storage import po as pofile
    from translate.storage import xliff2
    welsh_course.translate_everything(course)
    text = read_course_text(course, Reporter())
    assert text is not None
    for fmt, suffix in (("po", ".po"), ("xliff", ".xlf")):
        out = tmp_path / f"cy{suffix}"
        assert run("translate", "export", str(course), "--lang", "cy", "--format", fmt, "-o",
                   str(out))[0] == 0
        store = (pofile.pofile if fmt == "po" else xliff2.Xliff2File).parsefile(str(out))
        if fmt == "xliff":
            assert [u.getid() for u in store.units][0] == xliff.unit_id(text.units[0].context)
        units = [u for u in store.units if not u.isheader()]
        assert len(units) == len(text.units)
        first = units[0]
        assert first.source == text.units[0].source
        assert first.target == welsh_course.welsh(0)
        assert first.istranslated()
