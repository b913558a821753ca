"""The content-type contract: the public API for plugin authors.

A content type is a folder::

    my_type/
      plugin.py              class MyType(ContentType[MyBlock]) and its model MyBlock
      templates/my_type.html.j2
      static/my_type.js      CB.registerBlock('my_type', {mount(el, data, api) {...}})
      static/my_type.css
      example.yaml           a page of blocks showing every option (docs and tests use it)
      README.md

The Python class is the single source of truth: its name, its block model (which also gives the
JSON Schema editors use), its template and static files, and how it is tracked. The plugin's
JavaScript talks only to the runtime's ``api`` (``api.record``, ``api.setScore``,
``api.complete``, ``api.state``), never to an LMS or LRS, so every output format gets it for free.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from course_builder.model import Interaction

if TYPE_CHECKING:
    from markupsafe import Markup

    from course_builder.model import Block
    from course_builder.pipeline.context import BlockContext

#: Bumped when the contract below changes incompatibly; plugins declare the version they target.
API_VERSION = 1

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


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
    facilitator_notes: str | None = Field(default=None, min_length=1)


B = TypeVar("B", bound=BlockModel)


class ContentType(Generic[B]):
    """Base class of a content type. Subclass it, set the class attributes, override what you need.

    Attributes:
        name: the block ``type`` authors write (``quiz``).
        model: the pydantic model of one block (subclass of ``BlockModel``).
        version: the plugin's own version, shown by ``course-builder plugins``.
        api_version: the ``API_VERSION`` this plugin was written for.
        template: file in the plugin's ``templates/`` rendering one block (Jinja2, autoescaped).
        handout_template: file in ``templates/`` rendering one block for the printed handout
            (``<type>.handout.html.j2`` by convention). None: the handout prints ``render``'s
            screen HTML, with buttons and form controls hidden by its stylesheet.
        scripts, styles: files in the plugin's ``static/`` copied into every package that uses it.
        requires_id: whether authors must give each block an ``id`` (true for anything tracked,
            so that interaction ids and saved state stay stable when pages are reordered).
        completable: whether a block can be listed in ``completion.require`` (it calls
            ``api.complete()`` in the browser when finished).
    """

    name: ClassVar[str]
    model: ClassVar[type[BlockModel]]
    version: ClassVar[str] = "1.0.0"
    api_version: ClassVar[int] = API_VERSION
    template: ClassVar[str | None] = None
    handout_template: ClassVar[str | None] = None
    scripts: ClassVar[tuple[str, ...]] = ()
    styles: ClassVar[tuple[str, ...]] = ()
    requires_id: ClassVar[bool] = False
    completable: ClassVar[bool] = False

    #: Set by the registry: the folder holding templates/ and static/, and where it came from.
    folder: Path
    origin: str = "built-in"

    # -- validation ---------------------------------------------------------------------------
    def check(self, block: Block, ctx: BlockContext) -> None:
        """Checks beyond the model's types (cross-field rules, files that must exist).

        Report problems with ``ctx.error(message, field="questions.2.options")`` or
        ``ctx.warning(...)``; do not raise.
        """

    # -- tracking -----------------------------------------------------------------------------
    def interactions(self, block: Block) -> list[Interaction]:
        """The questions this block can record, in neutral terms; ids are unique in the course."""
        return []

    def max_score(self, block: Block) -> int:
        """Points this block contributes to the course score; 0 when it is not scored."""
        return 0

    def max_state_chars(self, block: Block) -> int:
        """The longest state string the block's JS can store with ``api.state.set``.

        The build adds these up to prove a course's saved state fits the format's suspend_data
        limit (4,096 characters in SCORM 1.2), so make it a true upper bound. 0 means stateless.
        State strings may use only ``A-Z a-z 0-9 . _ -`` (the runtime's separators are other
        characters).
        """
        return 0

    def decode_state(self, block: Block, state: str) -> Any:
        """Turn this block's saved state string into readable JSON for ``decode-state``."""
        return state

    # -- rendering ----------------------------------------------------------------------------
    def client_data(self, block: Block, ctx: BlockContext) -> dict[str, Any]:
        """JSON handed to the block's JavaScript ``mount(el, data, api)``."""
        return {}

    def template_variables(self, block: Block, ctx: BlockContext) -> dict[str, Any]:
        """Variables both ``template`` and ``handout_template`` get beyond ``block`` (the model),
        ``key`` (the block's course-wide id) and ``ctx``: figures computed from the block, say.
        Override this rather than ``render`` so the screen and the handout share them."""
        return {}

    def render(self, block: Block, ctx: BlockContext) -> Markup:
        """HTML for one block on screen. By default renders ``template`` with ``block``,
        ``key``, ``ctx`` and ``template_variables``."""
        if not self.template:
            raise NotImplementedError(f"content type '{self.name}' has no template")
        return ctx.render_template(self, self.template, block=block.data, key=block.key,
                                   **self.template_variables(block, ctx))

    def render_handout(self, block: Block, ctx: BlockContext) -> Markup:
        """HTML for one block in the printed handout (``course-builder build -f handout``).

        Paper has no buttons and nothing hidden: show everything a trainer needs to run the
        block with a group (every choice and its feedback, every panel open, answers in a
        section for the facilitator). By default renders ``handout_template`` like ``render``
        does, or, without one, prints ``render``'s HTML. Headings start at ``h3`` (the page's
        title is the ``h2``). The block's ``facilitator_notes`` are printed by the handout
        itself, before the block: do not print them here.
        """
        if not self.handout_template:
            return self.render(block, ctx)
        return ctx.render_template(self, self.handout_template, block=block.data, key=block.key,
                                   **self.template_variables(block, ctx))

    def __repr__(self) -> str:
        return f"<content type {self.name!r} from {self.origin}>"
