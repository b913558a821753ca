"""A course's translations as XLIFF 2.0 (OASIS, urn:oasis:names:tc:xliff:document:2.0), the
exchange format of CAT tools (OmegaT, Trados, memoQ, Phrase, Weblate's XLIFF 2.0 support).

One ``<file>`` whose ``original`` is the course id; one ``<unit>`` per translatable string, its
``name`` the unit's context and its ``id`` that context made an NMTOKEN (XLIFF 2.0 4.3.1.17:
ids are NMTOKENs, unique within the file). Notes say where the text is (``category="location"``)
and what to keep (``"description"``); a translation made for source text that has changed since
keeps that text in a note of category ``previous-source`` and its segment's ``state`` is
``initial`` (XLIFF 2.0 4.3.1.28: not yet final), so that a tool shows it as needing work.
Whitespace is kept as written (``xml:space="preserve"``): line breaks are meaningful in
Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from course_builder.i18n.catalog import Catalog, Entry
from course_builder.i18n.po import FormatError, notes
from course_builder.i18n.units import Unit

NS = "urn:oasis:names:tc:xliff:document:2.0"
_X = f"{{{NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: segment states whose target counts as translated; "initial" means it needs work
DONE_STATES = ("translated", "reviewed", "final")
_NOT_NMTOKEN = re.compile(r"[^A-Za-z0-9._:-]")


def unit_id(context: str) -> str:
    """A unit id (an XML NMTOKEN) made from a context: ``modules/a/module.yaml#pages.p.title``
    -> ``modules_a_module.yaml:pages.p.title``. Stable: it depends on the context alone."""
    return _NOT_NMTOKEN.sub("_", context.replace("#", ":", 1))


def dumps(catalog: Catalog, units: dict[str, Unit], title: str, version: str) -> bytes:
    root = etree.Element(f"{_X}xliff", nsmap={None: NS})
    root.set("version", "2.0")
    root.set("srcLang", catalog.source_lang)
    root.set("trgLang", catalog.lang)
    file = etree.SubElement(root, f"{_X}file", id="course", original=catalog.course_id)
    file.set(_XML_SPACE, "preserve")
    file_notes = etree.SubElement(file, f"{_X}notes")
    etree.SubElement(file_notes, f"{_X}note", category="course").text = f"{title} {version}"
    used: set[str] = set()
    for entry in catalog.entries.values():
        ident = unit_id(entry.context)
        while ident in used:  # only if two contexts differ just in characters made "_"
            ident += "_"
        used.add(ident)
        unit = etree.SubElement(file, f"{_X}unit", id=ident, name=entry.context)
        about = units.get(entry.context)
        texts = []
        if about is not None:
            texts.append(("location", about.reference))
            texts += [("description", note) for note in notes(about)]
        if entry.fuzzy and entry.translated and entry.previous_source is not None:
            texts.append(("previous-source", entry.previous_source))
        if texts:
            unit_notes = etree.SubElement(unit, f"{_X}notes")
            for category, text in texts:
                etree.SubElement(unit_notes, f"{_X}note", category=category).text = text
        done = entry.translated and not entry.fuzzy
        segment = etree.SubElement(unit, f"{_X}segment", state="translated" if done else "initial")
        etree.SubElement(segment, f"{_X}source").text = entry.source
        if entry.translated:
            etree.SubElement(segment, f"{_X}target").text = entry.target
    etree.indent(root, space="  ")
    # Indenting adds whitespace only between elements; source and target text is untouched.
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def write(path: Path, catalog: Catalog, units: dict[str, Unit], title: str,
          version: str) -> None:
    path.write_bytes(dumps(catalog, units, title, version))


def read(path: Path) -> Catalog:
    """The catalog in an XLIFF 2.0 file; raises :class:`FormatError` (with a line) if not."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_comments=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"not well-formed XML: {exc.msg}", exc.lineno or 0) from exc
    if root.tag != f"{_X}xliff" or root.get("version") != "2.0":
        raise FormatError("not an XLIFF 2.0 file: expected <xliff version=\"2.0\"> in the "
                          f"namespace {NS}", root.sourceline or 0)
    files = root.findall(f"{_X}file")
    if len(files) != 1:
        raise FormatError(f"expected one <file>, found {len(files)}", root.sourceline or 0)
    file = files[0]
    catalog = Catalog(file.get("original", ""), root.get("srcLang", ""),
                      root.get("trgLang", ""))
    for unit in file.iter(f"{_X}unit"):
        line = unit.sourceline or 0
        context = unit.get("name") or unit.get("id") or ""  # ids are resolved on import
        segments = unit.findall(f"{_X}segment")
        if len(segments) != 1:
            raise FormatError(f"unit '{context or unit.get('id')}' must have one <segment> "
                              f"(found {len(segments)}); course-builder does not split texts "
                              "into segments", line)
        segment = segments[0]
        source = segment.find(f"{_X}source")
        target = segment.find(f"{_X}target")
        if source is None:
            raise FormatError(f"unit '{context}' has no <source>", line)
        if len(source) or (target is not None and len(target)):
            raise FormatError(f"unit '{context}': inline elements (<ph>, <pc>, ...) are not "
                              "supported; the text must be plain", line)
        state = segment.get("state")
        target_text = target.text or "" if target is not None else ""
        previous = next((n.text or "" for n in unit.iter(f"{_X}note")
                         if n.get("category") == "previous-source"), None)
        # A tool that fills in targets without setting state leaves the default, "initial",
        # implied; only a state written as "initial" marks a translation as needing work.
        entry = Entry(context, source.text or "", target_text, fuzzy=state == "initial"
                      and bool(target_text.strip()), previous_source=previous, line=line)
        if context in catalog.entries:
            raise FormatError(f"the context '{context}' appears twice", line)
        catalog.entries[context] = entry
    return catalog
