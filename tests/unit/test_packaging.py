"""Packages: deterministic, atomic, escaped, inside their own folder, within format limits."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from course_builder.commands.build import build
from course_builder.errors import CourseInvalid
from tests.bundles import shipped
from tests.conftest import errors_of


def test_same_source_gives_byte_identical_zips(write_course, tmp_path):
    root = write_course()
    first = build(root, tmp_path / "a")
    second = build(root, tmp_path / "b")
    for (_, a, _), (_, b, _) in zip(first.packages, second.packages, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert [p.name for _, p, _ in first.packages] == [
        "test-course-1.0.0-scorm12.zip", "test-course-1.0.0-scorm2004.zip"]


def test_entries_sorted_with_fixed_timestamp(write_course, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    (_, path, _), *_ = build(write_course(), tmp_path / "out", ["scorm12"]).packages
    with zipfile.ZipFile(path) as package:
        infos = package.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}


def test_nothing_written_when_the_course_has_errors(write_course, tmp_path):
    root = write_course({"modules/one/module.yaml": "title: M\npages: []\n"})
    out = tmp_path / "build"
    with pytest.raises(CourseInvalid):
        build(root, out)
    assert not out.exists()
    assert list(tmp_path.glob(".build-staging-*")) == []


def test_existing_build_folder_untouched_on_error(write_course, tmp_path):
    root = write_course()
    out = tmp_path / "build"
    build(root, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (root / "modules/one/module.yaml").write_text("title: M\npages: []\n")
    with pytest.raises(CourseInvalid):
        build(root, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_author_html_is_escaped(write_course, tmp_path):
    root = write_course({"modules/one/module.yaml": """\
        title: M <b>bold</b>
        pages:
          - id: a
            title: "</script><script>alert(1)</script>"
            blocks:
              - type: text
                body: "Hi <img src=x onerror=alert(1)> [link](javascript:alert(1))"
        """})
    (_, path, _), *_ = build(root, tmp_path / "out", ["scorm12"]).packages
    html = zipfile.ZipFile(path).read("index.html").decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html
    assert "<script>alert(1)" not in html
    assert "M &lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize("src, message", [
    ("../../../etc/passwd.png", "'../../../etc/passwd.png' points outside the course folder"),
    ("https://cdn.example.org/x.png", "'https://cdn.example.org/x.png' is not a local file; "
                                      "packages must not load anything from outside themselves"),
    ("missing.png", "file 'missing.png' not found in one/"),
])
def test_asset_paths_stay_inside_the_course(write_course, tmp_path, src, message):
    root = write_course({"modules/one/module.yaml": f"""\
        title: M
        pages:
          - id: a
            title: A
            blocks:
              - type: text
                body: "![a picture]({src})"
        """})
    with pytest.raises(CourseInvalid) as caught:
        build(root, tmp_path / "out")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.format(root).startswith(
        f"modules/one/module.yaml:7:29: error: block 'one-a-1' (text): body: {message}")


def test_local_image_is_packaged(write_course, tmp_path):
    root = write_course({"modules/one/module.yaml": """\
        title: M
        pages:
          - id: a
            title: A
            blocks:
              - type: text
                body: "![A diagram](images/d.svg)"
        """})
    (root / "modules/one/images").mkdir()
    (root / "modules/one/images/d.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (_, path, _), *_ = build(root, tmp_path / "out", ["scorm12"]).packages
    package = zipfile.ZipFile(path)
    assert "media/one/images/d.svg" in package.namelist()
    assert 'src="media/one/images/d.svg" alt="A diagram"' in package.read("index.html").decode()


def _big_quiz(questions: int) -> str:
    lines = ["title: M", "pages:", "  - id: a", "    title: A", "    blocks:",
             "      - type: quiz", "        id: big", "        questions:"]
    for n in range(questions):
        lines += [f"          - id: q{n}", "            kind: multiple", "            prompt: P",
                  "            options:"]
        lines += [f"              - {{text: o{k}, correct: true}}" for k in range(20)]
    return "\n".join(lines) + "\n"


def test_suspend_data_budget_is_enforced_for_scorm12(write_course, tmp_path):
    root = write_course({"modules/one/module.yaml": _big_quiz(900)})
    with pytest.raises(CourseInvalid) as caught:
        build(root, tmp_path / "out", ["scorm12"])
    text = caught.value.diagnostics[0].format(root)
    assert text.startswith("modules/one/module.yaml:6:9: error: SCORM 1.2: saved progress could "
                           "reach ")
    assert "over the format's suspend_data limit of 4,096; largest blocks: 'big' (quiz," in text
    # The same course fits SCORM 2004 4th Edition's 64,000 characters.
    assert build(root, tmp_path / "out", ["scorm2004"]).packages


def test_200_pages_and_100_questions_fit_scorm12(tmp_path, write_course):
    """The issue's yardstick: a 200-page course with 100 questions stays under 4,096."""
    from course_builder.commands.build import load_course
    from course_builder.diagnostics import Reporter
    from course_builder.state import max_length

    pages = ["title: M", "pages:"]
    for n in range(200):
        pages += [f"  - id: p{n}", f"    title: Page {n}", "    blocks:"]
        if n % 10 == 0:  # 20 quizzes of 5 questions, four options each
            pages += ["      - type: quiz", f"        id: quiz-{n}", "        questions:"]
            for q in range(5):
                pages += [f"          - id: q{n}-{q}", "            kind: multiple",
                          "            prompt: P", "            options:"]
                pages += [f"              - {{text: o{k}, correct: true}}" for k in range(4)]
        else:
            pages += ["      - {type: text, body: Some text.}"]
    course = load_course(write_course({"modules/one/module.yaml": "\n".join(pages) + "\n"}),
                         Reporter())
    longest, _ = max_length(course)
    assert len(course.pages) == 200
    assert sum(len(b.plugin.interactions(b)) for b in course.blocks) == 100
    assert longest < 4096


def test_errors_from_config_are_listed_once(write_course):
    root = write_course({"course.yaml": "id: https://example.org/c\ntitle: T\nversion: 1.0.0\n"
                                        "modules: [one]\noutputs: [scorm13]\n"})
    (error,) = errors_of(root)
    assert error.startswith("course.yaml:5:")
    assert "'scorm13' is not allowed" in error


def test_nothing_but_the_output_folder_is_made_in_its_parent(write_course, tmp_path):
    out = tmp_path / "deep" / "build"
    build(write_course(), out)
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["build"]
    assert isinstance(out, Path)


def test_every_package_carries_an_accessibility_statement(write_course, tmp_path):
    root = write_course({"course.yaml": """\
        id: https://example.org/courses/test-course
        title: Test course
        version: 1.0.0
        modules: [one]
        accessibility:
          contact: access@example.org
          limitations: [The diagram on page 2 has no long description yet.]
        """})
    for _, path, _ in build(root, tmp_path / "out").packages:
        package = zipfile.ZipFile(path)
        statement = package.read("accessibility.html").decode()
        assert "WCAG) version 2.2 at level AA" in statement
        assert '<a href="mailto:access@example.org">' in statement
        assert "The diagram on page 2 has no long description yet." in statement
        assert "quiz, text" in statement  # the content types this course uses
        assert 'href="accessibility.html"' in package.read("index.html").decode()


# -- light packages: only what the format and the course use, minified -----------------------

RUNTIME_OF = {
    "scorm12": {"none.js", "_scorm_api.js", "scorm12.js"},
    "scorm2004": {"none.js", "_scorm_api.js", "scorm2004.js"},
    # the LRS queue takes its UUIDs from collector.js (durations from the core's adapter.js)
    "xapi": {"none.js", "_lrs.js", "xapi.js", "collector.js"},
    "cmi5": {"none.js", "_lrs.js", "cmi5.js", "collector.js"},
    "web": {"none.js"},
}
CORE = {"adapter.js", "i18n.js", "state.js", "journal.js", "tracker.js", "blocks.js", "nav.js",
        "boot.js"}


@pytest.mark.parametrize("target", sorted(RUNTIME_OF))
def test_each_package_ships_only_the_runtime_it_runs(write_course, tmp_path, target):
    """No SCORM code in the web build, no LRS queue outside xAPI and cmi5, and no collector
    code in a course without an evaluation collector (unless the LRS queue needs it)."""
    root = write_course()
    (package,) = build(root, tmp_path / "out", [target]).packages
    with zipfile.ZipFile(package[1]) as z:
        runs = shipped(z)
        html = z.read("index.html").decode()
        files = [n for n in z.namelist() if n.endswith((".js", ".css"))]
    runtime = {n.split("/")[-1] for n in runs if n.startswith("assets/runtime/")}
    assert runtime == CORE | RUNTIME_OF[target]
    # one script and one stylesheet, both loaded by the page, and nothing else
    assert sorted(files) == ["assets/course.css", "assets/course.js"]
    assert re.findall(r'<script src="([^"]+)"', html) == ["assets/course.js"]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["assets/course.css"]
    assert [n for n in runs if n.endswith(".js")][-1] == "assets/runtime/boot.js"  # runs last


def test_scripts_and_styles_are_minified_and_the_sources_kept(write_course, tmp_path):
    from course_builder.pipeline.render import RUNTIME_DIR

    root = write_course()
    (package,) = build(root, tmp_path / "out", ["scorm12"]).packages
    source = (RUNTIME_DIR / "core" / "tracker.js").read_text(encoding="utf-8")
    with zipfile.ZipFile(package[1]) as z:
        runs = shipped(z)
    tracker, quiz_css = runs["assets/runtime/tracker.js"], runs["assets/plugins/quiz/quiz.css"]
    assert "/**" in source and "/**" not in tracker  # comments gone from the package only
    assert len(tracker) < 0.75 * len(source)
    assert "\n  " not in quiz_css  # no indentation left
