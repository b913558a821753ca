"""Safe-messaging lint: exact messages, exact places inside block scalars, course extensions,
allowed phrases, per-block suppression and --strict."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Level, Reporter
from course_builder.errors import CourseInvalid
from course_builder.lint import builtin_rules, find, lint_course
from course_builder.lint.safe_messaging import _Linter
from course_builder.yamlsource import load_yaml

COURSE = """\
id: https://example.org/courses/lint
title: Lint test
version: 1.0.0
modules: [one]
"""


def write(root: Path, module: str, extra: dict[str, str] | None = None) -> Path:
    files = {"course.yaml": COURSE, "modules/one/module.yaml": module, **(extra or {})}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def lint(root: Path, strict: bool = False) -> tuple[list[str], Reporter]:
    reporter = Reporter(strict=strict)
    try:
        course = load_course(root, Reporter())
    except CourseInvalid as exc:  # the pipeline itself ran the lint, and it found errors
        reporter.diagnostics.extend(exc.diagnostics)
    else:
        lint_course(course, reporter)
    return [d.format(root) for d in reporter.sorted()], reporter


def page(*blocks: str) -> str:
    body = "".join(textwrap.indent(textwrap.dedent(b), "      ") for b in blocks)
    return "title: Module one\npages:\n  - id: p\n    title: Page\n    blocks:\n" + body


def test_exact_message_and_line_inside_literal_block(tmp_path):
    root = write(tmp_path, page("""\
        - type: text
          id: story-jo
          body: |
            Jo's brother
            had committed suicide
            the year before.
        """))
    assert lint(root)[0] == [
        ("modules/one/module.yaml:10:15: warning: block 'story-jo' (text): body: "
        "'committed suicide' is stigmatising language [stigmatising-language]\n"
        "    hint: say 'died by suicide'"),
    ]


def test_match_split_across_lines_of_a_folded_scalar(tmp_path):
    root = write(tmp_path, page("""\
        - type: text
          title: Plain
          body: >-
            Figures show an
            epidemic, and a
            "successful
            suicide" is
            reported.
        """))
    messages, _ = lint(root)
    assert [m.split(": warning: ")[0] for m in messages] == [
        "modules/one/module.yaml:10:11",  # epidemic
        "modules/one/module.yaml:11:12",  # successful (the match starts after the quote)
    ]
    assert "'successful suicide' is stigmatising language" in messages[1]
    assert "block 1 (text) on page 'one/p': body: 'epidemic' is sensational language " \
           "[sensational-language]" in messages[0]


def test_same_phrase_twice_reports_each_line(tmp_path):
    root = write(tmp_path, page("""\
        - type: text
          body: |
            An epidemic?

              Not an epidemic.
        """))
    assert [m.split(": warning")[0] for m in lint(root)[0]] == [
        "modules/one/module.yaml:8:14", "modules/one/module.yaml:10:20"]


def test_plain_and_quoted_scalars_and_titles(tmp_path):
    root = write(tmp_path, """\
        title: Why "attention seekers" matter
        pages:
          - id: p
            title: The suicide hotspot
            blocks:
              - type: text
                title: "A \\"self-harmer\\""
                body: Calm text about a cutter
                  and a blade.
        """)
    assert lint(root)[0] == [
        ("modules/one/module.yaml:1:13: warning: module 'one': title: 'attention seekers' is "
        "stigmatising language [stigmatising-language]\n"
        "    hint: say what the person needs, e.g. 'seeking help' or 'showing their distress'; "
        "if you are correcting this myth, add lint: {ignore: [stigmatising-language], "
        "reason: ...} to the block"),
        ("modules/one/module.yaml:4:16: warning: page 'one/p': title: 'suicide hotspot' is "
        "sensational language [sensational-language]\n"
        "    hint: do not name or point to places; say 'a location of concern' only where needed"),
        ("modules/one/module.yaml:7:21: warning: block 1 (text) on page 'one/p': title: "
        "'self-harmer' is stigmatising language [stigmatising-language]\n"
        "    hint: say 'a person who self-harms' or 'a person who self-injures'"),
        ("modules/one/module.yaml:8:33: warning: block 1 (text) on page 'one/p': body: "
        "'cutter' is stigmatising language [stigmatising-language]\n"
        "    hint: say 'a person who self-injures'"),
        ("modules/one/module.yaml:9:17: warning: block 1 (text) on page 'one/p': body: "
        "'blade' is method or means detail [method-detail]\n"
        "    hint: leave out methods, implements, substances, amounts and where on the body "
        "injuries are; say 'self-harm' or 'injured themselves' instead"),
    ]


def test_ids_types_and_links_are_not_checked(tmp_path):
    root = write(tmp_path, page("""\
        - type: text
          id: cutter-story
          body: See [the guide](https://example.org/epidemic).
        """))
    # The link target is part of the Markdown body, so it is checked; the id is not.
    assert [m.split("warning: ")[1].split("\n")[0] for m in lint(root)[0]] == [
        ("block 'cutter-story' (text): body: 'epidemic' is sensational language "
        "[sensational-language]")]


def test_nested_lists_give_field_paths(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("items:\n  - text: fine\n  - text: |\n      a\n      time waster\n"
                    "    src: epidemic.png\n", encoding="utf-8")
    raw = load_yaml(path)
    reporter = Reporter()
    _Linter(builtin_rules(), reporter).check("x: ", raw, (), raw.location)
    assert [d.format(tmp_path) for d in reporter.diagnostics] == [
        ("x.yaml:5:7: warning: x: items[1].text: 'time waster' is stigmatising language "
        "[stigmatising-language]\n    hint: describe the person's needs, not a judgement of them")]


def test_builtin_allow_list(tmp_path):
    root = write(tmp_path, page("""\
        - type: text
          body: Cutting edge care, not cutting corners. Cutting is method detail.
        """))
    messages, _ = lint(root)
    assert len(messages) == 1
    assert messages[0].startswith("modules/one/module.yaml:7:55: warning: block 1 (text) on "
                                  "page 'one/p': body: 'Cutting' is method or means detail")


def test_course_file_adds_rules_terms_and_allowed_phrases(tmp_path):
    root = write(tmp_path, page("""\
        - type: text
          body: |
            Call it a crisis, not a cry for attention.
            The weekly epidemic report is a fixed title.
            She is a self harmer.
        """), {"safe-messaging.yaml": """\
        rules:
          - id: local-words
            message: a word our members asked us not to use
            hint: ask the person what words they prefer
            terms:
              - crisis
              - regex: 'cry\\s+for\\s+attention'
                hint: say 'a sign of distress'
          - id: stigmatising-language
            terms:
              - phrase: she is a
                hint: describe, do not label
        allow:
          - weekly epidemic report
        """})
    messages, _ = lint(root)
    assert [m.split(": warning: ")[1] for m in messages] == [
        ("block 1 (text) on page 'one/p': body: 'crisis' is a word our members asked us not to "
        "use [local-words]\n    hint: ask the person what words they prefer"),
        ("block 1 (text) on page 'one/p': body: 'cry for attention' is a word our members asked "
        "us not to use [local-words]\n    hint: say 'a sign of distress'"),
        ("block 1 (text) on page 'one/p': body: 'She is a' is stigmatising language "
        "[stigmatising-language]\n    hint: describe, do not label"),
        ("block 1 (text) on page 'one/p': body: 'self harmer' is stigmatising language "
        "[stigmatising-language]\n    hint: say 'a person who self-harms' or 'a person who "
        "self-injures'"),
    ]


def test_invalid_course_file_is_a_located_error(tmp_path):
    root = write(tmp_path, page("- type: text\n  body: Fine.\n"), {"safe-messaging.yaml": """\
        rules:
          - id: new-rule
            terms: [x]
          - id: other
            message: m
            terms:
              - regex: '(unclosed'
        allow: [ok]
        """})
    messages, reporter = lint(root)
    assert messages == [
        ("safe-messaging.yaml:2:5: error: safe-messaging.yaml: rules[0].message: is required for "
        "a new rule (one that is not built in)"),
        ("safe-messaging.yaml:7:16: error: safe-messaging.yaml: rules[1].terms[0].regex: is not "
        "a valid regular expression: missing ), unterminated subpattern at position 0"),
    ]
    assert reporter.failed


def test_block_can_ignore_a_rule_with_a_reason(tmp_path):
    root = write(tmp_path, page("""\
        - type: text
          id: myth
          lint:
            ignore: [stigmatising-language]
            reason: The myth is quoted in order to correct it.
          body: |
            "People who self-injure are attention-seeking" is a myth.
            It is not an epidemic.
        """))
    assert [m.split(": warning: ")[1].split("\n")[0] for m in lint(root)[0]] == [
        "block 'myth' (text): body: 'epidemic' is sensational language [sensational-language]"]


def test_unknown_rule_in_ignore_is_a_warning(tmp_path):
    root = write(tmp_path, page("""\
        - type: text
          id: myth
          lint:
            ignore: [stigmatising-languge, sensational-language]
            reason: The myth is quoted in order to correct it.
          body: Nothing to see.
        """))
    assert lint(root)[0] == [
        ("modules/one/module.yaml:9:20: warning: block 'myth' (text): lint.ignore[0]: unknown "
        "safe-messaging rule 'stigmatising-languge'\n"
        "    hint: did you mean `stigmatising-language`?"),
    ]


def test_strict_makes_warnings_fail(tmp_path):
    root = write(tmp_path, page("- type: text\n  body: They committed suicide.\n"))
    _, relaxed = lint(root)
    assert [d.level for d in relaxed.diagnostics] == [Level.WARNING] and not relaxed.failed
    _, strict = lint(root, strict=True)
    assert strict.failed


def test_strict_build_fails_once_the_pipeline_runs_the_lint(tmp_path):
    root = write(tmp_path, page("- type: text\n  body: They committed suicide.\n"))
    result = build(root, tmp_path / "out", ["scorm12"])
    warnings = [d.message for d in result.reporter.warnings] if result.reporter else []
    if not any("[stigmatising-language]" in w for w in warnings):
        pytest.skip("lint_course is not yet called by the build pipeline")
    with pytest.raises(CourseInvalid) as info:
        build(root, tmp_path / "out2", ["scorm12"], strict=True)
    assert any("'committed suicide' is stigmatising language" in d.message
               for d in info.value.diagnostics)


def test_find_matches_whole_words_in_any_case_and_spacing():
    rules = builtin_rules()
    assert sorted(rules.rules) == ["graphic-description", "method-detail",
                                   "sensational-language", "stigmatising-language"]
    text = "A Self\u2010harmer; self harmers; selfharmer; commits  suicide; cutters; recutter"
    assert [text[f.start:f.end] for f in find(text, rules)] == [
        "Self\u2010harmer", "self harmers", "selfharmer", "commits  suicide", "cutters"]
    assert find(text, rules, frozenset({"stigmatising-language"})) == []


def test_support_intro_and_release_in_course_yaml_are_checked(tmp_path):
    """Prose is checked; a reviewer's name is a name ("Cutter" is not a label here)."""
    course = COURSE + textwrap.dedent("""\
        support_intro: Nobody here will call you a self-harmer.
        release:
          status: draft
          next_review: 2099-01-01
          illustrative: The figures show an epidemic.
          reviewers:
            - {area: clinical, role: Nurse consultant, name: Dr Jo Cutter}
        """)
    root = write(tmp_path, page("- type: text\n  body: Calm text.\n"),
                 {"course.yaml": course})
    messages = [m.split("\n")[0] for m in lint(root)[0]]
    assert messages == [
        ("course.yaml:5:44: warning: course: support_intro: 'self-harmer' is stigmatising "
         "language [stigmatising-language]"),
        ("course.yaml:9:37: warning: course: release.illustrative: 'epidemic' is sensational "
         "language [sensational-language]"),
    ]
