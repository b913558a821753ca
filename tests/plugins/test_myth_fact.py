"""The myth_fact content type: validation, tracking, saved state, rendering, bundled course."""

from __future__ import annotations

import json
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseInvalid
from course_builder.model import Course, Interaction
from tests.bundles import shipped

REPO = Path(__file__).resolve().parents[2]

COURSE = """\
id: https://example.org/courses/myth-fact-test
title: Myth fact test
version: 1.0.0
modules: [one]
"""

BLOCK = """\
- type: myth_fact
  id: beliefs
  statements:
    - id: attention
      statement: People who self-injure are *attention-seeking*.
      answer: myth
      explanation: Most self-injury is **hidden**.
    - id: anyone
      statement: Anyone can self-injure.
      answer: fact
      explanation: It affects people of all ages.
"""


def write_course(root: Path, blocks: str) -> Path:
    module = "title: One\npages:\n  - id: page\n    title: Myths\n    blocks:\n" + \
        textwrap.indent(textwrap.dedent(blocks), "      ")
    (root / "modules/one").mkdir(parents=True, exist_ok=True)
    (root / "course.yaml").write_text(COURSE, encoding="utf-8")
    (root / "modules/one/module.yaml").write_text(module, encoding="utf-8")
    return root


def load(root: Path) -> Course:
    return load_course(root, Reporter())


def problems(root: Path) -> list[str]:
    with pytest.raises(CourseInvalid) as caught:
        load(root)
    # errors only: the block quotes a myth, which the safe-messaging lint warns about
    return [d.format(root) for d in caught.value.diagnostics if d.level.value == "error"]


def test_interactions_per_statement(tmp_path: Path) -> None:
    block = load(write_course(tmp_path, BLOCK)).block("beliefs")
    assert block.plugin.interactions(block) == [
        Interaction("beliefs-attention", "choice",
                    "People who self-injure are *attention-seeking*.",
                    choices=(("m", "Myth"), ("f", "Fact")), correct=("m",), scored=False),
        Interaction("beliefs-anyone", "choice", "Anyone can self-injure.",
                    choices=(("m", "Myth"), ("f", "Fact")), correct=("f",), scored=False),
    ]
    assert block.plugin.max_score(block) == 0
    assert block.plugin.completable and block.plugin.requires_id


def test_scored_gives_a_point_per_statement(tmp_path: Path) -> None:
    block = load(write_course(tmp_path, BLOCK.replace("  id: beliefs\n",
                                                      "  id: beliefs\n  scored: true\n"))
                 ).block("beliefs")
    assert block.plugin.max_score(block) == 2
    assert all(i.scored for i in block.plugin.interactions(block))


def test_state_is_one_character_per_statement(tmp_path: Path) -> None:
    block = load(write_course(tmp_path, BLOCK)).block("beliefs")
    assert block.plugin.max_state_chars(block) == 2
    assert block.plugin.decode_state(block, "f_") == {"answers": {
        "attention": {"answer": "fact", "correct": False}, "anyone": None}}
    assert block.plugin.decode_state(block, "mf") == {"answers": {
        "attention": {"answer": "myth", "correct": True},
        "anyone": {"answer": "fact", "correct": True}}}
    assert block.plugin.decode_state(block, "") == {"answers": {"attention": None,
                                                                "anyone": None}}


def test_duplicate_statement_id(tmp_path: Path) -> None:
    root = write_course(tmp_path, BLOCK.replace("id: anyone", "id: attention"))
    assert problems(root) == [
        ("modules/one/module.yaml:13:17: error: block 'beliefs' (myth_fact): statements[1].id: "
        "statement id 'attention' is used twice in this block")]


def test_answer_must_be_myth_or_fact(tmp_path: Path) -> None:
    root = write_course(tmp_path, BLOCK.replace("answer: fact", "answer: true"))
    assert problems(root) == [
        ("modules/one/module.yaml:15:21: error: block 'beliefs' (myth_fact): statements[1].answer: "
        "True is not allowed: input should be 'myth' or 'fact'")]


def test_block_needs_an_id(tmp_path: Path) -> None:
    root = write_course(tmp_path, BLOCK.replace("  id: beliefs\n", ""))
    assert problems(root)[0].startswith(
        "modules/one/module.yaml:6:9: error: block 1 (myth_fact) on page 'one/page': id: is "
        "required for myth_fact blocks")


def test_rendered_html_and_client_data(tmp_path: Path) -> None:
    root = write_course(tmp_path / "c", BLOCK)
    result = build(root, tmp_path / "out", ["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        html = package.read("index.html").decode()
        assert "assets/plugins/myth_fact/myth_fact.js" in shipped(package)
    section = html[html.index('<section class="cb-mythfact"'):]
    section = section[:section.index("</section>")]
    assert '<div role="group" class="cb-mythfact__group" ' \
        'aria-labelledby="beliefs-attention-statement">' in section
    assert ('id="beliefs-attention-statement">People who self-injure are '
            "<em>attention-seeking</em>.</p>") in section
    assert section.count('data-answer="m" aria-pressed="false">Myth</button>') == 2
    assert section.count('data-answer="f" aria-pressed="false">Fact</button>') == 2
    assert 'role="status" aria-live="polite"' in section
    data = json.loads(re.search(r'<script type="application/json" id="cb-course">(.*?)</script>',
                                html, re.DOTALL).group(1))
    block = next(b for b in data["blocks"] if b["key"] == "beliefs")
    assert block["data"]["statements"][0] == {
        "interaction": "beliefs-attention", "answer": "m",
        "explanation": "<p>Most self-injury is <strong>hidden</strong>.</p>\n"}
    assert {"beliefs-attention", "beliefs-anyone"} <= set(data["interactions"])


def test_example_builds(tmp_path: Path) -> None:
    page = yaml.safe_load((REPO / "plugins/myth_fact/example.yaml").read_text("utf-8"))
    root = write_course(tmp_path / "c", yaml.safe_dump(page["blocks"], sort_keys=False))
    result = build(root, tmp_path / "out", ["scorm12", "scorm2004"])
    assert len(result.packages) == 2


def test_bundled_myth_fact_validates(tmp_path: Path) -> None:
    source = yaml.safe_load((REPO / "modules/understanding/module.yaml").read_text("utf-8"))
    blocks = [b for p in source["pages"] for b in p["blocks"] if b["type"] == "myth_fact"]
    assert blocks
    reporter = Reporter()
    course = load_course(write_course(tmp_path, yaml.safe_dump(blocks, sort_keys=False)),
                         reporter)
    assert reporter.errors == []  # lint warnings on the wording are the content's business
    block = course.block("myths-and-facts")
    assert block.plugin.max_state_chars(block) == len(blocks[0]["statements"])
