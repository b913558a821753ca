"""Read YAML while remembering where every value came from.

PyYAML's composer gives nodes with start marks; we turn them into plain dicts and lists that also
carry a ``SourceLocation`` for themselves, each key and each item. Validation errors (a pydantic
``loc`` path) are then mapped back to the exact line and column the author wrote.
"""

from __future__ import annotations

import bisect
import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from course_builder.diagnostics import SourceLocation

MAX_FILE_BYTES = 8 * 1024 * 1024  # the bundled course's largest file is under 50 KB
MAX_VALUES = 200_000  # values in one file once aliases are expanded
MAX_DEPTH = 64  # mappings and lists inside each other; a course file needs about ten


class LocatedDict(dict):  # type: ignore[type-arg]
    """A mapping from YAML with ``location`` (the mapping) and ``key_locations``."""

    location: SourceLocation
    key_locations: dict[str, SourceLocation]


class LocatedList(list):  # type: ignore[type-arg]
    """A sequence from YAML with ``location`` and ``item_locations``."""

    location: SourceLocation
    item_locations: list[SourceLocation]


@dataclass(eq=False)
class YamlFile:
    """One parsed file's text and where each scalar value sits in it, to place a finding
    inside a value (a word of a multi-line ``|`` or ``>`` text, an image in Markdown) at its own
    line and column. Kept with the located tree, so nothing reads or parses the file again."""

    path: Path
    text: str
    #: (line, column) where a scalar starts -> (style, first index, end index) in ``text``
    scalars: dict[tuple[int, int], tuple[str | None, int, int]] = field(default_factory=dict)
    _line_starts: list[int] | None = None

    def position(self, index: int) -> SourceLocation:
        """The location of the character at ``index`` (0-based) in the text."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._line_starts, index) - 1
        return SourceLocation(self.path, line + 1, index - self._line_starts[line] + 1)

    def place(self, location: SourceLocation, value: str, start: int,
              end: int) -> SourceLocation:
        """Where ``value[start:end]`` is in the file, ``value`` being the scalar that starts at
        ``location``; ``location`` itself when it cannot be told (escapes, say).

        The words are found again in the scalar's own source text (folding turns line breaks
        and indentation into spaces, so any run of whitespace matches)."""
        scalar = self.scalars.get((location.line, location.column))
        words = value[start:end].split()
        if scalar is None or not words:
            return location
        style, source_start, source_end = scalar
        if style in ("|", ">"):  # skip the header line (indicators, maybe a comment)
            newline = self.text.find("\n", source_start, source_end)
            source_start = source_end if newline < 0 else newline + 1
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        in_value = [m.start() for m in pattern.finditer(value)]
        if start not in in_value:
            return location
        nth = in_value.index(start)
        in_source = list(pattern.finditer(self.text, source_start, source_end))
        if nth >= len(in_source):
            return location
        return self.position(in_source[nth].start())


class YamlError(Exception):
    """A file that is not valid YAML; carries the location of the problem."""

    def __init__(self, message: str, location: SourceLocation, hint: str | None = None) -> None:
        super().__init__(message)
        self.location = location
        self.hint = hint


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


def _construct(node: yaml.Node, path: Path, loader: _Loader) -> Any:
    # PyYAML's constructors raise plain Python errors on tagged values they cannot read
    # (``!!int abc``, an empty ``!!float``, an unhashable ``!!set`` member).
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
        raise YamlError(f"invalid YAML: cannot read this value as {node.tag.rsplit(':', 1)[-1]}",
                        _loc(path, node)) from exc


def _convert(node: yaml.Node, source: YamlFile, loader: _Loader) -> Any:
    path = source.path
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result = LocatedDict()
        result.location = _loc(path, node)
        result.key_locations = {}
        for key_node, value_node in node.value:
            key = str(_construct(key_node, path, loader))
            if key in result:
                raise YamlError(f"duplicate key '{key}'", _loc(path, key_node))
            result[key] = _convert(value_node, source, loader)
            result.key_locations[key] = _loc(path, value_node)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList(_convert(child, source, loader) for child in node.value)
        items.location = _loc(path, node)
        items.item_locations = [_loc(path, child) for child in node.value]
        return items
    mark = node.start_mark
    source.scalars[(mark.line + 1, mark.column + 1)] = (getattr(node, "style", None), mark.index,
                                                        node.end_mark.index)
    value = _construct(node, path, loader)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def load_yaml(path: Path) -> Any:
    """Parse one YAML document from ``path`` into located dicts and lists (see
    :func:`read_yaml`, which also gives the file's :class:`YamlFile`)."""
    return read_yaml(path)[0]


def read_yaml(path: Path) -> tuple[Any, YamlFile]:
    """Parse one YAML document from ``path`` into located dicts and lists, with its text.

    Raises :class:`YamlError` for anything that is not a reasonable YAML document (bad syntax,
    a character YAML forbids, aliases that expand out of all proportion or into themselves,
    nesting past :data:`MAX_DEPTH`, a file over :data:`MAX_FILE_BYTES`), and
    ``UnicodeDecodeError`` or ``OSError`` for a file that cannot be read as UTF-8 text."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlError(f"the file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a "
                        "course file may hold; split it into several modules",
                        SourceLocation(path))
    return parse_yaml(path.read_text(encoding="utf-8"), path)


def load_yaml_text(text: str, path: Path) -> Any:
    """:func:`load_yaml` for text already read; ``path`` is named in locations."""
    return parse_yaml(text, path)[0]


def parse_yaml(text: str, path: Path) -> tuple[Any, YamlFile]:
    """:func:`read_yaml` for text already read; ``path`` is named in locations."""
    source = YamlFile(path, text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, source
        _check_graph(node, path)
        return _convert(node, source, loader), source
    except yaml.MarkedYAMLError as exc:
        message, loc, hint = syntax_problem(exc, text, path)
        raise YamlError(message, loc, hint) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        raise YamlError(f"the file contains {describe_character(chr(exc.character))}, which "
                        "YAML does not allow; delete it (it often comes with text pasted from "
                        "a PDF or a word processor)",
                        _position(text, path, exc.position)) from exc
    except yaml.YAMLError as exc:  # any other parser complaint, without a mark
        raise YamlError(f"invalid YAML: {exc}", SourceLocation(path)) from exc
    except RecursionError as exc:  # the pure-Python parser, on nesting libyaml would refuse
        raise YamlError(f"values are nested more than {MAX_DEPTH} levels deep",
                        SourceLocation(path)) from exc
    finally:
        loader.dispose()


_QUOTE_HINT = ("end the text with the same quote mark it starts with (\" or '); to put that "
               "mark inside the text, use the other kind around it, or write '' inside '...'")


def syntax_problem(exc: yaml.MarkedYAMLError, text: str,
                   path: Path) -> tuple[str, SourceLocation, str]:
    """A YAML syntax error in plain words, where to look, and how to fix it.

    PyYAML's messages name parser states ("while scanning a simple key: could not find
    expected ':'"); authors need the likely mistake: a tab, a line out of line with its
    neighbours, a missing colon or dash, an unclosed quote, a colon inside a value."""
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    mark = exc.problem_mark or exc.context_mark
    at = SourceLocation(path, mark.line + 1, mark.column + 1) if mark else SourceLocation(path)
    opened = exc.context_mark
    start = (SourceLocation(path, opened.line + 1, opened.column + 1) if opened else at)
    lines = text.splitlines()

    def line(number: int) -> str:  # 1-based; "" past the end
        return lines[number - 1] if 0 < number <= len(lines) else ""

    here = line(at.line)
    if "tab" in problem or "\t" in problem or (
            "cannot start any token" in problem and here[at.column - 1:at.column] == "\t"):
        return ("invalid YAML: a tab character is used to indent this line", at,
                "YAML indents with spaces only: replace the tab with spaces (most editors can "
                "insert spaces when you press Tab)")
    if "quoted scalar" in context:
        if "escape" in problem:
            return ("invalid YAML: a backslash in double quotes starts an escape such as \\n, "
                    "and this one is not known", at,
                    "write the text in single quotes ('C:\\folder'), or double the backslash")
        return ("invalid YAML: the quote that opens here is never closed", start, _QUOTE_HINT)
    if "could not find expected ':'" in problem:
        key_line = line(start.line)
        above = line(start.line - 1)
        item = re.match(r"^(\s*)- ", above)
        if item and len(key_line) - len(key_line.lstrip()) == len(item.group(1)):
            return ("invalid YAML: this line is not a list item, but the line above is", start,
                    "start each item of a list with `- ` at the same indentation")
        return ("invalid YAML: this line has no colon after its field name", start,
                "write `name: value`, with a colon and a space after the name")
    if "mapping values are not allowed" in problem:
        before = here[:at.column - 1]
        if re.search(r":(\s|$)", before) or re.match(r"^\s*- [^:]*$", before):
            return ("invalid YAML: this value holds a colon followed by a space", at,
                    "put the whole value in quotes, e.g. title: \"Note: read this first\"")
        return ("invalid YAML: this line is indented further than the fields around it", at,
                "fields of one mapping start in the same column: line this one up with the "
                "field above it")
    if "expected '-' indicator" in problem or (
            "block collection" in context and "expected <block end>" in problem):
        return ("invalid YAML: this line is out of line with the list it is in", at,
                f"each item of the list that starts on line {start.line} begins with `- ` in "
                "the same column: is a dash missing, or is the line indented differently?")
    if "did not find expected key" in problem or (
            "block mapping" in context and "expected <block end>" in problem):
        return ("invalid YAML: this line is out of line with the fields around it", at,
                "fields of one mapping start in the same column, and a list item starts with "
                "`- `: check the indentation of this line and the one above")
    if "flow sequence" in context or "flow mapping" in context:
        closer = "]" if "sequence" in context else "}"
        return (f"invalid YAML: the list that opens here with '{'[' if closer == ']' else '{'}' "
                f"is not closed with '{closer}', or an item in it needs quotes", start,
                "put items holding a comma, a colon or a bracket in quotes, and close the list "
                "on the same line, or write one `- item` per line instead")
    return (f"invalid YAML: {problem or exc}", at,
            "check the indentation (spaces only, fields lined up) and the colons on this line "
            "and the one above")


def _position(text: str, path: Path, index: int) -> SourceLocation:
    """The line and column of the character at ``index`` (0-based) in ``text``."""
    before = text[:index]
    line = before.count("\n") + 1
    return SourceLocation(path, line, index - (before.rfind("\n") + 1) + 1)


_CONTROL_NAMES = {0: "NUL", 7: "bell", 8: "backspace", 0x0B: "vertical tab",
                  0x0C: "form feed", 0x1B: "escape", 0x7F: "delete"}


def describe_character(char: str) -> str:
    """``"the control character U+000B (vertical tab)"`` and the like, for messages."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "").lower()
    kind = "control character" if unicodedata.category(char) == "Cc" else "character"
    return f"the {kind} U+{code:04X}" + (f" ({name})" if name else "")


def unprintable(text: str) -> str | None:
    """The first character of ``text`` that has no place in author text, or None.

    Refused: control characters other than tab and line breaks (NUL, vertical tab, escape...:
    they break manifests, which are XML, and terminals), bidirectional overrides and isolates
    (they make text read differently from how it is stored), lone surrogates (not encodable)
    and non-characters."""
    for char in text:
        code = ord(char)
        if code < 0x20 and char not in "\t\n\r":
            return char
        if 0x7F <= code <= 0x9F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            return char
        if 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            return char
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_graph(root: yaml.Node, path: Path) -> None:
    """Refuse a document whose aliases expand past :data:`MAX_VALUES` values or into
    themselves, or that nests deeper than :data:`MAX_DEPTH`, before anything is built from it.

    The composer shares one node for every ``*alias`` of an ``&anchor``, so the document is
    small in memory even when its expansion ("billion laughs": ten aliases of ten aliases of
    ...) is not; sizes are computed once per shared node, without recursion."""
    size: dict[int, int] = {}  # expanded size of each finished node
    depth: dict[int, int] = {}  # levels below and including each finished node
    open_nodes: set[int] = set()  # on the current path from the root: seeing one is a loop
    stack: list[tuple[yaml.Node, bool, int]] = [(root, False, 1)]
    while stack:
        node, finished, level = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(child)] for child in children)
            depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
            if size[key] > MAX_VALUES:
                raise YamlError(
                    f"YAML aliases (*name) expand this value to more than {MAX_VALUES:,} "
                    "values; refused, so that a small file cannot fill the computer's memory "
                    "(an 'alias bomb')", _loc(path, node))
            continue
        if level + depth.get(key, 1) - 1 > MAX_DEPTH:
            raise YamlError(f"values are nested more than {MAX_DEPTH} levels deep",
                            _loc(path, node))
        if key in size:
            continue
        if key in open_nodes:
            raise YamlError("an alias (*name) refers to the value that contains it, which "
                            "would repeat for ever; YAML aliases may repeat a value, not nest "
                            "it inside itself", _loc(path, node))
        open_nodes.add(key)
        stack.append((node, True, level))
        stack.extend((child, False, level + 1) for child in _children(node))


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
