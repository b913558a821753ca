"""Property-based tests (hypothesis): for *any* input, the loader, the saved-state format and
``decode-state`` either work or refuse with their own error; never another exception.

Kept fast (a few hundred examples each, no example database, no deadline: the machine is
shared, and timings are never asserted).
"""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_builder.cli import main
from course_builder.commands.build import load_course
from course_builder.diagnostics import Reporter
from course_builder.model import Course
from course_builder.state import SavedState, decode, encode, max_length, parse, stateful_blocks
from course_builder.yamlsource import LocatedDict, LocatedList, YamlError, load_yaml_text
from tests.conftest import COURSE_YAML

FAST = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
PATH = Path("modules/x/module.yaml")

# --- the source loader ------------------------------------------------------------------------

YAML_PIECES = st.sampled_from([
    "a", "b: ", ":", " ", "  ", "\n", "- ", "[", "]", "{", "}", ",", "&x ", "*x", "&y ", "*y",
    "<<: ", "!!int ", "!!float ", "!!binary ", "!!timestamp ", "!!set ", "!!str ", "!!omap ",
    "? ", '"', "'", "\\", "\\x00", "\\v", "\\ud800", "# c", "|\n", ">\n", "---\n", "...\n",
    "1", "0x1F", "1e400", "2001-12-14", "%YAML 1.1\n", "!", "\t", "\x00", "\x85", "\ufeff",
    "\u202e", "é"])


def _check_located(value: Any) -> None:
    """Every mapping and list the loader returns knows where it and each of its parts are."""
    if isinstance(value, LocatedDict):
        assert set(value.key_locations) == set(value)
        assert value.location.line >= 1
        for item in value.values():
            _check_located(item)
    elif isinstance(value, LocatedList):
        assert len(value.item_locations) == len(value)
        for item in value:
            _check_located(item)
    else:
        assert not isinstance(value, (dict, list))


@FAST
@given(st.one_of(st.lists(YAML_PIECES, max_size=40).map("".join), st.text(max_size=80)))
def test_any_text_loads_with_locations_or_is_a_located_yaml_error(text: str) -> None:
    try:
        data = load_yaml_text(text, PATH)
    except YamlError as exc:
        assert exc.location.path == PATH
        assert 0 <= exc.location.line <= text.count("\n") + text.count("\x85") + 2
        return
    _check_located(data)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
DOCUMENTS = st.recursive(
    SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                     st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


@SOME
@given(st.dictionaries(st.text(max_size=8), DOCUMENTS, max_size=5))
def test_what_yaml_dumps_loads_back_the_same_with_locations(data: dict[str, Any]) -> None:
    loaded = load_yaml_text(yaml.safe_dump(data), PATH)
    if data:
        assert loaded == data
        _check_located(loaded)


# --- the saved state --------------------------------------------------------------------------

SAFE = string.ascii_letters + string.digits + "._-"
STATES = st.builds(
    SavedState,
    fingerprint=st.text("0123456789abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=4),
    bookmark=st.integers(0, 36 ** 6 - 1),
    seen=st.lists(st.booleans(), max_size=300),
    blocks=st.dictionaries(st.integers(0, 36 ** 6 - 1), st.text(SAFE, min_size=1, max_size=40),
                           max_size=20))


@FAST
@given(STATES)
def test_every_state_survives_a_round_trip(state: SavedState) -> None:
    text = encode(state)
    again = parse(text)
    padded = state.seen + [False] * (-len(state.seen) % 6)
    assert again == SavedState(state.fingerprint, state.bookmark, padded, state.blocks)
    assert encode(again) == text


STATE_TEXT = st.one_of(
    STATES.map(encode).flatmap(lambda t: st.integers(0, len(t)).flatmap(
        lambda i: st.sampled_from(["", "-", "~", "*", "=", "+", "_", " ", "\x00", "0", "zzzzzzz"])
        .map(lambda c: t[:i] + c + t[i:]))),  # a valid string, with one thing slipped in
    st.text("1~abcd0z*=._-+AZ!\x1b ", max_size=60),
    st.text(max_size=60))


@FAST
@given(STATE_TEXT)
def test_the_reader_accepts_exactly_what_the_writer_writes(text: str) -> None:
    """Anything read is canonical (written back byte for byte); anything else is refused."""
    try:
        state = parse(text)
    except ValueError:
        return
    assert encode(state) == text.strip()
    assert state.bookmark >= 0 and all(index >= 0 for index in state.blocks)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """Three pages, a quiz drawing 2 of 3 questions and a scenario: stateful blocks."""
    root = tmp_path_factory.mktemp("course")
    (root / "modules/one").mkdir(parents=True)
    (root / "course.yaml").write_text(COURSE_YAML)
    questions = "".join(f"""
              - id: q{n}
                kind: multiple
                prompt: Pick some
                options:
                  - {{text: A, correct: true}}
                  - {{text: B}}
                  - {{text: C, correct: true}}""" for n in range(3))
    (root / "modules/one/module.yaml").write_text(f"""\
title: M
pages:
  - id: a
    title: A
    blocks:
      - {{type: text, body: x}}
  - id: b
    title: B
    blocks:
      - type: quiz
        id: check
        draw: 2
        questions:{questions}
  - id: c
    title: C
    blocks:
      - {{type: text, body: y}}
""")
    return load_course(root, Reporter())


@SOME
@given(data=st.data())
def test_the_longest_state_a_course_can_write_fits_the_computed_bound(course: Course,
                                                                     data: st.DataObject
                                                                     ) -> None:
    blocks = stateful_blocks(course)
    assert blocks  # the bound is about something
    limit, _ = max_length(course)
    state = SavedState(
        "abcd", data.draw(st.integers(0, len(course.pages) - 1)),
        data.draw(st.lists(st.booleans(), min_size=len(course.pages),
                           max_size=len(course.pages))),
        {i: data.draw(st.text(SAFE, min_size=1, max_size=b.plugin.max_state_chars(b)))
         for i, b in enumerate(blocks)})
    assert len(encode(state, len(course.pages))) <= limit


@SOME
@given(STATE_TEXT)
def test_decoding_against_a_course_never_names_a_page_that_is_not_there(course: Course,
                                                                       text: str) -> None:
    try:
        decoded = decode(text, course)
    except ValueError:
        return
    bookmark = decoded["bookmark_page"]
    if bookmark["index"] >= len(course.pages):
        assert set(bookmark) == {"index", "problem"}
    else:
        assert bookmark["id"] == course.pages[bookmark["index"]].id


# --- decode-state, the command ----------------------------------------------------------------

@SOME
@given(STATE_TEXT)
def test_decode_state_prints_json_or_one_error_line(text: str) -> None:
    result = CliRunner().invoke(main, ["decode-state", "--raw", "-"], input=text)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    if result.exit_code == 0:
        assert json.loads(result.output)["format_version"] == 1
    else:
        assert result.exit_code == 1
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1
        assert "\x1b" not in result.output and "\x00" not in result.output
