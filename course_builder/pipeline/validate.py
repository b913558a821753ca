"""Stage 2: check the located tree against the course model and each block's plugin, in one
pass over whatever parsed, and say once what is true of the course whatever the format.

Every problem becomes a located diagnostic; nothing stops at the first error. A section of
course.yaml with errors is left out (or given a stand-in) so that the modules are still checked;
a block that fails its model is still known by its id and type, so that nothing downstream
reports it missing ("completion.require: no block has the id ...") or unscored ("a pass mark but
no scored block"). Blocks that passed are measured once (their questions, score and saved state,
``Block.measure``), and the course's questions are collected once, before any format is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from course_builder.config import CourseConfig, ModuleFile, PageFile
from course_builder.context import BlockContext, Environment
from course_builder.diagnostics import Reporter, SourceLocation, did_you_mean
from course_builder.model import (
    ID_PATTERN,
    Block,
    BlockModel,
    Course,
    Interaction,
    Module,
    Page,
    RawCourse,
    RawModule,
)
from course_builder.plugin import ContentType
from course_builder.registry import Registry
from course_builder.release import check_release
from course_builder.schema_errors import report_validation_error
from course_builder.secrets import (
    COLLECTOR_KEY_PATH,
    check_no_credentials,
    collector_key_exemption,
    variant_key_paths,
)
from course_builder.yamlsource import LocatedDict, LocatedList, locate

#: Stand-ins for required course.yaml fields that are missing or wrong, so that the modules can
#: still be checked; the field's own error is reported and the build fails.
_STAND_INS: dict[str, Any] = {"id": "urn:course-builder:invalid", "title": "(invalid)",
                              "version": "0"}


@dataclass
class _Known:
    """Blocks known by id although they did not pass validation, with their plugin if known."""

    failed: dict[str, ContentType[Any] | None] = field(default_factory=dict)
    unread_ids: set[str] = field(default_factory=set)  # in module files YAML could not parse
    unread_types: set[str] = field(default_factory=set)


def validate(raw: RawCourse, registry: Registry, reporter: Reporter) -> Course | None:
    """The typed ``Course`` built from every part that passed; None only when course.yaml is
    unusable even with stand-ins. Check ``reporter`` for errors: the course returned may be
    partial (blocks with errors are left out of it)."""
    config, bad_sections = _validate_config(raw, reporter)
    if config is None:
        return None
    env = Environment(raw.root)
    course = Course(config=config, root=raw.root, modules=[], raw=raw, environment=env,
                    config_errors=frozenset(bad_sections))
    known = _Known()
    contexts: list[BlockContext[Any]] = []
    seen_ids: dict[str, SourceLocation] = {}
    for raw_module in raw.modules:
        if raw_module.data is None:  # not parsed: its error is reported
            known.unread_ids |= raw_module.ids
            known.unread_types |= raw_module.types
            continue
        module = validate_module(raw_module, registry, reporter, seen_ids, known)
        course.modules.append(module)
        contexts += [BlockContext(block, course, env, reporter)
                     for page in module.pages for block in page.blocks]
    for number, module in enumerate(course.modules):
        module.number = number
    for number, page in enumerate(course.pages):
        page.number = number

    for ctx in contexts:
        errors_before = len(reporter.errors)
        ctx.block.check(ctx)
        if len(reporter.errors) > errors_before:  # its own rules failed: leave it out
            known.failed[ctx.block.key] = ctx.block.plugin
            ctx.block.page.blocks.remove(ctx.block)
        else:
            ctx.block.measure()
    course.questions = collect_questions(course, reporter)
    _check_rules(course, raw, reporter, known, bad_sections, registry)
    if "release" not in bad_sections:
        check_release(config, raw.config, raw.config_path, reporter)
    # with evaluation: in error, its key is that error's business, not a second one
    exempt = ((COLLECTOR_KEY_PATH,) if "evaluation" in bad_sections
              else collector_key_exemption(raw, config, reporter))
    if "variants" in bad_sections:  # likewise for the variants' own collectors
        exempt = (*exempt, *variant_key_paths(raw))
    # a value already in error (an endpoint with a password in it) is reported once
    found = Reporter()
    check_no_credentials(raw, found, exempt=exempt)
    taken = {d.location for d in reporter.errors}
    reporter.diagnostics += [d for d in found.diagnostics if d.location not in taken]
    return course


def validate_module(raw_module: RawModule, registry: Registry, reporter: Reporter,
                    seen_ids: dict[str, SourceLocation], known: _Known | None = None) -> Module:
    """One parsed module: its own fields, its pages, and each block by its plugin's model.
    ``seen_ids``: the block ids already in the course, with where they are (a block reusing one
    is an error; its own are added). The blocks still need their plugin's ``check`` and
    ``measure``, which :func:`validate` makes once the whole course is known (a variant's
    module, course_builder/variants/, is validated here too)."""
    assert raw_module.data is not None
    known = known if known is not None else _Known()
    module = _validate_module(raw_module, reporter)
    page_ids: set[str] = set()
    pages = raw_module.data.get("pages")
    for p_index, raw_page in enumerate(pages if isinstance(pages, LocatedList) else ()):
        page = _validate_page(raw_page, p_index, module, page_ids, reporter)
        if page is None:
            continue
        for b_index, raw_block in enumerate(raw_page["blocks"]):
            where = raw_page["blocks"].item_locations[b_index]
            block = _validate_block(raw_block, where, registry, reporter, module, page,
                                    b_index, seen_ids, known)
            if block is not None:
                page.blocks.append(block)
    return module


def _validate_config(raw: RawCourse, reporter: Reporter) -> tuple[CourseConfig | None, set[str]]:
    """course.yaml as a ``CourseConfig``. Sections with errors are reported, then left out (or
    given a stand-in when required) so that the rest of the course is still checked."""
    config_loc = SourceLocation(raw.config_path, 1, 1)
    data = dict(raw.config)
    try:
        return CourseConfig.model_validate(data), set()
    except ValidationError as exc:
        report_validation_error(exc, raw.config, CourseConfig, config_loc, reporter)
        bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
    for name in bad:
        data.pop(name, None)
    data.update({name: value for name, value in _STAND_INS.items() if name not in data})
    if "modules" not in data:
        data["modules"] = tuple(m.slug for m in raw.modules) or ("invalid",)
    try:
        return CourseConfig.model_validate(data), bad
    except ValidationError:
        return None, bad


def _validate_module(raw_module: RawModule, reporter: Reporter) -> Module:
    """A module's own fields; its pages are checked even when these have errors."""
    data = raw_module.data
    assert data is not None
    title, description = "", ""
    try:
        parsed = ModuleFile.model_validate(dict(data))
        title, description = parsed.title, parsed.description
    except ValidationError as exc:
        module_file = raw_module.directory / "module.yaml"
        report_validation_error(exc, data, ModuleFile, SourceLocation(module_file, 1, 1),
                                reporter)
        written = data.get("title")
        title = written if isinstance(written, str) else raw_module.slug
    return Module(raw_module.slug, title, description, raw_module.directory, raw_module.origin,
                  raw_module.location)


def _validate_page(raw_page: Any, index: int, module: Module, page_ids: set[str],
                   reporter: Reporter) -> Page | None:
    """Check one page's own fields; its blocks are checked even when the page has errors."""
    if not isinstance(raw_page, LocatedDict):
        return None  # the module's model reports it
    fallback = raw_page.location
    parsed: PageFile | None = None
    try:
        parsed = PageFile.model_validate(dict(raw_page))
    except ValidationError as exc:
        report_validation_error(exc, raw_page, PageFile, fallback, reporter,
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
                    seen_ids: dict[str, SourceLocation], known: _Known) -> Block[Any] | None:
    if not isinstance(raw_block, LocatedDict):
        reporter.error("a block must be a mapping with a `type`", where)
        return None
    kind = raw_block.get("type")
    raw_id = raw_block.get("id")
    written_id = raw_id if isinstance(raw_id, str) else None
    if not isinstance(kind, str):
        reporter.error("block has no `type`", where,
                       hint="add e.g. `type: text`; `course-builder plugins` lists the types")
        if written_id:
            known.failed[written_id] = None
        return None
    plugin = registry.get(kind)
    type_loc = raw_block.key_locations["type"]
    if plugin is None:
        reporter.error(f"unknown block type '{kind}'", type_loc,
                       hint=did_you_mean(kind, [t.name for t in registry])
                       or "`course-builder plugins` lists the types you can use")
        if written_id:
            known.failed[written_id] = None
        return None
    label = f"block '{written_id}' ({kind}): " if written_id else \
        f"block {index + 1} ({kind}) on page '{page.id}': "
    key = written_id or f"{page.id.replace('/', '-')}-{index + 1}"
    if written_id is not None and key in seen_ids:
        reporter.error(f"{label}id: '{key}' is already used at "
                       f"{seen_ids[key].display(module.course_root)}",
                       locate(raw_block, ("id",), where))
        return None
    try:
        data: BlockModel = plugin.model.model_validate(dict(raw_block))
    except ValidationError as exc:
        report_validation_error(exc, raw_block, plugin.model, where, reporter, label)
        if written_id:  # still known, so nothing else reports it missing
            seen_ids[written_id] = where
            known.failed[written_id] = plugin
        return None
    if data.id is None and plugin.requires_id:
        reporter.error(f"{label}id: is required for {kind} blocks", where,
                       hint="give the block a stable id such as `id: my-quiz`; saved progress "
                       "and reports use it")
        return None
    seen_ids[key] = where
    return Block(plugin, data, where, module, page, index, key, raw_block)


def collect_questions(course: Course,
                       reporter: Reporter) -> dict[str, tuple[Interaction, Block[Any]]]:
    """Every question of the course by id, with the block that asks it; ids must be unique
    (reports and LMS records key answers by them)."""
    found: dict[str, tuple[Interaction, Block[Any]]] = {}
    for block in course.blocks:
        for interaction in block.interactions:
            if interaction.id in found:
                other = found[interaction.id][1]
                reporter.error(
                    f"block '{block.key}' ({block.type}): question id '{interaction.id}' is also "
                    f"used in block '{other.key}'; reports and LMS records need unique ids",
                    block.location)
            else:
                found[interaction.id] = (interaction, block)
    return found


def _can_score(plugin: ContentType[Any] | None) -> bool:
    return plugin is not None and plugin.can_score


def _check_rules(course: Course, raw: RawCourse, reporter: Reporter, known: _Known,
                 bad_sections: set[str], registry: Registry) -> None:
    """Rules across the course: what completion requires exists and can finish, and a pass
    mark has something to score. Blocks that failed validation count as what they were meant
    to be, so one mistake is reported once."""
    config = course.config
    config_file = SourceLocation(raw.config_path)
    if "completion" not in bad_sections:
        for index, key in enumerate(config.completion.require):
            location = locate(raw.config, ("completion", "require", index), config_file)
            block = course.block(key)
            plugin = block.plugin if block is not None else known.failed.get(key)
            if block is None and key not in known.failed and key not in known.unread_ids:
                names = [b.key for b in course.blocks] + list(known.failed)
                reporter.error(f"completion.require[{index}]: no block has the id '{key}'",
                               location, hint=did_you_mean(key, names))
            elif plugin is not None and not plugin.completable:
                reporter.error(f"completion.require[{index}]: a {plugin.name} block cannot be "
                               "required: it never reports being finished", location)
    if "passing" in bad_sections or config.passing is None:
        return
    may_score = (any(b.max_score for b in course.blocks)
                 or any(_can_score(p) for p in known.failed.values())
                 or any(_can_score(registry.get(kind)) for kind in known.unread_types))
    if not may_score:
        reporter.error("passing: the course has a pass mark but no scored block",
                       locate(raw.config, ("passing",), config_file),
                       hint="add a scored quiz, or remove the `passing` section")


__all__ = ["ID_PATTERN", "collect_questions", "validate", "validate_module"]
