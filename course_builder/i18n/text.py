"""Which fields are translatable, and text that knows its language.

A model field is translatable when its type is :data:`TranslatableText` (plain text) or
:data:`TranslatableMarkdown` (Markdown), both ``Annotated[str, Translatable(...)]``;
``tuple[TranslatableText, ...]`` marks each item of a list. That annotation is the one place
that says so: ``course-builder translate`` finds the fields by it, in course.yaml's model, the
module and page files and every plugin's block model.
Ids, choices from a fixed list, file paths, web addresses and phone numbers stay plain ``str``.

When a course is built in another language, each translatable value is replaced by a
:class:`TranslatedText` (the translation, remembering its source) or, when the translation is
missing or out of date, by a :class:`SourceText` (the source text, remembering its language).
Both are ``str``: plugins and templates use them as before. What differs is only where the
language shows: a :class:`SourceText` printed in a template marks itself (see
``course_builder/i18n/markup.py``) so that the page gives it ``lang="en-GB"`` (WCAG 2.2, 3.1.2
Language of Parts), and xAPI language maps and manifest langstrings key it by its own language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from markupsafe import escape
from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

#: Around a :class:`SourceText` printed by a template (``OPEN lang LANG text CLOSE``), until
#: ``markup.mark_languages`` turns them into a ``lang`` attribute. Unicode non-characters, which
#: author text cannot hold (``yamlsource.unprintable`` refuses them), so they can never be
#: confused with it.
OPEN_MARK = "\ufdd0"
LANG_MARK = "\ufdd2"
CLOSE_MARK = "\ufdd1"


@dataclass(frozen=True)
class Translatable:
    """Marks a ``str`` field as text a translator translates: ``Annotated[str, Translatable()]``.

    ``markdown``: the text is Markdown (translators are told to keep its marks). ``note``: a
    word for the translator, shown beside the text in their tool (what the text is, where it
    shows, what to keep). Most fields use the ready-made :data:`TranslatableText` and
    :data:`TranslatableMarkdown`.
    """

    markdown: bool = False
    note: str = ""

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # Validated as the str it is, but a TranslatedText or SourceText handed in stays what it
        # is (pydantic would turn it into a plain str), so the language reaches the page.
        return core_schema.no_info_wrap_validator_function(_keep_language, handler(source))


def _keep_language(value: Any, validate: Callable[[Any], Any]) -> Any:
    result = validate(value)
    if isinstance(value, LocalizedText) and result == value:
        return value
    return result


#: Plain translatable text: a title, a label, a name, an item of a list.
TranslatableText = Annotated[str, Translatable()]
#: Translatable Markdown: a body, an explanation, feedback.
TranslatableMarkdown = Annotated[str, Translatable(markdown=True)]


def translatable(annotation: Any) -> Translatable | None:
    """The :class:`Translatable` marker of a field's annotation (or of ``metadata``), if any."""
    for item in getattr(annotation, "__metadata__", ()):
        if isinstance(item, Translatable):
            return item
    return None


class LocalizedText(str):
    """A string from a course built in some language, knowing which language it is in."""

    lang: str

    def __new__(cls, text: str, lang: str) -> LocalizedText:
        value = super().__new__(cls, text)
        value.lang = lang
        return value

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle keep the language
        return (type(self), (str(self), self.lang))


class TranslatedText(LocalizedText):
    """A translation; ``source`` is the text it translates, in ``source_lang``."""

    source: str
    source_lang: str

    def __new__(cls, text: str, lang: str, source: str = "",  # type: ignore[misc]
                source_lang: str = "") -> TranslatedText:
        value = str.__new__(cls, text)
        value.lang = lang
        value.source = source
        value.source_lang = source_lang
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.lang, self.source, self.source_lang))


class SourceText(LocalizedText):
    """The source text standing in for a missing or stale translation.

    Printed in a template (``{{ value }}``), it is wrapped in :data:`OPEN_MARK` and
    :data:`CLOSE_MARK`, which the build turns into ``lang`` on the element around it."""

    def __html__(self) -> str:
        return f"{OPEN_MARK}{self.lang}{LANG_MARK}{escape(str(self))}{CLOSE_MARK}"


def lang_of(text: Any, default: str) -> str:
    """The language ``text`` is in: its own when it knows it, else ``default``."""
    return text.lang if isinstance(text, LocalizedText) else default


def language_map(text: str, language: str) -> dict[str, str]:
    """An xAPI language map (xAPI 1.0.3 Data 4.2.7) for ``text`` in a course built in
    ``language``: the text under its own language, and, for a translation, the source text
    under the source language too, so that an LRS's reports can show either."""
    own = lang_of(text, language)
    result = {own: str(text)}
    if isinstance(text, TranslatedText) and text.source_lang and text.source_lang != own:
        result[text.source_lang] = text.source
    return result
