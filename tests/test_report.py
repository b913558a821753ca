"""``course-builder report``: the aggregation on synthetic statements, and the whole command
against a real LRS (Ralph) with the figures checked exactly."""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import course_builder
from course_builder.cli import main
from course_builder.report import write_report
from course_builder.report.aggregate import Aggregator, parse_duration, parse_timestamp
from course_builder.report.lrs import LRSSettings
from course_builder.report.tables import completion_rows, evaluation_rows, question_rows
from tests.lrs.ralph import Ralph, lrs  # noqa: F401
from tests.lrs.synthetic import Course
from tests.lrs.validate import invalid

SOURCE = Path(course_builder.__file__).resolve().parent.parent
C = Course("https://example.org/courses/report-test", "Report test course")
REG = {name: str(uuid.UUID(int=i + 1, version=4))
       for i, name in enumerate(("A1", "A2", "B1", "C1", "D1", "E1", "F1"))}
ALICE = {"objectType": "Agent", "name": "Alice Example", "mbox": "mailto:alice@example.org"}
BOB = {"objectType": "Agent", "name": "Bob",
       "account": {"homePage": "https://lms.example.org", "name": "b-1042"}}
CAROL = {"objectType": "Agent", "mbox_sha1sum": "c0ffee" + "0" * 34}
DAN = {"objectType": "Agent", "openid": "https://openid.example.org/dan"}
EVE = {"objectType": "Agent", "name": "Eve",
       "account": {"homePage": "https://lms.example.org", "name": "e-2001"}}
FRANK = {"objectType": "Agent", "mbox": "mailto:frank@example.org"}
CHOICES = [("a", "Listen and ask how you can help"), ("b", "Tell them to stop"),
           ("c", "Ignore it")]
Q1 = C.question("check-quiz-q1", "What is a helpful first response?", "choice", CHOICES, ["a"])
Q2 = C.question("check-quiz-q2", "Self-injury is always a suicide attempt.", "true-false",
                correct=["false"])
SCALE = [("a", "Strongly disagree"), ("b", "Disagree"), ("c", "Neutral"), ("d", "Agree"),
         ("e", "Strongly agree")]
CONFIDENCE = C.question("course-evaluation-confidence", "I feel more confident.", "likert", SCALE)
OVERALL = C.question("course-evaluation-overall", "Overall rating", "numeric")
RECOMMEND = C.question("course-evaluation-recommend", "Would you recommend it?", "choice",
                       [("a", "Yes"), ("b", "No"), ("c", "Not sure")])
USEFUL = C.question("course-evaluation-most-useful", "What was most useful?", "long-fill-in")
SUBMITTED = C.question("course-evaluation-submitted", "Evaluation submitted", "other")
INJECTION = '=HYPERLINK("https://evil.example","click")'
SCRIPT = "<script>alert(1)</script>"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def scenario() -> list[dict[str, Any]]:
    """Six learners (every kind of identifier, a cmi5 launch with the LMS's own AU id, a
    retry), anonymous evaluation answers, and a statement about another course."""
    s: list[dict[str, Any]] = []
    s += C.session(ALICE, at("2026-01-15T09:00:00"), REG["A1"],
                   [(Q1, "b", False), (Q2, "false", True)], outcome="failed", percent=40)
    s += C.session(ALICE, at("2026-02-03T10:00:00"), REG["A2"],
                   [(Q1, "a", True), (Q2, "false", True)], completed=True, outcome="passed",
                   percent=100, minutes=15)
    s.append(C.statement(ALICE, "answered", SUBMITTED, at("2026-02-03T10:14:00"), REG["A2"],
                         {"response": "submitted"}))
    s += C.session(BOB, at("2026-02-20T14:00:00"), REG["B1"],
                   [(Q1, "c", False), (Q2, "true", False)], completed=True, outcome="passed",
                   percent=80, minutes=30)
    s.append(C.statement(BOB, "answered", SUBMITTED, at("2026-02-20T14:29:00"), REG["B1"],
                         {"response": "submitted"}))
    s += C.session(CAROL, at("2026-03-02T08:00:00"), REG["C1"], [(Q1, "b", False)], minutes=5)
    s += C.session(DAN, at("2026-03-10T12:00:00"), REG["D1"],
                   [(Q1, "a", True), (Q2, "true", False)], completed=True, outcome="failed",
                   percent=50, minutes=25)
    s += C.session(EVE, at("2026-03-20T16:00:00"), REG["E1"], completed=True, outcome="passed",
                   percent=90, minutes=10,
                   activity={"objectType": "Activity", "id": "https://lms.example.org/au/77"})
    s += C.session(FRANK, at("2026-03-25T09:00:00"), REG["F1"], minutes=60)
    s += [C.statement(FRANK, "experienced", C.page(f"m/p{i}", f"Page {i}"),
                      at("2026-03-25T09:30:00"), REG["F1"]) for i in range(160)]
    s += C.anonymous(at("2026-02-03T10:14:00"), [(CONFIDENCE, "d"), (OVERALL, "4"),
                                                 (RECOMMEND, "a"),
                                                 (USEFUL, "Hearing lived experience")])
    s += C.anonymous(at("2026-02-20T14:29:00"), [(CONFIDENCE, "e"), (OVERALL, "5"),
                                                 (RECOMMEND, "a"), (USEFUL, INJECTION)])
    s += C.anonymous(at("2026-03-10T12:25:00"), [(CONFIDENCE, "d"), (RECOMMEND, "c"),
                                                 (USEFUL, SCRIPT)])
    s.append({"id": str(uuid.uuid4()), "actor": ALICE,
              "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
              "object": {"id": "https://example.org/courses/another-course"},
              "timestamp": "2025-12-01T09:00:00Z"})
    return s


COMPLETIONS = [
    ["learner", "identified_by", "name", "first_launch_utc", "completed_utc", "result",
     "result_utc", "best_score_percent", "attempts", "total_time", "variant"],
    ["mailto:alice@example.org", "mbox", "Alice Example", "2026-01-15 09:00:00",
     "2026-02-03 10:14:58", "passed", "2026-02-03 10:14:59", "100", "2", "0:35:00", ""],
    ["b-1042", "account https://lms.example.org", "Bob", "2026-02-20 14:00:00",
     "2026-02-20 14:29:58", "passed", "2026-02-20 14:29:59", "80", "1", "0:30:00", ""],
    ["c0ffee" + "0" * 34, "mbox_sha1sum", "", "2026-03-02 08:00:00", "", "", "", "", "1",
     "0:05:00", ""],
    ["https://openid.example.org/dan", "openid", "", "2026-03-10 12:00:00",
     "2026-03-10 12:24:58", "failed", "2026-03-10 12:24:59", "50", "1", "0:25:00", ""],
    ["e-2001", "account https://lms.example.org", "Eve", "2026-03-20 16:00:00",
     "2026-03-20 16:09:58", "passed", "2026-03-20 16:09:59", "90", "1", "0:10:00", ""],
    ["mailto:frank@example.org", "mbox", "", "2026-03-25 09:00:00", "", "", "", "", "1",
     "1:00:00", ""],
]
QUESTIONS = [
    ["question", "prompt", "type", "answered", "correct", "percent_correct",
     "most_common_wrong_answer", "times_given"],
    ["check-quiz-q1", "What is a helpful first response?", "choice", "5", "2", "40",
     "Tell them to stop", "2"],
    ["check-quiz-q2", "Self-injury is always a suicide attempt.", "true-false", "4", "2", "50",
     "true", "2"],
]
EVALUATION = [
    ["item", "prompt", "type", "answer", "count", "percent"],
    ["course-evaluation-confidence", "I feel more confident.", "likert", "Strongly disagree",
     "0", "0"],
    ["course-evaluation-confidence", "I feel more confident.", "likert", "Disagree", "0", "0"],
    ["course-evaluation-confidence", "I feel more confident.", "likert", "Neutral", "0", "0"],
    ["course-evaluation-confidence", "I feel more confident.", "likert", "Agree", "2", "66.7"],
    ["course-evaluation-confidence", "I feel more confident.", "likert", "Strongly agree", "1",
     "33.3"],
    ["course-evaluation-most-useful", "What was most useful?", "long-fill-in", SCRIPT, "1",
     "33.3"],
    ["course-evaluation-most-useful", "What was most useful?", "long-fill-in", "'" + INJECTION,
     "1", "33.3"],
    ["course-evaluation-most-useful", "What was most useful?", "long-fill-in",
     "Hearing lived experience", "1", "33.3"],
    ["course-evaluation-overall", "Overall rating", "numeric", "4", "1", "50"],
    ["course-evaluation-overall", "Overall rating", "numeric", "5", "1", "50"],
    ["course-evaluation-recommend", "Would you recommend it?", "choice", "Yes", "2", "66.7"],
    ["course-evaluation-recommend", "Would you recommend it?", "choice", "No", "0", "0"],
    ["course-evaluation-recommend", "Would you recommend it?", "choice", "Not sure", "1",
     "33.3"],
]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "xlink:href", "action", "data", "poster"):
                self.urls.append((tag, name, value or ""))


def assert_self_contained(page: str) -> None:
    parser = _Links()
    parser.feed(page)
    assert "h1" in parser.tags
    external = [u for u in parser.urls if not u[2].startswith("#")]
    assert external == [], external  # only in-page links (#trained, #results, ...)
    assert not parser.tags & {"script", "link", "img", "iframe", "object", "embed"}
    lowered = page.lower()
    assert "url(" not in lowered and "@import" not in lowered


# --- unit: values and aggregation ----------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-01T10:00:00Z", "2026-03-01 10:00:00+00:00"),
    ("2026-03-01T10:00:00.123456789Z", "2026-03-01 10:00:00.123456+00:00"),
    ("2026-03-01T11:30:00+01:30", "2026-03-01 10:00:00+00:00"),
    ("2026-03-01T05:00:00-0500", "2026-03-01 10:00:00+00:00"),
    ("2026-03-01T10:00:00", "2026-03-01 10:00:00+00:00"),
    ("2026-03-01", "2026-03-01 00:00:00+00:00"),
    ("2026-02-30T10:00:00Z", "None"), ("yesterday", "None"), (None, "None"),
])
def test_parse_timestamp(text: Any, expected: str) -> None:
    assert str(parse_timestamp(text)) == expected


@pytest.mark.parametrize(("text", "seconds"), [
    ("PT1H2M3.5S", 3723.5), ("PT19M", 1140), ("P1DT1S", 86401), ("PT0S", 0), ("P1W", 604800),
    ("PT", 0), ("P", 0), ("1:00:00", 0), (None, 0), ("PT1.5H", 5400),
])
def test_parse_duration(text: Any, seconds: float) -> None:
    assert parse_duration(text) == seconds


def aggregate(statements: list[dict[str, Any]]) -> Aggregator:
    data = Aggregator(C.id, "en-GB")
    for statement in statements:
        data.add(statement)
    return data


def test_figures_from_a_realistic_set() -> None:
    data = aggregate(scenario())
    assert [COMPLETIONS[0]] + completion_rows(data) == COMPLETIONS
    assert [QUESTIONS[0]] + question_rows(data) == QUESTIONS
    rows = [[EVALUATION[0]] + evaluation_rows(data)][0]
    assert rows == [EVALUATION[0]] + [r[:3] + [INJECTION if r[3] == "'" + INJECTION else r[3]]
                                      + r[4:] for r in EVALUATION[1:]]
    assert data.totals() == {"learners": 6, "completed": 4, "passed": 3, "failed": 1,
                             "evaluation_submissions": 2, "anonymous_responses": 3}
    assert data.trained_per_month() == [("2026-02", 2), ("2026-03", 2)]
    assert data.ignored == 1  # the other course's statement


def test_order_of_statements_does_not_matter() -> None:
    statements = scenario()
    expected = aggregate(statements)
    for seed in (1, 2):
        shuffled = statements[:]
        random.Random(seed).shuffle(shuffled)
        data = aggregate(shuffled)
        assert completion_rows(data) == completion_rows(expected)
        assert question_rows(data) == question_rows(expected)
        assert evaluation_rows(data) == evaluation_rows(expected)


def test_latest_result_wins_and_scores_come_from_raw_when_unscaled() -> None:
    s = C.session(ALICE, at("2026-05-01T09:00:00"), REG["A1"], completed=True, outcome="passed",
                  percent=70)
    s += C.session(ALICE, at("2026-05-02T09:00:00"), REG["A2"], outcome="failed")
    s[-2]["result"]["score"] = {"raw": 9, "min": 0, "max": 10}  # no scaled
    row = completion_rows(aggregate(s))[0]
    assert row[3:] == ["2026-05-01 09:00:00", "2026-05-01 09:19:58", "failed",
                       "2026-05-02 09:19:59", "90", "2", "0:40:00", ""]


def test_months_without_completions_are_zero() -> None:
    s = C.session(ALICE, at("2025-11-30T23:50:00"), REG["A1"], completed=True, minutes=5)
    s += C.session(BOB, at("2026-02-01T00:00:00"), REG["B1"], completed=True)
    assert aggregate(s).trained_per_month() == [("2025-11", 1), ("2025-12", 0), ("2026-01", 0),
                                                ("2026-02", 1)]


def statement_stream(count: int, learners: int = 100) -> Iterator[dict[str, Any]]:
    """``count`` statements from ``learners`` people, made one at a time (never a list)."""
    made = 0
    n = 0
    while made < count:
        actor = {"mbox": f"mailto:learner{n % learners}@example.org"}
        for statement in C.session(actor, at("2026-01-01T09:00:00"), str(uuid.uuid4()),
                                   [(Q1, "ab"[n % 2], n % 2 == 0)], completed=True,
                                   outcome="passed", percent=80):
            if made == count:
                return
            made += 1
            yield statement
        n += 1


def test_memory_stays_flat_as_statements_grow() -> None:
    peaks = []
    for count in (2_000, 8_000):
        tracemalloc.start()
        data = Aggregator(C.id)
        for statement in statement_stream(count):
            data.add(statement)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert data.statements == count
    # Four times the statements from the same 100 people: the same memory, give or take the
    # registrations each retry adds (a statement held would cost ~1 kB, 6 MB in all).
    assert peaks[1] < peaks[0] * 1.5 + 500_000, peaks


def test_report_files_and_self_contained_html(tmp_path: Path) -> None:
    result = write_report(iter(scenario()), C.id, tmp_path, title="Report <test>")
    assert [p.name for p in result.files] == ["completions.csv", "questions.csv",
                                              "evaluation.csv", "report.html"]
    assert read_csv(tmp_path / "completions.csv") == COMPLETIONS
    assert read_csv(tmp_path / "questions.csv") == QUESTIONS
    assert read_csv(tmp_path / "evaluation.csv") == EVALUATION
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    assert page.count("<svg") == 7 and page.count("<table") == 5
    assert "Report &lt;test&gt;" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "alice@example.org" not in page and "Alice" not in page  # figures only
    assert "People trained per month" in page and "Feb 2026" in page
    assert '<strong>6</strong> people started' in page and "75% of those with a result" in page


def test_an_empty_lrs_still_gives_a_report(tmp_path: Path) -> None:
    write_report(iter([]), C.id, tmp_path)
    assert read_csv(tmp_path / "completions.csv") == [COMPLETIONS[0]]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Nobody has completed the course" in page
    assert_self_contained(page)


# --- settings ------------------------------------------------------------------------------

@pytest.fixture
def no_lrs_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("ENDPOINT", "USERNAME", "PASSWORD", "CONFIG"):
        monkeypatch.delenv(f"COURSE_BUILDER_LRS_{name}", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "course-builder" / "lrs.toml"


def test_settings_from_file_and_environment(no_lrs_env: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    no_lrs_env.parent.mkdir(parents=True)
    no_lrs_env.write_text('endpoint = "https://lrs.example.org/xAPI"\nusername = "key"\n'
                          'password = "secret"\n')
    no_lrs_env.chmod(0o644)
    warnings: list[str] = []
    settings = LRSSettings.load(warn=warnings.append)
    assert (settings.endpoint, settings.username, settings.password) == (
        "https://lrs.example.org/xAPI/", "key", "secret")
    assert warnings == [f"{no_lrs_env} holds a password and other users of this computer can "
                        f"read it: run chmod 600 {no_lrs_env}"]
    monkeypatch.setenv("COURSE_BUILDER_LRS_PASSWORD", "from-env")
    no_lrs_env.chmod(0o600)
    warnings.clear()
    settings = LRSSettings.load(warn=warnings.append)
    assert (settings.username, settings.password, warnings) == ("key", "from-env", [])
    assert "secret" not in repr(settings.source) and "from-env" not in settings.source


def test_report_needs_an_endpoint_and_says_how(no_lrs_env: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--course-id", C.id, "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == (
        "Error: No LRS endpoint. Set COURSE_BUILDER_LRS_ENDPOINT (with _USERNAME and _PASSWORD),"
        f" or write them in {no_lrs_env} or a file given with --config (see docs/reports.md).\n")
    bad = tmp_path / "lrs.toml"
    bad.write_text('endpoint = "https://lrs.example.org/"\npasword = "typo"\n')
    result = CliRunner().invoke(main, ["report", "--course-id", C.id, "--config", str(bad)])
    assert result.output == (f"Error: {bad}: unknown setting(s) pasword; expected endpoint, "
                             "username, password\n")
    result = CliRunner().invoke(main, ["report", "--course-id", C.id, "--since", "March"])
    assert result.exit_code == 2 and "Invalid value for --since: expected a date" in result.output


def test_report_says_when_the_lrs_cannot_be_reached(no_lrs_env: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("COURSE_BUILDER_LRS_ENDPOINT", f"http://127.0.0.1:{port}/xAPI/")
    result = CliRunner().invoke(main, ["report", "--course-id", C.id, "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"Error: Cannot reach the LRS at http://127.0.0.1:{port}/xAPI/:" in result.output


# --- integration: the command against Ralph --------------------------------------------------

def run_report(ralph: Ralph, out: Path, *args: str, password: str | None = None
               ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COURSE_BUILDER_LRS_ENDPOINT": ralph.endpoint,
           "COURSE_BUILDER_LRS_USERNAME": ralph.username,
           "COURSE_BUILDER_LRS_PASSWORD": password or ralph.password,
           "XDG_CONFIG_HOME": str(out.parent / "no-config"),
           # The course_builder under test, whatever is installed in site-packages.
           "PYTHONPATH": os.pathsep.join([str(SOURCE), os.environ.get("PYTHONPATH", "")])}
    env.pop("COURSE_BUILDER_LRS_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "course_builder", "report", "--course-id",
                           C.id, "--out", str(out), *args], capture_output=True, text=True,
                          env=env, cwd=out.parent, timeout=120, check=False)


def test_report_against_ralph(lrs: Ralph, tmp_path: Path) -> None:  # noqa: F811
    lrs.clear()
    made = scenario()
    assert list(invalid(made)) == []  # realistic: valid xAPI, as the packages send
    lrs.post(made)
    assert len(made) > 200  # more than two pages: the report follows `more` links

    done = run_report(lrs, tmp_path / "all")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Read {len(made) - 1:,} statements in ")
    assert ": 6 learners, 4 completed, 3 passed, 1 failed." in done.stdout
    assert read_csv(tmp_path / "all" / "completions.csv") == COMPLETIONS
    assert read_csv(tmp_path / "all" / "questions.csv") == QUESTIONS
    assert read_csv(tmp_path / "all" / "evaluation.csv") == EVALUATION
    page = (tmp_path / "all" / "report.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    assert f"at 127.0.0.1:{lrs.port}" in page and lrs.password not in page

    done = run_report(lrs, tmp_path / "one", "--registration", REG["A2"])
    assert done.returncode == 0, done.stderr
    assert read_csv(tmp_path / "one" / "completions.csv")[1:] == [
        ["mailto:alice@example.org", "mbox", "Alice Example", "2026-02-03 10:00:00",
         "2026-02-03 10:14:58", "passed", "2026-02-03 10:14:59", "100", "1", "0:15:00", ""]]
    assert read_csv(tmp_path / "one" / "evaluation.csv") == [EVALUATION[0]]  # anonymous: none

    done = run_report(lrs, tmp_path / "march", "--since", "2026-03-01", "--until",
                      "2026-03-21")
    assert done.returncode == 0, done.stderr
    learners = [row[0] for row in read_csv(tmp_path / "march" / "completions.csv")[1:]]
    assert learners == ["c0ffee" + "0" * 34, "https://openid.example.org/dan", "e-2001"]
    evaluation = read_csv(tmp_path / "march" / "evaluation.csv")
    assert [r[3] for r in evaluation if r[0].endswith("most-useful")] == [SCRIPT]

    done = run_report(lrs, tmp_path / "refused", password="wrong")
    assert done.returncode == 1
    assert "Error: The LRS refused these credentials (HTTP 401)" in done.stderr


# --- cmi5 with one AU per module -------------------------------------------------------------

def module_session(actor: dict[str, Any], start: datetime, registration: str, slug: str,
                   **kw: Any) -> list[dict[str, Any]]:
    """A session of the module AU ``slug``, as the cmi5 package with ``au_per_module`` sends
    it: the LMS's own id for the AU as object, the AU's publisher id beside the course in
    grouping (from the LMS's context template)."""
    lms_id = {"objectType": "Activity", "id": f"https://lms.example.org/au/{registration}/{slug}"}
    made = C.session(actor, start, registration, activity=lms_id, **kw)
    for s in made:
        s["context"]["contextActivities"]["grouping"].append(
            {"objectType": "Activity", "id": f"{C.id}/au/{slug}"})
    return made


def test_with_module_aus_the_course_is_completed_when_every_au_is() -> None:
    check = module_session(ALICE, at("2026-04-01T09:00:00"), REG["A1"], "check",
                           answers=[(Q1, "a", True)], completed=True, outcome="passed",
                           percent=90, minutes=10)
    data = Aggregator(C.id, units=["basics", "check"])
    for s in check:
        data.add(s)
    (alice,) = data.learners.values()
    assert alice.units["check"].completed == at("2026-04-01T09:09:58")
    assert (alice.completed, alice.result) == (None, "")  # basics not done yet
    assert data.totals()["completed"] == 0
    for s in module_session(ALICE, at("2026-04-03T09:00:00"), REG["A1"], "basics",
                            completed=True, minutes=5):
        data.add(s)
    assert completion_rows(data) == [[
        "mailto:alice@example.org", "mbox", "Alice Example", "2026-04-01 09:00:00",
        "2026-04-03 09:04:58",  # the last module AU completed
        "passed", "2026-04-01 09:09:59", "90", "1", "0:15:00", ""]]
    assert data.totals()["completed"] == 1 and data.trained_per_month() == [("2026-04", 1)]
    # the module AUs' own completions never count as the course's
    assert alice.course.completed is None


def test_a_failed_module_au_fails_the_course_and_best_score_is_the_mean() -> None:
    s = module_session(BOB, at("2026-04-01T09:00:00"), REG["B1"], "check", completed=True,
                       outcome="failed", percent=40)
    s += module_session(BOB, at("2026-04-02T09:00:00"), REG["B1"], "quiz-two", completed=True,
                        outcome="passed", percent=100)
    data = Aggregator(C.id, units=["check", "quiz-two"])
    for statement in s:
        data.add(statement)
    (bob,) = data.learners.values()
    assert bob.completed == at("2026-04-02T09:19:58")
    assert (bob.result, bob.result_at) == ("failed", at("2026-04-01T09:19:59"))
    assert bob.best_scaled == pytest.approx(0.7)
    # a retry that passes the failed AU passes the course
    for statement in module_session(BOB, at("2026-04-05T09:00:00"), REG["B1"], "check",
                                    outcome="passed", percent=80):
        data.add(statement)
    assert (bob.result, bob.result_at) == ("passed", at("2026-04-05T09:19:59"))
    assert bob.best_scaled == pytest.approx(0.9)


def test_without_units_the_module_aus_are_those_seen() -> None:
    s = module_session(ALICE, at("2026-04-01T09:00:00"), REG["A1"], "basics", completed=True)
    s += module_session(ALICE, at("2026-04-01T10:00:00"), REG["A1"], "check", completed=True)
    s += module_session(BOB, at("2026-04-02T09:00:00"), REG["B1"], "check", completed=True)
    data = aggregate(s)
    assert data.expected_units == {"basics", "check"}
    assert {p.identifier: p.completed for p in data.learners.values()} == {
        "mailto:alice@example.org": at("2026-04-01T10:19:58"), "b-1042": None}
    # a whole-course (Tin Can or single AU) completion still counts beside them
    for statement in C.session(BOB, at("2026-04-09T09:00:00"), REG["B1"], completed=True):
        data.add(statement)
    assert data.totals()["completed"] == 2


def test_the_lms_satisfied_statement_completes_the_course() -> None:
    satisfied = C.statement(EVE, "completed", C.activity, at("2026-04-04T12:00:00"), REG["E1"])
    satisfied["verb"] = {"id": "https://w3id.org/xapi/adl/verbs/satisfied",
                         "display": {"en-US": "satisfied"}}
    data = aggregate(module_session(EVE, at("2026-04-04T11:00:00"), REG["E1"], "check")
                     + [satisfied])
    (eve,) = data.learners.values()
    assert eve.completed == at("2026-04-04T12:00:00")
    assert invalid([satisfied]) == {}


def test_module_units_from_course_yaml(tmp_path: Path) -> None:
    from course_builder.report import module_units

    assert module_units({"modules": ["basics", "check"], "cmi5": {"au_per_module": True}}) == [
        "basics", "check"]
    assert module_units({"modules": ["basics", "check"], "cmi5": {"au_per_module": False}}) is None
    assert module_units({"modules": ["basics", "check"]}) is None
    result = write_report(iter(module_session(ALICE, at("2026-04-01T09:00:00"), REG["A1"],
                                              "check", completed=True)),
                          C.id, tmp_path, units=["basics", "check"])
    assert result.data.totals()["completed"] == 0
    assert read_csv(tmp_path / "completions.csv")[1][4] == ""
