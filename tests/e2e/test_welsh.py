"""A Welsh build in the browser: the page says it is Welsh, the runtime's words are Welsh (the
buttons, the page count the script writes, the quiz's feedback), a string with no translation
is read as English (lang="en-GB" on its element), and axe-core finds nothing serious, its
language rules included (html-has-lang, html-lang-valid, valid-lang)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from course_builder.commands.build import build
from tests.e2e import harness as h
from tests.i18n import welsh_course

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def welsh_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("welsh")
    course = welsh_course.write(work / "course")
    catalog = welsh_course.translate_everything(course)
    # the story page's title stays untranslated: English, marked as English
    text = catalog.read_text(encoding="utf-8")
    title = 'msgctxt "modules/one/module.yaml#pages.story.title"\nmsgid "A story"\nmsgstr "'
    start = text.index(title) + len(title)
    catalog.write_text(text[:start] + text[text.index('"', start):], encoding="utf-8")
    ((_name, zip_path, _size),) = build(course, work / "dist", formats=["web"],
                                       languages=["cy"]).packages
    return h.make_site(work / "site", zip_path)


def test_a_welsh_page_in_the_browser(page: Any, welsh_site: Path) -> None:
    with h.serve(welsh_site) as base_url:
        page.goto(f"{base_url}/pkg/", wait_until="load")
        frame = page.main_frame
        heading = frame.locator(".cb-page:not([hidden]) h1")
        expect(heading).to_be_visible()
        assert frame.evaluate("() => document.documentElement.lang") == "cy"
        violations = h.run_axe(frame)
        assert violations == [], h.format_violations(violations)
        expect(frame.locator(".cb-progress")).to_have_text("Tudalen 1 o 4")
        frame.get_by_role("button", name="Nesaf", exact=True).click()
        # written by the runtime's script, from the messages in the page
        expect(frame.locator(".cb-progress")).to_have_text("Tudalen 2 o 4")
        expect(heading).to_have_text("A story")
        assert heading.get_attribute("lang") == "en-GB"
        assert frame.get_by_role("button", name="Darllen y stori hon").is_visible()
        frame.get_by_role("button", name="Hepgor y stori hon").click()
        expect(frame.locator(".cb-story__status")).to_have_text(
            "Rydych wedi hepgor y stori hon. Gallwch ei darllen pryd bynnag y byddwch yn barod.")
        violations = h.run_axe(frame)
        assert violations == [], h.format_violations(violations)
        for _ in range(2):
            frame.get_by_role("button", name="Nesaf", exact=True).click()
        frame.get_by_role("radio", name=welsh_course.welsh(35)).check()
        frame.get_by_role("button", name="Cyflwyno").first.click()
        expect(frame.locator(".cb-quiz .cb-feedback").first).to_contain_text("Cywir.")
        violations = h.run_axe(frame)
        assert violations == [], h.format_violations(violations)


@pytest.fixture(scope="module")
def half_welsh_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same course with the first question's prompt and its option B left untranslated."""
    work = tmp_path_factory.mktemp("half-welsh")
    course = welsh_course.write(work / "course")
    catalog = welsh_course.translate_everything(course)
    text = catalog.read_text(encoding="utf-8")
    quiz = "modules/one/module.yaml#pages.check.blocks.check-quiz.questions.q1"
    for context, source in ((f"{quiz}.prompt", "Pick A"), (f"{quiz}.options[1].text", "B")):
        entry = f'msgctxt "{context}"\nmsgid "{source}"\nmsgstr "'
        start = text.index(entry) + len(entry)
        text = text[:start] + text[text.index('"', start):]
    catalog.write_text(text, encoding="utf-8")
    ((_name, zip_path, _size),) = build(course, work / "dist", formats=["web"],
                                       languages=["cy"]).packages
    return h.make_site(work / "site", zip_path)


def test_the_quiz_review_reads_untranslated_text_as_english(page: Any,
                                                             half_welsh_site: Path) -> None:
    """The review and the feedback write the author's text into Welsh sentences: text with no
    translation yet keeps lang="en-GB" there too (WCAG 2.2, 3.1.2 Language of Parts)."""
    with h.serve(half_welsh_site) as base_url:
        page.goto(f"{base_url}/pkg/", wait_until="load")
        frame = page.main_frame
        for _ in range(3):
            frame.get_by_role("button", name="Nesaf", exact=True).click()
        frame.get_by_role("radio", name="B").check()  # the wrong answer, in English
        frame.get_by_role("button", name="Cyflwyno").first.click()
        frame.get_by_role("radio", name="Gwir").check()
        frame.get_by_role("button", name="Cyflwyno").nth(1).click()
        review = frame.locator(".cb-quiz__review")
        expect(review).to_be_visible()
        first = review.locator(".cb-review").first
        question = first.locator(".cb-review__question")
        expect(question).to_have_text("Cwestiwn 1: Pick A")
        assert question.locator("span").evaluate("s => [s.lang, s.textContent]") == [
            "en-GB", "Pick A"]
        answer = first.locator(".cb-review__answer p")
        expect(answer).to_have_text("Eich ateb: B")
        assert answer.locator("span").evaluate("s => [s.lang, s.textContent]") == ["en-GB", "B"]
        # the correct answer is translated: no lang of its own, so it is read as Welsh
        correct = first.locator(".cb-review__correct p")
        expect(correct).to_have_text(f"Yr ateb cywir: {welsh_course.welsh(35)}")
        assert correct.locator("[lang]").count() == 0
        # the tool's words of the second question's review stay Welsh, with no lang of their own
        second = review.locator(".cb-review").nth(1)
        assert second.locator(".cb-review__answer [lang]").count() == 0
        violations = h.run_axe(frame)
        assert violations == [], h.format_violations(violations)
