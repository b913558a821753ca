"""What plugins may use while checking and rendering a block: Markdown, assets, diagnostics."""

from __future__ import annotations

import datetime
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from course_builder import dates
from course_builder.diagnostics import Reporter, SourceLocation
from course_builder.pipeline.assets import Refusal, check_asset, check_credentials
from course_builder.yamlsource import locate

if TYPE_CHECKING:
    from course_builder.model import Block, Course
    from course_builder.plugin import ContentType

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def _new_markdown() -> MarkdownIt:
    # CommonMark with raw HTML off: author text can never inject markup or script.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    return md


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
        """:func:`~course_builder.pipeline.assets.check_asset`, once per file."""
        if source not in self._verdicts:
            self._verdicts[source] = check_asset(relative, source)
        return self._verdicts[source]

    def credentials(self, relative: str, source: Path) -> Refusal | None:
        """:func:`~course_builder.pipeline.assets.check_credentials`, once per file."""
        if source not in self._credentials:
            self._credentials[source] = check_credentials(relative, source)
        return self._credentials[source]


def field_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """``("questions", 2, "options")`` -> ``questions[2].options``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# Jinja environments live as long as the process: compiling the templates is a third of a
# build, and a preview that rebuilds on save, or a test run, then compiles each template once.
# FileSystemLoader notices edited templates by their modification time.
_SHELL_JINJA = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,  # everywhere, whatever the file name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_PLUGIN_JINJA: dict[str, jinja2.Environment] = {}
_LINK_SCHEMES = ("https", "http", "mailto", "tel", "sms")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def safe_href(url: str | None) -> str:
    """``url`` when a learner may follow it (https, http, mailto, tel, sms or a path inside
    the package), else ``""``: the ``safe_href`` filter in every template, so that a
    ``javascript:`` or ``data:`` link never renders, whatever a model let through. Browsers
    ignore tabs, line breaks and leading control characters in a scheme (``java\tscript:``),
    so the check does too."""
    if not url:
        return ""
    bare = _INVISIBLE.sub("", url).lower()
    if bare.startswith(("//", "\\", "/\\", "\\/")):
        return ""  # another server, scheme-relative
    scheme = _SCHEME.match(bare)
    if scheme and scheme.group(0)[:-1] not in _LINK_SCHEMES:
        return ""
    return url


_SHELL_JINJA.filters["safe_href"] = safe_href


def same_heading(text: str | None, other: str | None) -> bool:
    """Whether two headings read the same (case, spaces and a final full stop ignored), so that
    a page never shows the same heading twice ("Knowledge check" as module, page and quiz)."""
    if not text or not other:
        return False

    def norm(value: str) -> str:
        return " ".join(value.split()).rstrip(".").casefold()

    return norm(text) == norm(other)


_SHELL_JINJA.tests["same_heading"] = same_heading
_SHELL_JINJA.filters["long_date"] = dates.long_date


class Environment:
    """Shared per build: the Jinja environments, Markdown parser and collected assets."""

    def __init__(self, course_root: Path) -> None:
        self.course_root = course_root.resolve()
        self.assets = Assets()
        self.markdown = _new_markdown()
        self.jinja = _SHELL_JINJA

    def plugin_jinja(self, plugin: ContentType) -> jinja2.Environment:  # type: ignore[type-arg]
        """The plugin's templates first, then the shared ones (for macros and the shell)."""
        key = str(plugin.folder)
        env = _PLUGIN_JINJA.get(key)
        if env is None:
            env = _SHELL_JINJA.overlay(loader=jinja2.ChoiceLoader([
                jinja2.FileSystemLoader(str(plugin.folder / "templates")),
                jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
            ]))
            _PLUGIN_JINJA[key] = env
        return env


class BlockContext:
    """Given to a plugin's ``check``, ``render`` and ``client_data`` for one block."""

    def __init__(self, block: Block, course: Course, env: Environment,
                 reporter: Reporter) -> None:
        self.block = block
        self.course = course
        self.env = env
        self.reporter = reporter
        self.raw = block.raw

    # -- diagnostics --------------------------------------------------------------------------
    def location(self, field: str | tuple[str | int, ...] | None = None) -> SourceLocation:
        if field is None:
            return self.block.location
        parts = _split_field(field) if isinstance(field, str) else field
        return locate(self.raw, parts, self.block.location)

    def _prefix(self, field: str | tuple[str | int, ...] | None) -> str:
        name = f"block '{self.block.key}' ({self.block.type})"
        if field is None:
            return name
        text = field if isinstance(field, str) else field_path(field)
        return f"{name}: {text}"

    def error(self, message: str, field: str | tuple[str | int, ...] | None = None,
              hint: str | None = None) -> None:
        self.reporter.error(f"{self._prefix(field)}: {message}", self.location(field), hint)

    def warning(self, message: str, field: str | tuple[str | int, ...] | None = None,
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

    def note(self, message: str, field: str | tuple[str | int, ...] | None = None) -> None:
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
        return same_heading(heading, self.block.page.title)

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

        Only files of the types :mod:`~course_builder.pipeline.assets` allows are copied (no
        HTML or script, SVG without script or links, text without credentials); anything else
        is a located error and ``""`` is returned. A file beside the module goes to
        ``media/<module>/...``; one elsewhere in the course (``../../shared/logo.svg``) to
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
        self._rewrite_links(tokens, field)
        html = self.env.markdown.renderer.render(tokens, self.env.markdown.options, {})
        return Markup(html)

    def md_inline(self, text: str | None, field: str | None = None) -> Markup:
        """Render one line of Markdown without a wrapping paragraph."""
        if not text:
            return Markup("")
        tokens = self.env.markdown.parseInline(text)
        self._rewrite_links(tokens, field)
        return Markup(self.env.markdown.renderer.render(tokens, self.env.markdown.options, {}))

    def _rewrite_links(self, tokens: list[Any], field: str | None) -> None:
        for token in tokens:
            if token.children:
                self._rewrite_links(token.children, field)
            if token.type == "image":
                src = str(token.attrGet("src") or "")
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
                    url = self.asset(posixpath.normpath(unquote(path)), field)
                    token.attrSet("href", url + mark + place if url else "")
                    token.attrSet("target", "_blank")

    def render_template(self, plugin: ContentType, name: str,  # type: ignore[type-arg]
                        **variables: Any) -> Markup:
        template = self.env.plugin_jinja(plugin).get_template(name)
        return Markup(template.render(ctx=self, **variables))


def _split_field(text: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for piece in re.findall(r"[^.\[\]]+", text):
        parts.append(int(piece) if piece.isdigit() else piece)
    return tuple(parts)
