"""The tool's own words (buttons, notices, headings the tool puts on the page), in each language.

Every word course-builder itself shows goes through gettext catalogs:

* templates use Jinja's i18n extension, ``{% trans %}Next{% endtrans %}`` or ``{{ _("Next") }}``;
* Python code that makes text for the page uses :func:`gettext` (``_``) from this module;
* the runtime's JavaScript and plugins' JavaScript never hold English: they ask for a message
  by key (``CB.t("nav.next")``, ``api.t("submit")``), and the build puts each key's words for
  the package's language into the course JSON (:func:`js_messages`). The English of those keys
  is declared in Python: ``course_builder/i18n/runtime_messages.py`` for the runtime, and a
  plugin's ``messages`` for its own script.

The English is the source; other languages come from PO files: the tool's
``course_builder/locale/<lang>.po``, and a plugin's own ``<plugin folder>/locale/<lang>.po``
for words the tool's catalog lacks. Rendering happens inside :func:`speaking`, which makes one
language's words current for the templates and for :func:`gettext`.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib
from markupsafe import escape

from course_builder.i18n.text import CLOSE_MARK, LANG_MARK, OPEN_MARK

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: the language the tool's words are written in (msgids)
SOURCE = "en"
Key = tuple[str | None, str]  # (msgctxt, msgid)


def _always_one_form(n: int) -> int:
    return 0 if n == 1 else 1


@dataclass
class Words:
    """The tool's words in one language: ``messages`` maps (context, English) to the
    translation; what is not there is shown in English (and marked ``lang="en"``)."""

    lang: str
    messages: dict[Key, str] = field(default_factory=dict)
    plurals: dict[Key, list[str]] = field(default_factory=dict)
    plural: Callable[[int], int] = _always_one_form
    #: English words asked for and not found, for the build's summary
    missing: set[Key] = field(default_factory=set)

    @property
    def is_source(self) -> bool:
        return self.lang.split("-")[0].lower() == SOURCE

    def lookup(self, context: str | None, message: str) -> str | None:
        if self.is_source:
            return message
        found = self.messages.get((context, message))
        if not found:
            self.missing.add((context, message))
        return found or None

    def gettext(self, message: str) -> str:
        return self.pgettext(None, message)

    def pgettext(self, context: str | None, message: str) -> str:
        found = self.lookup(context, message)
        return found if found is not None else _english(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if not self.is_source:
            forms = self.plurals.get((None, singular))
            if forms:
                index = self.plural(n)
                if 0 <= index < len(forms) and forms[index]:
                    return forms[index]
            self.missing.add((None, singular))
        return _english(singular if n == 1 else plural)


def _english(text: str) -> str:
    """An English fallback in a page in another language: marked so that the page gives it
    ``lang="en"`` (``markup.mark_languages``). Only in non-English builds."""
    words = _CURRENT.get()
    if words is None or words.is_source:
        return text
    return _Fallback(text)


class _Fallback(str):
    """An untranslated word of the tool's, printed with its language mark."""

    def __html__(self) -> str:
        return f"{OPEN_MARK}{SOURCE}{LANG_MARK}{escape(str(self))}{CLOSE_MARK}"


_SOURCE_WORDS = Words(SOURCE)
_CURRENT: ContextVar[Words | None] = ContextVar("course_builder_words", default=None)


def current() -> Words:
    """The words being rendered (English outside :func:`speaking`)."""
    return _CURRENT.get() or _SOURCE_WORDS


@contextmanager
def speaking(words: Words) -> Iterator[Words]:
    """Render in ``words``' language inside this block (templates and :func:`gettext`)."""
    token = _CURRENT.set(words)
    try:
        yield words
    finally:
        _CURRENT.reset(token)


# -- the functions code and templates call --------------------------------------------------------
def gettext(message: str) -> str:
    """``message`` (English) in the language being rendered."""
    return current().gettext(message)


def pgettext(context: str, message: str) -> str:
    return current().pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return current().ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Marks English for the catalog where it is written, to be translated where it is shown
    (``_(PRACTICE_LABELS[kind])``): returns ``message`` unchanged."""
    return message


def install(environment: Any) -> None:
    """Give a Jinja environment ``{% trans %}``, ``_()``, ``gettext``, ``ngettext`` and
    ``pgettext`` in the language being rendered (newstyle: ``%(name)s`` placeholders, and
    values escaped). The environment must have the ``jinja2.ext.i18n`` extension."""
    environment.install_gettext_callables(gettext, ngettext, newstyle=True,
                                          pgettext=pgettext)


# -- catalogs -------------------------------------------------------------------------------------
def _candidates(folder: Path, lang: str) -> Iterator[Path]:
    """``locale/cy-GB.po``, then ``locale/cy.po``: the most specific catalog first."""
    parts = lang.split("-")
    for size in range(len(parts), 0, -1):
        yield folder / f"{'-'.join(parts[:size])}.po"
        if size > 1:  # gettext's own spelling, cy_GB
            yield folder / f"{'_'.join(parts[:size])}.po"


def catalog_file(folder: Path, lang: str) -> Path | None:
    return next((p for p in _candidates(folder, lang) if p.is_file()), None)


@functools.lru_cache(maxsize=64)
def _read(path: Path, mtime: float) -> tuple[dict[Key, str], dict[Key, list[str]], str]:
    po = polib.pofile(str(path))
    single: dict[Key, str] = {}
    plural: dict[Key, list[str]] = {}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        if entry.msgid_plural:
            plural[key] = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        else:
            single[key] = entry.msgstr
    return single, plural, po.metadata.get("Plural-Forms", "")


def _plural_rule(header: str) -> Callable[[int], int]:
    match = re.search(r"plural\s*=\s*([^;]+)", header)
    if not match:
        return _always_one_form
    try:
        return _gettext.c2py(match.group(1))  # type: ignore[attr-defined,no-any-return]
    except (ValueError, SyntaxError):
        return _always_one_form


def words_for(lang: str, plugin_folders: Iterable[Path] = ()) -> Words:
    """The tool's words in ``lang``: its own catalog, then each plugin's for what it lacks."""
    words = Words(lang)
    if words.is_source:
        return words
    folders = [LOCALE_DIR, *plugin_folders]
    for index, folder in enumerate(folders):
        path = catalog_file(folder if index == 0 else folder / "locale", lang)
        if path is None:
            continue
        single, plural, rule = _read(path, path.stat().st_mtime)
        for key, text in single.items():
            words.messages.setdefault(key, text)
        for key, forms in plural.items():
            words.plurals.setdefault(key, forms)
        if index == 0 and rule:
            words.plural = _plural_rule(rule)
    return words


def js_messages(words: Words, declared: Mapping[str, str]) -> dict[str, str]:
    """The runtime's messages for the course JSON: each key's words in ``words``' language
    (the key is the catalog entry's context; the English is its msgid)."""
    return {key: str(words.pgettext(key, english)) for key, english in sorted(declared.items())}
