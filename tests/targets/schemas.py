"""Validate a package's manifest against the control documents the package itself carries.

Each SCORM zip holds, beside imsmanifest.xml, exact copies of the XSDs its manifest names (the
project's package data, course_builder/schemas/). Validating against the copies inside the zip
proves both that they are there and that they accept the manifest, as the ADL test suites and
LMS importers that validate do. Nothing is read from outside the repository.

Two lxml quirks are worked around here, never by editing the files (see
course_builder/schemas/README.md): IMS's ims_xml.xsd binds the xml namespace as default (served
with that declaration dropped), and imsmd_rootv1p2p1.xsd is rejected by libxml2, so SCORM 1.2
metadata lives in its own file and is checked structurally instead.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from course_builder.targets._ims import XSI

# Namespaces whose schema libxml2 cannot load (see above); their elements are checked elsewhere.
UNLOADABLE = {"http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"}


class _ImsXmlResolver(etree.Resolver):
    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        if url.endswith("ims_xml.xsd"):
            text = Path(url.removeprefix("file://")).read_text(encoding="utf-8-sig")
            text = text.replace('xmlns="http://www.w3.org/XML/1998/namespace"', "")
            return self.resolve_string(text, context)
        return None


def schema_for(folder: Path, manifest: etree._Element) -> etree.XMLSchema:
    """The schema a manifest names in ``xsi:schemaLocation``, loaded from ``folder``."""
    pairs = (manifest.get(f"{{{XSI}}}schemaLocation") or "").split()
    if not pairs:
        raise AssertionError("the manifest names no schemas (xsi:schemaLocation)")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_ImsXmlResolver())
    imports = []
    for namespace, location in zip(pairs[0::2], pairs[1::2], strict=True):
        path = folder / location
        if not path.is_file():
            raise AssertionError(f"the package lacks {location}, which its manifest names")
        if namespace not in UNLOADABLE:
            imports.append(f'<xs:import namespace="{namespace}" schemaLocation="{path.as_uri()}"/>')
    wrapper = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
               + "".join(imports) + "</xs:schema>")
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser))


def assert_valid_in(package: zipfile.ZipFile, xml: bytes | None = None) -> etree._Element:
    """Validate ``xml`` (default: the package's own imsmanifest.xml) against the control
    documents inside ``package``; returns the parsed manifest."""
    xml = package.read("imsmanifest.xml") if xml is None else xml
    document = etree.fromstring(xml)
    with tempfile.TemporaryDirectory() as temp:
        package.extractall(temp)
        schema = schema_for(Path(temp), document)
        if not schema.validate(document):
            raise AssertionError("manifest is not valid:\n" + str(schema.error_log))
    return document
