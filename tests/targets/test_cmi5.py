"""cmi5 target: cmi5.xml from the course rules, and the package's runtime files."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from course_builder.targets import TARGETS
from course_builder.targets.cmi5 import mastery_score, move_on

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
        names = set(package.namelist())
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
    assert target.collects_anonymous
    assert target.runtime_helpers == ("_lrs.js",)
