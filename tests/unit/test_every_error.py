"""Every mistake in one run, and only real ones (issue 10): what a new author met, as tests.

The six mistakes of ``test_six_mistakes_in_one_run`` are the ones a new author made across three
files; before, they took four runs to surface and gave four false errors besides.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.errors import PluginFailure
from course_builder.yamlsource import YamlError, load_yaml_text

ALL_FORMATS = ["scorm12", "scorm2004", "scorm2004-3rd", "xapi", "cmi5", "web"]

COURSE = """\
id: https://example.org/courses/shift-handover
title: Shift handover
version: 1.0.0
organisation: Example Trust
modules: [welcome, check, after]
outputs: [scorm12, scorm2004, scorm2004-3rd, xapi, cmi5, web]
completion:
  require: [shift-evaluation, final-quiz, wrap-up-quiz]
passing:
  pass_mark: 80
evaluation:
  external_url: https://survey.example.org/shift
"""

WELCOME = """\
title: Welcome
pages:
  - id: start
    title: Before you start
    blocks:
      - type: text
        body: |
          A good handover keeps patients safe.

          ![The handover board](images/board.png)
"""

CHECK = """\
title: Check
pages:
  - id: quiz
    title: Quiz
    blocks:
      - type: quiz
        id: final-quiz
        attempts: three
        questions:
          - id: q-sbar
            kind: true_false
            prompt: SBAR stands for Situation, Background, Assessment, Recommendation.
            answer: true
      - type: quiz
        id: practice-quiz
        scored: false
        questions:
          - id: q-when
            kind: single
            prompt: When does handover start?
            options:
              - text: At the bedside
                correct: true
              - text: In the office
                correct: true
      - type: quiz
        id: recap-quiz
        scored: false
        questions:
          - id: q-who
            kind: true_false
            prompt: The person handing over stays until questions are answered.
            answer: true
      - type: quiz
        id: extra-quiz
        scored: false
        questions:
          - id: q-who
            kind: true_false
            prompt: Handover can be skipped on a quiet shift.
            answer: false
  - id: feedback
    title: Feedback
    blocks:
      - type: evaluation
        id: shift-evaluation
        required: true
        anonymus: true
        items:
          - {id: useful, kind: text, prompt: What was useful?}
"""

AFTER = """\
title: After the shift
pages:
  - id: wrap-up
    title: "Wrap up
    blocks:
      - type: quiz
        id: wrap-up-quiz
        questions:
          - id: q-end
            kind: true_false
            prompt: Handover ends with a check.
            answer: true
"""

SIX_MISTAKES = [
    # 1. YAML syntax in one module: at the quote that opens, in plain words, with a hint; the
    #    quiz it holds is not then reported missing from completion.require
    "modules/after/module.yaml:4:12: error: invalid YAML: the quote that opens here is never "
    "closed",
    "    hint: end the text with the same quote mark it starts with (\" or '); to put that mark "
    "inside the text, use the other kind around it, or write '' inside '...'",
    # 2. a field: the quiz is still known as a scored quiz, so no "pass mark but no scored block"
    "modules/check/module.yaml:8:19: error: block 'final-quiz' (quiz): attempts: input should be "
    "a valid integer, unable to parse string as an integer (got 'three')",
    # 3. a block rule
    "modules/check/module.yaml:22:15: error: block 'practice-quiz' (quiz): questions[0].options: "
    "a single-choice question needs exactly one option with `correct: true` (found 2)",
    "    hint: use `kind: multiple` if more than one answer is right",
    # 4. a reference across blocks, once for six formats
    "modules/check/module.yaml:34:9: error: block 'extra-quiz' (quiz): question id 'q-who' is "
    "also used in block 'recap-quiz'; reports and LMS records need unique ids",
    # 5. a misspelt field: the evaluation is still known, so completion.require finds it
    "modules/check/module.yaml:48:19: error: block 'shift-evaluation' (evaluation): anonymus: is "
    "not a known field",
    "    hint: did you mean `anonymous`?",
    # 6. a missing image, at its own line inside the Markdown text
    "modules/welcome/module.yaml:10:33: error: block 'welcome-start-1' (text): body: file "
    "'images/board.png' not found in welcome/",
    "6 error(s), 0 warning(s); nothing was written.",
]


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("command", ["build", "validate"])
def test_six_mistakes_in_one_run(tmp_path, monkeypatch, command):
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2026-11-30")
    root = write(tmp_path / "course", {
        "course.yaml": COURSE, "modules/welcome/module.yaml": WELCOME,
        "modules/check/module.yaml": CHECK, "modules/after/module.yaml": AFTER})
    args = [command, str(root)] + (["--out", str(tmp_path / "out")] if command == "build" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.output.splitlines() == SIX_MISTAKES
    assert not (tmp_path / "out").exists()


def test_course_yaml_errors_hide_nothing_in_the_modules(tmp_path, monkeypatch):
    """A misspelt section of course.yaml is reported, and the modules are still checked."""
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2026-11-30")
    course = COURSE.replace("passing:\n  pass_mark: 80", "passing:\n  pass_mak: 80")
    root = write(tmp_path / "course", {
        "course.yaml": course, "modules/welcome/module.yaml": WELCOME,
        "modules/check/module.yaml": CHECK.replace("attempts: three", "attempts: 3"),
        "modules/after/module.yaml": AFTER.replace('"Wrap up', "Wrap up")})
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert result.output.splitlines() == [
        "course.yaml:10:13: error: passing.pass_mak: is not a known field",
        "    hint: did you mean `pass_mark`?",
        *SIX_MISTAKES[3:9], "5 error(s), 0 warning(s); nothing was written."]


YAML_MISTAKES = {
    "tab": ("title: A\npages:\n\t- id: x\n", "3:1",
            "invalid YAML: a tab character is used to indent this line",
            "YAML indents with spaces only: replace the tab with spaces (most editors can insert "
            "spaces when you press Tab)"),
    "indented too far": ("title: A\npages:\n  - id: x\n     title: y\n", "4:11",
                         "invalid YAML: this line is indented further than the fields around it",
                         "fields of one mapping start in the same column: line this one up with "
                         "the field above it"),
    "out of line": ("a:\n  b: 1\n c: 2\n", "3:2",
                    "invalid YAML: this line is out of line with the fields around it",
                    "fields of one mapping start in the same column, and a list item starts with "
                    "`- `: check the indentation of this line and the one above"),
    "missing colon": ("title: A\ndescription Something here\npages: []\n", "2:1",
                      "invalid YAML: this line has no colon after its field name",
                      "write `name: value`, with a colon and a space after the name"),
    "missing dash": ("modules:\n  - one\n  two\n", "3:3",
                     "invalid YAML: this line is not a list item, but the line above is",
                     "start each item of a list with `- ` at the same indentation"),
    "missing dash in a list of mappings": (
        "pages:\n  - id: x\n    title: y\n  id: z\n", "4:3",
        "invalid YAML: this line is out of line with the list it is in",
        "each item of the list that starts on line 2 begins with `- ` in the same column: is a "
        "dash missing, or is the line indented differently?"),
    "unclosed quote": ("title: \"Hello\npages: []\n", "1:8",
                       "invalid YAML: the quote that opens here is never closed",
                       "end the text with the same quote mark it starts with (\" or '); to put "
                       "that mark inside the text, use the other kind around it, or write '' "
                       "inside '...'"),
    "colon in a value": ("title: Note: read this\n", "1:12",
                         "invalid YAML: this value holds a colon followed by a space",
                         'put the whole value in quotes, e.g. title: "Note: read this first"'),
    "unclosed list": ("choices: [a, b\nnext: 1\n", "1:10",
                      "invalid YAML: the list that opens here with '[' is not closed with ']', or "
                      "an item in it needs quotes",
                      "put items holding a comma, a colon or a bracket in quotes, and close the "
                      "list on the same line, or write one `- item` per line instead"),
}


@pytest.mark.parametrize("case", sorted(YAML_MISTAKES))
def test_yaml_syntax_errors_say_the_likely_mistake(case):
    text, where, message, hint = YAML_MISTAKES[case]
    with pytest.raises(YamlError) as caught:
        load_yaml_text(text, Path("module.yaml"))
    located = caught.value.location
    assert (f"{located.line}:{located.column}", str(caught.value), caught.value.hint) == (
        where, message, hint)


def test_image_in_folded_text_is_reported_at_its_line(tmp_path):
    root = write(tmp_path / "course", {
        "course.yaml": "id: https://example.org/c\ntitle: C\nversion: 1.0.0\nmodules: [one]\n",
        "modules/one/module.yaml": (
            "title: One\npages:\n  - id: a\n    title: A\n    blocks:\n"
            "      - type: text\n        body: >\n          First line,\n"
            "          second line ![a chart](chart.png) and more.\n")})
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert result.output.splitlines()[0] == (
        "modules/one/module.yaml:9:34: error: block 'one-a-1' (text): body: file 'chart.png' not "
        "found in one/")


def test_warnings_are_counted_alike_in_failing_and_passing_runs(tmp_path, monkeypatch):
    """Before, a failing run counted notes as warnings and skipped the lint, so the count
    changed once the error was fixed."""
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2026-11-30")
    course = ("id: https://example.org/c\ntitle: C\nversion: 1.0.0\nmodules: [one]\n"
              "release:\n  status: draft\n  next_review: 2027-06-01\n")
    module = ("title: One\npages:\n  - id: a\n    title: A\n    blocks:\n"
              "      - type: text\n        body: He committed suicide; a self-harmer.\n"
              "      - type: quiz\n        id: q\n        attempts: {attempts}\n"
              "        questions:\n          - {{id: q1, kind: true_false, prompt: P, "
              "answer: true}}\n")
    root = write(tmp_path / "course", {"course.yaml": course,
                                       "modules/one/module.yaml": module.format(attempts="x")})
    failing = CliRunner().invoke(main, ["validate", str(root)])
    write(root, {"modules/one/module.yaml": module.format(attempts="2")})
    passing = CliRunner().invoke(main, ["validate", str(root)])
    assert failing.exit_code == 1 and passing.exit_code == 0
    assert failing.output.splitlines()[-1] == "1 error(s), 2 warning(s); nothing was written."
    assert passing.output.splitlines()[-1].endswith("; 2 warning(s).")


PLUGIN = """\
from course_builder.plugin import Block, BlockContext, BlockModel, ContentType, Interaction


class FragileBlock(BlockModel):
    pass


class Fragile(ContentType[FragileBlock]):
    name = "fragile"
    model = FragileBlock

    def interactions(self, block: Block[FragileBlock]) -> list[Interaction]:
        raise KeyError("oops")
"""


def test_a_failing_plugin_is_named_with_its_block(tmp_path):
    root = write(tmp_path / "course", {
        "course.yaml": "id: https://example.org/c\ntitle: C\nversion: 1.0.0\nmodules: [one]\n",
        "plugins/fragile/plugin.py": PLUGIN,
        "modules/one/module.yaml": ("title: One\npages:\n  - id: a\n    title: A\n    blocks:\n"
                                    "      - type: fragile\n")})
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert isinstance(result.exception, PluginFailure)
    assert str(result.exception) == (
        "plugin 'fragile' (course folder fragile/) failed in interactions on "
        "modules/one/module.yaml:6:9 (block 'one-a-1'): KeyError: 'oops'")
