"""No LRS credential may go into any package, whatever the format."""

from __future__ import annotations

import pytest

from course_builder.secrets import credential_paths
from tests.conftest import errors_of

HINT = "    hint: remove it: the LMS passes the LRS address and credentials in the launch URL"


def test_credential_paths_find_urls_with_passwords_and_auth_headers():
    value = {"id": "https://example.org/c",
             "description": "Sent to https://key:secret@lrs.example.org/xapi/",
             "support": [{"href": "https://ok.example.org"},
                         {"description": "Basic a2V5OnNlY3JldHNlY3JldA=="}],
             "accessibility": {"contact": "https://example.org/contact"}}
    assert credential_paths(value) == [("description",), ("support", 1, "description")]
    assert credential_paths({"title": "Basic life support", "x": "mailto:a@b.org"}) == []


@pytest.mark.parametrize("formats", [["scorm12"], ["xapi"]])
def test_course_yaml_with_credentials_is_refused_for_every_format(write_course, formats):
    root = write_course({"course.yaml": f"""\
        id: https://example.org/courses/test-course
        title: Test course
        version: 1.0.0
        description: "Statements go to https://key:secret@lrs.example.org/xapi/"
        modules: [one]
        outputs: {formats}
        """})
    assert errors_of(root) == [
        "course.yaml:4:14: error: course.yaml: description looks like LRS credentials; packages "
        "must never hold an LRS key or secret\n" + HINT]


def test_block_text_with_credentials_is_refused(write_course):
    root = write_course({"modules/one/module.yaml": """\
        title: M
        pages:
          - id: a
            title: A
            blocks:
              - type: text
                body: "Our LRS key: Bearer eyJhbGciOiJIUzI1NiJ9.abcdefgh"
        """})
    assert errors_of(root) == [
        "modules/one/module.yaml:7:15: error: pages[0].blocks[0].body looks like LRS "
        "credentials; packages must never hold an LRS key or secret\n" + HINT]
