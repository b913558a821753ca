"""Building a course in each of its languages.

The course is parsed and validated once, in its source language. For each other language,
:func:`localize` puts the translations into the parsed tree and validates that copy like any
course (so each plugin sees its own model, with translated text), and the build then renders it
with the tool's words in that language (``words.speaking``). Untranslated and stale strings show
in the source language, marked with it, and are summed up in one warning per language, so
``--strict`` refuses them; ``course-builder translate status`` lists them one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_builder.diagnostics import Reporter, SourceLocation
from course_builder.i18n.apply import translate_raw
from course_builder.i18n.catalog import State
from course_builder.i18n.exchange import course_text, load_catalog, stored_file
from course_builder.i18n.units import collect_units
from course_builder.i18n.words import Words, words_for
from course_builder.yamlsource import locate

ALL = "all"


def source_language(config: Any) -> str:
    """The language the course is written in."""
    return config.languages[0].tag if config.languages else config.language


def languages_to_build(config: Any, requested: Sequence[str] | None) -> list[str]:
    """The languages a build makes, source first: the ones ``--lang`` names (``all``: every
    one), else every language not marked ``draft``. Raises ValueError for an unknown one."""
    declared = [entry.tag for entry in config.languages] or [config.language]
    if not requested:
        return [entry.tag for entry in config.languages if not entry.draft] or declared[:1]
    if ALL in requested:
        return declared
    unknown = [tag for tag in requested if tag not in declared]
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not among the course's languages "
                         f"({', '.join(declared)}); add it to `languages` in course.yaml")
    return [tag for tag in declared if tag in requested]


def language_suffix(config: Any) -> str:
    """``-cy`` for packages in a language other than the source, ``""`` for the source: the
    source language's packages keep the names they have always had."""
    return "" if config.language == source_language(config) else f"-{config.language}"


class _Types:
    """The plugins a course uses, by type: enough to validate its translated copy."""

    def __init__(self, course: Any) -> None:
        self.types = {block.type: block.plugin for block in course.blocks}

    def get(self, name: str) -> Any:
        return self.types.get(name)

    def __iter__(self) -> Any:
        return iter(sorted(self.types.values(), key=lambda t: t.name))


def localize(course: Any, lang: str, reporter: Reporter) -> Any | None:
    """``course`` in ``lang``, or None when its translations file has errors (reported)."""
    from course_builder.pipeline.validate import validate

    registry = _Types(course)
    units = collect_units(course.raw, registry)
    text = course_text(course, units)
    errors = len(reporter.errors)
    catalog = load_catalog(text, lang, reporter)
    if len(reporter.errors) > errors:
        return None
    translated_raw, result = translate_raw(course.raw, units, catalog, text.source_lang)
    # Validated again so that every plugin sees its model with the translated text. Its
    # warnings and notes repeat the source's; errors are the translation's own (a Markdown
    # image a translator mistyped) and fail the build.
    checked = Reporter()
    localized = validate(translated_raw, registry, checked)  # type: ignore[arg-type]
    for diagnostic in checked.errors:
        reporter.error(f"in the {lang} translation: {diagnostic.message}", diagnostic.location,
                       diagnostic.hint)
    if localized is None or checked.errors:
        return None
    localized.config = localized.config.model_copy(update={"language": lang})
    if not result.complete:
        path = stored_file(text.root, lang)
        where = SourceLocation(path) if path else locate(
            course.raw.config, ("languages",), SourceLocation(Path(text.root) / "course.yaml"))
        stale = result.count(State.STALE)
        reporter.warning(
            f"{lang}: {result.summary()}; the {text.source_lang} text is shown instead, marked "
            f"as {text.source_lang}" + (" (stale: its source text changed since it was "
                                        "translated)" if stale else ""),
            where,
            hint=f"course-builder translate status --lang {lang} lists them; "
            f"course-builder translate export --lang {lang} makes a file for the translator")
    return localized


def words(course: Any, lang: str) -> Words:
    """The tool's words in ``lang``, with the catalogs of the plugins the course uses."""
    folders = sorted({Path(block.plugin.folder) for block in course.blocks})
    return words_for(lang, folders)


def report_missing_words(used: Words, reporter: Reporter) -> None:
    """One warning when the tool's own words are not all translated into this language."""
    if used.is_source or not used.missing:
        return
    sample = ", ".join(f"'{message}'" for _, message in sorted(used.missing, key=str)[:3])
    reporter.warning(f"{used.lang}: {len(used.missing)} of the words course-builder and its "
                     f"plugins show have no {used.lang} translation ({sample}...); they are "
                     "shown in English, marked as English",
                     hint="add them to the plugin's locale/<lang>.po (docs/translating.md)")


@dataclass
class Edition:
    """The course in one language, with the tool's words in that language."""

    course: Any
    words: Words

    @property
    def label(self) -> str:
        """`` (cy)`` for the progress line of a language other than the source."""
        config = self.course.config
        return "" if config.language == source_language(config) else f" ({config.language})"


def editions(course: Any, requested: Sequence[str] | None, reporter: Reporter) -> list[Edition]:
    """The course in each language to build, source first. Problems are reported; a language
    whose translations file has errors is left out (and the build fails)."""
    try:
        languages = languages_to_build(course.config, requested)
    except ValueError as exc:
        reporter.error(str(exc), SourceLocation(Path(course.root) / "course.yaml"))
        return []
    source = source_language(course.config)
    found = []
    for lang in languages:
        localized = course if lang == source else localize(course, lang, reporter)
        if localized is not None:
            found.append(Edition(localized, words(localized, lang)))
    return found


class ErrorsOnly(Reporter):
    """Passes errors on to ``reporter`` and drops the rest (they repeat the source's)."""

    def __init__(self, reporter: Reporter) -> None:
        super().__init__(strict=False)
        self._to = reporter

    def error(self, message: str, location: SourceLocation | None = None,
              hint: str | None = None) -> None:
        super().error(message, location, hint)
        self._to.error(message, location, hint)
