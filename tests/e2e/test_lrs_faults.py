"""A faulty LRS: the Tin Can (xAPI) package against the real LRS (Ralph, behind the test LMS's
endpoint, tests/lrs/state_server.py), with faults injected in that endpoint (``Fault``): the LRS
down, slow, answering 401, 409 or 5xx mid-session, or storing a statement and losing the answer.

Each case: the learner can always go on; no statement is lost and none is stored twice (each
statement id is stored exactly once); what the LRS refuses is kept in this browser and sent on
the next launch; the learner is told plainly when progress is not reaching their record, and
when it is again. The SCORM LMS's faults are in test_faults.py.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import harness as h
from tests.e2e.course_fixtures import MULTIPLE_RIGHT, SINGLE_RIGHT
from tests.e2e.test_faults import NOT_ALL, NOT_REACHING, SAVED_AGAIN, saving_notice, wait_notice
from tests.e2e.test_xapi import (
    COURSE_ID,
    learner_actor,
    lrs_sites,
    open_course,
    tincan_url,
    verbs,
)
from tests.lrs import ralph as _ralph
from tests.lrs import state_server as _state_server
from tests.lrs.state_server import Fault

pytestmark = pytest.mark.e2e

lrs = _ralph.lrs
lms_endpoint = _state_server.lms_endpoint


@pytest.fixture(scope="module")
def xapi_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lrs_sites(tmp_path_factory)["xapi"]


def statement_puts(endpoint: Any) -> Counter[str]:
    """How many times each statement id was PUT to the endpoint."""
    return Counter(r.params.get("statementId", "") for r in endpoint.requests
                   if r.method == "PUT" and r.path.endswith("/statements"))


def state_puts(endpoint: Any) -> list[Any]:
    return [r for r in endpoint.requests if r.method == "PUT" and r.path.endswith("/state")]


def wait_sent(page: Any, timeout: float = 30.0) -> None:
    """Until the course has no statement waiting (every one confirmed by the LRS)."""
    page.wait_for_function("() => CB.diagnose().pending === 0", timeout=timeout * 1000)


def stored_once(lrs: Any, registration: str, expect: Counter[str],
                timeout: float = 20.0) -> list[dict[str, Any]]:
    """Ralph's statements of this registration once ``expect`` (verb counts) is there; each
    id stored exactly once."""
    deadline = time.monotonic() + timeout
    while True:
        found = lrs.statements(registration=registration)
        if Counter(verbs(found)) == expect or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    ids = [s["id"] for s in found]
    assert len(ids) == len(set(ids)), "a statement was stored twice"
    assert Counter(verbs(found)) == expect
    return found


def start(page: Any, base_url: str, endpoint: Any, learner: str) -> tuple[Any, str, str]:
    registration = str(uuid.uuid4())
    url = tincan_url(base_url, endpoint, learner_actor(learner), registration)
    return open_course(page, url), registration, url


def test_lrs_down_at_launch_then_back(page: Any, xapi_site: Any, lms_endpoint: Any,
                                     lrs: Any) -> None:
    """The LRS cannot be reached when the course opens: it starts anyway, the learner goes on
    and is told their progress is not reaching their record; when the LRS is back, everything
    is sent once and the learner hears so."""
    lms_endpoint.outage = "network"
    with h.serve(xapi_site) as base_url:
        learner, registration, _ = start(page, base_url, lms_endpoint, "faults-1")
        learner.next()
        learner.next()
        said = wait_notice(page.main_frame, NOT_REACHING)
        assert "You can carry on" in said
        assert learner.page_index() == 2
        lms_endpoint.outage = None
        wait_notice(page.main_frame, SAVED_AGAIN)
        wait_sent(page)
    stored_once(lrs, registration, Counter({"initialized": 1, "experienced": 3}))
    assert set(statement_puts(lms_endpoint).values()) == {1}  # none sent twice once back


def test_slow_lrs_never_holds_the_learner(page: Any, xapi_site: Any, lms_endpoint: Any,
                                         lrs: Any) -> None:
    """Every statement answered after 1.5 s: pages change at once, each statement is PUT
    exactly once (one at a time, never a second request for one already on its way), in the
    order they happened."""
    with h.serve(xapi_site) as base_url:
        learner, registration, _ = start(page, base_url, lms_endpoint, "faults-2")
        wait_sent(page)
        lms_endpoint.faults = [Fault("statements", "PUT", "slow", delay=1.5)]
        learner.next()
        learner.next()
        learner.answer_single(SINGLE_RIGHT)
        learner.answer_multiple(MULTIPLE_RIGHT)
        assert learner.page_index() == 2  # nothing waited for the LRS
        wait_sent(page, timeout=40)
    found = stored_once(lrs, registration, Counter({"initialized": 1, "experienced": 3,
                                                    "answered": 2}))
    puts = statement_puts(lms_endpoint)
    assert set(puts.values()) == {1}, puts
    order = [r.params["statementId"] for r in lms_endpoint.requests
             if r.method == "PUT" and r.path.endswith("/statements")]
    by_time = [s["id"] for s in sorted(found, key=lambda s: s["timestamp"])]
    assert order == by_time


@pytest.mark.parametrize("status", [500, 503])
def test_lrs_failing_mid_session(page: Any, xapi_site: Any, lms_endpoint: Any, lrs: Any,
                                 status: int) -> None:
    """5xx mid-session: the learner goes on and is told; statements wait and are retried;
    when the LRS is back they are stored once each, and the learner hears so."""
    with h.serve(xapi_site) as base_url:
        learner, registration, _ = start(page, base_url, lms_endpoint, f"faults-{status}")
        wait_sent(page)
        lms_endpoint.faults = [Fault("statements", None, status)]
        learner.next()
        learner.next()
        learner.answer_single(SINGLE_RIGHT)
        wait_notice(page.main_frame, NOT_REACHING)
        assert page.evaluate("CB.diagnose().pending") >= 3
        lms_endpoint.faults = []
        wait_notice(page.main_frame, SAVED_AGAIN)
        wait_sent(page, timeout=40)
    stored_once(lrs, registration, Counter({"initialized": 1, "experienced": 3,
                                            "answered": 1}))


def test_lrs_refuses_credentials_mid_session(browser: Any, xapi_site: Any, lms_endpoint: Any,
                                            lrs: Any) -> None:
    """401 mid-session: nothing more can be sent this session; the learner is told, the
    statements and the progress stay in this browser, and the next launch sends them once."""
    context = h.new_guarded_context(browser)
    try:
        page = h.guard_page(context.new_page())
        with h.serve(xapi_site) as base_url:
            learner, registration, url = start(page, base_url, lms_endpoint, "faults-401")
            wait_sent(page)
            lms_endpoint.faults = [Fault(None, None, 401)]
            learner.next()
            learner.next()
            learner.answer_single(SINGLE_RIGHT)
            said = wait_notice(page.main_frame, NOT_ALL)
            assert "the next time you open the course" in said
            kept = page.evaluate("CB.diagnose().pending")
            assert kept >= 3
            page.goto("about:blank")  # the learner closes the course
            lms_endpoint.faults = []
            page = h.guard_page(context.new_page())
            again = open_course(page, url)  # the next launch, in the same browser
            assert again.page_index() == 2  # the progress the LRS refused, kept here
            assert again.question(0).get_by_role("radio", name=SINGLE_RIGHT).is_checked()
            wait_sent(page)
            assert saving_notice(page.main_frame) == ""
            state = lms_endpoint.state_document(COURSE_ID, learner_actor("faults-401"),
                                                "course_builder.state", registration)
            deadline = time.monotonic() + 10
            while state["location"] != "check/quiz-page" and time.monotonic() < deadline:
                time.sleep(0.2)
                state = lms_endpoint.state_document(COURSE_ID, learner_actor("faults-401"),
                                                    "course_builder.state", registration)
            assert state["location"] == "check/quiz-page"
            again.take_a_break()
            page.wait_for_function("() => CB.diagnose().ended")
    finally:
        context.close()
    # Both sessions' statements, the first one's kept here through the refusal: once each.
    stored_once(lrs, registration, Counter({"initialized": 2, "experienced": 4,
                                            "answered": 1, "terminated": 2}))


def test_lrs_conflict_on_the_state_document(page: Any, xapi_site: Any, lms_endpoint: Any,
                                           lrs: Any) -> None:
    """409 on the State document (another writer, xAPI concurrency): the course stops writing
    it this session (no loop of refused PUTs), says so, keeps its copy here; statements still
    go, once each."""
    with h.serve(xapi_site) as base_url:
        learner, registration, _ = start(page, base_url, lms_endpoint, "faults-409")
        wait_sent(page)
        lms_endpoint.faults = [Fault("activities/state", "PUT", 409)]
        learner.next()
        learner.next()
        wait_notice(page.main_frame, NOT_ALL)
        refused = len(state_puts(lms_endpoint))
        learner.next()
        learner.take_a_break()
        page.get_by_role("heading", name="You have left the course", level=1).wait_for()
        page.wait_for_function("() => CB.diagnose().ended")
        assert len(state_puts(lms_endpoint)) == refused
        assert [r.status for r in state_puts(lms_endpoint)][-1] == 409
    stored_once(lrs, registration, Counter({"initialized": 1, "experienced": 4,
                                            "terminated": 1}))


@pytest.mark.parametrize("how", ["lost", "stored-504"])
def test_answer_lost_on_the_way_back(page: Any, xapi_site: Any, lms_endpoint: Any,
                                    lrs: Any, how: str) -> None:
    """The LRS stores a statement but the browser never hears so: the connection drops (and
    Chromium may resend by itself), or a gateway answers 504 after the LRS stored it. The
    course sends it again, with the same id and content, and the LRS stores it once."""
    with h.serve(xapi_site) as base_url:
        learner, registration, _ = start(page, base_url, lms_endpoint, f"faults-{how}")
        wait_sent(page)
        lms_endpoint.faults = [Fault("statements", "PUT", how, times=1)]
        learner.next()
        wait_sent(page, timeout=30)
    puts = statement_puts(lms_endpoint)
    assert sorted(puts.values())[-1] >= 2  # the statement went again
    stored_once(lrs, registration, Counter({"initialized": 1, "experienced": 2}))
