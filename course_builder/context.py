"""What a plugin receives while checking and rendering a block: ``BlockContext`` (diagnostics at
the right line, Markdown, files of the course) and the build's shared ``Environment``.

This is part of the plugin contract (``course_builder.plugin`` re-exports it): it sits below the
pipeline's stages, which create it, and imports none of them.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Generic
from urllib.parse import unquote

from markupsafe import Markup

from course_builder import dates, templating
from course_builder.assets import Refusal, check_asset, check_credentials
from course_builder.diagnostics import Reporter, SourceLocation, field_path, split_field
from course_builder.i18n import markup
from course_builder.model import B, Block, Course
from course_builder.yamlsource import locate

if TYPE_CHECKING:
    import jinja2
    from markdown_it import MarkdownIt

    from course_builder.plugin import ContentType

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
Field = str | tuple[str | int, ...] | None


@dataclass
class Assets:
    """Files copied into every package: package path -> source file."""

    files: dict[str, Path] = field(default_factory=dict)
    _verdicts: dict[Path, Refusal | None] = field(default_factory=dict)
    _credentials: dict[Path, Refusal | None] = field(default_factory=dict)

    def add(self, package_path: str, source: Path) -> str:
        self.files[package_path] = source
        return package_path

    def verdict(self, relative: str, source: Path) -> Refusal | None:
        """:func:`~course_builder.assets.check_asset`, once per file."""
        if source not in self._verdicts:
            self._verdicts[source] = check_asset(relative, source)
        return self._verdicts[source]

    def credentials(self, relative: str, source: Path) -> Refusal | None:
        """:func:`~course_builder.assets.check_credentials`, once per file."""
        if source not in self._credentials:
            self._credentials[source] = check_credentials(relative, source)
        return self._credentials[source]


_MARKDOWN: MarkdownIt | None = None


def markdown() -> MarkdownIt:
    """The process's one Markdown parser (CommonMark, raw HTML off)."""
    global _MARKDOWN
    if _MARKDOWN is None:
        _MARKDOWN = templating.new_markdown()
    return _MARKDOWN


class Environment:
    """Shared per build: the Jinja environments, Markdown parser and collected assets."""

    def __init__(self, course_root: Path) -> None:
        self.course_root = course_root.resolve()
        self.assets = Assets()
        self.markdown = markdown()
        self.jinja = templating.SHELL_JINJA

    def plugin_jinja(self, plugin: ContentType[Any]) -> jinja2.Environment:
        """The plugin's templates first, then the shared ones (for macros and the shell)."""
        return templating.plugin_jinja(plugin.folder)


class BlockContext(Generic[B]):
    """Given to a plugin's ``check``, ``render`` and ``client_data`` for one block."""

    def __init__(self, block: Block[B], course: Course, env: Environment,
                 reporter: Reporter) -> None:
        self.block = block
        self.course = course
        self.env = env
        self.reporter = reporter
        self.raw = block.raw
        #: while a Markdown image or link is checked: its own place in the file
        self._pinned: SourceLocation | None = None

    # -- diagnostics --------------------------------------------------------------------------
    def location(self, field: Field = None) -> SourceLocation:
        """Where ``field`` (``"questions[2].options"`` or a tuple) of this block is written."""
        if self._pinned is not None:
            return self._pinned
        if field is None:
            return self.block.location
        parts = split_field(field) if isinstance(field, str) else field
        return locate(self.raw, parts, self.block.location)

    def location_in(self, field: Field, text: str, start: int, end: int) -> SourceLocation:
        """Where ``text[start:end]`` is written, ``text`` being the value of ``field``: a word
        of a multi-line text at its own line and column (the field's start if not found)."""
        where = self.location(field)
        source = self.course.raw.files.get(where.path) if self.course.raw else None
        return source.place(where, text, start, end) if source is not None else where

    def _prefix(self, field: Field) -> str:
        name = f"block '{self.block.key}' ({self.block.type})"
        if field is None:
            return name
        text = field if isinstance(field, str) else field_path(field)
        return f"{name}: {text}"

    def error(self, message: str, field: Field = None,
              hint: str | None = None) -> None:
        self.reporter.error(f"{self._prefix(field)}: {message}", self.location(field), hint)

    def warning(self, message: str, field: Field = None,
                hint: str | None = None) -> None:
        self.reporter.warning(f"{self._prefix(field)}: {message}", self.location(field), hint)

    def check_unique_ids(self, items: Sequence[Any], field: str, noun: str,
                         scope: str) -> None:
        """Report each item whose ``id`` repeats an earlier one's, at that item's ``id``:
        "<noun> id 'x' is used twice in this <scope>" (e.g. question ... quiz)."""
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                self.error(f"{noun} id '{item.id}' is used twice in this {scope}",
                           f"{field}[{index}].id")
            seen.add(item.id)

    def note(self, message: str, field: Field = None) -> None:
        """Information that never fails a build, even with --strict."""
        self.reporter.note(f"{self._prefix(field)}: {message}", self.location(field))

    def today(self) -> datetime.date:
        """The date staleness checks compare with: today, or ``COURSE_BUILDER_TODAY``
        (YYYY-MM-DD) so that tests and reproducible release builds see a fixed date.
        A malformed value is reported as an error on this block."""
        try:
            return dates.today()
        except ValueError as exc:
            self.error(f"environment variable {dates.TODAY_VARIABLE}='{exc}' is not a date in "
                       "the form YYYY-MM-DD")
            return datetime.date.today()

    # -- the page around the block ------------------------------------------------------------
    @property
    def page_heading_id(self) -> str:
        """The ``id`` of the page's ``h1`` (the shell's ``cb-page-<n>-title``)."""
        return f"cb-page-{self.block.page.number}-title"

    def repeats_page_title(self, heading: str | None) -> bool:
        """True when a block's own heading would repeat the page's title. Leave the heading out
        then, and label the block's section with ``page_heading_id``, so that each heading is
        shown once and heading levels stay in order::

            {% set own = not ctx.repeats_page_title(title) %}
            <section aria-labelledby="{{ key ~ '-title' if own else ctx.page_heading_id }}">
              {% if own %}<h2 id="{{ key }}-title">{{ title }}</h2>{% endif %}
        """
        return templating.same_heading(heading, self.block.page.title)

    # -- files --------------------------------------------------------------------------------
    def source_file(self, path: str, field: str | None = None) -> Path | None:
        """A file beside the block's module, checked to stay inside the course and, when it is
        text, to hold no credentials; None (and a located error) if not."""
        if _SCHEME.match(path) or path.startswith("//"):
            self.error(f"'{path}' is not a local file; packages must not load anything from "
                       "outside themselves", field,
                       hint="download the file into the module's folder and use a relative path")
            return None
        module_dir = self.block.module.directory.resolve()
        base = self.env.course_root if self.block.module.origin == "course" else module_dir
        candidate = (module_dir / path).resolve()
        if PurePosixPath(path).is_absolute() or not candidate.is_relative_to(base):
            self.error(f"'{path}' points outside the course folder", field,
                       hint="keep files beside the module, e.g. images/picture.png")
            return None
        if not candidate.is_file():
            self.error(f"file '{path}' not found in {self.block.module.directory.name}/", field)
            return None
        refusal = self.env.assets.credentials(path, candidate)
        if refusal is not None:
            self.error(refusal.message, field, hint=refusal.hint)
            return None
        return candidate

    def asset(self, path: str, field: str | None = None) -> str:
        """Copy a file of the course into the package; returns its URL in the package.

        Only files of the types :mod:`~course_builder.assets` allows are copied (no
        HTML or script, SVG without script or links, text without credentials); anything else
        is a located error and ``""`` is returned. A file beside the module goes to
        ``media/<module>/...``; one elsewhere in the course (``../../common/logo.svg``) to
        ``media/_course/...``, so two modules sharing it share one copy."""
        source = self.source_file(path, field)
        if source is None:
            return ""
        refusal = self.env.assets.verdict(path, source)
        if refusal is not None:
            self.error(refusal.message, field, hint=refusal.hint)
            return ""
        module_dir = self.block.module.directory.resolve()
        if source.is_relative_to(module_dir):
            package_path = f"media/{self.block.module.slug}/" \
                           f"{source.relative_to(module_dir).as_posix()}"
        else:  # inside the course (source_file checked), beside the modules
            package_path = f"media/_course/{source.relative_to(self.env.course_root).as_posix()}"
        return self.env.assets.add(package_path, source)

    # -- rendering ----------------------------------------------------------------------------
    def md(self, text: str | None, field: str | None = None) -> Markup:
        """Render Markdown (CommonMark, raw HTML off); local images become package assets."""
        if not text:
            return Markup("")
        tokens = self.env.markdown.parse(text)
        self._rewrite_links(tokens, field, text)
        html = self.env.markdown.renderer.render(tokens, self.env.markdown.options, {})
        return markup.wrap(text, Markup(html), block=True)  # lang="en-GB" if untranslated

    def md_inline(self, text: str | None, field: str | None = None) -> Markup:
        """Render one line of Markdown without a wrapping paragraph."""
        if not text:
            return Markup("")
        tokens = self.env.markdown.parseInline(text)
        self._rewrite_links(tokens, field, text)
        html = Markup(self.env.markdown.renderer.render(tokens, self.env.markdown.options, {}))
        return markup.wrap(text, html, block=False)

    def _rewrite_links(self, tokens: list[Any], field: str | None, text: str,
                       cursor: list[int] | None = None) -> None:
        """Local images and links become package assets; problems with one are reported at
        its own line and column in the author's file (``cursor`` walks ``text`` in order)."""
        cursor = cursor if cursor is not None else [0]
        for token in tokens:
            if token.children:
                self._rewrite_links(token.children, field, text, cursor)
            if token.type == "image":
                src = str(token.attrGet("src") or "")
                with self._pin(field, text, unquote(src), cursor):
                    token.attrSet("src", self.asset(unquote(src), field))
                    if not token.content and not token.children:
                        self.warning(f"image '{src}' has no alt text", field,
                                     hint="write ![what the image shows](path)")
            elif token.type == "link_open":
                href = str(token.attrGet("href") or "")
                if href.startswith(("http://", "https://")):
                    # Opens outside the LMS frame, so the course itself is never navigated away.
                    token.attrSet("target", "_blank")
                    token.attrSet("rel", "noopener noreferrer")
                elif href and not href.startswith(("#", "mailto:", "tel:", "sms:")):
                    # a file of the course, perhaps with a place in it (guide.pdf#page=2)
                    path, mark, place = href.partition("#")
                    with self._pin(field, text, unquote(path), cursor):
                        url = self.asset(posixpath.normpath(unquote(path)), field)
                    token.attrSet("href", url + mark + place if url else "")
                    token.attrSet("target", "_blank")

    @contextmanager
    def _pin(self, field: str | None, text: str, written: str,
             cursor: list[int]) -> Iterator[None]:
        """Report problems found inside this block at ``written``'s place in ``text``."""
        index = text.find(written, cursor[0]) if written else -1
        if index >= 0:
            cursor[0] = index + len(written)
            self._pinned = self.location_in(field, text, index, index + len(written))
        try:
            yield
        finally:
            self._pinned = None

    def render_template(self, plugin: ContentType[Any], name: str, **variables: Any) -> Markup:
        template = self.env.plugin_jinja(plugin).get_template(name)
        return Markup(template.render(ctx=self, **variables))
