"""Jinja environments and the Markdown parser, made once per process.

Compiling templates was a third of a cold build, so environments live as long as the process (a
preview that rebuilds on save, a test run, compiles each template once) and compiled templates
are kept between processes in a bytecode cache in the user's cache folder
(``$XDG_CACHE_HOME/course-builder/jinja-<version>``, ``~/.cache/...`` by default; set
``COURSE_BUILDER_CACHE=off`` to go without). Jinja checks each cached entry against the
template's source, so an edited template is compiled again and the output never depends on the
cache. ``FileSystemLoader`` notices edited templates by their modification time.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from course_builder import __version__, dates
from course_builder.i18n import words

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CACHE_VARIABLE = "COURSE_BUILDER_CACHE"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LINK_SCHEMES = ("https", "http", "mailto", "tel", "sms")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def cache_dir() -> Path | None:
    """The folder for course-builder's caches, or None when caching is off."""
    setting = os.environ.get(CACHE_VARIABLE, "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "course-builder"


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    folder = cache_dir()
    if folder is None:
        return None
    folder = folder / f"jinja-{__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home: templates are compiled each time, as before
    if not os.access(folder, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def safe_href(url: str | None) -> str:
    """``url`` when a learner may follow it (https, http, mailto, tel, sms or a path inside
    the package), else ``""``: the ``safe_href`` filter in every template, so that a
    ``javascript:`` or ``data:`` link never renders, whatever a model let through. Browsers
    ignore tabs, line breaks and leading control characters in a scheme (``java\\tscript:``),
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


def same_heading(text: str | None, other: str | None) -> bool:
    """Whether two headings read the same (case, spaces and a final full stop ignored), so that
    a page never shows the same heading twice ("Knowledge check" as module, page and quiz)."""
    if not text or not other:
        return False

    def norm(value: str) -> str:
        return " ".join(value.split()).rstrip(".").casefold()

    return norm(text) == norm(other)


SHELL_JINJA = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,  # everywhere, whatever the file name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    bytecode_cache=_bytecode_cache(),
    extensions=["jinja2.ext.i18n"],  # {% trans %}: the tool's words in the page's language
)
words.install(SHELL_JINJA)
SHELL_JINJA.filters["safe_href"] = safe_href
SHELL_JINJA.filters["long_date"] = dates.long_date
SHELL_JINJA.tests["same_heading"] = same_heading
_PLUGIN_JINJA: dict[Path, jinja2.Environment] = {}


def plugin_jinja(folder: Path) -> jinja2.Environment:
    """A plugin's templates first, then the shared ones (for macros and the shell)."""
    env = _PLUGIN_JINJA.get(folder)
    if env is None:
        env = SHELL_JINJA.overlay(loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(str(folder / "templates")),
            jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        ]))
        _PLUGIN_JINJA[folder] = env
    return env


def new_markdown() -> MarkdownIt:
    """CommonMark with raw HTML off, so author text can never inject markup or script."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    return md
