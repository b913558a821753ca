"""Interaction latency counts from when the question or step was shown, not from when the
course loaded (SCORM 2004 RTE, cmi.interactions.n.latency: from when the interaction was made
available to the learner). In Moodle the first step of each scenario, each story and the first
quiz question carried the time since the course loaded.

The page clock is fast-forwarded while the learner is on the first page, so a latency counted
from the course's start is minutes long, and one counted from when the block was shown is not.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from course_builder.commands.build import build
from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h

pytestmark = pytest.mark.e2e

V = "2004"
AWAY = 120  # seconds the learner spends on the first page

PRACTICE = """\
title: Practice
pages:
  - id: activities
    title: Stories, myths and a scenario
    blocks:
      - type: story
        id: story-sam
        teller: Sam (pseudonym)
        role: Lived experience trainer
        content_note: Talks about being listened to by a GP. No description of methods.
        body: The next GP I saw asked what would help, and we made a plan together.
      - type: myth_fact
        id: beliefs
        statements:
          - id: attention
            statement: People who self-injure are attention-seeking.
            answer: myth
            explanation: Most self-injury is private and hidden.
          - id: anyone
            statement: Anyone can self-injure.
            answer: fact
            explanation: It affects people of all ages and backgrounds.
      - type: scenario
        id: follow-up
        setting: GP surgery
        situation: Alex says, "You must be sick of people like me."
        question: What do you say?
        choices:
          - id: warm
            text: Say you are glad Alex came in, and ask how they are.
            practice: good
            feedback: Alex hears that they are welcome.
            next: talking
          - id: silent
            text: Say nothing.
            practice: poor
            feedback: Silence can sound like agreement.
        steps:
          - id: talking
            situation: Alex says things have been hard lately.
            question: How do you respond?
            choices:
              - id: listen
                text: Thank Alex and ask what has been happening.
                practice: good
                feedback: Asking kindly shows you can hear it.
              - id: leaflet
                text: Hand Alex a leaflet.
                practice: poor
                feedback: A leaflet alone can feel like being passed on.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("latency-course")
    source = work / "course"
    shutil.copytree(cf.TRACKING_ROOT, source)
    config = (source / "course.yaml").read_text(encoding="utf-8")
    (source / "course.yaml").write_text(
        config.replace("  - basics\n", "  - basics\n  - practice\n"), encoding="utf-8")
    (source / "modules" / "practice").mkdir()
    (source / "modules" / "practice" / "module.yaml").write_text(PRACTICE, encoding="utf-8")
    ((_, zip_path, _),) = build(source, work / "dist", ["scorm2004"]).packages
    return h.make_site(work / "site", zip_path)


def latencies(page: Any) -> dict[str, float]:
    """Interaction id -> latency in seconds, from the SetValue calls."""
    sets = cf.sets_in(h.calls(page), V)
    ids = {k.rsplit(".", 1)[0]: v for k, v in sets if k.endswith(".id")}
    return {ids[k.rsplit(".", 1)[0]]: h.time_to_seconds(v, V)
            for k, v in sets if k.endswith(".latency")}


def test_latency_counts_from_when_the_block_was_shown(page: Any, site: Path) -> None:
    page.clock.install()
    with h.serve(site) as base_url:
        learner = cf.start(page, base_url, V)
        page.clock.fast_forward(AWAY * 1000)  # the learner reads the first page for a while
        learner.walk_to(2)
        frame = learner.frame
        frame.get_by_role("button", name="Read this story").click()
        for n, label in enumerate(("Myth", "Fact")):
            frame.get_by_role("button", name=label, exact=True).nth(n).click()
        frame.get_by_role("radio", name="Say you are glad Alex came in").check()
        frame.get_by_role("button", name="Submit", exact=True).first.click()
        frame.get_by_role("button", name="Continue").click()
        page.clock.fast_forward(30_000)  # thinking about the follow-up step
        frame.get_by_role("radio", name="Thank Alex and ask what has been happening.").check()
        frame.locator('.cb-scenario__step:not([hidden]) [data-action="submit"]:visible').click()
        learner.walk_to(3)
        learner.answer_all(right=True)
        found = latencies(page)
    assert set(found) >= {"story-sam", "beliefs-attention", "beliefs-anyone", "follow-up",
                          "follow-up-talking", "q-single", "q-multiple", "q-true-false"}, found
    # Nothing counts the two minutes on the first page...
    assert all(seconds < AWAY for seconds in found.values()), found
    # ...and the follow-up step counts from when Continue showed it, the thinking included.
    assert found["follow-up-talking"] >= 30
