"""Read YAML while remembering where every value came from.

PyYAML's composer gives nodes with start marks; we turn them into plain dicts and lists that also
carry a ``SourceLocation`` for themselves, each key and each item. Validation errors (a pydantic
``loc`` path) are then mapped back to the exact line and column the author wrote.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from course_builder.diagnostics import SourceLocation


class LocatedDict(dict):  # type: ignore[type-arg]
    """A mapping from YAML with ``location`` (the mapping) and ``key_locations``."""

    location: SourceLocation
    key_locations: dict[str, SourceLocation]


class LocatedList(list):  # type: ignore[type-arg]
    """A sequence from YAML with ``location`` and ``item_locations``."""

    location: SourceLocation
    item_locations: list[SourceLocation]


class YamlError(Exception):
    """A file that is not valid YAML; carries the location of the problem."""

    def __init__(self, message: str, location: SourceLocation) -> None:
        super().__init__(message)
        self.location = location


# libyaml's parser when present (about 10x faster on big courses); both give line and column.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader with YAML 1.2 booleans: only true/false are booleans, so an author's
    ``scale: [No, Partly, Yes]`` stays three words (YAML 1.1 made them false and true)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def _loc(path: Path, node: yaml.Node) -> SourceLocation:
    return SourceLocation(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: yaml.Node, path: Path, loader: _Loader) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result = LocatedDict()
        result.location = _loc(path, node)
        result.key_locations = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key = str(key)
            if key in result:
                raise YamlError(f"duplicate key '{key}'", _loc(path, key_node))
            result[key] = _convert(value_node, path, loader)
            result.key_locations[key] = _loc(path, value_node)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList(_convert(child, path, loader) for child in node.value)
        items.location = _loc(path, node)
        items.item_locations = [_loc(path, child) for child in node.value]
        return items
    value = loader.construct_object(node, deep=True)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def load_yaml(path: Path) -> Any:
    """Parse one YAML document from ``path`` into located dicts and lists."""
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _convert(node, path, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = SourceLocation(path, mark.line + 1, mark.column + 1) if mark else SourceLocation(path)
        raise YamlError(f"invalid YAML: {exc.problem or exc}", loc) from exc
    finally:
        loader.dispose()


def locate(data: Any, loc_path: Sequence[str | int], fallback: SourceLocation) -> SourceLocation:
    """The location of the value at ``loc_path`` inside ``data``, or the nearest parent's."""
    best = getattr(data, "location", fallback)
    current = data
    for part in loc_path:
        if isinstance(current, LocatedDict) and isinstance(part, str) and part in current:
            best = current.key_locations[part]
            current = current[part]
        elif isinstance(current, LocatedList) and isinstance(part, int) and part < len(current):
            best = current.item_locations[part]
            current = current[part]
        else:
            break
    return best
