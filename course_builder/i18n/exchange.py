"""Translations files beside a course: where they are, reading them with located errors, and
exporting and importing them.

A course keeps one file per language in ``translations/``: ``<lang>.po`` or ``<lang>.xlf``
(not both). ``export`` brings that file up to date with the course (new strings added, changed
ones marked stale, translations kept) or writes a copy elsewhere in either format; ``import``
takes a file back from a translator, checks it belongs to this course, and merges its
translations into the course's file. Nothing is written when anything is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from course_builder.diagnostics import Reporter, SourceLocation, did_you_mean
from course_builder.i18n import po, xliff
from course_builder.i18n.catalog import Catalog, Entry, refresh
from course_builder.i18n.po import FormatError
from course_builder.i18n.units import Unit
from course_builder.yamlsource import describe_character, unprintable

TRANSLATIONS_DIR = "translations"
#: format name -> file suffix
FORMATS = {"po": ".po", "xliff": ".xlf"}
_SUFFIXES = {".po": "po", ".pot": "po", ".xlf": "xliff", ".xliff": "xliff"}


@dataclass(frozen=True)
class CourseText:
    """What the translation commands need to know of a loaded, valid course."""

    root: Path
    course_id: str
    title: str
    version: str
    source_lang: str
    languages: tuple[str, ...]  # every language, source first
    units: tuple[Unit, ...]

    @property
    def by_context(self) -> dict[str, Unit]:
        return {unit.context: unit for unit in self.units}


def format_of(path: Path) -> str | None:
    """``po`` or ``xliff`` from a file's suffix."""
    return _SUFFIXES.get(path.suffix.lower())


def stored_file(root: Path, lang: str, reporter: Reporter | None = None) -> Path | None:
    """The course's translations file for ``lang``, if it has one."""
    found = [root / TRANSLATIONS_DIR / f"{lang}{suffix}" for suffix in FORMATS.values()]
    found = [path for path in found if path.is_file()]
    if len(found) > 1 and reporter is not None:
        reporter.error(f"{TRANSLATIONS_DIR}/ holds both {found[0].name} and {found[1].name} for "
                       f"{lang}; keep one", SourceLocation(found[0]),
                       hint="delete the one you no longer use")
    return found[0] if found else None


def read_file(path: Path) -> Catalog:
    """Read a PO or XLIFF file; raises FormatError."""
    kind = format_of(path)
    if kind is None:
        raise FormatError("not a translations file: its name must end in .po or .xlf")
    return po.read(path) if kind == "po" else xliff.read(path)


def write_file(path: Path, catalog: Catalog, text: CourseText) -> None:
    kind = format_of(path) or "po"
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = po.write if kind == "po" else xliff.write
    writer(path, catalog, text.by_context, text.title, text.version)


def load_catalog(text: CourseText, lang: str, reporter: Reporter) -> Catalog:
    """The course's translations into ``lang`` for a build or ``translate status``: an empty
    catalog when there is no file yet. Problems in the file are located errors."""
    empty = Catalog(text.course_id, text.source_lang, lang)
    path = stored_file(text.root, lang, reporter)
    if path is None:
        return empty
    catalog = _read_checked(path, text, reporter, expected_lang=lang)
    if catalog is None:
        return empty
    _check_entries(catalog, path, text, reporter, unknown_is_error=False)
    return catalog


def _read_checked(path: Path, text: CourseText, reporter: Reporter,
                  expected_lang: str | None) -> Catalog | None:
    try:
        catalog = read_file(path)
    except FormatError as exc:
        reporter.error(str(exc), SourceLocation(path, exc.line))
        return None
    except OSError as exc:
        reporter.error(f"cannot read the file: {exc.strerror or exc}", SourceLocation(path))
        return None
    where = SourceLocation(path, 1)
    errors = len(reporter.errors)
    if catalog.course_id != text.course_id:
        reporter.error(f"this file is for the course '{catalog.course_id or '(not named)'}', "
                       f"not this one ('{text.course_id}')", where,
                       hint="export a file from this course: course-builder translate export")
    if catalog.source_lang and catalog.source_lang != text.source_lang:
        reporter.error(f"this file translates from {catalog.source_lang}, but the course is "
                       f"written in {text.source_lang}", where)
    if expected_lang is not None and catalog.lang != expected_lang:
        reporter.error(f"this file is a translation into '{catalog.lang or '(not named)'}', not "
                       f"{expected_lang}", where)
    elif catalog.lang not in text.languages[1:]:
        reporter.error(f"the course is not offered in '{catalog.lang or '(not named)'}': "
                       f"course.yaml's languages are {', '.join(text.languages)}", where,
                       hint=f"add {catalog.lang} to `languages` in course.yaml"
                       if catalog.lang else None)
    return catalog if len(reporter.errors) == errors else None


def _check_entries(catalog: Catalog, path: Path, text: CourseText, reporter: Reporter,
                   unknown_is_error: bool) -> None:
    known = text.by_context
    ids = {xliff.unit_id(context): context for context in known}
    for context in list(catalog.entries):
        entry = catalog.entries[context]
        where = SourceLocation(path, entry.line)
        if context not in known and context in ids:  # an XLIFF unit without its name
            entry = replace(entry, context=ids[context])
            del catalog.entries[context]
            catalog.entries[entry.context] = entry
        if entry.context not in known:
            if unknown_is_error:
                reporter.error(f"'{entry.context}' is not a string of this course",
                               where, hint=did_you_mean(entry.context, known)
                               or "was the file exported from another version of the course?")
            continue
        bad = unprintable(entry.target)
        if bad is not None:
            reporter.error(f"the translation of '{entry.context}' contains "
                           f"{describe_character(bad)}", where,
                           hint="delete it (it often comes with text pasted from a PDF)")


def export(text: CourseText, lang: str, fmt: str | None, out: Path | None,
           reporter: Reporter) -> tuple[Path, Catalog] | None:
    """Bring ``lang``'s translations up to date with the course and write them: to the course's
    own file (``translations/<lang>.<po|xlf>``, made if missing), or, with ``out``, a copy
    there (the course's file is then left as it is)."""
    if lang == text.source_lang or lang not in text.languages:
        reporter.error(f"'{lang}' is not a language to translate into: course.yaml's "
                       f"languages are {', '.join(text.languages)}",
                       SourceLocation(text.root / "course.yaml"),
                       hint=f"add {lang} to `languages` in course.yaml (the first is the "
                       "language the course is written in)")
        return None
    stored = stored_file(text.root, lang, reporter)
    catalog = _read_checked(stored, text, reporter, lang) if stored else None
    if stored is not None and catalog is None or reporter.failed:
        return None
    if out is None:
        if stored is not None and fmt is not None and format_of(stored) != fmt:
            reporter.error(f"{stored.relative_to(text.root).as_posix()} is the course's "
                           f"{lang} file; to give a translator {fmt.upper()}, write a copy",
                           SourceLocation(stored),
                           hint=f"course-builder translate export --lang {lang} --format "
                           f"{fmt} -o {lang}{FORMATS[fmt]}")
            return None
        out = stored or text.root / TRANSLATIONS_DIR / f"{lang}{FORMATS[fmt or 'po']}"
    elif fmt is not None and format_of(out) != fmt:
        out = out.with_suffix(FORMATS[fmt]) if format_of(out) is None else out
        if format_of(out) != fmt:
            reporter.error(f"{out.name}: a {fmt.upper()} file's name ends in {FORMATS[fmt]}")
            return None
    elif format_of(out) is None:
        reporter.error(f"{out.name}: the name must end in .po or .xlf to say the format")
        return None
    fresh = refresh(text.units, catalog, text.course_id, text.source_lang, lang)
    write_file(out, fresh, text)
    return out, fresh


def import_file(text: CourseText, path: Path, reporter: Reporter) -> tuple[Path, int] | None:
    """Merge a translator's file into the course's translations file for its language.

    Refused, with located errors, when the file is for another course or language or names
    strings the course does not have. A translation made for source text that has changed
    since is kept as stale. Empty translations in the file leave the course's as they are.
    Returns the course file written and how many translations the file changed."""
    imported = _read_checked(path, text, reporter, expected_lang=None)
    if imported is None:
        return None
    _check_entries(imported, path, text, reporter, unknown_is_error=True)
    if reporter.failed:
        return None
    lang = imported.lang
    stored = stored_file(text.root, lang, reporter)
    current = _read_checked(stored, text, reporter, lang) if stored else None
    if reporter.failed:
        return None
    merged = refresh(text.units, current, text.course_id, text.source_lang, lang)
    changed = 0
    stale = 0
    for context, entry in imported.entries.items():
        if not entry.translated:
            continue
        source = text.by_context[context].source
        if entry.source == source:
            new = Entry(context, source, entry.target, entry.fuzzy,
                        entry.previous_source if entry.fuzzy else None)
        else:  # translated from older text: kept, but stale until a translator looks again
            new = Entry(context, source, entry.target, True, entry.source)
            stale += 1
        if merged.entries[context] != new:
            changed += 1
        merged.entries[context] = new
    merged.headers.update({k: v for k, v in imported.headers.items()})
    if stale:
        reporter.note(f"{stale} translation(s) in this file were made for text that has changed "
                      "since; they are kept but marked stale until a translator checks them",
                      SourceLocation(path))
    target = stored or text.root / TRANSLATIONS_DIR / f"{lang}{FORMATS[format_of(path) or 'po']}"
    write_file(target, merged, text)
    return target, changed


def course_text(course: object, units: Sequence[Unit]) -> CourseText:
    """:class:`CourseText` from a validated course."""
    config = course.config  # type: ignore[attr-defined]
    languages = tuple(entry.tag for entry in getattr(config, "languages", ())) or (
        config.language,)
    return CourseText(Path(course.root), config.id, config.title,  # type: ignore[attr-defined]
                      config.version, config.language, languages, tuple(units))
