"""The cmi5 package in headless Chromium against Ralph. The test plays the LMS: it makes the
registration and session, stores LMS.LaunchData in the State API, records `launched`, issues a
one-time fetch URL and launches the AU; then it checks the cmi5 rules on what Ralph stored and
validates every statement with xapi-validation.

The test LMS (tests/lrs/state_server.py, tests/lrs/cmi5_rules.py) refuses, as ADL's CATAPULT
player does, every request of a session that breaks a cmi5 rule, with 403 and the rule's id;
the tests check that nothing was refused (``lms_endpoint.refusals``) and, from the order in which
the LMS received and answered requests, that nothing overtook anything.

The anonymous evaluation page is not submitted here: where its answers go under cmi5 is the
evaluation's own business (they leave the AU's session)."""

from __future__ import annotations

import json
import shutil
import time
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from course_builder.commands.build import build
from course_builder.report.aggregate import Aggregator, parse_timestamp
from tests.e2e import harness as h
from tests.e2e.course_fixtures import MULTIPLE_RIGHT, SINGLE_RIGHT, SINGLE_WRONG
from tests.e2e.test_xapi import (
    ADL,
    COURSE_ID,
    TRACKING_ROOT,
    UUID4,
    by_time,
    has_terminated,
    learner_actor,
    lrs_sites,
    open_course,
    verbs,
    wait_for_queue,
    wait_for_statements,
    walk_whole_course,
)
from tests.lrs import ralph as _ralph
from tests.lrs import state_server as _state_server
from tests.lrs.validate import invalid

# The real LRS (Ralph) and the test LMS's endpoint in front of it, as pytest fixtures.
lrs = _ralph.lrs
lms_endpoint = _state_server.lms_endpoint

CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
PUBLISHER_AU = f"{COURSE_ID}/au"
DEFINED = {"initialized", "completed", "passed", "failed", "terminated"}


@pytest.fixture(scope="module")
def cmi5_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lrs_sites(tmp_path_factory)["cmi5"]


class Launch:
    """One AU launch made by the test LMS."""

    def __init__(self, endpoint: Any, lrs: Any, base_url: str, *, mode: str = "Normal",
                 mastery: float | None = 0.8, registration: str | None = None,
                 actor: dict[str, Any] | None = None, publisher: str = PUBLISHER_AU,
                 au_url: str = "index.html", move_on: str = "CompletedAndPassed") -> None:
        self.actor = actor or learner_actor(f"cmi5-{uuid.uuid4().hex[:8]}")
        self.registration = registration or str(uuid.uuid4())
        self.publisher = publisher
        # the LMS's own id for this AU in this registration
        self.activity_id = (f"https://lms.example.org/runtime/au/{self.registration}/"
                            f"{uuid.uuid5(uuid.NAMESPACE_URL, publisher)}")
        self.session = str(uuid.uuid4())
        self.return_url = f"{base_url}/returned.html"
        launch_data: dict[str, Any] = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"objectType": "Activity",
                                                    "id": publisher}]},
                "extensions": {SESSION: self.session}},
            "launchMode": mode, "moveOn": move_on, "returnURL": self.return_url}
        if mastery is not None:
            launch_data["masteryScore"] = mastery
        # The LMS's session: LMS.LaunchData stored, and every request with its token checked.
        self.cmi5 = endpoint.cmi5_session(self.actor, self.registration, self.activity_id,
                                          self.session, launch_data)
        launched: dict[str, Any] = {
            "id": str(uuid.uuid4()), "actor": self.actor,
            "verb": {"id": ADL + "launched", "display": {"en-US": "launched"}},
            "object": {"objectType": "Activity", "id": self.activity_id},
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
            "context": {
                "registration": self.registration,
                "contextActivities": {"grouping": [{"objectType": "Activity", "id": publisher}],
                                      "category": [{"objectType": "Activity", "id": CMI5}]},
                "extensions": {SESSION: self.session,
                               "https://w3id.org/xapi/cmi5/context/extensions/launchmode": mode,
                               "https://w3id.org/xapi/cmi5/context/extensions/launchurl":
                                   f"{base_url}/pkg/{au_url}",
                               "https://w3id.org/xapi/cmi5/context/extensions/moveon":
                                   move_on}}}
        lrs.post([launched])
        self.fetch = endpoint.fetch_url(session=self.cmi5)
        query = {"endpoint": endpoint.endpoint, "fetch": self.fetch,
                 "actor": json.dumps(self.actor), "registration": self.registration,
                 "activityId": self.activity_id, "cb-debug": "1"}
        # cmi5 8.1: the LMS adds its parameters to the AU's url, which may have a query already
        self.url = (f"{base_url}/pkg/{au_url}{'&' if '?' in au_url else '?'}"
                    f"{urllib.parse.urlencode(query)}")


def au_statements(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the AU sent (everything but the LMS's launched), oldest first."""
    return [s for s in by_time(statements) if s["verb"]["id"] != ADL + "launched"]


def categories(statement: dict[str, Any]) -> set[str]:
    return {a["id"] for a in statement["context"].get("contextActivities", {}).get("category", [])}


def check_cmi5_rules(launch: Launch, statements: list[dict[str, Any]]) -> None:
    """The cmi5 rules every session must meet (Quartz 9.3-9.7)."""
    names = verbs(statements)
    assert names[0] == "initialized", names
    assert names[-1] == "terminated", names
    assert names.count("initialized") == 1 and names.count("terminated") == 1
    assert names.count("completed") <= 1 and names.count("passed") <= 1
    assert names.count("passed") + names.count("failed") <= 1
    for s in statements:
        verb = s["verb"]["id"].removeprefix(ADL)
        assert UUID4.match(s["id"])
        assert s["actor"]["account"] == launch.actor["account"]
        context = s["context"]
        assert context["registration"] == launch.registration
        assert context["extensions"][SESSION] == launch.session
        grouping = [a["id"] for a in context["contextActivities"]["grouping"]]
        assert launch.publisher in grouping  # the template's publisher id, kept
        assert COURSE_ID in grouping
        if verb in DEFINED:
            assert s["object"]["id"] == launch.activity_id
            expected = {CMI5, MOVEON} if verb in ("completed", "passed", "failed") else {CMI5}
            assert categories(s) == expected, (verb, categories(s))
        else:
            assert CMI5 not in categories(s)  # cmi5 "allowed" statements
        result = s.get("result", {})
        if verb == "initialized":
            assert result == {}
        if verb == "completed":
            assert result["completion"] is True and "duration" in result
            assert "score" not in result and "success" not in result
        if verb in ("passed", "failed"):
            assert result["success"] is (verb == "passed") and "duration" in result
            assert "completion" not in result
        if verb == "terminated":
            assert set(result) == {"duration"}


def statement_requests(endpoint: Any, launch: Launch) -> list[Any]:
    """The statement requests made with this launch's token, in the order they came in."""
    token = endpoint.session_token(launch.cmi5)
    return [r for r in endpoint.requests if r.path == "/xAPI/statements"
            and r.method in ("PUT", "POST") and r.headers.get("Authorization") == token]


def sent_verbs(request: Any) -> list[str]:
    body = request.json()
    return [s["verb"]["id"].removeprefix(ADL) for s in (body if isinstance(body, list) else [body])]


def check_order(endpoint: Any, launch: Launch) -> None:
    """Nothing of the session overtook anything: each statement request came in only after the
    one before it was answered, and every State save was answered before "terminated" came in."""
    token = endpoint.session_token(launch.cmi5)
    mine = [r for r in endpoint.requests if r.headers.get("Authorization") == token
            and r.path.startswith("/xAPI/") and r.method != "OPTIONS"]
    statements = [r for r in mine if r.path == "/xAPI/statements" and r.method != "GET"]
    for before, after in zip(statements, statements[1:], strict=False):
        assert before.answered < after.received, (sent_verbs(before), sent_verbs(after))
    ends = [r for r in statements if "terminated" in sent_verbs(r)]
    assert len(ends) <= 1
    for r in mine:
        if ends and r is not ends[0]:
            assert r.answered < ends[0].received, (r.method, r.path, r.params.get("stateId"))


def test_normal_launch_follows_the_cmi5_rules(page, cmi5_site, lms_endpoint, lrs):
    with h.serve(cmi5_site) as base_url:
        launch = Launch(lms_endpoint, lrs, base_url)
        learner = open_course(page, launch.url)
        assert page.evaluate("CB.diagnose().format") == "cmi5"
        walk_whole_course(learner, page, evaluation=False)
        wait_for_queue(page)
        learner.take_a_break()
        page.wait_for_url(launch.return_url)  # returnURL from LMS.LaunchData
    assert len(lms_endpoint.fetch_calls()) == 1
    assert lms_endpoint.refusals == []
    check_order(lms_endpoint, launch)
    stored = wait_for_statements(lrs, has_terminated, registration=launch.registration)
    mine = au_statements(stored)
    check_cmi5_rules(launch, mine)
    names = Counter(verbs(mine))
    assert names["completed"] == 1 and names["passed"] == 1 and names["failed"] == 0
    (passed,) = [s for s in mine if s["verb"]["id"] == ADL + "passed"]
    assert passed["result"]["score"]["scaled"] >= 0.8
    assert passed["context"]["extensions"][MASTERY] == 0.8
    assert invalid(stored) == {}
    # LMS.LaunchData was read, never written; the learner's preferences were read before any
    # statement (cmi5 11.0.0.0-3)
    assert not [r for r in lms_endpoint.requests if r.method in ("PUT", "POST", "DELETE")
                and r.params.get("stateId") == "LMS.LaunchData"]
    prefs = [r for r in lms_endpoint.requests if r.path == "/xAPI/agents/profile"]
    assert prefs and prefs[0].answered < statement_requests(lms_endpoint, launch)[0].received
    assert all(r.headers.get("X-Experience-API-Version") == "1.0.3"
               for r in lms_endpoint.requests
               if r.path.startswith("/xAPI/") and r.method != "OPTIONS")


def test_reload_after_the_session_ended_says_so_and_leads_back(page, cmi5_site, lms_endpoint,
                                                               lrs):
    """Reloading the page ends the session ("terminated" on pagehide); the LMS then refuses
    every request of it (8.1.2.0-2, LMS.LaunchData too). The reloaded page must say the session
    has ended and lead back to the LMS, not run a disconnected course from page 1."""
    with h.serve(cmi5_site) as base_url:
        launch = Launch(lms_endpoint, lrs, base_url)
        learner = open_course(page, launch.url)
        learner.walk_to(1)
        wait_for_queue(page)
        page.reload()
        heading = page.get_by_role("heading", name="This session has ended", level=1)
        heading.wait_for()
        assert page.evaluate("document.activeElement.id") == "cb-ended-title"
        assert page.locator(".cb-page[data-page]:not([hidden])").count() == 0
        back = page.get_by_role("link", name="Return to your learning management system")
        assert back.get_attribute("href") == launch.return_url
        assert not page.locator(".cb-connection").is_visible()
        assert h.run_axe(page.main_frame) == []
        assert lms_endpoint.refusals == []  # the ended session was not asked anything again
        back.click()
        page.wait_for_url(launch.return_url)

        # The LMS launches a new session: the learner carries on where they were.
        again = Launch(lms_endpoint, lrs, base_url, registration=launch.registration,
                       actor=launch.actor)
        learner = open_course(page, again.url)
        assert learner.page_index() == 1
        walk_whole_course(learner, page, evaluation=False)
        learner.take_a_break()
        page.wait_for_url(again.return_url)
    assert lms_endpoint.refusals == []
    check_order(lms_endpoint, launch)
    check_order(lms_endpoint, again)
    stored = wait_for_statements(
        lrs, lambda found: sum(s["verb"]["id"] == ADL + "terminated" for s in found) >= 2,
        registration=launch.registration)
    sessions = sessions_of(stored)
    assert set(sessions) == {launch.session, again.session}
    check_cmi5_rules(launch, sessions[launch.session])
    check_cmi5_rules(again, sessions[again.session])
    assert invalid(stored) == {}


def test_closing_the_window_ends_the_session_in_one_request(browser, cmi5_site, lms_endpoint,
                                                            lrs):
    """The learner closes the tab mid-course: what is left goes in one request, "terminated"
    last, after the last State save was answered; nothing is refused."""
    with h.serve(cmi5_site) as base_url:
        launch = Launch(lms_endpoint, lrs, base_url)
        context = h.new_guarded_context(browser)
        try:
            page = h.guard_page(context.new_page())
            learner = open_course(page, launch.url)
            learner.walk_to(2)
            learner.answer_single(SINGLE_RIGHT)
            wait_for_queue(page)
            page.close()
        finally:
            context.close()
        stored = wait_for_statements(lrs, has_terminated, registration=launch.registration)
    assert lms_endpoint.refusals == []
    check_order(lms_endpoint, launch)
    mine = au_statements(stored)
    check_cmi5_rules(launch, mine)
    state = lms_endpoint.state_document(launch.activity_id, launch.actor, "course_builder.state",
                                        launch.registration)
    assert state["location"] == "check/quiz-page"


@pytest.mark.parametrize("mode", ["Browse", "Review"])
def test_browse_and_review_record_nothing(page, cmi5_site, lms_endpoint, lrs, mode):
    """cmi5 10.2.2: no judgement in Browse or Review, and the course records nothing of the
    visit: only "initialized" and "terminated", no page or answer, no State save. The learner is
    told so, and can look at every page."""
    with h.serve(cmi5_site) as base_url:
        launch = Launch(lms_endpoint, lrs, base_url, mode=mode)
        learner = open_course(page, launch.url)
        banner = page.locator(".cb-mode[role=status]")
        assert banner.is_visible()
        assert f"{mode}: this visit is not recorded" in banner.inner_text()
        assert h.run_axe(page.main_frame) == []
        walk_whole_course(learner, page, evaluation=False)
        learner.take_a_break()
        page.wait_for_url(launch.return_url)
    stored = wait_for_statements(lrs, has_terminated, registration=launch.registration)
    mine = au_statements(stored)
    check_cmi5_rules(launch, mine)
    assert verbs(mine) == ["initialized", "terminated"]
    assert lms_endpoint.state_document(launch.activity_id, launch.actor,
                                       "course_builder.state", launch.registration) is None
    assert lms_endpoint.refusals == []
    assert invalid(stored) == {}


@pytest.mark.parametrize("mastery, verb", [(0.5, "passed"), (0.9, "failed")])
def test_mastery_score_from_the_lms_replaces_the_pass_mark(page, cmi5_site, lms_endpoint, lrs,
                                                           mastery, verb):
    """Two of three right is 66.67%: under the course's 80% pass mark, but the LMS decides."""
    with h.serve(cmi5_site) as base_url:
        launch = Launch(lms_endpoint, lrs, base_url, mastery=mastery)
        learner = open_course(page, launch.url)
        # the LMS's pass mark is the session's; the course's own rules are left as built
        assert page.evaluate(
            "[CB.debug.tracker.passMark, CB.debug.tracker.course.rules.passMark]") == [
            mastery * 100, 80]
        walk_whole_course(learner, page, right=False, evaluation=False)
        learner.take_a_break()
        page.wait_for_url(launch.return_url)
    stored = wait_for_statements(lrs, has_terminated, registration=launch.registration)
    mine = au_statements(stored)
    check_cmi5_rules(launch, mine)
    # "failed" is owed at the end of the session: it is stored, and answered, before
    # "terminated" is sent, and its duration is not longer than the session's
    assert lms_endpoint.refusals == []
    check_order(lms_endpoint, launch)
    (judged,) = [s for s in mine if s["verb"]["id"] in (ADL + "passed", ADL + "failed")]
    assert judged["verb"]["id"] == ADL + verb
    assert judged["result"]["score"] == {"scaled": 0.6667, "raw": 66.67, "min": 0, "max": 100}
    assert judged["context"]["extensions"][MASTERY] == mastery
    durations = [h.time_to_seconds(s["result"]["duration"], "2004") for s in mine
                 if "duration" in s.get("result", {}) and s["verb"]["id"] != ADL + "answered"]
    assert durations == sorted(durations), durations  # the session's clock never goes back
    assert invalid(stored) == {}


def test_failed_then_passed_in_one_session_sends_only_passed(page, cmi5_site, lms_endpoint, lrs):
    """cmi5 9.10: at most one of passed/failed per session; a later pass wins."""
    with h.serve(cmi5_site) as base_url:
        launch = Launch(lms_endpoint, lrs, base_url, mastery=0.8)
        learner = open_course(page, launch.url)
        learner.walk_to(2)
        learner.answer_single(SINGLE_WRONG)
        learner.answer_multiple(MULTIPLE_RIGHT)
        learner.answer_true_false(False)
        page.get_by_role("button", name="Try again").click()
        learner.answer_single(SINGLE_RIGHT)
        learner.answer_multiple(MULTIPLE_RIGHT)
        learner.answer_true_false(False)
        learner.walk_to(4)
        learner.take_a_break()
        page.wait_for_url(launch.return_url)
    stored = wait_for_statements(lrs, has_terminated, registration=launch.registration)
    mine = au_statements(stored)
    check_cmi5_rules(launch, mine)
    names = verbs(mine)
    assert "passed" in names and "failed" not in names
    assert lms_endpoint.refusals == []


def test_second_session_sends_no_second_completed(page, cmi5_site, lms_endpoint, lrs):
    """completed and passed come once per registration, even over several sessions."""
    with h.serve(cmi5_site) as base_url:
        launch = Launch(lms_endpoint, lrs, base_url)
        learner = open_course(page, launch.url)
        walk_whole_course(learner, page, evaluation=False)
        learner.take_a_break()
        page.wait_for_url(launch.return_url)
        again = Launch(lms_endpoint, lrs, base_url, registration=launch.registration,
                       actor=launch.actor)
        learner = open_course(page, again.url)
        learner.walk_to(4)
        learner.take_a_break()
        page.wait_for_url(again.return_url)
    stored = wait_for_statements(
        lrs, lambda found: sum(s["verb"]["id"] == ADL + "terminated" for s in found) >= 2,
        registration=launch.registration)
    names = Counter(verbs(au_statements(stored)))
    assert names["completed"] == 1 and names["passed"] == 1 and names["initialized"] == 2
    assert lms_endpoint.refusals == []
    assert invalid(stored) == {}


def test_second_fetch_is_refused_and_the_course_says_so(page, cmi5_site, lms_endpoint, lrs):
    """A fetch URL used already (e.g. the launch link opened in a new tab) gives no token: the
    course runs unconnected rather than sending statements it cannot authenticate."""
    with h.serve(cmi5_site) as base_url:
        launch = Launch(lms_endpoint, lrs, base_url)
        # somebody else used the fetch URL first
        page.request.post(launch.fetch)
        open_course(page, launch.url)
        assert page.evaluate("CB.diagnose().format") == "none"
        assert page.locator(".cb-connection").is_visible()
        log = page.evaluate("CB.diagnose().log")
    assert any("error-code 1" in line for line in log), log


# --------------------------------------------------------------------------- one AU per module

AU_BASICS = f"{COURSE_ID}/au/basics"
AU_CHECK = f"{COURSE_ID}/au/check"
# Records every synchronous XMLHttpRequest the page opens (there must be none).
SYNC_XHR_PROBE = """(() => {
    window.__syncXhr = [];
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (method, url, async) {
        if (async === false) window.__syncXhr.push(method + " " + url);
        return open.apply(this, arguments);
    };
})();"""
_module_site: dict[str, Path] = {}


@pytest.fixture(scope="module")
def module_au_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tracking course (basics: 2 pages, no score; check: quiz and end page) built as cmi5
    with one AU per module."""
    if not _module_site:
        work = tmp_path_factory.mktemp("cmi5-au-per-module")
        source = work / "course"
        shutil.copytree(TRACKING_ROOT, source)
        with (source / "course.yaml").open("a", encoding="utf-8") as config:
            config.write("cmi5:\n  au_per_module: true\n")
        (result,) = build(source, work / "dist", ["cmi5"]).packages
        site = h.make_site(work / "site", result[1])
        (site / "returned.html").write_text("<!DOCTYPE html><title>LMS</title><h1>Back in "
                                            "the LMS</h1>", encoding="utf-8")
        _module_site["site"] = site
    return _module_site["site"]


def sessions_of(statements: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The AU's statements by cmi5 session id, oldest first."""
    out: dict[str, list[dict[str, Any]]] = {}
    for s in au_statements(statements):
        out.setdefault(s["context"]["extensions"][SESSION], []).append(s)
    return out


def menu_hidden(page: Any, index: int) -> bool:
    return page.evaluate(f"document.querySelector('[data-goto=\"{index}\"]').parentNode.hidden")


def test_one_au_per_module_tracks_each_module_on_its_own(page, module_au_site, lms_endpoint,
                                                         lrs):
    page.add_init_script(SYNC_XHR_PROBE)
    with h.serve(module_au_site) as base_url:
        check = Launch(lms_endpoint, lrs, base_url, publisher=AU_CHECK,
                       au_url="index.html?module=check")
        learner = open_course(page, check.url)
        assert page.evaluate("CB.diagnose().format") == "cmi5"
        # only the module's pages: it starts on its first, and the contents list only its own
        assert page.evaluate("CB.debug.tracker.scopePages") == [2, 3]
        assert learner.page_index() == 2 and learner.progress() == "Page 1 of 2"
        assert [menu_hidden(page, i) for i in range(4)] == [True, True, False, False]
        assert page.get_by_role("button", name="Previous", exact=True).is_disabled()
        learner.answer_all()
        wait_for_queue(page)
        so_far = verbs(au_statements(wait_for_statements(
            lrs, lambda found: ADL + "passed" in {s["verb"]["id"] for s in found},
            registration=check.registration)))
        # passed on the quiz; not completed until the module's last page is seen
        assert "passed" in so_far and "completed" not in so_far
        learner.next()
        assert learner.progress() == "Page 2 of 2"
        assert page.get_by_role("button", name="Next", exact=True).is_disabled()
        wait_for_queue(page)
        assert page.evaluate("window.__syncXhr") == []
        learner.take_a_break()
        page.wait_for_url(check.return_url)
        after_check = wait_for_statements(lrs, has_terminated, registration=check.registration)

        # The same learner and registration, the other module's AU: its own state and pages.
        basics = Launch(lms_endpoint, lrs, base_url, mastery=None, move_on="Completed",
                        registration=check.registration, actor=check.actor,
                        publisher=AU_BASICS, au_url="index.html?module=basics")
        learner = open_course(page, basics.url)
        assert page.evaluate("CB.debug.tracker.scopePages") == [0, 1]
        assert learner.page_index() == 0 and learner.progress() == "Page 1 of 2"
        assert page.evaluate("CB.debug.tracker.resumed") is False  # check's progress is not its own
        assert page.evaluate("CB.debug.tracker.adapter.moveOn") == "Completed"
        learner.next()
        wait_for_queue(page)
        assert page.evaluate("window.__syncXhr") == []
        learner.take_a_break()
        page.wait_for_url(basics.return_url)
    stored = wait_for_statements(
        lrs, lambda found: sum(s["verb"]["id"] == ADL + "terminated" for s in found) >= 2,
        registration=check.registration)
    sessions = sessions_of(stored)
    assert set(sessions) == {check.session, basics.session}
    assert lms_endpoint.refusals == []
    check_order(lms_endpoint, check)
    check_order(lms_endpoint, basics)
    check_cmi5_rules(check, sessions[check.session])
    check_cmi5_rules(basics, sessions[basics.session])

    mine = sessions[check.session]
    assert Counter(verbs(mine)) == Counter({"initialized": 1, "experienced": 2, "answered": 3,
                                            "passed": 1, "completed": 1, "terminated": 1})
    assert [s["object"]["id"] for s in mine if s["verb"]["id"] == ADL + "experienced"] == [
        f"{COURSE_ID}/page/check/quiz-page", f"{COURSE_ID}/page/check/finish"]
    (passed,) = [s for s in mine if s["verb"]["id"] == ADL + "passed"]
    assert passed["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    assert passed["context"]["extensions"][MASTERY] == 0.8
    assert all(s["object"]["id"] == check.activity_id for s in mine
               if s["verb"]["id"].removeprefix(ADL) in DEFINED)

    mine = sessions[basics.session]
    assert Counter(verbs(mine)) == Counter({"initialized": 1, "experienced": 2, "completed": 1,
                                            "terminated": 1})
    assert [s["object"]["id"] for s in mine if s["verb"]["id"] == ADL + "experienced"] == [
        f"{COURSE_ID}/page/basics/welcome", f"{COURSE_ID}/page/basics/listening"]
    assert invalid(stored) == {}

    # Each AU kept its own State document, under its own activity id.
    state = lms_endpoint.state_document(check.activity_id, check.actor, "course_builder.state",
                                        check.registration)
    assert (state["completion"], state["success"], state["location"]) == (
        "completed", "passed", "check/finish")
    state = lms_endpoint.state_document(basics.activity_id, basics.actor,
                                        "course_builder.state", basics.registration)
    assert (state["completion"], state["success"], state["location"]) == (
        "completed", None, "basics/listening")

    # The report counts the course completed only once every module's AU is.
    def learner_row(statements: list[dict[str, Any]]) -> Any:
        data = Aggregator(COURSE_ID, units=["basics", "check"])
        for s in statements:
            data.add(s)
        (person,) = data.learners.values()
        return person

    person = learner_row(after_check)
    assert (person.completed, person.result) == (None, "")
    assert person.units["check"].result == "passed"
    person = learner_row(stored)
    (basics_completed,) = [s for s in sessions[basics.session]
                           if s["verb"]["id"] == ADL + "completed"]
    assert person.completed == parse_timestamp(basics_completed["timestamp"])
    assert (person.result, person.best_scaled) == ("passed", 1.0)
