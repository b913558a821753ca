"""Self-test of the browser harness, with hand-written pages instead of a compiled course."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e import harness as h

pytestmark = pytest.mark.e2e

MINI_SCO = h.FIXTURES_DIR / "mini_sco"
OUTSIDE = h.FIXTURES_DIR / "outside"
INIT = {"1.2": "LMSInitialize", "2004": "Initialize"}
FINISH = {"1.2": "LMSFinish", "2004": "Terminate"}


def zip_dir(src: Path, zip_path: Path) -> Path:
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(src).as_posix())
    return zip_path


@pytest.fixture
def mini_site(tmp_path: Path) -> Path:
    """A site whose /pkg/ is the mini SCO, laid out from a zip as a real package would be."""
    package = zip_dir(MINI_SCO, tmp_path / "mini.zip")
    return h.make_site(tmp_path / "site", package)


def run_session(page, base_url: str, version: str, saved_state=None, **kw):
    """Launch the mini SCO, press Finish, wait for the SCO to finish; return its frame."""
    frame = h.open_in_lms(page, base_url, version, saved_state, **kw)
    h.wait_for_call(page, INIT[version])
    frame.get_by_role("button", name="Finish").click()
    h.wait_for_call(page, FINISH[version])
    return frame


# --------------------------------------------------------------------------- no browser


def test_unzip_rejects_paths_outside_dest(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../evil.txt", "x")
    with pytest.raises(ValueError, match="unsafe path"):
        h.unzip(bad, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()


def test_unzip_and_serve(mini_site: Path) -> None:
    assert (mini_site / "pkg" / "index.html").is_file()
    with h.serve(mini_site) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{base_url}/pkg/index.html") as r:
            assert b"Mini SCO" in r.read()
        with urllib.request.urlopen(
            f"{base_url}/lms/node_modules/scorm-again/dist/scorm12.min.js"
        ) as r:
            assert r.headers["Content-Type"].startswith("text/javascript")
            assert r.read(40).startswith(b"this.Scorm12API=")
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{base_url}/pkg/nope.html")
        assert base_url.not_found() == ["/pkg/nope.html"]


def test_prerequisites_fail_rather_than_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(h, "CHROMIUM", Path("/nonexistent/chromium"))
    with pytest.raises(pytest.fail.Exception, match="scripts/test"):
        h.check_prerequisites()


def test_is_loopback() -> None:
    assert h.is_loopback("http://127.0.0.1:8000/x")
    assert h.is_loopback("http://localhost/x")
    assert h.is_loopback("http://[::1]:9/x")
    assert h.is_loopback("data:text/plain,x")
    assert not h.is_loopback("https://example.com/")
    assert not h.is_loopback("http://10.0.0.1/")
    assert not h.is_loopback("wss://example.org/")
    assert not h.is_loopback("file:///etc/passwd")


def test_times() -> None:
    assert h.time_to_seconds("0001:02:03.5", "1.2") == 3723.5
    assert h.time_to_seconds("00:00:10", "1.2") == 10
    assert h.time_to_seconds("PT1H2M3.5S", "2004") == 3723.5
    assert h.time_to_seconds("P1DT1S", "2004") == 86401
    assert h.seconds_to_time(3723.5, "1.2") == "0001:02:03.50"
    assert h.seconds_to_time(90, "2004") == "PT0H1M30S"
    with pytest.raises(ValueError):
        h.time_to_seconds("1:2", "1.2")
    with pytest.raises(ValueError):
        h.time_to_seconds("PT", "2004")


def test_saved_state_from_12() -> None:
    cmi: dict[str, Any] = {
        "cmi": {
            "suspend_data": "abc",
            "launch_data": "",
            "core": {
                "student_id": "u1",
                "lesson_location": "p3",
                "lesson_status": "incomplete",
                "entry": "ab-initio",
                "exit": "suspend",
                "total_time": "0000:10:00",
                "session_time": "00:05:00",
                "score": {"raw": "50", "min": "", "max": "100"},
            },
            "objectives": {
                "0": {"id": "o1", "status": "passed", "score": {"raw": "", "min": "", "max": "100"}}
            },
            "interactions": {"0": {"id": "q1", "type": "choice"}},
        }
    }
    state = h.saved_state_from(cmi, "1.2")
    assert state == {
        "cmi.core.student_id": "u1",
        "cmi.core.lesson_location": "p3",
        "cmi.core.lesson_status": "incomplete",
        "cmi.core.score.raw": "50",
        "cmi.core.score.max": "100",
        "cmi.suspend_data": "abc",
        "cmi.objectives.0.id": "o1",
        "cmi.objectives.0.status": "passed",
        "cmi.objectives.0.score.max": "100",
        "cmi.core.total_time": "0000:15:00",
        "cmi.core.entry": "resume",
    }
    cmi["cmi"]["core"]["exit"] = ""
    assert h.saved_state_from(cmi, "1.2", entry="auto")["cmi.core.entry"] == ""
    assert "cmi.objectives.0.id" not in h.saved_state_from(cmi, "1.2", objectives=False)


def test_saved_state_from_2004() -> None:
    cmi = {
        "cmi": {
            "location": "p2",
            "suspend_data": "s",
            "completion_status": "incomplete",
            "success_status": "unknown",
            "progress_measure": "0.5",
            "exit": "suspend",
            "total_time": "PT0S",
            "session_time": "PT1M30S",
            "score": {"scaled": "", "raw": "", "min": "", "max": ""},
        }
    }
    assert h.saved_state_from(cmi, "2004", entry="auto") == {
        "cmi.location": "p2",
        "cmi.suspend_data": "s",
        "cmi.completion_status": "incomplete",
        "cmi.progress_measure": "0.5",
        "cmi.total_time": "PT0H1M30S",
        "cmi.entry": "resume",
    }


# --------------------------------------------------------------------------- in the browser


@pytest.mark.parametrize("version", h.VERSIONS)
def test_records_calls_and_cmi(page, mini_site: Path, version: str) -> None:
    with h.serve(mini_site) as base_url:
        frame = run_session(page, base_url, version)
        assert frame.locator("#standard").text_content() == version
        assert frame.locator("#entry").text_content() == "ab-initio"
        assert frame.get_by_text("Finished").is_visible()
        assert base_url.not_found() == []

    recorded = h.calls(page)
    methods = [c["method"] for c in recorded]
    assert methods[0] == INIT[version]
    assert methods[-1] == FINISH[version]
    assert methods.count(INIT[version]) == 1
    assert [c["seq"] for c in recorded] == list(range(len(recorded)))
    first = recorded[0]
    assert first["args"] == [""] and first["result"] == "true" and first["error"] == "0"

    if version == "1.2":
        assert {
            "method": "LMSGetValue",
            "args": ["cmi.core.entry"],
            "result": "ab-initio",
        }.items() <= recorded[1].items()
        assert h.failed_calls(page) == []
        assert h.set_values(page)["cmi.core.lesson_status"] == "passed"
        assert methods.count("LMSCommit") == 2
    else:
        # Reading an element never set is error 403 in SCORM 2004: recorded with its code.
        failed = [(c["method"], c["args"][0], c["error"]) for c in h.failed_calls(page)]
        assert failed == [
            ("GetValue", "cmi.suspend_data", "403"),
            ("GetValue", "cmi.location", "403"),
        ]
        assert h.set_values(page)["cmi.success_status"] == "passed"
        assert methods.count("Commit") == 2
    assert h.calls(page, "LMSSetValue" if version == "1.2" else "SetValue")[0]["args"] == [
        "cmi.suspend_data",
        "visits=1",
    ]
    assert h.calls_after_finish(page) == []

    data = h.cmi(page)["cmi"]
    assert data["suspend_data"] == "visits=1"
    if version == "1.2":
        core = data["core"]
        assert core["lesson_status"] == "passed"
        assert core["lesson_location"] == "page-1"
        assert core["score"] == {"raw": "80", "min": "0", "max": "100"}
        assert core["exit"] == "suspend"
        assert core["entry"] == "ab-initio"
        assert core["student_id"] == "learner-0001"
    else:
        assert data["completion_status"] == "completed"
        assert data["success_status"] == "passed"
        assert data["location"] == "page-1"
        assert data["score"]["scaled"] == "0.8"
        assert data["exit"] == "suspend"
        assert data["entry"] == "ab-initio"
        assert data["learner_id"] == "learner-0001"
    assert h.page_errors(page) == []
    assert h.blocked_requests(page) == []


@pytest.mark.parametrize("version", h.VERSIONS)
def test_relaunch_with_saved_state_resumes(page, mini_site: Path, version: str) -> None:
    entry_key = "cmi.core.entry" if version == "1.2" else "cmi.entry"
    total_key = "cmi.core.total_time" if version == "1.2" else "cmi.total_time"
    with h.serve(mini_site) as base_url:
        run_session(page, base_url, version)
        state = h.saved_state_from(h.cmi(page), version)
        assert state[entry_key] == "resume"
        assert state["cmi.suspend_data"] == "visits=1"
        assert h.time_to_seconds(state[total_key], version) == 90

        frame = run_session(page, base_url, version, state)
        assert frame.locator("#entry").text_content() == "resume"
        assert frame.locator("#suspend").text_content() == "visits=1"
        assert frame.locator("#location").text_content() == "page-1"
        loaded = h.loaded_state(page)
        assert loaded is not None and loaded[entry_key] == "resume"

        recorded = h.calls(page)  # a relaunch starts a new record
        assert recorded[0]["method"] == INIT[version]
        assert recorded[1]["args"] == [entry_key] and recorded[1]["result"] == "resume"
        assert h.failed_calls(page) == []  # suspend_data and location are set this time
        data = h.cmi(page)["cmi"]
        assert data["suspend_data"] == "visits=2"

        # A third session: total time keeps adding up across relaunches.
        state2 = h.saved_state_from(h.cmi(page), version)
        assert h.time_to_seconds(state2[total_key], version) == 180
        frame = run_session(page, base_url, version, state2)
        assert frame.locator("#suspend").text_content() == "visits=2"


@pytest.mark.parametrize("version", h.VERSIONS)
def test_lms_supplied_values_on_first_launch(page, mini_site: Path, version: str) -> None:
    key = "cmi.student_data.mastery_score" if version == "1.2" else "cmi.scaled_passing_score"
    value = "80" if version == "1.2" else "0.8"
    with h.serve(mini_site) as base_url:
        frame = h.open_in_lms(page, base_url, version, lms_cmi={key: value})
        h.wait_for_call(page, INIT[version])
        assert frame.locator("#entry").text_content() == "ab-initio"
    flat = h.flatten_cmi(h.cmi(page))
    assert flat[key] == value


def test_bad_saved_state_fails_loudly(page, mini_site: Path) -> None:
    with (
        h.serve(mini_site) as base_url,
        pytest.raises(AssertionError, match="cmi.core.lesson_status"),
    ):
        h.open_in_lms(page, base_url, "1.2", {"cmi.core.lesson_status": "complete"})


def test_scorm12_accepts_calls_after_finish_so_the_record_must_catch_them(
    page, mini_site: Path
) -> None:
    """scorm-again as it is (lenient=True): SCORM 1.2 calls after LMSFinish succeed."""
    with h.serve(mini_site) as base_url:
        frame = run_session(page, base_url, "1.2", lenient=True)
        result = frame.evaluate(
            "() => [parent.API.LMSSetValue('cmi.core.lesson_status', 'failed'),"
            " parent.API.LMSGetLastError()]"
        )
    assert result == ["true", "0"]  # scorm-again's leniency (see shared notes)
    after = h.calls_after_finish(page)
    assert [c["method"] for c in after] == ["LMSSetValue", "LMSGetLastError"]


def test_the_lms_is_strict_where_scorm_again_is_lenient(page, mini_site: Path) -> None:
    """By default the LMS page refuses what real LMSs refuse and scorm-again lets through:
    SCORM 1.2 suspend_data over 4,096 characters, the 2004 result word "incorrect", and any
    call after LMSFinish (error 301, "not initialized", as Moodle answers)."""
    with h.serve(mini_site) as base_url:
        frame = h.open_in_lms(page, base_url, "1.2")
        h.wait_for_call(page, "LMSInitialize")
        before = frame.evaluate(
            """() => [parent.API.LMSSetValue('cmi.suspend_data', 'x'.repeat(4097)),
                      parent.API.LMSGetLastError(),
                      parent.API.LMSSetValue('cmi.suspend_data', 'x'.repeat(4096)),
                      parent.API.LMSGetLastError(),
                      parent.API.LMSSetValue('cmi.interactions.0.id', 'q1'),
                      parent.API.LMSSetValue('cmi.interactions.0.type', 'choice'),
                      parent.API.LMSSetValue('cmi.interactions.0.result', 'incorrect'),
                      parent.API.LMSGetLastError()]""")
        frame.get_by_role("button", name="Finish").click()
        h.wait_for_call(page, "LMSFinish")
        after = frame.evaluate(
            """() => [parent.API.LMSSetValue('cmi.core.lesson_status', 'failed'),
                      parent.API.LMSGetLastError(),
                      parent.API.LMSGetValue('cmi.core.lesson_status'),
                      parent.API.LMSCommit(''), parent.API.LMSFinish(''),
                      parent.API.LMSGetLastError()]""")
    assert before == ["false", "405", "true", "0", "true", "true", "false", "405"]
    assert after == ["false", "301", "", "false", "false", "301"]
    assert [c["error"] for c in h.calls_after_finish(page)
            if c["method"] != "LMSGetLastError"] == ["301"] * 4


def test_blocks_and_records_requests_outside_loopback(page, tmp_path: Path) -> None:
    site = h.make_site(tmp_path, OUTSIDE)
    with h.serve(site) as base_url:
        frame = h.open_in_lms(page, base_url, "2004")
        frame.get_by_text("Done").wait_for(state="visible")
        page.wait_for_timeout(300)
        blocked = h.blocked_requests(page)
        assert set(blocked) >= {
            "https://fonts.example.com/css?family=Roboto",
            "http://203.0.113.7/lib.js",
            "https://cdn.example.com/logo.png",
            "https://api.example.net/track",
            "wss://socket.example.org/live",
        }
        assert all(not h.is_loopback(u) for u in blocked)
        assert base_url.not_found() == ["/pkg/local.png"]
        # and none got out: the browser has no way but loopback (a dead proxy, no name lookups)
        assert any(re.search(r"ERR_(PROXY_CONNECTION_FAILED|NAME_NOT_RESOLVED|TUNNEL)", m["text"])
                   for m in h.console_messages(page, "error")), h.console_messages(page, "error")
        blocked.clear()  # expected here; otherwise the page fixture fails the test at teardown


def test_run_axe(page, mini_site: Path) -> None:
    with h.serve(mini_site) as base_url:
        frame = h.open_in_lms(page, base_url, "1.2")
        assert h.run_axe(frame) == [], h.format_violations(h.run_axe(frame))

        frame = h.open_in_lms(page, base_url, "1.2", launch="/pkg/bad_a11y.html")
        violations = h.run_axe(frame)
    ids = {v["id"] for v in violations}
    assert {"image-alt", "button-name"} <= ids, json.dumps(violations, indent=1)
    assert all(v["impact"] in ("serious", "critical") for v in violations)
    assert "image-alt" in h.format_violations(violations)


@pytest.mark.parametrize("how", ["window.__savedState", "stateUrl"])
def test_other_ways_to_hand_the_lms_a_saved_state(page, mini_site: Path, how: str) -> None:
    state = {"cmi.suspend_data": "visits=4", "cmi.location": "page-4"}
    with h.serve(mini_site) as base_url:
        url = h.lms_url(base_url, "2004")
        if how == "stateUrl":
            (mini_site / "state.json").write_text(json.dumps(state))
            url += "&stateUrl=/state.json"
        else:
            page.add_init_script(f"window.__savedState = {json.dumps(state)};")
        page.goto(url)
        frame = page.frame_locator("iframe[title='Course']")
        expect(frame.locator("#entry")).to_have_text("resume")
        expect(frame.locator("#suspend")).to_have_text("visits=4")
        expect(frame.locator("#location")).to_have_text("page-4")
