"""The quiz plugin: every question kind, question banks, validation text, saved state."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from tests.conftest import REPO, errors_of

PLUGIN = REPO / "plugins" / "quiz"


def quiz_module(quiz_yaml: str) -> str:
    """A module whose only page holds the quiz written in ``quiz_yaml`` (a block mapping)."""
    body = textwrap.indent(textwrap.dedent(quiz_yaml), " " * 6)
    return "title: Module one\npages:\n  - id: check\n    title: Check\n    blocks:\n" + body


def example_course(write_course) -> Path:
    page = yaml.safe_load((PLUGIN / "example.yaml").read_text(encoding="utf-8"))
    module = yaml.safe_dump({"title": "Module one", "pages": [page]}, sort_keys=False)
    return write_course({"modules/one/module.yaml": module})


def quiz_block(course_dir: Path):
    course = load_course(course_dir, Reporter())
    return next(b for b in course.blocks if b.type == "quiz")


def test_default_course_quiz_still_builds(write_course, build_course):
    packages = build_course(write_course(), ["scorm12"])
    html = zipfile.ZipFile(packages[0]).read("index.html").decode()
    assert 'data-question="q1"' in html and 'data-question="q2"' in html


def test_bundled_course_has_no_quiz_errors():
    course = load_course(REPO, Reporter())  # raises CourseInvalid on any error
    assert any(b.type == "quiz" for b in course.blocks)


def test_example_interactions_cover_every_kind(write_course):
    block = quiz_block(example_course(write_course))
    found = {i.id: i for i in block.plugin.interactions(block)}
    assert found["ex-why"].type == "choice" and found["ex-why"].correct == ("a",)
    assert found["ex-myths"].correct == ("a,b",)
    assert found["ex-suicide"].type == "true-false" and found["ex-suicide"].correct == ("false",)
    match = found["ex-match-services"]
    assert match.type == "matching"
    assert match.correct == ("a.1,b.2,c.3",)
    assert [c for c, _ in match.choices] == ["a", "b", "c"]
    assert match.targets == (("1", "Samaritans (116 123)"), ("2", "A&E or 999"), ("3", "Their GP"))
    order = found["ex-order-response"]
    assert order.type == "sequencing" and order.correct == ("a,b,c,d",)
    assert order.choices[0] == ("a", "Introduce yourself and explain your role")
    assert found["ex-ng225-year"].type == "numeric" and found["ex-ng225-year"].correct == ("2022",)
    assert found["ex-shift-percent"].correct == ("20:22",)


def test_matching_shares_targets_between_prompts(write_course):
    root = write_course({"modules/one/module.yaml": quiz_module("""\
        - type: quiz
          id: mf
          questions:
            - id: m1
              kind: matching
              prompt: Myth or fact?
              pairs:
                - {prompt: Only teenagers self-injure, match: Myth}
                - {prompt: Anyone can self-injure, match: Fact}
                - {prompt: It is attention-seeking, match: Myth}
        """)})
    block = quiz_block(root)
    (interaction,) = block.plugin.interactions(block)
    assert interaction.targets == (("1", "Myth"), ("2", "Fact"))
    assert interaction.correct == ("a.1,b.2,c.1",)


def test_example_renders_accessible_controls(write_course, tmp_path):
    build(example_course(write_course), tmp_path / "out", ["scorm12"])
    (package,) = (tmp_path / "out").glob("*.zip")
    html = zipfile.ZipFile(package).read("index.html").decode()
    assert '<label for="example-quiz-ex-match-services-a" class="cb-match__prompt">' in html
    assert '<select id="example-quiz-ex-match-services-a"' in html
    assert "aria-label=\"Move 'Explain what happens next' up\"" in html
    assert 'inputmode="decimal" id="example-quiz-ex-shift-percent-value"' in html
    assert '<label for="example-quiz-ex-shift-percent-value">Your answer (a number)</label>' in html
    assert "4 questions, chosen at random from 7 for each attempt." in html
    assert 'class="cb-quiz__review" hidden' in html


def test_max_score_is_questions_per_attempt(write_course):
    block = quiz_block(example_course(write_course))
    assert block.plugin.max_score(block) == 4  # two outcomes, two questions each


ERRORS_QUIZ = """\
- type: quiz
  id: bad
  draw: 9
  questions:
    - id: m1
      kind: matching
      prompt: Match
      pairs:
        - {prompt: A, match: B}
    - id: o1
      kind: ordering
      prompt: Order
      items: [only one]
    - id: n1
      kind: numeric
      prompt: Number
    - id: n2
      kind: numeric
      prompt: Number
      value: 4
      tolerance: -1
    - id: s1
      kind: single
      prompt: Pick
      items: [x, y]
      options:
        - {text: A, correct: true}
        - {text: B}
"""


def test_validation_errors_are_located_and_exact(write_course):
    root = write_course({"modules/one/module.yaml": quiz_module(ERRORS_QUIZ)})
    prefix = "modules/one/module.yaml"
    assert errors_of(root) == [
        f"{prefix}:8:15: error: block 'bad' (quiz): draw: `draw` is 9 but the quiz has only 5 "
        "questions\n"
        "    hint: add questions to the bank or draw fewer",
        f"{prefix}:14:15: error: block 'bad' (quiz): questions[0].pairs: a matching question "
        "needs at least 2 pairs (found 1)\n"
        "    hint: write `pairs: [{prompt: ..., match: ...}, ...]`",
        f"{prefix}:18:20: error: block 'bad' (quiz): questions[1].items: an ordering question "
        "needs at least 2 items (found 1)\n"
        "    hint: list the items in the correct order",
        f"{prefix}:19:13: error: block 'bad' (quiz): questions[2]: a numeric question needs "
        "`value` (the correct number)\n"
        "    hint: add e.g. `value: 42` and, if answers close to it count, `tolerance: 2`",
        f"{prefix}:26:24: error: block 'bad' (quiz): questions[3].tolerance: `tolerance` must be "
        "0 or more (found -1)",
        f"{prefix}:30:20: error: block 'bad' (quiz): questions[4].items: `items` is only for "
        "ordering questions",
    ]


def test_draw_per_outcome_errors(write_course):
    root = write_course({"modules/one/module.yaml": quiz_module("""\
        - type: quiz
          id: bank
          draw_per_outcome: 2
          questions:
            - {id: a1, kind: true_false, prompt: One, answer: true, outcome: spot}
            - {id: a2, kind: true_false, prompt: Two, answer: true, outcome: spot}
            - {id: b1, kind: true_false, prompt: Three, answer: true, outcome: respond}
            - {id: c1, kind: true_false, prompt: Four, answer: false}
        """)})
    prefix = "modules/one/module.yaml"
    assert errors_of(root) == [
        f"{prefix}:8:27: error: block 'bank' (quiz): draw_per_outcome: outcome 'respond' has "
        "1 question but `draw_per_outcome` is 2\n"
        "    hint: add questions for that outcome or draw fewer per outcome",
        f"{prefix}:13:13: error: block 'bank' (quiz): questions[3]: question 'c1' has no "
        "`outcome`; with `draw_per_outcome` every question needs one\n"
        "    hint: add e.g. `outcome: recognise-distress`",
    ]


def test_draw_and_draw_per_outcome_together(write_course):
    root = write_course({"modules/one/module.yaml": quiz_module("""\
        - type: quiz
          id: bank
          draw: 1
          draw_per_outcome: 1
          questions:
            - {id: a1, kind: true_false, prompt: One, answer: true, outcome: spot}
        """)})
    assert errors_of(root) == [
        "modules/one/module.yaml:9:27: error: block 'bank' (quiz): draw_per_outcome: use either "
        "`draw` or `draw_per_outcome`, not both",
    ]


# -- saved state ----------------------------------------------------------------------------
BANK_QUIZ = """\
- type: quiz
  id: bank
  draw: 3
  shuffle: true
  questions:
    - {id: q-tf, kind: true_false, prompt: One, answer: true}
    - id: q-multi
      kind: multiple
      prompt: Pick
      options: [{text: A, correct: true}, {text: B}, {text: C}, {text: D}, {text: E},
                {text: F}, {text: G}, {text: H}]
    - id: q-match
      kind: matching
      prompt: Match
      pairs: [{prompt: A, match: "1"}, {prompt: B, match: "2"}, {prompt: C, match: "3"},
              {prompt: D, match: "4"}, {prompt: E, match: "5"}]
    - {id: q-order, kind: ordering, prompt: Order, items: [a, b, c, d, e, f, g]}
    - {id: q-num, kind: numeric, prompt: Number, value: -3.5, tolerance: 0.25}
"""


def plugin_module(block):
    """The quiz plugin's module (loaded by path by the registry, so not importable by name)."""
    return sys.modules[type(block.plugin).__module__]


def longest_token(q) -> str:
    """The longest answer token quiz.js can save for a question."""
    if q.kind == "multiple":
        return base36(2 ** len(q.options) - 1)
    if q.kind == "matching":
        return "9" * len(q.pairs)
    if q.kind == "ordering":
        return "g" * len(q.items)
    if q.kind == "numeric":
        return "n" + "9" * 11  # the answer box holds 12 characters
    return "t"


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def test_max_state_chars_is_a_true_upper_bound(write_course):
    block = quiz_block(write_course({"modules/one/module.yaml": quiz_module(BANK_QUIZ)}))
    quiz, module = block.data, plugin_module(block)
    bound = block.plugin.max_state_chars(block)
    longest = 0
    for seed in [*range(300), 36 ** 4 - 1]:
        drawn = module.drawn_indices(quiz, seed)
        assert len(drawn) == 3
        tokens = [longest_token(quiz.questions[i]) for i in drawn]
        state = f"{base36(1295)}.{base36(100)}.{base36(seed)}." + "-".join(tokens)
        longest = max(longest, len(state))
        decoded = block.plugin.decode_state(block, state)
        assert decoded["questions"] == [quiz.questions[i].id for i in drawn]
    assert longest <= bound
    # header "zz.2s.zzzz." (11), then numeric (12), ordering (7) and matching (5) and 2 separators
    assert bound == 11 + 12 + 7 + 5 + 2


def test_max_state_chars_per_outcome_counts_the_longest_per_outcome(write_course):
    block = quiz_block(write_course({"modules/one/module.yaml": quiz_module("""\
        - type: quiz
          id: bank
          draw_per_outcome: 1
          questions:
            - {id: a1, kind: true_false, prompt: One, answer: true, outcome: spot}
            - {id: a2, kind: ordering, prompt: Two, items: [a, b, c, d], outcome: spot}
            - {id: b1, kind: numeric, prompt: Three, value: 1, outcome: respond}
            - {id: b2, kind: true_false, prompt: Four, answer: false, outcome: respond}
        """)}))
    # header "zz.2s.zzzz." is 11; ordering 4 + numeric 12 + one separator
    assert block.plugin.max_state_chars(block) == 11 + 4 + 12 + 1
    assert block.plugin.max_score(block) == 2


def test_decode_state_reads_every_kind(write_course):
    block = quiz_block(write_course({"modules/one/module.yaml": quiz_module(BANK_QUIZ)}))
    module = plugin_module(block)
    seed = next(s for s in range(1000) if module.drawn_indices(block.data, s) == [2, 3, 4])
    state = f"2.2s.{base36(seed)}.21354-gfedcba-n3p4"
    assert block.plugin.decode_state(block, state) == {
        "attempt": 2,
        "best_score_percent": 100,
        "seed": seed,
        "questions": ["q-match", "q-order", "q-num"],
        "answers": {
            "q-match": ["a.2", "b.1", "c.3", "d.5", "e.4"],
            "q-order": ["g", "f", "e", "d", "c", "b", "a"],
            "q-num": "-3.4",
        },
    }


def test_decode_state_reads_the_format_before_banks(write_course):
    block = quiz_block(write_course())
    assert block.plugin.decode_state(block, "3.1e.0-t") == {
        "attempt": 3, "best_score_percent": 50, "seed": 0, "questions": ["q1", "q2"],
        "answers": {"q1": ["a"], "q2": True},
    }
    assert block.plugin.decode_state(block, "1._.k3.-")["answers"] == {"q1": None, "q2": None}


def test_interaction_ids_for_every_kind_map_to_scorm(write_course, tmp_path):
    """Both SCORM targets accept every kind (the build fails on an unsupported one)."""
    build(example_course(write_course), tmp_path / "out", ["scorm12", "scorm2004"])
    assert len(list((tmp_path / "out").glob("*.zip"))) == 2


# -- the JavaScript draws exactly what Python decodes -----------------------------------------
@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_js_generator_and_draw_match_python(write_course):
    block = quiz_block(write_course({"modules/one/module.yaml": quiz_module(BANK_QUIZ)}))
    module = plugin_module(block)
    outcome_quiz = quiz_block(example_course(write_course)).data
    seeds = [0, 1, 2, 7, 12345, 36 ** 4 - 1]
    # %-formatting: the JavaScript's braces would need doubling in an f-string.
    script = """
        global.window = global;
        let q = null;
        window.CB = {registerBlock: function (type, definition) { q = definition; }};
        require(%s);
        const out = {};
        out.random = [0, 1, 99999].map(s => { const r = q.mulberry32(s); return [r(), r(), r()]; });
        out.draw = %s.map(s => q.layout(%s, s).drawn);
        out.outcome = %s.map(s => q.layout(%s, s).drawn);
        console.log(JSON.stringify(out));
    """ % (  # noqa: UP031
        json.dumps(str(PLUGIN / "static" / "quiz.js")), json.dumps(seeds),
           json.dumps(_js_data(block.data)), json.dumps(seeds), json.dumps(_js_data(outcome_quiz)))
    result = subprocess.run(["node", "-e", script], capture_output=True,
                            text=True, check=True, timeout=60)
    out = json.loads(result.stdout)
    for seed, values in zip([0, 1, 99999], out["random"], strict=True):
        rand = module.mulberry32(seed)
        assert values == [rand(), rand(), rand()]
    assert out["draw"] == [module.drawn_indices(block.data, s) for s in seeds]
    assert out["outcome"] == [module.drawn_indices(outcome_quiz, s) for s in seeds]
    assert len(set(map(tuple, out["outcome"]))) > 1  # different seeds draw differently


def _js_data(quiz) -> dict:
    """The parts of client_data that layout() reads."""
    return {
        "draw": quiz.draw, "drawPerOutcome": quiz.draw_per_outcome, "shuffle": quiz.shuffle,
        "questions": [{"kind": q.kind, "outcome": q.outcome,
                       "options": [{} for _ in q.options], "items": [{} for _ in q.items],
                       "targets": [{} for _ in {p.match for p in q.pairs}]}
                      for q in quiz.questions],
    }


def test_docs_example_is_valid(write_course):
    text = (REPO / "docs" / "content-types" / "quiz.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    root = write_course({"modules/one/module.yaml": quiz_module(example)})
    assert errors_of(root) == []
    block = quiz_block(root)
    assert block.plugin.max_score(block) == 4


# -- in a browser: the draw survives a reload, the review appears ------------------------------


def test_browser_resume_keeps_the_draw_and_review_follows(browser, write_course, tmp_path):
    build(example_course(write_course), tmp_path / "out", ["scorm12"])
    (package,) = (tmp_path / "out").glob("*.zip")
    site = tmp_path / "site"
    zipfile.ZipFile(package).extractall(site)
    url = (site / "index.html").as_uri()
    look = """els => els.filter(e => !e.hidden).map(e => e.dataset.question + ':' +
        Array.from(e.querySelectorAll('option, .cb-order__item, .cb-option input'))
             .map(o => o.value || o.dataset.item).join(''))"""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    shown = page.eval_on_selector_all(".cb-question", look)
    assert len(shown) == 4

    def answer(item) -> None:
        """Give some well-formed answer to any kind of question, then submit it."""
        kind = item.get_attribute("class") or ""
        if "--matching" in kind:
            for select in item.locator("select").all():
                select.select_option(index=1)
        elif "--numeric" in kind:
            item.locator("input").fill("-1.5")
        elif "--ordering" not in kind:
            item.locator("input").first.check()
        item.get_by_role("button", name="Submit").click()

    answer(page.locator(".cb-question:not([hidden])").first)
    page.wait_for_timeout(100)
    page.reload()
    assert page.eval_on_selector_all(".cb-question", look) == shown
    assert page.locator(".cb-question:not([hidden])").first.locator(
        "[data-action=submit]").is_disabled()
    # Answer the rest with whatever is first, then the summary and review appear.
    for index in range(1, 4):
        answer(page.locator(".cb-question:not([hidden])").nth(index))
    summary = page.locator(".cb-quiz__summary").text_content()
    assert summary.startswith("You answered ") and "of 4 correctly" in summary
    review = page.locator(".cb-quiz__review")
    assert review.is_visible()
    assert review.locator("li.cb-review").count() == 4
    assert "Your answer" in review.inner_text()
    assert errors == []
    context.close()


def test_repeated_question_id_is_located(write_course):
    from tests.conftest import errors_of

    root = write_course({"modules/one/module.yaml": """\
        title: M
        pages:
          - id: a
            title: A
            blocks:
              - type: quiz
                id: q
                questions:
                  - {id: same, kind: true_false, prompt: One, answer: true}
                  - {id: same, kind: true_false, prompt: Two, answer: false}
        """})
    assert errors_of(root) == [
        "modules/one/module.yaml:10:18: error: block 'q' (quiz): questions[1].id: question id "
        "'same' is used twice in this quiz"]
