"""Browser figures: time to the first usable page, and what a full walk says to the LMS.

Both run Debian's Chromium through Playwright exactly as the browser tests do (the flags and
helpers of tests/e2e/harness.py), with packages served from a local HTTP server, and the LMS
of tests/e2e/lms (scorm-again from tests/e2e/node_modules). ``scripts/test`` installs all of it;
when something is missing, ``missing()`` says what, and the benchmark reports that instead of a
figure.
"""

from __future__ import annotations

import collections
import importlib
import statistics
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Runs in every frame before its own scripts. In a course page it notes the first moment at
#: which (1) the first page's h1 is laid out with a non-zero size, (2) the Next button is
#: enabled and (3) a click listener is in place on it or on an element above it (the runtime
#: has wired navigation: a click would work). It then waits for the next animation frame, the
#: frame that shows it, and reports both times in ms since the frame's navigation start.
_FIRST_PAGE_PROBE = r"""
(() => {
  const wired = new WeakSet();
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (type === 'click') wired.add(this);
    return add.call(this, type, listener, options);
  };
  let done = false;
  const state = {};
  // The window is left out: Playwright's own injected code listens for clicks there.
  function clickable(button) {
    for (let el = button; el; el = el.parentNode) {
      if (wired.has(el) || el.onclick) return true;
    }
    return false;
  }
  function check(where) {
    if (done || !document.getElementById('cb-course')) return;
    const page = document.querySelector('.cb-page[data-page]:not([hidden])');
    const h1 = page && page.querySelector('h1');
    const next = document.querySelector('[data-nav="next"]');
    if (!h1 || !next || next.disabled || !clickable(next)) return;
    const box = h1.getBoundingClientRect();
    if (!(box.width > 0 && box.height > 0)) return;
    done = true;
    state.ready = performance.now();
    state.where = where;
    requestAnimationFrame(() => {
      state.painted = performance.now();
      const nav = performance.getEntriesByType('navigation')[0];
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      state.dcl = nav ? nav.domContentLoadedEventEnd : null;
      state.load = nav && nav.loadEventEnd ? nav.loadEventEnd : null;
      state.fcp = paint ? paint.startTime : null;
      const loaded = performance.getEntriesByType('resource');
      state.requests = loaded.length;
      state.lastRequest = loaded.reduce((m, r) => Math.max(m, r.responseEnd), 0);
      state.sinceTop = performance.timeOrigin - window.top.performance.timeOrigin;
      window.top.__cbFirstPage = state;
    });
  }
  new MutationObserver(() => check('mutation')).observe(document, {
    subtree: true, childList: true, attributes: true});
  document.addEventListener('DOMContentLoaded', () => check('DOMContentLoaded'));
  window.addEventListener('load', () => check('load'));
  (function frame() { check('frame'); if (!done) requestAnimationFrame(frame); })();
})();
"""


def missing() -> list[str]:
    """What the browser figures need and this machine lacks (empty when all is there)."""
    try:
        harness = importlib.import_module("tests.e2e.harness")
    except ImportError as exc:
        return [f"the test helpers (tests/e2e/harness.py: {exc}); install '.[test]'"]
    gone = []
    if not harness.CHROMIUM.is_file():
        gone.append(f"Chromium at {harness.CHROMIUM}")
    for path in (harness.SCORM12_JS, harness.SCORM2004_JS):
        if not path.is_file():
            gone.append(f"{path} (npm ci in tests/e2e)")
    try:
        importlib.import_module("playwright.sync_api")
    except ImportError:
        gone.append("the Python package playwright")
    return gone


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium with the browser tests' flags, isolated from the network."""
    from playwright.sync_api import sync_playwright

    from tests.e2e import harness as h

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(h.CHROMIUM), headless=True,
            args=h.CHROMIUM_ARGS + h.ISOLATION_ARGS,
            proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost,[::1]"})
        try:
            yield browser
        finally:
            browser.close()


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def first_page(browser: Any, package: Path, lms: str | None, runs: int) -> dict[str, Any]:
    """Open ``package`` (a zip) ``runs`` times, each in a fresh browser context after one
    warm-up; in the test LMS of SCORM ``lms`` ("1.2", "2004") or, with None, on its own.
    Times are ms from the course page's navigation start (in the LMS, the course frame's)."""
    from tests.e2e import harness as h

    found: dict[str, list[float]] = collections.defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="cb-bench-site-") as tmp:
        site = h.make_site(Path(tmp), package)
        with h.serve(site) as base_url:
            for run in range(runs + 1):
                context = h.new_guarded_context(browser)
                try:
                    page = context.new_page()
                    page.set_default_timeout(30_000)
                    page.add_init_script(_FIRST_PAGE_PROBE)
                    url = (h.lms_url(base_url, lms) if lms
                           else f"{base_url}/pkg/index.html")
                    page.goto(url, wait_until="commit")
                    page.wait_for_function("() => window.__cbFirstPage")
                    state = page.evaluate("() => window.__cbFirstPage")
                    _check_next_works(page, lms is not None)
                    blocked = list(getattr(context, "_e2e_blocked", []))
                finally:
                    context.close()
                if blocked:
                    raise RuntimeError(f"{package.name} tried to leave 127.0.0.1: {blocked}")
                if run == 0:
                    continue  # warm-up: the browser's first page pays its own start-up
                for key in ("ready", "painted", "dcl", "load", "fcp", "sinceTop", "requests",
                            "lastRequest"):
                    if state.get(key) is not None:
                        found[key].append(float(state[key]))
    medians = {(k if k == "requests" else f"{k}_ms"): _median(v) for k, v in found.items()}
    return {"runs": dict(found), **medians}


def _check_next_works(page: Any, in_lms: bool) -> None:
    """The measurement is only valid if Next really moves to page 2 (not timed)."""
    frame = page.frame_locator("iframe#course") if in_lms else page
    frame.get_by_role("button", name="Next", exact=True).click()
    frame.locator('.cb-page[data-page="1"]:not([hidden]) h1').wait_for(state="visible")


# --------------------------------------------------------------------------- the LMS walk


def _count_page_changes(script: Callable[..., Any], marks: list[tuple[int, int]]
                        ) -> Callable[..., Any]:
    """Wrap a walk script so every Next notes the API calls made while the page changed."""
    from tests.e2e import harness as h

    def run(learner: Any, page: Any, base_url: str) -> Any:
        original = learner.next

        def next_page() -> None:
            before = len(h.calls(page))
            original()
            marks.append((before, len(h.calls(page))))

        learner.next = next_page
        return script(learner, page, base_url)

    return run


def lms_walk(browser: Any, package: Path, version: str) -> dict[str, Any]:
    """The browser tests' full learner walk of the bundled course (tests/e2e/
    test_bundled_course.py: every story, scenario, myth/fact, the quiz and the evaluation; no
    axe), in scorm-again's LMS; then the LMS closes the course. Counts API calls by method,
    commits per page change and the largest suspend_data set."""
    from tests.e2e import course_fixtures as cf
    from tests.e2e import harness as h
    from tests.e2e.test_bundled_course import walk

    with tempfile.TemporaryDirectory(prefix="cb-bench-walk-") as tmp:
        site = h.make_site(Path(tmp), package)
        course = cf.course_json(site)
        marks: list[tuple[int, int]] = []
        script = walk(course, version, axe=False, take_break=False)
        session = cf.record_session(browser, site, version, _count_page_changes(script, marks))
    calls = session["calls"]
    commit, setter = cf.COMMIT[version], cf.SET[version]
    per_change = [sum(1 for c in calls[a:b] if c["method"] == commit) for a, b in marks]
    suspend = [c["args"][1] for c in calls
               if c["method"] == setter and c["args"] and c["args"][0] == "cmi.suspend_data"]
    by_method = collections.Counter(c["method"] for c in calls)
    return {
        "pages": len(course["pages"]), "page_changes": len(marks),
        "calls": len(calls), "by_method": dict(sorted(by_method.items())),
        "commits": by_method.get(commit, 0),
        "commits_per_page_change": per_change,
        "max_commits_in_a_page_change": max(per_change, default=0),
        "commits_per_page": by_method.get(commit, 0) / max(len(marks), 1),
        "suspend_data_sets": len(suspend),
        "largest_suspend_data": max((len(s) for s in suspend), default=0),
        "final_suspend_data": len(session["cmi"]["cmi"].get("suspend_data") or ""),
        "errors": [c for c in calls if c.get("error") not in ("0", None)
                   and c["method"] not in h.ERROR_READERS],
        "page_errors": session["page_errors"], "console_errors": session["console_errors"],
    }
