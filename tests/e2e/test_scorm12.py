"""The tracking course (tests/roots/tracking) as a SCORM 1.2 package in scorm-again's LMS.

A learner walks it with role locators; the tests assert on every API call the course made and on
the LMS's data model afterwards.
"""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest
import yaml

from course_builder import state as saved_state
from course_builder.commands.build import build
from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h
from tests.e2e.course_fixtures import course, site12  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

V = "1.2"
TIMESPAN = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")  # CMITimespan
TIME_OF_DAY = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d{1,2})?$")  # CMITime
RANK = {"not attempted": 0, "browsed": 0, "incomplete": 1, "failed": 2, "completed": 2, "passed": 3}


def walk(right: bool):
    """A script for record_session: every page, the quiz on page 3, then the LMS closes it."""

    def script(learner: cf.Learner, page: Any, base_url: str) -> dict[str, Any]:
        focus = []
        for _ in range(2):
            learner.next()
            focus.append(learner.frame.evaluate("() => document.activeElement.id"))
        learner.answer_all(right=right)
        summary = learner.frame.locator(".cb-quiz__summary").inner_text()
        retry_visible = learner.frame.get_by_role("button", name="Try again").is_visible()
        learner.next()
        focus.append(learner.frame.evaluate("() => document.activeElement.id"))
        cf.end_session(page, V)
        return {"focus": focus, "summary": summary, "retry_visible": retry_visible}

    return script


@pytest.fixture(scope="module")
def passed_run(browser: Any, site12: Any) -> cf.Session:  # noqa: F811
    return cf.record_session(browser, site12, V, walk(right=True))


@pytest.fixture(scope="module")
def failed_run(browser: Any, site12: Any) -> cf.Session:  # noqa: F811
    return cf.record_session(browser, site12, V, walk(right=False))


def after_finish(recorded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for i, c in enumerate(recorded):
        if c["method"] == "LMSFinish" and c.get("result") == "true":
            return recorded[i + 1:]
    return []


def status_writes(recorded: list[dict[str, Any]]) -> list[str]:
    return [v for k, v in cf.sets_in(recorded, V) if k == "cmi.core.lesson_status"]


def api_calls(recorded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in recorded if c["method"] not in h.ERROR_READERS]


# --------------------------------------------------------------------------- one full session


def test_session_starts_and_ends_exactly_once(passed_run: cf.Session) -> None:
    recorded = api_calls(passed_run["calls"])
    assert recorded[0]["method"] == "LMSInitialize"
    assert len(cf.calls_of(recorded, "LMSInitialize")) == 1
    assert len(cf.calls_of(recorded, "LMSFinish")) == 1
    assert recorded[-1]["method"] == "LMSFinish"
    assert recorded[-1]["result"] == "true"
    assert after_finish(passed_run["calls"]) == []
    # The last call carries everything: exit and session time are set, then LMSFinish alone
    # (it persists them; a real LMS player may deliver only one request while the page unloads).
    assert [c["method"] for c in recorded[-3:]] == ["LMSSetValue", "LMSSetValue", "LMSFinish"]
    assert {c["args"][0] for c in recorded[-3:-1]} == {"cmi.core.exit", "cmi.core.session_time"}


def test_no_api_call_failed(passed_run: cf.Session, failed_run: cf.Session) -> None:
    for run in (passed_run, failed_run):
        failed = [c for c in api_calls(run["calls"]) if c.get("error") != "0" or "threw" in c]
        assert failed == []


def test_page_is_clean(passed_run: cf.Session, failed_run: cf.Session) -> None:
    cf.assert_clean(passed_run)
    cf.assert_clean(failed_run)


def test_every_package_file_referenced_was_served(passed_run: cf.Session, site12: Any) -> None:  # noqa: F811
    served = {r["path"].split("?")[0] for r in passed_run["requests"] if r["status"] == 200}
    pkg_requests = {p for p in served if p.startswith("/pkg/")}
    # The launch page and its one script (the runtime, the adapter, the quiz's script) and
    # one stylesheet (the theme, the quiz's styles) loaded, and nothing else from the package.
    assert pkg_requests == {"/pkg/index.html", "/pkg/assets/course.js", "/pkg/assets/course.css"}
    assert pkg_requests <= set(cf.package_files(site12))
    assert not [r for r in passed_run["requests"] if r["status"] >= 400]


def test_passed_status_and_score(passed_run: cf.Session) -> None:
    core = passed_run["cmi"]["cmi"]["core"]
    assert core["lesson_status"] == "passed"
    assert core["score"] == {"raw": "100", "min": "0", "max": "100"}
    writes = status_writes(passed_run["calls"])
    assert writes == ["incomplete", "passed"]
    sets = cf.sets_in(passed_run["calls"], V)
    # Score before status.
    score_at = sets.index(("cmi.core.score.raw", "100"))
    assert score_at < sets.index(("cmi.core.lesson_status", "passed"))


def test_failed_status_and_score(failed_run: cf.Session) -> None:
    core = failed_run["cmi"]["cmi"]["core"]
    assert core["lesson_status"] == "failed"
    raw = float(core["score"]["raw"])
    assert raw == pytest.approx(66.67)
    assert 0 <= raw <= 100
    assert core["score"]["min"] == "0" and core["score"]["max"] == "100"
    assert status_writes(failed_run["calls"]) == ["incomplete", "failed"]
    # Not passed, so the learner may come back: the session is suspended.
    assert core["exit"] == "suspend"
    assert failed_run["extra"]["retry_visible"] is True
    assert "2 of 3" in failed_run["extra"]["summary"]


def test_interactions(passed_run: cf.Session, failed_run: cf.Session) -> None:
    expected = [
        ("q-single", "choice", "a", "a"),
        ("q-multiple", "choice", "a,c", "a,c"),
        ("q-true-false", "true-false", "f", "f"),
    ]
    for run, first_response, first_result in ((passed_run, "a", "correct"),
                                               (failed_run, "c", "wrong")):
        interactions = run["cmi"]["cmi"]["interactions"]
        assert sorted(interactions) == ["0", "1", "2"]
        sets = dict(cf.sets_in(run["calls"], V))
        for n, (iid, itype, response, pattern) in enumerate(expected):
            i = interactions[str(n)]
            if n == 0:
                response = first_response
            assert i["id"] == iid
            assert i["type"] == itype
            assert i["student_response"] == response
            assert i["correct_responses"]["0"]["pattern"] == pattern
            assert i["result"] == (first_result if n == 0 else "correct")
            assert i["weighting"] == "1"
            # As the course wrote them (scorm-again normalises what it stores).
            assert TIMESPAN.match(sets[f"cmi.interactions.{n}.latency"])
            assert h.time_to_seconds(sets[f"cmi.interactions.{n}.latency"], V) < 60
            assert TIME_OF_DAY.match(sets[f"cmi.interactions.{n}.time"])


def test_bookmark_is_last_page(passed_run: cf.Session) -> None:
    assert passed_run["cmi"]["cmi"]["core"]["lesson_location"] == cf.PAGE_IDS[-1]
    locations = [v for k, v in cf.sets_in(passed_run["calls"], V)
                 if k == "cmi.core.lesson_location"]
    assert locations == list(cf.PAGE_IDS)


def test_exit_and_session_time(passed_run: cf.Session) -> None:
    sets = cf.sets_in(passed_run["calls"], V)
    exits = [v for k, v in sets if k == "cmi.core.exit"]
    assert exits == [""]  # passed: a normal exit, written once, at the end
    times = [v for k, v in sets if k == "cmi.core.session_time"]
    assert len(times) == 1
    assert TIMESPAN.match(times[0]), times[0]
    assert 0 < h.time_to_seconds(times[0], V) < 120


def test_suspend_data(passed_run: cf.Session, failed_run: cf.Session, course: Any) -> None:  # noqa: F811
    for run, single in ((passed_run, ["a"]), (failed_run, ["c"])):
        text = run["cmi"]["cmi"]["suspend_data"]
        assert text.startswith("1~")
        assert len(text) <= 4096
        decoded = saved_state.decode(text, course)
        assert decoded["same_course_version"] is True
        assert decoded["bookmark_page"]["id"] == cf.PAGE_IDS[-1]
        assert decoded["pages_seen"] == {"count": 4, "of": 4, "ids": list(cf.PAGE_IDS)}
        quiz = decoded["blocks"][cf.QUIZ_KEY]["decoded"]
        assert quiz["answers"] == {"q-single": single, "q-multiple": ["a", "c"],
                                   "q-true-false": False}
        assert quiz["attempt"] == 1
        assert quiz["best_score_percent"] == (100 if single == ["a"] else 67)


def test_commit_discipline(passed_run: cf.Session) -> None:
    recorded = passed_run["calls"]
    commits = len(cf.calls_of(recorded, "LMSCommit"))
    sets = len(cf.calls_of(recorded, "LMSSetValue"))
    assert commits > 0
    assert commits < sets
    # Never a commit after every single value: most commits carry several values.
    runs, current = [], 0
    for c in recorded:
        if c["method"] == "LMSSetValue":
            current += 1
        elif c["method"] == "LMSCommit":
            runs.append(current)
            current = 0
    assert sum(1 for n in runs if n > 1) > len(runs) / 2, runs


def test_focus_moves_to_new_page_heading(passed_run: cf.Session) -> None:
    assert passed_run["extra"]["focus"] == ["cb-page-1-title", "cb-page-2-title",
                                            "cb-page-3-title"]


# --------------------------------------------------------------------------- resume


def test_resume_midway(page: Any, site12: Any, course: Any) -> None:  # noqa: F811
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        learner.next()
        learner.next()
        learner.answer_single(cf.SINGLE_RIGHT)
        cf.end_session(page, V)
        first = h.cmi(page)
        core = first["cmi"]["core"]
        assert core["exit"] == "suspend"
        assert core["lesson_status"] == "incomplete"
        assert core["lesson_location"] == "check/quiz-page"
        decoded = saved_state.decode(first["cmi"]["suspend_data"], course)
        assert decoded["pages_seen"]["ids"] == list(cf.PAGE_IDS[:3])
        assert decoded["blocks"][cf.QUIZ_KEY]["decoded"]["answers"] == {
            "q-single": ["a"], "q-multiple": None, "q-true-false": None}
        assert h.failed_calls(page) == []

        state = h.saved_state_from(first, V)
        learner = cf.start(page, base_url, V, state)
        frame = learner.frame
        # Opens on the bookmarked page.
        assert learner.heading().inner_text() == "Check your understanding"
        assert learner.page_index() == cf.QUIZ_PAGE
        assert learner.progress().startswith("Page 3 of")
        # The earlier answer is shown, and cannot be changed; the rest are open.
        right = frame.get_by_role("radio", name=cf.SINGLE_RIGHT, exact=True)
        assert right.is_checked() and right.is_disabled()
        assert frame.get_by_role("radio", name=cf.SINGLE_WRONG, exact=True).is_disabled()
        submits = frame.get_by_role("button", name="Submit", exact=True)
        assert submits.nth(0).is_disabled()
        assert submits.nth(1).is_enabled()
        box = frame.get_by_role("checkbox", name=cf.MULTIPLE_RIGHT[0], exact=True)
        assert box.is_enabled() and not box.is_checked()
        feedback = frame.locator(".cb-question").nth(0).locator(".cb-feedback")
        assert "Correct." in feedback.inner_text()
        # The contents menu marks the pages seen, and the current one.
        menu = frame.get_by_role("navigation", name="Course contents")
        items = menu.get_by_role("button")
        assert items.count() == 4
        for i in range(4):
            mark = items.nth(i).locator(".cb-menu__seen")
            assert mark.is_visible() is (i < 3), i
        assert items.nth(2).get_attribute("aria-current") == "page"
        # Resumed with what the LMS handed back; no status went down.
        gets = {c["args"][0]: c["result"] for c in h.calls(page, "LMSGetValue")}
        assert gets["cmi.suspend_data"] == first["cmi"]["suspend_data"]
        assert gets["cmi.core.entry"] == "resume"
        assert all(RANK[s] >= RANK["incomplete"] for s in status_writes(h.calls(page)))

        learner.answer_multiple(cf.MULTIPLE_RIGHT)
        learner.answer_true_false(False)
        learner.next()
        cf.end_session(page, V)
        final = h.cmi(page)["cmi"]
        assert final["core"]["lesson_status"] == "passed"
        assert final["core"]["score"]["raw"] == "100"
        assert final["core"]["exit"] == ""
        assert h.failed_calls(page) == []
        assert h.calls_after_finish(page) == []
        assert len(h.calls(page, "LMSFinish")) == 1


@pytest.mark.parametrize("entry", ["resume", "auto"])
def test_relaunch_after_passing_keeps_passed(page: Any, site12: Any, entry: str) -> None:  # noqa: F811
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=True)
        learner.next()
        cf.end_session(page, V)
        first = h.cmi(page)
        assert first["cmi"]["core"]["lesson_status"] == "passed"

        state = h.saved_state_from(first, V, entry=entry)
        learner = cf.start(page, base_url, V, state)
        assert learner.heading().inner_text() == cf.PAGE_TITLES[-1]
        learner.previous()
        # The answers are still there; the learner cannot lose a pass by answering again.
        assert learner.frame.get_by_role("radio", name=cf.SINGLE_RIGHT, exact=True).is_checked()
        learner.goto_menu(cf.PAGE_TITLES[0])
        cf.end_session(page, V)
        writes = status_writes(h.calls(page))
        assert all(s == "passed" for s in writes), writes
        assert not [k for k, v in cf.sets_in(h.calls(page), V)
                    if k == "cmi.core.score.raw" and float(v) < 100]
        after = h.cmi(page)["cmi"]["core"]
        assert after["lesson_status"] == "passed"
        assert after["score"]["raw"] == "100"
        assert after["exit"] == ""  # finished: no suspend
        assert h.failed_calls(page) == []


# --------------------------------------------------------------------------- ending


def test_take_a_break_finishes_once(page: Any, site12: Any) -> None:  # noqa: F811
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        learner.next()
        learner.take_a_break()
        h.wait_for_call(page, "LMSFinish")
        frame = learner.frame
        heading = frame.get_by_role("heading", name="Your progress is saved", level=1)
        assert heading.is_visible()
        assert frame.evaluate("() => document.activeElement.id") == "cb-break-title"
        assert not frame.get_by_role("button", name="Next", exact=True).is_visible()
        core = h.cmi(page)["cmi"]["core"]
        assert core["exit"] == "suspend"
        assert core["lesson_location"] == "basics/listening"
        assert TIMESPAN.match(dict(cf.sets_in(h.calls(page), V))["cmi.core.session_time"])
        # The LMS then closes the frame: pagehide and unload must not finish a second time.
        cf.end_session(page, V)
        page.wait_for_timeout(200)
        assert len(h.calls(page, "LMSFinish")) == 1
        assert h.calls_after_finish(page) == []
        assert h.failed_calls(page) == []


def test_contents_menu_after_a_break_does_not_talk_to_the_lms(page: Any, site12: Any) -> None:  # noqa: F811
    """After "Take a break" the session is over; the contents menu stays on screen, and using it
    must not make the course write to a finished session (nor show a page under the notice)."""
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        learner.take_a_break()
        h.wait_for_call(page, "LMSFinish")
        menu_item = learner.frame.get_by_role("navigation", name="Course contents").get_by_role(
            "button", name=re.compile("^Listening well"))
        if menu_item.is_visible():
            menu_item.click()
            page.wait_for_timeout(200)
        assert h.calls_after_finish(page) == []
        assert learner.frame.locator(".cb-page[data-page]:not([hidden])").count() == 0


def test_leaving_the_lms_page_finishes_once(page: Any, site12: Any) -> None:  # noqa: F811
    """The learner navigates the LMS window away mid-course: pagehide ends the session."""
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        cf.persist_calls(page)
        learner.next()
        recorded = cf.persisted_calls(page, base_url)  # navigates away
    methods = [c["method"] for c in api_calls(recorded)]
    assert methods.count("LMSInitialize") == 1
    assert methods.count("LMSFinish") == 1
    assert methods[-1] == "LMSFinish"
    assert methods[-2] == "LMSSetValue"  # session time, then LMSFinish alone: no Commit first
    sets = dict(cf.sets_in(recorded, V))
    assert sets["cmi.core.exit"] == "suspend"
    assert sets["cmi.core.lesson_location"] == "basics/listening"
    assert TIMESPAN.match(sets["cmi.core.session_time"])
    assert [c for c in api_calls(recorded) if c.get("error") != "0"] == []


def test_answer_that_passes_the_course_is_committed_at_once(page: Any, site12: Any) -> None:  # noqa: F811
    """The learner has seen every page, goes back to the quiz and answers the last question:
    the course is now passed. That moment matters (a crash or a killed browser must not lose
    it), so the course commits it straight away, not only when the session ends."""
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        learner.walk_to(3)
        learner.previous()
        learner.answer_all(right=True)
        page.wait_for_timeout(300)
        recorded = h.calls(page)
        passed_at = next(i for i, c in enumerate(recorded)
                         if c["method"] == "LMSSetValue"
                         and c["args"] == ["cmi.core.lesson_status", "passed"])
        later = [c["method"] for c in recorded[passed_at + 1:]]
        assert "LMSCommit" in later, "lesson_status passed was set but not committed"
        # And the quiz's saved answers went with it.
        last_commit = max(i for i, c in enumerate(recorded) if c["method"] == "LMSCommit")
        last_suspend = max(i for i, c in enumerate(recorded)
                           if c["method"] == "LMSSetValue" and c["args"][0] == "cmi.suspend_data")
        assert last_suspend < last_commit, "the last answer's suspend_data was not committed"


def test_submit_without_an_answer_records_nothing(page: Any, site12: Any) -> None:  # noqa: F811
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        learner.walk_to(cf.QUIZ_PAGE)
        before = len(h.calls(page))
        learner.submit(0)
        feedback = learner.frame.locator(".cb-question").nth(0).locator(".cb-feedback")
        assert "Choose an answer" in feedback.inner_text()
        assert [c for c in h.calls(page)[before:] if c["method"] == "LMSSetValue"] == []
        assert learner.frame.get_by_role("button", name="Submit", exact=True).nth(0).is_enabled()


def test_progress_and_pager_count_only_course_pages(page: Any, site12: Any) -> None:  # noqa: F811
    """"Page n of 4", and Next is disabled on the last of the 4 pages (the hidden "Your progress
    is saved" section that Take a break shows is not a course page)."""
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        assert learner.progress() == "Page 1 of 4"
        assert learner.frame.get_by_role("button", name="Previous", exact=True).is_disabled()
        learner.walk_to(3)
        assert learner.progress() == "Page 4 of 4"
        assert learner.frame.get_by_role("button", name="Next", exact=True).is_disabled()
        assert h.page_errors(page) == []


def test_failed_commits_are_retried_a_bounded_number_of_times(page: Any, site12: Any) -> None:  # noqa: F811
    """The LMS refuses commits: the course retries after 1, 3 and 9 seconds, then stops."""
    page.clock.install()
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        page.evaluate("""() => {
            const inner = window.API.LMSCommit;
            window.API.LMSCommit = function () {
                inner.apply(window.API, arguments);
                return "false";
            };
        }""")
        before = len(h.calls(page, "LMSCommit"))
        learner.next()
        assert len(h.calls(page, "LMSCommit")) == before + 1
        page.clock.run_for(500)
        assert len(h.calls(page, "LMSCommit")) == before + 1
        page.clock.run_for(60_000)  # well under the 3-minute timed commit
        assert len(h.calls(page, "LMSCommit")) == before + 4  # 1 + 3 retries
        page.clock.run_for(60_000)
        assert len(h.calls(page, "LMSCommit")) == before + 4
        cf.end_session(page, V)
        assert len(h.calls(page, "LMSFinish")) == 1


def test_unsaved_changes_are_committed_on_a_timer(page: Any, site12: Any) -> None:  # noqa: F811
    """"Try again" changes the saved state without a commit; the 3-minute timer commits it, and
    the timer does not commit when nothing changed."""
    page.clock.install()
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=False)
        learner.frame.get_by_role("button", name="Try again").click()
        learner.frame.get_by_role("radio", name=cf.SINGLE_RIGHT, exact=True).wait_for()
        recorded = h.calls(page)
        last_commit = max(i for i, c in enumerate(recorded) if c["method"] == "LMSCommit")
        pending = [c for c in recorded[last_commit + 1:] if c["method"] == "LMSSetValue"]
        assert pending, "Try again should have changed the saved state"
        commits = len(h.calls(page, "LMSCommit"))
        page.clock.run_for(3 * 60 * 1000 + 1000)
        assert len(h.calls(page, "LMSCommit")) == commits + 1
        page.clock.run_for(10 * 60 * 1000)
        assert len(h.calls(page, "LMSCommit")) == commits + 1
        assert h.failed_calls(page) == []


def test_best_quiz_score_counts_after_resuming_a_retry(page: Any, tmp_path: Any) -> None:
    """A 5-question variant of the course: 4 of 5 (80%) passes the quiz, but the course is only
    passed once every page is seen. The learner scores 80% before seeing the last page, selects
    "Try again", takes a break, comes back and views the last page: the best attempt (80%)
    still counts, so SCORM 1.2's lesson_status becomes passed."""
    root = tmp_path / "course"
    shutil.copytree(cf.TRACKING_ROOT, root)
    module = root / "modules" / "check" / "module.yaml"
    data = yaml.safe_load(module.read_text(encoding="utf-8"))
    quiz = data["pages"][0]["blocks"][0]
    quiz["questions"] += [
        {"id": "q-extra-1", "kind": "true_false", "prompt": "Extra one: listening helps.",
         "answer": True},
        {"id": "q-extra-2", "kind": "true_false", "prompt": "Extra two: judging helps.",
         "answer": False},
    ]
    module.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = build(root, tmp_path / "dist", formats=["scorm12"])
    site = h.make_site(tmp_path / "site", result.packages[0][1])

    with h.serve(site) as base_url:
        learner = cf.start(page, base_url, V)
        learner.walk_to(cf.QUIZ_PAGE)
        frame = learner.frame
        learner.answer_all(right=False)  # q-single wrong: 1 of the first 3 wrong
        learner.answer_true_false(True, question=3)
        learner.answer_true_false(False, question=4)
        frame.locator(".cb-quiz__summary").filter(has_text="4 of 5").wait_for()
        assert dict(cf.sets_in(h.calls(page), V))["cmi.core.score.raw"] == "80"
        frame.get_by_role("button", name="Try again").click()
        cf.end_session(page, V)
        first = h.cmi(page)
        assert first["cmi"]["core"]["lesson_status"] == "incomplete"  # last page not seen yet

        learner = cf.start(page, base_url, V, h.saved_state_from(first, V))
        learner.next()  # the last page: every page now seen
        cf.end_session(page, V)
        final = h.cmi(page)["cmi"]["core"]
        assert final["lesson_status"] == "passed", status_writes(h.calls(page))


def test_interactions_are_numbered_even_when_the_lms_count_is_stale(
        page: Any, site12: Any) -> None:  # noqa: F811
    """Some LMSs never update cmi.interactions._count: the course still writes 0, 1, 2."""
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V)
        page.evaluate("""() => {
            const inner = window.API.LMSGetValue;
            window.API.LMSGetValue = function (name) {
                const value = inner.apply(window.API, arguments);
                return name === "cmi.interactions._count" ? "0" : value;
            };
        }""")
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=True)
        values = h.set_values(page)
        assert [values.get(f"cmi.interactions.{n}.id") for n in range(3)] == [
            "q-single", "q-multiple", "q-true-false"]
        cf.end_session(page, V)


# --------------------------------------------------------------------------- modes and credit


def test_browse_mode_records_nothing(page: Any, site12: Any) -> None:  # noqa: F811
    """cmi.core.lesson_mode "browse": presented "without the intent of recording any
    information about the current learner session" (SCORM RTE): no write, no commit."""
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V, lms_cmi={"cmi.core.lesson_mode": "browse",
                                                       "cmi.core.credit": "no-credit"})
        banner = learner.frame.locator(".cb-mode[role=status]")
        assert "Browse: this visit is not recorded" in banner.inner_text()
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=True)
        learner.next()
        cf.end_session(page, V)
        methods = {c["method"] for c in h.calls(page) if c["method"] not in h.ERROR_READERS}
        assert methods == {"LMSInitialize", "LMSGetValue", "LMSFinish"}
        assert h.failed_calls(page) == []


def test_no_credit_records_progress_but_no_pass_or_fail(page: Any, site12: Any) -> None:  # noqa: F811
    """cmi.core.credit "no-credit": the LMS will not credit the result. The course still
    records progress, answers and score, but lesson_status says completed or incomplete, never
    passed or failed (which an LMS may take as credit)."""
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, V, lms_cmi={"cmi.core.credit": "no-credit"})
        banner = learner.frame.locator(".cb-mode[role=status]")
        assert "Not for credit" in banner.inner_text()
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=False)
        learner.next()
        cf.end_session(page, V)
        assert status_writes(h.calls(page)) == ["incomplete", "completed"]
        core = h.cmi(page)["cmi"]["core"]
        assert core["score"]["raw"] == "66.67"
        assert core["exit"] == ""  # finished: completed is all a no-credit attempt can be
        assert len(h.cmi(page)["cmi"]["interactions"]) == 3
        assert h.failed_calls(page) == []
