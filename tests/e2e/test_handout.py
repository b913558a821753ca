"""The bundled course's handout, printed as a trainer would print it: Chromium's own print to
PDF (``page.pdf``, A4 from the page's CSS), each page's text read back with pypdf.

Every printed page carries every support contact (name, number, who it is for) and its page
number; each module starts on a new page; opening it loads nothing beyond the page itself; and
axe-core finds no serious or critical problem in the page as it shows on screen before printing.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from tests.e2e import harness as h

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def norm(text: str) -> str:
    # NFKC: the PDF's text has ligatures ("ﬁ") where the source has two letters.
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def handout_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("COURSE_BUILDER_TODAY", "2026-11-29")
    try:
        work = tmp_path_factory.mktemp("handout")
        # the example variant that keeps every module (its logo on the cover)
        ((_name, zip_path, _size),) = build(REPO, work / "dist", ["handout"],
                                            variants=["northmoor"]).packages
        return h.make_site(work / "site", zip_path)
    finally:
        mp.undo()


def open_handout(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/pkg/index.html", wait_until="load")


def test_support_contacts_and_page_number_on_every_printed_page(page: Any,
                                                                handout_site: Path) -> None:
    course = load_course(REPO, Reporter())
    contacts = course.config.support
    assert len(contacts) >= 4
    with h.serve(handout_site) as base_url:
        open_handout(page, base_url)
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [norm(p.extract_text()) for p in reader.pages]
    count = len(pages)
    assert count > len(course.modules) + 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    for number, text in enumerate(pages, start=1):
        for contact in contacts:
            for words in (contact.name, contact.contact, contact.description):
                assert norm(words) in text, f"page {number} of {count} lacks {words!r}"
        assert f"Page {number} of {count}" in text, f"page {number} has no page number"
        assert f"{course.config.title}: trainer's handout" in text
    # Each module begins a page of its own: its "Module n of N" line (printed in capitals) is
    # on a different page.
    starts = [next(i for i, text in enumerate(pages)
                   if f"module {n} of {len(course.modules)}" in text.casefold())
              for n in range(1, len(course.modules) + 1)]
    assert starts == sorted(set(starts)) and starts[0] > 0
    # Facilitator notes and answer keys made it to paper; no control did.
    whole = " ".join(pages)
    assert whole.count("FOR THE FACILITATOR") >= 8
    for word in ("Submit", "Try again", "Read this story", "Skip this story"):
        assert word not in whole


def test_opening_the_handout_loads_nothing_else(page: Any, handout_site: Path) -> None:
    with h.serve(handout_site) as base_url:
        open_handout(page, base_url)
        images = page.evaluate("() => [...document.images].map(i => [i.complete, i.naturalWidth])")
        assert images and all(done and w > 0 for done, w in images)
        requested = [r["path"] for r in base_url.requests]
    # The page itself, and nothing else: no style sheet, script, font or image file. (The page
    # fixture also fails the test if anything tried to leave 127.0.0.1.)
    assert [p for p in requested if p != "/favicon.ico"] == ["/pkg/index.html"]
    assert h.console_messages(page, "error") == [] and h.page_errors(page) == []


def test_axe_finds_no_serious_problem_on_screen(page: Any, handout_site: Path) -> None:
    with h.serve(handout_site) as base_url:
        open_handout(page, base_url)
        # axe is evaluated through DevTools, so the page's CSP (no script at all) does not stop it.
        violations = h.run_axe(page.main_frame)
        assert violations == [], h.format_violations(violations)
        page.set_viewport_size({"width": 320, "height": 640})
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths  # reflows at 320 px (WCAG 1.4.10)
        assert re.search(r"\S", page.inner_text("h1"))
