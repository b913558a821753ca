"""The scenario content type: branching checks (cycles, unknown steps, duplicates, unreachable
steps), tracking, the saved-state bound, rendering, and the bundled course's scenarios."""

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
from course_builder.model import Course
from tests.bundles import shipped

REPO = Path(__file__).resolve().parents[2]

COURSE = """\
id: https://example.org/courses/scenario-test
title: Scenario test
version: 1.0.0
modules: [one]
"""


def write_course(root: Path, blocks: str) -> Path:
    """A one-module, one-page course whose page holds ``blocks`` (a YAML list)."""
    module = "title: One\npages:\n  - id: page\n    title: A scenario\n    blocks:\n" + \
        textwrap.indent(textwrap.dedent(blocks), "      ")
    (root / "modules/one").mkdir(parents=True, exist_ok=True)
    (root / "course.yaml").write_text(COURSE, encoding="utf-8")
    (root / "modules/one/module.yaml").write_text(module, encoding="utf-8")
    return root


def load(root: Path) -> Course:
    return load_course(root, Reporter())


def problems(root: Path) -> list[str]:
    """Every diagnostic, formatted as the author sees it (path relative to the course)."""
    with pytest.raises(CourseInvalid) as caught:
        load(root)
    return [d.format(root) for d in caught.value.diagnostics]


def choice(cid: str, practice: str = "good", next_: str | None = None) -> str:
    text = f"{{id: {cid}, text: Say {cid}, practice: {practice}, feedback: About {cid}."
    return text + (f", next: {next_}}}" if next_ else "}")


def scenario(first: list[str], steps: dict[str, list[str]] | None = None,
             extra: str = "") -> str:
    """A scenario block; ``first`` and each step are lists of ``choice(...)`` strings."""
    lines = ["- type: scenario", "  id: sc", "  setting: A&E triage, 2am",
             "  situation: Sam comes to the desk.", "  choices:"]
    lines += [f"    - {c}" for c in first]
    if steps:
        lines.append("  steps:")
        for sid, choices in steps.items():
            lines += [f"    - id: {sid}", f"      situation: Later, at {sid}.", "      choices:"]
            lines += [f"        - {c}" for c in choices]
    return "\n".join(lines) + "\n" + extra


# -- the example and the bundled course ------------------------------------------------------

def example_page() -> dict:
    return yaml.safe_load((REPO / "plugins/scenario/example.yaml").read_text(encoding="utf-8"))


def test_example_builds_and_tracks_every_step(tmp_path: Path) -> None:
    page = example_page()
    root = write_course(tmp_path / "course", yaml.safe_dump(page["blocks"], sort_keys=False))
    result = build(root, tmp_path / "out", ["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        names = [*package.namelist(), *shipped(package)]
        html = package.read("index.html").decode()
    assert "assets/plugins/scenario/scenario.js" in names
    assert "assets/plugins/scenario/scenario.css" in names
    data = json.loads(re.search(r'<script type="application/json" id="cb-course">(.*?)</script>',
                                html, re.DOTALL).group(1))
    assert {"practice-nurse", "practice-nurse-talking", "practice-nurse-plan"} <= set(
        data["interactions"])
    block = next(b for b in data["blocks"] if b["key"] == "practice-nurse")
    assert block["maxScore"] == 3  # scored: longest path is first -> talking -> plan
    first = block["data"]["steps"][0]
    assert first["interaction"] == "practice-nurse"
    assert [c["letter"] for c in first["choices"]] == ["a", "b", "c"]
    assert first["choices"][0]["label"] == "Good practice"
    assert first["choices"][0]["next"] == "talking"
    assert "<strong>in themselves</strong>" in first["choices"][0]["feedback"]


@pytest.mark.parametrize("module", ["responding"])
def test_bundled_scenarios_validate(tmp_path: Path, module: str) -> None:
    """Every scenario in the bundled course, on its own, validates; no step is unreachable.

    (Safe-messaging lint warnings on the wording are the content's business, not this plugin's.)"""
    source = yaml.safe_load((REPO / "modules" / module / "module.yaml").read_text("utf-8"))
    blocks = [b for p in source["pages"] for b in p["blocks"] if b["type"] == "scenario"]
    assert len(blocks) >= 4
    root = write_course(tmp_path, yaml.safe_dump(blocks, sort_keys=False))
    reporter = Reporter()
    course = load_course(root, reporter)
    assert reporter.errors == []
    assert not [w for w in reporter.warnings if "never reached" in w.message]
    ae = course.block("ae-triage")
    assert ae is not None
    assert ae.plugin.max_state_chars(ae) == 2
    assert [i.id for i in ae.plugin.interactions(ae)] == ["ae-triage", "ae-triage-ae-triage-waiting"]


# -- tracking ---------------------------------------------------------------------------------

def test_interactions_are_choices_with_good_choices_correct(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario(
        [choice("x", "poor", "two"), choice("y", "good", "two"), choice("z", "good")],
        {"two": [choice("p", "mixed"), choice("q", "poor")]}))
    block = load(root).block("sc")
    first, second = block.plugin.interactions(block)
    assert first.id == "sc" and second.id == "sc-two"
    assert first.type == "choice"
    assert first.choices == (("a", "Say x"), ("b", "Say y"), ("c", "Say z"))
    assert first.correct == ("b", "c")
    assert second.correct == ()  # no good choice: nothing is "right"
    assert first.scored is False and block.plugin.max_score(block) == 0
    assert first.description.startswith("A&E triage, 2am. Sam comes to the desk.")


def test_scored_weighs_the_longest_path(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario(
        [choice("x", "good", "two"), choice("y", "poor")],
        {"two": [choice("p", "good", "three"), choice("q", "poor")],
         "three": [choice("r", "good"), choice("s", "poor")]}, "  scored: true\n"))
    block = load(root).block("sc")
    assert block.plugin.max_score(block) == 3
    assert all(i.scored for i in block.plugin.interactions(block))


def test_state_bound_is_the_longest_path_not_the_step_count(tmp_path: Path) -> None:
    # first -> two -> three, and first -> three directly; four is a separate branch of two.
    root = write_course(tmp_path, scenario(
        [choice("x", "good", "two"), choice("y", "poor", "three")],
        {"two": [choice("p", "good", "three"), choice("q", "poor", "four")],
         "three": [choice("r"), choice("s", "poor")],
         "four": [choice("t"), choice("u", "poor", "three")]}))
    block = load(root).block("sc")
    # Longest: first -> two -> four -> three = 4 letters.
    assert block.plugin.max_state_chars(block) == 4


def test_single_step_scenario_stores_one_letter(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario([choice("x"), choice("y", "poor")]))
    block = load(root).block("sc")
    assert block.plugin.max_state_chars(block) == 1
    assert block.plugin.interactions(block)[0].id == "sc"


def test_decode_state_names_the_path(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario(
        [choice("x", "good", "two"), choice("y", "poor")],
        {"two": [choice("p", "mixed"), choice("q", "poor")]}))
    block = load(root).block("sc")
    assert block.plugin.decode_state(block, "aa") == {"finished": True, "path": [
        {"step": "(first)", "letter": "a", "choice": "x", "practice": "good"},
        {"step": "two", "letter": "a", "choice": "p", "practice": "mixed"}]}
    assert block.plugin.decode_state(block, "a")["finished"] is False
    assert block.plugin.decode_state(block, "b")["finished"] is True
    assert block.plugin.decode_state(block, "z")["path"][0]["error"] == \
        "this step has no choice 'z'"


# -- validation -------------------------------------------------------------------------------

def test_a_cycle_is_refused_with_its_path(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario(
        [choice("x", "good", "step-a"), choice("y", "poor")],
        {"step-a": [choice("p", "good", "step-b"), choice("q", "poor")],
         "step-b": [choice("r", "good", "step-a"), choice("s", "poor")]}))
    found = problems(root)
    assert found == [
        ("modules/one/module.yaml:22:80: error: block 'sc' (scenario): "
        "steps[1].choices[0].next: steps form a cycle: step-a -> step-b -> step-a\n"
        "    hint: every path must end: point the last step's choices somewhere new, "
        "or leave out `next`")]


def test_a_step_pointing_to_itself_is_a_cycle(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario(
        [choice("x", "good", "loop"), choice("y", "poor")],
        {"loop": [choice("p", "good", "loop"), choice("q", "poor")]}))
    assert any("steps[0].choices[0].next: steps form a cycle: loop -> loop" in p
               for p in problems(root))


def test_unknown_next_gets_a_did_you_mean_hint(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario(
        [choice("x", "good", "folow-up"), choice("y", "poor")],
        {"follow-up": [choice("p"), choice("q", "poor")]}))
    assert problems(root) == [
        ("modules/one/module.yaml:11:76: error: block 'sc' (scenario): choices[0].next: "
        "`next` points to unknown step 'folow-up'\n    hint: did you mean `follow-up`?"),
        # follow-up is now unreachable, which is also said (as a warning).
        ("modules/one/module.yaml:14:17: warning: block 'sc' (scenario): steps[0].id: "
        "step 'follow-up' is never reached: no choice has `next: follow-up`")]


def test_unknown_next_with_no_steps_says_how_to_add_one(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario([choice("x", "good", "later"), choice("y", "poor")]))
    assert problems(root) == [
        ("modules/one/module.yaml:11:76: error: block 'sc' (scenario): choices[0].next: "
        "`next` points to unknown step 'later'\n"
        "    hint: add the follow-up under `steps:` with this id")]


def test_duplicate_step_and_choice_ids(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario(
        [choice("x", "good", "two"), choice("x", "poor")],
        {"two": [choice("p"), choice("q", "poor")], "three": [choice("r"), choice("s", "poor")]})
        .replace("id: three", "id: two"))
    found = [p.split(": error: ")[1] for p in problems(root) if ": error: " in p]
    assert found == [
        "block 'sc' (scenario): choices[1].id: choice id 'x' is used twice in this step",
        "block 'sc' (scenario): steps[1].id: step id 'two' is used twice in this scenario",
    ]


def test_unreachable_step_is_a_warning_only(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario(
        [choice("x"), choice("y", "poor")], {"orphan": [choice("p"), choice("q", "poor")]}))
    reporter = Reporter()
    load_course(root, reporter)
    assert [d.format(root) for d in reporter.diagnostics] == [
        ("modules/one/module.yaml:14:17: warning: block 'sc' (scenario): steps[0].id: "
        "step 'orphan' is never reached: no choice has `next: orphan`")]


def test_practice_must_be_good_poor_or_mixed(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario([choice("x", "great"), choice("y", "poor")]))
    assert any("choices[0].practice: 'great' is not allowed" in p for p in problems(root))


def test_a_step_needs_two_choices(tmp_path: Path) -> None:
    root = write_course(tmp_path, scenario([choice("x")]))
    assert any("choices: tuple should have at least 2 items" in p for p in problems(root))


# -- rendering --------------------------------------------------------------------------------

def test_rendered_html_uses_radios_in_a_fieldset(tmp_path: Path) -> None:
    root = write_course(tmp_path / "c", scenario(
        [choice("x", "good", "two"), choice("y", "poor")],
        {"two": [choice("p"), choice("q", "poor")]},
        "  question: What do you do first?\n  reflection: Sam said **thank you**.\n"))
    result = build(root, tmp_path / "out", ["scorm2004"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        html = package.read("index.html").decode()
    section = html[html.index('<section class="cb-scenario"'):]
    section = section[:section.index("</section>")]
    assert '<h2 class="cb-scenario__title" id="sc-title">' in section
    assert "A&amp;E triage, 2am</h2>" in section
    assert '<legend class="cb-scenario__question">What do you do first?</legend>' in section
    assert '<legend class="cb-scenario__question">What do you do?</legend>' in section  # default
    assert section.count('type="radio" name="sc-step-0"') == 2
    assert section.count('type="radio" name="sc-step-1"') == 2
    assert 'id="sc-step-1" data-step="two" hidden' in section
    assert section.count('data-action="submit">Submit</button>') == 2
    assert section.count(">Try a different choice</button>") == 2
    assert section.count(">Continue</button>") == 2
    assert "<p>Sam said <strong>thank you</strong>.</p>" in section
    assert '<div class="cb-scenario__reflection" hidden>' in section
