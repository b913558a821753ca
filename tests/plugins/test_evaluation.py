"""The evaluation plugin: anonymity in the tracking declaration, where the answers go (and that
the form says so, in words generated from course.yaml), validation messages, rendering.

The browser-level proof (the answers reach the owner's collector, nothing anonymous reaches the
LMS) is in tests/e2e/test_evaluation_collector.py; here we prove what the runtime is told.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import yaml

from course_builder.commands.build import load_course
from course_builder.diagnostics import Reporter
from tests.bundles import shipped
from tests.conftest import REPO, errors_of

PLUGIN = REPO / "plugins" / "evaluation"

COURSE = """\
id: https://example.org/courses/eval
title: Evaluation test
version: 1.0.0
organisation: Example Training Charity
modules: [one]
{extra}"""

# The owner's collector, as most tests here have it (give ``collector=""`` for none).
COLLECTOR = """\
evaluation:
  collector:
    endpoint: https://evaluations.example.org/xAPI/
    username: course-evaluations
    write_only_key: k3y-that-can-only-write
    write_only: true
"""

FORM = """\
title: Module one
pages:
  - id: feedback
    title: Feedback
    blocks:
      - type: evaluation
        id: eval
{fields}        items:
          - id: confidence
            kind: likert
            prompt: I feel more confident.
          - id: agree
            kind: likert
            prompt: Custom scale.
            scale: [Not at all, Partly, Completely]
          - id: overall
            kind: rating
            prompt: Overall rating?
            max: 7
          - id: recommend
            kind: recommend
          - id: useful
            kind: text
            prompt: What was most useful?
"""


def _course(write_course, fields: str = "", extra: str = "", module: str | None = None,
            collector: str = COLLECTOR) -> Path:
    return write_course({
        "course.yaml": COURSE.format(extra=extra + collector),
        "modules/one/module.yaml": module if module is not None else FORM.format(fields=fields),
    })


def _block(root: Path):  # type: ignore[no-untyped-def]
    course = load_course(root, Reporter())
    block = course.block("eval")
    assert block is not None
    return block


def _package_json(zip_path: Path) -> dict:  # type: ignore[type-arg]
    with zipfile.ZipFile(zip_path) as z:
        html = z.read("index.html").decode()
    match = re.search(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', html, re.DOTALL)
    assert match, "course data not found in index.html"
    return json.loads(match.group(1))


def _html(zip_path: Path) -> str:
    with zipfile.ZipFile(zip_path) as z:
        return z.read("index.html").decode()


# -- anonymity -----------------------------------------------------------------------------------

def test_anonymous_by_default_every_answer_is_anonymous_except_submitted(write_course):
    block = _block(_course(write_course))
    interactions = block.plugin.interactions(block)
    by_id = {i.id: i for i in interactions}
    assert list(by_id) == ["eval-confidence", "eval-agree", "eval-overall", "eval-recommend",
                           "eval-useful", "eval-submitted"]
    for interaction in interactions:
        assert interaction.anonymous is (interaction.id != "eval-submitted"), interaction.id
        assert interaction.scored is False
        assert interaction.correct == ()
    submitted = by_id["eval-submitted"]
    assert submitted.type == "other"
    assert submitted.description == "Evaluation submitted"


def test_saved_state_holds_only_submitted_flag(write_course):
    block = _block(_course(write_course))
    assert block.plugin.max_state_chars(block) == 1
    assert block.plugin.decode_state(block, "1") == {"submitted": True}
    assert block.plugin.decode_state(block, "") == {"submitted": False}


def test_script_never_saves_answers():
    # The only state the JavaScript may ever write is the literal "1" (max_state_chars is 1 and
    # suspend_data is tied to the learner, so answers there would break anonymity).
    script = (PLUGIN / "static" / "evaluation.js").read_text(encoding="utf-8")
    calls = re.findall(r"api\.state\.set\(([^)]*)\)", script)
    assert calls and set(calls) == {'"1"'}


def test_not_anonymous_records_answers_normally(write_course):
    block = _block(_course(write_course, fields="        anonymous: false\n"))
    assert [i.anonymous for i in block.plugin.interactions(block)] == [False] * 6


def test_package_tells_runtime_which_interactions_are_anonymous(write_course, build_course):
    [package] = build_course(_course(write_course), ["scorm12"])
    data = _package_json(package)["interactions"]
    assert data["eval-submitted"]["anonymous"] is False
    assert data["eval-submitted"]["scormType"] == "performance"
    for key in ("eval-confidence", "eval-agree", "eval-overall", "eval-recommend", "eval-useful"):
        assert data[key]["anonymous"] is True, key


# -- interaction types -----------------------------------------------------------------------

def test_interaction_types_and_choices(write_course):
    block = _block(_course(write_course))
    by_id = {i.id: i for i in block.plugin.interactions(block)}
    assert by_id["eval-confidence"].type == "likert"
    assert by_id["eval-confidence"].choices == (
        ("a", "Strongly disagree"), ("b", "Disagree"), ("c", "Neutral"), ("d", "Agree"),
        ("e", "Strongly agree"))
    assert by_id["eval-agree"].choices == (("a", "Not at all"), ("b", "Partly"), ("c", "Completely"))
    assert by_id["eval-overall"].type == "numeric"
    assert by_id["eval-recommend"].type == "choice"
    assert by_id["eval-recommend"].choices == (("a", "Yes"), ("b", "No"), ("c", "Not sure"))
    assert by_id["eval-recommend"].description == "Would you recommend this training to a colleague?"
    assert by_id["eval-useful"].type == "long-fill-in"


# -- rendering -------------------------------------------------------------------------------

def test_renders_one_form_saying_who_receives_the_answers(write_course, build_course):
    [package] = build_course(_course(write_course), ["scorm2004"])
    html = _html(package)
    assert ("<p><strong>This form is anonymous.</strong> Your answers go to Example Training "
            "Charity without your name, your login or anything from your learning record. "
            "<span data-if-lms>Your organisation's learning system records only that you sent "
            "the form.</span><span data-if-no-lms hidden>No learning system records this visit: "
            "only this browser remembers that you sent the form.</span></p>") in html
    assert ("<p>What is sent: the answers you give, the version of this course and the date "
            "(not the time).</p>") in html
    assert "please leave out your name and anything that could identify you" in html
    assert html.count("<form") == 1
    assert len(re.findall(r"<button[^>]*>Submit</button>", html)) == 1
    assert html.count("<fieldset") == 4  # two likert, one rating, one recommend
    assert 'name="eval-overall" id="eval-overall-7" value="7"' in html
    assert 'id="eval-overall-8"' not in html
    assert '<label class="cb-evaluation__prompt" for="eval-useful">' in html
    assert 'maxlength="1000"' in html
    # Every item is optional: no field carries the HTML `required` attribute.
    assert not re.search(r"<(input|textarea)[^>]*\brequired\b", html)
    assert "You need to submit this form to complete the course." not in html
    data = _package_json(package)["blocks"][0]["data"]
    assert data["delivery"] == "collector"
    assert data["thanks"] == ("Thank you. Your answers are on their way to Example Training "
                              "Charity, without your name.")


def test_owner_and_privacy_notice_come_from_course_yaml(write_course, build_course):
    collector = COLLECTOR + ("  owner: Friends of the Course\n"
                             "  privacy_url: https://friends.example.org/privacy\n")
    [package] = build_course(_course(write_course, collector=collector), ["scorm12"])
    html = _html(package)
    assert "Your answers go to Friends of the Course without your name" in html
    form = html.split("cb-evaluation", 1)[1].split("</section>")[0]
    assert "Example Training Charity" not in form
    assert ('<a href="https://friends.example.org/privacy" target="_blank" '
            'rel="noopener noreferrer">How Friends of the Course handles your answers') in html


def test_without_a_collector_the_form_says_feedback_is_not_collected(write_course,
                                                                    build_course):
    root = _course(write_course, collector="")
    assert errors_of(root, strict=True) == [
        "modules/one/module.yaml:6:9: warning: block 'eval' (evaluation): anonymous: the answers "
        "of this anonymous form would reach nobody, so the form says that feedback is not "
        "collected and shows no questions\n"
        "    hint: name the course owner's evaluation collector in course.yaml "
        "(evaluation.collector, see docs/evaluation-collector.md) or an external survey "
        "(evaluation.external_url)"]
    for package in build_course(root, ["scorm12", "xapi"]):
        html = _html(package)
        assert "Feedback is not collected in this version of the course." in html
        assert "<form" not in html and "This form is anonymous" not in html
        assert _package_json(package)["collector"] is None


def test_requiring_a_form_whose_answers_go_nowhere_is_an_error(write_course):
    root = _course(write_course, fields="        required: true\n",
                   extra="completion:\n  require: [eval]\n", collector="")
    assert errors_of(root) == [
        "modules/one/module.yaml:6:9: error: block 'eval' (evaluation): anonymous: course.yaml's "
        "completion.require lists this anonymous form, but its answers would reach nobody: "
        "course.yaml names no evaluation collector or external survey\n"
        "    hint: name the course owner's evaluation collector in course.yaml "
        "(evaluation.collector, see docs/evaluation-collector.md) or an external survey "
        "(evaluation.external_url), or remove 'eval' from completion.require"]


def test_a_collector_needs_someone_to_name(write_course):
    root = write_course({
        "course.yaml": COURSE.format(extra=COLLECTOR).replace(
            "organisation: Example Training Charity\n", ""),
        "modules/one/module.yaml": FORM.format(fields="")})
    assert errors_of(root) == [
        "modules/one/module.yaml:6:9: error: block 'eval' (evaluation): anonymous: the form must "
        "tell learners who receives their answers, but course.yaml names nobody\n"
        "    hint: set evaluation.owner (or organisation) in course.yaml"]


def test_an_external_survey_replaces_the_questions(write_course, build_course):
    root = _course(write_course, fields="        required: true\n",
                   extra="completion:\n  require: [eval]\n",
                   collector="evaluation:\n  external_url: https://survey.example.nhs.uk/s/42\n")
    assert errors_of(root, strict=True) == []
    [package] = build_course(root, ["scorm12"])
    html = _html(package)
    assert "<form" not in html
    assert ('<a class="cb-button" href="https://survey.example.nhs.uk/s/42" target="_blank" '
            'rel="noopener noreferrer" data-action="survey"') in html
    assert "The feedback survey for this course is run by Example Training Charity" in html
    assert "Opening the survey counts as done for this course." in html
    data = _package_json(package)
    assert data["blocks"][0]["data"]["delivery"] == "external"
    assert data["collector"] is None
    assert "connect-src 'self'\">" in html.replace("&#39;", "'")


def test_collector_and_external_survey_together_are_refused(write_course):
    collector = COLLECTOR + "  external_url: https://survey.example.nhs.uk/s/42\n"
    [message] = errors_of(_course(write_course, collector=collector))
    assert message == ("course.yaml:7:3: error: evaluation: give either collector or "
                       "external_url, not both")


def test_not_anonymous_says_so(write_course, build_course):
    [package] = build_course(_course(write_course, fields="        anonymous: false\n",
                                     collector=""), ["scorm12"])
    html = _html(package)
    assert "This form is anonymous" not in html
    assert "your answers are saved with your learning record" in html
    assert _package_json(package)["blocks"][0]["data"]["delivery"] == "lms"


def test_required_form_says_so_and_can_be_required(write_course, build_course):
    root = _course(write_course, fields="        required: true\n",
                   extra="completion:\n  require: [eval]\n")
    assert errors_of(root, strict=True) == []
    [package] = build_course(root, ["scorm12"])
    assert "You need to submit this form to complete the course." in _html(package)
    assert _package_json(package)["blocks"][0]["data"]["required"] is True


# -- validation messages ---------------------------------------------------------------------

def test_required_but_not_in_completion_require_warns(write_course):
    root = _course(write_course, fields="        required: true\n")
    assert errors_of(root, strict=True) == [
        ("modules/one/module.yaml:8:19: warning: block 'eval' (evaluation): required: "
        "`required: true` but course.yaml's completion.require does not list 'eval'\n"
        "    hint: add 'eval' to completion.require in course.yaml, or set `required: false`"),
    ]


def test_in_completion_require_but_not_required_warns(write_course):
    root = _course(write_course, extra="completion:\n  require: [eval]\n")
    [message] = errors_of(root, strict=True)
    assert message.startswith("modules/one/module.yaml:6:9: warning: block 'eval' (evaluation): "
                              "required: course.yaml's completion.require lists 'eval', so "
                              "learners must submit it, but the form does not say so")


BAD = """\
title: Module one
pages:
  - id: feedback
    title: Feedback
    blocks:
      - type: evaluation
        id: eval
        items:
          - id: a
            kind: likert
            prompt: One
            scale: [Only]
          - id: a
            kind: rating
            prompt: Two
            max: 11
          - id: submitted
            kind: text
          - id: c
            kind: recommend
            scale: [Good, Bad]
            max: 3
"""


def test_every_item_problem_reported(write_course):
    root = _course(write_course, module=BAD)
    assert errors_of(root) == [
        ("modules/one/module.yaml:12:20: error: block 'eval' (evaluation): items[0].scale: "
        "needs between 2 and 10 labels (found 1)"),
        ("modules/one/module.yaml:13:17: error: block 'eval' (evaluation): items[1].id: "
        "item id 'a' is used twice in this form"),
        ("modules/one/module.yaml:16:18: error: block 'eval' (evaluation): items[1].max: "
        "must be between 2 and 10 (found 11)"),
        ("modules/one/module.yaml:17:13: error: block 'eval' (evaluation): items[2]: "
        "a text item needs a `prompt`"),
        ("modules/one/module.yaml:17:17: error: block 'eval' (evaluation): items[2].id: "
        "item id 'submitted' is reserved: 'eval-submitted' records that the form was sent\n"
        "    hint: choose another id, e.g. 'submitted-feedback'"),
        ("modules/one/module.yaml:21:20: error: block 'eval' (evaluation): items[3].scale: "
        "`scale` is only for likert items, not recommend"),
        ("modules/one/module.yaml:22:18: error: block 'eval' (evaluation): items[3].max: "
        "`max` is only for rating items, not recommend"),
    ]


def test_unknown_item_kind_is_an_error(write_course):
    module = FORM.format(fields="").replace("kind: rating", "kind: stars")
    [message] = errors_of(_course(write_course, module=module))
    assert "items[2].kind" in message and "error" in message


# -- shipped files ---------------------------------------------------------------------------

def test_example_yaml_builds(write_course, build_course):
    page = yaml.safe_load((PLUGIN / "example.yaml").read_text(encoding="utf-8"))
    module = yaml.safe_dump({"title": "Example", "pages": [page]}, sort_keys=False)
    root = _course(write_course, module=module,
                   extra="completion:\n  require: [course-evaluation]\n")
    assert errors_of(root, strict=True) == []
    packages = build_course(root, ["scorm12", "scorm2004"])
    with zipfile.ZipFile(packages[0]) as z:
        assert "assets/plugins/evaluation/evaluation.js" in shipped(z)


def test_bundled_course_evaluation_is_anonymous_and_required():
    course = load_course(REPO, Reporter())
    block = course.block("course-evaluation")
    assert block is not None and block.type == "evaluation"
    assert "course-evaluation" in course.config.completion.require
    interactions = block.plugin.interactions(block)
    assert [i.id for i in interactions if not i.anonymous] == ["course-evaluation-submitted"]
    assert block.plugin.max_state_chars(block) == 1

