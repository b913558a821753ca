"""The Tin Can (xAPI) package in headless Chromium against a real LRS (Ralph), with the test LMS
endpoint (tests/lrs/state_server.py) serving the State API and passing statements to Ralph.

The course is the tracking course (tests/roots/tracking) plus an anonymous evaluation page. The
learner walks it, the test reads the statements back from Ralph, checks them against the rules
and validates every one with Learning Locker's xapi-validation.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from course_builder.commands.build import build
from tests.e2e import harness as h
from tests.e2e.course_fixtures import MULTIPLE_RIGHT, SINGLE_RIGHT, SINGLE_WRONG, Learner
from tests.lrs import ralph as _ralph
from tests.lrs import state_server as _state_server
from tests.lrs.validate import invalid

# The real LRS (Ralph) and the test LMS's endpoint in front of it, as pytest fixtures.
lrs = _ralph.lrs
lms_endpoint = _state_server.lms_endpoint

REPO = Path(__file__).resolve().parents[2]
TRACKING_ROOT = REPO / "tests" / "roots" / "tracking"
COURSE_ID = "https://example.org/courses/e2e-tracking"
ADL = "http://adlnet.gov/expapi/verbs/"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
PAGES = ["basics/welcome", "basics/listening", "check/quiz-page", "check/finish",
         "feedback/tell-us"]

FEEDBACK = """\
title: Feedback
pages:
  - id: tell-us
    title: Tell us what you think
    blocks:
      - type: evaluation
        id: course-evaluation
        anonymous: true
        required: false
        items:
          - id: confidence
            kind: likert
            prompt: I feel more confident after this course.
            scale: [Not at all, A little, A lot]
          - id: most-useful
            kind: text
            prompt: What was most useful?
"""

# The anonymous answers go to the course owner's collector, never to the learner's LRS. Here it
# is an address where nothing answers (the delivery itself is tested in
# test_evaluation_collector.py): these tests check that the learner's LRS never gets them.
NO_COLLECTOR = """\
organisation: Example Training Charity
evaluation:
  collector:
    endpoint: http://127.0.0.1:9/xAPI/
    username: course-evaluations
    write_only_key: nothing-answers-here
    write_only: true
    random_delay_seconds: 0
"""

_cache: dict[str, Path] = {}


def lrs_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The course with an evaluation page, built as xapi and cmi5 and unzipped, once."""
    if not _cache:
        work = tmp_path_factory.mktemp("lrs-course")
        source = work / "course"
        shutil.copytree(TRACKING_ROOT, source)
        config = (source / "course.yaml").read_text(encoding="utf-8")
        (source / "course.yaml").write_text(
            config.replace("  - check\n", "  - check\n  - feedback\n") + NO_COLLECTOR,
            encoding="utf-8")
        (source / "modules" / "feedback").mkdir()
        (source / "modules" / "feedback" / "module.yaml").write_text(FEEDBACK, encoding="utf-8")
        result = build(source, work / "dist", ["xapi", "cmi5"])
        for name, path, _ in result.packages:
            site = h.make_site(work / f"site-{name}", path)
            (site / "returned.html").write_text("<!DOCTYPE html><title>LMS</title><h1>Back in "
                                                "the LMS</h1>", encoding="utf-8")
            _cache[name] = site
    return _cache


@pytest.fixture(scope="module")
def xapi_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lrs_sites(tmp_path_factory)["xapi"]


def learner_actor(name: str = "learner-1") -> dict[str, Any]:
    return {"objectType": "Agent", "name": "Test Learner",
            "account": {"homePage": "https://lms.example.org", "name": name}}


def tincan_url(base_url: str, endpoint: Any, actor: dict[str, Any], registration: str) -> str:
    query = {"endpoint": endpoint.endpoint, "auth": endpoint.auth_header,
             "actor": json.dumps(actor), "registration": registration,
             "activity_id": COURSE_ID, "cb-debug": "1"}
    return f"{base_url}/pkg/index.html?{urllib.parse.urlencode(query)}"


def open_course(page: Any, url: str) -> Learner:
    """Open the course and wait until it has started: the LRS adapters prepare asynchronously
    (token, LMS.LaunchData, saved progress), so the first page shows before the tracker runs."""
    page.goto(url)
    learner = Learner(page)
    wait_started(page)
    learner.heading().wait_for(state="visible")
    return learner


def wait_started(page: Any) -> None:
    page.wait_for_function("() => window.CB && CB.diagnose().format")


def submit_evaluation(page: Any) -> None:
    form = page.locator(".cb-evaluation")
    form.get_by_role("radio", name="A lot", exact=True).check()
    form.locator("textarea").fill("Hearing from people with lived experience.")
    form.get_by_role("button", name="Submit", exact=True).click()
    form.get_by_text("Thank you").wait_for()


def walk_whole_course(learner: Learner, page: Any, right: bool = True,
                      evaluation: bool = True) -> None:
    learner.walk_to(2)
    learner.answer_single(SINGLE_RIGHT if right else SINGLE_WRONG)
    learner.answer_multiple(MULTIPLE_RIGHT)
    learner.answer_true_false(False)
    learner.walk_to(4)
    if evaluation:
        submit_evaluation(page)


def wait_for_queue(page: Any, timeout: float = 20.0) -> None:
    """Until the course's statement queues are empty (every statement confirmed by the LRS), its
    progress is confirmed in the State API, and, once the session is ending, until its end
    ("terminated", sent last) is confirmed too."""
    page.wait_for_function(
        "() => CB.diagnose().pending === 0 && (!CB.diagnose().finished || CB.diagnose().ended) && "
        "Object.keys(localStorage).filter(k => k.indexOf('course_builder:lrs-state:') === 0)"
        ".every(k => JSON.parse(localStorage.getItem(k)).confirmed)", timeout=timeout * 1000)


def wait_for_statements(lrs: Any, predicate: Any, timeout: float = 20.0, **filters: Any) -> list:
    deadline = time.monotonic() + timeout
    while True:
        found = lrs.statements(**filters)
        if predicate(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.25)


def verbs(statements: list[dict[str, Any]]) -> list[str]:
    return [s["verb"]["id"].removeprefix(ADL) for s in statements]


def by_time(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(statements, key=lambda s: s["timestamp"])


def has_terminated(statements: list[dict[str, Any]]) -> bool:
    return any(s["verb"]["id"] == ADL + "terminated" for s in statements)


def xapi_requests(endpoint: Any) -> list[Any]:
    return [r for r in endpoint.requests if r.path.startswith("/xAPI/") and r.method != "OPTIONS"]


# --------------------------------------------------------------------------- tests


def test_walk_the_course_and_read_the_statements_back(page, xapi_site, lms_endpoint, lrs):
    lrs.clear()
    actor, registration = learner_actor(), str(uuid.uuid4())
    with h.serve(xapi_site) as base_url:
        learner = open_course(page, tincan_url(base_url, lms_endpoint, actor, registration))
        assert page.evaluate("CB.diagnose().format") == "xapi"
        assert page.evaluate("CB.diagnose().connected") is True
        walk_whole_course(learner, page)
        learner.take_a_break()
        wait_for_queue(page)
        own = wait_for_statements(lrs, has_terminated, registration=registration)

    own = by_time(own)
    names = verbs(own)
    assert names[0] == "initialized" and names[-1] == "terminated"
    assert Counter(names) == Counter({
        "initialized": 1, "experienced": 5, "answered": 4, "completed": 1, "passed": 1,
        "terminated": 1})
    assert [s["object"]["id"] for s in own if s["verb"]["id"] == ADL + "experienced"] == [
        f"{COURSE_ID}/page/{p}" for p in PAGES]
    for s in own:
        assert UUID4.match(s["id"]), s["id"]
        assert s["actor"]["account"] == actor["account"]
        assert s["context"]["registration"] == registration
        assert s["context"]["language"] == "en-GB"
        grouping = [a["id"] for a in s["context"]["contextActivities"]["grouping"]]
        assert COURSE_ID in grouping
    answered = {s["object"]["id"].rsplit("/", 1)[1]: s for s in own
                if s["verb"]["id"] == ADL + "answered"}
    assert set(answered) == {"q-single", "q-multiple", "q-true-false",
                             "course-evaluation-submitted"}
    single = answered["q-single"]
    assert single["result"]["response"] == "a" and single["result"]["success"] is True
    assert single["object"]["definition"]["interactionType"] == "choice"
    assert single["object"]["definition"]["correctResponsesPattern"] == ["a"]
    assert [c["id"] for c in single["object"]["definition"]["choices"]] == ["a", "b", "c"]
    assert single["context"]["contextActivities"]["parent"][0]["id"] == f"{COURSE_ID}/module/check"
    assert answered["q-multiple"]["result"]["response"] == "a[,]c"
    assert answered["q-true-false"]["result"]["response"] == "false"
    assert re.match(r"^PT(\d+H)?(\d+M)?[\d.]+S$", single["result"]["duration"])
    assert "success" not in answered["course-evaluation-submitted"]["result"]
    (passed,) = [s for s in own if s["verb"]["id"] == ADL + "passed"]
    assert passed["result"]["success"] is True
    assert passed["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    assert passed["object"]["id"] == COURSE_ID
    (completed,) = [s for s in own if s["verb"]["id"] == ADL + "completed"]
    assert completed["result"]["completion"] is True
    assert re.match(r"^PT", own[-1]["result"]["duration"])

    # The anonymous evaluation answers never reach the learner's LRS, under any actor: they go
    # only to the course owner's collector (tests/e2e/test_evaluation_collector.py).
    everything = lrs.statements()
    assert not [s for s in everything if "course-evaluation-confidence" in json.dumps(s)
                or "course-evaluation-most-useful" in json.dumps(s)]
    assert "Hearing from people with lived experience." not in json.dumps(everything)

    # Every statement is valid xAPI 1.0.3; every request carried the version header.
    assert invalid(own) == {}
    requests = xapi_requests(lms_endpoint)
    assert requests and all(r.headers.get("X-Experience-API-Version") == "1.0.3"
                            for r in requests)
    assert all(r.status in (200, 204, 404) for r in requests), [
        (r.method, r.path, r.status) for r in requests if r.status not in (200, 204, 404)]

    # Progress is in the State API for the next launch.
    state = lms_endpoint.state_document(COURSE_ID, actor, "course_builder.state", registration)
    assert state["completion"] == "completed" and state["success"] == "passed"
    assert state["location"] == "feedback/tell-us"
    assert h.page_errors(page) == []


def test_resume_on_another_machine(browser, xapi_site, lms_endpoint, lrs):
    actor, registration = learner_actor("learner-2"), str(uuid.uuid4())
    with h.serve(xapi_site) as base_url:
        url = tincan_url(base_url, lms_endpoint, actor, registration)
        first = h.new_guarded_context(browser)
        try:
            page = h.guard_page(first.new_page())
            learner = open_course(page, url)
            learner.walk_to(2)
            learner.answer_single(SINGLE_RIGHT)
            wait_for_queue(page)
            page.goto("about:blank")  # the learner closes the course
        finally:
            first.close()
        # A new browser context: nothing in localStorage, as on another PC.
        second = h.new_guarded_context(browser)
        try:
            page = h.guard_page(second.new_page())
            learner = open_course(page, url)
            assert learner.page_index() == 2
            assert page.evaluate("CB.debug.tracker.resumed") is True
            # the answered question is still answered (the quiz's saved state came back)
            assert learner.question(0).get_by_role("radio", name=SINGLE_RIGHT).is_checked()
        finally:
            second.close()


def test_lrs_cut_off_mid_course_loses_nothing(browser, xapi_site, lms_endpoint, lrs):
    """The LRS goes away (connections dropped, then 503) while the learner carries on and even
    closes the course; when it is back, the next launch sends everything, each exactly once."""
    lrs.clear()
    actor, registration = learner_actor("learner-3"), str(uuid.uuid4())
    with h.serve(xapi_site) as base_url:
        url = tincan_url(base_url, lms_endpoint, actor, registration)
        context = h.new_guarded_context(browser)
        try:
            page = h.guard_page(context.new_page())
            learner = open_course(page, url)
            wait_for_queue(page)
            lms_endpoint.outage = "network"
            learner.walk_to(2)
            learner.answer_single(SINGLE_RIGHT)
            lms_endpoint.outage = 503
            learner.answer_multiple(MULTIPLE_RIGHT)
            learner.answer_true_false(False)
            made = page.evaluate("CB.debug.adapter.client.queue.map(s => s.id)")
            assert len(made) >= 5  # 2 pages and 3 answers at least are waiting
            page.goto("about:blank")  # closed while the LRS is still down
            lms_endpoint.outage = None
            page = h.guard_page(context.new_page())
            learner = open_course(page, url)  # same browser: the leftovers go first
            wait_for_queue(page)
            learner.take_a_break()
            wait_for_queue(page)
        finally:
            context.close()
    stored = wait_for_statements(
        lrs, lambda found: sum(map(has_terminated, [[s] for s in found])) >= 2,
        registration=registration)
    ids = [s["id"] for s in stored]
    assert len(ids) == len(set(ids)), "a statement was stored twice"
    assert set(made) <= set(ids), "a statement made during the outage never arrived"
    names = Counter(verbs(stored))
    assert names["answered"] == 3 and names["initialized"] == 2 and names["terminated"] == 2
    assert invalid(stored) == {}


def test_refused_statement_is_dropped_not_retried_forever(page, xapi_site, lms_endpoint, lrs):
    """A 4xx other than 401/403/408/429 will never succeed: it is logged and dropped."""
    actor, registration = learner_actor("learner-4"), str(uuid.uuid4())
    with h.serve(xapi_site) as base_url:
        open_course(page, tincan_url(base_url, lms_endpoint, actor, registration))
        wait_for_queue(page)
        page.evaluate("""() => {
            const client = CB.debug.adapter.client;
            client.send({id: 'not-a-uuid', actor: {mbox: 'x'}, verb: {id: 'bad'},
                         object: {id: 'bad'}});
        }""")
        wait_for_queue(page)
        log = page.evaluate("CB.diagnose().log")
    assert any("not-a-uuid" in line and "dropped" in line for line in log), log


def test_without_launch_parameters_the_course_runs_unconnected(page, xapi_site):
    with h.serve(xapi_site) as base_url:
        learner = open_course(page, f"{base_url}/pkg/index.html")
        assert page.evaluate("CB.diagnose().format") == "none"
        assert page.locator(".cb-connection").is_visible()
        learner.next()
        assert h.page_errors(page) == []
