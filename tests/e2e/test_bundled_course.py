"""The bundled example course (course.yaml + modules/ at the repository root) walked as a learner.

One learner walks all of it in scorm-again's test LMS, once as a SCORM 1.2 package and once as a
SCORM 2004 package: reads two stories and skips one, plays every scenario (two of them down a
follow-up step with Continue), answers every myth/fact statement, passes the knowledge check with
the answers taken from the course data, opens an accordion item with the keyboard, submits the
anonymous evaluation and opens the support panel on every page. The SCORM 2004 walk also runs
axe-core on every page and state (and at 320 px on a story, a scenario, the statistics chart,
the quiz and the evaluation) and ends with "Take a break"; the SCORM 1.2 walk is ended by the
LMS closing the course.

The tests then assert on what reached the LMS: interaction ids and types, the skipped story's
absence, the scenario branch, evaluation anonymity (only ``<eval id>-submitted``, no answer in
the data model, suspend_data or any SetValue call), statuses, score, suspend_data size and
decoding, one Initialize and one Terminate, no API errors.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from course_builder import state as saved_state
from tests.e2e import course_fixtures as cf
from tests.e2e import harness as h

pytestmark = pytest.mark.e2e

V12, V2004 = "1.2", "2004"
FORMAT = {V12: "scorm12", V2004: "scorm2004"}

# What the learner does (block keys as written in modules/*/module.yaml).
STORIES_READ = ("story-jo", "story-rhian")
STORY_SKIPPED = "story-amir"
# Scenario -> the choice (0-based, in the order written) made at each step along the path taken.
# Two of them follow a choice's `next` with "Continue" to a follow-up step.
SCENARIO_PATHS = {
    "ae-triage": (0, 1),          # a (good) -> Continue -> ae-triage-waiting: b (poor)
    "gp-appointment": (1,),       # b (poor): no follow-up step, the path ends at once
    "school-disclosure": (2, 0),  # c (mixed) -> Continue -> school-disclosure-next: a (good)
    "police-custody": (0,),       # a (good)
}
SCENARIO_FOLLOW_UPS = {"ae-triage": "ae-triage-waiting",
                       "school-disclosure": "school-disclosure-next"}
MYTH_FACT_KEY = "myths-and-facts"
MYTH_FACT_WRONG = 6  # the 7th statement is answered wrongly on purpose; the rest rightly
QUIZ_KEY = "knowledge-check"
EVALUATION_KEY = "course-evaluation"
FREE_TEXT = "ZEBRA-FEEDBACK-123"
FREE_TEXT_2 = "QUOKKA-IMPROVE-789"
# Evaluation answers: (prompt starts with, radio label).
EVALUATION_CHOICES = (
    ("I feel more confident talking", "Strongly agree"),
    ("I have a better understanding of why", "Strongly disagree"),
    ("I understand what NICE guidance", "Neutral"),
    ("Overall, how would you rate", "4"),
    ("Would you recommend this course", "Yes"),
)
# Pages looked at again at 320 px wide (block key on the page -> label).
NARROW = {"story-jo": "a story", "ae-triage": "a scenario",
          "ae-presentations": "the statistics chart", QUIZ_KEY: "the quiz",
          EVALUATION_KEY: "the evaluation"}
WIDE = {"width": 1280, "height": 800}

# Every content type in plugins/ (issue 3: the bundled course uses each of them).
PLUGIN_TYPES = tuple(sorted(p.parent.name for p in (cf.REPO / "plugins").glob("*/plugin.py")))


# --------------------------------------------------------------------------- the walk


class Walk:
    """What the learner saw along the way (asserted on by the tests, not during the walk)."""

    def __init__(self, frame: Any, page: Any, axe: bool) -> None:
        self.frame = frame
        self.page = page
        self.axe_on = axe
        self.obs: dict[str, Any] = {"titles": [], "axe": {}, "reflow": {}, "support": [],
                                    "stories": {}, "scenarios": {}, "myth_fact": {}, "quiz": {},
                                    "evaluation": {}, "accordion": {}, "statistics": {}}

    # -- checks run on every page
    def axe(self, where: str) -> None:
        if self.axe_on:
            self.obs["axe"][where] = h.run_axe(self.frame)

    def narrow(self, where: str) -> None:
        """axe and reflow at 320 px wide, then back to the normal width."""
        if not self.axe_on:
            return
        self.page.set_viewport_size({"width": 320, "height": 640})
        try:
            self.frame.wait_for_function("() => window.innerWidth <= 320")
            self.obs["axe"][where + " at 320 px"] = h.run_axe(self.frame)
            self.obs["reflow"][where] = self.frame.evaluate(
                "() => [document.documentElement.scrollWidth,"
                " document.documentElement.clientWidth]")
        finally:
            self.page.set_viewport_size(WIDE)

    def support(self, where: str) -> None:
        """The header's Support button opens the helplines; Escape closes them again."""
        frame = self.frame
        toggle = frame.get_by_role("button", name="Support", exact=True)
        panel = frame.locator("#cb-support")
        toggle.click()
        panel.wait_for(state="visible", timeout=3_000)
        link = panel.get_by_role("link", name="116 123")
        seen = {
            "where": where,
            "expanded": toggle.get_attribute("aria-expanded"),
            "samaritans": panel.get_by_text("Samaritans", exact=True).is_visible(),
            "link_visible": link.is_visible(),
            "href": link.get_attribute("href"),
        }
        self.page.keyboard.press("Escape")
        panel.wait_for(state="hidden", timeout=3_000)
        seen["closed_focus_on_toggle"] = frame.evaluate(
            "() => document.activeElement.classList.contains('cb-support-toggle')")
        self.obs["support"].append(seen)

    # -- the blocks
    def block(self, key: str) -> Any:
        return self.frame.locator(f'[data-block="{key}"]')

    def story(self, key: str) -> None:
        section = self.block(key)
        note = section.locator(".cb-story__note")
        content = section.locator(".cb-story__content")
        body = section.locator(".cb-story__body")
        seen: dict[str, Any] = {
            "note_visible": note.is_visible(),
            "note_text": note.inner_text(),
            "body_hidden_before": body.is_hidden(),
            "content_hidden_before": content.is_hidden(),
            # DOCUMENT_POSITION_FOLLOWING (4): the story comes after its note.
            "note_before_story": note.evaluate(
                "(n) => !!(n.compareDocumentPosition(n.closest('.cb-story')"
                ".querySelector('.cb-story__content')) & 4)"),
            "buttons": section.get_by_role("button").all_inner_texts(),
        }
        if key == STORY_SKIPPED:
            section.get_by_role("button", name="Skip this story", exact=True).click()
            status = section.locator(".cb-story__status")
            status.wait_for(state="visible")
            seen["status"] = status.inner_text()
            seen["body_hidden_after"] = body.is_hidden()
            seen["read_offered_again"] = section.get_by_role(
                "button", name="Read this story", exact=True).is_visible()
        else:
            section.get_by_role("button", name="Read this story", exact=True).click()
            body.wait_for(state="visible")
            seen["body_visible_after"] = body.is_visible()
            seen["heading_focused"] = section.locator(".cb-story__heading").evaluate(
                "(n) => n === document.activeElement")
        self.obs["stories"][key] = seen

    def scenario(self, key: str) -> None:
        section = self.block(key)
        steps = []
        path = SCENARIO_PATHS[key]
        for depth, choice in enumerate(path):
            step = section.locator(".cb-scenario__step:not([hidden])").nth(depth)
            step.get_by_role("radio").nth(choice).check()
            step.get_by_role("button", name="Submit", exact=True).click()
            feedback = step.locator('[data-role="feedback"]')
            feedback.wait_for(state="visible")
            entry = {"step": step.get_attribute("data-step"),
                     "practice": step.locator(".cb-scenario__practice").inner_text()}
            if depth < len(path) - 1:
                step.get_by_role("button", name="Continue", exact=True).click()
                follow = section.locator(".cb-scenario__step:not([hidden])").nth(depth + 1)
                follow.wait_for(state="visible")
                entry["continued_to"] = follow.get_attribute("data-step")
                entry["follow_up_focused"] = follow.locator(".cb-scenario__step-title").evaluate(
                    "(n) => n === document.activeElement")
            else:
                entry["continue_offered"] = step.get_by_role(
                    "button", name="Continue", exact=True).is_visible()
            steps.append(entry)
        reflection = section.locator(".cb-scenario__reflection")
        reflection.wait_for(state="visible")
        self.obs["scenarios"][key] = {"steps": steps, "reflection": reflection.inner_text()}

    def myth_fact(self, data: dict[str, Any]) -> None:
        section = self.block(MYTH_FACT_KEY)
        items = section.locator(".cb-mythfact__item")
        given = []
        for i, statement in enumerate(data["statements"]):
            answer = statement["answer"]
            if i == MYTH_FACT_WRONG:
                answer = "f" if answer == "m" else "m"
            given.append(answer)
            items.nth(i).get_by_role("button", name="Myth" if answer == "m" else "Fact",
                                     exact=True).click()
            items.nth(i).locator('[data-role="feedback"]').wait_for(state="visible")
        summary = section.locator(".cb-mythfact__summary")
        summary.wait_for(state="visible")
        self.obs["myth_fact"] = {"given": given, "summary": summary.inner_text(),
                                 "results": items.locator(".cb-mythfact__result").all_inner_texts()}

    def accordion(self, key: str) -> None:
        """Open the first item with Enter and the second with Space, never the mouse."""
        summaries = self.block(key).locator("summary")
        opened = []
        for n, keyname in ((0, "Enter"), (1, "Space")):
            summaries.nth(n).focus()
            self.page.keyboard.press(keyname)
            details = self.block(key).locator("details").nth(n)
            details.locator(".cb-accordion__body").wait_for(state="visible")
            opened.append(details.evaluate("(d) => d.open"))
        self.obs["accordion"] = {"opened": opened, "items": summaries.count()}

    def quiz(self, data: dict[str, Any]) -> None:
        section = self.block(QUIZ_KEY)
        for q in data["questions"]:
            item = section.locator(f'.cb-question[data-question="{q["id"]}"]')
            if q["kind"] == "true_false":
                item.get_by_role("radio", name="True" if q["answer"] else "False",
                                 exact=True).check()
            elif q["kind"] in ("single", "multiple"):
                role = "radio" if q["kind"] == "single" else "checkbox"
                for option in q["options"]:
                    if option["correct"]:
                        item.get_by_role(role, name=option["text"], exact=True).check()
            else:  # pragma: no cover - the bundled quiz has no other kinds today
                raise AssertionError(f"the walk cannot answer a {q['kind']} question ({q['id']})")
            item.get_by_role("button", name="Submit", exact=True).click()
            item.locator('[data-action="submit"][disabled]').wait_for(state="attached")
        summary = section.locator(".cb-quiz__summary")
        summary.wait_for(state="visible")
        self.obs["quiz"] = {"summary": summary.inner_text(), "answered": len(data["questions"])}

    def evaluation(self) -> None:
        section = self.block(EVALUATION_KEY)
        seen: dict[str, Any] = {
            "notice": section.locator(".cb-evaluation__notice").inner_text(),
        }
        for prompt, label in EVALUATION_CHOICES:
            group = section.get_by_role("group", name=re.compile("^" + re.escape(prompt)))
            group.get_by_role("radio", name=label, exact=True).check()
        section.get_by_role("textbox", name="What was most useful?").fill(FREE_TEXT)
        section.get_by_role("textbox", name="What could we improve?").fill(FREE_TEXT_2)
        section.get_by_role("button", name="Submit", exact=True).click()
        thanks = section.locator(".cb-evaluation__thanks")
        thanks.wait_for(state="visible")
        seen["thanks"] = thanks.inner_text()
        seen["submit_hidden"] = section.locator('[data-action="submit"]').is_hidden()
        self.obs["evaluation"] = seen

    def statistics(self, key: str) -> None:
        """Open "Show the figures as a table" with the keyboard (so axe sees the table too)."""
        section = self.block(key)
        section.locator("summary").first.focus()
        self.page.keyboard.press("Enter")
        section.locator("table").first.wait_for(state="visible")
        self.obs["statistics"] = {
            "table_visible": section.locator("table").first.is_visible(),
            "svg": section.locator("svg").count(),
            "table": section.locator("table").count(),
            "text": section.inner_text(),
        }


def walk(course: dict[str, Any], version: str, *, axe: bool, take_break: bool):
    """A script for ``cf.record_session``: the whole course, page by page, as described above."""
    by_page: dict[int, list[dict[str, Any]]] = {}
    for block in course["blocks"]:
        by_page.setdefault(block["page"], []).append(block)

    def script(learner: cf.Learner, page: Any, base_url: str) -> dict[str, Any]:
        w = Walk(learner.frame, page, axe)
        frame = learner.frame
        for index in range(len(course["pages"])):
            if index:
                learner.next()
            title = learner.heading().inner_text()
            w.obs["titles"].append(title)
            where = f"page {index + 1} ({title})"
            w.axe(where)
            w.support(where)
            # Blocks without client data (accordion, statistics) are found in the page itself.
            shown = frame.locator(".cb-page[data-page]:not([hidden])")
            for block_el in shown.locator("[data-block]").all():
                btype = block_el.get_attribute("data-type")
                key = block_el.get_attribute("data-block")
                if btype == "accordion":
                    w.accordion(key)
                elif btype == "statistics":
                    w.statistics(key)
            acted = False
            for block in by_page.get(index, []):
                key, btype = block["key"], block["type"]
                if btype == "story":
                    w.story(key)
                elif btype == "scenario":
                    w.scenario(key)
                elif btype == "myth_fact":
                    w.myth_fact(block["data"])
                elif btype == "quiz":
                    w.quiz(block["data"])
                elif btype == "evaluation":
                    if key in NARROW:  # the form as the learner first meets it
                        w.narrow(f"{where}, {NARROW[key]} (before submitting)")
                    w.evaluation()
                else:
                    continue
                acted = True
                if key in NARROW:
                    w.narrow(f"{where}, {NARROW[key]}")
            for block_el in shown.locator('[data-type="statistics"]').all():
                label = NARROW.get(block_el.get_attribute("data-block") or "", "statistics")
                w.narrow(f"{where}, {label}")
            if acted or shown.locator('[data-type="accordion"], [data-type="statistics"]').count():
                w.axe(where + " after the learner's answers")
        w.obs["progress"] = learner.progress()
        if take_break:
            learner.take_a_break()
            frame.get_by_role("heading", name="Your progress is saved").wait_for(state="visible")
            w.axe("after Take a break")
            w.support("after Take a break")
            h.wait_for_call(page, cf.FINISH[version])
            # The LMS closes the course afterwards: nothing more may reach it.
            page.evaluate("() => { document.getElementById('course').src = 'about:blank'; }")
            page.wait_for_timeout(300)
        else:
            cf.end_session(page, version)
        return w.obs

    return script


# --------------------------------------------------------------------------- fixtures

_runs: dict[str, cf.Session] = {}


@pytest.fixture(scope="module")
def course_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The course JSON each package carries (the `#cb-course` script of index.html)."""
    return {v: cf.course_json(cf.bundled_site(tmp_path_factory, FORMAT[v])) for v in (V12, V2004)}


@pytest.fixture(scope="module", params=[V12, V2004], ids=["scorm12", "scorm2004"])
def run(request: pytest.FixtureRequest, browser: Any,
        tmp_path_factory: pytest.TempPathFactory,
        course_data: dict[str, dict[str, Any]]) -> tuple[str, cf.Session]:
    version = request.param
    if version not in _runs:
        site = cf.bundled_site(tmp_path_factory, FORMAT[version])
        # axe once (the pages are the same in both packages): in the 2004 walk, which also ends
        # with "Take a break"; the 1.2 walk is ended by the LMS closing the course.
        script = walk(course_data[version], version, axe=version == V2004,
                      take_break=version == V2004)
        _runs[version] = cf.record_session(browser, site, version, script)
    return version, _runs[version]


@pytest.fixture(scope="module")
def run2004(browser: Any, tmp_path_factory: pytest.TempPathFactory,
            course_data: dict[str, dict[str, Any]]) -> cf.Session:
    if V2004 not in _runs:
        site = cf.bundled_site(tmp_path_factory, FORMAT[V2004])
        _runs[V2004] = cf.record_session(
            browser, site, V2004, walk(course_data[V2004], V2004, axe=True, take_break=True))
    return _runs[V2004]


def interactions_of(session: cf.Session) -> list[dict[str, Any]]:
    found = session["cmi"]["cmi"].get("interactions") or {}
    if "childArray" in found:
        found = found["childArray"]
    if isinstance(found, list):
        return found
    return [found[k] for k in sorted(found, key=int)]


def response_of(interaction: dict[str, Any], version: str) -> str:
    return interaction["student_response" if version == V12 else "learner_response"]


def expected_interactions(course: dict[str, Any], version: str) -> dict[str, tuple[str, str, str]]:
    """id -> (type, response, result) for everything the walk should have recorded."""
    tf = {True: ("t" if version == V12 else "true"), False: ("f" if version == V12 else "false")}
    sep = "," if version == V12 else "[,]"
    wrong = "wrong" if version == V12 else "incorrect"
    other = "performance" if version == V12 else "other"
    blocks = {b["key"]: b for b in course["blocks"]}
    out: dict[str, tuple[str, str, str]] = {}
    for key in STORIES_READ:
        out[key] = (other, "read", "neutral")
    for key, path in SCENARIO_PATHS.items():
        letters = "abcdefghijklmnopqrstuvwxyz"
        ids = [key] + ([f"{key}-{SCENARIO_FOLLOW_UPS[key]}"] if key in SCENARIO_FOLLOW_UPS else [])
        assert len(ids) == len(path)
        for iid, choice in zip(ids, path, strict=True):
            good = course["interactions"][iid]["patterns"]
            out[iid] = ("choice", letters[choice], "correct" if letters[choice] in good else wrong)
    for i, s in enumerate(blocks[MYTH_FACT_KEY]["data"]["statements"]):
        answer = s["answer"] if i != MYTH_FACT_WRONG else ("f" if s["answer"] == "m" else "m")
        out[s["interaction"]] = ("choice", answer, "correct" if answer == s["answer"] else wrong)
    for q in blocks[QUIZ_KEY]["data"]["questions"]:
        if q["kind"] == "true_false":
            out[q["id"]] = ("true-false", tf[q["answer"]], "correct")
        else:
            right = [o["id"] for o in q["options"] if o["correct"]]
            out[q["id"]] = ("choice", sep.join(right), "correct")
    out[f"{EVALUATION_KEY}-submitted"] = (other, "submitted", "neutral")
    return out


def everything_sent(session: cf.Session) -> str:
    """Every argument of every API call and the whole data model, as one searchable text."""
    return json.dumps([c["args"] for c in session["calls"]]) + json.dumps(session["cmi"])


# --------------------------------------------------------------------------- the walk itself


def test_the_bundled_course_uses_every_content_type(
        tmp_path_factory: pytest.TempPathFactory, course_data: dict[str, Any]) -> None:
    used = {b["type"] for b in course_data[V2004]["blocks"]}
    site = cf.bundled_site(tmp_path_factory, FORMAT[V2004])
    html = (site / "pkg" / "index.html").read_text("utf-8")
    used |= set(re.findall(r'data-type="([a-z_]+)"', html))
    missing = [t for t in PLUGIN_TYPES if t not in used]
    assert missing == [], f"the bundled course uses no block of type {missing}"


def test_walk_is_clean(run: tuple[str, cf.Session], course_data: dict[str, Any]) -> None:
    version, session = run
    # The one address outside the package: the course owner's evaluation collector (course.yaml),
    # to which the evaluation's answers go (the harness blocks it, as every outside address).
    collector = course_data[version]["collector"]["endpoint"] + "statements"
    assert set(session["blocked"]) <= {collector}
    cf.assert_clean(cf.Session(session, blocked=[]))
    titles = [p["title"] for p in course_data[version]["pages"]]
    assert session["extra"]["titles"] == titles
    assert session["extra"]["progress"] == f"Page {len(titles)} of {len(titles)}"


def test_no_serious_or_critical_axe_violation_on_any_page(run2004: cf.Session,
                                                          course_data: dict[str, Any]) -> None:
    axe = run2004["extra"]["axe"]
    # Every page was checked, and each of the five at 320 px (the evaluation twice).
    for n, p in enumerate(course_data[V2004]["pages"]):
        assert f"page {n + 1} ({p['title']})" in axe
    assert len([w for w in axe if w.endswith("at 320 px")]) == len(NARROW) + 1
    assert "after Take a break" in axe
    failures = {where: v for where, v in axe.items() if v}
    assert failures == {}, "\n".join(f"{where}:\n{h.format_violations(v)}"
                                     for where, v in failures.items())


def test_reflow_at_320px(run2004: cf.Session) -> None:
    """WCAG 1.4.10: at 320 px nothing is wider than the screen, so no sideways scrolling."""
    reflow = run2004["extra"]["reflow"]
    assert len(reflow) == len(NARROW) + 1
    too_wide = {where: w for where, w in reflow.items() if w[0] > w[1]}
    assert too_wide == {}


def test_support_panel_on_every_page(run: tuple[str, cf.Session],
                                     course_data: dict[str, Any]) -> None:
    version, session = run
    support = session["extra"]["support"]
    expected = len(course_data[version]["pages"]) + (1 if version == V2004 else 0)
    assert len(support) == expected
    for seen in support:
        assert seen["expanded"] == "true", seen
        assert seen["samaritans"] and seen["link_visible"], seen
        assert seen["href"] == "tel:116123", seen
        assert seen["closed_focus_on_toggle"], seen


def test_stories_sit_behind_their_content_note(run: tuple[str, cf.Session]) -> None:
    _, session = run
    stories = session["extra"]["stories"]
    assert sorted(stories) == sorted(STORIES_READ + (STORY_SKIPPED,))
    for key, seen in stories.items():
        assert seen["note_visible"], key
        assert seen["note_text"].strip(), key
        assert seen["note_before_story"], key
        assert seen["body_hidden_before"] and seen["content_hidden_before"], key
        assert seen["buttons"][:2] == ["Read this story", "Skip this story"], (key, seen["buttons"])
    for key in STORIES_READ:
        assert stories[key]["body_visible_after"], key
        assert stories[key]["heading_focused"], key
    skipped = stories[STORY_SKIPPED]
    assert skipped["body_hidden_after"]
    assert "You skipped this story" in skipped["status"]
    assert skipped["read_offered_again"]


def test_scenarios_branch_and_reach_the_reflection(run: tuple[str, cf.Session]) -> None:
    _, session = run
    scenarios = session["extra"]["scenarios"]
    assert sorted(scenarios) == sorted(SCENARIO_PATHS)
    for key, seen in scenarios.items():
        assert seen["reflection"].startswith("Afterwards"), key
        assert len(seen["steps"]) == len(SCENARIO_PATHS[key])
        last = seen["steps"][-1]
        assert last["continue_offered"] is False, key
        for step in seen["steps"]:
            assert re.search(r"(Good|Poor|Mixed) practice", step["practice"]), step
    for key, follow_up in SCENARIO_FOLLOW_UPS.items():
        first = scenarios[key]["steps"][0]
        assert first["continued_to"] == follow_up
        assert first["follow_up_focused"]
        assert scenarios[key]["steps"][1]["step"] == follow_up


def test_other_blocks_were_exercised(run: tuple[str, cf.Session],
                                     course_data: dict[str, Any]) -> None:
    version, session = run
    extra = session["extra"]
    statements = len(next(b for b in course_data[version]["blocks"]
                          if b["key"] == MYTH_FACT_KEY)["data"]["statements"])
    assert len(extra["myth_fact"]["results"]) == statements
    assert f"{statements - 1} of {statements} correctly" in extra["myth_fact"]["summary"]
    assert extra["accordion"]["opened"] == [True, True]
    assert re.search(r"\b10 of 10\b|100\s*%", extra["quiz"]["summary"]), extra["quiz"]["summary"]
    assert "anonymous" in extra["evaluation"]["notice"]
    assert "Thank you" in extra["evaluation"]["thanks"]
    assert extra["evaluation"]["submit_hidden"]
    assert extra["statistics"]["svg"] >= 1 and extra["statistics"]["table_visible"]
    assert re.search(r"\d+ presentations in the 12 months to \w+ \d{4}",
                     extra["statistics"]["text"])


# --------------------------------------------------------------------------- what the LMS got


def test_interactions_recorded_with_the_right_types(run: tuple[str, cf.Session],
                                                    course_data: dict[str, Any]) -> None:
    version, session = run
    expected = expected_interactions(course_data[version], version)
    recorded = interactions_of(session)
    got = {i["id"]: (i["type"], response_of(i, version), i["result"]) for i in recorded}
    # Each recorded once (the walk never answers anything twice).
    assert sorted(i["id"] for i in recorded) == sorted(set(got))
    assert got == expected


def test_the_skipped_story_is_not_recorded(run: tuple[str, cf.Session]) -> None:
    version, session = run
    ids = [i["id"] for i in interactions_of(session)]
    assert STORY_SKIPPED not in ids
    assert all(key in ids for key in STORIES_READ)
    # Not even an attempt that the LMS refused: no interaction id was ever set to it.
    ids_set = [c["args"][1] for c in cf.calls_of(session["calls"], cf.SET[version])
               if re.fullmatch(r"cmi\.interactions\.\d+\.id", c["args"][0])]
    assert STORY_SKIPPED not in ids_set
    assert sorted(ids_set) == sorted(ids)


def test_scenario_follow_up_steps_are_their_own_interactions(run: tuple[str, cf.Session]) -> None:
    _, session = run
    ids = [i["id"] for i in interactions_of(session)]
    for key, step in SCENARIO_FOLLOW_UPS.items():
        assert ids.index(key) < ids.index(f"{key}-{step}")
    # Scenarios whose path ended at the first step have no follow-up interaction.
    for key in set(SCENARIO_PATHS) - set(SCENARIO_FOLLOW_UPS):
        assert [i for i in ids if i.startswith(key + "-")] == []


def test_the_evaluation_stays_anonymous(run: tuple[str, cf.Session],
                                        course_data: dict[str, Any]) -> None:
    version, session = run
    ids = [i["id"] for i in interactions_of(session)]
    assert [i for i in ids if i.startswith(EVALUATION_KEY)] == [f"{EVALUATION_KEY}-submitted"]
    types = {i["type"] for i in interactions_of(session)}
    assert not types & {"likert", "numeric", "fill-in", "long-fill-in"}
    sent = everything_sent(session)
    for secret in (FREE_TEXT, FREE_TEXT_2, "Strongly agree", "Strongly disagree"):
        assert secret not in sent
    # No evaluation item id, nor its question, reaches the LMS in any form.
    for iid, meta in course_data[version]["interactions"].items():
        if meta["anonymous"]:
            assert iid not in sent
            assert meta["description"] not in sent
    # The saved state keeps only "submitted": the answers are never saved.
    decoded = saved_state.decode(suspend_of(session, version), cf.bundled_course())
    assert decoded["blocks"][EVALUATION_KEY]["raw"] == "1"
    suspend = suspend_of(session, version)
    assert FREE_TEXT not in suspend and FREE_TEXT_2 not in suspend


def suspend_of(session: cf.Session, version: str) -> str:
    return session["cmi"]["cmi"]["suspend_data"]


def test_status_score_and_session(run: tuple[str, cf.Session]) -> None:
    version, session = run
    c = session["cmi"]["cmi"]
    if version == V12:
        assert c["core"]["lesson_status"] == "passed"
        assert float(c["core"]["score"]["raw"]) >= 80
        assert c["core"]["exit"] == ""
    else:
        assert c["completion_status"] == "completed"
        assert c["success_status"] == "passed"
        assert float(c["score"]["raw"]) >= 80
        assert float(c["score"]["scaled"]) >= 0.8
        assert c["exit"] == "normal"
    calls = [x for x in session["calls"] if x["method"] not in h.ERROR_READERS]
    assert len(cf.calls_of(calls, cf.INIT[version])) == 1
    assert len(cf.calls_of(calls, cf.FINISH[version])) == 1
    assert calls[0]["method"] == cf.INIT[version]
    finish_at = next(i for i, x in enumerate(calls) if x["method"] == cf.FINISH[version])
    assert calls[finish_at + 1:] == [], "the course talked to the LMS after it finished"
    failed = [x for x in calls if x.get("error") != "0" or "threw" in x]
    assert failed == []


def test_suspend_data_fits_and_decodes(run: tuple[str, cf.Session]) -> None:
    version, session = run
    suspend = suspend_of(session, version)
    assert 0 < len(suspend) <= 4096
    course = cf.bundled_course()
    decoded = saved_state.decode(suspend, course)
    assert decoded["same_course_version"] is True
    assert decoded["pages_seen"]["count"] == decoded["pages_seen"]["of"] == len(course.pages)
    blocks = decoded["blocks"]
    assert blocks[STORY_SKIPPED]["raw"] == "s"
    for key in STORIES_READ:
        assert blocks[key]["raw"] == "r"
    assert blocks["ae-triage"]["raw"] == "ab"
    assert blocks["school-disclosure"]["raw"] == "ca"
    assert blocks["gp-appointment"]["raw"] == "b"
    assert "error" not in json.dumps(blocks)
