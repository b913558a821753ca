"""``lang`` on every part of a page that is not in the page's language (WCAG 2.2, 3.1.2
Language of Parts): a string whose translation is missing shows in the source language, and a
screen reader must read it with that language's voice.

Templates need not know: a :class:`~.text.SourceText` (or an untranslated word of the tool's)
printed by ``{{ ... }}`` comes out between marks that name its language, and
:func:`mark_languages` then turns each pair of marks into a ``lang`` attribute:

* the whole content of an element (``<h2>{{ title }}</h2>``): ``lang`` on that element;
* part of an element's text: a ``<span lang>`` around it;
* an attribute (``alt``, ``aria-label``): ``lang`` on its element;
* text that cannot carry markup (``<title>``, ``<script>``, ``<style>``): the marks are removed
  and the page's own language stands (the document-level ``lang`` is all these can have).

Markdown rendered from a SourceText is wrapped whole by :func:`wrap`, since its HTML is made by
the Markdown parser, not by a template.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from course_builder.i18n.text import CLOSE_MARK, LANG_MARK, OPEN_MARK, SourceText

_MARKED = re.compile(f"{OPEN_MARK}([^{LANG_MARK}]*){LANG_MARK}([^{OPEN_MARK}{CLOSE_MARK}]*)"
                     f"{CLOSE_MARK}")
_LEFT_OPEN = re.compile(f"{OPEN_MARK}[^{OPEN_MARK}{LANG_MARK}<>]*{LANG_MARK}")
# A start tag holding a mark in an attribute value.
_TAG_WITH_MARK = re.compile(f"<([a-zA-Z][a-zA-Z0-9-]*)(\\s[^<>]*{OPEN_MARK}[^<>]*)>")
# Elements whose content is text only: marks there cannot become markup.
_RAW_TEXT = re.compile(r"(<(title|script|style|textarea)\b[^>]*>)(.*?)(</\2>)", re.S | re.I)
# An element whose whole content is one marked text.
_WHOLE = re.compile(f"<([a-zA-Z][a-zA-Z0-9-]*)((?:\\s[^<>]*)?)>(\\s*){OPEN_MARK}"
                    f"([^{LANG_MARK}]*){LANG_MARK}([^{OPEN_MARK}{CLOSE_MARK}<]*){CLOSE_MARK}"
                    f"(\\s*)</\\1>")
_HAS_LANG = re.compile(r"\slang\s*=", re.I)


def _strip(text: str) -> str:
    return _MARKED.sub(lambda m: m.group(2), text)


def _with_lang(name: str, attributes: str, lang: str) -> str:
    if _HAS_LANG.search(attributes):
        return f"<{name}{attributes}>"
    return f'<{name} lang="{escape(lang)}"{attributes}>'


def mark_languages(html: str) -> str:
    """``html`` with every marked string given its ``lang``, and no mark left."""
    if OPEN_MARK not in html:
        return html

    def raw_text(match: re.Match[str]) -> str:
        return match.group(1) + _strip(match.group(3)) + match.group(4)

    def tag(match: re.Match[str]) -> str:
        langs = {m.group(1) for m in _MARKED.finditer(match.group(2))}
        attributes = _strip(match.group(2))
        if len(langs) != 1:
            return f"<{match.group(1)}{attributes}>"
        return _with_lang(match.group(1), attributes, langs.pop())

    def whole(match: re.Match[str]) -> str:
        name, attributes, before, lang, text, after = match.groups()
        return f"{_with_lang(name, attributes, lang)}{before}{text}{after}</{name}>"

    html = _RAW_TEXT.sub(raw_text, html)
    html = _TAG_WITH_MARK.sub(tag, html)
    html = _WHOLE.sub(whole, html)
    html = _MARKED.sub(lambda m: f'<span lang="{escape(m.group(1))}">{m.group(2)}</span>', html)
    # Anything left (a mark split by a template filter) must not reach the learner.
    html = _LEFT_OPEN.sub("", html)
    return html.replace(OPEN_MARK, "").replace(CLOSE_MARK, "").replace(LANG_MARK, "")


def wrap(text: Any, html: Markup, block: bool) -> Markup:
    """Markdown ``html`` rendered from ``text``: inside ``<div lang>`` (``block``) or
    ``<span lang>`` when ``text`` is source text standing in for a translation."""
    if not isinstance(text, SourceText) or not html:
        return html
    element = "div" if block else "span"
    return Markup(f'<{element} lang="{escape(text.lang)}">{html}</{element}>')
