"""Accessibility of the compiled course in a browser: axe-core on every page and state, focus
management, the support panel, keyboard use and a 320 px wide screen. One format (SCORM 2004)
is enough: the pages are the same in every package."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h
from tests.e2e.course_fixtures import site2004  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

V = "2004"


def assert_no_serious_violations(frame: Any, where: str) -> None:
    violations = h.run_axe(frame)
    assert violations == [], f"{where}:\n" + h.format_violations(violations)


def test_axe_every_page_and_state(page: Any, site2004: Any) -> None:  # noqa: F811
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        frame = learner.frame
        for index, title in enumerate(cf.PAGE_TITLES):
            assert learner.heading().inner_text() == title
            assert_no_serious_violations(frame, f"page {index + 1} ({title})")
            if index == cf.QUIZ_PAGE:
                # Feedback for right and wrong answers, the summary and "Try again".
                learner.answer_all(right=False)
                expect(frame.get_by_role("button", name="Try again")).to_be_visible()
                assert_no_serious_violations(frame, "quiz page after answering")
            if index < len(cf.PAGE_TITLES) - 1:
                learner.next()
        frame.get_by_role("button", name="Support").click()
        expect(frame.locator("#cb-support")).to_be_visible()
        assert_no_serious_violations(frame, "support panel open")
        frame.get_by_role("button", name="Close support").click()
        learner.take_a_break()
        expect(frame.get_by_role("heading", name="Your progress is saved")).to_be_visible()
        assert_no_serious_violations(frame, "after Take a break")
        assert base_url.not_found() == []


def test_axe_at_320px(page: Any, site2004: Any) -> None:  # noqa: F811
    page.set_viewport_size({"width": 320, "height": 640})
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=True)
        assert_no_serious_violations(learner.frame, "quiz page at 320 px")
        # Reflow (WCAG 1.4.10): nothing wider than the screen, so no sideways scrolling.
        widths = learner.frame.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths


def test_focus_moves_to_the_page_heading(page: Any, site2004: Any) -> None:  # noqa: F811
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        frame = learner.frame
        active = "() => [document.activeElement.tagName, document.activeElement.id]"
        learner.next()
        assert frame.evaluate(active) == ["H1", "cb-page-1-title"]
        expect(frame.get_by_role("heading", level=1, name=cf.PAGE_TITLES[1])).to_be_focused()
        learner.next()
        assert frame.evaluate(active) == ["H1", "cb-page-2-title"]
        learner.previous()
        assert frame.evaluate(active) == ["H1", "cb-page-1-title"]
        learner.goto_menu(cf.PAGE_TITLES[3])
        expect(frame.get_by_role("heading", level=1, name=cf.PAGE_TITLES[3])).to_be_focused()


def test_keyboard_only(page: Any, site2004: Any) -> None:  # noqa: F811
    """Next by keyboard, then answer a question with arrow keys and Space, never the mouse."""
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        frame = learner.frame
        for _ in range(2):
            frame.get_by_role("button", name="Next", exact=True).focus()
            page.keyboard.press("Enter")
        expect(frame.get_by_role("heading", level=1, name=cf.PAGE_TITLES[2])).to_be_focused()
        frame.get_by_role("radio", name=cf.SINGLE_WRONG, exact=True).focus()
        page.keyboard.press("ArrowUp")  # to the middle option
        page.keyboard.press("ArrowUp")  # to the first: "Staying calm and listening"
        expect(frame.get_by_role("radio", name=cf.SINGLE_RIGHT, exact=True)).to_be_checked()
        page.keyboard.press("Tab")  # out of the radio group: the first Submit
        expect(frame.get_by_role("button", name="Submit", exact=True).nth(0)).to_be_focused()
        page.keyboard.press("Enter")
        expect(frame.locator(".cb-question").nth(0).locator(".cb-feedback")).to_contain_text(
            "Correct")
        h.wait_for_call(page, "SetValue")
        responses = [c["args"][1] for c in h.calls(page, "SetValue")
                     if c["args"][0] == "cmi.interactions.0.learner_response"]
        assert responses == ["a"]


def test_support_on_every_page(page: Any, site2004: Any) -> None:  # noqa: F811
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        frame = learner.frame
        toggle = frame.get_by_role("button", name="Support", exact=True)
        panel = frame.locator("#cb-support")
        for index in range(len(cf.PAGE_TITLES)):
            expect(toggle).to_be_visible()
            expect(toggle).to_have_attribute("aria-expanded", "false")
            toggle.click()
            expect(panel).to_be_visible()
            expect(toggle).to_have_attribute("aria-expanded", "true")
            expect(frame.get_by_role("heading", name="Support is here if you need it")
                   ).to_be_focused()
            expect(panel.get_by_role("link", name="116 123")).to_have_attribute(
                "href", "tel:116123")
            if index % 2:
                page.keyboard.press("Escape")
            else:
                frame.get_by_role("button", name="Close support").click()
            expect(panel).to_be_hidden()
            expect(toggle).to_be_focused()
            if index < len(cf.PAGE_TITLES) - 1:
                learner.next()
        # Opening support is not tracked and does not move the learner.
        assert learner.page_index() == 3
        assert h.failed_calls(page) == []


def test_skip_link_and_landmarks(page: Any, site2004: Any) -> None:  # noqa: F811
    with h.serve(site2004) as base_url:
        learner = cf.start(page, base_url, V)
        frame = learner.frame
        frame.locator("body").focus()
        page.keyboard.press("Tab")
        skip = frame.get_by_role("link", name="Skip to main content")
        expect(skip).to_be_focused()
        page.keyboard.press("Enter")
        expect(frame.get_by_role("main")).to_be_focused()
        expect(frame.get_by_role("navigation", name="Course contents")).to_have_count(1)
        expect(frame.get_by_role("navigation", name="Page navigation")).to_have_count(1)
        assert frame.evaluate("() => document.documentElement.lang") == "en-GB"
        assert re.search(r"Tracking test course", frame.title())
