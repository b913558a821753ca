"""The evaluation collector in course.yaml: the one published key (and only when declared
write-only), the one outside address each package may contact, and what the runtime is told to
send (course_builder/collector.py, course_builder/secrets.py)."""

from __future__ import annotations

import base64
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from course_builder.commands.build import build
from tests.conftest import errors_of

COURSE = """\
id: https://courses.example.org/kindness
title: Kindness at work
version: 2.1.0
organisation: Example Training Charity
modules: [one]
outputs: [scorm12, scorm2004, scorm2004-3rd, xapi, cmi5, web]
{evaluation}"""

COLLECTOR = """\
evaluation:
  collector:
    endpoint: https://evaluations.example.org/xAPI/
    username: course-evaluations
    write_only_key: k3y-that-can-only-write
{write_only}"""

MODULE = """\
title: M
pages:
  - id: a
    title: A
    blocks:
      - type: evaluation
        id: feedback
        items:
          - {id: useful, kind: text, prompt: What was useful?}
          - {id: overall, kind: rating, prompt: Overall?, max: 4}
          - {id: again, kind: recommend}
          - {id: calm, kind: likert, prompt: I felt calm., scale: [No, Partly, Yes]}
"""

WRITE_ONLY_HINT = ("    hint: create an account on the collector that may only write statements "
                   "(see docs/evaluation-collector.md), check that it cannot read, then add "
                   "`write_only: true` under evaluation.collector")


def course(write_course: Any, evaluation: str, module: str = MODULE) -> Path:
    return write_course({"course.yaml": COURSE.format(evaluation=evaluation),
                         "modules/one/module.yaml": module})


def page_of(zip_path: Path) -> tuple[str, dict[str, Any]]:
    with zipfile.ZipFile(zip_path) as z:
        html = z.read("index.html").decode()
    found = re.search(r'<script type="application/json" id="cb-course">(.*?)</script>', html,
                      re.S)
    assert found
    return html, json.loads(found.group(1))


# -- the published key ----------------------------------------------------------------------

def test_a_write_only_collector_key_is_accepted(write_course):
    root = course(write_course, COLLECTOR.format(write_only="    write_only: true\n"))
    assert errors_of(root, strict=True) == []


@pytest.mark.parametrize("write_only", ["", "    write_only: false\n"])
def test_a_collector_key_not_declared_write_only_is_refused(write_course, write_only):
    root = course(write_course, COLLECTOR.format(write_only=write_only))
    assert errors_of(root) == [
        "course.yaml:11:21: error: course.yaml: evaluation.collector.write_only_key is published "
        "in every package, so it is accepted only from an account that can do nothing but write "
        "statements, declared with `write_only: true`\n" + WRITE_ONLY_HINT]


def test_a_write_only_key_anywhere_else_is_refused(write_course):
    # Blocks have no such field, but a plugin with free-form data could: the name alone is enough.
    module = MODULE.replace("title: A\n", "title: A\n    lint_notes: {write_only_key: abc}\n")
    root = course(write_course, COLLECTOR.format(write_only="    write_only: true\n"), module)
    messages = errors_of(root)
    assert any("pages[0].lint_notes" in m for m in messages)  # the page model refuses the field
    credentials = {"title": "x", "notes": {"write_only_key": "abc"}}
    from course_builder.secrets import credential_paths
    assert credential_paths(credentials) == [("notes", "write_only_key")]


def test_other_credentials_stay_refused_beside_a_write_only_key(write_course):
    evaluation = COLLECTOR.format(write_only="    write_only: true\n") + (
        'description: "Reports: https://reader:s3cret@lrs.example.org/xAPI/"\n')
    assert errors_of(course(write_course, evaluation)) == [
        "course.yaml:13:14: error: course.yaml: description looks like LRS credentials; "
        "packages must never hold an LRS key or secret\n"
        "    hint: remove it: the LMS passes the LRS address and credentials in the launch URL"]


def test_a_key_that_looks_like_an_auth_header_is_still_only_accepted_write_only(write_course):
    evaluation = COLLECTOR.replace("k3y-that-can-only-write", "Bearer-abcdefghijklmnop")
    assert errors_of(course(write_course, evaluation.format(write_only="    write_only: true\n"))
                     ) == []


@pytest.mark.parametrize(("endpoint", "problem"), [
    ("http://evaluations.example.org/xAPI/", "must be an https:// address"),
    ("https://user:pw@evaluations.example.org/xAPI/", "must not hold a user name or password"),
    ("https://evaluations.example.org/xAPI/?key=1", "must not have a query or fragment"),
])
def test_collector_endpoint_must_be_a_plain_https_address(write_course, endpoint, problem):
    evaluation = COLLECTOR.replace("https://evaluations.example.org/xAPI/", endpoint)
    evaluation = evaluation.format(write_only="    write_only: true\n")
    [message] = errors_of(course(write_course, evaluation))
    assert message.startswith("course.yaml:9:15: error: evaluation.collector.endpoint: ")
    assert problem in message


# -- what each package may contact ----------------------------------------------------------

def test_each_package_may_contact_its_files_and_the_collector_only(write_course, tmp_path):
    root = course(write_course, COLLECTOR.format(write_only="    write_only: true\n"))
    result = build(root, tmp_path / "out")
    policies = {}
    for name, path, _ in result.packages:
        html, _ = page_of(path)
        policies[name] = re.search(r"connect-src ([^\"]*)\"", html.replace("&#39;", "'")).group(1)
    scorm = "'self' https://evaluations.example.org"
    assert policies == {"scorm12": scorm, "scorm2004": scorm, "scorm2004-3rd": scorm,
                        "web": scorm,
                        # the LMS names the LRS only at launch: any http(s) address
                        "xapi": "'self' http: https:", "cmi5": "'self' http: https:"}


def test_without_a_collector_scorm_packages_contact_nothing(write_course, tmp_path):
    root = course(write_course, "")
    for _, path, _ in build(root, tmp_path / "out", ["scorm12", "scorm2004"]).packages:
        html, data = page_of(path)
        assert "connect-src &#39;self&#39;\"" in html
        assert data["collector"] is None


# -- what the runtime is told to send --------------------------------------------------------

def test_the_runtime_gets_every_fixed_part_of_the_statements(write_course, tmp_path):
    root = course(write_course, COLLECTOR.format(write_only="    write_only: true\n")
                  + "    random_delay_seconds: 120\n")
    datas = [page_of(path)[1] for _, path, _ in build(root, tmp_path / "out").packages]
    collector = datas[0]["collector"]
    assert all(d["collector"] == collector for d in datas)  # the same in every package
    token = base64.b64encode(b"course-evaluations:k3y-that-can-only-write").decode()
    assert collector["auth"] == f"Basic {token}"
    assert collector["endpoint"] == "https://evaluations.example.org/xAPI/"
    assert collector["homePage"] == "https://courses.example.org"
    assert collector["revision"] == "2.1.0"
    assert collector["delayMs"] == 120_000
    assert collector["course"] == {
        "objectType": "Activity", "id": "https://courses.example.org/kindness",
        "definition": {"type": "http://adlnet.gov/expapi/activities/course",
                       "name": {"en-GB": "Kindness at work"}}}
    questions = collector["questions"]
    # Only the anonymous answers: "submitted" goes to the LMS, never here.
    assert sorted(questions) == ["feedback-again", "feedback-calm", "feedback-overall",
                                 "feedback-useful"]
    calm = questions["feedback-calm"]
    assert calm["id"] == "https://courses.example.org/kindness/question/feedback-calm"
    assert calm["definition"]["interactionType"] == "likert"
    assert [c["id"] for c in calm["definition"]["scale"]] == ["a", "b", "c"]
    assert questions["feedback-useful"]["definition"]["interactionType"] == "long-fill-in"


def test_the_rating_carries_its_bounds_for_reports(write_course):
    from course_builder.commands.build import load_course
    from course_builder.diagnostics import Reporter

    root = course(write_course, COLLECTOR.format(write_only="    write_only: true\n"))
    block = load_course(root, Reporter()).block("feedback")
    assert block is not None
    by_id = {i.id: i for i in block.plugin.interactions(block)}
    assert by_id["feedback-overall"].bounds == (1, 4)
    assert by_id["feedback-useful"].bounds is None
