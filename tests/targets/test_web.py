"""The web target: an open static site with index.html at its root, no manifest, the `none`
tracking adapter, and nothing that loads from outside the package."""

from __future__ import annotations

import json
import re
import zipfile

from click.testing import CliRunner

from course_builder.cli import main
from course_builder.commands.build import build
from tests.bundles import shipped

COURSE_WEB = """\
id: https://example.org/courses/test-course
title: Test course
version: 1.0.0
modules: [one]
outputs: [web]
"""


def _course_json(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="cb-course">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_web_build_is_a_static_site(write_course, tmp_path):
    result = build(write_course(), tmp_path / "out", formats=["web"])
    ((name, path, _size),) = result.packages
    assert name == "web"
    assert path.name == "test-course-1.0.0-web.zip"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        html = archive.read("index.html").decode()
        runs = set(shipped(archive))
    assert "index.html" in names and "accessibility.html" in names
    for manifest in ("imsmanifest.xml", "tincan.xml", "cmi5.xml", "metadata.xml"):
        assert manifest not in names
    assert not [n for n in names if n.endswith(".xsd")]
    assert "assets/runtime/none.js" in runs
    assert not {"assets/runtime/scorm12.js", "assets/runtime/scorm2004.js",
                "assets/runtime/xapi.js", "assets/runtime/cmi5.js"} & runs
    data = _course_json(html)
    assert data["adapter"] == "none" and data["target"] == "web"
    assert data["maxSuspend"] is None
    # Every script, style sheet and image is a file in the package.
    loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
    assert loaded and all(ref in names for ref in loaded), loaded
    # The notice the page shows is written for the public, not for an LMS administrator.
    assert 'data-offline="Your progress is saved in this browser only."' in html


def test_other_packages_keep_the_lms_notice(write_course, tmp_path):
    result = build(write_course(), tmp_path / "out", formats=["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as archive:
        assert "data-offline" not in archive.read("index.html").decode()


def test_web_is_an_output_course_yaml_accepts(write_course, tmp_path):
    root = write_course({"course.yaml": COURSE_WEB})
    result = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "test-course-1.0.0-web.zip").is_file()
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["test-course-1.0.0-web.zip"]


def test_web_build_is_deterministic(write_course, tmp_path):
    root = write_course()
    first = build(root, tmp_path / "a", formats=["web"]).packages[0][1].read_bytes()
    second = build(root, tmp_path / "b", formats=["web"]).packages[0][1].read_bytes()
    assert first == second
