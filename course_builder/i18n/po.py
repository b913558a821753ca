"""A course's translations as a gettext PO file (Poedit, Weblate, Lokalize, OmegaT, Virtaal).

Each unit is one entry: ``msgctxt`` is its context (file and field path), ``msgid`` the source
text, ``msgstr`` the translation, ``#:`` the file and line it comes from, ``#.`` what a translator
should know (Markdown marks to keep). A translation made for source text that has changed since
is flagged ``fuzzy`` and keeps the text it was made for as ``#| msgid``, which PO editors show
beside the new text (GNU gettext manual, "PO Files"). The header names the course
(``X-Course-Id``) so that a file is never imported into another course. Read and written with
polib.
"""

from __future__ import annotations

from pathlib import Path

import polib

from course_builder.i18n.catalog import Catalog, Entry
from course_builder.i18n.units import Unit

#: PO header fields a translator's tool keeps up to date; carried over as they are.
KEPT_HEADERS = ("PO-Revision-Date", "Last-Translator", "Language-Team", "Plural-Forms")


class FormatError(ValueError):
    """The file is not a readable translations file; ``line`` is where, when known."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def notes(unit: Unit) -> list[str]:
    """What a translator is told about a unit, besides its context and location."""
    found = [unit.note] if unit.note else []
    if unit.markdown:
        found.append("Markdown: keep its marks (**bold**, _italic_, [link text](address), "
                     "![image description](file), # headings, - list items, blank lines "
                     "between paragraphs) and translate the words inside them; leave web "
                     "addresses and file names as they are.")
    return found


def dumps(catalog: Catalog, units: dict[str, Unit], title: str, version: str) -> str:
    """The PO text of ``catalog``; ``units`` give each entry's location and notes."""
    po = polib.POFile(wrapwidth=0)
    po.header = (f"Translation of the course '{title}' into {catalog.lang}.\n"
                 "Translate the msgstr of each entry, in any PO editor; see docs/translating.md.\n"
                 "Made by course-builder translate export.")
    metadata = {
        "Project-Id-Version": f"{title} {version}",
        "Language": catalog.lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Course-Id": catalog.course_id,
        "X-Source-Language": catalog.source_lang,
        "X-Generator": "course-builder",
    }
    for name in KEPT_HEADERS:
        if name in catalog.headers:
            metadata[name] = catalog.headers[name]
    po.metadata = metadata
    for entry in catalog.entries.values():
        unit = units.get(entry.context)
        po.append(polib.POEntry(
            msgctxt=entry.context, msgid=entry.source, msgstr=entry.target,
            occurrences=[(unit.file, str(unit.line))] if unit else [],
            comment="\n".join(notes(unit)) if unit else "",
            flags=["fuzzy"] if entry.fuzzy and entry.translated else [],
            previous_msgid=entry.previous_source if entry.fuzzy else None))
    for entry in catalog.obsolete.values():
        po.append(polib.POEntry(msgctxt=entry.context, msgid=entry.source, msgstr=entry.target,
                                flags=["fuzzy"] if entry.fuzzy else [], obsolete=True))
    return str(po)


def write(path: Path, catalog: Catalog, units: dict[str, Unit], title: str,
          version: str) -> None:
    path.write_text(dumps(catalog, units, title, version), encoding="utf-8", newline="\n")


def read(path: Path) -> Catalog:
    """The catalog in a PO file; raises :class:`FormatError` (with a line) if it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError("the file is not UTF-8 text") from exc
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:  # polib: "Syntax error in po file (line 12)"
        raise FormatError(f"not a readable PO file: {exc}", _line_of(str(exc))) from exc
    meta = po.metadata
    catalog = Catalog(meta.get("X-Course-Id", ""), meta.get("X-Source-Language", ""),
                      meta.get("Language", ""),
                      headers={k: v for k, v in meta.items() if k in KEPT_HEADERS})
    for item in po:
        entry = Entry(item.msgctxt or "", item.msgid, item.msgstr, "fuzzy" in item.flags,
                      item.previous_msgid, item.linenum)
        if item.obsolete:
            catalog.obsolete[entry.context] = entry
        elif entry.context in catalog.entries:
            raise FormatError(f"the context '{entry.context}' appears twice", item.linenum)
        else:
            catalog.entries[entry.context] = entry
    return catalog


def _line_of(message: str) -> int:
    digits = message.rsplit("line ", 1)[-1].rstrip(")").strip()
    return int(digits) if digits.isdigit() else 0

