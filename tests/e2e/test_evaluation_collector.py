"""Anonymous evaluations reach the course owner's collector from every package, and nothing else.

Real parts only: headless Chromium; scorm-again as the SCORM LMS (tests/e2e/lms); the tests' cmi5
and Tin Can LMS (tests/lrs/state_server.py) in front of the learners' Ralph; and, as the course
owner's collector, a second, separate Ralph with its own scope checks on, written to with the
write-only key published in the package (tests/lrs/collector.py).

For each format (SCORM 1.2, SCORM 2004, Tin Can, cmi5, and the web build with no LMS at all, the
runtime's "none" adapter) a learner submits the form and the test checks what arrived at the
collector (one submission, anonymous, exactly once) and that the LMS or learner LRS holds no
answer. Then:
a collector that cannot be reached (the batch waits in the browser and arrives, once, on the next
launch), an answer lost on the way back (the resent batch is stored once), and the random delay
(nothing at the instant of Submit; everything when the learner leaves).
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import functools
import json
import shutil
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Error as PlaywrightError

from course_builder.cli import main
from course_builder.commands.build import build
from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h
from tests.e2e.test_cmi5 import Launch
from tests.e2e.test_xapi import (
    COURSE_ID,
    TRACKING_ROOT,
    UUID4,
    learner_actor,
    open_course,
    tincan_url,
    wait_for_queue,
)
from tests.lrs import collector as _collector
from tests.lrs import ralph as _ralph
from tests.lrs import state_server as _state_server
from tests.lrs.validate import invalid

collector = _collector.collector
lrs = _ralph.lrs
lms_endpoint = _state_server.lms_endpoint

FORM_KEY = "course-evaluation"
FEEDBACK_PAGE = 4
FREE_TEXT = "The stories changed how I listen to people."
ANSWERS = {  # item id -> response the collector should receive
    f"{FORM_KEY}-confidence": "c",
    f"{FORM_KEY}-overall": "4",
    f"{FORM_KEY}-recommend": "a",
    f"{FORM_KEY}-most-useful": FREE_TEXT,
}
ANONYMOUS_IDS = tuple(ANSWERS) + (f"{FORM_KEY}-unused",)
HOME_PAGE = "https://example.org"
NOTHING_QUEUED = ("() => !Object.keys(localStorage).some("
                  "k => k.startsWith('course_builder:evaluations:'))")
WRITER_AGENT = _collector.USERS[0]["agent"]

FEEDBACK = """\
title: Feedback
pages:
  - id: tell-us
    title: Tell us what you think
    blocks:
      - type: evaluation
        id: course-evaluation
        required: true
        items:
          - id: confidence
            kind: likert
            prompt: I feel more confident after this course.
            scale: [Not at all, A little, A lot]
          - id: overall
            kind: rating
            prompt: Overall, how would you rate this course?
          - id: recommend
            kind: recommend
          - id: most-useful
            kind: text
            prompt: What was most useful?
          - id: unused
            kind: text
            prompt: Anything else?
"""

_sites: dict[tuple[int, int], dict[str, Path]] = {}


def sites(tmp_path_factory: pytest.TempPathFactory, owner: Any, delay: int = 0) -> dict[str, Path]:
    """The tracking course plus a required anonymous form whose answers go to ``owner`` (the
    collector Ralph), built for every format and unzipped, once per delay."""
    key = (owner.port, delay)
    if key not in _sites:
        work = tmp_path_factory.mktemp(f"collector-course-{delay}")
        source = work / "course"
        shutil.copytree(TRACKING_ROOT, source)
        config = (source / "course.yaml").read_text(encoding="utf-8")
        config = config.replace("  - check\n", "  - check\n  - feedback\n")
        config = config.replace("completion:\n  pages: all\n",
                                "completion:\n  pages: all\n  require: [course-evaluation]\n")
        config += (f"organisation: Example Training Charity\n"
                   f"evaluation:\n  collector:\n    endpoint: {owner.endpoint}\n"
                   f"    username: {_collector.WRITER[0]}\n"
                   f"    write_only_key: {_collector.WRITER[1]}\n"
                   f"    write_only: true\n    random_delay_seconds: {delay}\n")
        (source / "course.yaml").write_text(config, encoding="utf-8")
        (source / "modules" / "feedback").mkdir()
        (source / "modules" / "feedback" / "module.yaml").write_text(FEEDBACK, encoding="utf-8")
        result = build(source, work / "dist", ["scorm12", "scorm2004", "xapi", "cmi5", "web"],
                       strict=True)
        _sites[key] = {"course": source}
        for name, path, _ in result.packages:
            site = h.make_site(work / f"site-{name}", path)
            (site / "returned.html").write_text("<!DOCTYPE html><title>LMS</title><h1>Back in "
                                                "the LMS</h1>", encoding="utf-8")
            _sites[key][name] = site
    return _sites[key]


@contextlib.contextmanager
def serve_on(root: Path, port: int) -> Iterator[h.BaseURL]:
    """tests/e2e/harness.py's ``serve`` on a chosen port: the collector (Ralph 5.1) answers CORS
    only for the course origin it was started with (``collector.course_port``)."""
    root = root.resolve()
    h.link_lms(root)
    log: list[dict[str, Any]] = []
    handler = functools.partial(h._Handler, directory=str(root), log=log,
                                moodle=h.MoodleLMS())
    server = h._Server(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-http", daemon=True)
    thread.start()
    base = h.BaseURL(f"http://127.0.0.1:{port}")
    base.requests = log
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def record_requests(page: Any) -> list[tuple[str, str]]:
    """Every request the page or its frames make, as (method, URL), from now on."""
    seen: list[tuple[str, str]] = []
    page.on("request", lambda r: seen.append((r.method, r.url)))
    return seen


LMS_SENTENCE = "Your organisation's learning system records only that you sent the form."
NO_LMS_SENTENCE = "No learning system records this visit: only this browser remembers"


def notice(frame: Any) -> str:
    """What the form's notice says, as shown (hidden parts left out)."""
    return frame.locator(".cb-evaluation__notice").inner_text()


def fill_and_submit(frame: Any) -> None:
    form = frame.locator(".cb-evaluation")
    form.get_by_role("radio", name="A lot", exact=True).check()
    form.get_by_role("group", name="Overall").get_by_role("radio", name="4", exact=True).check()
    form.get_by_role("radio", name="Yes", exact=True).check()
    form.get_by_role("textbox", name="What was most useful?").fill(FREE_TEXT)
    form.get_by_role("button", name="Submit", exact=True).click()
    form.locator(".cb-evaluation__thanks").get_by_text("on their way to Example Training "
                                                        "Charity").wait_for()


def wait_for_collector(owner: Any, count: int, page: Any, timeout: float = 20.0,
                       frame: Any = None) -> list[dict[str, Any]]:
    """The collector's statements once there are ``count`` (or at the timeout). Waits with
    ``page.wait_for_timeout``: sync Playwright runs a test's request routes (``page.route``)
    only while the test is inside a Playwright call, so a plain sleep would hold a routed
    request. With ``frame``, a shortfall fails with the course's collector log and queue."""
    deadline = time.monotonic() + timeout
    while True:
        found = owner.statements()
        if len(found) >= count or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    if frame is not None and len(found) < count:
        log = frame.evaluate("() => CB.diagnose().collector")
        raise AssertionError(f"{len(found)} of {count} statements at the collector; the "
                             f"course's collector log: {log}; queued: {queued(frame)}")
    return found


def queued(frame: Any) -> list[Any]:
    """The batches waiting in this browser's localStorage for the collector."""
    return frame.evaluate("""() => {
        const key = Object.keys(localStorage)
            .find(k => k.startsWith('course_builder:evaluations:'));
        return key ? JSON.parse(localStorage.getItem(key)) : [];
    }""")


def check_arrived(stored: list[dict[str, Any]], *secrets: str) -> dict[str, Any]:
    """One anonymous submission, exactly once: returns one statement, for the report."""
    assert len(stored) == len(ANSWERS), [s["object"]["id"] for s in stored]
    ids = [s["id"] for s in stored]
    assert len(set(ids)) == len(ids) and all(UUID4.match(i) for i in ids)
    responses = {s["object"]["id"].rsplit("/", 1)[1]: s["result"]["response"] for s in stored}
    assert responses == ANSWERS
    actors = {json.dumps(s["actor"], sort_keys=True) for s in stored}
    assert len(actors) == 1  # one submission, one made-up actor
    actor = stored[0]["actor"]
    assert set(actor) == {"objectType", "account"} and actor["objectType"] == "Agent"
    assert actor["account"]["homePage"] == HOME_PAGE and UUID4.match(actor["account"]["name"])
    today = datetime.datetime.now(datetime.timezone.utc).date()
    days = {str(today), str(today - datetime.timedelta(days=1))}
    for s in stored:
        assert s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
        assert set(s["result"]) == {"response"}
        # Nothing from the launch, the LMS or the learner: no registration, session, instructor,
        # team, platform, statement reference or extension; the course as grouping only.
        assert set(s["context"]) == {"revision", "language", "contextActivities"}, s["context"]
        assert s["context"]["revision"] == "1.0.0" and s["context"]["language"] == "en-GB"
        assert s["context"]["contextActivities"] == {"grouping": [{
            "objectType": "Activity", "id": COURSE_ID,
            "definition": {"type": "http://adlnet.gov/expapi/activities/course",
                           "name": {"en-GB": "Tracking test course"}}}]}
        assert s["timestamp"][:10] in days and s["timestamp"][10:].startswith("T00:00:00")
        # Written with the published write-only key: the collector's own account, no learner.
        assert s["authority"]["mbox"] == WRITER_AGENT["mbox"]
        assert not set(s) - {"id", "actor", "verb", "object", "result", "context", "timestamp",
                             "stored", "authority", "version"}
    text = json.dumps(stored)
    for secret in secrets:
        assert secret not in text
    assert invalid(stored) == {}
    return stored[0]


def outside_requests(seen: list[tuple[str, str]], own: str) -> list[tuple[str, str]]:
    """Requests to anywhere but the course's own site, CORS preflights (OPTIONS, which the
    browser makes by itself and may cache) left out."""
    return [(m, u) for m, u in seen if not u.startswith(own + "/") and m != "OPTIONS"]


def lms_holds_no_answer(recorded_calls: list[dict[str, Any]]) -> None:
    """The SCORM LMS record: only "<form>-submitted", never an answer or an answered item."""
    sent = json.dumps(recorded_calls)
    assert FREE_TEXT not in sent
    for iid in ANONYMOUS_IDS:
        assert iid not in sent
    ids = [c["args"][1] for c in recorded_calls
           if c["method"] in ("LMSSetValue", "SetValue") and c["args"][0].endswith(".id")
           and c["args"][0].startswith("cmi.interactions.")]
    assert [i for i in ids if i.startswith(FORM_KEY)] == [f"{FORM_KEY}-submitted"]


# --------------------------------------------------------------------------- the collector


def test_the_published_key_can_write_but_ralph_refuses_it_any_read(collector):
    """Ralph's own scope check, not our code: the account whose key goes into packages may
    store statements and read nothing, not even what it wrote."""
    writer = collector.as_user(*_collector.WRITER)
    reader = collector.as_user(*_collector.READER)
    collector.clear()
    statement = {"id": str(uuid.uuid4()),
                 "actor": {"objectType": "Agent",
                           "account": {"homePage": HOME_PAGE, "name": str(uuid.uuid4())}},
                 "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                 "object": {"objectType": "Activity", "id": f"{COURSE_ID}/question/x"},
                 "result": {"response": "a"}, "timestamp": "2026-12-01T00:00:00.000Z"}
    assert writer.put(statement) == 204
    for path in ("statements", f"statements?statementId={statement['id']}",
                 "statements?" + urllib.parse.urlencode({"agent": json.dumps(statement["actor"])})):
        status, _, body = writer.request("GET", path)
        assert status == 401, (path, status)
        assert json.loads(body) == {
            "detail": 'Access not authorized to scope: "statements/read/mine".'}
    # The owner's report key reads everything and writes nothing.
    assert [s["id"] for s in reader.statements()] == [statement["id"]]
    status, _, body = reader.request("POST", "statements", dict(statement, id=str(uuid.uuid4())))
    assert status == 401 and b"statements/write" in body


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_scorm_learner_submits_and_only_the_collector_gets_the_answers(
        page, tmp_path_factory, collector, fmt):
    site = sites(tmp_path_factory, collector)[fmt]
    version = cf.LMS_VERSION[fmt]
    collector.clear()
    seen = record_requests(page)
    with serve_on(site, collector.course_port) as base_url:
        learner = cf.start(page, base_url, version)
        learner.walk_to(FEEDBACK_PAGE)
        said = notice(learner.frame)
        fill_and_submit(learner.frame)
        stored = wait_for_collector(collector, len(ANSWERS), page, frame=learner.frame)
        cf.end_session(page, version)
        recorded = h.calls(page)
        data = h.cmi(page)
    example = check_arrived(stored, "student", "learner")
    assert "Your answers go to Example Training Charity without your name" in said
    assert LMS_SENTENCE in said and NO_LMS_SENTENCE not in said
    lms_holds_no_answer(recorded)
    # The form counts for completion, and it is all the LMS hears of it.
    if version == "1.2":
        assert data["cmi"]["core"]["lesson_status"] in ("completed", "incomplete", "failed")
    # One submission, one request, to the collector only.
    assert outside_requests(seen, base_url) == [("POST", collector.endpoint + "statements")]
    print(f"\n{fmt} statement at the collector:\n" + json.dumps(example, indent=2))


def test_web_build_without_lms_still_delivers(page, tmp_path_factory, collector):
    """The web build (the runtime's "none" adapter: no LMS at all)."""
    site = sites(tmp_path_factory, collector)["web"]
    collector.clear()
    seen = record_requests(page)
    with serve_on(site, collector.course_port) as base_url:
        page.goto(f"{base_url}/pkg/index.html")
        learner = cf.Learner(page.main_frame)
        learner.heading().wait_for(state="visible")
        assert page.evaluate("CB.diagnose().connected") is False  # the "none" adapter
        learner.walk_to(FEEDBACK_PAGE)
        said = notice(page.main_frame)
        assert NO_LMS_SENTENCE in said and LMS_SENTENCE not in said
        fill_and_submit(page.main_frame)
        stored = wait_for_collector(collector, len(ANSWERS), page, frame=page.main_frame)
        page.wait_for_function(NOTHING_QUEUED)
        kept = page.evaluate("() => JSON.stringify(localStorage)")
    check_arrived(stored)
    assert FREE_TEXT not in kept  # delivered: nothing left in the browser
    assert outside_requests(seen, base_url) == [("POST", collector.endpoint + "statements")]


def test_tin_can_learner_lrs_gets_only_submitted(page, tmp_path_factory, collector, lrs,
                                                 lms_endpoint):
    site = sites(tmp_path_factory, collector)["xapi"]
    collector.clear()
    actor, registration = learner_actor("eval-learner"), str(uuid.uuid4())
    seen = record_requests(page)
    with serve_on(site, collector.course_port) as base_url:
        learner = open_course(page, tincan_url(base_url, lms_endpoint, actor, registration))
        learner.walk_to(FEEDBACK_PAGE)
        fill_and_submit(page.main_frame)
        stored = wait_for_collector(collector, len(ANSWERS), page, frame=page.main_frame)
        learner.take_a_break()
        wait_for_queue(page)
    example = check_arrived(stored, "eval-learner", "Test Learner", registration)
    own = lrs.statements(registration=registration)
    answered = [s["object"]["id"].rsplit("/", 1)[1] for s in own
                if s["verb"]["id"].endswith("/answered")]
    assert f"{FORM_KEY}-submitted" in answered
    assert not [a for a in answered if a in ANONYMOUS_IDS]
    assert FREE_TEXT not in json.dumps(lrs.statements())
    assert not [r for r in lms_endpoint.requests if FREE_TEXT.encode() in r.body]
    others = {u.split("/xAPI/")[0] for _, u in outside_requests(seen, base_url)}
    assert others == {lms_endpoint.root, collector.root}
    print("\nxapi statement at the collector:\n" + json.dumps(example, indent=2))


def test_cmi5_nothing_anonymous_goes_through_the_au_session(page, tmp_path_factory, collector,
                                                            lrs, lms_endpoint):
    """cmi5 8.1.3.0-3: every request to the LMS's endpoint uses the launch actor; the answers
    leave by the collector, outside the AU's session."""
    site = sites(tmp_path_factory, collector)["cmi5"]
    collector.clear()
    with serve_on(site, collector.course_port) as base_url:
        launch = Launch(lms_endpoint, lrs, base_url)
        learner = open_course(page, launch.url)
        learner.walk_to(FEEDBACK_PAGE)
        fill_and_submit(page.main_frame)
        stored = wait_for_collector(collector, len(ANSWERS), page, frame=page.main_frame)
        learner.take_a_break()
        page.wait_for_url(launch.return_url)
    check_arrived(stored, launch.registration, launch.session, launch.actor["account"]["name"])
    sent = [r for r in lms_endpoint.requests
            if r.path.endswith("/statements") and r.method in ("PUT", "POST")]
    assert sent
    for request in sent:
        body = json.loads(request.body)
        for statement in body if isinstance(body, list) else [body]:
            assert statement["actor"] == launch.actor
            assert statement["object"]["id"].rsplit("/", 1)[-1] not in ANONYMOUS_IDS
    assert not [r for r in lms_endpoint.requests if FREE_TEXT.encode() in r.body]


def test_review_visit_sends_no_second_submission(page, tmp_path_factory, collector):
    """Moodle relaunches a finished SCORM 2004 attempt with cmi.mode=review and empty saved
    progress: the form must not be sent again from such a visit, and says so."""
    site = sites(tmp_path_factory, collector)["scorm2004"]
    collector.clear()
    seen = record_requests(page)
    with serve_on(site, collector.course_port) as base_url:
        learner = cf.start(page, base_url, "2004", lms_cmi={"cmi.mode": "review",
                                                          "cmi.credit": "no-credit"})
        learner.walk_to(FEEDBACK_PAGE)
        form = learner.frame.locator(".cb-evaluation")
        form.locator(".cb-evaluation__thanks").get_by_text(
            "This visit is not recorded, so this form cannot be sent now.").wait_for()
        assert not form.get_by_role("button", name="Submit").is_visible()
        assert queued(learner.frame) == []
        cf.end_session(page, "2004")
    assert outside_requests(seen, base_url) == []
    assert collector.statements() == []


# --------------------------------------------------------------------------- bad days


def test_collector_unreachable_then_relaunch_delivers_once(page, tmp_path_factory, collector):
    site = sites(tmp_path_factory, collector)["scorm12"]
    collector.clear()
    statements_url = collector.endpoint + "statements"
    with serve_on(site, collector.course_port) as base_url:
        page.route(statements_url, lambda route: route.abort("connectionrefused"))
        learner = cf.start(page, base_url, "1.2")
        learner.walk_to(FEEDBACK_PAGE)
        fill_and_submit(learner.frame)
        learner.frame.wait_for_function(
            "() => CB.diagnose().collector.some(l => l.includes('no answer'))")
        [batch] = queued(learner.frame)
        assert len(batch["statements"]) == len(ANSWERS) and batch["tries"] == 1
        cf.end_session(page, "1.2")  # leaving while the collector is still down
        state = h.saved_state_from(h.cmi(page), "1.2")
        assert wait_for_collector(collector, 1, page, timeout=1.0) == []
        page.unroute(statements_url)
        # The next launch, in the same browser: the waiting batch goes, and goes once.
        again = cf.start(page, base_url, "1.2", state)
        stored = wait_for_collector(collector, len(ANSWERS), page)
        again.frame.wait_for_function(
            NOTHING_QUEUED)
        again.walk_to(FEEDBACK_PAGE)
        assert "You have already submitted this form" in again.frame.locator(
            ".cb-evaluation__thanks").inner_text()
        cf.end_session(page, "1.2")
    check_arrived(stored)
    assert [s["id"] for s in collector.statements()] == [s["id"] for s in stored]


def test_answer_lost_on_the_way_back_is_stored_once(page, tmp_path_factory, collector):
    """The collector stores the batch but its answer never reaches the browser: the batch is
    sent again on the next launch, with the same statement ids, and stored once."""
    site = sites(tmp_path_factory, collector)["scorm2004"]
    collector.clear()
    statements_url = collector.endpoint + "statements"
    delivered: list[int] = []

    def lose_the_answer(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        delivered.append(route.fetch().status)  # reaches Ralph...
        with contextlib.suppress(PlaywrightError):  # (a resend on pagehide: the page is gone)
            route.abort("connectionreset")          # ...but the browser hears nothing

    with serve_on(site, collector.course_port) as base_url:
        page.route(statements_url, lose_the_answer)
        learner = cf.start(page, base_url, "2004")
        learner.walk_to(FEEDBACK_PAGE)
        fill_and_submit(learner.frame)
        learner.frame.wait_for_function(
            "() => CB.diagnose().collector.some(l => l.includes('no answer'))")
        first = wait_for_collector(collector, len(ANSWERS), page)
        cf.end_session(page, "2004")
        state = h.saved_state_from(h.cmi(page), "2004")
        page.unroute(statements_url)
        again = cf.start(page, base_url, "2004", state)
        again.frame.wait_for_function(
            NOTHING_QUEUED)
        cf.end_session(page, "2004")
    assert delivered[0] == 200  # the first attempt was stored; later ones stored nothing new
    stored = collector.statements()
    check_arrived(stored)
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in first)


def test_random_delay_sends_nothing_at_submit_and_everything_on_leaving(
        page, tmp_path_factory, collector):
    site = sites(tmp_path_factory, collector, delay=3600)["scorm12"]
    collector.clear()
    seen = record_requests(page)
    with serve_on(site, collector.course_port) as base_url:
        learner = cf.start(page, base_url, "1.2")
        learner.walk_to(FEEDBACK_PAGE)
        fill_and_submit(learner.frame)
        [batch] = queued(learner.frame)
        assert batch["due"] > batch["made"]  # due at a random moment within the hour
        assert wait_for_collector(collector, 1, page, timeout=1.0) == []
        assert outside_requests(seen, base_url) == []
        cf.end_session(page, "1.2")  # the LMS closes the course: it leaves now, with keepalive
        stored = wait_for_collector(collector, len(ANSWERS), page)
    check_arrived(stored)
    assert outside_requests(seen, base_url) == [("POST", collector.endpoint + "statements")]
    assert not [u for _, u in seen if not h.is_loopback(u)]


def test_five_learners_in_five_packages_and_the_owners_report(
        browser, tmp_path_factory, tmp_path, collector, lrs, lms_endpoint, monkeypatch):
    """Done when: a learner in any package submits, and the owner's report shows the answers
    (from five, the fewest it shows), with nothing that links them to a learner."""
    built = sites(tmp_path_factory, collector)
    collector.clear()

    def in_lms(page: Any, base_url: str, fmt: str) -> Any:
        return cf.start(page, base_url, cf.LMS_VERSION[fmt]).frame

    def tin_can(page: Any, base_url: str, fmt: str) -> Any:
        actor = learner_actor(f"five-{uuid.uuid4().hex[:6]}")
        open_course(page, tincan_url(base_url, lms_endpoint, actor, str(uuid.uuid4())))
        return page.main_frame

    def cmi5(page: Any, base_url: str, fmt: str) -> Any:
        open_course(page, Launch(lms_endpoint, lrs, base_url).url)
        return page.main_frame

    def no_lms(page: Any, base_url: str, fmt: str) -> Any:
        page.goto(f"{base_url}/pkg/index.html")
        return page.main_frame

    for number, (fmt, launch) in enumerate((("scorm12", in_lms), ("scorm2004", in_lms),
                                            ("xapi", tin_can), ("cmi5", cmi5),
                                            ("web", no_lms)), start=1):
        context = h.new_guarded_context(browser)
        try:
            page = h.guard_page(context.new_page())
            with serve_on(built[fmt], collector.course_port) as base_url:
                frame = launch(page, base_url, fmt)
                learner = cf.Learner(frame)
                learner.heading().wait_for(state="visible")
                learner.walk_to(FEEDBACK_PAGE)
                fill_and_submit(frame)
                wait_for_collector(collector, number * len(ANSWERS), page, frame=frame)
        finally:
            context.close()

    monkeypatch.setenv("COURSE_BUILDER_COLLECTOR_USERNAME", _collector.READER[0])
    monkeypatch.setenv("COURSE_BUILDER_COLLECTOR_PASSWORD", _collector.READER[1])
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["report", str(built["course"]), "--collector",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 responses, 0 statements left out." in result.output
    with (out / "evaluation.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [r[:6] for r in csv.reader(handle)]
    assert ["course-evaluation-confidence", "I feel more confident after this course.",
            "likert", "A lot", "5", "100"] in rows
    assert ["course-evaluation-overall", "Overall, how would you rate this course?", "numeric",
            "4", "5", "100"] in rows
    assert ["course-evaluation-most-useful", "What was most useful?", "long-fill-in",
            FREE_TEXT, "5", "100"] in rows
    page_html = (out / "report.html").read_text(encoding="utf-8")
    assert "5</strong> responses" in page_html and FREE_TEXT in page_html
