"""Stage 1: read ``course.yaml`` and every module's ``module.yaml``, keeping locations."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from course_builder.diagnostics import Reporter, SourceLocation, did_you_mean
from course_builder.pipeline.context import field_path
from course_builder.registry import MODULE_ENTRY_POINTS
from course_builder.yamlsource import (
    LocatedDict,
    LocatedList,
    YamlError,
    describe_character,
    load_yaml,
    unprintable,
)


@dataclass
class RawModule:
    slug: str
    directory: Path
    origin: str
    data: Any
    location: SourceLocation  # where course.yaml lists it


@dataclass
class RawCourse:
    root: Path
    config_path: Path
    config: Any
    modules: list[RawModule] = field(default_factory=list)


def _read(path: Path, reporter: Reporter) -> Any:
    try:
        data = load_yaml(path)
    except YamlError as exc:
        reporter.error(str(exc), exc.location)
        return None
    except UnicodeDecodeError:
        reporter.error("file is not UTF-8 text", SourceLocation(path))
        return None
    except OSError as exc:
        reporter.error(f"cannot read the file: {exc.strerror or exc}", SourceLocation(path))
        return None
    if not isinstance(data, LocatedDict):
        reporter.error("expected a mapping of fields (key: value) at the top of the file",
                       getattr(data, "location", SourceLocation(path, 1, 1)))
        return None
    _check_characters(data, (), reporter)
    return data


def _check_characters(value: Any, where: tuple[str | int, ...], reporter: Reporter) -> None:
    """Report every key and text value holding a character that has no place in author text
    (:func:`~course_builder.yamlsource.unprintable`): YAML lets ``"\\0"`` or ``"\\v"`` in
    quotes through, and the package's XML manifests and a learner's screen reader do not."""
    if isinstance(value, LocatedDict):
        for key, item in value.items():
            path = (*where, key)
            bad = unprintable(key)
            if bad is not None:
                reporter.error(f"the field name '{key.encode('unicode_escape').decode()}' "
                               f"contains {describe_character(bad)}",
                               value.key_locations[key], hint=_CHARACTER_HINT)
            _check_characters(item, path, reporter)
            if isinstance(item, str):
                _check_string(item, path, value.key_locations[key], reporter)
    elif isinstance(value, LocatedList):
        for index, item in enumerate(value):
            _check_characters(item, (*where, index), reporter)
            if isinstance(item, str):
                _check_string(item, (*where, index), value.item_locations[index], reporter)


_CHARACTER_HINT = ("delete it: it often comes with text pasted from a PDF or a word processor "
                   "(retype the words around it if you cannot see it)")


def _check_string(text: str, where: tuple[str | int, ...], location: SourceLocation,
                  reporter: Reporter) -> None:
    bad = unprintable(text)
    if bad is not None:
        reporter.error(f"{field_path(where)}: contains {describe_character(bad)}, which "
                       "cannot be shown to learners or stored in a package",
                       location, hint=_CHARACTER_HINT)


def _entry_point_module(slug: str) -> tuple[Path, str] | None:
    """A module shipped in an installed package: entry point -> package folder with module.yaml."""
    for ep in entry_points(group=MODULE_ENTRY_POINTS):
        if ep.name != slug:
            continue
        target = ep.load()
        if inspect.ismodule(target):
            directory = Path(inspect.getfile(target)).parent
        elif callable(target):
            directory = Path(target())
        else:
            directory = Path(str(target))
        dist = f"{ep.dist.name} {ep.dist.version}" if ep.dist else "unknown package"
        return directory, f"entry point '{ep.name}' from {dist}"
    return None


def load(course_dir: Path, reporter: Reporter) -> RawCourse | None:
    """Read the course's YAML files. Problems go to ``reporter``; returns None if unusable."""
    config_path = course_dir / "course.yaml"
    if not config_path.is_file():
        reporter.error(f"no course.yaml in {course_dir}",
                       hint="run this in a course folder, or give the folder: "
                       "course-builder build path/to/course")
        return None
    config = _read(config_path, reporter)
    if config is None:
        return None
    raw = RawCourse(course_dir, config_path, config)
    slugs = config.get("modules")
    if not isinstance(slugs, LocatedList):
        return raw  # validate reports the missing or malformed list
    for index, slug in enumerate(slugs):
        if not isinstance(slug, str):
            continue
        where = slugs.item_locations[index]
        directory = course_dir / "modules" / slug
        origin = "course"
        if not (directory / "module.yaml").is_file():
            try:
                found = _entry_point_module(slug)
            except Exception as exc:
                reporter.error(f"module '{slug}': its entry point failed to load: "
                               f"{type(exc).__name__}: {exc}", where)
                continue
            if found is None:
                existing = [Path(p).parent.name for p in
                            (course_dir / "modules").glob("*/module.yaml")]
                reporter.error(
                    f"module '{slug}' not found: no modules/{slug}/module.yaml and no installed "
                    f"module plugin of that name", where, hint=did_you_mean(slug, existing))
                continue
            directory, origin = found
            if not (directory / "module.yaml").is_file():
                reporter.error(f"module '{slug}' ({origin}) has no module.yaml in {directory}",
                               where)
                continue
        data = _read(directory / "module.yaml", reporter)
        if data is not None:
            raw.modules.append(RawModule(slug, directory, origin, data, where))
    return raw
