"""A course in another language: the loaded tree with every translatable string replaced.

The build parses a course once. For each other language it takes that located tree, puts in
each unit's translation (a :class:`~.text.TranslatedText`) or, where the translation is missing
or stale, the source text marked as such (a :class:`~.text.SourceText`), and validates the
result like any course: every later stage then works on it unchanged, and the marks carry
each string's language to the page, the manifests and xAPI's language maps.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from course_builder.i18n.catalog import Catalog, Status, status
from course_builder.i18n.text import LocalizedText, SourceText, TranslatedText
from course_builder.i18n.units import Unit, module_file_name
from course_builder.yamlsource import LocatedDict, LocatedList


def localize(unit: Unit, catalog: Catalog, source_lang: str) -> LocalizedText:
    """The text to build for ``unit`` in ``catalog``'s language."""
    translation = catalog.translation(unit)
    if translation is None:
        return SourceText(unit.source, source_lang)
    return TranslatedText(translation, catalog.lang, unit.source, source_lang)


def translate_raw(raw: Any, units: list[Unit], catalog: Catalog,
                  source_lang: str) -> tuple[Any, Status]:
    """A copy of the loaded course ``raw`` (``pipeline.load``'s ``RawCourse``) in
    ``catalog.lang``, and how complete that translation is. ``raw`` itself is not changed."""
    by_file: dict[str, list[Unit]] = {}
    for unit in units:
        by_file.setdefault(unit.file, []).append(unit)
    config = _with_texts(raw.config, by_file.get("course.yaml", []), catalog, source_lang)

    def translated(raw_module: Any) -> Any:
        mine = by_file.get(module_file_name(Path(raw.root), raw_module), [])
        data = raw_module.data
        if isinstance(data, LocatedDict) and mine:
            data = _with_texts(data, mine, catalog, source_lang)
        return replace(raw_module, data=data)

    # the variants' own modules too (docs/variants.md)
    return replace(raw, config=config, modules=[translated(m) for m in raw.modules],
                   variant_modules=[translated(m) for m in raw.variant_modules]), \
        status(units, catalog)


def _with_texts(tree: LocatedDict, units: list[Unit], catalog: Catalog,
                source_lang: str) -> LocatedDict:
    copy = _copy(tree)
    for unit in units:
        parent: Any = copy
        for part in unit.raw_path[:-1]:
            parent = parent[part]
        parent[unit.raw_path[-1]] = localize(unit, catalog, source_lang)
    return copy


def _copy(value: Any) -> Any:
    """A copy of a located tree, locations kept (strings and numbers are shared)."""
    if isinstance(value, LocatedDict):
        copy = LocatedDict((key, _copy(item)) for key, item in value.items())
        copy.location = value.location
        copy.key_locations = value.key_locations
        return copy
    if isinstance(value, LocatedList):
        items = LocatedList(_copy(item) for item in value)
        items.location = value.location
        items.item_locations = value.item_locations
        return items
    return value
