"""The tracking course (tests/roots/tracking) as SCORM 2004 packages (4th Edition, and 3rd Edition
through the scorm2004-3rd format) in scorm-again's LMS."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from course_builder import state as saved_state
from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h
from tests.e2e.course_fixtures import course, site2004  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

V = "2004"
DURATION = re.compile(
    r"^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$"
)
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,2})?$")
SUSPEND_LIMIT = {"scorm2004": 64000, "scorm2004-3rd": 4000}
# GetValue of an element the LMS never set is error 403 in SCORM 2004; on a first launch the course
# may read these and that is expected.
FIRST_LAUNCH_READS = {"cmi.suspend_data", "cmi.location"}


def walk(right: bool):
    def script(learner: cf.Learner, page: Any, base_url: str) -> dict[str, Any]:
        focus = []
        for _ in range(2):
            learner.next()
            focus.append(learner.frame.evaluate("() => document.activeElement.id"))
        learner.answer_all(right=right)
        learner.next()
        focus.append(learner.frame.evaluate("() => document.activeElement.id"))
        cf.end_session(page, V)
        return {"focus": focus}

    return script


@pytest.fixture(scope="module", params=["scorm2004", "scorm2004-3rd"])
def fmt(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def runs(browser: Any, fmt: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    site = cf.tracking_site(tmp_path_factory, fmt)
    return {
        "passed": cf.record_session(browser, site, V, walk(right=True)),
        "failed": cf.record_session(browser, site, V, walk(right=False)),
    }


def api_calls(recorded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in recorded if c["method"] not in h.ERROR_READERS]


def unexpected_failures(recorded: list[dict[str, Any]], first_launch: bool) -> list[dict[str, Any]]:
    out = []
    for c in api_calls(recorded):
        if c.get("error") == "0" and "threw" not in c:
            continue
        if (first_launch and c["method"] == "GetValue" and c["error"] == "403"
                and c["args"][0] in FIRST_LAUNCH_READS):
            continue
        out.append(c)
    return out


def writes(recorded: list[dict[str, Any]], element: str) -> list[str]:
    return [v for k, v in cf.sets_in(recorded, V) if k == element]


# --------------------------------------------------------------------------- one full session


def test_session_starts_and_ends_exactly_once(runs: dict[str, Any], fmt: str) -> None:
    for run in runs.values():
        recorded = api_calls(run["calls"])
        assert recorded[0]["method"] == "Initialize"
        assert len(cf.calls_of(recorded, "Initialize")) == 1
        assert len(cf.calls_of(recorded, "Terminate")) == 1
        assert recorded[-1]["method"] == "Terminate" and recorded[-1]["result"] == "true"
        # Exit and session time first, then Terminate alone: it persists them (SCORM 2004
        # RTE, Terminate), and a real LMS player (Moodle's) sends each Commit and Terminate as
        # one request with the whole data model, of which an unloading page may deliver one.
        assert [c["method"] for c in recorded[-3:]] == ["SetValue", "SetValue", "Terminate"]
        assert {c["args"][0] for c in recorded[-3:-1]} == {"cmi.exit", "cmi.session_time"}


def test_no_unexpected_api_errors(runs: dict[str, Any], fmt: str) -> None:
    for run in runs.values():
        assert unexpected_failures(run["calls"], first_launch=True) == []


def test_page_is_clean(runs: dict[str, Any], fmt: str) -> None:
    for run in runs.values():
        cf.assert_clean(run)


def test_passed(runs: dict[str, Any], fmt: str) -> None:
    run = runs["passed"]
    c = run["cmi"]["cmi"]
    assert c["completion_status"] == "completed"
    assert c["success_status"] == "passed"
    assert c["score"]["raw"] == "100"
    assert c["score"]["min"] == "0" and c["score"]["max"] == "100"
    assert float(c["score"]["scaled"]) == pytest.approx(float(c["score"]["raw"]) / 100)
    assert float(c["progress_measure"]) == 1
    assert writes(run["calls"], "cmi.completion_status") == ["incomplete", "completed"]
    assert writes(run["calls"], "cmi.success_status") == ["passed"]
    sets = cf.sets_in(run["calls"], V)
    assert sets.index(("cmi.score.raw", "100")) < sets.index(("cmi.success_status", "passed"))
    # Finished: a normal exit.
    assert c["exit"] == "normal"


def test_failed(runs: dict[str, Any], fmt: str) -> None:
    run = runs["failed"]
    c = run["cmi"]["cmi"]
    assert c["completion_status"] == "completed"  # every page seen
    assert c["success_status"] == "failed"
    raw = float(c["score"]["raw"])
    assert raw == pytest.approx(66.67)
    assert float(c["score"]["scaled"]) == pytest.approx(raw / 100, abs=1e-4)
    assert -1 <= float(c["score"]["scaled"]) <= 1
    assert writes(run["calls"], "cmi.success_status") == ["failed"]
    # Not passed, so the learner may come back.
    assert c["exit"] == "suspend"


def test_interactions(runs: dict[str, Any], fmt: str) -> None:
    expected = [
        ("q-single", "choice", "a", "a"),
        ("q-multiple", "choice", "a[,]c", "a[,]c"),
        ("q-true-false", "true-false", "false", "false"),
    ]
    for name, first_response, first_result in (("passed", "a", "correct"),
                                                ("failed", "c", "incorrect")):
        run = runs[name]
        interactions = run["cmi"]["cmi"]["interactions"]
        assert sorted(interactions) == ["0", "1", "2"]
        sets = dict(cf.sets_in(run["calls"], V))
        for n, (iid, itype, response, pattern) in enumerate(expected):
            i = interactions[str(n)]
            assert i["id"] == iid
            assert i["type"] == itype
            assert i["learner_response"] == (first_response if n == 0 else response)
            assert i["correct_responses"]["0"]["pattern"] == pattern
            assert i["result"] == (first_result if n == 0 else "correct")
            assert i["weighting"] == "1"
            assert i["description"]
            latency = sets[f"cmi.interactions.{n}.latency"]
            assert DURATION.match(latency), latency
            assert h.time_to_seconds(latency, V) < 60
            assert TIMESTAMP.match(sets[f"cmi.interactions.{n}.timestamp"])


def test_bookmark_is_last_page(runs: dict[str, Any], fmt: str) -> None:
    run = runs["passed"]
    assert run["cmi"]["cmi"]["location"] == cf.PAGE_IDS[-1]
    assert writes(run["calls"], "cmi.location") == list(cf.PAGE_IDS)


def test_exit_and_session_time(runs: dict[str, Any], fmt: str) -> None:
    for name, exit_value in (("passed", "normal"), ("failed", "suspend")):
        recorded = runs[name]["calls"]
        assert writes(recorded, "cmi.exit") == [exit_value]
        times = writes(recorded, "cmi.session_time")
        assert len(times) == 1
        assert DURATION.match(times[0]), times[0]
        assert 0 < h.time_to_seconds(times[0], V) < 120


def test_suspend_data(runs: dict[str, Any], fmt: str, course: Any) -> None:  # noqa: F811
    for name, single in (("passed", ["a"]), ("failed", ["c"])):
        text = runs[name]["cmi"]["cmi"]["suspend_data"]
        assert text.startswith("1~")
        assert len(text) <= min(4096, SUSPEND_LIMIT[fmt])
        decoded = saved_state.decode(text, course)
        assert decoded["same_course_version"] is True
        assert decoded["bookmark_page"]["id"] == cf.PAGE_IDS[-1]
        assert decoded["pages_seen"]["ids"] == list(cf.PAGE_IDS)
        quiz = decoded["blocks"][cf.QUIZ_KEY]["decoded"]
        assert quiz["answers"] == {"q-single": single, "q-multiple": ["a", "c"],
                                   "q-true-false": False}


def test_commit_discipline(runs: dict[str, Any], fmt: str) -> None:
    recorded = runs["passed"]["calls"]
    commits = len(cf.calls_of(recorded, "Commit"))
    sets = len(cf.calls_of(recorded, "SetValue"))
    assert 0 < commits < sets
    runs_between, current = [], 0
    for c in recorded:
        if c["method"] == "SetValue":
            current += 1
        elif c["method"] == "Commit":
            runs_between.append(current)
            current = 0
    assert sum(1 for n in runs_between if n > 1) > len(runs_between) / 2, runs_between


def test_focus_moves_to_new_page_heading(runs: dict[str, Any], fmt: str) -> None:
    assert runs["passed"]["extra"]["focus"] == ["cb-page-1-title", "cb-page-2-title",
                                                "cb-page-3-title"]


# --------------------------------------------------------------------------- resume


def test_resume_midway(page: Any, site2004: Any, course: Any) -> None:  # noqa: F811
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        learner.next()
        learner.next()
        learner.answer_single(cf.SINGLE_RIGHT)
        cf.end_session(page, V)
        first = h.cmi(page)
        c = first["cmi"]
        assert c["exit"] == "suspend"
        assert c["completion_status"] == "incomplete"
        assert c["success_status"] == "unknown"
        assert c["location"] == "check/quiz-page"
        decoded = saved_state.decode(c["suspend_data"], course)
        assert decoded["pages_seen"]["ids"] == list(cf.PAGE_IDS[:3])
        assert decoded["blocks"][cf.QUIZ_KEY]["decoded"]["answers"]["q-single"] == ["a"]
        assert unexpected_failures(h.calls(page), first_launch=True) == []

        state = h.saved_state_from(first, V, entry="auto")  # exit suspend -> entry resume
        assert state["cmi.entry"] == "resume"
        learner = cf.start(page, base_url, V, state)
        frame = learner.frame
        assert learner.heading().inner_text() == "Check your understanding"
        assert learner.page_index() == cf.QUIZ_PAGE
        # Screen reader users hear where they are.
        expect(frame.locator("#cb-announcer")).to_contain_text("Welcome back")
        right = frame.get_by_role("radio", name=cf.SINGLE_RIGHT, exact=True)
        assert right.is_checked() and right.is_disabled()
        submits = frame.get_by_role("button", name="Submit", exact=True)
        assert submits.nth(0).is_disabled() and submits.nth(1).is_enabled()
        box = frame.get_by_role("checkbox", name=cf.MULTIPLE_RIGHT[0], exact=True)
        assert box.is_enabled() and not box.is_checked()
        items = frame.get_by_role("navigation", name="Course contents").get_by_role("button")
        for i in range(4):
            assert items.nth(i).locator(".cb-menu__seen").is_visible() is (i < 3), i
        gets = {c["args"][0]: c["result"] for c in h.calls(page, "GetValue")}
        assert gets["cmi.location"] == "check/quiz-page"
        assert gets["cmi.suspend_data"] == c["suspend_data"]
        # No status reset on the way back in, and no error: nothing is unset on a resume.
        assert set(writes(h.calls(page), "cmi.completion_status")) <= {"incomplete", "completed"}
        assert unexpected_failures(h.calls(page), first_launch=False) == []

        learner.answer_multiple(cf.MULTIPLE_RIGHT)
        learner.answer_true_false(False)
        learner.next()
        cf.end_session(page, V)
        final = h.cmi(page)["cmi"]
        assert final["completion_status"] == "completed"
        assert final["success_status"] == "passed"
        assert final["score"]["scaled"] == "1"
        assert final["exit"] == "normal"
        assert unexpected_failures(h.calls(page), first_launch=False) == []
        assert h.calls_after_finish(page) == []
        assert len(h.calls(page, "Terminate")) == 1


def test_relaunch_after_passing_keeps_passed(page: Any, site2004: Any) -> None:  # noqa: F811
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=True)
        learner.next()
        cf.end_session(page, V)
        first = h.cmi(page)
        assert first["cmi"]["success_status"] == "passed"

        learner = cf.start(page, base_url, V, h.saved_state_from(first, V))
        assert learner.heading().inner_text() == cf.PAGE_TITLES[-1]
        learner.goto_menu(cf.PAGE_TITLES[0])
        learner.next()
        cf.end_session(page, V)
        recorded = h.calls(page)
        assert set(writes(recorded, "cmi.completion_status")) <= {"completed"}
        assert set(writes(recorded, "cmi.success_status")) <= {"passed"}
        assert not [v for v in writes(recorded, "cmi.score.scaled") if float(v) < 1]
        after = h.cmi(page)["cmi"]
        assert after["completion_status"] == "completed"
        assert after["success_status"] == "passed"
        assert after["exit"] == "normal"
        assert unexpected_failures(recorded, first_launch=False) == []


def test_relaunch_after_failing_can_still_pass(page: Any, site2004: Any) -> None:  # noqa: F811
    """failed -> passed is allowed; completed stays completed."""
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=False)
        learner.next()
        cf.end_session(page, V)
        first = h.cmi(page)
        assert first["cmi"]["success_status"] == "failed"
        assert first["cmi"]["exit"] == "suspend"

        learner = cf.start(page, base_url, V, h.saved_state_from(first, V, entry="auto"))
        learner.previous()
        learner.frame.get_by_role("button", name="Try again").click()
        learner.answer_all(right=True)
        learner.next()
        cf.end_session(page, V)
        recorded = h.calls(page)
        assert set(writes(recorded, "cmi.completion_status")) <= {"completed"}
        after = h.cmi(page)["cmi"]
        assert after["success_status"] == "passed"
        assert after["score"]["raw"] == "100"
        assert after["exit"] == "normal"
        assert unexpected_failures(recorded, first_launch=False) == []


# --------------------------------------------------------------------------- ending


def test_take_a_break_finishes_once(page: Any, site2004: Any) -> None:  # noqa: F811
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        learner.next()
        learner.take_a_break()
        h.wait_for_call(page, "Terminate")
        assert learner.frame.get_by_role("heading", name="Your progress is saved").is_visible()
        c = h.cmi(page)["cmi"]
        assert c["exit"] == "suspend"
        assert c["location"] == "basics/listening"
        # The learner asked to leave: the LMS is asked to suspend and close the course.
        assert h.set_values(page).get("adl.nav.request") == "suspendAll"
        cf.end_session(page, V)
        page.wait_for_timeout(200)
        assert len(h.calls(page, "Terminate")) == 1
        assert h.calls_after_finish(page) == []
        assert unexpected_failures(h.calls(page), first_launch=True) == []


def test_closing_the_window_finishes_once(page: Any, site2004: Any) -> None:  # noqa: F811
    """The learner closes the LMS window mid-course: pagehide ends the session cleanly."""
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        cf.persist_calls(page)
        learner.next()
        learner.next()
        learner.answer_single(cf.SINGLE_RIGHT)
        other = page.context.new_page()
        page.close()
        recorded = cf.persisted_calls(other, base_url)
    methods = [c["method"] for c in api_calls(recorded)]
    assert methods.count("Initialize") == 1
    assert methods.count("Terminate") == 1
    assert methods[-2:] == ["SetValue", "Terminate"]  # no Commit before Terminate
    sets = dict(cf.sets_in(recorded, V))
    assert sets["cmi.exit"] == "suspend"
    assert sets["cmi.location"] == "check/quiz-page"
    assert DURATION.match(sets["cmi.session_time"])
    assert sets["cmi.interactions.0.learner_response"] == "a"
    assert unexpected_failures(recorded, first_launch=True) == []


def test_closing_the_window_makes_no_navigation_request(page: Any, site2004: Any) -> None:  # noqa: F811
    """Only the learner's own "Take a break" asks the LMS to navigate; a closed window does not."""
    with h.serve(site2004) as base_url:
        cf.start(page, base_url, V)
        cf.end_session(page, V)
        assert len(h.calls(page, "Terminate")) == 1
        assert "adl.nav.request" not in h.set_values(page)


# --------------------------------------------------------------------------- modes and credit


@pytest.mark.parametrize("mode", ["browse", "review"])
def test_browse_and_review_record_nothing(page: Any, site2004: Any, mode: str) -> None:  # noqa: F811
    """cmi.mode browse or review: Initialize, reads and Terminate, nothing written or committed
    (no status, score, location, suspend_data, interactions, exit or session time)."""
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V, lms_cmi={"cmi.mode": mode,
                                                      "cmi.credit": "no-credit"})
        banner = learner.frame.locator(".cb-mode[role=status]")
        assert f"{mode.title()}: this visit is not recorded" in banner.inner_text()
        assert h.run_axe(learner.frame) == []
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=True)
        learner.next()
        learner.take_a_break()
        h.wait_for_call(page, "Terminate")
        methods = {c["method"] for c in h.calls(page) if c["method"] not in h.ERROR_READERS}
        assert methods == {"Initialize", "GetValue", "Terminate"}
        assert unexpected_failures(h.calls(page), first_launch=True) == []


def test_no_credit_records_progress_but_no_pass_or_fail(page: Any, site2004: Any) -> None:  # noqa: F811
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V, lms_cmi={"cmi.credit": "no-credit"})
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=True)
        learner.next()
        cf.end_session(page, V)
        recorded = h.calls(page)
        assert writes(recorded, "cmi.completion_status") == ["incomplete", "completed"]
        assert writes(recorded, "cmi.success_status") == []
        c = h.cmi(page)["cmi"]
        assert c["success_status"] == "unknown" and c["score"]["raw"] == "100"
        assert c["exit"] == "normal"
        assert unexpected_failures(recorded, first_launch=True) == []
