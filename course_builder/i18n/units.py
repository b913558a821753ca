"""Every translatable string of a course, found by the :class:`~.text.Translatable` marks on
the models (course.yaml's, the module and page files', each block's plugin model).

Each string becomes a :class:`Unit` keyed by a stable *context*: the file and the field's path,
with ids instead of positions wherever the author gave ids, so that reordering pages or blocks
does not change it::

    course.yaml#support[0].description
    modules/stories/module.yaml#pages.intro.blocks.amir-story.body
    modules/check/module.yaml#pages.quiz.blocks.q1.questions.q1a.options[2].feedback

The walk reads the located YAML tree that ``load`` made (the same values ``validate`` checked),
so every unit also knows its line and column.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from course_builder.i18n.text import Translatable, translatable
from course_builder.yamlsource import LocatedDict, LocatedList

RawPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Unit:
    """One translatable string of the course."""

    context: str  # "<file>#<field path>", stable across reorderings
    source: str  # the text in the source language
    file: str  # course-relative POSIX path of the YAML file it is in
    line: int
    column: int
    raw_path: RawPath  # where it sits in that file's located tree (keys and indexes)
    markdown: bool = False
    note: str = ""  # a word for the translator: what the text is

    @property
    def reference(self) -> str:
        """``file:line``, as gettext's ``#:`` comments and editors' "go to" want it."""
        return f"{self.file}:{self.line}"


def _module_models() -> tuple[type[BaseModel], type[BaseModel]]:
    """The models of module.yaml and of one page (their translatable fields are marked there)."""
    from course_builder import config

    module_file = getattr(config, "ModuleFile", None)
    page_file = getattr(config, "PageFile", None)
    if module_file is None or page_file is None:  # the layout before config held them
        from course_builder.pipeline import validate

        module_file = validate._ModuleFile  # type: ignore[attr-defined]
        page_file = validate._PageFile  # type: ignore[attr-defined]
    return module_file, page_file


def collect_units(raw: Any, registry: Any) -> list[Unit]:
    """Every translatable string of a loaded course (``pipeline.load``'s tree), in course order.

    ``registry`` gives each block type's plugin model. Only values of the type their model asks
    for are collected: run this on a course that validated."""
    from course_builder.config import CourseConfig

    module_model, page_model = _module_models()
    root = Path(raw.root)
    units = list(_walk(CourseConfig, raw.config, (), _Where("course.yaml", "")))
    for raw_module in raw.all_modules:  # the variants' own modules too
        data = raw_module.data
        if not isinstance(data, LocatedDict):
            continue
        name = module_file_name(root, raw_module)
        where = _Where(name, "")
        units += _walk(module_model, data, (), where, skip=("pages",))
        pages = data.get("pages")
        if not isinstance(pages, LocatedList):
            continue
        page_names = _item_names(pages)
        for p_index, page in enumerate(pages):
            if not isinstance(page, LocatedDict):
                continue
            page_where = where.child("pages", page_names[p_index])
            units += _walk(page_model, page, ("pages", p_index), page_where, skip=("blocks",))
            blocks = page.get("blocks")
            if not isinstance(blocks, LocatedList):
                continue
            block_names = _item_names(blocks)
            for b_index, block in enumerate(blocks):
                if not isinstance(block, LocatedDict):
                    continue
                plugin = registry.get(block.get("type")) if isinstance(block.get("type"),
                                                                        str) else None
                if plugin is None:
                    continue
                units += _walk(plugin.model, block, ("pages", p_index, "blocks", b_index),
                               page_where.child("blocks", block_names[b_index]))
    return units


def module_file_name(root: Path, raw_module: Any) -> str:
    """How contexts name a module's file: its path in the course, or, for a module from an
    installed package, ``modules/<slug>/module.yaml`` as if it were in the course."""
    path = Path(raw_module.directory) / "module.yaml"
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return f"modules/{raw_module.slug}/module.yaml"


@dataclass(frozen=True)
class _Where:
    file: str
    path: str  # the context's field path so far

    def child(self, field: str, item: str | None = None) -> _Where:
        path = f"{self.path}.{field}" if self.path else field
        if item is not None:
            path += item
        return _Where(self.file, path)

    @property
    def context(self) -> str:
        return f"{self.file}#{self.path}"


def _item_names(items: LocatedList) -> list[str]:
    """How each item of a list shows in a context: ``.<id>`` when every item with an id has a
    different one, else ``[<index>]`` (ids are what keeps a context stable)."""
    ids = [item.get("id") if isinstance(item, LocatedDict) else None for item in items]
    named = [i for i in ids if isinstance(i, str)]
    unique = len(named) == len(set(named))
    return [f".{ident}" if unique and isinstance(ident, str) else f"[{index}]"
            for index, ident in enumerate(ids)]


def _walk(model: type[BaseModel], raw: LocatedDict, raw_path: RawPath, where: _Where,
          skip: tuple[str, ...] = ()) -> Iterator[Unit]:
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in skip or key not in raw:
            continue
        marker = next((m for m in info.metadata if isinstance(m, Translatable)), None)
        yield from _value(info.annotation, marker, raw[key], raw.key_locations[key],
                          (*raw_path, key), where.child(key), info.description or "")


def _value(annotation: Any, marker: Translatable | None, value: Any, location: Any,
           raw_path: RawPath, where: _Where, description: str) -> Iterator[Unit]:
    marker = marker or _marker(annotation)
    if marker is not None and isinstance(value, str):
        if value.strip():
            yield Unit(where.context, value, where.file, location.line, location.column,
                       raw_path, marker.markdown, marker.note or description)
        return
    for candidate in _alternatives(annotation):
        origin = get_origin(candidate)
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            if isinstance(value, LocatedDict):
                # a nested model: its fields, under this field's path
                yield from _walk(candidate, value, raw_path, where)
                return
        elif origin in (tuple, list) and isinstance(value, LocatedList):
            args = [a for a in get_args(candidate) if a is not Ellipsis]
            if not args:
                continue
            names = _item_names(value)
            for index, item in enumerate(value):
                yield from _value(args[0], None, item, value.item_locations[index],
                                  (*raw_path, index), _Where(where.file, where.path + names[index]),
                                  description)
            return


def _marker(annotation: Any) -> Translatable | None:
    """The Translatable mark of ``Text``, ``Text | None`` and the like."""
    found = translatable(annotation)
    if found is None and get_origin(annotation) in (Union, types.UnionType):
        for arg in get_args(annotation):
            found = found or _marker(arg)
    return found


def _alternatives(annotation: Any) -> list[Any]:
    """``X | None`` -> ``[X]``; ``Annotated[X, ...]`` -> ``[X]``; anything else -> ``[it]``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _alternatives(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        found: list[Any] = []
        for arg in get_args(annotation):
            if arg is not type(None):
                found += _alternatives(arg)
        return found
    return [annotation]
