"""One variant's course, from the shared validated course: see ``course_builder/variants``."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from course_builder.config import CourseConfig, Evaluation, SupportContact, Variant
from course_builder.context import BlockContext, Environment
from course_builder.diagnostics import Reporter, SourceLocation, did_you_mean
from course_builder.i18n.text import LocalizedText, SourceText, Translatable
from course_builder.model import ActiveVariant, Block, Course, Module, RawModule
from course_builder.pipeline.validate import collect_questions, validate_module
from course_builder.registry import Registry
from course_builder.schema_errors import report_validation_error
from course_builder.yamlsource import LocatedDict, locate

LOGO_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})
#: Fields of a block a variant may not change: they are what the override is matched by.
_FIXED_BLOCK_FIELDS = ("id", "type")


@dataclass
class VariantCourse:
    """One variant's course, ready to resolve and package, and what it changed (for the build
    summary: ``north-trust: support contacts replaced (3), ...``)."""

    variant: Variant
    course: Course
    changes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        changes = ", ".join(self.changes) if self.changes else \
            "no overrides (the course as it is, under its name)"
        return f"{self.variant.id}: {changes}"


def derive_one(course: Course, variant: Variant, raw: LocatedDict,
               extra: dict[str, RawModule], registry: Registry,
               reporter: Reporter) -> VariantCourse | None:
    """``variant``'s course, or None when it has problems (in ``reporter``, unprefixed)."""
    return _Deriver(course, variant, raw, extra, registry, reporter).derive()


class _Deriver:
    """Makes one variant's course; every problem goes to its own reporter (prefixed later)."""

    def __init__(self, course: Course, variant: Variant, raw: LocatedDict,
                 extra: dict[str, RawModule], registry: Registry,
                 reporter: Reporter) -> None:
        self.base = course
        self.variant = variant
        self.raw = raw
        self.extra = extra
        self.registry = registry
        self.reporter = reporter
        assert course.raw is not None
        self.config_path = course.raw.config_path
        self.changes: list[str] = []

    def at(self, *parts: str | int) -> SourceLocation:
        """Where ``parts`` of this variant are written in course.yaml."""
        return locate(self.raw, parts, SourceLocation(self.config_path))

    def derive(self) -> VariantCourse | None:
        variant = self.variant
        env = Environment(self.base.root)
        slugs = self._module_list()
        config = self._config(slugs)
        logo, logo_source = self._logo(env)
        course = Course(config=config, root=self.base.root, modules=[], raw=self.base.raw,
                        environment=env, config_errors=self.base.config_errors,
                        variant=ActiveVariant(variant.id, variant.name, logo, logo_source))
        new_blocks = self._modules(course, slugs)
        new_blocks += self._statistics(course)
        for number, module in enumerate(course.modules):
            module.number = number
        for number, page in enumerate(course.pages):
            page.number = number
        settings_changed = bool(variant.support or variant.evaluation or variant.organisation)
        self._check(course, course.blocks if settings_changed else new_blocks, new_blocks)
        course.questions = collect_questions(course, self.reporter)
        self._rules(course)
        if self.reporter.failed:
            return None
        return VariantCourse(variant, course, self.changes)

    # -- course.yaml's settings -----------------------------------------------------------
    def _config(self, slugs: list[str]) -> CourseConfig:
        base, variant = self.base.config, self.variant
        update: dict[str, Any] = {"modules": tuple(slugs), "variants": ()}
        if variant.organisation is not None:
            update["organisation"] = variant.organisation
            self.changes.append(f"organisation '{variant.organisation}'")
        if variant.support is not None:
            update["support"] = self._support(base.support)
        if variant.evaluation is not None:
            evaluation = self._evaluation(base.evaluation)
            if evaluation is not None:
                update["evaluation"] = evaluation
        return base.model_copy(update=update)

    def _support(self, course_contacts: tuple[SupportContact, ...]) -> tuple[SupportContact, ...]:
        change = self.variant.support
        assert change is not None
        if change.replace is not None:
            self.changes.append(f"support contacts replaced ({len(change.replace)})")
            return change.replace
        added = []
        if change.before:
            added.append(f"{len(change.before)} before")
        if change.after:
            added.append(f"{len(change.after)} after")
        self.changes.append(f"support contacts added ({' and '.join(added)} the course's "
                            f"{len(course_contacts)})")
        return (*change.before, *course_contacts, *change.after)

    def _evaluation(self, course: Evaluation) -> Evaluation | None:
        change = self.variant.evaluation
        assert change is not None
        given = change.model_dump(include=change.model_fields_set)
        merged = course.model_dump()
        # One destination: the variant's collector or survey replaces the course's other one.
        if "collector" in given:
            merged["external_url"] = None
        if "external_url" in given:
            merged["collector"] = None
        merged.update(given)
        try:
            evaluation = Evaluation.model_validate(merged)
        except ValidationError as exc:
            report_validation_error(exc, self.raw.get("evaluation"), Evaluation,
                                    self.at("evaluation"), self.reporter, prefix="evaluation.")
            return None
        if change.collector is not None:
            self.changes.append(f"collector {change.collector.endpoint}")
        if change.external_url is not None:
            self.changes.append(f"evaluation survey {change.external_url}")
        if change.owner is not None:
            self.changes.append(f"evaluation owner '{change.owner}'")
        if change.privacy_url is not None:
            self.changes.append(f"privacy notice {change.privacy_url}")
        return evaluation

    def _logo(self, env: Environment) -> tuple[str | None, Path | None]:
        """The logo's path in the package and its file (added to the variant's assets)."""
        logo = self.variant.logo
        if logo is None:
            return None, None
        where = self.at("logo")
        root = self.base.root.resolve()
        source = (root / logo).resolve()
        if PurePosixPath(logo).is_absolute() or "://" in logo or not source.is_relative_to(root):
            self.reporter.error(f"logo: '{logo}' is not a file inside the course folder", where,
                                hint="put the logo in the course folder, e.g. "
                                "branding/my-trust.svg, and give its path from course.yaml")
            return None, None
        if source.suffix.lower() not in LOGO_SUFFIXES:
            self.reporter.error(f"logo: '{logo}' is not an image a page can show",
                                where, hint="use a PNG, JPEG, GIF, WebP or SVG file")
            return None, None
        if not source.is_file():
            self.reporter.error(f"logo: file '{logo}' not found in the course folder", where)
            return None, None
        refusal = env.assets.verdict(logo, source)
        if refusal is not None:
            self.reporter.error(f"logo: {refusal.message}", where, hint=refusal.hint)
            return None, None
        package_path = f"media/_course/{source.relative_to(root).as_posix()}"
        return env.assets.add(package_path, source), source

    # -- modules ----------------------------------------------------------------------------
    def _module_list(self) -> list[str]:
        """The course's module slugs with the variant's changes applied in order."""
        slugs = list(self.base.config.modules)
        for index, change in enumerate(self.variant.modules):
            anchor_key = "replace" if change.replace else ("after" if change.after else "before")
            anchor = change.replace or change.after or change.before
            assert anchor is not None
            new = change.new_module
            if anchor not in slugs:
                self.reporter.error(f"modules[{index}].{anchor_key}: the course has no module "
                                    f"'{anchor}'", self.at("modules", index, anchor_key),
                                    hint=did_you_mean(anchor, slugs)
                                    or f"the course's modules are: {', '.join(slugs)}")
                continue
            if new in slugs:
                key = "with" if change.with_ else "add"
                self.reporter.error(f"modules[{index}].{key}: module '{new}' is already in this "
                                    "variant's course", self.at("modules", index, key))
                continue
            position = slugs.index(anchor)
            if change.replace:
                slugs[position] = new
                self.changes.append(f"module {anchor} -> {new}")
            else:
                slugs.insert(position + 1 if change.after else position, new)
                self.changes.append(f"module {new} added {anchor_key} {anchor}")
        return slugs

    def _modules(self, course: Course, slugs: list[str]) -> list[Block[Any]]:
        """Fill ``course.modules``: shared modules re-homed, the variant's own validated.
        Returns the blocks validated here (they still need their plugin's check)."""
        shared = {m.slug: m for m in self.base.modules}
        modules: dict[str, Module] = {}
        seen_ids: dict[str, SourceLocation] = {}  # block ids are unique across the variant
        for slug in slugs:
            if slug in shared:
                modules[slug] = _rehome(shared[slug])
                for page in modules[slug].pages:
                    for block in page.blocks:
                        seen_ids.setdefault(block.key, block.location)
        new_blocks: list[Block[Any]] = []
        for slug in slugs:
            raw_module = None if slug in shared else self.extra.get(slug)
            if raw_module is not None:  # one that is missing was reported where it is named
                modules[slug] = validate_module(raw_module, self.registry, self.reporter,
                                                seen_ids)
                new_blocks += [b for page in modules[slug].pages for b in page.blocks]
        course.modules = [modules[slug] for slug in slugs if slug in modules]
        return new_blocks

    # -- statistics -------------------------------------------------------------------------
    def _statistics(self, course: Course) -> list[Block[Any]]:
        """Replace each statistics block the variant gives other fields; returns them."""
        changed: list[Block[Any]] = []
        raw_overrides = self.raw.get("statistics")
        for key, fields in self.variant.statistics.items():
            where = self.at("statistics", key)
            block = course.block(key)
            if block is None:
                ids = [b.key for b in course.blocks if b.type == "statistics"]
                self.reporter.error(f"statistics: no block has the id '{key}'", where,
                                    hint=did_you_mean(key, ids)
                                    or (f"the statistics blocks are: {', '.join(ids)}" if ids
                                        else "the course has no statistics block"))
                continue
            if block.type != "statistics":
                self.reporter.error(f"statistics.{key}: block '{key}' is a {block.type} block; "
                                    "only statistics blocks take other figures", where)
                continue
            fixed = [name for name in _FIXED_BLOCK_FIELDS if name in fields]
            if fixed:
                self.reporter.error(f"statistics.{key}.{fixed[0]}: a variant cannot change a "
                                    f"block's {fixed[0]}", self.at("statistics", key, fixed[0]))
                continue
            overrides = raw_overrides.get(key) if isinstance(raw_overrides, LocatedDict) else None
            merged = _merged(block.raw, overrides if isinstance(overrides, LocatedDict)
                             else fields, where)
            self._mark_language(merged, fields, block)
            new = self._revalidated(block, merged, f"statistics.{key}.")
            if new is None:
                continue
            page = block.page
            page.blocks[page.blocks.index(block)] = new
            changed.append(new)
            others = [name for name in fields if name != "data"]
            also = f"{', '.join(others)} replaced" if others else ""
            if "data" in fields:
                also = f"data from {fields['data']}" + (f" ({also})" if also else "")
            self.changes.append(f"statistics '{key}' {also}")
        return changed

    def _mark_language(self, merged: LocatedDict, fields: dict[str, Any],
                       block: Block[Any]) -> None:
        """In a course built in another language, the text a variant gives a block is in the
        source language (``translate`` does not carry it): marked so, like any untranslated
        text, so that the page says which language it is in (WCAG 3.1.2)."""
        config = self.base.config
        source = config.languages[0].tag if config.languages else config.language
        if config.language == source:
            return
        for name in fields:
            info = block.plugin.model.model_fields.get(name)
            value = merged.get(name)
            if isinstance(value, str) and not isinstance(value, LocalizedText) and info \
                    and any(isinstance(m, Translatable) for m in info.metadata):
                merged[name] = SourceText(value, source)

    def _revalidated(self, block: Block[Any], merged: LocatedDict,
                     prefix: str) -> Block[Any] | None:
        plugin = block.plugin
        try:
            data = plugin.model.model_validate(dict(merged))
        except ValidationError as exc:
            report_validation_error(exc, merged, plugin.model, block.location, self.reporter,
                                    prefix=prefix)
            return None
        return Block(plugin, data, block.location, block.module, block.page, block.index,
                     block.key, merged)

    # -- checks and rules -------------------------------------------------------------------
    def _check(self, course: Course, blocks: Sequence[Block[Any]],
               new_blocks: Sequence[Block[Any]]) -> None:
        """The plugins' own checks on ``blocks`` in the variant's course; ``new_blocks`` (not
        yet measured) are measured when they pass."""
        env = course.environment
        assert env is not None
        fresh = {id(b) for b in new_blocks}
        for block in list(blocks):
            errors_before = len(self.reporter.errors)
            block.check(BlockContext(block, course, env, self.reporter))
            if id(block) in fresh and len(self.reporter.errors) == errors_before:
                block.measure()

    def _rules(self, course: Course) -> None:
        """The rules across the course, for what the variant changed."""
        config = course.config
        where = self.raw.location
        for index, key in enumerate(config.completion.require):
            block = course.block(key)
            if block is None:
                self.reporter.error(f"completion.require[{index}] asks for block '{key}', which "
                                    "this variant's modules do not have",
                                    self.at("modules") if self.variant.modules else where,
                                    hint="keep the block in the module that replaces its own, "
                                    "or give the block's id to the new module's copy")
            elif not block.plugin.completable:
                self.reporter.error(f"completion.require[{index}]: in this variant, '{key}' is "
                                    f"a {block.type} block, which never reports being finished",
                                    where)
        if config.passing is not None and not any(b.max_score for b in course.blocks):
            self.reporter.error("passing: this variant's modules have no scored block, and the "
                                "course has a pass mark", where)


def _rehome(module: Module) -> Module:
    """A shared module's record for one variant: new module and page records (a page's number
    depends on the modules before it), the same validated blocks' data."""
    clone = copy.copy(module)
    clone.pages = []
    for page in module.pages:
        page_clone = copy.copy(page)
        page_clone.module = clone
        page_clone.blocks = []
        for block in page.blocks:
            block_clone = copy.copy(block)
            block_clone.module, block_clone.page = clone, page_clone
            page_clone.blocks.append(block_clone)
        clone.pages.append(page_clone)
    return clone


def _merged(base: LocatedDict, overrides: Any, fallback: SourceLocation) -> LocatedDict:
    """A block's located fields with the variant's given ones in their place: values and their
    locations (so an error in a value the variant gives points at course.yaml)."""
    merged = LocatedDict(base)
    merged.location = base.location
    merged.key_locations = dict(base.key_locations)
    for key, value in overrides.items():
        merged[key] = value
        merged.key_locations[key] = getattr(overrides, "key_locations", {}).get(key, fallback)
    return merged
