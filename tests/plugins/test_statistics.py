"""The statistics content type: CSV errors with file and line, staleness, summary, SVG and table."""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseInvalid

TODAY = "2026-11-29"
PREFIX = "block 'figures' (statistics)"
MONTHLY = ("period,value\n2025-10,27\n2025-11,24\n2025-12,31\n2026-01,33\n2026-02,26\n"
           "2026-03,29\n2026-04,22\n2026-05,25\n2026-06,28\n2026-07,23\n2026-08,21\n"
           "2026-09,30\n")
GROUPED = ("period,value,group\nQ1 2026,41,Under 18\nQ2 2026,38,Under 18\n"
           "Q1 2026,82,18 and over\nQ2 2026,90,18 and over\n")


def block(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "statistics", "id": "figures", "title": "Attendances by month",
        "data": "data/figures.csv", "chart": "bar", "unit": "presentations",
        "source": "Trust ECDS extract", "as_of": "2026-09-30", "illustrative": True,
        "note": "Numbers go up and down *by chance*.",
    }
    data.update(fields)
    if isinstance(data.get("as_of"), str):  # a plain YAML date, as authors write it
        data["as_of"] = datetime.date.fromisoformat(data["as_of"])
    return {k: v for k, v in data.items() if v is not None}


def make_course(root: Path, csv: str | None, *blocks: dict[str, Any]) -> Path:
    (root / "modules" / "m" / "data").mkdir(parents=True)
    (root / "course.yaml").write_text(
        "id: https://example.org/c\ntitle: T\nversion: 1.0.0\nmodules: [m]\n")
    module = {"title": "M", "pages": [{"id": "p", "title": "P",
                                       "blocks": list(blocks) or [block()]}]}
    (root / "modules" / "m" / "module.yaml").write_text(yaml.safe_dump(module, sort_keys=False))
    if csv is not None:
        (root / "modules" / "m" / "data" / "figures.csv").write_text(csv)
    return root


def diagnostics(root: Path) -> list[str]:
    reporter = Reporter()
    try:
        load_course(root, reporter)
    except CourseInvalid:
        pass
    return [d.format(root) for d in reporter.diagnostics]


def html(root: Path, tmp_path: Path) -> str:
    build(root, tmp_path / "out", ["scorm12"])
    package = next((tmp_path / "out").glob("*.zip"))
    with zipfile.ZipFile(package) as zf:
        return zf.read("index.html").decode()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_BUILDER_TODAY", TODAY)


def test_monthly_figures_render_summary_chart_and_table(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", MONTHLY)
    assert diagnostics(root) == []
    page = html(root, tmp_path)
    assert ('<p class="cb-stats__summary" id="figures-summary">319 presentations in the 12 months '
            "to September 2026; the highest month was January 2026 (33) and the lowest was "
            "August 2026 (21).</p>") in page
    assert "<strong>Illustrative figures</strong>" in page
    # Accessible SVG: role, name and description, scalable viewBox, axis titles, value labels.
    svg = re.search(r'<svg class="cb-stats__chart cb-stats__chart--wide"[^>]*>', page)
    assert svg is not None
    assert 'role="img"' in svg.group(0) and 'viewBox="0 0 ' in svg.group(0)
    assert 'aria-labelledby="figures-svg-title" aria-describedby="figures-summary"' in svg.group(0)
    assert ('<title id="figures-svg-title">Bar chart: Attendances by month (illustrative '
            "figures)</title>") in page
    assert ">Presentations</text>" in page and ">Month</text>" in page
    assert page.count('<rect x="') >= 24  # 12 bars in the wide chart and 12 in the narrow one
    assert '>33</text>' in page and ">Oct</text>" in page and ">2025</text>" in page
    assert ">Oct 2025</text>" in page  # narrow chart's row label
    # The same figures as a real table.
    assert "<summary>Show the figures as a table</summary>" in page
    assert "<caption>Attendances by month (illustrative figures)</caption>" in page
    assert '<th scope="col">Month</th>' in page
    assert '<th scope="row">January 2026</th>' in page
    assert '<td class="cb-stats__num">33</td>' in page
    assert 'Figures as of <time datetime="2026-09-30">30 September 2026</time>.' in page
    assert "Source: Trust ECDS extract" in page
    assert "go up and down <em>by chance</em>." in page
    assert "<script" not in page.split('<section class="cb-stats"')[1].split("</section>")[0]


def test_groups_get_a_summary_each_a_legend_and_patterns(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", GROUPED, block(chart="line", illustrative=False))
    assert diagnostics(root) == []
    page = html(root, tmp_path)
    assert ("Under 18: 79 presentations over 2 periods, Q1 2026 to Q2 2026; the highest period "
            "was Q1 2026 (41) and the lowest was Q2 2026 (38). 18 and over: 172 presentations "
            "over 2 periods, Q1 2026 to Q2 2026; the highest period was Q2 2026 (90) and the "
            "lowest was Q1 2026 (82).") in page
    assert "Illustrative figures" not in page
    assert '<g class="cb-stats__legend">' in page
    assert 'stroke-dasharray="8 4"' in page  # second line is dashed, not only another colour
    assert 'class="cb-stats__direct"' in page  # lines labelled directly too
    assert 'fill="url(#figures-p1)"' in page  # narrow chart's second group is hatched
    assert '<th scope="col" class="cb-stats__num">18 and over</th>' in page
    assert ">Line chart: Attendances by month</title>" in page


@pytest.mark.parametrize(("csv", "line", "message"), [
    ("", 1, "the file is empty; it needs a header line `period,value` and one line per period"),
    ("period,value\n", 1, "the file has a header but no figures"),
    ("month,count\n2026-01,3\n", 1,
     "the header is 'month,count'; it must be `period,value` or `period,value,group`"),
    ("period,value\n2026-01,3\n2026-02,lots\n", 3,
     ("value 'lots' is not a number (write digits only, such as 27 or 4.5, without commas or "
     "units)")),
    ("period,value\n2026-01,3\n2026-02\n", 3, "expected 2 columns (period,value), found 1"),
    ("period,value\n2026-01,\n", 2, "period '2026-01' has no value"),
    ("period,value\n2026-01,3\n2026-01,4\n", 3, "period '2026-01' appears twice"),
    ("period,value\n2026-01,-3\n", 2,
     "value '-3' is negative; the chart shows counts and rates from zero"),
    ("period,value,group\n2026-01,3,\n", 2, "the group is empty"),
])
def test_bad_csv_rows_are_errors_with_file_and_line(tmp_path: Path, csv: str, line: int,
                                                     message: str) -> None:
    root = make_course(tmp_path / "c", csv)
    assert diagnostics(root) == [
        (f"modules/m/data/figures.csv:{line}:1: error: {PREFIX}: data/figures.csv: line {line}: "
        f"{message}")]


def test_missing_csv_is_an_error_on_the_data_field(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", None)
    found = diagnostics(root)
    assert len(found) == 1
    assert found[0].endswith(f"error: {PREFIX}: data: file 'data/figures.csv' not found in m/")


def test_figures_older_than_12_months_are_a_warning(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", MONTHLY, block(as_of="2025-11-28"))
    found = diagnostics(root)
    assert len(found) == 1
    assert found[0].endswith(
        f"warning: {PREFIX}: as_of: figures are more than 12 months old (as of 28 November "
        "2025): the point is up-to-date local figures\n"
        "    hint: replace the CSV with a recent extract and update `as_of`")
    with pytest.raises(CourseInvalid):
        build(root, tmp_path / "out", ["scorm12"], strict=True)


def test_as_of_in_the_future_is_an_error(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", MONTHLY, block(as_of="2027-01-01"))
    assert [d.split(": ", 1)[1] for d in diagnostics(root)] == [
        (f"error: {PREFIX}: as_of: 2027-01-01 is in the future (today is 2026-11-29); give the "
        "date the figures run to")]


def test_decimals_gaps_and_plain_labels(tmp_path: Path) -> None:
    csv = "period,value\nWeek 1,1.5\nWeek 2,2.25\nWeek 3,2.25\n"
    root = make_course(tmp_path / "c", csv, block(unit="hours", chart="line"))
    assert diagnostics(root) == []
    page = html(root, tmp_path)
    assert ("6.00 hours over 3 periods, Week 1 to Week 3; the highest period was Week 2 and "
            "Week 3 (2.25) and the lowest was Week 1 (1.50).") in page
    assert '<th scope="col">Period</th>' in page


def test_non_consecutive_months_say_between(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", "period,value\n2026-01,5\n2026-03,5\n")
    assert diagnostics(root) == []
    assert ("10 presentations over 2 months between January 2026 and March 2026, the same in "
            "every month (5).") in html(root, tmp_path)


def test_example_yaml_builds_strictly(tmp_path: Path) -> None:
    plugin = Path(__file__).resolve().parents[2] / "plugins" / "statistics"
    root = tmp_path / "c"
    (root / "modules" / "m").mkdir(parents=True)
    (root / "course.yaml").write_text(
        "id: https://example.org/c\ntitle: T\nversion: 1.0.0\nmodules: [m]\n")
    lines = (plugin / "example.yaml").read_text().splitlines()
    module_text = "title: M\npages:\n" + "\n".join(
        ("  - " if i == 0 else "    ") + line for i, line in enumerate(lines))
    (root / "modules" / "m" / "module.yaml").write_text(module_text + "\n")
    data = root / "modules" / "m" / "data"
    data.mkdir()
    for csv_file in (plugin / "data").glob("*.csv"):
        (data / csv_file.name).write_text(csv_file.read_text())
    result = build(root, tmp_path / "out", ["scorm12"], strict=True)
    assert len(result.packages) == 1
