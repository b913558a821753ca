"""The course as data: the located YAML tree ``load`` reads, and the validated, tracking-neutral
course ``validate`` builds from it (modules, pages, blocks, interactions).

``Interaction`` describes a question the way both SCORM and xAPI can express it; targets translate
it (see ``targets/_interactions.py``). ``Block`` is generic in its plugin's model, so a plugin's
methods see ``block.data`` as their own model (``Block[QuizBlock]``). Every call into a plugin goes
through one of ``Block``'s methods, which name the plugin and the block if it fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from course_builder.diagnostics import SourceLocation
from course_builder.errors import PluginFailure
from course_builder.i18n.text import TranslatableMarkdown

if TYPE_CHECKING:
    from markupsafe import Markup

    from course_builder.config import CourseConfig
    from course_builder.context import BlockContext, Environment
    from course_builder.plugin import ContentType
    from course_builder.yamlsource import LocatedDict, YamlFile

#: Ids authors write (blocks, pages, modules, questions): lowercase letters, digits, hyphens.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

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


# -- the plugin's block model ----------------------------------------------------------------------
class LintOverride(BaseModel):
    """Silences named safe-messaging checks on one block, with the author's reason."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ignore: tuple[str, ...] = Field(min_length=1)
    reason: str = Field(min_length=10)


class BlockModel(BaseModel):
    """Base of every block's model. Unknown fields are errors, so typos are caught."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    id: str | None = Field(default=None, pattern=ID_PATTERN)
    lint: LintOverride | None = None
    #: Markdown for whoever leads a face-to-face session: printed in the handout (``-f handout``)
    #: in a box labelled "For the facilitator", and never put in any screen package.
    facilitator_notes: TranslatableMarkdown | None = Field(default=None, min_length=1)


B = TypeVar("B", bound=BlockModel)


# -- the raw, located tree (stage 1) ---------------------------------------------------------------
@dataclass
class RawModule:
    """One module's ``module.yaml`` as read: ``data`` None when the file could not be read or
    parsed (its errors are reported; ``ids`` then holds the block ids its text seems to hold, so
    that nothing else reports them missing)."""

    slug: str
    directory: Path
    origin: str
    data: LocatedDict | None
    location: SourceLocation  # where course.yaml lists it
    ids: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()


@dataclass
class RawCourse:
    """Every file of the course parsed once, with every value's location. The lint and the
    diagnostics use this same tree; nothing reads a course file twice."""

    root: Path
    config_path: Path
    config: LocatedDict
    modules: list[RawModule] = field(default_factory=list)
    files: dict[Path, YamlFile] = field(default_factory=dict)
    #: modules only variants bring in (``variants:``, docs/variants.md), each once
    variant_modules: list[RawModule] = field(default_factory=list)

    @property
    def all_modules(self) -> list[RawModule]:
        """The course's modules and its variants' own: every module file read."""
        return [*self.modules, *self.variant_modules]


# -- the validated course (stage 2) ----------------------------------------------------------------
@dataclass(eq=False)  # compared by identity: pages and modules are looked up often
class Block(Generic[B]):
    """A block of a page, validated by its plugin's model.

    After validation, ``interactions``, ``max_score`` and ``max_state_chars`` hold what the
    plugin said once (``measure``); every later stage and every format reads them here."""

    plugin: ContentType[B]
    data: B
    location: SourceLocation
    module: Module
    page: Page
    index: int  # position on the page
    key: str = ""  # unique id within the course (author id, or a generated one)
    raw: Any = None  # the located YAML mapping, for plugin diagnostics
    interactions: tuple[Interaction, ...] = ()
    max_score: int = 0
    max_state_chars: int = 0

    @property
    def type(self) -> str:
        return self.plugin.name

    # -- the one guard around plugin code ---------------------------------------------------
    @contextmanager
    def guard(self, what: str) -> Iterator[None]:
        """Run plugin code; an unexpected exception becomes a :class:`PluginFailure` naming
        the plugin, the method, the block and its file and line, with the cause chained."""
        try:
            yield
        except PluginFailure:
            raise
        except Exception as exc:
            where = self.location.display(self.module.course_root)
            raise PluginFailure(f"plugin '{self.type}' ({self.plugin.origin}) failed in {what} "
                                f"on {where} (block '{self.key}'): {type(exc).__name__}: "
                                f"{exc}") from exc

    def check(self, ctx: BlockContext[B]) -> None:
        with self.guard("check"):
            self.plugin.check(self, ctx)

    def measure(self) -> None:
        """Ask the plugin, once, what the block records, scores and saves."""
        with self.guard("interactions"):
            self.interactions = tuple(self.plugin.interactions(self))
        with self.guard("max_score"):
            self.max_score = int(self.plugin.max_score(self))
        with self.guard("max_state_chars"):
            self.max_state_chars = int(self.plugin.max_state_chars(self))

    def render(self, ctx: BlockContext[B]) -> Markup:
        with self.guard("render"):
            return self.plugin.render(self, ctx)

    def render_handout(self, ctx: BlockContext[B]) -> Markup:
        with self.guard("render_handout"):
            return self.plugin.render_handout(self, ctx)

    def client_data(self, ctx: BlockContext[B]) -> dict[str, Any]:
        with self.guard("client_data"):
            return self.plugin.client_data(self, ctx)

    def decode_state(self, state: str) -> Any:
        with self.guard("decode_state"):
            return self.plugin.decode_state(self, state)


@dataclass(eq=False)
class Page:
    """One screen of the course."""

    id: str  # "<module-slug>/<page-id>", unique in the course
    title: str
    location: SourceLocation
    module: Module
    blocks: list[Block[Any]] = field(default_factory=list)
    number: int = 0  # 0-based position in the whole course


@dataclass(eq=False)
class Module:
    """A folder of pages: ``modules/<slug>/module.yaml`` or an installed module plugin."""

    slug: str
    title: str
    description: str
    directory: Path
    origin: str  # "course" or "entry point <name> (<dist>)"
    location: SourceLocation
    pages: list[Page] = field(default_factory=list)
    number: int = 0  # 0-based position in the course

    @property
    def course_root(self) -> Path:
        """The folder holding course.yaml (locations are shown relative to it)."""
        return self.location.path.parent


@dataclass(frozen=True)
class ActiveVariant:
    """The variant a course was derived for (``variants:`` in course.yaml, docs/variants.md):
    its id (in package ids and xAPI context), the organisation's name, and its logo: the
    path in the package and the file it is copied from (None without a logo)."""

    id: str
    name: str
    logo: str | None = None
    logo_source: Path | None = None


@dataclass(eq=False)
class Course:
    """The whole validated course, and what is true of it whatever the format: every question
    by id with its block (collected once), the located tree it came from, the build's shared
    environment (collected assets, Markdown)."""

    config: CourseConfig
    root: Path
    modules: list[Module]
    raw: RawCourse | None = None
    environment: Environment | None = None
    questions: dict[str, tuple[Interaction, Block[Any]]] = field(default_factory=dict)
    #: top-level course.yaml fields that had errors (reported); ``config`` holds defaults or
    #: stand-ins for them, so checks that depend on them must not run (see ``config_invalid``)
    config_errors: frozenset[str] = frozenset()
    #: The variant this course is (course_builder/variants/); None for the course itself.
    variant: ActiveVariant | None = None

    def config_invalid(self, *names: str) -> bool:
        """Whether any of these course.yaml fields had errors: a check that reads them would
        only repeat that error in other words."""
        return any(name in self.config_errors for name in names)

    @property
    def pages(self) -> list[Page]:
        return [page for module in self.modules for page in module.pages]

    @property
    def blocks(self) -> list[Block[Any]]:
        return [block for page in self.pages for block in page.blocks]

    @property
    def interactions(self) -> dict[str, Interaction]:
        """Every question of the course by id, in course order."""
        return {iid: interaction for iid, (interaction, _) in self.questions.items()}

    def block(self, key: str) -> Block[Any] | None:
        return next((b for b in self.blocks if b.key == key), None)
