"""A variant's Tin Can package (docs/variants.md) in headless Chromium against a real LRS
(Ralph): launched as its own activity, every statement it sends carries the variant (its
activity in the grouping, its id in the context extension), and the report counts the learner
in that variant."""

from __future__ import annotations

import json
import shutil
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

import pytest

from course_builder.commands.build import build
from course_builder.report import write_report
from tests.e2e import harness as h
from tests.e2e.course_fixtures import MULTIPLE_RIGHT, SINGLE_RIGHT
from tests.e2e.test_xapi import (
    TRACKING_ROOT,
    has_terminated,
    learner_actor,
    open_course,
    wait_for_queue,
    wait_for_statements,
)
from tests.lrs import ralph as _ralph
from tests.lrs import state_server as _state_server
from tests.lrs.validate import invalid

pytestmark = pytest.mark.e2e

lrs = _ralph.lrs
lms_endpoint = _state_server.lms_endpoint

COURSE_ID = "https://example.org/courses/e2e-tracking"
VARIANT = f"{COURSE_ID}/variant/north"
EXTENSION = f"{COURSE_ID}/extensions/variant"
VARIANTS = """\
variants:
  - id: north
    name: North Trust
    support:
      before:
        - name: North crisis team (fictional)
          contact: "01632 960111"
"""


@pytest.fixture(scope="module")
def north_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("variant-course")
    source = work / "course"
    shutil.copytree(TRACKING_ROOT, source)
    with (source / "course.yaml").open("a", encoding="utf-8") as handle:
        handle.write(VARIANTS)
    ((_name, path, _size),) = build(source, work / "dist", ["xapi"]).packages
    assert path.parent.name == "north"
    return h.make_site(work / "site", path)


def test_every_statement_of_a_variant_names_it(page, north_site, lms_endpoint, lrs, tmp_path):
    lrs.clear()
    actor, registration = learner_actor("north-learner"), str(uuid.uuid4())
    with h.serve(north_site) as base_url:
        # The LMS launches the activity tincan.xml names: the variant's own.
        query = {"endpoint": lms_endpoint.endpoint, "auth": lms_endpoint.auth_header,
                 "actor": json.dumps(actor), "registration": registration,
                 "activity_id": VARIANT}
        learner = open_course(page, f"{base_url}/pkg/index.html?{urllib.parse.urlencode(query)}")
        assert page.get_by_text("North crisis team (fictional)").count() == 1
        learner.walk_to(2)
        learner.answer_single(SINGLE_RIGHT)
        learner.answer_multiple(MULTIPLE_RIGHT)
        learner.answer_true_false(False)
        learner.walk_to(3)  # the last page: every page seen, the quiz passed
        learner.take_a_break()
        wait_for_queue(page)
        own = wait_for_statements(lrs, has_terminated, registration=registration)

    assert own and invalid(own) == {}
    for statement in own:
        context = statement["context"]
        assert context["extensions"] == {EXTENSION: "north"}, statement["verb"]["id"]
        grouping = [a["id"] for a in context["contextActivities"]["grouping"]]
        assert grouping == [COURSE_ID, VARIANT]
    launched = [s for s in own if s["verb"]["id"].rsplit("/", 1)[1] in (
        "initialized", "completed", "passed", "terminated")]
    assert {s["object"]["id"] for s in launched} == {VARIANT}
    assert launched[0]["object"]["definition"]["name"] == {"en-GB": "Tracking test course: "
                                                                    "North Trust"}
    # pages keep the course's own ids: reports compare the same page across variants
    assert all(s["object"]["id"].startswith(f"{COURSE_ID}/page/") for s in own
               if s["verb"]["id"].endswith("/experienced"))
    # progress is kept under the activity the LMS launched
    state = lms_endpoint.state_document(VARIANT, actor, "course_builder.state", registration)
    assert state["completion"] == "completed"
    assert h.page_errors(page) == []

    # The report, from what the LRS holds, counts the learner in the variant.
    result = write_report(lrs.statements(), COURSE_ID, tmp_path / "report")
    groups: dict[str, Any] = result.data.variant_groups
    assert list(groups) == ["north"]
    assert groups["north"].totals()["completed"] == 1 == result.data.totals()["completed"]
