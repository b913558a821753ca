"""``course-builder new``: small, buildable starting points with comments that teach."""

from __future__ import annotations

from pathlib import Path

import click

from course_builder import scaffold
from course_builder.diagnostics import Reporter
from course_builder.editor_schema import SCHEMA_DIR, write_schemas
from course_builder.registry import discover

course_option = click.option(
    "--course", "course_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("."), show_default=True, help="The course folder (the one with course.yaml).")


def _refresh_schema(course_dir: Path) -> list[Path]:
    """Editors check files against schema/: keep it in step with the course's content types."""
    reporter = Reporter()
    registry = discover(course_dir, reporter)
    if reporter.errors:
        for diagnostic in reporter.sorted():
            click.echo(diagnostic.format(course_dir), err=True)
        return []
    return write_schemas(registry, course_dir / SCHEMA_DIR)


@click.group("new")
def new_command() -> None:
    """Start a course, a module, a content type (plugin) or a module pack."""


@new_command.command("course")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The course's title (default: from the folder's name).")
def new_course_command(directory: Path, title: str | None) -> None:
    """Make a small course in DIRECTORY: two modules, a quiz, and comments that explain."""
    for path in scaffold.new_course(directory, title) + _refresh_schema(directory):
        click.echo(f"  created {path}")
    click.echo(f"\nNext:\n  cd {directory}\n  course-builder preview      see it in your "
               "browser; it updates as you save\n  course-builder build        make the zips "
               "in build/")


@new_command.command("module")
@click.argument("name")
@click.option("--title", help="The module's title (default: from its name).")
@course_option
def new_module_command(name: str, title: str | None, course_dir: Path) -> None:
    """Add modules/NAME/module.yaml and list NAME at the end of course.yaml's modules."""
    changed = scaffold.new_module(course_dir, name, title)
    *created, config = changed
    for path in created:
        click.echo(f"  created {path}")
    click.echo(f"  updated {config} (modules: ... {name})")


@new_command.command("plugin")
@click.argument("name")
@course_option
def new_plugin_command(name: str, course_dir: Path) -> None:
    """Make a content type in the course's plugins/NAME/: model, template, script, style,
    example, docs page and tests. It works as it is; change it to make it yours."""
    for path in scaffold.new_plugin(course_dir, name):
        click.echo(f"  created {path}")
    for path in _refresh_schema(course_dir):
        click.echo(f"  updated {path} (editors now know `type: {name}`)")
    click.echo(f"\nUse it in a module with `- type: {name}` (see plugins/{name}/example.yaml);"
               f"\ntest it with: python -m pytest {course_dir / 'plugins' / name}")


@new_command.command("module-pack")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Where to make the project (default: a folder NAME here).")
def new_module_pack_command(name: str, directory: Path | None) -> None:
    """Make a Python project that ships course modules (module.yaml and images as package
    data, found through the course_builder.modules entry point)."""
    directory = directory or Path(name)
    created = scaffold.new_module_pack(directory, name)
    for path in created:
        click.echo(f"  created {path}")
    slug = name.replace("_", "-")
    click.echo(f"\nNext:\n  pip install {directory}\n  course-builder plugins      lists "
               f"{slug}-welcome under MODULES\nthen add `{slug}-welcome` to `modules:` in a "
               "course's course.yaml.")
