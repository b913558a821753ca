"""LMS profiles: the table is whole (every switch known to the runtime, sourced and explained,
every alias says why), `build --lms-profile` writes it into the course JSON, and
docs/lms-administrators.md lists every profile and switch. The switches' effects are tested in
the browser (tests/e2e/test_lms_profiles.py)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from course_builder import lms_profiles
from course_builder.cli import main

REPO = Path(__file__).resolve().parents[2]
RUNTIME = REPO / "course_builder" / "runtime"


def test_every_profile_is_sourced_or_an_alias_that_says_why() -> None:
    for name, profile in lms_profiles.PROFILES.items():
        assert profile.name == name and profile.title
        if profile.alias_of:
            assert profile.alias_of in lms_profiles.PROFILES
            assert not profile.switches and len(profile.note) > 40, name
        for switch in profile.switches:
            assert switch.name in lms_profiles.GENERIC, (name, switch.name)
            assert switch.value != lms_profiles.GENERIC[switch.name], (name, switch.name)
            assert len(switch.why) > 40 and len(switch.source) > 5, (name, switch.name)
        chain = lms_profiles.chain(name)
        assert len(chain) == len({p.name for p in chain})  # no alias loop
    assert not lms_profiles.PROFILES["generic"].switches
    assert {"generic", "moodle", "totara", "esr", "cornerstone", "successfactors",
            "learning-pool"} <= set(lms_profiles.PROFILES)


def test_aliases_resolve_to_their_targets_switches() -> None:
    assert lms_profiles.switches("learning-pool") == lms_profiles.switches("moodle")
    assert lms_profiles.switches("esr") == lms_profiles.GENERIC
    assert lms_profiles.runtime_data("totara")["profile"] == "totara"


def test_the_runtime_reads_every_switch() -> None:
    """A switch the runtime never reads would be a promise nobody keeps."""
    source = "".join(p.read_text(encoding="utf-8") for p in RUNTIME.rglob("*.js"))
    for name in lms_profiles.GENERIC:
        assert re.search(r"\b(lms|lmsSwitches)\." + name + r"\b", source), name


def test_build_option_writes_the_profile(write_course, tmp_path) -> None:
    root = write_course()
    result = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "o"),
                                       "-f", "scorm12", "--lms-profile", "skillport"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "o" / "test-course-1.0.0-scorm12.zip") as zf:
        html = zf.read("index.html").decode()
    data = json.loads(re.search(r'id="cb-course">(.*?)</script>', html, re.S).group(1))
    assert data["lms"] == {**lms_profiles.GENERIC, "profile": "skillport", "commits": "milestone",
                           "timedCommitMinutes": 10}


def test_build_without_the_option_is_generic(write_course, tmp_path) -> None:
    root = write_course()
    result = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "o"),
                                       "-f", "scorm12"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "o" / "test-course-1.0.0-scorm12.zip") as zf:
        assert '"profile":"generic"' in zf.read("index.html").decode()


def test_unknown_profile_is_refused_with_the_choices(write_course, tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", str(write_course()), "--out",
                                       str(tmp_path / "o"), "--lms-profile", "blackboard"])
    assert result.exit_code == 2
    assert "Invalid value for '--lms-profile': 'blackboard' is not one of" in result.output
    assert "'successfactors'" in result.output
    assert not (tmp_path / "o").exists()


def test_docs_table_lists_every_profile_and_switch() -> None:
    text = (REPO / "docs" / "lms-administrators.md").read_text(encoding="utf-8")
    for name, profile in lms_profiles.PROFILES.items():
        assert f"`{name}`" in text, name
        for switch in profile.switches:
            assert f"`{switch.name}`" in text, (name, switch.name)
