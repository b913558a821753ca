"""Hostile and faulty LMSs: the real SCORM API (scorm-again in the test LMS) with faults injected
around it (lms/lms.js, "Faults"), the tracking course in it, a learner walking it.

Each row of CASES is one fault and one test. Whatever the LMS does, the learner can always go
on; the course calls Terminate at most once, never overwrites saved data it could not read
(it keeps it and says so), keeps what the LMS refused in this browser's journal and sends it on
the next launch (never over newer LMS data), and tells the learner plainly, in the saving
notice (a live region, words not colour), when progress is not being saved and what to do.
Issue 11 cases 4 and 12, and its list of faults; the LRS's faults are in test_lrs_faults.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from course_builder import state as saved_state
from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h
from tests.e2e.course_fixtures import site12, site2004  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

SITES = {"1.2": "site12", "2004": "site2004"}
EXIT = {"1.2": "cmi.core.exit", "2004": "cmi.exit"}
SESSION = {"1.2": "cmi.core.session_time", "2004": "cmi.session_time"}
SCORE = {"1.2": "cmi.core.score.raw", "2004": "cmi.score.raw"}
LOCATION = {"1.2": "cmi.core.lesson_location", "2004": "cmi.location"}

NOT_STARTED = "Your progress is not being saved to your record"
NOT_REACHING = "Your progress is not reaching your record at the moment"
NOT_ALL = "Your progress is not all being saved to your record"
SAVED_AGAIN = "Your progress is being saved again"
CANNOT_READ = "We could not read your saved progress"
LOST = "Your progress can no longer be saved to your record"
STOPPED = "This window has stopped saving your progress"


# --------------------------------------------------------------------------- helpers


def saving_notice(frame: Any) -> str:
    """What the saving notice says now ("" when all is well)."""
    return frame.locator(".cb-saving").inner_text().strip()


def wait_notice(frame: Any, title: str) -> str:
    """Wait until the saving notice (a role=status live region) shows ``title``; its text."""
    region = frame.get_by_role("status").filter(has=frame.locator("h2", has_text=title))
    region.wait_for(state="visible")
    assert frame.locator(".cb-saving").get_attribute("aria-live") == "polite"
    return saving_notice(frame)


def calls_of(page: Any, version: str, kind: dict[str, str]) -> list[dict[str, Any]]:
    return h.calls(page, kind[version])


def values_set(page: Any, version: str, element: str) -> list[str]:
    """Every value the course tried to set for ``element`` (accepted or not), in order."""
    return [c["args"][1] for c in h.calls(page, cf.SET[version]) if c["args"][0] == element]


def leave(page: Any) -> None:
    """The LMS closes the course's frame; the course finishes on pagehide (or does nothing)."""
    page.evaluate("() => { document.getElementById('course').src = 'about:blank'; }")
    page.wait_for_function("() => document.getElementById('course').contentWindow"
                           ".location.href === 'about:blank'")
    page.wait_for_timeout(200)  # pagehide's calls are synchronous; let the LMS page record them


def suspend(course: dict[str, Any], bookmark: int = 1, seen: int = 2,
            blocks: dict[int, str] | None = None) -> str:
    """A saved-state string the tracking course writes: bookmark, pages seen, block states."""
    state = saved_state.SavedState(course["fingerprint"], bookmark,
                                   [i < seen for i in range(len(course["pages"]))], blocks or {})
    return saved_state.encode(state)


def resumed_state(version: str, suspend_data: str, location: str = "basics/listening",
                  **more: str) -> dict[str, str]:
    """What an LMS hands back on a relaunch: an unfinished attempt with this saved data."""
    prefix = "cmi.core." if version == "1.2" else "cmi."
    state = {prefix + ("lesson_status" if version == "1.2" else "completion_status"): "incomplete",
             "cmi.suspend_data": suspend_data, LOCATION[version]: location}
    state.update(more)
    return state


@dataclass
class Run:
    """One case's run: the LMS page, its server, the learner, the course's JSON."""

    page: Any
    base_url: Any
    version: str
    learner: cf.Learner
    course: dict[str, Any]
    site: Any

    @property
    def frame(self) -> Any:
        return self.learner.frame


@dataclass
class Case:
    """A fault (or hostile saved data), what the learner does, and what must hold."""

    id: str
    faults: dict[str, dict[str, Any]] = field(default_factory=dict)
    saved: Callable[[str, dict[str, Any]], dict[str, str] | None] = lambda v, c: None
    versions: tuple[str, ...] = ("1.2", "2004")
    check: Callable[[Run], None] = lambda run: None


# --------------------------------------------------------------------------- checks


def goes_on_unsaved(run: Run) -> None:
    """Initialize refused (false or throwing): the course runs on this browser alone, says so
    and what to do, and never calls the LMS again (no Terminate for what never began)."""
    said = wait_notice(run.frame, NOT_STARTED)
    assert "open it again from your learning management system" in said
    run.learner.next()  # the learner can always go on
    run.learner.next()
    assert run.frame.locator(".cb-connection").is_visible()
    leave(run.page)
    assert [c["method"] for c in h.calls(run.page)
            if c["method"] not in h.ERROR_READERS] == [cf.INIT[run.version]]


def goes_on_when_everything_throws(run: Run) -> None:
    """Every method throws, Initialize included: the learner is not stuck on page 1."""
    wait_notice(run.frame, NOT_STARTED)
    run.learner.next()
    run.learner.walk_to(3)
    assert run.learner.page_index() == 3
    assert h.page_errors(run.page) == []


def keeps_unread_data(run: Run) -> None:
    """GetValue throws: what the LMS holds is unknown, so nothing overwrites it."""
    said = wait_notice(run.frame, CANNOT_READ)
    assert "did not give the course your saved progress" in said
    run.learner.next()
    run.learner.next()
    leave(run.page)
    assert values_set(run.page, run.version, "cmi.suspend_data") == []
    assert values_set(run.page, run.version, LOCATION[run.version]) == []
    assert values_set(run.page, run.version, EXIT[run.version]) == ["suspend"]
    assert len(calls_of(run.page, run.version, cf.FINISH)) == 1


def refused_values_told(run: Run) -> None:
    """Every SetValue throws: the learner is told, goes on, and the session ends once."""
    wait_notice(run.frame, NOT_ALL)
    run.learner.walk_to(3)
    run.learner.take_a_break()
    run.frame.get_by_role("heading", name="You have left the course", level=1).wait_for()
    assert "Not all of your progress reached your record" in run.frame.locator(
        "#cb-break").inner_text()
    assert len(calls_of(run.page, run.version, cf.FINISH)) == 1


def commits_failing_told_then_healed(run: Run) -> None:
    """Commit keeps failing (false or throwing): after the first retry fails too the learner
    is told plainly what is happening and what to do; when the LMS accepts again, so are they."""
    run.learner.next()
    said = wait_notice(run.frame, NOT_REACHING)
    assert "You can carry on" in said and "tell your LMS administrator" in said
    violations = h.run_axe(run.frame)
    assert violations == [], h.format_violations(violations)
    run.learner.next()
    assert run.learner.page_index() == 2  # going on all along
    # The notice that saving works again is there until the next page change, and a retry
    # still pending may be the commit that heals (just before that page change): so note
    # every notice the live region shows, and look for it among them.
    run.frame.evaluate("""() => {
        const region = document.querySelector('.cb-saving');
        window.__cbNotices = [];
        new MutationObserver(() => {
            const title = region.querySelector('h2');
            if (title) window.__cbNotices.push(title.textContent);
        }).observe(region, {childList: true, subtree: true});
    }""")
    h.set_faults(run.page, {cf.COMMIT[run.version]: None})
    run.learner.next()
    run.frame.wait_for_function(
        "title => window.__cbNotices.some(shown => shown.includes(title))", arg=SAVED_AGAIN)
    assert [c for c in calls_of(run.page, run.version, cf.COMMIT)][-1]["result"] == "true"


def slow_commit_after_the_page(run: Run) -> None:
    """Commit is a slow synchronous request: the new page is on screen, its heading focused,
    before the LMS is asked to commit, and one page change is one Commit."""
    h.wait_for_call(run.page, cf.COMMIT[run.version])  # the first launch's
    before = len(calls_of(run.page, run.version, cf.COMMIT))
    run.learner.next()
    h.wait_for_call(run.page, cf.COMMIT[run.version], count=before + 1)
    commits = calls_of(run.page, run.version, cf.COMMIT)[before:]
    assert commits[0]["focus"] == "h1:" + cf.PAGE_TITLES[1], commits[0]["focus"]
    run.page.wait_for_timeout(600)
    assert len(calls_of(run.page, run.version, cf.COMMIT)) == before + 1


def refused_progress_journalled_and_replayed(run: Run) -> None:
    """The LMS refuses suspend_data (too long for it, say): the learner is told; this browser's
    journal keeps it, and the next launch (the LMS healed) sends it."""
    run.learner.next()
    run.learner.next()
    run.learner.answer_single(cf.SINGLE_RIGHT)
    wait_notice(run.frame, NOT_ALL)
    latest = values_set(run.page, run.version, "cmi.suspend_data")[-1]
    cf.end_session(run.page, run.version)
    state = h.saved_state_from(h.cmi(run.page), run.version)
    assert "cmi.suspend_data" not in state  # the LMS never took it
    again = cf.start(run.page, run.base_url, run.version, state)
    assert again.page_index() == cf.QUIZ_PAGE
    assert again.question(0).get_by_role("radio", name=cf.SINGLE_RIGHT).is_checked()
    h.wait_for_call(run.page, cf.COMMIT[run.version])
    assert values_set(run.page, run.version, "cmi.suspend_data")[0] == latest
    assert saving_notice(again.frame) == ""


def wrong_type_score_told(run: Run) -> None:
    """The LMS refuses the score's type: the learner hears their progress is not all saved,
    and the status is still recorded (passed)."""
    run.learner.walk_to(cf.QUIZ_PAGE)
    run.learner.answer_all(right=True)
    wait_notice(run.frame, NOT_ALL)
    run.learner.next()
    status = "cmi.core.lesson_status" if run.version == "1.2" else "cmi.success_status"
    run.page.wait_for_function("([m, e]) => window.__calls.some(c => c.method === m && "
                               "c.args[0] === e && c.args[1] === 'passed')",
                               arg=[cf.SET[run.version], status])


def terminate_called_once(run: Run) -> None:
    """Terminate fails (false or throwing): it is never called again."""
    run.learner.next()
    run.learner.take_a_break()
    run.frame.get_by_role("heading", level=1, name="You have left the course").wait_for()
    leave(run.page)
    assert len(calls_of(run.page, run.version, cf.FINISH)) == 1
    assert h.page_errors(run.page) == []


def finish_completes(run: Run) -> None:
    """Setting the exit throws: session time is still set and Terminate still called, once."""
    run.learner.next()
    run.learner.take_a_break()
    h.wait_for_call(run.page, cf.FINISH[run.version])
    assert SESSION[run.version] in h.set_values(run.page)
    assert len(calls_of(run.page, run.version, cf.FINISH)) == 1
    finish = calls_of(run.page, run.version, cf.FINISH)[0]
    assert finish["result"] == "true"


def interaction_refused_only_logged(run: Run) -> None:
    """The LMS refuses an interaction field: answers are in the saved progress and score
    anyway, so the learner is not alarmed; support staff see it in CB.diagnose()."""
    run.learner.walk_to(cf.QUIZ_PAGE)
    run.learner.answer_single(cf.SINGLE_RIGHT)
    run.learner.next()
    assert saving_notice(run.frame) == ""
    log = run.frame.evaluate("() => CB.diagnose().log")
    assert any("interactions" in line and "error 405" in line for line in log), log


def held(reason_text: str) -> Callable[[Run], None]:
    """Saved data the course cannot read: kept untouched (no suspend_data written, exit
    suspend so the LMS keeps handing it back), the learner told and able to go on."""

    def check(run: Run) -> None:
        said = wait_notice(run.frame, CANNOT_READ)
        assert reason_text in said and "It is kept as it is" in said
        afresh = run.frame.get_by_role("button", name="Start afresh and save my progress")
        assert afresh.is_visible()
        assert run.learner.page_index() == 1  # the bookmark (a page id) is readable
        violations = h.run_axe(run.frame)
        assert violations == [], h.format_violations(violations)
        run.learner.next()
        run.learner.next()
        leave(run.page)
        assert values_set(run.page, run.version, "cmi.suspend_data") == []
        assert values_set(run.page, run.version, EXIT[run.version]) == ["suspend"]

    return check


def start_afresh(run: Run) -> None:
    """The learner chooses to replace unreadable saved data: from then on it is saved."""
    wait_notice(run.frame, CANNOT_READ)
    run.learner.next()
    run.frame.get_by_role("button", name="Start afresh and save my progress").click()
    wait_notice(run.frame, "Your progress from this visit is now being saved")
    assert run.frame.evaluate("() => document.activeElement.className") == "cb-saving__title"
    written = values_set(run.page, run.version, "cmi.suspend_data")
    assert written and written[-1].split("~")[1] == run.course["fingerprint"]


CUT_QUIZ = "1._.0.0-"  # a quiz state cut short: "1._.0.0-3-f" lost its last answers


def block_state_kept(run: Run) -> None:
    """A block's saved state it could not have written (cut short): the block starts afresh
    rather than half-read (the first answer alone would read as given), and the state is
    written back unchanged until the learner answers there."""
    assert run.learner.page_index() == cf.QUIZ_PAGE
    assert not run.learner.question(0).get_by_role("radio", name=cf.SINGLE_RIGHT).is_checked()
    assert saving_notice(run.frame) == ""
    h.wait_for_call(run.page, cf.COMMIT[run.version])
    assert all(value.endswith("~0=" + CUT_QUIZ) for value in
               values_set(run.page, run.version, "cmi.suspend_data"))
    run.learner.answer_single(cf.SINGLE_RIGHT)
    assert not values_set(run.page, run.version, "cmi.suspend_data")[-1].endswith(CUT_QUIZ)


# --------------------------------------------------------------------------- the table


def throw(method: str, **rule: Any) -> dict[str, dict[str, Any]]:
    return {method: {"action": "throw", **rule}}


def false(method: str, code: str = "101", **rule: Any) -> dict[str, dict[str, Any]]:
    return {method: {"action": "false", "code": code, **rule}}


def every(action: str) -> Callable[[str], dict[str, dict[str, Any]]]:
    return lambda v: {m: {"action": action} for m in (
        cf.INIT[v], cf.GET[v], cf.SET[v], cf.COMMIT[v], cf.FINISH[v], h.GET_LAST_ERROR[v])}


def per_version(make: Callable[[str], dict[str, dict[str, Any]]]) -> Any:
    return make


CASES = [
    Case("initialize-throws", per_version(lambda v: throw(cf.INIT[v])), check=goes_on_unsaved),
    Case("initialize-false", per_version(lambda v: false(cf.INIT[v])), check=goes_on_unsaved),
    Case("every-method-throws", per_version(every("throw")),
         check=goes_on_when_everything_throws),
    Case("getvalue-throws", per_version(lambda v: throw(cf.GET[v])),
         saved=lambda v, c: resumed_state(v, suspend(c)), check=keeps_unread_data),
    Case("setvalue-throws", per_version(lambda v: throw(cf.SET[v])), check=refused_values_told),
    Case("commit-false", per_version(lambda v: false(cf.COMMIT[v])),
         check=commits_failing_told_then_healed),
    Case("commit-throws", per_version(lambda v: throw(cf.COMMIT[v])),
         check=commits_failing_told_then_healed),
    Case("commit-slow", per_version(lambda v: {cf.COMMIT[v]: {"action": "slow", "ms": 400}}),
         check=slow_commit_after_the_page),
    Case("suspend-data-refused", per_version(
        lambda v: false(cf.SET[v], "405", element="^cmi\\.suspend_data$")),
         check=refused_progress_journalled_and_replayed),
    Case("score-wrong-type", per_version(
        lambda v: false(cf.SET[v], "405", element="^cmi(\\.core)?\\.score\\.raw$")),
         check=wrong_type_score_told),
    Case("interaction-refused", per_version(
        lambda v: false(cf.SET[v], "405", element="^cmi\\.interactions\\.\\d+\\.latency$")),
         check=interaction_refused_only_logged),
    Case("terminate-false", per_version(lambda v: false(cf.FINISH[v])),
         check=terminate_called_once),
    Case("terminate-throws", per_version(lambda v: throw(cf.FINISH[v])),
         check=terminate_called_once),
    Case("exit-throws", per_version(
        lambda v: throw(cf.SET[v], element="^cmi(\\.core)?\\.exit$")), check=finish_completes),
    Case("saved-by-newer-format",
         saved=lambda v, c: resumed_state(v, "2~" + suspend(c)[2:]),
         check=held("saved by a newer version of this course")),
    Case("saved-by-another-course",
         saved=lambda v, c: resumed_state(v, suspend(c).replace(c["fingerprint"], "zz99")),
         check=held("saved by a different version of this course")),
    Case("saved-cut-short",
         saved=lambda v, c: resumed_state(v, suspend(c)[:-1]),
         check=held("incomplete or damaged")),
    Case("saved-unreadable-start-afresh",
         saved=lambda v, c: resumed_state(v, "garbage that is not ours"), check=start_afresh),
    Case("block-state-cut-short",
         saved=lambda v, c: resumed_state(v, suspend(c, 2, 3, {0: CUT_QUIZ}),
                                          "check/quiz-page"),
         check=block_state_kept),
]


@pytest.mark.parametrize("version", ["1.2", "2004"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault(case: Case, version: str, page: Any, request: pytest.FixtureRequest) -> None:
    if version not in case.versions:
        pytest.skip(f"{case.id} is a SCORM {'/'.join(case.versions)} case")
    site = request.getfixturevalue(SITES[version])
    course = cf.course_json(site)
    faults = case.faults(version) if callable(case.faults) else case.faults
    saved = case.saved(version, course)
    with h.serve(site) as base_url:
        frame = h.open_in_lms(page, base_url, version, saved, faults=faults or None)
        learner = cf.Learner(frame)
        learner.heading().wait_for(state="visible")
        frame.wait_for_function("() => window.CB && CB.diagnose().format")
        case.check(Run(page, base_url, version, learner, course, site))
        assert h.calls_after_finish(page) == []


# --------------------------------------------------------------------------- whole scenarios


def test_no_api_at_all(page: Any, site12: Any) -> None:  # noqa: F811
    """Opened without an LMS: it runs, says progress stays in this browser, and keeps it."""
    with h.serve(site12) as base_url:
        page.goto(f"{base_url}/pkg/index.html")
        learner = cf.Learner(page.main_frame)
        learner.heading().wait_for(state="visible")
        learner.next()
        assert page.get_by_role("status").filter(
            has_text="Not connected to a learning management system").is_visible()
        assert saving_notice(page.main_frame) == ""
        page.wait_for_function("() => Object.keys(localStorage).some(k => "
                               "(localStorage.getItem(k) || '').includes('basics/listening'))")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_lms_window_closed_mid_page(browser: Any, version: str,
                                    request: pytest.FixtureRequest) -> None:
    """The LMS opens the course in a window of its own (SuccessFactors does), and the learner
    closes the LMS's window mid-course. An API left behind in a closed window may still answer
    "true" and keep nothing: the course stops sending, says so, keeps the progress in this
    browser's journal, and the next launch sends it to the LMS."""
    site = request.getfixturevalue(SITES[version])
    context = h.new_guarded_context(browser)
    try:
        lms = h.guard_page(context.new_page())
        with h.serve(site) as base_url:
            frame = h.open_in_lms(lms, base_url, version, own_window=True)
            learner = cf.Learner(frame)
            learner.heading().wait_for(state="visible")
            learner.next()
            h.wait_for_call(lms, cf.COMMIT[version])
            stored = h.saved_state_from(h.cmi(lms), version)  # what the LMS kept
            lms.close()  # the LMS's window goes; the course's stays
            learner.next()
            said = wait_notice(frame, LOST)
            assert "open the course again from your learning management system" in said
            learner.answer_single(cf.SINGLE_RIGHT)
            frame.page.close()
            # The next launch: the LMS hands back what it kept, the journal what came after.
            lms = h.guard_page(context.new_page())
            again = cf.start(lms, base_url, version, stored)
            assert again.page_index() == cf.QUIZ_PAGE
            assert again.question(0).get_by_role("radio", name=cf.SINGLE_RIGHT).is_checked()
            h.wait_for_call(lms, cf.COMMIT[version])
            assert h.set_values(lms)[LOCATION[version]] == "check/quiz-page"
            assert saved_state.parse(h.set_values(lms)["cmi.suspend_data"]).blocks
    finally:
        context.close()


def test_journal_never_replays_over_newer_lms_data(page: Any, site2004: Any) -> None:  # noqa: F811
    """This browser's journal holds progress the LMS never got, but the LMS has since been
    given newer progress from another computer: the LMS's wins, the journal is dropped."""
    version = "2004"
    course = cf.course_json(site2004)
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, version, faults={
            "Commit": {"action": "false"}, "Terminate": {"action": "false"}})
        learner.next()
        learner.next()  # the journal now holds page 3; the LMS kept nothing
        leave(page)
        elsewhere = suspend(course, bookmark=3, seen=4)  # from another computer, newer
        again = cf.start(page, base_url, version, resumed_state(
            version, elsewhere, "check/finish"))
        assert again.page_index() == 3
        log = " ".join(again.frame.evaluate("() => CB.diagnose().log"))
        assert "journal is older than the LMS's progress" in log
        h.wait_for_call(page, "Commit")
        assert h.set_values(page)["cmi.suspend_data"] == elsewhere


def test_new_attempt_is_not_given_the_old_journal(page: Any, site12: Any) -> None:  # noqa: F811
    """A new attempt starts empty (entry ab-initio): the journal of the last one is not
    replayed into it, even though the LMS never got its last progress."""
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, "1.2", faults={"LMSCommit": {"action": "false"}})
        learner.next()
        learner.next()
        leave(page)
        again = cf.start(page, base_url, "1.2")  # no saved state: a new attempt
        assert again.page_index() == 0
        assert saving_notice(again.frame) == ""


def test_second_launch_in_another_tab(browser: Any, site2004: Any) -> None:  # noqa: F811
    """Two tabs on one attempt (Moodle's player, server-side store). The learner's last answer
    in tab A never reached the LMS (its Commit failed), and they launch again in tab B:
    B carries on from A's journal, A ends its session at once with what it had and says it has
    stopped, B says the other has stopped, and nothing A does afterwards reaches the LMS, so
    B's later progress is never overwritten by A's older one."""
    version = "2004"
    context = h.new_guarded_context(browser)
    try:
        tab_a = h.guard_page(context.new_page())
        with h.serve(site2004) as base_url:
            a = cf.open_in_moodle(tab_a, base_url, version)
            a.next()
            a.next()
            h.set_faults(tab_a, {"Commit": {"action": "false"}})
            a.answer_single(cf.SINGLE_RIGHT)  # this answer's commit fails: only A has it
            attempt = base_url.moodle.attempt("learner-1", version)
            assert "0=" not in attempt.tracks.get("cmi.suspend_data", "")
            tab_b = h.guard_page(context.new_page())
            b = cf.open_in_moodle(tab_b, base_url, version)
            assert b.page_index() == cf.QUIZ_PAGE
            assert b.question(0).get_by_role("radio", name=cf.SINGLE_RIGHT).is_checked()
            said = wait_notice(a.frame, STOPPED)
            assert "Carry on there, and close this one" in said
            wait_notice(b.frame, "The course was also open in another tab or window")
            assert len(h.calls(tab_a, "Terminate")) == 1
            b.answer_multiple(cf.MULTIPLE_RIGHT)
            b.answer_true_false(False)
            b.next()
            h.wait_for_call(tab_b, "Commit", count=3)
            newest = attempt.tracks["cmi.suspend_data"]
            a.previous()  # the learner clicks about in the old tab, then closes it
            assert h.calls_after_finish(tab_a) == []
            tab_a.close()
            assert [c["method"] for c in h.calls(tab_b) if c["method"] == "Terminate"] == []
            assert attempt.tracks["cmi.suspend_data"] == newest
            assert attempt.tracks["cmi.location"] == "check/finish"
            b.take_a_break()
            h.wait_for_call(tab_b, "Terminate")
            assert attempt.tracks["cmi.success_status"] == "passed"
    finally:
        context.close()


def fnv1a(text: str) -> str:
    """journal.js's hash: FNV-1a, 32 bits, in base 36."""
    value = 0x811C9DC5
    for char in text:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    digits, out = "0123456789abcdefghijklmnopqrstuvwxyz", ""
    while True:
        value, rem = divmod(value, 36)
        out = digits[rem] + out
        if not value:
            return out


def test_journal_keeps_no_learner_id(page: Any, site12: Any) -> None:  # noqa: F811
    """What the journal keeps: the latest saved-state string, its bookmark and short hashes,
    under the course, the format and a hash of the learner's LMS id (never the id)."""
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, "1.2")
        learner.next()
        h.wait_for_call(page, "LMSCommit")
        frame = learner.frame
        keys = frame.evaluate("() => Object.keys(localStorage)")
        journal = [k for k in keys if k.startswith("course_builder:journal:")]
        assert journal == ["course_builder:journal:https://example.org/courses/e2e-tracking"
                           "|scorm12|" + fnv1a("learner-0001")]
        assert "learner-0001" not in json.dumps(frame.evaluate("() => ({...localStorage})"))
        record = json.loads(frame.evaluate(f"() => localStorage.getItem({json.dumps(journal[0])})"))
        assert set(record) == {"fp", "suspend", "location", "seen"}
        assert record["location"] == "basics/listening"
