"""The tracking course in the test LMS's Moodle mode: the SCORM player and server behave as
Moodle 4.5's did with this project's packages (tests/e2e/moodle.py, lms/lms.js).

What the tests check is what Moodle ends up storing in the learner's attempt, not what the
course asked for: a finished attempt relaunched in review must stay as it was, a failed
learner can try again in a new attempt, and leaving the course by any way (closing the tab,
the LMS's own exit button, a reload) stores the session in full even though the browser
delivers only what fits while the page unloads.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h
from tests.e2e.course_fixtures import site12, site2004  # noqa: F401  (fixtures)
from tests.e2e.moodle import MoodleLMS

pytestmark = pytest.mark.e2e

SITES = {"1.2": "site12", "2004": "site2004"}
STATUS = {"1.2": "cmi.core.lesson_status", "2004": "cmi.completion_status"}
TOTAL = {"1.2": "cmi.core.total_time", "2004": "cmi.total_time"}
EXIT = {"1.2": "cmi.core.exit", "2004": "cmi.exit"}
LOCATION = {"1.2": "cmi.core.lesson_location", "2004": "cmi.location"}


def writes(page: Any, version: str) -> list[tuple[str, str]]:
    return cf.sets_in(h.calls(page), version)


def banner(learner: cf.Learner) -> Any:
    return learner.frame.locator(".cb-mode[role=status]")


def review_visit(learner: cf.Learner) -> None:
    """Look at every page through the contents list, as a reviewing learner may."""
    for index, title in enumerate(cf.PAGE_TITLES):
        learner.goto_menu(title)
        learner.frame.locator(f'.cb-page[data-page="{index}"]:not([hidden])').wait_for()


# --------------------------------------------------------------------------- the stand-in


def test_moodle_relaunches_finished_attempts_in_review() -> None:
    """scorm_check_mode: completed, passed or failed is finished; a finished attempt opens in
    review unless a new attempt is asked for (or forced) and one is left; saved data only after
    exit "suspend"."""
    moodle = MoodleLMS()
    first = moodle.launch("a", "2004")
    assert (first["attempt"], first["mode"], first["state"]["cmi.entry"]) == (1, "normal",
                                                                             "ab-initio")
    moodle.store("a", "2004", 1, "commit", {"cmi.completion_status": "incomplete",
                                            "cmi.location": "p2", "cmi.exit": "suspend"},
                 False, 0)
    resumed = moodle.launch("a", "2004")
    assert (resumed["mode"], resumed["state"]["cmi.entry"],
            resumed["state"]["cmi.location"]) == ("normal", "resume", "p2")
    moodle.store("a", "2004", 1, "terminate", {"cmi.completion_status": "completed",
                                               "cmi.exit": "normal", "cmi.total_time": "PT9S"},
                 True, 0)
    review = moodle.launch("a", "2004")
    assert (review["attempt"], review["mode"]) == (1, "review")
    assert review["state"] == {"cmi.learner_id": "a", "cmi.learner_name": "Learner, a",
                               "cmi.mode": "review", "cmi.credit": "no-credit",
                               "cmi.entry": "ab-initio", "cmi.total_time": "PT9S"}
    again = moodle.launch("a", "2004", new_attempt=True)
    assert (again["attempt"], again["mode"], again["state"]["cmi.credit"]) == (2, "normal",
                                                                               "credit")

    limited = MoodleLMS(max_attempts=1)
    limited.seed("b", "1.2", {"cmi.core.lesson_status": "failed", "cmi.core.exit": "suspend",
                              "cmi.suspend_data": "x"})
    review = limited.launch("b", "1.2", new_attempt=True)  # no attempt left: review
    assert (review["attempt"], review["mode"], review["state"]["cmi.core.lesson_mode"],
            review["state"]["cmi.suspend_data"]) == (1, "review", "review", "x")
    forced = MoodleLMS(force_new_attempt=True)
    forced.seed("c", "1.2", {"cmi.core.lesson_status": "passed"})
    assert forced.launch("c", "1.2")["attempt"] == 2


# --------------------------------------------------------------------------- review


def test_review_after_a_finished_2004_attempt_changes_nothing(page: Any, site2004: Any) -> None:  # noqa: F811
    """Moodle relaunches a finished attempt (exit "normal") with cmi.mode review, entry
    ab-initio, completion unknown and no suspend_data, and stores whatever the SCO writes: a
    course that records in review overwrites the finished attempt (Moodle's report then showed
    score 0 for a learner who had passed)."""
    with h.serve(site2004) as base_url:
        learner = cf.open_in_moodle(page, base_url, "2004")
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=True)
        learner.next()
        exit_activity(page, base_url, "2004")
        finished = dict(base_url.moodle.attempt("learner-1", "2004").tracks)
        assert (finished["cmi.completion_status"], finished["cmi.success_status"],
                finished["cmi.exit"]) == ("completed", "passed", "normal")

        learner = cf.open_in_moodle(page, base_url, "2004")
        assert page.evaluate("window.__moodleMode") == "review"
        review_visit(learner)
        learner.goto_menu(cf.PAGE_TITLES[cf.QUIZ_PAGE])
        learner.answer_single(cf.SINGLE_WRONG)  # trying the quiz again
        exit_activity(page, base_url, "2004")
    attempt = base_url.moodle.attempt("learner-1", "2004")
    assert attempt.number == 1
    assert attempt.tracks == finished


def test_review_says_so_and_writes_nothing(page: Any, site2004: Any) -> None:  # noqa: F811
    """In review the SCO may read and Initialize/Terminate, nothing else (SCORM RTE, cmi.mode:
    "without the intent of updating" the attempt's data). The learner is told, plainly and to a
    screen reader, and can look at every page; nothing pretends to be progress."""
    with h.serve(site2004) as base_url:
        base_url.moodle.seed("learner-1", "2004", {
            "cmi.completion_status": "completed", "cmi.success_status": "passed",
            "cmi.score.raw": "100", "cmi.score.scaled": "1", "cmi.exit": "normal",
            "cmi.total_time": "PT5M"})
        learner = cf.open_in_moodle(page, base_url, "2004")
        frame = learner.frame
        text = banner(learner).inner_text()
        assert "Review: this visit is not recorded" in text
        assert "sent no saved progress" in text and "start a new attempt" in text
        assert h.run_axe(frame) == [], h.format_violations(h.run_axe(frame))
        assert learner.page_index() == 0
        review_visit(learner)
        assert frame.locator(".cb-menu__seen:not([hidden])").count() == 0
        learner.goto_menu(cf.PAGE_TITLES[cf.QUIZ_PAGE])
        assert frame.get_by_role("button", name="Submit", exact=True).first.is_enabled()
        learner.answer_single(cf.SINGLE_WRONG)
        learner.take_a_break()
        frame.get_by_role("heading", name="You have left the course", level=1).wait_for()
        assert frame.evaluate("document.activeElement.id") == "cb-break-title"
        assert "Nothing from this visit was recorded" in frame.locator("#cb-break").inner_text()
        assert h.run_axe(frame) == []
        h.wait_for_call(page, "Terminate")
        methods = [c["method"] for c in h.calls(page) if c["method"] not in h.ERROR_READERS]
        assert set(methods) <= {"Initialize", "GetValue", "Terminate"}, methods
        assert methods.count("Terminate") == 1
        assert h.failed_calls(page) == []


def test_failed_12_learner_reviews_then_retries_in_a_new_attempt(page: Any, site12: Any) -> None:  # noqa: F811
    """Moodle treats SCORM 1.2 "failed" as finished and relaunches in review
    (lesson_mode=review, no-credit). The course shows the learner's answers and record, records
    nothing of the visit, and says how to try again: a new attempt, where Moodle allows one."""
    with h.serve(site12) as base_url:
        learner = cf.open_in_moodle(page, base_url, "1.2")
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=False)
        learner.next()
        exit_activity(page, base_url, "1.2")
        failed = dict(base_url.moodle.attempt("learner-1", "1.2").tracks)
        assert failed["cmi.core.lesson_status"] == "failed"
        assert failed["cmi.core.exit"] == "suspend"

        learner = cf.open_in_moodle(page, base_url, "1.2")
        assert page.evaluate("window.__moodleMode") == "review"
        # The finished state is shown: the answers given, the pages seen.
        learner.goto_menu(cf.PAGE_TITLES[cf.QUIZ_PAGE])
        wrong = learner.frame.get_by_role("radio", name=cf.SINGLE_WRONG, exact=True)
        assert wrong.is_checked() and wrong.is_disabled()
        seen = learner.frame.locator(".cb-menu__seen:not([hidden])").count()
        text = learner.frame.evaluate("(document.querySelector('.cb-mode') || {}).textContent")
        # Trying again here is practice: the attempt keeps its "failed".
        learner.frame.get_by_role("button", name="Try again").click()
        learner.answer_all(right=True)
        exit_activity(page, base_url, "1.2")
        assert base_url.moodle.attempt("learner-1", "1.2").tracks == failed
        assert seen == 4
        assert "Review: this visit is not recorded" in text
        assert "Your record shows: not passed, score 66.67%" in text
        assert "start a new attempt" in text

        # "Start a new attempt": a fresh, recorded attempt the learner can pass.
        learner = cf.open_in_moodle(page, base_url, "1.2", new_attempt=True)
        assert page.evaluate("window.__moodleMode") == "normal"
        assert not banner(learner).is_visible()
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=True)
        learner.next()
        exit_activity(page, base_url, "1.2")
    attempts = base_url.moodle.attempts("learner-1", "1.2")
    assert [a.tracks["cmi.core.lesson_status"] for a in attempts] == ["failed", "passed"]
    assert attempts[1].tracks["cmi.core.score.raw"] == "100"


# --------------------------------------------------------------------------- leaving

# A long attempt: interactions from earlier sessions, which Moodle hands back and its player
# sends again with every request (the bundled course records 29 interactions in one walk).
EARLIER = 30


def earlier_interactions(version: str, start: int) -> dict[str, str]:
    response = "student_response" if version == "1.2" else "learner_response"
    tracks = {}
    for n in range(start, start + EARLIER):
        p = f"cmi.interactions.{n}."
        tracks.update({
            p + "id": f"earlier-{n}", p + "type": "choice", p + "weighting": "1",
            p + response: "a", p + "result": "correct",
            p + "correct_responses.0.pattern": "a",
            p + ("time" if version == "1.2" else "timestamp"):
                "10:00:00" if version == "1.2" else "2026-11-01T10:00:00",
            p + "latency": "00:00:05" if version == "1.2" else "PT5S"})
        if version == "2004":
            tracks[p + "description"] = "A question answered in an earlier session of the attempt"
    return tracks


def wait_until(predicate: Any, timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def exit_activity(page: Any, base_url: Any, version: str, learner: str = "learner-1") -> None:
    """The learner leaves with Moodle's "Exit activity"; wait until the session's Terminate,
    sent while the LMS page unloads, has reached the server."""
    attempt = base_url.moodle.attempt(learner, version)
    before = len(attempt.requests)
    cf.exit_activity(page, base_url)
    assert wait_until(lambda: any(r.call == "terminate" for r in attempt.requests[before:])), \
        "the session's Terminate never reached the LMS"


def leave(page: Any, base_url: str, how: str) -> None:
    if how == "close":
        page.close()
    elif how == "exit":
        cf.exit_activity(page, base_url)
    else:
        page.reload()


@pytest.mark.parametrize("how", ["close", "exit", "reload"])
@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_leaving_stores_the_whole_session(browser: Any, request: pytest.FixtureRequest,
                                          version: str, how: str) -> None:
    """Closing the tab, the LMS's "Exit activity" and a reload all unload the course while the
    LMS page itself unloads: Moodle's player then sends each call with sendBeacon, and the
    browser delivers beacons only while they fit its 64 KiB keepalive quota. With a long
    attempt, a Commit then a Terminate do not both fit: the course's last call must be the one
    that carries everything (Moodle adds total_time only on Terminate)."""
    site = request.getfixturevalue(SITES[version])
    context = h.new_guarded_context(browser)
    try:
        page = h.guard_page(context.new_page())
        page.set_default_timeout(15_000)
        with h.serve(site) as base_url:
            learner = cf.open_in_moodle(page, base_url, version)
            learner.next()
            learner.next()
            learner.answer_single(cf.SINGLE_RIGHT)
            exit_activity(page, base_url, version)
            attempt = base_url.moodle.attempt("learner-1", version)
            assert attempt.tracks[EXIT[version]] == "suspend"
            first_total = h.time_to_seconds(attempt.tracks[TOTAL[version]], version)
            attempt.tracks.update(earlier_interactions(version, 1))
            before = len(attempt.requests)

            learner = cf.open_in_moodle(page, base_url, version)
            assert learner.page_index() == cf.QUIZ_PAGE  # resumed
            assert page.evaluate("Object.keys(window.__loadedState).filter("
                                 "k => /interactions\\.\\d+\\.id$/.test(k)).length") == EARLIER + 1
            learner.previous()
            page.wait_for_timeout(1000)  # a session time of a second at least
            leave(page, base_url, how)
            if how == "reload":
                h.wait_for_call(page, cf.INIT[version])  # the LMS page launched the course again
                learner = cf.Learner(page.query_selector("iframe#course").content_frame())
                learner.frame.wait_for_function("() => window.CB && CB.diagnose().format")
                assert learner.page_index() == 1  # where the learner was
            # What the browser delivers arrives after the page has gone: wait for the end of
            # the session (a Terminate) before the browser context is closed.
            wait_until(lambda: any(r.call == "terminate" for r in attempt.requests[before:]))
            session = [r for r in attempt.requests[before:] if r.unloading]
    finally:
        context.close()
    tracks = attempt.tracks
    assert session and session[-1].call == "terminate", [(r.call, r.size) for r in session]
    assert h.time_to_seconds(tracks[TOTAL[version]], version) >= first_total + 1
    assert tracks[EXIT[version]] == "suspend"
    assert tracks[LOCATION[version]] == cf.PAGE_IDS[1]


def test_take_a_break_in_moodle_says_how_to_leave(page: Any, site2004: Any) -> None:  # noqa: F811
    """Take a break inside Moodle's frame: one Terminate carries exit, session and total time;
    the page says how to leave in the LMS, since the course cannot close Moodle's window."""
    with h.serve(site2004) as base_url:
        learner = cf.open_in_moodle(page, base_url, "2004")
        learner.next()
        learner.take_a_break()
        frame = learner.frame
        frame.get_by_role("heading", name="Your progress is saved", level=1).wait_for()
        text = frame.locator("#cb-break").inner_text()
        assert "exit or close button" in text and "Exit activity" in text
        assert "close this window" not in text
        assert frame.evaluate("document.activeElement.id") == "cb-break-title"
        assert h.run_axe(frame) == []
        requests = base_url.moodle.attempt("learner-1", "2004").requests
        assert requests[-1].call == "terminate" and not requests[-1].unloading
        tracks = base_url.moodle.attempt("learner-1", "2004").tracks
        assert tracks["cmi.exit"] == "suspend" and re.match(r"^PT", tracks["cmi.total_time"])
