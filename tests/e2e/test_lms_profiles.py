"""LMS profiles (``course-builder build --lms-profile``, course_builder/lms_profiles.py): each
switch does what its profile's source says that LMS needs, and generic does not. The tracking
course is built once per profile; each test compares a profile with generic in the test LMS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from course_builder import lms_profiles
from course_builder.commands.build import build
from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h

pytestmark = pytest.mark.e2e

_sites: dict[tuple[str, str], Path] = {}


def site(tmp_path_factory: pytest.TempPathFactory, profile: str, fmt: str) -> Path:
    """The tracking course built with ``profile``, unzipped, once per session."""
    if (profile, fmt) not in _sites:
        work = tmp_path_factory.mktemp(f"profile-{profile}")
        result = build(cf.TRACKING_ROOT, work / "dist", ["scorm12", "scorm2004"],
                       lms_profile=profile)
        for name, path, _ in result.packages:
            _sites[(profile, name)] = h.make_site(work / name, path)
    return _sites[(profile, fmt)]


def sets_of(page: Any, version: str, pattern: str) -> list[tuple[str, str]]:
    import re

    return [(c["args"][0], c["args"][1]) for c in h.calls(page, cf.SET[version])
            if re.search(pattern, c["args"][0])]


def test_every_profile_reaches_the_runtime(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The course JSON carries the profile's name and every switch (aliases resolved)."""
    for name in ("generic", "moodle", "totara", "learning-pool", "esr", "cornerstone",
                 "successfactors", "skillport"):
        lms = cf.course_json(site(tmp_path_factory, name, "scorm12"))["lms"]
        assert lms == lms_profiles.runtime_data(name)
        assert set(lms) == {"profile", *lms_profiles.GENERIC}
    assert cf.course_json(site(tmp_path_factory, "learning-pool", "scorm2004"))["lms"][
        "navRequest"] is False  # learning-pool -> totara -> moodle


@pytest.mark.parametrize("profile, sets_request", [
    ("generic", True), ("esr", True), ("moodle", False), ("totara", False),
    ("learning-pool", False)])
def test_nav_request_on_take_a_break(page: Any, tmp_path_factory: pytest.TempPathFactory,
                                     profile: str, sets_request: bool) -> None:
    """moodle (and its aliases): Moodle's SCORM 2004 player ignores adl.nav.request
    'suspendAll'/'exitAll', so the course does not set it; generic does."""
    with h.serve(site(tmp_path_factory, profile, "scorm2004")) as base_url:
        learner = cf.start(page, base_url, "2004")
        learner.next()
        learner.take_a_break()
        h.wait_for_call(page, "Terminate")
        requests = sets_of(page, "2004", r"^adl\.nav\.request$")
    assert requests == ([("adl.nav.request", "suspendAll")] if sets_request else [])


@pytest.mark.parametrize("profile, interactions", [("generic", True),
                                                   ("successfactors", False)])
def test_interactions_switch(page: Any, tmp_path_factory: pytest.TempPathFactory,
                             profile: str, interactions: bool) -> None:
    """successfactors: no cmi.interactions written, their _count never read; score and status
    still recorded. generic records every answer."""
    with h.serve(site(tmp_path_factory, profile, "scorm12")) as base_url:
        learner = cf.start(page, base_url, "1.2")
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=True)
        learner.next()
        cf.end_session(page, "1.2")
        written = sets_of(page, "1.2", r"^cmi\.interactions\.")
        read = [c for c in h.calls(page, "LMSGetValue")
                if c["args"][0] == "cmi.interactions._count"]
        values = h.set_values(page)
    assert bool(written) is interactions and bool(read) is interactions
    assert values["cmi.core.lesson_status"] == "passed" and values["cmi.core.score.raw"] == "100"


@pytest.mark.parametrize("profile", ["generic", "skillport"])
def test_commit_frequency(page: Any, tmp_path_factory: pytest.TempPathFactory,
                          profile: str) -> None:
    """skillport: no Commit for a page change that changes no status, none on the 3-minute
    timer; a status change and the 10-minute timer commit. generic commits each page change."""
    page.clock.install()
    with h.serve(site(tmp_path_factory, profile, "scorm12")) as base_url:
        learner = cf.start(page, base_url, "1.2")
        h.wait_for_call(page, "LMSCommit")  # the first launch sets "incomplete": a status
        before = len(h.calls(page, "LMSCommit"))
        learner.next()
        page.clock.run_for(1000)
        after_page = len(h.calls(page, "LMSCommit"))
        page.clock.run_for(3 * 60 * 1000)
        after_3_min = len(h.calls(page, "LMSCommit"))
        page.clock.run_for(7 * 60 * 1000)
        after_10_min = len(h.calls(page, "LMSCommit"))
        cf.end_session(page, "1.2")
    if profile == "generic":
        assert after_page == before + 1 and after_10_min == after_page  # nothing left to commit
    else:
        assert after_page == before and after_3_min == before and after_10_min == before + 1


@pytest.mark.parametrize("profile", ["generic", "cornerstone"])
def test_failed_written_when(page: Any, tmp_path_factory: pytest.TempPathFactory,
                             profile: str) -> None:
    """cornerstone: a failing score writes no 'failed' while the session goes on (the learner
    may still pass); it is written as the session ends, before LMSFinish. generic writes it
    at once."""
    with h.serve(site(tmp_path_factory, profile, "scorm12")) as base_url:
        learner = cf.start(page, base_url, "1.2")
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=False)
        learner.next()
        h.wait_for_call(page, "LMSCommit", count=3)
        during = [v for _, v in sets_of(page, "1.2", r"^cmi\.core\.lesson_status$")]
        cf.end_session(page, "1.2")
        recorded = h.calls(page)
    statuses = [c["args"][1] for c in recorded if c["method"] == "LMSSetValue"
                and c["args"][0] == "cmi.core.lesson_status"]
    finish = next(i for i, c in enumerate(recorded) if c["method"] == "LMSFinish")
    last_failed = max(i for i, c in enumerate(recorded) if c["method"] == "LMSSetValue"
                      and c["args"] == ["cmi.core.lesson_status", "failed"])
    assert statuses[-1] == "failed" and last_failed < finish
    if profile == "generic":
        assert "failed" in during
    else:
        assert "failed" not in during


def test_cornerstone_learner_who_passes_is_never_failed(
        page: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """cornerstone: fail, try again and pass in one session: 'failed' is never written."""
    with h.serve(site(tmp_path_factory, "cornerstone", "scorm12")) as base_url:
        learner = cf.start(page, base_url, "1.2")
        learner.walk_to(cf.QUIZ_PAGE)
        learner.answer_all(right=False)
        learner.frame.get_by_role("button", name="Try again").click()
        learner.answer_all(right=True)
        learner.next()
        cf.end_session(page, "1.2")
        statuses = [v for _, v in sets_of(page, "1.2", r"^cmi\.core\.lesson_status$")]
    assert "failed" not in statuses and statuses[-1] == "passed"
