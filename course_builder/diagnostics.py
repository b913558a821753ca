"""Located diagnostics: every problem names its file, line and column, and all are reported at once.

Format follows compilers and Sphinx (``path:line:col: level: message``) so editors and grep can jump
to the spot.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


@dataclass(frozen=True)
class SourceLocation:
    """A place in an author's file. ``line`` and ``column`` are 1-based; 0 means unknown."""

    path: Path
    line: int = 0
    column: int = 0

    def display(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None:
            try:
                path = self.path.resolve().relative_to(root.resolve())
            except ValueError:
                pass
        text = path.as_posix()
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # information only; never fails a build, even with --strict


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a course."""

    level: Level
    message: str
    location: SourceLocation | None = None
    hint: str | None = None

    def format(self, root: Path | None = None) -> str:
        where = f"{self.location.display(root)}: " if self.location else ""
        text = f"{where}{self.level.value}: {_printable(self.message)}"
        if self.hint:
            text += f"\n    hint: {_printable(self.hint)}"
        return text


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """Messages quote author text (a field name, a value); a control character in it is shown
    as an escape such as ``\\x1b``, so that it cannot act on the terminal that prints it."""
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


@dataclass
class Reporter:
    """Collects diagnostics across a whole run, so the author sees every problem in one go.

    With ``strict`` set, warnings count as errors (``--strict``).
    """

    strict: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, message: str, location: SourceLocation | None = None,
              hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(Level.ERROR, message, location, hint))

    def warning(self, message: str, location: SourceLocation | None = None,
                hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(Level.WARNING, message, location, hint))

    def note(self, message: str, location: SourceLocation | None = None) -> None:
        self.diagnostics.append(Diagnostic(Level.NOTE, message, location))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.WARNING]

    @property
    def failed(self) -> bool:
        return bool(self.errors) or (self.strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Every diagnostic once, by file, line and column."""
        def key(d: Diagnostic) -> tuple[str, int, int]:
            loc = d.location
            return (loc.path.as_posix(), loc.line, loc.column) if loc else ("", 0, 0)

        return sorted(dict.fromkeys(self.diagnostics), key=key)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean ...?" hint for a misspelt name, or None when nothing is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{matches[0]}`?" if matches else None


def field_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """``("questions", 2, "options")`` -> ``questions[2].options``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_FIELD_PART = re.compile(r"[^.\[\]]+")


def split_field(text: str) -> tuple[str | int, ...]:
    """``questions[2].options`` -> ``("questions", 2, "options")``."""
    return tuple(int(piece) if piece.isdigit() else piece for piece in _FIELD_PART.findall(text))
