"""Build the browser tests' course (tests/roots/tracking) once per session, per format.

Import the fixtures into a test module (``from tests.e2e.course_fixtures import ...``). The build
and the unzipped sites are cached for the whole session in a module-level cache, so a format is
built and unzipped once however many test modules import these fixtures.

The tracking course: 4 pages in 2 modules (basics/welcome, basics/listening, check/quiz-page,
check/finish), completion ``pages: all``, ``passing.pass_mark: 80``, and one scored quiz
``check-quiz`` on page 3 with three questions:

    q-single      single choice, options a b c, right answer a
    q-multiple    multiple choice, options a b c, right answers a and c
    q-true-false  true/false, right answer false
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from course_builder.model import Course
from tests.e2e import harness as h

REPO = Path(__file__).resolve().parents[2]
TRACKING_ROOT = REPO / "tests" / "roots" / "tracking"
FORMATS = ("scorm12", "scorm2004", "scorm2004-3rd")
# The LMS page (harness VERSIONS) each format runs in.
LMS_VERSION = {"scorm12": "1.2", "scorm2004": "2004", "scorm2004-3rd": "2004"}

PAGE_IDS = ("basics/welcome", "basics/listening", "check/quiz-page", "check/finish")
PAGE_TITLES = ("Welcome", "Listening well", "Check your understanding", "Well done")
QUIZ_PAGE = 2
QUIZ_KEY = "check-quiz"

# Option labels as the learner sees them.
SINGLE_RIGHT = "Staying calm and listening"
SINGLE_WRONG = "Changing the subject"  # option c
MULTIPLE_RIGHT = ("Asking how they are feeling", "Offering information about support")  # a, c
MULTIPLE_WRONG = ("Making promises you cannot keep",)  # b

_cache: dict[str, Any] = {}


def _work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if "work" not in _cache:
        _cache["work"] = tmp_path_factory.mktemp("tracking-course")
    return _cache["work"]


def build_tracking(out_dir: Path, formats: list[str]) -> dict[str, Path]:
    """Build the tracking course into ``out_dir``; return {format: zip path}."""
    result = build(TRACKING_ROOT, out_dir, formats=formats)
    return {name: path for name, path, _ in result.packages}


def tracking_zip(tmp_path_factory: pytest.TempPathFactory, fmt: str) -> Path:
    """The zip of ``fmt``; every format is built in one build, once per session."""
    if "zips" not in _cache:
        _cache["zips"] = build_tracking(_work_dir(tmp_path_factory) / "dist", list(FORMATS))
    return _cache["zips"][fmt]


def tracking_site(tmp_path_factory: pytest.TempPathFactory, fmt: str) -> Path:
    """A site directory (package under /pkg/, LMS under /lms/) for ``fmt``, made once."""
    key = "site:" + fmt
    if key not in _cache:
        _cache[key] = h.make_site(_work_dir(tmp_path_factory) / f"site-{fmt}",
                                  tracking_zip(tmp_path_factory, fmt))
    return _cache[key]


def fresh_site(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, fmt: str) -> Path:
    """A private copy of the unzipped package for a test that must not share a site."""
    site = tmp_path / "site"
    shutil.copytree(tracking_site(tmp_path_factory, fmt) / "pkg", site / "pkg")
    return h.make_site(site)


def tracking_course() -> Course:
    """The validated course model (for course_builder.state.decode)."""
    if "course" not in _cache:
        _cache["course"] = load_course(TRACKING_ROOT, Reporter())
    return _cache["course"]


def package_files(site: Path) -> list[str]:
    """Every file in the unzipped package, as a /pkg/ URL path."""
    pkg = site / "pkg"
    return sorted("/pkg/" + p.relative_to(pkg).as_posix() for p in pkg.rglob("*") if p.is_file())


def course_json(site: Path) -> dict[str, Any]:
    """The course JSON the build wrote into index.html."""
    import json

    html = (site / "pkg" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="cb-course">(.*?)</script>', html, re.S)
    assert m, "index.html has no cb-course JSON"
    return json.loads(m.group(1))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def tracking_zips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {fmt: tracking_zip(tmp_path_factory, fmt) for fmt in FORMATS}


@pytest.fixture(scope="session")
def site12(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tracking_site(tmp_path_factory, "scorm12")


@pytest.fixture(scope="session")
def site2004(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tracking_site(tmp_path_factory, "scorm2004")


@pytest.fixture(scope="session")
def site2004_3rd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tracking_site(tmp_path_factory, "scorm2004-3rd")


@pytest.fixture(scope="session")
def course() -> Course:
    return tracking_course()


# --------------------------------------------------------------------------- the learner

INIT = {"1.2": "LMSInitialize", "2004": "Initialize"}
FINISH = {"1.2": "LMSFinish", "2004": "Terminate"}
SET = {"1.2": "LMSSetValue", "2004": "SetValue"}
GET = {"1.2": "LMSGetValue", "2004": "GetValue"}
COMMIT = {"1.2": "LMSCommit", "2004": "Commit"}


class Learner:
    """Drives the course frame the way a learner does: role locators, clicks, no shortcuts."""

    def __init__(self, frame: Any) -> None:
        self.frame = frame

    # -- where am I
    def heading(self) -> Any:
        """The visible page's h1."""
        return self.frame.locator(".cb-page:not([hidden]) h1")

    def progress(self) -> str:
        return self.frame.locator(".cb-progress").inner_text()

    def page_index(self) -> int:
        """Index of the one page on show (from its data-page)."""
        shown = self.frame.locator(".cb-page[data-page]:not([hidden])")
        assert shown.count() == 1, f"{shown.count()} pages on show"
        return int(shown.get_attribute("data-page"))

    # -- moving
    def next(self) -> None:
        before = self.page_index()
        self.frame.get_by_role("button", name="Next", exact=True).click()
        self._wait_page(before + 1)

    def previous(self) -> None:
        before = self.page_index()
        self.frame.get_by_role("button", name="Previous", exact=True).click()
        self._wait_page(before - 1)

    def goto_menu(self, title: str) -> None:
        self.frame.get_by_role("navigation", name="Course contents").get_by_role(
            "button", name=re.compile("^" + re.escape(title))
        ).click()

    def _wait_page(self, index: int) -> None:
        self.frame.locator(f'.cb-page[data-page="{index}"]:not([hidden])').wait_for(
            state="visible"
        )

    def walk_to(self, index: int) -> None:
        while self.page_index() < index:
            self.next()

    # -- the quiz (questions in order: single, multiple, true/false)
    def question(self, n: int) -> Any:
        """Question n (0-based) as its group (the fieldset named "Question n+1 of ...")."""
        return self.frame.get_by_role("group", name=re.compile(rf"^Question {n + 1} of \d+"))

    def submit(self, question: int) -> None:
        self.frame.get_by_role("button", name="Submit", exact=True).nth(question).click()

    def answer_single(self, label: str, question: int = 0) -> None:
        self.question(question).get_by_role("radio", name=label, exact=True).check()
        self.submit(question)
        self._wait_answered(question)

    def answer_multiple(self, labels: tuple[str, ...], question: int = 1) -> None:
        for label in labels:
            self.question(question).get_by_role("checkbox", name=label, exact=True).check()
        self.submit(question)
        self._wait_answered(question)

    def answer_true_false(self, value: bool, question: int = 2) -> None:
        self.question(question).get_by_role(
            "radio", name="True" if value else "False", exact=True).check()
        self.submit(question)
        self._wait_answered(question)

    def _wait_answered(self, question: int) -> None:
        self.frame.locator(".cb-question").nth(question).locator(
            '[data-action="submit"][disabled]'
        ).wait_for(state="attached")

    def answer_all(self, right: bool = True) -> None:
        """Answer the three questions: all right, or the single-choice one wrong (2 of 3)."""
        self.answer_single(SINGLE_RIGHT if right else SINGLE_WRONG)
        self.answer_multiple(MULTIPLE_RIGHT)
        self.answer_true_false(False)

    def take_a_break(self) -> None:
        self.frame.get_by_role("button", name="Take a break").click()


def start(page: Any, base_url: str, version: str, saved_state: dict[str, Any] | None = None,
          **kw: Any) -> Learner:
    """Open the course in the test LMS and wait for it to initialise and show a page."""
    frame = h.open_in_lms(page, base_url, version, saved_state, **kw)
    h.wait_for_call(page, INIT[version])  # every launch is a new LMS page: calls start afresh
    learner = Learner(frame)
    learner.heading().wait_for(state="visible")
    return learner


def end_session(page: Any, version: str) -> None:
    """The LMS closes the SCO (its frame goes to about:blank) and the SCO finishes on pagehide."""
    page.evaluate("() => { document.getElementById('course').src = 'about:blank'; }")
    h.wait_for_call(page, FINISH[version])


def exit_activity(page: Any, base_url: str) -> None:
    """The learner uses the LMS's own exit button (Moodle: "Exit activity"): the LMS window
    goes to another page, and the course frame unloads with it (pagehide)."""
    page.goto(f"{base_url}/lms/exit.html")


def open_in_moodle(page: Any, base_url: str, version: str, learner: str = "learner-1",
                   new_attempt: bool = False, **kw: Any) -> Learner:
    """Launch the course as Moodle's player would for ``learner`` (see tests/e2e/moodle.py);
    wait for it to initialise and show a page."""
    frame = h.open_in_lms(page, base_url, version, moodle=learner, new_attempt=new_attempt, **kw)
    h.wait_for_call(page, INIT[version])
    found = Learner(frame)
    found.heading().wait_for(state="visible")
    return found


def persist_calls(page: Any) -> None:
    """Copy window.__calls to the LMS origin's localStorage after every API call.

    So a test can close or navigate away from the LMS page and still read what the course said
    while it unloaded (``persisted_calls``)."""
    page.evaluate(
        """() => {
            const api = window.API || window.API_1484_11;
            const save = () => localStorage.setItem('__e2e_calls', JSON.stringify(window.__calls));
            ['LMSInitialize','LMSFinish','LMSGetValue','LMSSetValue','LMSCommit',
             'Initialize','Terminate','GetValue','SetValue','Commit'].forEach((name) => {
                const inner = api[name];
                if (typeof inner !== 'function') return;
                api[name] = function () {
                    const r = inner.apply(api, arguments);
                    save();
                    return r;
                };
            });
            save();
        }"""
    )


def persisted_calls(page: Any, base_url: str) -> list[dict[str, Any]]:
    """Calls saved by ``persist_calls``, read from a page of the same origin."""
    import json

    page.goto(f"{base_url}/lms/node_modules/scorm-again/package.json")
    return json.loads(page.evaluate("() => localStorage.getItem('__e2e_calls') || '[]'"))


def calls_of(recorded: list[dict[str, Any]], *methods: str) -> list[dict[str, Any]]:
    return [c for c in recorded if c["method"] in methods]


def sets_in(recorded: list[dict[str, Any]], version: str) -> list[tuple[str, str]]:
    """(element, value) of every successful SetValue / LMSSetValue, in order."""
    return [tuple(c["args"][:2]) for c in recorded
            if c["method"] == SET[version] and c.get("error") == "0"]


class Session(dict):
    """What one recorded session left: calls, cmi, errors, requests (see ``record_session``)."""


def record_session(browser: Any, site: Path, version: str, script: Any,
                   saved_state: dict[str, Any] | None = None) -> Session:
    """Run ``script(learner, page, base_url)`` in a fresh guarded page inside the test LMS.

    For module-scoped fixtures that several tests assert on. The script must end the session.
    Returns a Session with calls, cmi, not_found (404 paths), requests, blocked (requests
    that tried to leave 127.0.0.1), page_errors, console_errors and whatever the script returned
    under "extra".
    """
    context = h.new_guarded_context(browser)
    try:
        page = h.guard_page(context.new_page())
        page.set_default_timeout(15_000)
        with h.serve(site) as base_url:
            learner = start(page, base_url, version, saved_state)
            extra = script(learner, page, base_url)
            session = Session(
                calls=h.calls(page),
                cmi=h.cmi(page),
                extra=extra,
                not_found=base_url.not_found(),
                requests=list(base_url.requests),
                page_errors=h.page_errors(page),
                console_errors=h.console_messages(page, "error"),
            )
        session["blocked"] = list(h.blocked_requests(page))
    finally:
        context.close()
    return session


def assert_clean(session: Session) -> None:
    """No uncaught errors, console errors, 404s or requests leaving 127.0.0.1."""
    assert session["page_errors"] == []
    assert session["console_errors"] == []
    assert session["not_found"] == []
    assert session["blocked"] == []


# --------------------------------------------------------------------------- the bundled course
# The example course at the repository root (course.yaml + modules/), used by
# test_bundled_course.py. Built once per session, SCORM 1.2 and 2004 together.

BUNDLED_FORMATS = ("scorm12", "scorm2004")


#: The bundled course is built for one of its example variants (a fictional trust, with its logo
#: in the header and its local contacts in the support panel): the packages a trust receives.
BUNDLED_VARIANT = "northmoor"


def bundled_dir() -> Path:
    from course_builder.bundled import bundled_course_dir

    return bundled_course_dir()


def bundled_zip(tmp_path_factory: pytest.TempPathFactory, fmt: str) -> Path:
    """The bundled course's zip of ``fmt`` (scorm12 or scorm2004), built once per session."""
    if "bundled:zips" not in _cache:
        work = tmp_path_factory.mktemp("bundled-course")
        _cache["bundled:work"] = work
        result = build(bundled_dir(), work / "dist", formats=list(BUNDLED_FORMATS),
                       variants=[BUNDLED_VARIANT])
        _cache["bundled:zips"] = {name: path for name, path, _ in result.packages}
    return _cache["bundled:zips"][fmt]


def bundled_site(tmp_path_factory: pytest.TempPathFactory, fmt: str) -> Path:
    """A site directory (package under /pkg/, LMS under /lms/) of the bundled course, made once."""
    key = "bundled:site:" + fmt
    if key not in _cache:
        zip_path = bundled_zip(tmp_path_factory, fmt)
        _cache[key] = h.make_site(_cache["bundled:work"] / f"site-{fmt}", zip_path)
    return _cache[key]


def bundled_course() -> Course:
    """The bundled course's validated model (for course_builder.state.decode)."""
    if "bundled:course" not in _cache:
        _cache["bundled:course"] = load_course(bundled_dir(), Reporter())
    return _cache["bundled:course"]
