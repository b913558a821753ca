"""Stage 1: read ``course.yaml`` and every module's ``module.yaml``, keeping locations.

Each file is read and parsed once; the located tree (``RawCourse``, with each file's text) is
what validation, the safe-messaging lint and every diagnostic use. A file that cannot be parsed
is reported and the others are still read, so one YAML mistake hides nothing else.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import replace
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from course_builder.diagnostics import Reporter, SourceLocation, did_you_mean, field_path
from course_builder.model import RawCourse, RawModule
from course_builder.registry import MODULE_ENTRY_POINTS
from course_builder.yamlsource import (
    LocatedDict,
    LocatedList,
    YamlError,
    YamlFile,
    describe_character,
    read_yaml,
    unprintable,
)

__all__ = ["RawCourse", "RawModule", "load", "load_module"]

# In a file YAML cannot parse: lines that look like a block's id or type, so that the course's
# references to blocks in that file are not reported as missing too (see validate).
_ID_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?id:[ \t]*['\"]?([a-z0-9][a-z0-9-]*)['\"]?[ \t]*$", re.M)
_TYPE_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?type:[ \t]*['\"]?([a-z0-9_]+)['\"]?[ \t]*$", re.M)


def _read(path: Path, reporter: Reporter,
          files: dict[Path, YamlFile] | None = None) -> LocatedDict | None:
    try:
        data, source = read_yaml(path)
    except YamlError as exc:
        reporter.error(str(exc), exc.location, exc.hint)
        return None
    except UnicodeDecodeError:
        reporter.error("file is not UTF-8 text", SourceLocation(path))
        return None
    except OSError as exc:
        reporter.error(f"cannot read the file: {exc.strerror or exc}", SourceLocation(path))
        return None
    if files is not None:
        files[path] = source
    if not isinstance(data, LocatedDict):
        reporter.error("expected a mapping of fields (key: value) at the top of the file",
                       getattr(data, "location", SourceLocation(path, 1, 1)))
        return None
    _check_characters(data, (), reporter)
    return data


def _names_in(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """Ids and types a file that did not parse seems to hold (see ``_ID_LINE``)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset(), frozenset()
    return frozenset(_ID_LINE.findall(text)), frozenset(_TYPE_LINE.findall(text))


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
    """Read the course's YAML files, each once. Problems go to ``reporter``; returns None when
    course.yaml itself cannot be read."""
    config_path = course_dir / "course.yaml"
    if not config_path.is_file():
        reporter.error(f"no course.yaml in {course_dir}",
                       hint="run this in a course folder, or give the folder: "
                       "course-builder build path/to/course")
        return None
    files: dict[Path, YamlFile] = {}
    config = _read(config_path, reporter, files)
    if config is None:
        return None
    raw = RawCourse(course_dir, config_path, config, files=files)
    slugs = config.get("modules")
    if not isinstance(slugs, LocatedList):
        return raw  # validate reports the missing or malformed list
    for index, slug in enumerate(slugs):
        if isinstance(slug, str):
            module = load_module(course_dir, slug, slugs.item_locations[index], reporter, files)
            if module is not None:
                raw.modules.append(module)
    raw.variant_modules = _variant_modules(raw, reporter)
    return raw


def _variant_modules(raw: RawCourse, reporter: Reporter) -> list[RawModule]:
    """The modules that variants bring in (``{replace: X, with: Y}``, ``{add: Y, after: X}``,
    docs/variants.md) and the course does not list, each read once, whichever variants use it.
    A missing one is reported where the first variant names it; the rest of the variants
    section is checked when it is validated."""
    variants = raw.config.get("variants")
    listed = {module.slug for module in raw.modules}
    found: dict[str, RawModule | None] = {}
    for variant in variants if isinstance(variants, LocatedList) else ():
        changes = variant.get("modules") if isinstance(variant, LocatedDict) else None
        for index, change in enumerate(changes if isinstance(changes, LocatedList) else ()):
            for key in ("with", "add"):
                slug = change.get(key) if isinstance(change, LocatedDict) else None
                if not isinstance(slug, str) or slug in listed or slug in found:
                    continue
                where = change.key_locations[key]
                own = Reporter()
                found[slug] = load_module(raw.root, slug, where, own, raw.files)
                name = variant.get("id")
                prefix = f"variant '{name}': modules[{index}].{key}: "
                reporter.diagnostics += [replace(d, message=prefix + d.message)
                                         if d.location == where else d for d in own.diagnostics]
    return [module for module in found.values() if module is not None]


def load_module(course_dir: Path, slug: str, where: SourceLocation, reporter: Reporter,
                files: dict[Path, YamlFile]) -> RawModule | None:
    """One module, named ``slug`` at ``where``: ``modules/<slug>/module.yaml`` in the course,
    else an installed module plugin's. None (and an error at ``where``) when there is none;
    a module whose file does not parse comes back with ``data`` None (its error reported).
    The variants' own modules are read here too (course_builder/variants/)."""
    directory = course_dir / "modules" / slug
    origin = "course"
    if not (directory / "module.yaml").is_file():
        try:
            found = _entry_point_module(slug)
        except Exception as exc:
            reporter.error(f"module '{slug}': its entry point failed to load: "
                           f"{type(exc).__name__}: {exc}", where)
            return None
        if found is None:
            existing = [Path(p).parent.name for p in
                        (course_dir / "modules").glob("*/module.yaml")]
            reporter.error(
                f"module '{slug}' not found: no modules/{slug}/module.yaml and no installed "
                f"module plugin of that name", where, hint=did_you_mean(slug, existing))
            return None
        directory, origin = found
        if not (directory / "module.yaml").is_file():
            reporter.error(f"module '{slug}' ({origin}) has no module.yaml in {directory}",
                           where)
            return None
    module_file = directory / "module.yaml"
    data = _read(module_file, reporter, files)
    if data is not None:
        return RawModule(slug, directory, origin, data, where)
    ids, types = _names_in(module_file)
    return RawModule(slug, directory, origin, None, where, ids, types)
