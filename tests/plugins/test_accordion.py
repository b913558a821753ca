"""The accordion content type: native <details> disclosures, no JavaScript, not tracked."""

from __future__ import annotations

import re
import textwrap
import zipfile
from pathlib import Path

import yaml

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseInvalid
from tests.bundles import shipped

REPO = Path(__file__).resolve().parents[2]

COURSE = """\
id: https://example.org/courses/accordion-test
title: Accordion test
version: 1.0.0
modules: [one]
"""

ACCORDION = """\
- type: accordion
  items:
    - title: Coping with overwhelming feelings
      body: |
        The most **common** reason people give.
    - title: Having some control
      body: |
        - ask what would help
        - explain what happens next
"""


def write_course(root: Path, blocks: str) -> Path:
    module = "title: One\npages:\n  - id: page\n    title: Reasons\n    blocks:\n" + \
        textwrap.indent(textwrap.dedent(blocks), "      ")
    for relative, text in {"course.yaml": COURSE, "modules/one/module.yaml": module}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def errors_of(course_dir: Path) -> list[str]:
    try:
        load_course(course_dir, Reporter())
    except CourseInvalid as exc:
        return [d.format(course_dir) for d in exc.diagnostics]
    return []


def test_renders_native_details(tmp_path: Path) -> None:
    result = build(write_course(tmp_path / "c", ACCORDION), tmp_path / "out", ["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        html = package.read("index.html").decode()
        names = [*package.namelist(), *shipped(package)]
    block = re.search(r'<div class="cb-accordion">.*?\n</div>', html, re.S)
    assert block is not None
    text = block.group(0)
    assert text.count('<details class="cb-accordion__item">') == 2
    assert " open" not in text  # every item starts closed
    assert re.search(r'<summary class="cb-accordion__summary"><span class="cb-accordion__title">'
                     r"Coping with overwhelming feelings</span></summary>\s*"
                     r'<div class="cb-accordion__body">\s*<p>The most <strong>common</strong> '
                     r"reason people give.</p>", text)
    assert "<li>ask what would help</li>" in text
    assert "assets/plugins/accordion/accordion.css" in names
    assert not any(n.startswith("assets/plugins/accordion/") and n.endswith(".js") for n in names)


def test_titles_are_escaped(tmp_path: Path) -> None:
    blocks = ACCORDION.replace("Having some control", "'<b>Control</b> & choice'")
    result = build(write_course(tmp_path / "c", blocks), tmp_path / "out", ["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        html = package.read("index.html").decode()
    assert "&lt;b&gt;Control&lt;/b&gt; &amp; choice" in html
    assert "<b>Control</b>" not in html


def test_needs_items(tmp_path: Path) -> None:
    assert errors_of(write_course(tmp_path, "- type: accordion\n  items: []\n")) == [
        "modules/one/module.yaml:7:16: error: block 1 (accordion) on page 'one/page': items: "
        "tuple should have at least 1 item after validation, not 0",
    ]


def test_item_needs_title_and_body(tmp_path: Path) -> None:
    blocks = "- type: accordion\n  items:\n    - title: Only a title\n    - body: Only a body\n"
    assert errors_of(write_course(tmp_path, blocks)) == [
        "modules/one/module.yaml:8:13: error: block 1 (accordion) on page 'one/page': "
        "items[0].body: is required but missing",
        "modules/one/module.yaml:9:13: error: block 1 (accordion) on page 'one/page': "
        "items[1].title: is required but missing",
    ]


def test_blank_title_is_an_error_and_duplicate_a_warning(tmp_path: Path) -> None:
    blocks = ("- type: accordion\n  items:\n    - {title: '  ', body: A}\n"
              "    - {title: Same, body: B}\n    - {title: same, body: C}\n")
    course = write_course(tmp_path, blocks)
    reporter = Reporter()
    try:
        load_course(course, reporter)
    except CourseInvalid:
        pass
    assert [d.format(course) for d in reporter.sorted()] == [
        "modules/one/module.yaml:8:21: error: block 'one-page-1' (accordion): items[0].title: "
        "must not be blank",
        "modules/one/module.yaml:10:21: warning: block 'one-page-1' (accordion): "
        "items[2].title: the title 'same' is used twice in this accordion\n    hint: give each "
        "item its own title so the controls can be told apart",
    ]


def test_not_tracked(tmp_path: Path) -> None:
    course = load_course(write_course(tmp_path, ACCORDION), Reporter())
    block = course.blocks[0]
    assert block.plugin.interactions(block) == []
    assert block.plugin.max_state_chars(block) == 0
    assert block.plugin.completable is False


def test_bundled_accordions_validate(tmp_path: Path) -> None:
    """The bundled course's accordion blocks (modules/understanding) pass validation."""
    source = yaml.safe_load((REPO / "modules" / "understanding" / "module.yaml").read_text())
    found = [b for p in source["pages"] for b in p["blocks"] if b["type"] == "accordion"]
    assert found
    assert errors_of(write_course(tmp_path, yaml.safe_dump(found, sort_keys=False))) == []
