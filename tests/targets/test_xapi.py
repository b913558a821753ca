"""xAPI (Tin Can) target: the mapping functions (exact activity definitions), tincan.xml, the
package's runtime files, and the refusal of LRS credentials in course.yaml."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from lxml import etree

from course_builder.model import Interaction
from course_builder.secrets import looks_like_credential
from course_builder.targets import TARGETS, _xapi
from tests.bundles import shipped

CID = "https://example.org/courses/test-course"
TC = {"tc": "http://projecttincan.com/tincan.xsd"}


# --- IRIs -------------------------------------------------------------------------------------

def test_activity_iris_derive_from_the_course_id():
    assert _xapi.course_iri(CID) == CID
    assert _xapi.au_iri(CID) == f"{CID}/au"
    assert _xapi.module_iri(CID, "one") == f"{CID}/module/one"
    assert _xapi.page_iri(CID, "one/intro") == f"{CID}/page/one/intro"
    assert _xapi.question_iri(CID, "check-quiz-q1") == f"{CID}/question/check-quiz-q1"
    # a trailing slash on the course id does not double up
    assert _xapi.module_iri(CID + "/", "one") == f"{CID}/module/one"
    # anything unusual in an id is percent-encoded, so the IRI stays valid
    assert _xapi.question_iri(CID, "a b") == f"{CID}/question/a%20b"


def test_anonymous_home_page_is_the_course_origin():
    assert _xapi.home_page(CID) == "https://example.org"
    assert _xapi.home_page("http://lrs.test:8080/x/y") == "http://lrs.test:8080"
    assert _xapi.home_page("urn:example:course") == "urn:example:course"


# --- interaction definitions (xAPI 1.0.3 Data 2.4.4.1) ---------------------------------------

CMI = "http://adlnet.gov/expapi/activities/cmi.interaction"


def test_choice_definition():
    i = Interaction("q1", "choice", "Pick A", choices=(("a", "A"), ("b", "B")), correct=("a",))
    assert _xapi.interaction_definition(i, "en-GB") == {
        "type": CMI,
        "name": {"en-GB": "Pick A"},
        "description": {"en-GB": "Pick A"},
        "interactionType": "choice",
        "correctResponsesPattern": ["a"],
        "choices": [{"id": "a", "description": {"en-GB": "A"}},
                    {"id": "b", "description": {"en-GB": "B"}}],
    }


def test_multiple_answer_choice_and_sequencing_use_the_list_delimiter():
    multi = Interaction("q", "choice", "Pick two", choices=(("a", "A"), ("b", "B"), ("c", "C")),
                        correct=("a,c",))
    assert _xapi.correct_responses_pattern(multi) == ["a[,]c"]
    order = Interaction("q", "sequencing", "Order", choices=(("a", "1"), ("b", "2")),
                        correct=("b,a",))
    definition = _xapi.interaction_definition(order, "en")
    assert definition["correctResponsesPattern"] == ["b[,]a"]
    assert [c["id"] for c in definition["choices"]] == ["a", "b"]


def test_true_false_definition():
    i = Interaction("q2", "true-false", "The sky is blue.", correct=("true",))
    assert _xapi.interaction_definition(i, "en") == {
        "type": CMI, "name": {"en": "The sky is blue."},
        "description": {"en": "The sky is blue."},
        "interactionType": "true-false", "correctResponsesPattern": ["true"],
    }


def test_matching_definition_has_source_target_and_pairs():
    i = Interaction("m", "matching", "Match", choices=(("a", "Cat"), ("b", "Dog")),
                    targets=(("1", "Meow"), ("2", "Woof")), correct=("a.1,b.2",))
    definition = _xapi.interaction_definition(i, "en")
    assert definition["correctResponsesPattern"] == ["a[.]1[,]b[.]2"]
    assert definition["source"] == [{"id": "a", "description": {"en": "Cat"}},
                                    {"id": "b", "description": {"en": "Dog"}}]
    assert definition["target"] == [{"id": "1", "description": {"en": "Meow"}},
                                    {"id": "2", "description": {"en": "Woof"}}]
    assert "choices" not in definition


def test_numeric_range_and_exact_value():
    assert _xapi.correct_responses_pattern(
        Interaction("n", "numeric", "How many", correct=("40:44",))) == ["40[:]44"]
    assert _xapi.correct_responses_pattern(
        Interaction("n", "numeric", "How many", correct=("42",))) == ["42"]


def test_likert_has_a_scale_and_no_correct_answer():
    i = Interaction("e-1", "likert", "Useful?", choices=(("a", "Agree"), ("b", "Disagree")),
                    scored=False, anonymous=True)
    definition = _xapi.interaction_definition(i, "en")
    assert definition["interactionType"] == "likert"
    assert definition["scale"] == [{"id": "a", "description": {"en": "Agree"}},
                                   {"id": "b", "description": {"en": "Disagree"}}]
    assert "correctResponsesPattern" not in definition  # absent: no answer is "correct"


def test_free_text_and_other_have_only_type_and_name():
    for kind in ("long-fill-in", "fill-in", "other"):
        definition = _xapi.interaction_definition(Interaction("t", kind, ""), "en")
        assert definition == {"type": CMI, "name": {"en": "t"}, "interactionType": kind}


def test_verbs_are_adl_iris():
    assert _xapi.VERBS["experienced"] == "http://adlnet.gov/expapi/verbs/experienced"
    assert set(_xapi.VERBS) >= {"initialized", "experienced", "answered", "completed", "passed",
                                "failed", "terminated"}


def test_target_declares_its_capabilities():
    target = TARGETS["xapi"]()
    assert target.runtime_adapter == "xapi"
    assert target.max_suspend_data is None and target.max_location is None
    assert target.lrs_at_launch  # its CSP must allow the LRS named at launch
    assert target.supported_interactions == frozenset(_xapi.INTERACTION_TYPES)


# --- the package ------------------------------------------------------------------------------

def _course_json(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="cb-course">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_package_has_tincan_xml_and_only_its_runtime(write_course, build_course):
    (path,) = build_course(write_course(), ["xapi"])
    assert path.name == "test-course-1.0.0-xapi.zip"
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        html = package.read("index.html").decode()
        runs = shipped(package)
        tincan = etree.fromstring(package.read("tincan.xml"))
    assert "tincan.xml" in names
    assert {"assets/runtime/_lrs.js", "assets/runtime/xapi.js"} <= set(runs)
    assert "assets/runtime/scorm2004.js" not in runs and "imsmanifest.xml" not in names
    # scripts in order: the queue before the adapter that uses it
    order = list(runs)
    assert order.index("assets/runtime/_lrs.js") < order.index("assets/runtime/xapi.js")

    activities = tincan.findall("tc:activities/tc:activity", TC)
    course = activities[0]
    assert course.get("id") == CID
    assert course.get("type") == "http://adlnet.gov/expapi/activities/course"
    assert course.findtext("tc:name", namespaces=TC) == "Test course"
    assert course.findtext("tc:launch", namespaces=TC) == "index.html"
    ids = [a.get("id") for a in activities]
    assert ids == [CID, f"{CID}/module/one", f"{CID}/page/one/intro", f"{CID}/page/one/check",
                   f"{CID}/question/q1", f"{CID}/question/q2"]
    q1 = activities[4]
    assert q1.get("type") == CMI
    assert q1.findtext("tc:interactionType", namespaces=TC) == "choice"
    assert [p.text for p in q1.findall("tc:correctResponsePatterns/tc:correctResponsePattern",
                                       TC)] == ["a"]
    assert [(c.findtext("tc:id", namespaces=TC), c.findtext("tc:description", namespaces=TC))
            for c in q1.findall("tc:choices/tc:component", TC)] == [("a", "A"), ("b", "B")]
    # only the course activity is launchable
    assert [a.get("id") for a in activities if a.find("tc:launch", TC) is not None] == [CID]

    data = _course_json(html)
    assert data["adapter"] == "xapi"
    xapi = data["xapi"]
    assert xapi["course"]["id"] == CID
    assert xapi["pages"]["one/check"] == {
        "activity": {"objectType": "Activity", "id": f"{CID}/page/one/check",
                     "definition": {"type": "http://activitystrea.ms/schema/1.0/page",
                                    "name": {"en-GB": "Check"}}},
        "module": 0}
    assert xapi["questions"]["q2"]["definition"]["correctResponsesPattern"] == ["true"]
    assert xapi["homePage"] == "https://example.org"
    assert xapi["stateId"] == "course_builder.state"


def test_package_holds_no_credentials(write_course, build_course):
    (path,) = build_course(write_course(), ["xapi"])
    with zipfile.ZipFile(path) as package:
        text = " ".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
    assert not looks_like_credential(text)


def test_bundled_course_builds(tmp_path: Path):
    from course_builder.bundled import bundled_course_dir
    from course_builder.commands.build import build

    result = build(bundled_course_dir(), tmp_path, ["xapi", "cmi5"], variants=["northmoor"])
    assert [name for name, _, _ in result.packages] == ["xapi", "cmi5"]
    with zipfile.ZipFile(result.packages[0][1]) as package:
        data = _course_json(package.read("index.html").decode())
    anonymous = [i for i in data["interactions"].values() if i["anonymous"]]
    assert anonymous and all(i["id"] in data["xapi"]["questions"] for i in anonymous)
