"""The preview without a browser: the last good build stays served when a save breaks the course,
an edited plugin.py is imported again, the server listens on 127.0.0.1 only, the watcher ignores
build output, and the cmi5 mode's LMS and xAPI endpoint behave as a cmi5 player does."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.preview.lms import PreviewLms
from course_builder.preview.server import PreviewServer
from course_builder.preview.watch import CourseFilter


@pytest.fixture
def course(tmp_path: Path) -> Path:
    assert CliRunner().invoke(main, ["new", "course", str(tmp_path / "c")]).exit_code == 0
    return tmp_path / "c"


@pytest.fixture
def server(course: Path):
    lines: list[str] = []
    preview = PreviewServer(course, echo=lines.append)
    preview.lines = lines  # type: ignore[attr-defined]
    preview.rebuild()
    preview.start()
    yield preview
    preview.stop()


def get(url: str) -> bytes:
    return urllib.request.urlopen(url).read()


def test_listens_on_loopback_only(server):
    assert server.httpd.server_address[0] == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.port}/"


def test_a_broken_save_keeps_the_last_good_build(server, course):
    module = course / "modules" / "welcome" / "module.yaml"
    good = module.read_text()
    assert server.status()["serving"] == 1
    module.write_text(good.replace("title: Planning the agenda", "title: Planning the agenda\n"
                                   "    bad: [", 1))
    snapshot = server.rebuild()
    assert not snapshot.ok
    status = server.status()
    assert (status["build"], status["ok"], status["serving"]) == (2, False, 1)
    (error,) = [d for d in status["diagnostics"] if d["level"] == "error"]
    assert error["where"].startswith("modules/welcome/module.yaml:")
    assert any(line.startswith("modules/welcome/module.yaml:") for line in server.lines)
    assert server.lines[-1].startswith("build 2: 1 error(s) in ")
    assert server.lines[-1].endswith("; build 1 is still shown")
    assert b"Planning the agenda" in get(server.url + "course/scorm12/index.html")
    module.write_text(good.replace("Planning the agenda", "Planning an agenda"))
    assert server.rebuild().ok
    assert server.status()["serving"] == 3
    assert b"Planning an agenda" in get(server.url + "course/scorm12/index.html")


def test_each_mode_serves_its_own_package(server):
    for mode, adapter in (("scorm12", "scorm12"), ("scorm2004", "scorm2004"), ("cmi5", "cmi5"),
                          ("web", "none")):
        html = get(server.url + f"course/{mode}/index.html").decode()
        assert f'"adapter":"{adapter}"' in html
        script = get(server.url + f"course/{mode}/assets/course.js").decode()
        assert '<script src="assets/course.js">' in html
        assert f"/* assets/runtime/{adapter}.js */" in script
    assert get(server.url + "course/web/assets/course.css")
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(server.url + "course/web/nothing.js")
    assert missing.value.code == 404
    status = json.loads(get(server.url + "_preview/status"))
    assert status["course"]["title"] == "C" and status["ok"] is True


def test_an_edited_plugin_is_imported_again(server, course):
    assert CliRunner().invoke(main, ["new", "plugin", "checklist", "--course", str(course)]
                              ).exit_code == 0
    module = course / "modules" / "welcome" / "module.yaml"
    module.write_text(module.read_text().replace(
        "      - type: accordion\n",
        "      - type: checklist\n        id: list\n        title: Ready?\n"
        "        items: [One, Two]\n      - type: accordion\n", 1))
    assert server.rebuild(plugins_changed=True).ok
    plugin = course / "plugins" / "checklist" / "plugin.py"
    plugin.write_text(plugin.read_text().replace("min_length=1, max_length=60",
                                                 "min_length=3, max_length=60"))
    snapshot = server.rebuild(plugins_changed=True)
    assert not snapshot.ok
    assert any("items: tuple should have at least 3 items" in d.message
               for d in snapshot.diagnostics), [d.message for d in snapshot.diagnostics]


def test_the_watcher_ignores_build_output_and_schemas(course):
    keep = CourseFilter()
    from watchfiles import Change

    assert keep(Change.modified, str(course / "modules" / "welcome" / "module.yaml"))
    assert keep(Change.modified, str(course / "plugins" / "x" / "plugin.py"))
    assert not keep(Change.added, str(course / "build" / "c-0.1.0-web.zip"))
    assert not keep(Change.modified, str(course / "schema" / "module.schema.json"))
    assert not keep(Change.modified, str(course / "modules" / "welcome" / ".module.yaml.swp"))


# -- the cmi5 mode's LMS and xAPI endpoint --------------------------------------------------------
V = {"x-experience-api-version": "1.0.3"}


def launched(lms: PreviewLms) -> tuple[str, dict[str, str]]:
    query = dict(pair.split("=", 1) for pair in lms.launch("http://127.0.0.1:1").split("&"))
    fetch_id = urllib.parse.unquote(query["fetch"]).rsplit("/", 1)[-1]
    token = json.loads(lms.fetch(fetch_id).body)["auth-token"]
    return fetch_id, {**V, "authorization": f"Basic {token}"}


def statement(lms: PreviewLms, verb: str, actor: dict | None = None) -> bytes:
    return json.dumps({"actor": actor or lms.actor,
                       "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
                       "object": {"id": lms.activity_id},
                       "context": {"registration": lms.registration}}).encode()


def test_cmi5_launch_and_fetch_url():
    lms = PreviewLms(course_id="https://example.org/courses/c", pass_mark=80)
    fetch_id, headers = launched(lms)
    again = json.loads(lms.fetch(fetch_id).body)
    assert again["error-code"] == "1"  # cmi5 8.2.3: one token per fetch URL
    query = {"activityId": lms.activity_id, "agent": json.dumps(lms.actor),
             "registration": lms.registration, "stateId": "LMS.LaunchData"}
    answer = lms.handle("GET", "activities/state", query, headers, b"")
    data = json.loads(answer.body)
    assert answer.status == 200
    assert data["launchMode"] == "Normal" and data["moveOn"] == "CompletedAndPassed"
    assert data["masteryScore"] == 0.8
    session = data["contextTemplate"]["extensions"][
        "https://w3id.org/xapi/cmi5/context/extensions/sessionid"]
    assert session in {s.id for s in lms.sessions.values()}


def test_the_endpoint_refuses_what_a_cmi5_player_refuses():
    lms = PreviewLms(course_id="https://example.org/courses/c")
    _, headers = launched(lms)
    put = {"statementId": "00000000-0000-4000-8000-000000000001"}
    assert lms.handle("PUT", "statements", put, V, statement(lms, "initialized")).status == 401
    assert lms.handle("PUT", "statements", put, {"authorization": headers["authorization"]},
                      statement(lms, "initialized")).status == 400
    other = {"objectType": "Agent", "account": {"homePage": "https://x", "name": "anon"}}
    refused = lms.handle("PUT", "statements", put, headers, statement(lms, "answered", other))
    assert refused.status == 403 and b"8.1.3.0-3" in refused.body
    assert lms.handle("PUT", "statements", put, headers, statement(lms, "initialized")
                      ).status == 204
    assert lms.handle("PUT", "statements", put, headers, statement(lms, "completed")
                      ).status == 409  # the same id with another statement
    state = {"activityId": lms.activity_id, "agent": json.dumps(lms.actor),
             "registration": lms.registration, "stateId": "course_builder.state"}
    assert lms.handle("GET", "activities/state", state, headers, b"").status == 404
    doc = json.dumps({"v": 1, "location": "welcome/agenda", "suspend": "1~x"}).encode()
    assert lms.handle("PUT", "activities/state", state, headers, doc).status == 204
    assert lms.handle("GET", "activities/state", state, headers, b"").body == doc
    end = {"statementId": "00000000-0000-4000-8000-000000000002"}
    assert lms.handle("PUT", "statements", end, headers, statement(lms, "terminated")
                      ).status == 204
    late = lms.handle("PUT", "activities/state", state, headers, doc)
    assert late.status == 403 and b"8.1.2.0-2" in late.body
    summary = lms.summary()
    assert summary["verbs"] == ["launched", "initialized", "terminated"]
    assert summary["location"] == "welcome/agenda"
    assert [r["status"] for r in summary["log"] if r["what"] == "statements"] == [
        401, 400, 403, 204, 409, 204]
