"""`course-builder preview` in Chromium, as an author uses it: a course made with `new course`
is shown in the LMS simulator; saving a module reloads the course with the change on the same
page; a broken save shows its errors with file and line in the page and the terminal while the
last good build stays up; the simulator's SCORM APIs answer with the standard error codes, its
cmi5 mode and no-LMS mode run the course, and the simulator page passes axe."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from course_builder.cli import main
from tests.e2e import harness as h
from tests.e2e.preview_process import run_preview

pytestmark = pytest.mark.e2e

PAGE_2 = "Planning the agenda"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    result = CliRunner().invoke(main, ["new", "course", str(tmp_path / "meetings")])
    assert result.exit_code == 0, result.output
    return tmp_path / "meetings"


def heading(page: Any) -> Any:
    return page.frame_locator("#course").locator(".cb-page:not([hidden]) h1")


def open_simulator(page: Any, url: str, lms: str) -> None:
    page.goto(f"{url}?lms={lms}", wait_until="load")
    calls = page.locator("#pv-calls")
    if lms in ("scorm12", "scorm2004"):
        expect(calls).to_contain_text("Initialize(\"\") \u2192 \"true\"")
    heading(page).wait_for(state="visible")


def next_page(page: Any) -> None:
    page.frame_locator("#course").get_by_role("button", name="Next", exact=True).click()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_save_reloads_on_the_same_page_and_errors_keep_the_last_good_build(
        page: Any, course: Path) -> None:
    module = course / "modules" / "welcome" / "module.yaml"
    with run_preview(course) as preview:
        preview.wait_for_output(r"^build 1: ready in \d+ ms$")
        open_simulator(page, preview.url, "scorm12")
        expect(page.locator("#pv-build")).to_have_text(re.compile(r"^Build 1 ready in \d+ ms"))
        next_page(page)
        expect(heading(page)).to_have_text(PAGE_2)
        frame = page.frame_locator("#course")
        expect(page.locator("#pv-data")).to_contain_text("welcome/agenda")

        # 1. A change: the course reloads with it, on the page the learner was on.
        edit(module, "A good agenda lists each topic with:",
             "A good agenda lists every topic with:")
        preview.wait_for_output(r"^build 2: ready in \d+ ms$")
        expect(page.locator("#pv-build")).to_have_text(re.compile(r"^Build 2 ready"))
        expect(frame.get_by_text("A good agenda lists every topic with:")).to_be_visible()
        expect(heading(page)).to_have_text(PAGE_2)
        calls = page.locator("#pv-calls")
        expect(calls).to_contain_text("Launch 2 (SCORM 1.2, resume, build 2)")
        expect(calls).to_contain_text('LMSSetValue("cmi.core.exit", "suspend") \u2192 "true"')
        expect(calls).to_contain_text('LMSGetValue("cmi.core.entry") \u2192 "resume"')

        # 2. A YAML mistake: shown with file and line, in the page and the terminal; the last
        #    good build is still served and the course is not reloaded.
        edit(module, "        items:\n", "        items: [\n")
        line = preview.wait_for_output(r"modules/welcome/module\.yaml:\d+:\d+: error: ")
        where = re.search(r"modules/welcome/module\.yaml:\d+:\d+", line).group(0)
        preview.wait_for_output(r"^build 3: 1 error\(s\) in \d+ ms; build 2 is still shown$")
        errors = page.get_by_role("alert")
        expect(errors).to_contain_text(where)
        expect(errors).to_contain_text("invalid YAML")
        expect(errors).to_contain_text("The page still shows build 2, the last good one.")
        expect(page.locator("#pv-build")).to_have_text("Build 3 failed: 1 error(s)")
        expect(frame.get_by_text("A good agenda lists every topic with:")).to_be_visible()
        expect(heading(page)).to_have_text(PAGE_2)
        assert "Launch 3" not in calls.inner_text()
        served = urllib.request.urlopen(preview.url + "course/scorm12/index.html").read()
        assert b"A good agenda lists every topic with:" in served

        # 3. Fixed: the errors go, the course comes back on the same page.
        edit(module, "        items: [\n", "        items:\n")
        preview.wait_for_output(r"^build 4: ready in \d+ ms$")
        expect(page.locator("#pv-errors")).to_be_empty()
        expect(calls).to_contain_text("Launch 3 (SCORM 1.2, resume, build 4)")
        expect(heading(page)).to_have_text(PAGE_2)

        # The simulator page itself is accessible (the course is checked in its own tests).
        violations = h.run_axe(page.main_frame, options={"iframes": False})
        assert violations == [], h.format_violations(violations)
        assert h.page_errors(page) == []


def test_a_field_error_names_the_field_and_the_line(page: Any, course: Path) -> None:
    module = course / "modules" / "check" / "module.yaml"
    with run_preview(course) as preview:
        open_simulator(page, preview.url, "scorm2004")
        edit(module, "            answer: true", "            answer: yes please")
        line = preview.wait_for_output(r"modules/check/module\.yaml:\d+:\d+: error: ")
        assert "answer" in line
        expect(page.get_by_role("alert")).to_contain_text(
            re.search(r"modules/check/module\.yaml:\d+:\d+", line).group(0))


def test_suspend_review_and_reset(page: Any, course: Path) -> None:
    with run_preview(course) as preview:
        open_simulator(page, preview.url, "scorm2004")
        next_page(page)
        expect(heading(page)).to_have_text(PAGE_2)
        data = page.locator("#pv-data")
        calls = page.locator("#pv-calls")
        page.get_by_role("button", name="Suspend and relaunch").click()
        expect(calls).to_contain_text("Launch 2 (SCORM 2004, resume, build 1)")
        expect(heading(page)).to_have_text(PAGE_2)
        expect(data).to_contain_text("resume, normal")
        page.get_by_role("button", name="Relaunch in review mode").click()
        expect(calls).to_contain_text("Launch 3 (SCORM 2004, review mode, build 1)")
        expect(data).to_contain_text(re.compile(r"Entry, mode\s*(resume|), review"))
        page.get_by_role("button", name="Reset").click()
        expect(calls).to_contain_text("Launch 4 (SCORM 2004, first launch, build 1)")
        expect(heading(page)).to_have_text("Every meeting needs a purpose")
        expect(data).to_contain_text("ab-initio, normal")


def test_scorm_apis_answer_with_the_standard_error_codes(page: Any, course: Path) -> None:
    with run_preview(course) as preview:
        open_simulator(page, preview.url, "scorm12")
        results = page.evaluate("""() => {
            const codes = (api, calls, last) => calls.map(([name, ...args]) => {
                const result = api[name](...args);
                return [name, args[0] || '', result, api[last]()];
            });
            const a = PreviewScorm.create('1.2', {}, {});
            const b = PreviewScorm.create('2004', {}, {});
            return {
              v12: codes(a, [
                ['LMSGetValue', 'cmi.core.lesson_status'],
                ['LMSInitialize', ''], ['LMSInitialize', ''],
                ['LMSSetValue', 'cmi.core.lesson_status', 'complete'],
                ['LMSSetValue', 'cmi.core.score.raw', '150'],
                ['LMSSetValue', 'cmi.suspend_data', 'x'.repeat(4097)],
                ['LMSGetValue', 'cmi.core.exit'],
                ['LMSSetValue', 'cmi.core.credit', 'no-credit'],
                ['LMSSetValue', 'cmi.interactions.1.id', 'q2'],
                ['LMSSetValue', 'cmi.core._children', 'x'],
                ['LMSGetValue', 'cmi.core.lesson_location._children'],
                ['LMSGetValue', 'cmi.core._count'],
                ['LMSGetValue', 'cmi.nothing'],
                ['LMSFinish', ''], ['LMSSetValue', 'cmi.core.lesson_location', 'x'],
              ], 'LMSGetLastError'),
              v2004: codes(b, [
                ['Initialize', ''], ['Initialize', ''],
                ['GetValue', 'cmi.location'],
                ['SetValue', 'cmi.interactions.0.type', 'choice'],
                ['SetValue', 'cmi.interactions.0.id', 'q1'],
                ['SetValue', 'cmi.interactions.0.learner_response', 'a'],
                ['SetValue', 'cmi.interactions.0.type', 'choice'],
                ['SetValue', 'cmi.interactions.0.learner_response', 'a b'],
                ['SetValue', 'cmi.interactions.2.id', 'q3'],
                ['SetValue', 'cmi.score.scaled', '1.5'],
                ['SetValue', 'cmi.completion_status', 'complete'],
                ['SetValue', 'cmi.suspend_data', 'x'.repeat(64001)],
                ['SetValue', 'cmi.mode', 'normal'],
                ['GetValue', 'cmi.session_time'],
                ['GetValue', 'cmi.undefined'],
                ['Terminate', ''], ['Commit', ''], ['Terminate', ''], ['Initialize', ''],
              ], 'GetLastError'),
            };
        }""")
    assert [(name, element, result, code) for name, element, result, code in results["v12"]] == [
        ("LMSGetValue", "cmi.core.lesson_status", "", "301"),
        ("LMSInitialize", "", "true", "0"),
        ("LMSInitialize", "", "false", "101"),
        ("LMSSetValue", "cmi.core.lesson_status", "false", "405"),
        ("LMSSetValue", "cmi.core.score.raw", "false", "405"),
        ("LMSSetValue", "cmi.suspend_data", "false", "405"),
        ("LMSGetValue", "cmi.core.exit", "", "404"),
        ("LMSSetValue", "cmi.core.credit", "false", "403"),
        ("LMSSetValue", "cmi.interactions.1.id", "false", "201"),
        ("LMSSetValue", "cmi.core._children", "false", "402"),
        ("LMSGetValue", "cmi.core.lesson_location._children", "", "202"),
        ("LMSGetValue", "cmi.core._count", "", "203"),
        ("LMSGetValue", "cmi.nothing", "", "201"),
        ("LMSFinish", "", "true", "0"),
        ("LMSSetValue", "cmi.core.lesson_location", "false", "301"),
    ]
    assert [(name, element, result, code) for name, element, result, code in results["v2004"]] == [
        ("Initialize", "", "true", "0"),
        ("Initialize", "", "false", "103"),
        ("GetValue", "cmi.location", "", "403"),
        ("SetValue", "cmi.interactions.0.type", "false", "408"),
        ("SetValue", "cmi.interactions.0.id", "true", "0"),
        ("SetValue", "cmi.interactions.0.learner_response", "false", "408"),
        ("SetValue", "cmi.interactions.0.type", "true", "0"),
        ("SetValue", "cmi.interactions.0.learner_response", "false", "406"),
        ("SetValue", "cmi.interactions.2.id", "false", "351"),
        ("SetValue", "cmi.score.scaled", "false", "407"),
        ("SetValue", "cmi.completion_status", "false", "406"),
        ("SetValue", "cmi.suspend_data", "false", "406"),
        ("SetValue", "cmi.mode", "false", "404"),
        ("GetValue", "cmi.session_time", "", "405"),
        ("GetValue", "cmi.undefined", "", "401"),
        ("Terminate", "", "true", "0"),
        ("Commit", "", "false", "143"),
        ("Terminate", "", "false", "113"),
        ("Initialize", "", "false", "104"),
    ]


def test_cmi5_and_no_lms_modes_run_the_course(page: Any, course: Path) -> None:
    with run_preview(course) as preview:
        open_simulator(page, preview.url, "cmi5")
        calls = page.locator("#pv-calls")
        expect(calls).to_contain_text("POST fetch URL \u2192 200")
        expect(calls).to_contain_text("GET activities/state \u2192 200 (LMS.LaunchData)")
        expect(calls).to_contain_text("PUT statements \u2192 204 (initialized)")
        next_page(page)
        expect(heading(page)).to_have_text(PAGE_2)
        expect(page.locator("#pv-data")).to_contain_text("welcome/agenda")
        summary = json.loads(urllib.request.urlopen(preview.url + "_preview/cmi5/summary").read())
        assert summary["verbs"][:2] == ["launched", "initialized"]
        assert "experienced" in summary["verbs"]

        page.get_by_label("Run the course as").select_option("web")
        expect(page).to_have_url(re.compile(r"\?lms=web$"))
        expect(calls).to_contain_text(re.compile(r"Launch \d \(No LMS \(web\), normal, build 1\)"))
        frame = page.frame_locator("#course")
        expect(frame.get_by_role("status").filter(
            has_text="Your progress is saved in this browser only.")).to_be_visible()
        next_page(page)
        expect(heading(page)).to_have_text(PAGE_2)
        page.get_by_role("button", name="Suspend and relaunch").click()
        expect(calls).to_contain_text(re.compile(r"Launch \d \(No LMS \(web\), normal, build 1\)"
                                                 r"[^L]*Launch \d \(No LMS"))
        expect(heading(page)).to_have_text(PAGE_2)
        expect(page.locator("#pv-data")).to_contain_text("welcome/agenda")
        assert h.page_errors(page) == []


def test_only_this_machine_may_ask(course: Path) -> None:
    with run_preview(course) as preview:
        port = preview.url.rsplit(":", 1)[1].rstrip("/")
        request = urllib.request.Request(preview.url, headers={"Host": f"example.org:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 403
        assert urllib.request.urlopen(preview.url).status == 200
