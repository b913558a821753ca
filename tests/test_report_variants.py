"""``course-builder report`` compares variants (docs/variants.md): the learners, completions,
results and scores of each trust's packages, from the variant each statement carries; and the
anonymous evaluation answers by variant, never showing a group of fewer than five."""

from __future__ import annotations

import csv
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from course_builder import collector as runtime
from course_builder.commands.build import check_course
from course_builder.diagnostics import Reporter
from course_builder.report import write_report
from course_builder.report.aggregate import Aggregator
from course_builder.report.evaluation import OTHER, Results, course_items
from course_builder.targets._xapi import variant_extension, variant_iri
from tests.lrs.ralph import Ralph, lrs  # noqa: F401
from tests.lrs.synthetic import Course
from tests.lrs.validate import invalid
from tests.test_report import run_report as run_test_report
from tests.variants_course import TODAY, write_variants_course

C = Course("https://example.org/courses/varied", "Varied course")
QUIZ = C.question("q1", "Support is one click away.", "true-false",
                  correct=["true"])
ALICE = {"objectType": "Agent", "name": "Alice", "mbox": "mailto:alice@example.org"}
BOB = {"objectType": "Agent", "name": "Bob", "mbox": "mailto:bob@example.org"}
CAROL = {"objectType": "Agent", "name": "Carol", "mbox": "mailto:carol@example.org"}
DAN = {"objectType": "Agent", "name": "Dan", "mbox": "mailto:dan@example.org"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def in_variant(statements: list[dict[str, Any]], variant: str) -> list[dict[str, Any]]:
    """The statements as a variant's package sends them: its activity beside the course's in
    the grouping, and its id in the context extension (runtime/adapters/_lrs.js)."""
    activity = {"objectType": "Activity", "id": variant_iri(C.id, variant),
                "definition": {"type": "http://adlnet.gov/expapi/activities/course",
                               "name": {"en-GB": f"Varied course: {variant}"}}}
    for statement in statements:
        context = statement["context"]
        context["contextActivities"]["grouping"].append(activity)
        context["extensions"] = {variant_extension(C.id): variant}
    return statements


def launched_as(variant: str, au: bool = False) -> dict[str, Any]:
    iri = variant_iri(C.id, variant) + ("/au" if au else "")
    return {"objectType": "Activity", "id": iri}


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def scenario() -> list[dict[str, Any]]:
    made: list[dict[str, Any]] = []
    # North's Tin Can package launches as the variant's activity (tincan.xml).
    made += in_variant(C.session(ALICE, at("2026-02-01T09:00:00"), str(uuid.uuid4()),
                                 [(QUIZ, "true", True)], completed=True, outcome="passed",
                                 percent=90, activity=launched_as("north")), "north")
    made += in_variant(C.session(BOB, at("2026-02-02T09:00:00"), str(uuid.uuid4()),
                                 activity=launched_as("north")), "north")
    # South's cmi5 AU, by its publisher id.
    made += in_variant(C.session(CAROL, at("2026-02-03T09:00:00"), str(uuid.uuid4()),
                                 [(QUIZ, "false", False)], completed=True, outcome="passed",
                                 percent=70, activity=launched_as("south", au=True)), "south")
    # A package of the course from before it had variants.
    made += C.session(DAN, at("2026-02-04T09:00:00"), str(uuid.uuid4()), completed=True,
                      outcome="failed", percent=40)
    return made


VARIANTS_CSV = [
    ["variant", "learners", "completed", "passed", "failed", "pass_rate_percent",
     "mean_best_score_percent"],
    ["(none)", "1", "1", "0", "1", "0", "40"],
    ["north", "2", "1", "1", "0", "100", "90"],
    ["south", "1", "1", "1", "0", "100", "70"],
]


def test_the_report_compares_variants(tmp_path):
    made = scenario()
    assert invalid(made) == {}  # valid xAPI, extension and all

    result = write_report(made, C.id, tmp_path, title="Varied course")
    assert [p.name for p in result.files] == ["completions.csv", "questions.csv",
                                              "evaluation.csv", "variants.csv", "report.html"]
    assert result.data.totals()["learners"] == 4 and result.data.totals()["completed"] == 3
    assert read_csv(tmp_path / "variants.csv") == VARIANTS_CSV
    variants = {row[0]: row[-1] for row in read_csv(tmp_path / "completions.csv")[1:]}
    assert variants == {"mailto:alice@example.org": "north", "mailto:bob@example.org": "north",
                        "mailto:carol@example.org": "south", "mailto:dan@example.org": ""}
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<h2 id="variants">By variant</h2>' in page
    assert ("<tr><th scope=\"row\">north</th><td>2</td><td>1</td><td>1</td><td>0</td>"
            "<td>100%</td><td>90%</td></tr>") in page


def run_report(ralph: Ralph, out: Path, *args: str) -> Any:
    """``course-builder report`` against Ralph, for this course (the last --course-id wins)."""
    return run_test_report(ralph, out, "--course-id", C.id, *args)


def test_the_report_from_a_real_lrs_and_one_variants_own(lrs: Ralph, tmp_path: Path) -> None:  # noqa: F811
    lrs.clear()
    lrs.post(scenario())
    done = run_report(lrs, tmp_path / "all")
    assert done.returncode == 0, done.stderr
    assert ": 4 learners, 3 completed, 2 passed, 1 failed." in done.stdout
    assert read_csv(tmp_path / "all" / "variants.csv") == VARIANTS_CSV
    # A trust's own report: the LRS is asked only for its variant's statements.
    done = run_report(lrs, tmp_path / "north", "--variant", "north")
    assert done.returncode == 0, done.stderr
    assert ": 2 learners, 1 completed, 1 passed, 0 failed." in done.stdout
    assert read_csv(tmp_path / "north" / "variants.csv") == [VARIANTS_CSV[0], VARIANTS_CSV[2]]
    assert "of variant north" in (tmp_path / "north" / "report.html").read_text(
        encoding="utf-8")


def test_a_variant_is_known_by_its_grouping_alone(tmp_path):
    # An LMS that rewrites context extensions still keeps the grouping activities.
    made = in_variant(C.session(ALICE, at("2026-02-01T09:00:00"), str(uuid.uuid4()),
                                completed=True, activity=launched_as("north")), "north")
    for statement in made:
        del statement["context"]["extensions"]
    data = Aggregator(C.id)
    for statement in made:
        data.add(statement)
    assert list(data.variant_groups) == ["north"]
    assert data.variant_groups["north"].totals()["completed"] == 1


def test_a_variants_module_aus_complete_the_course():
    data = Aggregator(C.id, units=["one", "two"])
    for slug in ("one", "two"):
        au = {"objectType": "Activity", "id": f"{variant_iri(C.id, 'north')}/au/{slug}"}
        for statement in in_variant(C.session(ALICE, at("2026-02-01T09:00:00"), None,
                                              completed=True, activity=au), "north"):
            data.add(statement)
    (alice,) = data.learners.values()
    assert set(alice.units) == {"one", "two"} and alice.completed is not None
    assert data.variant_groups["north"].totals()["completed"] == 1


def test_a_course_without_variants_has_no_variant_table(tmp_path):
    made = C.session(ALICE, at("2026-02-01T09:00:00"), str(uuid.uuid4()), completed=True)
    result = write_report(made, C.id, tmp_path)
    assert "variants.csv" not in [p.name for p in result.files]
    assert "By variant" not in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert read_csv(tmp_path / "completions.csv")[1][-1] == ""


# -- anonymous evaluation answers, from the collector ----------------------------------------

@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, Any]:
    mp = pytest.MonkeyPatch()
    mp.setenv("COURSE_BUILDER_TODAY", TODAY)
    try:
        root = write_variants_course(tmp_path_factory.mktemp("variants") / "course")
        checked = check_course(root, Reporter())
    finally:
        mp.undo()
    return {"": checked.course, **{e.folder: e.course for e in checked.units}}


def submission(course: Any, answer: str = "d") -> list[dict[str, Any]]:
    """One form's answers as collector.js sends them, from the package's own runtime data."""
    data = runtime.runtime_data(course)
    actor = {"objectType": "Agent",
             "account": {"homePage": data["homePage"], "name": str(uuid.uuid4())}}
    return [{"id": str(uuid.uuid4()), "actor": actor, "verb": data["verb"],
             "object": data["questions"]["course-feedback-useful"],
             "result": {"response": answer},
             "context": {"revision": data["revision"], "language": data["language"],
                         "contextActivities": {"grouping": data["grouping"]}},
             "timestamp": "2026-03-04T00:00:00.000Z"}]


def results(editions: dict[str, Any], counts: dict[str, int]) -> Results:
    found = Results(editions[""].config.id, course_items(editions[""]))
    for name, count in counts.items():
        for _ in range(count):
            for statement in submission(editions[name]):
                found.add(statement)
    return found


def test_each_variants_answers_carry_its_activity(editions):
    (north,) = submission(editions["north"])
    assert invalid([north]) == {}
    assert [a["id"] for a in north["context"]["contextActivities"]["grouping"]] == [
        "https://example.org/courses/varied", "https://example.org/courses/varied/variant/north"]
    assert "extensions" not in north["context"]  # nothing the report would refuse as linking


@pytest.mark.parametrize("counts, shown", [
    ({"north": 5, "south": 6}, [("north", 5), ("south", 6)]),
    # south's 2 cannot stand alone, nor be worked out from the total: north joins "Other"
    ({"north": 5, "south": 2}, None),
    ({"north": 6, "south": 5, "": 2}, [("north", 6), (OTHER, 7)]),
])
def test_evaluation_answers_by_variant_never_show_a_group_under_five(editions, counts, shown):
    found = results(editions, counts)
    assert found.count == sum(counts.values()) and not found.ignored
    groups = found.breakdown("variant")
    assert (None if groups is None else [(g, len(s)) for g, s in groups]) == shown
