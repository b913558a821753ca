"""Loading and validation: every error located, with a hint, all in one run."""

from __future__ import annotations

from pathlib import Path

from course_builder.commands.build import load_course
from course_builder.diagnostics import Reporter
from tests.conftest import errors_of


def test_valid_course_loads(write_course):
    course = load_course(write_course(), Reporter())
    assert [p.id for p in course.pages] == ["one/intro", "one/check"]
    assert [b.key for b in course.blocks] == ["one-intro-1", "check-quiz"]
    assert course.config.slug == "test-course"


def test_misspelt_field_gets_location_and_hint(write_course):
    root = write_course({"course.yaml": """\
        id: https://example.org/c
        title: T
        version: 1.0.0
        modules: [one]
        passing:
          pass_mak: 80
        """})
    assert errors_of(root) == [
        "course.yaml:6:13: error: passing.pass_mak: is not a known field\n"
        "    hint: did you mean `pass_mark`?",
    ]


def test_every_error_reported_in_one_run(write_course):
    root = write_course({"modules/one/module.yaml": """\
        title: Module one
        pages:
          - id: intro
            title: Welcome
            blocks:
              - type: txet
                body: Hello.
              - type: text
          - id: Bad Id
            title: Check
            blocks:
              - type: quiz
                id: q
                questions:
                  - id: q1
                    kind: single
                    prompt: Pick
                    options:
                      - text: A
                        correct: yes please
                      - text: B
        """})
    assert errors_of(root) == [
        "modules/one/module.yaml:6:15: error: unknown block type 'txet'\n"
        "    hint: did you mean `text`?",
        "modules/one/module.yaml:8:9: error: block 2 (text) on page 'one/intro': "
        "body: is required but missing",
        "modules/one/module.yaml:9:9: error: pages[1].id: 'Bad Id' is not a valid id\n"
        "    hint: use lowercase letters, digits and hyphens, e.g. my-block-1",
        "modules/one/module.yaml:20:26: error: block 'q' (quiz): "
        "questions[0].options[0].correct: input should be a valid boolean, unable to interpret "
        "input (got 'yes please')",
    ]


def test_block_errors_name_the_field_path(write_course):
    root = write_course({"modules/one/module.yaml": """\
        title: Module one
        pages:
          - id: check
            title: Check
            blocks:
              - type: quiz
                id: q
                questions:
                  - id: q1
                    kind: single
                    prompt: Pick
                    options:
                      - text: A
                        correct: yes please
                      - text: B
        """})
    assert errors_of(root) == [
        "modules/one/module.yaml:14:26: error: block 'q' (quiz): "
        "questions[0].options[0].correct: input should be a valid boolean, unable to interpret "
        "input (got 'yes please')",
    ]


def test_invalid_yaml_is_located(write_course):
    root = write_course({"modules/one/module.yaml": "title: [unclosed\npages: []\n"})
    assert errors_of(root) == [
        "modules/one/module.yaml:1:8: error: invalid YAML: the list that opens here with '[' is "
        "not closed with ']', or an item in it needs quotes\n    hint: put items holding a "
        "comma, a colon or a bracket in quotes, and close the list on the same line, or write "
        "one `- item` per line instead"]


def test_missing_module_suggests_existing(write_course):
    root = write_course({"course.yaml": """\
        id: https://example.org/c
        title: T
        version: 1.0.0
        modules: [onee]
        """})
    assert errors_of(root) == [
        "course.yaml:4:11: error: module 'onee' not found: no modules/onee/module.yaml and no "
        "installed module plugin of that name\n    hint: did you mean `one`?",
    ]


def test_duplicate_block_ids_are_refused(write_course):
    root = write_course({"modules/one/module.yaml": """\
        title: M
        pages:
          - id: a
            title: A
            blocks:
              - {type: text, id: same, body: x}
              - {type: text, id: same, body: y}
        """})
    (error,) = errors_of(root)
    assert "id: 'same' is already used at modules/one/module.yaml:6:" in error


def test_no_course_yaml(tmp_path: Path):
    assert errors_of(tmp_path) == [
        f"error: no course.yaml in {tmp_path}\n    hint: run this in a course folder, or give "
        "the folder: course-builder build path/to/course"]


def test_course_rules_are_checked(write_course):
    root = write_course({"course.yaml": """\
        id: not an iri
        title: T
        version: 1.0.0
        duration: 90 minutes
        modules: [one]
        completion:
          require: [nothing-here]
        """})
    errors = errors_of(root)
    assert errors[0] == ("course.yaml:1:5: error: id: must be an IRI such as "
                         "https://example.org/courses/my-course (got 'not an iri')")
    assert errors[1].startswith("course.yaml:4:11: error: duration: must be an ISO 8601 duration")
    # the fields in error are set aside and the rest of the course is still checked
    assert errors[2:] == [
        "course.yaml:7:13: error: completion.require[0]: no block has the id 'nothing-here'"]


def test_every_output_name_authors_may_write_is_a_real_format():
    import typing

    from course_builder.config import OutputName
    from course_builder.targets import TARGETS

    assert set(typing.get_args(OutputName)) == set(TARGETS)
