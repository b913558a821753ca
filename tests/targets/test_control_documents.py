"""SCORM zips carry, at their root, exact copies of the control documents their manifest needs.

The ADL SCORM test suites fail a package without the XSD/DTD files its manifest references; LMS
importers that validate need them too. The copies are the project's package data
(course_builder/schemas/); the digests below are those of the files ADL, IMS and IEEE publish
(see course_builder/schemas/README.md for where they were copied from), so an edited, re-encoded
or line-ending-converted copy fails here.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from course_builder.bundled import bundled_course_dir
from course_builder.targets._ims import SCHEMAS_DIR, XS, schema_locations

PUBLISHED_SHA256 = {
    "scorm12/adlcp_rootv1p2.xsd": "a87f8ad328bb61c435b2a1ef3948cc0b3a4bc3ad1b0145b3733acfde70957b7e",
    "scorm12/ims_xml.xsd": "eff7762a7dfbe6aea40c5186a3c78b2478cb99a882b911ec25898789829cc083",
    "scorm12/imscp_rootv1p1p2.xsd": "e26020ee1d6b4ea0a6adf76b419cdc76061b64dfcb5be0596636760e31d4e7e8",
    "scorm12/imsmd_rootv1p2p1.xsd": "f0d373c4a40217cd7e252d4f523363dc89096ddde5f4daed325feaab47837e3c",
    "scorm2004_4th/XMLSchema.dtd": "a5e98f4f28d11c58f132ee771350f41930a10a5d22acc280e0ce8501e5603bbe",
    "scorm2004_4th/adlcp_v1p3.xsd": "87cefec31b160a1ecc9ffd1475bee6cb0e2d71b2bcd76ba1a08df0ac90cf8f7d",
    "scorm2004_4th/adlnav_v1p3.xsd": "1fc2678e9acaee07ba8b0da93caa5f52da5167f2999c4adbd0a4ad74c15c8bfb",
    "scorm2004_4th/adlseq_v1p3.xsd": "162b5ca35a3fc43107efe0f78f5216c76f6cad8e13921c8332b7b82db7c4ae08",
    "scorm2004_4th/common/anyElement.xsd": "ac62d9c1cca6e1a411c3a1f04a402e293a1e8e06884af3b1b4d161627948350c",
    "scorm2004_4th/common/dataTypes.xsd": "a05f415b99f024a230188268d5a4389b5c1679a2aa227d5bf745897e7f912ebd",
    "scorm2004_4th/common/elementNames.xsd": "6eac683e18d39937773edb899f871eb4e8d2de3fadc35e8d4db0cc6d20139184",
    "scorm2004_4th/common/elementTypes.xsd": "64f0bf26b006c3081710be090a51e9447cdbabff849b5b903e75ee5622e22155",
    "scorm2004_4th/common/rootElement.xsd": "813d8e9d5cc04724e01eea21983760e1eb8a2bf83242feb3b6f1bd4d4bc47f8d",
    "scorm2004_4th/common/vocabTypes.xsd": "5e0d6f518da055fed88cd300a0d79931cbd8a3e627bc2df961f194e74c3bdc65",
    "scorm2004_4th/common/vocabValues.xsd": "3737475ca33d92e070fb60f3419fbb220ff34277b5d552083c93d4509ee18e41",
    "scorm2004_4th/datatypes.dtd": "d46c4f4c9384a0dc2f922c71af0405ebe1d64fae77cfd860b64f9600ca395427",
    "scorm2004_4th/extend/custom.xsd": "8ad3a8193cdaa528262d8a539190824d70851b92bc81a3dd3ac078fddbc391c7",
    "scorm2004_4th/extend/strict.xsd": "0e3113b280c0c8d1db6348b3d01e78fcf47be5b41716713857f72cffb5de1fda",
    "scorm2004_4th/ims_xml.xsd": "a10e0a22ea76c1168cc51a866484397a7942ee389c76f0a03a523d2f74a54592",
    "scorm2004_4th/imscp_v1p1.xsd": "a5333c5b9a392d4f21d20b188eb77dec2f04021642a6232f3c07ef8032fe233e",
    "scorm2004_4th/imsss_v1p0.xsd": "53565d8b23842d5b667beffa4ed100e3e06cdd778b60b85efc38e7a9a1f52a90",
    "scorm2004_4th/imsss_v1p0auxresource.xsd": "c0dd16d707f37c4d26484d7c233eea6d9ccbb8bad643040359f4b4f2944c057a",
    "scorm2004_4th/imsss_v1p0control.xsd": "c8564177ca7b1c241d6ca893652f6946eb91fee450dce8607ba2189ba88e7969",
    "scorm2004_4th/imsss_v1p0delivery.xsd": "58d4f343e3302e2986a641b066a3f0b30bd895b62d358a184cb5c3455427392c",
    "scorm2004_4th/imsss_v1p0limit.xsd": "debda0a7fe2a1ce6e063383c4efc9fbd5f2341355c85d66062742657be2418a9",
    "scorm2004_4th/imsss_v1p0objective.xsd": "776e091df47e934432c78703e552482e83165f75c9bf89c6320ee035ecd7ae69",
    "scorm2004_4th/imsss_v1p0random.xsd": "3442393c455d8a984853c1c7cdf1bf6ccf4d0c58452c0e39b6c0aab65339f597",
    "scorm2004_4th/imsss_v1p0rollup.xsd": "85100e4c7ba8eff77102d73d2ce265ddd803d13191a1d2b81bf3bf8bb1eac554",
    "scorm2004_4th/imsss_v1p0seqrule.xsd": "b8fbd362e2408d318ae97cc70a7d3a8a536db29150b7ef7b355f394d06027023",
    "scorm2004_4th/imsss_v1p0util.xsd": "b7234f3f62ede3f8dc6cd35053805ad021b4642b54f34b7960945981be95a438",
    "scorm2004_4th/lom.xsd": "c75cc4b226826e0532597b2fb62487b8c942fc5b6119d12d55798eb4c30c004a",
    "scorm2004_4th/lomCustom.xsd": "451c2ee5a55ba231c2fc34138bb1c1d733649f6c9598e282a654a002d2e067d0",
    "scorm2004_4th/lomLoose.xsd": "3adc777633215d1f85aea10ceaa3d27b10be2908b3f006bb86459302941b0ed8",
    "scorm2004_4th/lomStrict.xsd": "82886e7ecb2affcc0fc3ed30f9d40476d8d57bea918bfb11e2437fd84a237a12",
    "scorm2004_4th/unique/loose.xsd": "c02582184b61817ab092596bf531fd160f072f18651ca11d13d71868dd32b980",
    "scorm2004_4th/unique/strict.xsd": "1a1541bd0935570be6b36ed646f292b7373aafa0c7d86a6981e7ca52c21d10fe",
    "scorm2004_4th/vocab/custom.xsd": "8697dbd91381bee1b374e2b3982568b8bcc3dca57fecef0887a1b7cd5104ad94",
    "scorm2004_4th/vocab/loose.xsd": "c24bab6f1686eb0338db3051be85570c29d2c1375795c3229c91693a30c2a55b",
    "scorm2004_4th/vocab/strict.xsd": "60380955501c55f1309674301b77d840269f42733ce36bc1acf3c31421ef6015",
    "scorm2004_4th/xml.xsd": "95907dad3dea7debdd26bddeab77e3946b95370329994beefa74253be105c3e2",
}

SCORM12 = {"imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"}
SCORM2004 = {
    "imscp_v1p1.xsd", "adlcp_v1p3.xsd", "adlseq_v1p3.xsd", "adlnav_v1p3.xsd", "imsss_v1p0.xsd",
    *(f"imsss_v1p0{part}.xsd" for part in (
        "auxresource", "control", "delivery", "limit", "objective", "random", "rollup", "seqrule",
        "util")),
    "lom.xsd", *(f"common/{name}.xsd" for name in (
        "anyElement", "dataTypes", "elementNames", "elementTypes", "rootElement", "vocabTypes",
        "vocabValues")),
    "extend/strict.xsd", "unique/strict.xsd", "vocab/strict.xsd",
    "xml.xsd", "ims_xml.xsd", "XMLSchema.dtd", "datatypes.dtd",
}
EXPECTED = {"scorm12": ("scorm12", SCORM12), "scorm2004": ("scorm2004_4th", SCORM2004),
            "scorm2004-3rd": ("scorm2004_4th", SCORM2004)}


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    from course_builder.commands.build import build

    out = tmp_path_factory.mktemp("control")
    result = build(bundled_course_dir(), out, ["scorm12", "scorm2004", "scorm2004-3rd", "xapi",
                                               "cmi5"])
    return {name: path for name, path, _ in result.packages}


def test_package_data_is_the_published_files():
    on_disk = {path.relative_to(SCHEMAS_DIR).as_posix(): hashlib.sha256(path.read_bytes())
               .hexdigest() for path in SCHEMAS_DIR.rglob("*") if path.suffix in (".xsd", ".dtd")}
    assert on_disk == PUBLISHED_SHA256


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scorm_zip_carries_exact_copies_at_its_root(packages, name):
    edition, expected = EXPECTED[name]
    with zipfile.ZipFile(packages[name]) as package:
        names = set(package.namelist())
        carried = {n for n in names if n.endswith((".xsd", ".dtd"))}
        assert carried == expected
        for document in carried:
            digest = hashlib.sha256(package.read(document)).hexdigest()
            assert digest == PUBLISHED_SHA256[f"{edition}/{document}"], document
        manifest = etree.fromstring(package.read("imsmanifest.xml"))
        # Everything the manifest names, and everything those files include or import, is there.
        for location in schema_locations(manifest):
            assert location in names
        for document in carried - {"ims_xml.xsd"}:
            if document.endswith(".dtd"):
                continue
            tree = etree.fromstring(package.read(document),
                                    etree.XMLParser(no_network=True, load_dtd=False))
            base = Path(document).parent
            for node in tree.iter(f"{{{XS}}}include", f"{{{XS}}}import"):
                location = node.get("schemaLocation")
                if location and "://" not in location:
                    assert (base / location).as_posix() in names, (document, location)


@pytest.mark.parametrize("name", ["xapi", "cmi5"])
def test_lrs_packages_carry_no_scorm_schemas(packages, name):
    with zipfile.ZipFile(packages[name]) as package:
        assert not [n for n in package.namelist() if n.endswith((".xsd", ".dtd"))]
