"""Finding the tool's English in a package built in another language.

The English of the tool's catalog (``course_builder.pot``: templates, Python, the runtime's and
plugins' messages) is cut into words; a word that the Welsh catalog also uses ("a", "NICE",
"SCORM") cannot tell English from Welsh and is left out. A page is then read as a browser
reads it (lxml's HTML parser): every text node and every attribute a learner reads (alt,
title, aria-label...) that is not inside an element marked ``lang="en..."`` must hold none of
those words. What cannot carry ``lang`` (a ``<title>``, the handout's ``@page`` strings, a
script's string literals) is read with the course's own strings taken out first, since the
author's English there is not the tool's.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
from lxml import html as lxml_html

from course_builder.i18n.extract import TEMPLATE_FILE
from course_builder.i18n.words import LOCALE_DIR

_WORD = re.compile(r"[A-Za-z\u2019']+(?:-[A-Za-z]+)*")
_PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|%%|<[^>]+>")
#: attributes whose value a learner reads or hears
READ_ATTRIBUTES = ("alt", "title", "aria-label", "aria-description", "aria-roledescription",
                   "placeholder", "label")
_CSS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")


_ADDRESS = re.compile(r"\b(?:https?://|mailto:|tel:|www\.)\S+|\S+@\S+\.\w+")
#: lines of a script that only developers read (the journal, the console, errors)
_DEVELOPERS = re.compile(r"log\.push\(|console\.|Error\(|\.note\(|\bnote\(|log\(")
#: a string literal that reads as words: a capitalised word then another
_PROSE = re.compile(r"\b[A-Z][a-z]+ [a-z]+\b")


def _words(text: str) -> set[str]:
    text = _ADDRESS.sub(" ", text)
    return {w.strip("'\u2019").lower() for w in _WORD.findall(text) if len(w.strip("'\u2019")) > 1}


def english_words(language: str = "cy") -> set[str]:
    """Words of the tool's English that the ``language`` catalog does not also use."""
    template = polib.pofile(str(TEMPLATE_FILE))
    english: set[str] = set()
    for entry in template:
        for text in (entry.msgid, entry.msgid_plural or ""):
            english |= _words(_PLACEHOLDER.sub(" ", text))
    return english - welsh_words(language)


def welsh_words(language: str = "cy") -> set[str]:
    """Every word of the ``language`` catalog's translations."""
    theirs: set[str] = set()
    for entry in polib.pofile(str(LOCALE_DIR / f"{language}.po")):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            theirs |= _words(_PLACEHOLDER.sub(" ", text))
    return theirs


def shown_words(path: Path, author: Iterable[str]) -> set[str]:
    """The words a package shows a learner (its pages' text, the attributes a learner reads,
    its titles, style sheets' strings and runtime messages, not its scripts' code), less the
    words of the course's own text (``author``): in an English build, the tool's English as it
    is shipped, whether it went through the catalog or not."""
    everything = Scanner({"*"})
    shown: set[str] = set()
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith((".html", ".htm")):
                shown |= everything.readable(archive.read(member).decode("utf-8"))
            elif member.endswith(".css"):
                css = archive.read(member).decode("utf-8")
                shown |= {w for s in _css_strings(css) for w in _words(s)}
    authors = set().union(*(_words(text) for text in author))
    return shown - authors


@dataclass(frozen=True)
class Found:
    file: str
    where: str  # "text", an attribute's name, "title", "css", "script", "messages"
    text: str
    words: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.file} [{self.where}] {', '.join(self.words)}: {self.text[:120]!r}"


class Scanner:
    """Looks for ``words`` outside English-marked elements; ``author``: the course's own
    strings, taken out of what cannot be marked (titles, CSS strings, script literals)."""

    def __init__(self, words: set[str], author: Iterable[str] = ()) -> None:
        self.words = words
        # longest first, so that a string holding another is taken out whole
        self.author = sorted({" ".join(a.split()) for a in author if a.strip()}, key=len,
                             reverse=True)

    def english(self, text: str) -> tuple[str, ...]:
        return tuple(sorted(_words(text) & self.words))

    def without_author(self, text: str) -> str:
        text = " ".join(text.split())
        for string in self.author:
            text = text.replace(string, " ")
        return text

    # -- HTML -------------------------------------------------------------------------------
    def page(self, name: str, source: str) -> Iterator[Found]:
        root = lxml_html.document_fromstring(source)
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue  # comments
            tag = element.tag.lower().split("}")[-1]
            marked = _in_english(element)
            if tag == "script":
                yield from self._script(name, element)
                continue
            if tag == "style":
                yield from self._css(name, element.text or "")
                continue
            if tag == "title" and element.getparent() is not None \
                    and element.getparent().tag == "head":
                # the document's title can have no lang of its own (WCAG 3.1.2 allows this)
                text = self.without_author(element.text_content())
                if found := self.english(text):
                    yield Found(name, "title", text, found)
                continue
            if not marked:
                if found := self.english(element.text or ""):
                    yield Found(name, f"<{tag}>", element.text or "", found)
                for attribute in READ_ATTRIBUTES:
                    value = element.get(attribute)
                    if value and (found := self.english(value)):
                        yield Found(name, f"<{tag} {attribute}>", value, found)
            parent = element.getparent()
            if element.tail and parent is not None and not _in_english(parent):
                if found := self.english(element.tail):
                    yield Found(name, f"after <{tag}>", element.tail, found)

    def _script(self, name: str, element: lxml_html.HtmlElement) -> Iterator[Found]:
        text = element.text or ""
        if element.get("id") == "cb-messages":  # the runtime's words in the page's language
            for key, message in json.loads(text).items():
                if found := self.english(_PLACEHOLDER.sub(" ", message)):
                    yield Found(name, f"message {key}", message, found)
        elif element.get("type") not in ("application/json", "application/ld+json"):
            yield from self.script(name, text)

    def script(self, name: str, code: str) -> Iterator[Found]:
        """What a script could show: its string literals that read as words (a capitalised
        word and another), outside comments and lines only developers read (logs, errors);
        not code words (values sent to an LMS, selectors, CSS class names)."""
        code = re.sub(r"/\*.*?\*/|(?<![:\\\"'])//[^\n]*", "", code, flags=re.S)
        code = "\n".join(line for line in code.splitlines() if not _DEVELOPERS.search(line))
        for literal in re.findall(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', code):
            if not _PROSE.search(literal):
                continue
            text = self.without_author(literal[1:-1])
            if found := self.english(text):
                yield Found(name, "script", literal, found)

    def _css(self, name: str, css: str) -> Iterator[Found]:
        for string in _css_strings(css):
            text = self.without_author(string)
            if found := self.english(text):
                yield Found(name, "css", text, found)

    def readable(self, source: str) -> set[str]:
        """Every word of a page a learner reads or hears, marked English or not."""
        root = lxml_html.document_fromstring(source)
        words: set[str] = set()
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.lower()
            if tag == "script":
                if element.get("id") == "cb-messages":
                    for message in json.loads(element.text or "{}").values():
                        words |= _words(_PLACEHOLDER.sub(" ", message))
            elif tag == "style":
                words |= {w for s in _css_strings(element.text or "") for w in _words(s)}
            else:
                words |= _words(element.text or "")
                for attribute in READ_ATTRIBUTES:
                    words |= _words(element.get(attribute) or "")
            words |= _words(element.tail or "")
        return words

    # -- packages ---------------------------------------------------------------------------
    def package(self, path: Path) -> list[Found]:
        """Everything English in a package's pages, scripts and stylesheets."""
        found: list[Found] = []
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                where = f"{path.name}:{member}"
                if member.endswith((".html", ".htm")):
                    found += self.page(where, archive.read(member).decode("utf-8"))
                elif member.endswith(".js"):
                    found += self.script(where, archive.read(member).decode("utf-8"))
                elif member.endswith(".css"):
                    found += self._css(where, archive.read(member).decode("utf-8"))
        return found


def _css_strings(css: str) -> Iterator[str]:
    """The strings a style sheet prints (``content: "..."``), their escapes read."""
    for value in re.findall(r"\bcontent\s*:([^;}]*)", css):
        yield from _css_value_strings(value)


def _css_value_strings(value: str) -> Iterator[str]:
    for match in _CSS_STRING.finditer(value):
        yield _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2),
                              match.group(1)).replace("\n", " ")


def _in_english(element: lxml_html.HtmlElement) -> bool:
    """Whether the nearest ``lang`` around ``element`` (itself included) is English."""
    node: lxml_html.HtmlElement | None = element
    while node is not None:
        lang = node.get("lang") or node.get("{http://www.w3.org/XML/1998/namespace}lang")
        if lang is not None:
            return lang.lower() == "en" or lang.lower().startswith("en-")
        node = node.getparent()
    return False
