"""Every package's manifest validates against the official SCORM schemas and lists every file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from course_builder.bundled import bundled_course_dir
from tests.targets import schemas

NS12 = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "md": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"}
NS04 = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
        "lom": "http://ltsc.ieee.org/xsd/LOM"}


def _zip(paths: list[Path], name: str) -> zipfile.ZipFile:
    (path,) = [p for p in paths if p.name.endswith(f"-{name}.zip")]
    return zipfile.ZipFile(path)


@pytest.fixture(scope="module")
def bundled_packages(tmp_path_factory) -> list[Path]:
    from course_builder.commands.build import build

    out = tmp_path_factory.mktemp("bundled")
    # one of its example variants: the course as a trust receives it, with the trust's logo
    result = build(bundled_course_dir(), out, ["scorm12", "scorm2004", "scorm2004-3rd"],
                   variants=["northmoor"])
    return [p for _, p, _ in result.packages]


def _control_documents(names: set[str]) -> set[str]:
    """The XSDs and DTDs: the manifest needs them beside it, but they are not the SCO's files."""
    return {n for n in names if n.endswith((".xsd", ".dtd"))}


def _files_listed(document: etree._Element, ns: dict[str, str]) -> set[str]:
    return {f.get("href") for f in document.iterfind(".//cp:resource/cp:file", ns)}


def test_scorm12_manifest_valid_and_complete(bundled_packages):
    with _zip(bundled_packages, "scorm12") as package:
        document = schemas.assert_valid_in(package)
        names = set(package.namelist())
        metadata = etree.fromstring(package.read("metadata.xml"))
    assert _files_listed(document, NS12) == names - {"imsmanifest.xml"} - _control_documents(names)
    (resource,) = document.iterfind(".//cp:resource", NS12)
    assert resource.get(f"{{{NS12['adlcp']}}}scormtype") == "sco"
    assert resource.get("href") == "index.html"
    assert document.findtext("cp:metadata/cp:schemaversion", namespaces=NS12) == "1.2"
    assert document.findtext("cp:metadata/adlcp:location", namespaces=NS12) == "metadata.xml"
    # imsmd_rootv1p2p1.xsd cannot be loaded by libxml2: check the metadata's structure instead.
    assert metadata.tag == f"{{{NS12['md']}}}lom"
    title = metadata.findtext("md:general/md:title/md:langstring", namespaces=NS12)
    assert title == "Self-injury awareness for professionals"
    assert metadata.findall("md:general/md:keyword", NS12)
    assert metadata.findtext("md:lifecycle/md:version/md:langstring", namespaces=NS12) == "1.1.0"
    assert metadata.findtext("md:educational/md:typicallearningtime/md:datetime",
                             namespaces=NS12) == "PT1H30M"


@pytest.mark.parametrize("name, edition", [("scorm2004", "2004 4th Edition"),
                                           ("scorm2004-3rd", "2004 3rd Edition")])
def test_scorm2004_manifest_valid_and_complete(bundled_packages, name, edition):
    with _zip(bundled_packages, name) as package:
        document = schemas.assert_valid_in(package)
        names = set(package.namelist())
    assert _files_listed(document, NS04) == names - {"imsmanifest.xml"} - _control_documents(names)
    assert document.findtext("cp:metadata/cp:schemaversion", namespaces=NS04) == edition
    lom = document.find("cp:metadata/lom:lom", NS04)
    assert lom.findtext("lom:general/lom:title/lom:string", namespaces=NS04) == (
        "Self-injury awareness for professionals")
    assert lom.findtext("lom:educational/lom:typicalLearningTime/lom:duration",
                        namespaces=NS04) == "PT1H30M"
    (resource,) = document.iterfind(".//cp:resource", NS04)
    assert resource.get(f"{{{NS04['adlcp']}}}scormType") == "sco"
    controls = document.find(".//cp:item/imsss:sequencing/imsss:deliveryControls", NS04)
    assert controls.get("completionSetByContent") == "true"
    mode = document.find(".//cp:organization/imsss:sequencing/imsss:controlMode", NS04)
    assert (mode.get("choice"), mode.get("flow")) == ("true", "true")


def test_schema_check_catches_a_broken_manifest(bundled_packages):
    """The validation above can fail: a stray element is refused."""
    with _zip(bundled_packages, "scorm2004") as package:
        xml = package.read("imsmanifest.xml")
        broken = xml.replace(b"<lom:general>", b"<lom:general><lom:bogus/>")
        with pytest.raises(AssertionError, match="bogus"):
            schemas.assert_valid_in(package, broken)
