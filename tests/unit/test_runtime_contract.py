"""The runtime's adapter interface is written once (runtime/core/adapter.js) and kept: every
adapter has the members its REQUIRED list names, the core never calls an adapter except through
R.call (nothing probes an adapter ad hoc), and the runtime's files share their private namespace
only while they load. Run in Node (scripts/test installs it with npm's packages)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUNTIME = REPO / "course_builder" / "runtime"
CORE = ["adapter.js", "state.js", "collector.js", "journal.js", "tracker.js", "blocks.js",
        "nav.js"]
ADAPTERS = ["_scorm_api.js", "none.js", "_lrs.js", "scorm12.js", "scorm2004.js", "xapi.js",
            "cmi5.js"]


def required_members() -> list[str]:
    """The member names listed under REQUIRED in adapter.js's contract."""
    text = (RUNTIME / "core" / "adapter.js").read_text(encoding="utf-8")
    block = text.split("REQUIRED members", 1)[1].split("OPTIONAL members", 1)[0]
    return re.findall(r"^ \*   (\w+)", block, re.M)


def test_contract_names_the_members() -> None:
    assert required_members() == ["name", "statuses", "log", "start", "setLocation",
                                  "setSuspend", "setProgress", "setScore", "record",
                                  "setExit", "commit", "terminate"]


def test_core_calls_adapters_only_through_the_one_door() -> None:
    for name in CORE + ["boot.js"]:
        text = (RUNTIME / "core" / name).read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
        calls = re.findall(r"\badapter\.(\w+)\s*\(", code)
        assert calls == [], f"{name} calls adapter.{calls} directly: use R.call"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_every_adapter_has_the_required_members() -> None:
    course = {"id": "c", "version": "1", "fingerprint": "abcd", "language": "en-GB",
              "pages": [{"id": "p", "title": "P", "module": 0}],
              "modules": [{"slug": "m", "title": "M"}], "blocks": [], "interactions": {},
              "rules": {"completionPercent": 100, "require": [], "passMark": None},
              "xapi": {"course": {"id": "https://e.org/c"}, "verbs": {}, "pages": {},
                       "questions": {}, "modules": [], "stateId": "s",
                       "cmi5": {"session": "x"}}}
    files = [RUNTIME / "core" / n for n in CORE] + [RUNTIME / "adapters" / n for n in ADAPTERS]
    script = """
        const store = {};
        global.window = global;
        window.localStorage = {getItem: k => store[k] || null, setItem: (k, v) => { store[k] = v; },
                               removeItem: k => { delete store[k]; }};
        window.location = {search: "", hash: ""};
        window.crypto = require("crypto").webcrypto;
        window.addEventListener = () => {};
        global.document = {addEventListener: () => {}};
        for (const f of FILES) require(f);
        const R = window.__cb, course = COURSE, out = {};
        const lrs = R.lrs.adapter(course, {endpoint: "http://127.0.0.1:9/", auth: "", log: [],
          actor: {mbox: "mailto:a@example.org"}, registration: "r", activityId: "https://e.org/c",
          cmi5: null});
        const made = {none: R.adapters.none(course), scorm12: R.adapters.scorm12(course),
                      scorm2004: R.adapters.scorm2004(course), xapi: lrs};
        for (const k in made) out[k] = Object.keys(made[k]);
        console.log(JSON.stringify(out));
    """.replace("FILES", json.dumps([str(f) for f in files])).replace("COURSE", json.dumps(course))
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True,
                            timeout=60)
    members = json.loads(result.stdout)
    for name, present in members.items():
        missing = [m for m in required_members() if m not in present]
        assert missing == [], f"the {name} adapter lacks {missing}"
    assert "setLessonStatus" in members["scorm12"]
    assert {"setCompletion", "setSuccess"} <= set(members["scorm2004"])
    assert {"setCompletion", "setSuccess"} <= set(members["xapi"])


def test_runtime_files_share_only_a_private_namespace_while_loading() -> None:
    """Every runtime file but boot.js works on window.__cb (boot.js takes it and removes
    it); the public CB gets only what blocks.js, i18n.js and boot.js document."""
    for path in sorted(RUNTIME.rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
        private = "window.__cb = window.__cb || {}"
        assert code.rstrip().endswith((f"}})({private});",
                                       f"}})({private}, window.CB = window.CB || {{}});",
                                       "})(window.__cb, window.CB = window.CB || {});")), path.name
        public = set(re.findall(r"\bCB\.(\w+)\s*=", code))
        assert public <= {"registerBlock", "t", "diagnose", "debug"}, (path.name, public)
