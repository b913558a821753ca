"""cmi5 target: cmi5.xml from the course rules, and the package's runtime files."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import course_builder
from course_builder.targets import TARGETS
from course_builder.targets.cmi5 import mastery_score, module_url, move_on
from tests.bundles import shipped

CID = "https://example.org/courses/test-course"
NS = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}

PASSING = """\
id: https://example.org/courses/test-course
title: Test course
version: 1.0.0
description: A course for tests.
modules: [one]
passing:
  pass_mark: 75
"""


@pytest.mark.parametrize("pass_mark, expected", [(80, "0.8"), (75, "0.75"), (100, "1"),
                                                 (0, "0"), (None, None)])
def test_mastery_score_is_the_pass_mark_as_a_fraction(pass_mark, expected):
    assert mastery_score(pass_mark) == expected


def test_move_on_follows_the_pass_mark():
    assert move_on(80) == "CompletedAndPassed"
    assert move_on(0) == "CompletedAndPassed"
    assert move_on(None) == "Completed"


def _structure(path):
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist()) | set(shipped(package))
        root = etree.fromstring(package.read("cmi5.xml"))
    return names, root


def test_cmi5_xml_with_a_pass_mark(write_course, build_course):
    (path,) = build_course(write_course({"course.yaml": PASSING}), ["cmi5"])
    assert path.name == "test-course-1.0.0-cmi5.zip"
    names, root = _structure(path)
    assert root.tag == f"{{{NS['c']}}}courseStructure"
    course = root.find("c:course", NS)
    assert course.get("id") == CID
    assert course.findtext("c:title/c:langstring", namespaces=NS) == "Test course"
    assert course.find("c:title/c:langstring", NS).get("lang") == "en-GB"
    assert course.findtext("c:description/c:langstring", namespaces=NS) == "A course for tests."
    (au,) = root.findall("c:au", NS)
    assert dict(au.attrib) == {"id": f"{CID}/au", "moveOn": "CompletedAndPassed",
                               "masteryScore": "0.75", "launchMethod": "AnyWindow"}
    # element order the XSD requires: title, description, url
    assert [etree.QName(e).localname for e in au] == ["title", "description", "url"]
    assert au.findtext("c:url", namespaces=NS) == "index.html"
    assert [etree.QName(e).localname for e in root] == ["course", "au"]
    assert {"cmi5.xml", "index.html", "assets/runtime/_lrs.js", "assets/runtime/cmi5.js"} <= names
    assert "assets/runtime/xapi.js" not in names and "tincan.xml" not in names


def test_cmi5_xml_without_a_pass_mark(write_course, build_course):
    (path,) = build_course(write_course(), ["cmi5"])
    _, root = _structure(path)
    (au,) = root.findall("c:au", NS)
    assert au.get("moveOn") == "Completed"
    assert au.get("masteryScore") is None


def test_target_declares_its_capabilities():
    target = TARGETS["cmi5"]()
    assert (target.name, target.runtime_adapter, target.label) == ("cmi5", "cmi5", "cmi5")
    assert target.lrs_at_launch  # its CSP must allow the LRS named at launch
    assert target.runtime_helpers == ("_lrs.js",)


# --- one AU per module -----------------------------------------------------------------------

MOVE_ON = {"NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed"}
TWO_MODULES = """\
id: https://example.org/courses/test-course
title: Test course
version: 1.0.0
description: A course for tests.
modules: [one, two]
{passing}cmi5:
  au_per_module: {per_module}
"""
MODULE_TWO = """\
title: Module two
description: Where to find support.
pages:
  - id: support
    title: Support
    blocks:
      - type: text
        body: Talk to someone you trust.
"""


def check_structure(root) -> list:  # type: ignore[no-untyped-def]
    """What CourseStructure.xsd asks of a course structure with AUs directly under it: the
    course first (id, title, description), then each AU with a unique absolute id, a moveOn
    from the list, masteryScore (when present) a decimal from 0 to 1, launchMethod AnyWindow or
    OwnWindow, children title, description, url in that order, every langstring with a lang,
    and a relative url (the package's own file). Returns the AUs."""
    assert root.tag == f"{{{NS['c']}}}courseStructure"
    children = list(root)
    assert etree.QName(children[0]).localname == "course"
    assert children[0].get("id", "").startswith("https://")
    aus = children[1:]
    assert aus and all(etree.QName(au).localname == "au" for au in aus)
    ids = [au.get("id") for au in aus]
    assert len(set(ids)) == len(ids)
    for element in [children[0], *aus]:
        for part in ("title", "description"):
            strings = element.findall(f"c:{part}/c:langstring", NS)
            assert strings and all(s.get("lang") and s.text for s in strings), (element, part)
    for au in aus:
        assert set(au.attrib) <= {"id", "moveOn", "masteryScore", "launchMethod", "activityType"}
        assert au.get("id").startswith("https://")
        assert au.get("moveOn") in MOVE_ON
        assert au.get("launchMethod") in ("AnyWindow", "OwnWindow")
        if au.get("masteryScore") is not None:
            assert 0 <= float(au.get("masteryScore")) <= 1
        assert [etree.QName(e).localname for e in au] == ["title", "description", "url"]
        url = au.findtext("c:url", namespaces=NS)
        assert url and "://" not in url and not url.startswith("/")
    return aus


def test_single_au_structure_is_valid(write_course, build_course):
    (path,) = build_course(write_course({"course.yaml": PASSING}), ["cmi5"])
    (au,) = check_structure(_structure(path)[1])
    assert au.get("id") == f"{CID}/au"


def test_cmi5_xml_with_one_au_per_module(write_course, build_course):
    course = write_course({
        "course.yaml": TWO_MODULES.format(passing="passing:\n  pass_mark: 75\n",
                                          per_module="true"),
        "modules/two/module.yaml": MODULE_TWO})
    (path,) = build_course(course, ["cmi5"])
    names, root = _structure(path)
    aus = check_structure(root)
    assert root.find("c:course", NS).get("id") == CID
    assert [dict(au.attrib) for au in aus] == [
        # module one holds the scored quiz: it must be passed, at the course's pass mark
        {"id": f"{CID}/au/one", "moveOn": "CompletedAndPassed", "masteryScore": "0.75",
         "launchMethod": "AnyWindow"},
        # module two has nothing scored: completing it is enough
        {"id": f"{CID}/au/two", "moveOn": "Completed", "launchMethod": "AnyWindow"}]
    assert [au.findtext("c:url", namespaces=NS) for au in aus] == [
        "index.html?module=one", "index.html?module=two"]
    assert [au.findtext("c:title/c:langstring", namespaces=NS) for au in aus] == [
        "Module one", "Module two"]
    # a module without a description is described by its title
    assert [au.findtext("c:description/c:langstring", namespaces=NS) for au in aus] == [
        "Module one", "Where to find support."]
    with zipfile.ZipFile(path) as package:
        html = package.read("index.html").decode()
    data = json.loads(re.search(r'id="cb-course">(.*?)</script>', html, re.S).group(1))
    assert data["xapi"]["moduleAus"] == [f"{CID}/au/one", f"{CID}/au/two"]
    assert [m["slug"] for m in data["modules"]] == ["one", "two"]  # what cmi5.js checks against


def test_one_au_per_module_without_a_pass_mark(write_course, build_course):
    course = write_course({"course.yaml": TWO_MODULES.format(passing="", per_module="true"),
                           "modules/two/module.yaml": MODULE_TWO})
    (path,) = build_course(course, ["cmi5"])
    aus = check_structure(_structure(path)[1])
    assert [(au.get("moveOn"), au.get("masteryScore")) for au in aus] == [
        ("Completed", None), ("Completed", None)]


def test_au_per_module_false_keeps_one_au(write_course, build_course):
    course = write_course({"course.yaml": TWO_MODULES.format(passing="", per_module="false"),
                           "modules/two/module.yaml": MODULE_TWO})
    (path,) = build_course(course, ["cmi5"])
    (au,) = check_structure(_structure(path)[1])
    assert (au.get("id"), au.findtext("c:url", namespaces=NS)) == (f"{CID}/au", "index.html")


def test_module_au_urls_quote_the_slug():
    assert module_url("index.html", "check") == "index.html?module=check"
    assert module_url("index.html", "a b&c") == "index.html?module=a%20b%26c"


def test_runtime_has_no_synchronous_requests():
    """The LRS adapters start asynchronously (prepare()): no synchronous XMLHttpRequest."""
    adapters = Path(course_builder.__file__).parent / "runtime" / "adapters"
    for name in ("_lrs.js", "xapi.js", "cmi5.js"):
        text = (adapters / name).read_text(encoding="utf-8")
        assert "XMLHttpRequest" not in text and not re.search(r"\.open\([^)]*false", text), name
