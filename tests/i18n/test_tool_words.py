"""The tool's own words: the template is up to date with the code, the Welsh catalog translates
every word and keeps its placeholders, says it awaits review, and no script holds English."""

from __future__ import annotations

import re
from pathlib import Path

import polib

from course_builder.i18n.extract import TEMPLATE_FILE, tool_words
from course_builder.i18n.runtime_messages import MESSAGES
from course_builder.i18n.words import LOCALE_DIR, Words, words_for
from tests.conftest import REPO

PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|%%")


def test_the_template_holds_every_word_the_code_uses() -> None:
    """Run `python -m course_builder.i18n.extract` after changing the tool's words."""
    fresh = tool_words(REPO)
    assert str(fresh) == TEMPLATE_FILE.read_text(encoding="utf-8")


def test_welsh_translates_every_word_and_keeps_its_placeholders() -> None:
    template = polib.pofile(str(TEMPLATE_FILE))
    welsh = polib.pofile(str(LOCALE_DIR / "cy.po"))
    by_key = {(e.msgctxt, e.msgid): e for e in welsh if not e.obsolete}
    assert set(by_key) == {(e.msgctxt, e.msgid) for e in template}
    for entry in by_key.values():
        assert "fuzzy" not in entry.flags, entry.msgid
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert text, f"no Welsh for {entry.msgid!r}"
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(
                entry.msgid)), entry.msgid
    assert welsh.metadata["Plural-Forms"].startswith("nplurals=6;")
    # a first draft until a Welsh-speaking translator has reviewed it: said where it is kept
    assert welsh.metadata["X-Review-Status"] == (
        "draft: needs review by a Welsh-speaking translator before release")


def test_words_in_welsh_and_english() -> None:
    welsh = words_for("cy")
    assert welsh.gettext("Next") == "Nesaf"
    assert welsh.pgettext("cb.page_of", MESSAGES["cb.page_of"]) == "Tudalen {n} o {total}"
    assert words_for("cy-GB").gettext("Previous") == "Blaenorol"  # the language's catalog
    assert welsh.ngettext("%(count)s question.", "%(count)s questions.", 3) == \
        "Nifer y cwestiynau: %(count)s."
    assert Words("en-GB").gettext("Next") == "Next"
    unknown = words_for("fr")
    assert unknown.gettext("Next") == "Next" and unknown.missing == {(None, "Next")}


def test_no_script_holds_english() -> None:
    """Words a learner reads come from messages (CB.t, api.t), never from a script: any
    string literal that looks like words (a capitalised word and another) is a mistake, except
    in what only developers read (logs, console messages, errors)."""
    scripts = [*(REPO / "course_builder" / "runtime").rglob("*.js"),
               *(REPO / "plugins").glob("*/static/*.js")]
    found = []
    for path in scripts:
        code = re.sub(r"/\*.*?\*/|(?<![:\\])//[^\n]*", "", path.read_text(encoding="utf-8"),
                      flags=re.S)
        code = "\n".join(line for line in code.splitlines()
                         if not re.search(r"log\.push\(|console\.|Error\(|\.note\(", line))
        for literal in re.findall(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', code):
            text = literal[0] or literal[1]
            if re.search(r"\b[A-Z][a-z]+ [a-z]+\b", text) and not text.startswith(("[", ".")):
                found.append(f"{Path(path).relative_to(REPO)}: {text!r}")
    assert found == []
