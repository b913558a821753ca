"""A package opened straight from its files, with no LMS: it still runs, says so, and keeps the
learner's place in this browser (localStorage)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h
from tests.e2e.course_fixtures import course, site12, site2004  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

NOTICE = "Not connected to a learning management system"
STORAGE_KEY = "course_builder:https://example.org/courses/e2e-tracking:1.0.0"


def open_direct(page: Any, base_url: str) -> cf.Learner:
    page.goto(f"{base_url}/pkg/index.html", wait_until="load")
    learner = cf.Learner(page.main_frame)
    learner.heading().wait_for(state="visible")
    return learner


def stored(page: Any, location: str | None = None) -> dict[str, Any]:
    """What the course keeps in localStorage; with ``location``, once it holds that bookmark
    (the runtime saves just after showing a page)."""
    if location:
        page.wait_for_function(f"() => (localStorage.getItem({json.dumps(STORAGE_KEY)}) || '')"
                               f".includes({json.dumps(location)})")
    return json.loads(page.evaluate(f"() => localStorage.getItem({json.dumps(STORAGE_KEY)})")
                      or "{}")


@pytest.mark.parametrize("site_name", ["site12", "site2004"])
def test_runs_without_lms_and_resumes_from_local_storage(
    page: Any, site_name: str, request: pytest.FixtureRequest, course: Any  # noqa: F811
) -> None:
    site = request.getfixturevalue(site_name)
    with h.serve(site) as base_url:
        learner = open_direct(page, base_url)
        frame = learner.frame
        assert page.evaluate("() => !window.API && !window.API_1484_11")
        # The last page says how to leave: here, by closing the window.
        assert learner.frame.locator("[data-end-note]").inner_text() == (
            "This is the last page of the course. You can close this window.")
        notice = frame.get_by_role("status").filter(has_text=NOTICE)
        assert notice.is_visible()
        assert learner.heading().inner_text() == cf.PAGE_TITLES[0]
        # It works as a course: pages, focus, the quiz.
        learner.next()
        assert frame.evaluate("() => document.activeElement.id") == "cb-page-1-title"
        learner.next()
        learner.answer_single(cf.SINGLE_RIGHT)
        data = stored(page, "check/quiz-page")
        assert data["location"] == "check/quiz-page"
        assert data["suspend"].startswith("1~")

        page.reload(wait_until="load")
        learner = cf.Learner(page.main_frame)
        learner.heading().wait_for(state="visible")
        frame = learner.frame
        # Back on the bookmarked page with the answer kept.
        assert learner.heading().inner_text() == cf.PAGE_TITLES[cf.QUIZ_PAGE]
        assert learner.page_index() == cf.QUIZ_PAGE
        right = frame.get_by_role("radio", name=cf.SINGLE_RIGHT, exact=True)
        assert right.is_checked() and right.is_disabled()
        assert frame.get_by_role("status").filter(has_text=NOTICE).is_visible()
        items = frame.get_by_role("navigation", name="Course contents").get_by_role("button")
        assert [items.nth(i).locator(".cb-menu__seen").is_visible() for i in range(4)] == [
            True, True, True, False]

        learner.answer_multiple(cf.MULTIPLE_RIGHT)
        learner.answer_true_false(False)
        learner.next()
        data = stored(page, cf.PAGE_IDS[-1])
        assert data["location"] == cf.PAGE_IDS[-1]
        assert data["score"] == 100
        # SCORM 1.2's adapter keeps one status, SCORM 2004's two.
        if site_name == "site12":
            assert data["lesson"] == "passed"
        else:
            assert data["completion"] == "completed" and data["success"] == "passed"

        assert h.page_errors(page) == []
        assert h.console_messages(page, "error") == []
        assert [p for p in base_url.not_found() if p.startswith("/pkg/")] == []


def test_take_a_break_without_lms(page: Any, site12: Any) -> None:  # noqa: F811
    with h.serve(site12) as base_url:
        learner = open_direct(page, base_url)
        learner.next()
        learner.take_a_break()
        heading = page.get_by_role("heading", name="Your progress is saved", level=1)
        heading.wait_for(state="visible")
        # A course in a window of its own (no LMS frame around it) can say "close this window".
        text = page.locator("#cb-break").inner_text()
        assert "You can close this window now." in text and "Exit activity" not in text
        assert stored(page)["location"] == "basics/listening"
        page.reload(wait_until="load")
        learner = cf.Learner(page.main_frame)
        learner.heading().wait_for(state="visible")
        assert learner.heading().inner_text() == cf.PAGE_TITLES[1]
        assert h.page_errors(page) == []


def test_no_notice_inside_an_lms(page: Any, site2004: Any) -> None:  # noqa: F811
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, "2004")
        assert learner.frame.locator(".cb-connection").is_hidden()
        assert learner.frame.get_by_text(NOTICE).count() == 0
