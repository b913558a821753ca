"""The validated course, independent of any output format.

``Interaction`` describes a question the way both SCORM and xAPI can express it; targets translate
it (see ``targets/_interactions.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from course_builder.diagnostics import SourceLocation

if TYPE_CHECKING:
    from course_builder.config import CourseConfig
    from course_builder.plugin import BlockModel, ContentType

InteractionType = Literal[
    "choice", "true-false", "matching", "sequencing", "numeric", "likert", "fill-in",
    "long-fill-in", "other",
]


@dataclass(frozen=True)
class Interaction:
    """One trackable question, in neutral terms.

    ``choices`` are ``(id, text)`` pairs; responses use those ids. ``correct`` is the list of
    correct response ids (choice, sequencing: in order), ``["true"]``/``["false"]`` for
    true-false, ``["source.target", ...]`` for matching, ``["42"]`` or ``["40:44"]`` for numeric,
    and empty when there is no right answer (likert, surveys).

    ``anonymous`` answers never join the learner's record: the runtime sends them only to the
    course owner's evaluation collector (``course_builder/collector.py``), if there is one.
    """

    id: str
    type: InteractionType
    description: str
    choices: tuple[tuple[str, str], ...] = ()
    targets: tuple[tuple[str, str], ...] = ()
    correct: tuple[str, ...] = ()
    scored: bool = True
    anonymous: bool = False
    #: numeric only: the lowest and highest response the question accepts, when it has such
    #: limits (a 1-to-5 rating); reports ignore answers outside them.
    bounds: tuple[float, float] | None = None


@dataclass
class Block:
    """A block of a page, validated by its plugin."""

    plugin: ContentType[Any]
    data: BlockModel
    location: SourceLocation
    module: Module
    page: Page
    index: int  # position on the page
    key: str = ""  # unique id within the course (author id, or a generated one)
    raw: Any = None  # the located YAML mapping, for plugin diagnostics

    @property
    def type(self) -> str:
        return self.plugin.name


@dataclass
class Page:
    """One screen of the course."""

    id: str  # "<module-slug>/<page-id>", unique in the course
    title: str
    location: SourceLocation
    module: Module
    blocks: list[Block] = field(default_factory=list)
    number: int = 0  # 0-based position in the whole course


@dataclass
class Module:
    """A folder of pages: ``modules/<slug>/module.yaml`` or an installed module plugin."""

    slug: str
    title: str
    description: str
    directory: Path
    origin: str  # "course" or "entry point <name> (<dist>)"
    location: SourceLocation
    pages: list[Page] = field(default_factory=list)


@dataclass
class Course:
    """The whole validated course."""

    config: CourseConfig
    root: Path
    modules: list[Module]
    environment: Any = None  # pipeline.context.Environment shared by render

    @property
    def pages(self) -> list[Page]:
        return [page for module in self.modules for page in module.pages]

    @property
    def blocks(self) -> list[Block]:
        return [block for page in self.pages for block in page.blocks]

    def block(self, key: str) -> Block | None:
        return next((b for b in self.blocks if b.key == key), None)
