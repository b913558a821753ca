"""Stage 2: check the raw YAML against the course model and each block's plugin model.

Every problem becomes a located diagnostic; nothing stops at the first error.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from course_builder.config import CourseConfig
from course_builder.diagnostics import Reporter, SourceLocation, did_you_mean
from course_builder.model import Block, Course, Module, Page
from course_builder.pipeline.context import BlockContext, Environment, field_path
from course_builder.pipeline.load import RawCourse
from course_builder.plugin import ID_PATTERN, BlockModel
from course_builder.registry import Registry
from course_builder.release import check_release
from course_builder.secrets import check_no_credentials, collector_key_exemption
from course_builder.yamlsource import LocatedDict, locate


class _PageFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    blocks: list[Any] = Field(min_length=1)


class _ModuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    description: str = ""
    pages: list[dict[str, Any]] = Field(min_length=1)


def _field_names(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every field name in a model and its nested models, for "did you mean" hints."""
    seen = seen or set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for candidate in _nested_models(info.annotation):
            names |= _field_names(candidate, seen)
    return names


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    found = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_nested_models(arg))
    return found


def _describe(error: Any) -> tuple[str, str | None]:
    kind = error["type"]
    message = error["msg"]
    if kind == "missing":
        return "is required but missing", None
    if kind == "extra_forbidden":
        return "is not a known field", None
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == ID_PATTERN:
        return (f"{error['input']!r} is not a valid id",
                "use lowercase letters, digits and hyphens, e.g. my-block-1")
    if kind.startswith("literal_error") or kind == "enum":
        return f"{error.get('input')!r} is not allowed: {message.lower()}", None
    message = message.removeprefix("Value error, ")
    text = message[0].lower() + message[1:] if message else kind
    if "input" in error and not isinstance(error["input"], (dict, list)) and kind != "missing":
        text += f" (got {error['input']!r})"
    return text, None


def report_validation_error(exc: ValidationError, raw: Any, model: type[BaseModel],
                            fallback: SourceLocation, reporter: Reporter,
                            prefix: str = "") -> None:
    """Turn pydantic's errors into located diagnostics with hints.

    Two kinds of noise are dropped: "missing" for a field the author misspelt (the misspelling
    is reported with a "did you mean" hint instead), and "too short" for a list whose items
    already have errors of their own.
    """
    names = _field_names(model)
    errors = []
    for error in exc.errors():
        parts = tuple(p for p in error["loc"]
                      if isinstance(p, int) or not re.search(r"[\[\]()]", p))
        errors.append((parts, error))
    misspelt: set[tuple[str | int, ...]] = set()
    for parts, error in errors:
        if error["type"] == "extra_forbidden" and parts:
            hint = did_you_mean(str(parts[-1]), names - {str(parts[-1])})
            if hint:
                misspelt.add((*parts[:-1], hint.split("`")[1]))
    for parts, error in errors:
        if error["type"] == "missing" and parts in misspelt:
            continue
        if error["type"] == "too_short" and any(
                len(other) > len(parts) and other[:len(parts)] == parts for other, _ in errors):
            continue
        text, hint = _describe(error)
        location = locate(raw, parts, fallback)
        if error["type"] == "extra_forbidden" and parts:
            hint = did_you_mean(str(parts[-1]), names - {str(parts[-1])})
            parent = _get(raw, parts[:-1])
            if isinstance(parent, LocatedDict):
                location = parent.key_locations.get(str(parts[-1]), location)
        if error["type"] == "missing":
            location = locate(raw, parts[:-1], fallback)
        where = field_path(parts) or "(top level)"
        reporter.error(f"{prefix}{where}: {text}", location, hint)


def _get(data: Any, parts: tuple[str | int, ...]) -> Any:
    for part in parts:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def validate(raw: RawCourse, registry: Registry, reporter: Reporter) -> Course | None:
    """Build the typed ``Course``; returns None when any error was reported."""
    errors_before = len(reporter.errors)
    config_loc = SourceLocation(raw.config_path, 1, 1)
    try:
        config = CourseConfig.model_validate(dict(raw.config))
    except ValidationError as exc:
        report_validation_error(exc, raw.config, CourseConfig, config_loc, reporter)
        return None

    course = Course(config=config, root=raw.root, modules=[])
    env = Environment(raw.root)
    contexts: list[BlockContext] = []
    seen_ids: dict[str, SourceLocation] = {}
    for raw_module in raw.modules:
        module_file = raw_module.directory / "module.yaml"
        fallback = SourceLocation(module_file, 1, 1)
        try:
            parsed = _ModuleFile.model_validate(dict(raw_module.data))
        except ValidationError as exc:
            report_validation_error(exc, raw_module.data, _ModuleFile, fallback, reporter)
            continue
        module = Module(raw_module.slug, parsed.title, parsed.description, raw_module.directory,
                        raw_module.origin, raw_module.location)
        course.modules.append(module)
        page_ids: set[str] = set()
        for p_index, raw_page in enumerate(raw_module.data["pages"]):
            page = _validate_page(raw_page, p_index, module, page_ids, reporter)
            if page is None:
                continue
            for b_index, raw_block in enumerate(raw_page["blocks"]):
                where = raw_page["blocks"].item_locations[b_index]
                block = _validate_block(raw_block, where, registry, reporter, module, page,
                                        b_index, seen_ids)
                if block is not None:
                    page.blocks.append(block)
                    contexts.append(BlockContext(block, course, env, reporter))
    for number, page in enumerate(course.pages):
        page.number = number

    for ctx in contexts:
        try:
            ctx.block.plugin.check(ctx.block, ctx)
        except Exception as exc:
            raise RuntimeError(f"plugin '{ctx.block.type}' failed on "
                               f"{ctx.block.location.display(raw.root)}: {exc}") from exc
    _check_rules(course, raw, reporter)
    check_release(config, raw.config, raw.config_path, reporter)
    check_no_credentials(raw, reporter, exempt=collector_key_exemption(raw, config, reporter))
    if len(reporter.errors) > errors_before:
        return None
    course.environment = env
    return course


def _validate_page(raw_page: Any, index: int, module: Module, page_ids: set[str],
                   reporter: Reporter) -> Page | None:
    """Check one page's own fields; its blocks are checked even when the page has errors."""
    fallback = raw_page.location
    parsed: _PageFile | None = None
    try:
        parsed = _PageFile.model_validate(dict(raw_page))
    except ValidationError as exc:
        report_validation_error(exc, raw_page, _PageFile, fallback, reporter,
                                prefix=f"pages[{index}].")
    if parsed is not None and parsed.id in page_ids:
        reporter.error(f"pages[{index}].id: page id '{parsed.id}' is used twice in this module",
                       locate(raw_page, ("id",), fallback))
    blocks = raw_page.get("blocks")
    if not isinstance(blocks, list):
        return None
    page_id = parsed.id if parsed else str(raw_page.get("id", f"page-{index + 1}"))
    title = parsed.title if parsed else str(raw_page.get("title", ""))
    page_ids.add(page_id)
    page = Page(f"{module.slug}/{page_id}", title, fallback, module)
    module.pages.append(page)
    return page


def _validate_block(raw_block: Any, where: SourceLocation, registry: Registry,
                    reporter: Reporter, module: Module, page: Page, index: int,
                    seen_ids: dict[str, SourceLocation]) -> Block | None:
    if not isinstance(raw_block, LocatedDict):
        reporter.error("a block must be a mapping with a `type`", where)
        return None
    kind = raw_block.get("type")
    if not isinstance(kind, str):
        reporter.error("block has no `type`", where,
                       hint="add e.g. `type: text`; `course-builder plugins` lists the types")
        return None
    plugin = registry.get(kind)
    type_loc = raw_block.key_locations["type"]
    if plugin is None:
        reporter.error(f"unknown block type '{kind}'", type_loc,
                       hint=did_you_mean(kind, [t.name for t in registry])
                       or "`course-builder plugins` lists the types you can use")
        return None
    label = f"block '{raw_block.get('id')}' ({kind}): " if raw_block.get("id") else \
        f"block {index + 1} ({kind}) on page '{page.id}': "
    try:
        data: BlockModel = plugin.model.model_validate(dict(raw_block))
    except ValidationError as exc:
        report_validation_error(exc, raw_block, plugin.model, where, reporter, label)
        return None
    key = data.id or f"{page.id.replace('/', '-')}-{index + 1}"
    if data.id is None and plugin.requires_id:
        reporter.error(f"{label}id: is required for {kind} blocks", where,
                       hint="give the block a stable id such as `id: my-quiz`; saved progress "
                       "and reports use it")
        return None
    if key in seen_ids:
        reporter.error(f"{label}id: '{key}' is already used at "
                       f"{seen_ids[key].display(module.directory.parent.parent)}",
                       locate(raw_block, ("id",), where))
        return None
    seen_ids[key] = where
    return Block(plugin, data, where, module, page, index, key, raw_block)


def _check_rules(course: Course, raw: RawCourse, reporter: Reporter) -> None:
    for index, key in enumerate(course.config.completion.require):
        location = locate(raw.config, ("completion", "require", index), SourceLocation(
            raw.config_path))
        block = course.block(key)
        if block is None:
            reporter.error(f"completion.require[{index}]: no block has the id '{key}'", location,
                           hint=did_you_mean(key, [b.key for b in course.blocks]))
        elif not block.plugin.completable:
            reporter.error(f"completion.require[{index}]: a {block.type} block cannot be "
                           "required: it never reports being finished", location)
    if course.config.passing and not any(b.plugin.max_score(b) for b in course.blocks):
        reporter.error("passing: the course has a pass mark but no scored block",
                       locate(raw.config, ("passing",), SourceLocation(raw.config_path)),
                       hint="add a scored quiz, or remove the `passing` section")
