"""Which files an author's course may copy into a package, by allowlist.

A package is a web site on the LMS's origin: a file opened from it runs with the same rights as
the course (the LMS's SCORM API in the parent frame, the learner's saved progress). So a file
is copied only when it is a known medium or document type, and never when it can run script:
HTML and JavaScript are refused whatever their name, an SVG only when it holds no script, event
handler, foreign content or reference to any other file, and every text file is scanned for
credentials as the course's YAML is. See docs/security.md.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from course_builder.secrets import credential_lines

#: Suffix -> what it is. Anything else is refused with the list in the hint.
ALLOWED: dict[str, str] = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"), "image"),
    **dict.fromkeys((".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav"), "audio"),
    **dict.fromkeys((".mp4", ".m4v", ".webm", ".ogv"), "video"),
    ".vtt": "captions",
    **dict.fromkeys((".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"), "document"),
    **dict.fromkeys((".csv", ".txt"), "text"),
}
#: Read as text and scanned for credentials (an SVG also for script).
TEXT_SUFFIXES = frozenset({".svg", ".vtt", ".csv", ".txt"})
#: Zip-based office documents: their XML parts are scanned for credentials.
OFFICE_SUFFIXES = frozenset({".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"})
#: Names that hold secrets in this tool's world; refused with a pointed message.
SECRET_NAMES = re.compile(r"^(lrs\.toml|\.env(\..*)?|\.netrc|\.npmrc|\.pypirc|id_(rsa|ed25519|"
                          r"ecdsa|dsa)|credentials(\..*)?|.*\.(pem|key|p12|pfx|kdbx))$",
                          re.IGNORECASE)
SCRIPTABLE = frozenset({".html", ".htm", ".xhtml", ".shtml", ".js", ".mjs", ".cjs", ".svgz",
                        ".xml", ".xsl", ".xslt", ".swf", ".php", ".jsp", ".asp", ".aspx"})
MAX_TEXT_BYTES = 20 * 1024 * 1024  # a text file read whole to be checked
MAX_OFFICE_XML = 50 * 1024 * 1024  # uncompressed XML read from one office document

SVG_HINT = ("export the image again as plain SVG without scripts or links (e.g. Inkscape's "
            "'Optimized SVG'), or as PNG")


@dataclass(frozen=True)
class Refusal:
    """Why a file may not go into a package, for a located error at the field naming it."""

    message: str
    hint: str | None = None


def check_asset(relative: str, source: Path) -> Refusal | None:
    """None when ``source`` (named ``relative`` by the author) may be copied into a package."""
    name = source.name
    suffix = source.suffix.lower()
    if SECRET_NAMES.match(name):
        return Refusal(f"'{relative}' may hold passwords or keys and is never copied into a "
                       "package", "remove the link: anyone who can open the course can read "
                       "every file in it")
    if any(part.startswith(".") for part in Path(relative).parts if part not in (".", "..")):
        return Refusal(f"'{relative}' is a hidden file; hidden files are never copied into a "
                       "package", "rename it without the leading dot if it belongs in the course")
    if suffix in SCRIPTABLE:
        return Refusal(f"'{relative}' is a {suffix[1:].upper()} file, which can run script in "
                       "the LMS's window; packages never carry one",
                       "link to the page on the web (https://...) or make it a PDF")
    if suffix not in ALLOWED:
        kinds = ", ".join(sorted(s[1:] for s in ALLOWED))
        return Refusal(f"'{relative}' is not a file type packages may carry"
                       + (f" ({suffix})" if suffix else " (it has no file ending)"),
                       f"use one of: {kinds}")
    if suffix == ".svg":
        return _check_svg(relative, source)
    return None


def check_credentials(relative: str, source: Path) -> Refusal | None:
    """None unless ``source`` is a text file or office document holding something that looks
    like credentials. Applies to every file a course reads, copied or not: a statistics CSV
    is not copied, but its labels are printed in the page."""
    suffix = source.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        lines = credential_lines(_read_text(source))
        return _credentials_refusal(relative, lines) if lines else None
    if suffix in OFFICE_SUFFIXES:
        return _check_office_file(relative, source)
    return None


def _read_text(source: Path) -> str:
    with source.open("rb") as handle:
        data = handle.read(MAX_TEXT_BYTES + 1)
    return data[:MAX_TEXT_BYTES].decode("utf-8", "replace")


def _credentials_refusal(relative: str, lines: list[int], where: str = "") -> Refusal:
    shown = ", ".join(str(n) for n in lines[:5]) + (" ..." if len(lines) > 5 else "")
    return Refusal(f"'{relative}'{where} line {shown} looks like LRS credentials; files holding "
                   "a key or secret are never copied into a package",
                   "remove the credentials from the file")


def _check_office_file(relative: str, source: Path) -> Refusal | None:
    """The XML inside a .docx, .xlsx, .pptx or OpenDocument file, scanned for credentials."""
    try:
        with zipfile.ZipFile(source) as archive:
            budget = MAX_OFFICE_XML
            for info in archive.infolist():
                if not info.filename.endswith(".xml") or info.file_size > budget:
                    continue
                budget -= info.file_size
                text = archive.read(info).decode("utf-8", "replace")
                # Word splits text into runs (<w:t>...</w:t>): scan the text without tags too.
                lines = credential_lines(text) or credential_lines(re.sub(r"<[^>]+>", "", text))
                if lines:
                    return _credentials_refusal(relative, lines, f" ({info.filename})")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError):
        return Refusal(f"'{relative}' is not a readable {source.suffix[1:]} document",
                       "save it again from the office program, or as PDF")
    return None


# -- SVG ----------------------------------------------------------------------------------------

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler",
                       "listener", "include", "link", "meta", "base"}
_ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform", "animateColor"}
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_EMBEDDED_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)


def _check_svg(relative: str, source: Path) -> Refusal | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        tree = etree.parse(str(source), parser)
    except (etree.XMLSyntaxError, OSError) as exc:
        return Refusal(f"'{relative}' is not a well-formed SVG file ({exc})", SVG_HINT)
    root = tree.getroot()
    if etree.QName(root).localname != "svg":
        return Refusal(f"'{relative}' is not an SVG image (its root element is "
                       f"<{etree.QName(root).localname}>)", SVG_HINT)
    if tree.docinfo.internalDTD is not None:
        return Refusal(f"'{relative}' declares a DTD with entities; SVG images in packages may "
                       "not", SVG_HINT)
    problem = _svg_problem(root)
    if problem is None:
        return None
    what, line = problem
    return Refusal(f"'{relative}' {what} (line {line}); SVG images in packages may not run "
                   "script or load anything from outside the image", SVG_HINT)


def _svg_problem(root: etree._Element) -> tuple[str, int] | None:
    """What makes the SVG unsafe, and on which line of it; None if nothing does."""
    for sibling in root.itersiblings(preceding=True):
        if isinstance(sibling, etree._ProcessingInstruction) and (
                sibling.target.lower() == "xml-stylesheet"):
            return "loads a style sheet with <?xml-stylesheet?>", sibling.sourceline or 0
    for node in root.iter():
        line = node.sourceline or 0
        if isinstance(node, etree._ProcessingInstruction):
            if node.target.lower() == "xml-stylesheet":
                return "loads a style sheet with <?xml-stylesheet?>", line
            continue
        if not isinstance(node.tag, str):
            continue  # a comment or an entity reference
        name = etree.QName(node).localname
        if name in _FORBIDDEN_ELEMENTS:
            return f"contains a <{name}> element", line
        if name in _ANIMATIONS:
            animated = (node.get("attributeName") or "").lower().split(":")[-1]
            if animated in ("href", "src") or animated.startswith("on"):
                return f"changes {animated}= with <{name}>", line
        if name == "style" and (node.text or ""):
            found = _css_problem(node.text or "")
            if found:
                return found, line
        for attribute, value in node.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on"):
                return f"has an event handler ({local}=)", line
            if attribute in ("href", _XLINK, "src") or local in ("href", "src"):
                if not value.strip().startswith("#") and not (
                        name == "image" and _EMBEDDED_IMAGE.match(value.strip())):
                    return f"refers to another file or address ({local}=\"{value[:60]}\")", line
            if local == "style" or "url(" in value.lower():
                found = _css_problem(value)
                if found:
                    return found, line
    return None


def _css_problem(css: str) -> str | None:
    if "@import" in css.lower():
        return "imports a style sheet (@import)"
    for match in _URL.finditer(css):
        target = match.group(2).strip()
        if not target.startswith("#"):
            return f"loads url({target[:60]}) from outside the image"
    if "expression(" in css.lower() or "javascript:" in css.lower():
        return "has script in its styles"
    return None
