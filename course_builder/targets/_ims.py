"""Shared pieces of IMS content packaging manifests (SCORM 1.2 and 2004)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from lxml import etree

from course_builder.model import Course

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XS = "http://www.w3.org/2001/XMLSchema"
#: The official control documents (XSDs and DTDs), exact copies of what ADL, IMS and IEEE publish;
#: see course_builder/schemas/README.md. Packages carry them and the tests validate against them.
SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"
_DTD_REFERENCE = re.compile(r"""['"]([A-Za-z0-9_.-]+\.dtd)['"]""")


def ncname(text: str, prefix: str = "id") -> str:
    """An xs:ID-safe identifier: letters, digits, ``-``, ``_``, ``.``; never a leading digit."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or prefix
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"{prefix}-{cleaned}"


def manifest_identifier(course: Course) -> str:
    """The manifest's ``identifier``: ``<course>-<version>``, and ``-<variant>`` for a variant's
    package, so that an LMS holding several trusts' packages of one course keeps them apart
    and recognises a new version of one of them (docs/variants.md)."""
    config = course.config
    variant = f"-{course.variant.id}" if course.variant else ""
    return ncname(f"{config.slug}-{config.version}{variant}", "course")


def serialize(root: etree._Element) -> bytes:
    """UTF-8 XML with a declaration; stable output for deterministic packages."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def schema_locations(manifest: etree._Element) -> list[str]:
    """The local files an ``xsi:schemaLocation`` names (the second of each namespace/file pair)."""
    pairs = (manifest.get(f"{{{XSI}}}schemaLocation") or "").split()
    return pairs[1::2]


@functools.cache
def control_documents(edition: str, roots: tuple[str, ...],
                      extra: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The control documents a manifest needs beside it: ``roots`` (the files its
    ``xsi:schemaLocation`` names) and everything they include or import, DTDs too, read from
    ``schemas/<edition>/`` byte for byte; ``extra`` adds files the ADL test suites expect although
    nothing references them. Package path (relative to the zip's root) -> bytes.

    The ADL SCORM conformance test suites fail a package that lacks, beside imsmanifest.xml, the
    XSD/DTD files its manifest references (SCORM 2004 4th Ed. CAM 3.2; SCORM 1.2 CAM 2.3.3).
    """
    folder = SCHEMAS_DIR / edition
    found: dict[str, bytes] = {}
    pending = [*roots, *extra]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        data = (folder / name).read_bytes()
        found[name] = data
        base = Path(name).parent
        if name.endswith(".dtd"):
            references = _DTD_REFERENCE.findall(data.decode("utf-8", "replace"))
        else:
            # recover: libxml2 refuses IMS's ims_xml.xsd (it binds the xml namespace as default)
            # but still reads its structure, which is all this needs.
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                     recover=True)
            tree = etree.fromstring(data, parser)
            references = [
                node.get("schemaLocation")
                for node in tree.iter(f"{{{XS}}}include", f"{{{XS}}}import")]
            system_url = tree.getroottree().docinfo.system_url
            if system_url:
                references.append(system_url)
        for reference in references:
            if reference and "://" not in reference:
                pending.append((base / reference).as_posix())
    return dict(sorted(found.items()))
