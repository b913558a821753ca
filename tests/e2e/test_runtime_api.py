"""The runtime's public face in the browser: the page's only new global is CB, holding only
the documented public API (CB.registerBlock and CB.t for content types, CB.diagnose() for
support staff); the internals appear as CB.debug only with ?cb-debug; and CB.diagnose() says
what support staff need to know."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h
from tests.e2e.course_fixtures import site12, site2004  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

OWN_GLOBALS = "() => Object.getOwnPropertyNames(window)"


def test_one_global_holding_only_the_public_api(page: Any, site12: Any) -> None:  # noqa: F811
    with h.serve(site12) as base_url:
        page.goto(f"{base_url}/lms/exit.html")
        baseline = set(page.evaluate(OWN_GLOBALS))
        page.goto(f"{base_url}/pkg/index.html")
        cf.Learner(page.main_frame).heading().wait_for(state="visible")
        page.wait_for_function("() => CB.diagnose().format")
        added = set(page.evaluate(OWN_GLOBALS)) - baseline
        assert added == {"CB"}, added
        assert page.evaluate("() => Object.keys(CB).sort()") == ["diagnose", "registerBlock", "t"]
        assert page.evaluate("() => '__cb' in window") is False


def test_debug_flag_exposes_the_internals(page: Any, site2004: Any) -> None:  # noqa: F811
    with h.serve(site2004) as base_url:
        frame = h.open_in_lms(page, base_url, "2004", launch="/pkg/index.html?cb-debug")
        frame.wait_for_function("() => window.CB && CB.debug && CB.debug.tracker")
        assert frame.evaluate("() => Object.keys(CB.debug).sort()") == [
            "adapter", "runtime", "tracker"]
        assert frame.evaluate("() => CB.debug.adapter === CB.debug.tracker.adapter") is True
        assert frame.evaluate("() => typeof CB.debug.runtime.call") == "function"


def test_diagnose_tells_support_staff_what_is_happening(page: Any, site12: Any) -> None:  # noqa: F811
    with h.serve(site12) as base_url:
        learner = cf.start(page, base_url, "1.2", faults={"LMSCommit": {"action": "false"}})
        learner.next()
        learner.next()
        frame = learner.frame
        frame.wait_for_function("() => CB.diagnose().saving === 'failing'")
        report = frame.evaluate("() => CB.diagnose()")
    assert {k: report[k] for k in ("format", "lmsProfile", "connected", "mode", "saving",
                                   "held", "finished")} == {
        "format": "scorm12", "lmsProfile": "generic", "connected": True, "mode": "normal",
        "saving": "failing", "held": None, "finished": False}
    assert any("LMSCommit: error 101" in line for line in report["log"]), report["log"]


def test_register_block_refuses_a_definition_without_mount(page: Any, site12: Any) -> None:  # noqa: F811
    with h.serve(site12) as base_url:
        page.goto(f"{base_url}/pkg/index.html")
        page.wait_for_function("() => CB.diagnose().format")
        message = page.evaluate("() => { try { CB.registerBlock('x', {}); } "
                                "catch (e) { return e.message; } }")
    assert message == "CB.registerBlock('x'): needs a mount(el, data, api) function"
