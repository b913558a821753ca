"""``course-builder plugins``: the content types and modules a course can use, and where each
comes from (built-in, an installed package, or the course's own folders)."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import click

from course_builder.bundled import default_course_dir
from course_builder.commands._options import course_dir_argument
from course_builder.diagnostics import Reporter
from course_builder.registry import MODULE_ENTRY_POINTS, discover
from course_builder.yamlsource import YamlError, load_yaml


@dataclass
class ModuleRow:
    """One module a course can list under ``modules:`` in course.yaml."""

    slug: str
    used: str  # "yes" (listed in course.yaml), "no", or "-" outside a course
    origin: str


def _listed_modules(course_dir: Path) -> list[str] | None:
    """The slugs course.yaml lists, or None when there is no readable course.yaml."""
    try:
        data = load_yaml(course_dir / "course.yaml")
    except (OSError, UnicodeDecodeError, YamlError):
        return None
    modules = data.get("modules") if isinstance(data, dict) else None
    return [str(m) for m in modules] if isinstance(modules, list) else []


def _installed_module_folder(ep: object) -> str:
    """Where an installed module's files are, or why that could not be found out."""
    try:
        target = ep.load()  # type: ignore[attr-defined]
        if inspect.ismodule(target):
            return str(Path(inspect.getfile(target)).parent)
        return str(target() if callable(target) else target)
    except Exception as exc:  # a broken pack must not hide the rest of the list
        return f"cannot be loaded: {type(exc).__name__}: {exc}"


def module_rows(course_dir: Path | None) -> list[ModuleRow]:
    """Every module a course could use: its own modules/ folders and installed ones."""
    listed = _listed_modules(course_dir) if course_dir is not None else None
    used = (lambda slug: "yes" if slug in listed else "no") if listed is not None else (
        lambda slug: "-")
    rows: list[ModuleRow] = []
    own: set[str] = set()
    if course_dir is not None and listed is not None:
        for path in sorted((course_dir / "modules").glob("*/module.yaml")):
            slug = path.parent.name
            own.add(slug)
            rows.append(ModuleRow(slug, used(slug), f"course folder modules/{slug}/"))
    for ep in sorted(entry_points(group=MODULE_ENTRY_POINTS), key=lambda e: e.name):
        dist = f"{ep.dist.name} {ep.dist.version}" if ep.dist else "unknown package"
        origin = f"entry point '{ep.name}' from {dist} ({_installed_module_folder(ep)})"
        if ep.name in own:
            origin += "; the course's own folder of that name is used instead"
        rows.append(ModuleRow(ep.name, "no" if ep.name in own else used(ep.name), origin))
    known = {row.slug for row in rows}
    for slug in listed or []:
        if slug not in known:
            rows.append(ModuleRow(slug, "yes", "missing: no folder and no installed module"))
    return rows


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join([*(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]])

    return [line(header), *(line(r) for r in rows)]


@click.command("plugins")
@course_dir_argument
def plugins_command(course_dir: Path | None) -> None:
    """List the content types and modules a course can use, with where each comes from
    (built-in, an installed package, or the course's own plugins/ and modules/ folders)."""
    # Listing is harmless anywhere: outside a course, the built-in types and installed modules
    # are listed (never the example course's own modules, as if they were this folder's).
    in_course = course_dir is not None or (Path.cwd() / "course.yaml").is_file()
    course_dir = course_dir or default_course_dir()
    reporter = Reporter()
    registry = discover(course_dir, reporter)
    types = [(t.name, t.version, t.origin) for t in registry]
    for text in _table(("TYPE", "VERSION", "ORIGIN"), types):
        click.echo(text)
    click.echo("")
    modules = [(m.slug, m.used, m.origin)
               for m in module_rows(course_dir if in_course else None)]
    if modules:
        for text in _table(("MODULE", "LISTED", "ORIGIN"), modules):
            click.echo(text)
    else:
        click.echo("MODULE: none found (a course's modules/ folder, or installed module packs)")
    for diagnostic in reporter.sorted():
        click.echo(diagnostic.format(course_dir), err=True)
    if reporter.errors:
        raise SystemExit(1)
