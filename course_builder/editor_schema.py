"""JSON Schema for ``course.yaml`` and ``module.yaml``, for editors.

A YAML language server (VS Code's YAML extension, and others built on it) reads a first-line
comment ``# yaml-language-server: $schema=<path>`` and then completes field names, shows each
field's description and marks mistakes as the author types. The schemas come from the same
pydantic models the build validates with, so they never disagree with it:

- ``course.schema.json``: ``CourseConfig``;
- ``module.schema.json``: the module and page fields, and every block as a discriminated union
  on ``type``: one branch per content type available to the course (built-in, installed, and
  the course's own ``plugins/``), each the plugin's own model with ``type`` fixed to its name.

Rules the models check in code (ids that must exist elsewhere, files that must be there) are
not in a schema; ``course-builder validate`` still reports those.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import Field, create_model

from course_builder.config import CourseConfig, ModuleFile, PageFile
from course_builder.plugin import BlockModel
from course_builder.registry import Registry

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
COURSE_SCHEMA = "course.schema.json"
MODULE_SCHEMA = "module.schema.json"
#: Where ``course-builder schema`` and ``course-builder new`` put the files in a course folder.
SCHEMA_DIR = "schema"


def modeline(yaml_file: Path, schema_file: Path) -> str:
    """The first-line comment pointing a YAML language server at ``schema_file``."""
    relative = Path(_relpath(schema_file, yaml_file.parent))
    return f"# yaml-language-server: $schema={relative.as_posix()}"


def _relpath(target: Path, start: Path) -> str:
    import os

    return os.path.relpath(target.resolve(), start.resolve())


def _block_branch(name: str, model: type[BlockModel]) -> type[BlockModel]:
    """The plugin's model with ``type`` narrowed to its name, so the union can discriminate."""
    fixed: Any = Literal[name]  # a literal made at run time, one per content type
    return create_model(
        f"{name}_block",
        __base__=model,
        __doc__=(model.__doc__ or f"A `{name}` block.").strip(),
        type=(fixed, Field(description=f"The content type: always `{name}` here.")),
    )


def _without_null(node: Any) -> Any:
    """Optional fields as their real type only: ``anyOf: [X, {type: null}]`` becomes ``X``.

    Authors leave an optional field out rather than write it empty, and with the null branch an
    editor reports "is not of type 'null'" instead of the misspelt field inside ``X``.
    """
    if isinstance(node, list):
        return [_without_null(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _without_null(value) for key, value in node.items()}
    branches = node.get("anyOf")
    if isinstance(branches, list) and {"type": "null"} in branches:
        rest = [b for b in branches if b != {"type": "null"}]
        del node["anyOf"]
        if node.get("default", "") is None:
            del node["default"]
        if len(rest) == 1:
            node = {**rest[0], **node}
        else:
            node["anyOf"] = rest
    return node


def course_schema() -> dict[str, Any]:
    """JSON Schema of ``course.yaml``."""
    schema = _without_null(CourseConfig.model_json_schema(mode="validation"))
    schema["title"] = "course.yaml (course_builder)"
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def module_schema(registry: Registry) -> dict[str, Any]:
    """JSON Schema of ``module.yaml`` with one branch per content type in ``registry``."""
    branches = [_block_branch(ct.name, ct.model) for ct in registry]
    if not branches:
        raise ValueError("no content types are available")
    block = (Annotated[Union[tuple(branches)], Field(discriminator="type")]  # noqa: UP007
             if len(branches) > 1 else branches[0])
    page = create_model("Page", __base__=PageFile, __doc__="One screen of the course.",
                        blocks=(list[block], Field(min_length=1)))  # type: ignore[valid-type]
    module = create_model("Module", __base__=ModuleFile,
                          __doc__="A module: a title and its pages, in order.",
                          pages=(list[page], Field(min_length=1)))  # type: ignore[valid-type]
    schema = _without_null(module.model_json_schema(mode="validation"))
    schema["title"] = "module.yaml (course_builder)"
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def write_schemas(registry: Registry, out_dir: Path) -> list[Path]:
    """Write both schemas into ``out_dir``; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in ((COURSE_SCHEMA, course_schema()),
                         (MODULE_SCHEMA, module_schema(registry))):
        path = out_dir / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
                        encoding="utf-8")
        written.append(path)
    return written
