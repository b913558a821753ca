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
JSON Schema editors use), its template and static files, and how it is tracked. Fields that hold
words for learners are typed ``TranslatableText`` or ``TranslatableMarkdown`` (``course-builder
translate`` finds them by that type), and the words the plugin itself shows go through gettext
(``{% trans %}`` in templates, ``messages`` for its JavaScript): see docs/plugin-authors.md.
The plugin's JavaScript talks only to the runtime's ``api`` (``api.record``, ``api.setScore``,
``api.complete``, ``api.state``), never to an LMS or LRS, so every output format gets it for free.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic

from course_builder.context import BlockContext
from course_builder.i18n.text import Translatable, TranslatableMarkdown, TranslatableText
from course_builder.model import ID_PATTERN, B, Block, BlockModel, Interaction, LintOverride

if TYPE_CHECKING:
    from markupsafe import Markup

__all__ = ["API_VERSION", "ID_PATTERN", "Block", "BlockContext", "BlockModel", "ContentType",
           "Interaction", "LintOverride", "Translatable", "TranslatableMarkdown",
           "TranslatableText"]

#: Bumped when the contract below changes incompatibly; plugins declare the version they target.
API_VERSION = 1


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
        can_score: whether a block of this type may give a score (``max_score`` above 0).
            The build uses it for a block that failed validation, whose score it cannot ask
            for, so that a typo in a quiz does not also report "a pass mark but no scored block".

    Every method receives the block with ``block.data`` typed as this plugin's model.
        messages: the words the plugin's JavaScript shows, by key, in English: the script asks
            for them with ``api.t(key, {name: value})`` and gets them in the package's
            language (``{name}`` marks a value it fills in). Translations come from the tool's
            catalog or the plugin's own ``locale/<lang>.po`` (docs/plugin-authors.md).
    """

    name: ClassVar[str]
    model: type[B]
    version: ClassVar[str] = "1.0.0"
    api_version: ClassVar[int] = API_VERSION
    template: ClassVar[str | None] = None
    handout_template: ClassVar[str | None] = None
    scripts: ClassVar[tuple[str, ...]] = ()
    styles: ClassVar[tuple[str, ...]] = ()
    requires_id: ClassVar[bool] = False
    completable: ClassVar[bool] = False
    can_score: ClassVar[bool] = False
    messages: ClassVar[dict[str, str]] = {}

    #: Set by the registry: the folder holding templates/ and static/, and where it came from.
    folder: Path
    origin: str = "built-in"

    # -- validation ---------------------------------------------------------------------------
    def check(self, block: Block[B], ctx: BlockContext[B]) -> None:
        """Checks beyond the model's types (cross-field rules, files that must exist).

        Report problems with ``ctx.error(message, field="questions.2.options")`` or
        ``ctx.warning(...)``; do not raise.
        """

    # -- tracking -----------------------------------------------------------------------------
    def interactions(self, block: Block[B]) -> list[Interaction]:
        """The questions this block can record, in neutral terms; ids are unique in the course."""
        return []

    def max_score(self, block: Block[B]) -> int:
        """Points this block contributes to the course score; 0 when it is not scored."""
        return 0

    def max_state_chars(self, block: Block[B]) -> int:
        """The longest state string the block's JS can store with ``api.state.set``.

        The build adds these up to prove a course's saved state fits the format's suspend_data
        limit (4,096 characters in SCORM 1.2), so make it a true upper bound. 0 means stateless.
        State strings may use only ``A-Z a-z 0-9 . _ -`` (the runtime's separators are other
        characters).
        """
        return 0

    def decode_state(self, block: Block[B], state: str) -> Any:
        """Turn this block's saved state string into readable JSON for ``decode-state``."""
        return state

    # -- rendering ----------------------------------------------------------------------------
    def client_data(self, block: Block[B], ctx: BlockContext[B]) -> dict[str, Any]:
        """JSON handed to the block's JavaScript ``mount(el, data, api)``."""
        return {}

    def template_variables(self, block: Block[B], ctx: BlockContext[B]) -> dict[str, Any]:
        """Variables both ``template`` and ``handout_template`` get beyond ``block`` (the model),
        ``key`` (the block's course-wide id) and ``ctx``: figures computed from the block, say.
        Override this rather than ``render`` so the screen and the handout share them."""
        return {}

    def render(self, block: Block[B], ctx: BlockContext[B]) -> Markup:
        """HTML for one block on screen. By default renders ``template`` with ``block``,
        ``key``, ``ctx`` and ``template_variables``."""
        if not self.template:
            raise NotImplementedError(f"content type '{self.name}' has no template")
        return ctx.render_template(self, self.template, block=block.data, key=block.key,
                                   **self.template_variables(block, ctx))

    def render_handout(self, block: Block[B], ctx: BlockContext[B]) -> Markup:
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
