"""The saved-state format: decoding for support staff, and the worst-case length."""

from __future__ import annotations

import pytest

from course_builder.commands.build import load_course
from course_builder.diagnostics import Reporter
from course_builder.state import decode, fingerprint, max_length


def test_decode_with_course_names_pages_and_answers(write_course):
    course = load_course(write_course(), Reporter())
    fp = fingerprint(course)
    # pages 0 and 1 seen ("D" = 0b000011), bookmark page 1, quiz: attempt 2, best 50%, q1 = a
    text = f"1~{fp}~1~D~0=2.1e.0-"
    decoded = decode(text, course)
    assert decoded["same_course_version"] is True
    assert decoded["bookmark_page"] == {"index": 1, "id": "one/check", "title": "Check"}
    assert decoded["pages_seen"] == {"count": 2, "of": 2, "ids": ["one/intro", "one/check"]}
    assert decoded["blocks"]["check-quiz"]["decoded"]["answers"]["q1"] == ["a"]
    assert decoded["blocks"]["check-quiz"]["decoded"]["answers"]["q2"] is None


def test_decode_without_course():
    decoded = decode("1~abcd~3~P~0=x")
    assert decoded["pages_seen"] == [0, 1, 2, 3]
    assert decoded["bookmark_page"] == 3
    assert decoded["blocks"] == {"0": "x"}


def test_decode_rejects_other_data():
    with pytest.raises(ValueError, match="not course_builder saved state"):
        decode("lesson=3;score=80")


def test_fingerprint_changes_with_structure(write_course):
    a = load_course(write_course(), Reporter())
    b = load_course(write_course({"modules/one/module.yaml": """\
        title: M
        pages:
          - {id: other, title: O, blocks: [{type: text, body: x}]}
        """}, name="other"), Reporter())
    assert fingerprint(a) != fingerprint(b)
    assert len(fingerprint(a)) == 4


def test_max_length_counts_every_part(write_course):
    course = load_course(write_course(), Reporter())
    longest, shares = max_length(course)
    header = len("1~abcd~1~A~")
    ((block, share),) = shares
    assert block.key == "check-quiz"
    assert longest == header + share
