"""Starting points for ``course-builder new``: a course, a module, a content type, a module pack.

Each is a folder of ``*.tmpl`` files beside this module. Names in file paths and contents are
filled in by plain replacement of ``__NAME__``-style tokens (never a template engine: the files
are themselves Jinja templates, JavaScript and YAML full of braces). Every starting point is
small, builds with ``--strict``, and its comments teach what each part is for. The subject is
deliberately neutral (running a good meeting): nobody should start from the bundled course and
its words.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from course_builder.errors import CourseBuilderError
from course_builder.model import ID_PATTERN

HERE = Path(__file__).resolve().parent
TEMPLATE_SUFFIX = ".tmpl"
#: Files whose name cannot be kept as it is in package data (a .gitignore inside a package
#: folder would be read as rules by some build tools).
RENAMED = {"gitignore": ".gitignore"}
PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
PACK_NAME = re.compile(r"^[a-z][a-z0-9]*([-_][a-z0-9]+)*$")


class ScaffoldError(CourseBuilderError):
    """A starting point could not be made (a name is not allowed, a file exists already)."""


def _fill(text: str, values: dict[str, str]) -> str:
    for token, value in values.items():
        text = text.replace(token, value)
    return text


def _plan(template: str, destination: Path, values: dict[str, str]) -> dict[Path, str]:
    """Every file a template folder gives: destination path -> text."""
    source = HERE / template
    planned: dict[Path, str] = {}
    for path in sorted(source.rglob(f"*{TEMPLATE_SUFFIX}")):
        relative = path.relative_to(source).as_posix()[: -len(TEMPLATE_SUFFIX)]
        relative = "/".join(RENAMED.get(part, part) for part in relative.split("/"))
        planned[destination / _fill(relative, values)] = _fill(
            path.read_text(encoding="utf-8"), values)
    return planned


def _write(planned: dict[Path, str]) -> list[Path]:
    """Write every file, or none when any of them exists already."""
    existing = [path for path in planned if path.exists()]
    if existing:
        names = ", ".join(str(p) for p in existing[:5])
        raise ScaffoldError(f"not overwriting what is there already: {names}")
    for path, text in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(planned)


def title_from(name: str) -> str:
    """``running-meetings`` -> ``Running meetings``."""
    words = re.sub(r"[-_\s]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else "My course"


def slug_from(name: str) -> str:
    """A module or course slug: lowercase letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "course"


# -- course -------------------------------------------------------------------------------------
def new_course(directory: Path, title: str | None = None) -> list[Path]:
    """A two-module course (text, accordion, a scored quiz) in ``directory``."""
    if (directory / "course.yaml").exists():
        raise ScaffoldError(f"{directory / 'course.yaml'} exists already: {directory} is a "
                            "course. Add a module with: course-builder new module NAME")
    name = directory.resolve().name
    values = {"__SLUG__": slug_from(name), "__TITLE__": _yaml_text(title or title_from(name))}
    return _write(_plan("course", directory, values))


def _yaml_text(text: str) -> str:
    """``text`` as a YAML scalar on one line (quoted only when it must be)."""
    dumped = yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=10_000)
    return dumped.removesuffix("\n...\n").strip()


# -- module ---------------------------------------------------------------------------------------
def new_module(course_dir: Path, slug: str, title: str | None = None) -> list[Path]:
    """``modules/<slug>/module.yaml``, listed last in course.yaml's ``modules``."""
    if not re.match(ID_PATTERN, slug):
        raise ScaffoldError(f"'{slug}' cannot name a module: use lowercase letters, digits and "
                            "hyphens, e.g. next-steps")
    config = course_dir / "course.yaml"
    if not config.is_file():
        raise ScaffoldError(f"no course.yaml in {course_dir}: run this in a course folder, or "
                            "give it with --course (make a course with: course-builder new "
                            "course DIR)")
    text = config.read_text(encoding="utf-8")
    updated = add_to_modules_list(text, slug)
    planned = _plan("module", course_dir / "modules" / slug,
                    {"__TITLE__": _yaml_text(title or title_from(slug))})
    written = _write(planned)
    config.write_text(updated, encoding="utf-8")
    return [*written, config]


def add_to_modules_list(text: str, slug: str) -> str:
    """course.yaml's text with ``slug`` added at the end of ``modules``, every other character
    (comments, quoting, layout) left as the author wrote it."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ScaffoldError(f"course.yaml is not valid YAML, so it was left alone: {exc}") from exc
    if root is None:
        root = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(root, yaml.MappingNode):
        raise ScaffoldError("course.yaml should be a mapping of fields (key: value)")
    found = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)
             and k.value == "modules"]
    if not found:
        updated = text + ("" if text.endswith("\n") or not text else "\n") + \
            f"modules:\n  - {slug}\n"
    else:
        key, value = found[0]
        updated = _insert_item(text, key, value, slug)
    _check_only_added(text, updated, slug)
    return updated


def _insert_item(text: str, key: yaml.Node, value: yaml.Node, slug: str) -> str:
    if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
        start, end = value.start_mark.index, value.end_mark.index
        if start == end:  # `modules:` with nothing after it
            colon = text.index(":", key.end_mark.index)
            return text[:colon + 1] + f" [{slug}]" + text[colon + 1:]
        return text[:start] + f"[{slug}]" + text[end:]
    if not isinstance(value, yaml.SequenceNode):
        raise ScaffoldError("`modules` in course.yaml is not a list")
    if any(isinstance(item, yaml.ScalarNode) and item.value == slug for item in value.value):
        raise ScaffoldError(f"course.yaml lists '{slug}' already")
    if value.flow_style:  # modules: [a, b]
        close = text.rindex("]", value.start_mark.index, value.end_mark.index)
        if not value.value:
            return text[:close] + slug + text[close:]
        after_last = value.value[-1].end_mark.index
        return text[:after_last] + f", {slug}" + text[after_last:]
    last = value.value[-1]
    line_start = text.rfind("\n", 0, last.start_mark.index) + 1
    prefix = text[line_start:last.start_mark.index]  # "  - " as the author indented it
    if prefix.strip() != "-":
        raise ScaffoldError("course.yaml's module list is laid out in a way this command "
                            f"does not edit; add '- {slug}' to `modules` yourself")
    line_end = text.find("\n", last.end_mark.index)
    if line_end < 0:
        return text + "\n" + prefix + slug + "\n"
    return text[:line_end + 1] + prefix + slug + "\n" + text[line_end + 1:]


def _check_only_added(before: str, after: str, slug: str) -> None:
    """Refuse to write unless the only change is one more module at the end of the list."""
    old = yaml.safe_load(before) or {}
    new = yaml.safe_load(after) or {}
    expected = dict(old)
    expected["modules"] = [*(old.get("modules") or []), slug]
    if new != expected:
        raise ScaffoldError(f"could not add '{slug}' to course.yaml safely; add it to "
                            "`modules` yourself")


# -- plugin ----------------------------------------------------------------------------------------
def new_plugin(course_dir: Path, name: str) -> list[Path]:
    """``plugins/<name>/``: model, template, script, style, example, docs page and tests."""
    if not PLUGIN_NAME.match(name):
        raise ScaffoldError(f"'{name}' cannot name a content type: use lowercase letters, "
                            "digits and underscores, starting with a letter, e.g. checklist")
    if not (course_dir / "course.yaml").is_file():
        raise ScaffoldError(f"no course.yaml in {course_dir}: a plugin is made in a course's "
                            "plugins/ folder; run this in the course folder or give --course")
    values = {"__CLASS__": "".join(part.capitalize() for part in name.split("_")),
              "__NAME__": name, "__ID__": name.replace("_", "-")}
    return _write(_plan("plugin", course_dir / "plugins" / name, values))


# -- module pack -----------------------------------------------------------------------------------
def new_module_pack(directory: Path, name: str) -> list[Path]:
    """A Python project whose package holds one module (module.yaml and an image)."""
    if not PACK_NAME.match(name):
        raise ScaffoldError(f"'{name}' cannot name a module pack: use lowercase letters, digits "
                            "and hyphens, e.g. team-skills")
    slug = name.replace("_", "-")
    values = {"__DIST__": slug, "__SLUG__": slug, "__PACKAGE__": slug.replace("-", "_")}
    return _write(_plan("module_pack", directory, values))
