"""The modules variants bring in (``{replace: X, with: Y}``, ``{add: Y, after: X}``) that the
course itself does not list: each read, linted and checked for credentials once, whichever
variants use it, with every problem reported where a variant names it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from course_builder.config import Variant
from course_builder.diagnostics import Reporter, SourceLocation
from course_builder.lint import lint_course
from course_builder.model import Course, RawCourse, RawModule
from course_builder.pipeline.load import load_module
from course_builder.secrets import check_no_credentials
from course_builder.yamlsource import LocatedDict, locate


def load_extra_modules(course: Course, variants: Sequence[Variant],
                       located: dict[str, LocatedDict],
                       reporter: Reporter) -> dict[str, RawModule | None]:
    """Every module a variant brings in that the course does not list, parsed once: slug ->
    its located tree (None when it is missing or does not parse; reported at the variant)."""
    raw = course.raw
    assert raw is not None
    listed = {m.slug for m in raw.modules} | set(course.config.modules)
    found: dict[str, RawModule | None] = {}
    files = raw.files  # with the course's own: a problem inside a text is placed by its file
    for variant in variants:
        for index, change in enumerate(variant.modules):
            slug = change.new_module
            if slug in listed or slug in found:
                continue
            key = "with" if change.with_ is not None else "add"
            where = locate(located[variant.id], ("modules", index, key),
                           SourceLocation(raw.config_path))
            own = Reporter()
            module = load_module(course.root, slug, where, own, files)
            prefix = f"variant '{variant.id}': modules[{index}].{key}: "
            reporter.diagnostics += [replace(d, message=prefix + d.message)
                                     if d.location == where else d for d in own.diagnostics]
            found[slug] = module if module is not None and module.data is not None else None
    loaded = [m for m in found.values() if m is not None]
    if loaded:
        # The checks load() and validate() make of the course's own files, once for these.
        extra = RawCourse(raw.root, raw.config_path, _empty(raw.config_path), loaded, files)
        lint_course(extra, reporter)
        check_no_credentials(extra, reporter)
    return found


def _empty(path: Path) -> LocatedDict:
    empty = LocatedDict()
    empty.location = SourceLocation(path)
    empty.key_locations = {}
    return empty
