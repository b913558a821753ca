"""Shared pieces of IMS content packaging manifests (SCORM 1.2 and 2004)."""

from __future__ import annotations

import re

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def ncname(text: str, prefix: str = "id") -> str:
    """An xs:ID-safe identifier: letters, digits, ``-``, ``_``, ``.``; never a leading digit."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or prefix
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"{prefix}-{cleaned}"


def serialize(root: etree._Element) -> bytes:
    """UTF-8 XML with a declaration; stable output for deterministic packages."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
