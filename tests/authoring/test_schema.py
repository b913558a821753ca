"""`course-builder schema`: JSON Schema that accepts the bundled course and every starting point
`course-builder new` makes, rejects misspelt fields and unknown block types, and knows a
course's own content types."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.diagnostics import Reporter
from course_builder.editor_schema import course_schema, module_schema
from course_builder.registry import discover
from tests.conftest import REPO


class _Yaml12Loader(yaml.SafeLoader):
    """What a YAML language server sees: YAML 1.2, so dates stay text and only true/false are
    booleans."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                                    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))


def load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)  # noqa: S506


@pytest.fixture(scope="module")
def validators():
    registry = discover(None, Reporter())
    course, module = course_schema(), module_schema(registry)
    for schema in (course, module):
        jsonschema.Draft202012Validator.check_schema(schema)
    return (jsonschema.Draft202012Validator(course), jsonschema.Draft202012Validator(module))


def messages(validator, data) -> list[str]:
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(data))


def deep_messages(validator, data) -> list[str]:
    """Every message, those inside a union's branches included."""
    found, stack = [], list(validator.iter_errors(data))
    while stack:
        error = stack.pop()
        found.append(error.message)
        stack.extend(error.context or ())
    return found


def test_the_bundled_course_validates(validators):
    course, module = validators
    assert messages(course, load(REPO / "course.yaml")) == []
    files = sorted((REPO / "modules").glob("*/module.yaml"))
    assert len(files) >= 5
    for path in files:
        assert messages(module, load(path)) == [], path


def test_every_builtin_example_validates_as_a_page(validators):
    _, module = validators
    for example in sorted((REPO / "plugins").glob("*/example.yaml")):
        assert messages(module, {"title": "M", "pages": [load(example)]}) == [], example


def test_a_misspelt_field_and_an_unknown_type_are_rejected(validators):
    course, module = validators
    config = load(REPO / "course.yaml")
    config["passing"] = {"pass_mak": 80}
    assert messages(course, config) == [
        "passing: 'pass_mark' is a required property",
        "passing: Additional properties are not allowed ('pass_mak' was unexpected)"]
    page = {"id": "p", "title": "P", "blocks": [{"type": "text", "bdy": "Hello"}]}
    (error,) = module.iter_errors({"title": "M", "pages": [page]})
    assert list(error.absolute_path) == ["pages", 0, "blocks", 0]
    # An editor shows the branch whose `type` matches (as jsonschema's best_match does).
    best = jsonschema.exceptions.best_match(error.context)
    assert "'bdy' was unexpected" in best.message or "'body' is a required" in best.message
    assert any("'bdy' was unexpected" in e.message for e in error.context)
    page["blocks"] = [{"type": "txt", "body": "Hello"}]
    assert messages(module, {"title": "M", "pages": [page]})
    page["blocks"] = [{"type": "text", "body": "Hello"}]
    assert messages(module, {"title": "M", "pages": [page]}) == []


def test_blocks_are_a_union_on_type():
    schema = module_schema(discover(None, Reporter()))
    items = schema["$defs"]["Page"]["properties"]["blocks"]["items"]
    assert items["discriminator"]["propertyName"] == "type"
    assert len(items["oneOf"]) == len(list(discover(None, Reporter())))
    text = schema["$defs"]["text_block"]
    assert text["properties"]["type"]["const"] == "text"
    assert "type" in text["required"]


def test_the_command_and_the_starting_points(tmp_path):
    runner = CliRunner()
    course = tmp_path / "course"
    assert runner.invoke(main, ["new", "course", str(course)]).exit_code == 0
    assert runner.invoke(main, ["new", "module", "extra", "--course", str(course)]).exit_code == 0
    assert runner.invoke(main, ["new", "plugin", "checklist", "--course", str(course)]
                         ).exit_code == 0
    pack = tmp_path / "pack"
    assert runner.invoke(main, ["new", "module-pack", "team-skills", "--dir", str(pack)]
                         ).exit_code == 0
    out = tmp_path / "out"
    result = runner.invoke(main, ["schema", str(course), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["course.schema.json", "module.schema.json"]
    # `new plugin` refreshed the course's own schema/ the same way.
    assert (course / "schema" / "module.schema.json").read_text() == \
        (out / "module.schema.json").read_text()
    course_v = jsonschema.Draft202012Validator(json.loads((out / "course.schema.json").read_text()))
    module_v = jsonschema.Draft202012Validator(json.loads((out / "module.schema.json").read_text()))
    assert messages(course_v, load(course / "course.yaml")) == []
    modules = sorted(course.glob("modules/*/module.yaml")) + sorted(pack.rglob("module.yaml"))
    assert len(modules) == 4
    for path in modules:
        assert messages(module_v, load(path)) == [], path
    # The course's own content type is in its schema, with its example.
    example = load(course / "plugins" / "checklist" / "example.yaml")
    assert messages(module_v, {"title": "M", "pages": [example]}) == []
    example["blocks"][0]["itmes"] = example["blocks"][0].pop("items")
    assert any("'itmes' was unexpected" in m
               for m in deep_messages(module_v, {"title": "M", "pages": [example]}))
    # Every YAML file the course starts with points an editor at these schemas.
    for path in [course / "course.yaml", *course.glob("modules/*/module.yaml")]:
        first = path.read_text().splitlines()[0]
        target = first.removeprefix("# yaml-language-server: $schema=")
        assert target != first and (path.parent / target).resolve().is_file(), path
