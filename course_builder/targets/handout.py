"""The printed handout: the whole course as one document for a face-to-face session.

``course-builder build -f handout`` writes ``<course>-<version>-handout.zip`` like every other
format, holding one ``index.html`` to open in a browser and print (docs/handout.md). That file is
self-contained: its stylesheet is in the page and its images are ``data:`` URIs, so it prints
the same when opened straight from the zip (Windows opens a file from a zip without its
neighbours), from an email or from a USB stick. Only files that author text links to (a PDF,
say) sit beside it in the zip. It has no JavaScript and no form controls.

Each block is printed by its plugin's ``render_handout`` (``ContentType``): scenarios with every
choice and its feedback, stories after their content note, quizzes with an answer key. A block's
``facilitator_notes`` are printed before it, labelled "For the facilitator"; no other format
shows them. The support contacts (name, number, who each is for) are printed at the foot of every
page with the page number, in CSS page-margin boxes (``@page { @bottom-left {...} }``), which
Chromium-based browsers (Chrome, Edge) print since version 131.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, get_args

from markupsafe import Markup

from course_builder import __version__
from course_builder.context import BlockContext, Environment
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseInvalid
from course_builder.i18n.markup import mark_languages
from course_builder.i18n.words import gettext as _
from course_builder.model import Course, InteractionType, Module, Page
from course_builder.targets.base import RenderedContent, Resolved, Target

if TYPE_CHECKING:
    from course_builder.config import CourseConfig

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
               ".avif": "image/avif"}
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')
# Characters written as themselves in a CSS string; anything else becomes a hex escape, so
# author text can neither end the string nor the <style> element.
_CSS_SAFE = re.compile(r"[A-Za-z0-9 .,:;()!?/+-]")


class Handout(Target):
    """A printable document of the whole course, for trainers; nothing is tracked."""

    name = "handout"
    label = "handout (print)"
    runtime_adapter = "none"  # never shipped: the handout has no JavaScript
    # Nothing is recorded, so any question can be printed.
    supported_interactions: ClassVar[frozenset[str]] = frozenset(get_args(InteractionType))
    # A paper evaluation form is handed in without a name: no LMS record drops its answers.
    collects_anonymous = True

    def render_files(self, resolved: Resolved, content: RenderedContent) -> dict[str, bytes]:
        return render_handout(resolved.course)


@dataclass
class HandoutBlock:
    """One block as printed: its plugin's handout HTML and the facilitator's notes."""

    key: str
    type: str
    html: Markup
    notes: Markup


@dataclass
class HandoutPage:
    page: Page
    blocks: list[HandoutBlock] = field(default_factory=list)


@dataclass
class HandoutModule:
    module: Module
    pages: list[HandoutPage] = field(default_factory=list)


def render_handout(course: Course) -> dict[str, bytes]:
    """``index.html`` (and any linked file) of the handout; raises CourseInvalid on errors.

    Blocks are rendered with an environment of their own, so the package holds only what the
    handout shows. Problems are collected first and reported together, and nothing is written.
    """
    reporter = Reporter()
    env = Environment(course.root)
    variant = course.variant
    if variant is not None and variant.logo and variant.logo_source:  # on the cover
        env.assets.add(variant.logo, variant.logo_source)
    modules: list[HandoutModule] = []
    for module in course.modules:
        printed = HandoutModule(module)
        for page in module.pages:
            printed_page = HandoutPage(page)
            for block in page.blocks:
                ctx = BlockContext(block, course, env, reporter)
                body = block.render_handout(ctx)
                notes = ctx.md(block.data.facilitator_notes, "facilitator_notes")
                printed_page.blocks.append(HandoutBlock(block.key, block.type, body, notes))
            printed.pages.append(printed_page)
        modules.append(printed)
    if reporter.errors:
        raise CourseInvalid(reporter.sorted(), course.root)

    used = sorted({b.plugin.name: b.plugin for b in course.blocks}.items())
    style = "\n".join([
        (THEME_DIR / "handout.css").read_text(encoding="utf-8"),
        *[(plugin.folder / "static" / name).read_text(encoding="utf-8")
          for _, plugin in used for name in plugin.styles],
        _page_rules(course.config),
    ])
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    text = env.jinja.get_template("handout.html.j2").render(
        config=course.config, variant=variant, modules=modules,
        types={b.type for b in course.blocks},
        style=Markup(style), style_hash=f"sha256-{digest}", generator=__version__)

    files: dict[str, bytes] = {}
    sources = env.assets.files

    def inline(match: re.Match[str]) -> str:
        path = html.unescape(match.group(2))
        source = sources.get(path)
        mime = IMAGE_TYPES.get(Path(path).suffix.lower())
        if source is None or mime is None:
            return match.group(0)
        data = base64.b64encode(source.read_bytes()).decode("ascii")
        return f"{match.group(1)}data:{mime};base64,{data}{match.group(3)}"

    text = _IMG_SRC.sub(inline, text)
    for path in sorted(sources):  # files author text links to, beside index.html
        if f'href="{html.escape(path)}"' in text:
            files[path] = sources[path].read_bytes()
    files["index.html"] = mark_languages(text).encode("utf-8")
    return files


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string; newlines become line breaks (``\\A``)."""
    out = []
    for char in text:
        if char == "\n":
            out.append("\\A ")
        elif _CSS_SAFE.fullmatch(char):
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return '"' + "".join(out) + '"'


def _oneline(text: str) -> str:
    return " ".join(text.split())


def support_footer(config: CourseConfig) -> str:
    """The text printed at the foot of every page: each contact's name, number and who it is
    for, one a line."""
    lines = [f"{_oneline(c.name)}: {_oneline(c.contact)}"
             + (f". {_oneline(c.description)}" if c.description else "")
             for c in config.support]
    return "\n".join([_("Support if you need it"), *lines]) if lines else ""


def page_numbers() -> str:
    """The CSS ``content`` of the page number, "Page 3 of 40" in the page's language: the
    words as CSS strings around the page counters, one part a line (the corner is narrow)."""
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", _("Page %(page)s of %(pages)s"))
    out = []
    for index, part in enumerate(parts):
        if part in ("%(page)s", "%(pages)s"):
            out.append(f"counter({part[2:-2]})")
        elif part.strip():
            before = "\n" if index > 0 else ""
            after = "\n" if index == 0 and len(parts) > 1 else " "
            out.append(css_string(before + part.strip() + after))
    return " ".join(out)


def _page_rules(config: CourseConfig) -> str:
    """The @page rules that carry the course's own words: its title at the head of each page,
    the support contacts and the page number at the foot. Margin boxes take only CSS strings,
    so these are written here rather than in handout.css."""
    footer = support_footer(config)
    # The bottom margin grows with the contacts: 7.2 pt lines (3.4 mm with leading), a line
    # holding about 150 characters across the page, and 8 mm for the rule and the gaps.
    lines = sum(math.ceil(max(len(line), 1) / 150) for line in footer.splitlines())
    bottom = round(8 + 3.4 * lines) if footer else 14
    title = css_string(_("%(title)s: trainer's handout, version %(version)s")
                       % {"title": _oneline(config.title), "version": config.version})
    rules = [
        "@page {",
        f"  margin: 16mm 15mm {bottom}mm;",
        f"  @top-left {{ content: {title}; }}",
        f"  @bottom-right-corner {{ content: {page_numbers()}; }}",
    ]
    if footer:
        rules.append(f"  @bottom-left {{ content: {css_string(footer)}; }}")
    rules.append("}")
    return "\n".join(rules) + "\n"
