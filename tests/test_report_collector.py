"""``course-builder report --collector``: the owner's evaluation results from the collector.

Only statements this course's runtime could have sent are counted (the collector's write key is
public); nothing is shown from fewer than five responses, and breakdowns never leave a small
group to be worked out. The command is run against the real collector (Ralph with its own scope
checks, tests/lrs/collector.py), reading with the owner's read key.
"""

from __future__ import annotations

import copy
import csv
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from course_builder import collector as runtime
from course_builder.cli import main
from course_builder.commands.build import load_course
from course_builder.diagnostics import Reporter
from course_builder.model import Course
from course_builder.report import tables
from course_builder.report.evaluation import OTHER, Results, course_items
from course_builder.report.html import render_collector
from tests.lrs.collector import READER, WRITER, collector  # noqa: F401
from tests.lrs.validate import invalid

COURSE = """\
id: https://courses.example.org/kindness
title: Kindness at work
version: {version}
organisation: Example Training Charity
modules: [one]
evaluation:
  collector:
    endpoint: {endpoint}
    username: {username}
    write_only_key: {key}
    write_only: true
"""

MODULE = """\
title: Feedback
pages:
  - id: form
    title: Tell us
    blocks:
      - type: evaluation
        id: feedback
        items:
          - {id: calm, kind: likert, prompt: I felt calm., scale: [No, Partly, Yes]}
          - {id: overall, kind: rating, prompt: Overall?, max: 5}
          - {id: again, kind: recommend}
          - {id: useful, kind: text, prompt: What was useful?}
"""


def write(write_course: Any, endpoint: str = "https://evaluations.example.org/xAPI/",
          username: str = WRITER[0], key: str = WRITER[1], version: str = "1.0.0") -> Path:
    return write_course({"course.yaml": COURSE.format(endpoint=endpoint, username=username,
                                                      key=key, version=version),
                         "modules/one/module.yaml": MODULE})


def submission(course: Course, answers: dict[str, str], day: str = "2026-03-04",
               version: str | None = None) -> list[dict[str, Any]]:
    """One form's batch, made from the build's own runtime data as collector.js makes it."""
    data = runtime.runtime_data(course)
    assert data is not None
    actor = {"objectType": "Agent",
             "account": {"homePage": data["homePage"], "name": str(uuid.uuid4())}}
    made = []
    for item, response in answers.items():
        made.append({
            "id": str(uuid.uuid4()), "actor": actor, "verb": data["verb"],
            "object": data["questions"][f"feedback-{item}"], "result": {"response": response},
            "context": {"revision": version or data["revision"], "language": data["language"],
                        "contextActivities": {"grouping": [data["course"]]}},
            "timestamp": f"{day}T00:00:00.000Z"})
    return made


@pytest.fixture
def course(write_course: Any) -> Course:
    return load_course(write(write_course), Reporter())


def results_of(course: Course, statements: list[dict[str, Any]]) -> Results:
    results = Results(course.config.id, course_items(course))
    for statement in statements:
        results.add(statement)
    return results


FULL = {"calm": "c", "overall": "4", "again": "a", "useful": "Listening first."}


# -- what is counted ------------------------------------------------------------------------

def test_only_this_courses_answers_in_their_own_shape_are_counted(course):
    good = submission(course, FULL)
    assert invalid(good) == {}
    junk: list[dict[str, Any]] = []

    def variant(change: Any) -> None:
        statement = copy.deepcopy(good[0])
        statement["id"] = str(uuid.uuid4())
        statement["actor"] = {"objectType": "Agent", "account": {
            "homePage": "https://courses.example.org", "name": str(uuid.uuid4())}}
        change(statement)
        junk.append(statement)

    variant(lambda s: s["verb"].update(id="http://adlnet.gov/expapi/verbs/experienced"))
    variant(lambda s: s["object"].update(id="https://courses.example.org/kindness/question/x"))
    variant(lambda s: s.update(actor={"objectType": "Agent", "mbox": "mailto:a@b.org"}))
    variant(lambda s: s["actor"].update(name="Learner Name"))
    variant(lambda s: s["actor"]["account"].update(homePage="https://elsewhere.example"))
    variant(lambda s: s["actor"]["account"].update(name="not-a-uuid"))
    variant(lambda s: s["context"].update(registration=str(uuid.uuid4())))
    variant(lambda s: s["context"].update(extensions={"https://x.example/session": "1"}))
    variant(lambda s: s["result"].update(response="z"))        # no such scale point
    variant(lambda s: s["result"].update(response="c[,]a"))    # likert: one point only
    overall = copy.deepcopy(good[1])
    for bad in ("9", "0", "nan", "4.5e9", ""):
        statement = copy.deepcopy(overall)
        statement["id"] = str(uuid.uuid4())
        statement["actor"]["account"]["name"] = str(uuid.uuid4())
        statement["result"]["response"] = bad
        junk.append(statement)
    long_text = copy.deepcopy(good[3])
    long_text["actor"]["account"]["name"] = str(uuid.uuid4())
    long_text["result"]["response"] = "x" * 4001
    junk.append(long_text)
    twice = copy.deepcopy(good[0])
    twice["id"] = str(uuid.uuid4())
    twice["result"]["response"] = "a"
    junk.append(twice)  # a second answer to "calm" in the same submission

    results = results_of(course, good + junk + ["not a statement"])
    assert results.count == 1
    [kept] = results.submissions.values()
    assert kept.answers == {"feedback-calm": "c", "feedback-overall": "4",
                            "feedback-again": "a", "feedback-useful": "Listening first."}
    assert kept.version == "1.0.0" and kept.month == "2026-03"
    assert dict(results.ignored) == {
        "not an answer": 2,
        "not one of this course's evaluation questions": 1,
        "not an anonymous actor": 4,
        "context that could link it to a learner": 2,
        "an answer the question does not offer": 8,
        "a second answer to the same question in one submission": 1,
    }


# -- no figure from fewer than five ----------------------------------------------------------

def test_nothing_is_shown_below_five_responses(course):
    results = results_of(course, [s for _ in range(4) for s in submission(course, FULL)])
    assert results.count == 4 and not results.shown
    assert tables.collector_rows(results) == []
    assert tables.group_rows(results) == []
    page = render_collector(results, "Kindness at work", [], "collector.example.org")
    assert "4 responses so far. Figures appear once there are 5" in page
    assert "Listening first." not in page


def test_five_responses_show_every_answer(course):
    answers = [FULL, {**FULL, "calm": "a", "useful": "=cmd()"}, {"calm": "b", "overall": "5"},
               {"again": "b"}, {"calm": "c", "overall": "2", "useful": "<b>bold</b>"}]
    results = results_of(course, [s for a in answers for s in submission(course, a)])
    rows = tables.collector_rows(results)
    assert rows == [
        ["feedback-again", "Would you recommend this training to a colleague?", "choice",
         "Yes", "2", "66.7"],
        ["feedback-again", "Would you recommend this training to a colleague?", "choice", "No",
         "1", "33.3"],
        ["feedback-again", "Would you recommend this training to a colleague?", "choice",
         "Not sure", "0", "0"],
        ["feedback-calm", "I felt calm.", "likert", "No", "1", "25"],
        ["feedback-calm", "I felt calm.", "likert", "Partly", "1", "25"],
        ["feedback-calm", "I felt calm.", "likert", "Yes", "2", "50"],
        ["feedback-overall", "Overall?", "numeric", "2", "1", "25"],
        ["feedback-overall", "Overall?", "numeric", "4", "2", "50"],
        ["feedback-overall", "Overall?", "numeric", "5", "1", "25"],
        ["feedback-useful", "What was useful?", "long-fill-in", "<b>bold</b>", "1", "33.3"],
        ["feedback-useful", "What was useful?", "long-fill-in", "=cmd()", "1", "33.3"],
        ["feedback-useful", "What was useful?", "long-fill-in", "Listening first.", "1",
         "33.3"],
    ]
    page = render_collector(results, "Kindness at work", [], "collector.example.org")
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    assert "average 3.8" in page


def group_sizes(results: Results, dimension: str) -> list[tuple[str, int]] | None:
    groups = results.breakdown(dimension)
    return None if groups is None else [(g, len(s)) for g, s in groups]


def test_breakdowns_never_leave_a_group_under_five(course):
    def batch(version: str, month: str, n: int) -> list[dict[str, Any]]:
        return [s for _ in range(n) for s in submission(course, FULL, f"{month}-10", version)]

    # Three versions: 7, 6 and 2 responses. "2" alone could be worked out from the total, so
    # the smallest big group joins it: 7 and "Other" 8.
    results = results_of(course, batch("1.1.0", "2026-01", 7) + batch("1.0.0", "2026-02", 6)
                         + batch("1.2.0", "2026-02", 2))
    assert group_sizes(results, "version") == [("1.1.0", 7), (OTHER, 8)]
    assert group_sizes(results, "month") == [("2026-01", 7), ("2026-02", 8)]
    # 6, 3 and 1: the small ones (4) and then the only big one fold together: no breakdown.
    results = results_of(course, batch("1.0.0", "2026-01", 6) + batch("1.1.0", "2026-01", 3)
                         + batch("1.2.0", "2026-01", 1))
    assert group_sizes(results, "version") is None
    assert group_sizes(results, "month") is None  # one month: it would repeat the total
    # Every group big enough: shown as they are.
    results = results_of(course, batch("1.0.0", "2026-01", 5) + batch("1.1.0", "2026-02", 5))
    assert group_sizes(results, "version") == [("1.0.0", 5), ("1.1.0", 5)]


def test_group_rows_leave_out_free_text_and_questions_few_answered(course):
    partial = {"calm": "a", "useful": "Quiet."}  # "overall" and "again" unanswered
    statements = ([s for _ in range(5) for s in submission(course, FULL, "2026-01-05")]
                  + [s for _ in range(5) for s in submission(course, partial, "2026-02-05")])
    rows = tables.group_rows(results_of(course, statements))
    assert {(r[0], r[1], r[3]) for r in rows} == {
        ("month", "2026-01", "feedback-calm"), ("month", "2026-01", "feedback-overall"),
        ("month", "2026-01", "feedback-again"), ("month", "2026-02", "feedback-calm")}
    assert not [r for r in rows if r[3] == "feedback-useful"]


# -- the command, against the real collector --------------------------------------------------

def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_report_reads_the_collector_with_the_owners_read_key(write_course, collector,  # noqa: F811
                                                             tmp_path, monkeypatch):
    collector.clear()
    root = write(write_course, endpoint=collector.endpoint)
    course = load_course(root, Reporter())
    writer = collector.as_user(*WRITER)
    for answers in (FULL, FULL, {"calm": "a"}, {"overall": "1"}, {"again": "c", "calm": "b"},
                    {"useful": "More stories, please."}):
        writer.post(submission(course, answers))
    junk = submission(course, {"calm": "c"})
    junk[0]["context"]["registration"] = str(uuid.uuid4())
    writer.post(junk)
    monkeypatch.setenv("COURSE_BUILDER_COLLECTOR_USERNAME", READER[0])
    monkeypatch.setenv("COURSE_BUILDER_COLLECTOR_PASSWORD", READER[1])
    monkeypatch.delenv("COURSE_BUILDER_LRS_CONFIG", raising=False)
    result = CliRunner().invoke(main, ["report", str(root), "--collector",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Read 14 statements" in result.output
    assert "6 responses, 1 statement left out." in result.output
    assert ("Checked: the key published in the packages cannot read the collector (it "
            "answered HTTP 401).") in result.output
    rows = read_csv(tmp_path / "out" / "evaluation.csv")
    assert rows[0] == tables.EVALUATION_HEADER
    calm = [r[3:] for r in rows if r[0] == "feedback-calm"]
    assert calm == [["No", "1", "25"], ["Partly", "1", "25"], ["Yes", "2", "50"]]
    assert [r[3:] for r in rows if r[0] == "feedback-useful"] == [
        ["Listening first.", "2", "66.7"], ["More stories, please.", "1", "33.3"]]
    assert read_csv(tmp_path / "out" / "evaluation-groups.csv") == [tables.GROUPS_HEADER]
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "6</strong> responses" in page and "context that could link it to a learner" in page


def test_report_warns_when_the_published_key_can_read(write_course, collector,  # noqa: F811
                                                      tmp_path, monkeypatch):
    root = write(write_course, endpoint=collector.endpoint, username=collector.username,
                 key=collector.password)  # an account that may read everything
    monkeypatch.setenv("COURSE_BUILDER_COLLECTOR_USERNAME", READER[0])
    monkeypatch.setenv("COURSE_BUILDER_COLLECTOR_PASSWORD", READER[1])
    result = CliRunner().invoke(main, ["report", str(root), "--collector",
                                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        f"Warning: the key published in the packages ('{collector.username}') can READ the "
        "collector: anyone who opens a package can read every answer.")
    assert "anyone who opens a package can read every answer" in (
        tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_report_refuses_the_published_key_as_the_read_key(write_course, tmp_path, monkeypatch):
    root = write(write_course)
    monkeypatch.setenv("COURSE_BUILDER_COLLECTOR_USERNAME", WRITER[0])
    monkeypatch.setenv("COURSE_BUILDER_COLLECTOR_PASSWORD", WRITER[1])
    result = CliRunner().invoke(main, ["report", str(root), "--collector"])
    assert result.exit_code == 1
    assert (f"'{WRITER[0]}' is the write-only account whose key is published in the packages: "
            "it cannot read.") in result.output
    result = CliRunner().invoke(main, ["report", str(root), "--collector", "--registration",
                                       str(uuid.uuid4())])
    assert result.exit_code == 2 and "anonymous answers have no --registration" in result.output
