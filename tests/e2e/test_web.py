"""The web build in a browser, as the public would open it: a plain static server, no LMS.
The course runs, keeps the learner's place and answers across a reload (localStorage), passes
axe, and makes no request outside 127.0.0.1 (the ``page`` fixture fails the test if it tries)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from course_builder.commands.build import build
from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h

pytestmark = pytest.mark.e2e

NOTICE = "Your progress is saved in this browser only."
STORAGE_KEY = "course_builder:https://example.org/courses/e2e-tracking:1.0.0"


@pytest.fixture(scope="module")
def web_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("web")
    ((_name, zip_path, _size),) = build(cf.TRACKING_ROOT, work / "dist", formats=["web"]).packages
    return h.make_site(work / "site", zip_path)


def open_site(page: Any, base_url: str) -> cf.Learner:
    page.goto(f"{base_url}/pkg/", wait_until="load")  # index.html at the root of the site
    learner = cf.Learner(page.main_frame)
    learner.heading().wait_for(state="visible")
    return learner


def test_web_build_walks_resumes_and_stays_inside(page: Any, web_site: Path) -> None:
    with h.serve(web_site) as base_url:
        learner = open_site(page, base_url)
        frame = learner.frame
        assert frame.get_by_role("status").filter(has_text=NOTICE).is_visible()
        assert frame.get_by_text("learning management system").count() == 0
        violations = h.run_axe(frame)
        assert violations == [], h.format_violations(violations)
        learner.next()
        assert frame.evaluate("() => document.activeElement.id") == "cb-page-1-title"
        learner.next()
        learner.answer_single(cf.SINGLE_RIGHT)

        page.reload(wait_until="load")
        learner = cf.Learner(page.main_frame)
        learner.heading().wait_for(state="visible")
        assert learner.page_index() == cf.QUIZ_PAGE
        right = learner.frame.get_by_role("radio", name=cf.SINGLE_RIGHT, exact=True)
        assert right.is_checked() and right.is_disabled()
        learner.answer_multiple(cf.MULTIPLE_RIGHT)
        learner.answer_true_false(False)
        violations = h.run_axe(learner.frame)
        assert violations == [], h.format_violations(violations)
        learner.next()
        # saved once the new page is on screen (the runtime commits after showing it)
        page.wait_for_function(f"() => (localStorage.getItem({json.dumps(STORAGE_KEY)}) || '')"
                               f".includes({json.dumps(cf.PAGE_IDS[-1])})")
        stored = json.loads(page.evaluate(
            f"() => localStorage.getItem({json.dumps(STORAGE_KEY)})"))
        assert stored["location"] == cf.PAGE_IDS[-1]
        assert stored["completion"] == "completed" and stored["success"] == "passed"

        assert h.page_errors(page) == []
        assert h.console_messages(page, "error") == []
        assert base_url.not_found() == []
        assert all(r["path"].startswith("/pkg/") for r in base_url.requests)
