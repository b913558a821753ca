"""Validate manifests against the official XSDs in ../shared/schemas, offline.

Two lxml quirks are worked around here, never by editing the files (see the schemas' README):
IMS's ims_xml.xsd binds the xml namespace as default (served with that declaration dropped),
and imsmd_rootv1p2p1.xsd is rejected by libxml2, so SCORM 1.2 metadata lives in its own file
and is checked structurally instead.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from tests.conftest import SCHEMAS


class _ImsXmlResolver(etree.Resolver):
    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        if url.endswith("ims_xml.xsd"):
            text = (SCHEMAS / "scorm12" / "ims_xml.xsd").read_text(encoding="utf-8")
            text = text.replace('xmlns="http://www.w3.org/XML/1998/namespace"', "")
            return self.resolve_string(text, context)
        return None


def _schema(folder: str, imports: list[tuple[str, str]]) -> etree.XMLSchema:
    if not (SCHEMAS / folder).is_dir():
        raise AssertionError(f"official schemas not found at {SCHEMAS / folder}")
    parser = etree.XMLParser()
    parser.resolvers.add(_ImsXmlResolver())
    body = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(SCHEMAS / folder / f).as_uri()}"/>'
        for ns, f in imports)
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{body}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser))


@cache
def scorm12() -> etree.XMLSchema:
    return _schema("scorm12", [
        ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
    ])


@cache
def scorm2004() -> etree.XMLSchema:
    return _schema("scorm2004_4th", [
        ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
        ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
        ("http://ltsc.ieee.org/xsd/LOM", "lom.xsd"),
    ])


def assert_valid(schema: etree.XMLSchema, xml: bytes) -> etree._Element:
    document = etree.fromstring(xml)
    if not schema.validate(document):
        raise AssertionError("manifest is not valid:\n" + str(schema.error_log))
    return document
