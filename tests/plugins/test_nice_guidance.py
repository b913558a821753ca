"""The nice_guidance content type: registry checks, dates, URL rules and the rendered card."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Level, Reporter
from course_builder.errors import CourseInvalid
from tests.bundles import shipped

TODAY = "2026-11-29"
PREFIX = "block 'guide' (nice_guidance)"


def block(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "nice_guidance", "id": "guide", "product": "NG225",
        "recommendations": ["1.6.1", "1.6.2"],
        "title": "Risk assessment tools", "summary": "Do **not** use risk tools to predict.",
        "url": "https://www.nice.org.uk/guidance/ng225", "checked": "2026-11-01",
    }
    data.update(fields)
    if isinstance(data.get("checked"), str):  # a plain YAML date, as authors write it
        data["checked"] = datetime.date.fromisoformat(data["checked"])
    return {k: v for k, v in data.items() if v is not None}


def make_course(root: Path, *blocks: dict[str, Any]) -> Path:
    (root / "modules" / "m").mkdir(parents=True)
    (root / "course.yaml").write_text(
        "id: https://example.org/c\ntitle: T\nversion: 1.0.0\nmodules: [m]\n")
    module = {"title": "M", "pages": [{"id": "p", "title": "P", "blocks": list(blocks)}]}
    text = yaml.safe_dump(module, sort_keys=False)
    (root / "modules" / "m" / "module.yaml").write_text(text)
    return root


def diagnostics(root: Path) -> list[tuple[str, str]]:
    reporter = Reporter()
    try:
        load_course(root, reporter)
    except CourseInvalid:
        pass
    return [(d.level.value, d.message) for d in reporter.diagnostics]


def html(root: Path, tmp_path: Path) -> str:
    build(root, tmp_path / "out", ["scorm12"])
    package = next((tmp_path / "out").glob("*.zip"))
    with zipfile.ZipFile(package) as zf:
        return zf.read("index.html").decode()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_BUILDER_TODAY", TODAY)


def test_current_guidance_is_clean_and_renders_a_card(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block())
    assert diagnostics(root) == []
    page = html(root, tmp_path)
    assert '<section class="cb-nice" aria-labelledby="guide-title">' in page
    assert ('<h2 class="cb-nice__title" id="guide-title"><span class="cb-nice__code">NICE NG225'
            '<span class="cb-visually-hidden">:</span></span> Risk assessment tools</h2>') in page
    assert "<cite>Self-harm: assessment, management and preventing recurrence</cite>" in page
    assert "(published September 2022)" in page
    assert "Recommendations:</span> 1.6.1, 1.6.2" in page
    assert "Do <strong>not</strong> use risk tools to predict." in page
    assert ('<a href="https://www.nice.org.uk/guidance/ng225" target="_blank" '
            'rel="noopener noreferrer">Read the guidance on the NICE website '
            '<span class="cb-nice__newtab">(opens in a new tab)</span></a>') in page
    assert 'Last checked: <time datetime="2026-11-01">1 November 2026</time>' in page
    package = next((tmp_path / "out").glob("*.zip"))
    with zipfile.ZipFile(package) as zf:
        assert "assets/plugins/nice_guidance/nice_guidance.css" in shipped(zf)


def test_title_and_url_default_from_the_registry(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block(product="QS34", title=None, url=None,
                                             recommendations=["1"]))
    assert diagnostics(root) == []
    page = html(root, tmp_path)
    assert "NICE QS34<span class=\"cb-visually-hidden\">:</span></span> Self-harm</h2>" in page
    assert "Quality statement:</span> 1" in page
    assert "(published June 2013, updated September 2022)" in page
    assert 'href="https://www.nice.org.uk/guidance/qs34"' in page


def test_withdrawn_guidance_is_a_warning_naming_the_replacement(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block(product="CG16",
                                             url="https://www.nice.org.uk/guidance/cg16"))
    assert diagnostics(root) == [
        ("warning", (f"{PREFIX}: product: CG16 was replaced by NG225 in September 2022; "
                    "cite NG225 instead"))]
    page = html(root, tmp_path)  # not strict: builds, and tells the learner too
    assert "<strong>Withdrawn:</strong> NICE replaced CG16 with NG225 in September 2022" in page


def test_withdrawn_guidance_fails_a_strict_build(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block(product="cg133",
                                             url="https://www.nice.org.uk/guidance/cg133"))
    with pytest.raises(CourseInvalid) as info:
        build(root, tmp_path / "out", ["scorm12"], strict=True)
    assert ("CG133 was replaced by NG225 in September 2022; cite NG225 instead"
            in info.value.format_message())


def test_unknown_product_is_a_note_and_needs_title_and_url(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block(product="NG999", title=None, url=None))
    found = diagnostics(root)
    assert ("note", (f"{PREFIX}: product: NG999 is not in course-builder's list of NICE "
                    "products, so whether it is current or withdrawn cannot be checked; check "
                    "its status on the NICE website")) in found
    assert ("error", (f"{PREFIX}: title: a title is needed: course-builder does not know "
                     "NG999's title")) in found
    assert ("error", (f"{PREFIX}: product: a url is needed: course-builder does not know where "
                     "NG999 is published")) in found


def test_unknown_product_with_title_and_url_passes_strict(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block(product="NG999", title="Something",
                                             url="https://www.nice.org.uk/guidance/ng999"))
    reporter = Reporter(strict=True)
    load_course(root, reporter)
    assert [d.level for d in reporter.diagnostics] == [Level.NOTE]


@pytest.mark.parametrize(("url", "expected"), [
    ("http://www.nice.org.uk/guidance/ng225",
     ("error", (f"{PREFIX}: url: 'http://www.nice.org.uk/guidance/ng225' must be a full "
               "https:// address"))),
    ("www.nice.org.uk/guidance/ng225",
     ("error", (f"{PREFIX}: url: 'www.nice.org.uk/guidance/ng225' must be a full https:// "
               "address"))),
    ("https://example.org/ng225.pdf",
     ("warning", (f"{PREFIX}: url: 'https://example.org/ng225.pdf' is not on nice.org.uk; link "
                 "to NICE's own page for NG225"))),
    ("https://www.nice.org.uk/guidance/qs34",
     ("warning", (f"{PREFIX}: url: 'https://www.nice.org.uk/guidance/qs34' does not point to "
                 "NG225's pages (https://www.nice.org.uk/guidance/ng225)"))),
])
def test_url_rules(tmp_path: Path, url: str, expected: tuple[str, str]) -> None:
    root = make_course(tmp_path / "c", block(url=url))
    assert diagnostics(root) == [expected]


def test_deep_links_into_the_guidance_are_fine(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block(
        url="https://www.nice.org.uk/guidance/ng225/chapter/Recommendations#risk-assessment"))
    assert diagnostics(root) == []


def test_checked_more_than_12_months_ago_is_a_warning(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block(checked="2025-11-28"))
    assert diagnostics(root) == [
        ("warning", (f"{PREFIX}: checked: the guidance was last checked on 28 November 2025, "
                    "more than 12 months ago; check it is still current on the NICE website "
                    "and update `checked`"))]


def test_checked_exactly_12_months_ago_is_fine(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block(checked="2025-11-29"))
    assert diagnostics(root) == []


def test_checked_in_the_future_is_an_error(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block(checked="2026-11-30"))
    assert diagnostics(root) == [
        ("error", (f"{PREFIX}: checked: 2026-11-30 is in the future (today is 2026-11-29); give "
                  "the date you last checked the guidance"))]


def test_today_comes_from_the_environment(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2028-01-01")
    root = make_course(tmp_path / "c", block())
    assert [level for level, _ in diagnostics(root)] == ["warning"]
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "1 Jan 2028")
    assert ("error", (f"{PREFIX}: environment variable COURSE_BUILDER_TODAY='1 Jan 2028' is not "
                     "a date in the form YYYY-MM-DD")) in diagnostics(root)


def test_bad_recommendation_numbers_and_missing_fields(tmp_path: Path) -> None:
    root = make_course(tmp_path / "c", block(recommendations=["1.6.1", "risk tools"]))
    assert diagnostics(root) == [
        ("error", (f"{PREFIX}: recommendations[1]: 'risk tools' is not a recommendation number "
                  "such as 1.6.1"))]
    root2 = make_course(tmp_path / "d", block(checked=None))
    assert any(level == "error" and "checked" in message
               for level, message in diagnostics(root2))


def test_example_yaml_builds_strictly(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "plugins" / "nice_guidance" / "example.yaml"
    page = yaml.safe_load(example.read_text())
    root = tmp_path / "c"
    (root / "modules" / "m").mkdir(parents=True)
    (root / "course.yaml").write_text(
        "id: https://example.org/c\ntitle: T\nversion: 1.0.0\nmodules: [m]\n")
    module_text = "title: M\npages:\n" + "\n".join(
        ("  - " if i == 0 else "    ") + line for i, line in
        enumerate(example.read_text().splitlines()))
    (root / "modules" / "m" / "module.yaml").write_text(module_text + "\n")
    result = build(root, tmp_path / "out", ["scorm12"], strict=True)
    assert len(result.packages) == 1
    assert len(page["blocks"]) == 2
