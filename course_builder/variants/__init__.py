"""Variants: one course, a version per organisation (``variants:`` in course.yaml).

A variant is the validated course with a few parts swapped, never a second parse of it:

1. ``load`` reads every file once: the modules course.yaml lists and those only variants bring
   in (``RawCourse.variant_modules``); ``validate`` checks the shared course as for a course
   without variants (every block by its plugin's model), and the safe-messaging lint, the
   credentials check and ``course-builder translate`` see every module file, variants' too;
2. :func:`derive_variants` then makes one ``Course`` per variant. Modules the variant keeps are
   shared: their blocks, already validated and measured, are reused as they are (new module
   and page records only, because page numbers move when a module is replaced). Only what the
   variant overrides is validated again: a module it brings in (validated for each variant
   that uses it), a statistics block it gives
   other figures (the block's model and its plugin's check again, on the merged fields), its
   course-level settings (support, evaluation, organisation: then the plugins' ``check`` runs
   again on every block, because a check may read them, e.g. an evaluation form needs
   somewhere to send its answers) and the rules across the course (required blocks, question
   ids, a pass mark with something to score);
3. the build resolves, renders and packages each variant on its own (``commands/build.py``).

Every problem a variant causes is reported at the line of course.yaml (or of the file) that
caused it, with ``variant '<id>': `` before the message; a problem the shared course already
has is reported once, not once per variant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from course_builder.config import CourseConfig, Variant
from course_builder.diagnostics import Reporter, SourceLocation, did_you_mean
from course_builder.model import Course, RawModule
from course_builder.registry import Registry
from course_builder.variants.derive import VariantCourse, derive_one
from course_builder.yamlsource import LocatedDict, LocatedList, locate

__all__ = ["VariantCourse", "derive_variants", "select_variants"]


def select_variants(config: CourseConfig, wanted: Sequence[str],
                    reporter: Reporter) -> tuple[Variant, ...]:
    """The variants to build: every one, or those named with ``--variant`` (in course order).
    An unknown id is an error, with the nearest id as a hint."""
    if not wanted:
        return config.variants
    known = {v.id: v for v in config.variants}
    for name in wanted:
        if name not in known:
            if known:
                reporter.error(f"--variant {name}: course.yaml has no variant '{name}'",
                               hint=did_you_mean(name, known)
                               or f"the variants are: {', '.join(known)}")
            else:
                reporter.error(f"--variant {name}: course.yaml declares no variants",
                               hint="see docs/variants.md to declare them under `variants:`")
    return tuple(v for v in config.variants if v.id in wanted)


def derive_variants(course: Course, registry: Registry, reporter: Reporter,
                    variants: Sequence[Variant] | None = None) -> list[VariantCourse]:
    """A course for each variant (all of course.yaml's, or ``variants``), sharing the
    validated modules of ``course`` (see the module doc). Problems go to ``reporter``; the
    list holds the variants that had none."""
    raw = course.raw
    assert raw is not None  # validate keeps the located tree
    chosen = course.config.variants if variants is None else variants
    raw_variants = raw.config.get("variants")
    located = {v.id: _raw_variant(raw_variants, index)
               for index, v in enumerate(course.config.variants)}
    _check_unique_ids(course.config.variants, raw_variants, raw.config_path, reporter)
    # what only variants bring in: read (and linted) once by load, whichever variants use it
    extra: dict[str, RawModule] = {m.slug: m for m in raw.variant_modules
                                   if m.data is not None}
    seen = set(reporter.diagnostics)
    derived = []
    for variant in chosen:
        own = Reporter(strict=reporter.strict)
        result = derive_one(course, variant, located[variant.id], extra, registry, own)
        for diagnostic in own.diagnostics:
            if diagnostic not in seen:  # the shared course's own problems are reported once
                reporter.diagnostics.append(
                    replace(diagnostic, message=f"variant '{variant.id}': {diagnostic.message}"))
        if result is not None and not own.failed:
            derived.append(result)
    return derived


def _raw_variant(raw_variants: Any, index: int) -> LocatedDict:
    if isinstance(raw_variants, LocatedList) and index < len(raw_variants) \
            and isinstance(raw_variants[index], LocatedDict):
        return raw_variants[index]
    empty = LocatedDict()
    empty.location = getattr(raw_variants, "location", SourceLocation(Path("course.yaml")))
    empty.key_locations = {}
    return empty


def _check_unique_ids(variants: Sequence[Variant], raw_variants: Any, config_path: Path,
                      reporter: Reporter) -> None:
    first: dict[str, int] = {}
    for index, variant in enumerate(variants):
        if variant.id in first:
            reporter.error(f"variants[{index}].id: variant id '{variant.id}' is also "
                           f"variants[{first[variant.id]}]'s; each variant needs its own",
                           locate(raw_variants, (index, "id"), SourceLocation(config_path)))
        first.setdefault(variant.id, index)
