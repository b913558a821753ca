"""Variants (docs/variants.md): the shared course parsed once, each variant's overrides checked
where they are written, and the build summary of what each variant changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from course_builder import yamlsource
from course_builder.commands.build import check_course
from course_builder.diagnostics import Level, Reporter
from course_builder.errors import CourseInvalid
from tests.variants_course import TODAY, write_variants_course

C = "course.yaml"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_BUILDER_TODAY", TODAY)


def problems(root: Path, variants: tuple[str, ...] = ()) -> list[str]:
    """Every error and warning a check of the course reports, as printed."""
    reporter = Reporter()
    try:
        check_course(root, reporter, variants=variants)
    except CourseInvalid as exc:
        return [d.format(root) for d in exc.diagnostics if d.level is not Level.NOTE]
    return [d.format(root) for d in reporter.sorted() if d.level is not Level.NOTE]


def test_each_shared_file_is_parsed_once_for_every_variant(tmp_path, monkeypatch):
    root = write_variants_course(tmp_path / "course")
    reads: list[str] = []
    real = yamlsource.read_yaml

    def counting(path: Path):  # type: ignore[no-untyped-def]
        reads.append(path.relative_to(root).as_posix())
        return real(path)

    monkeypatch.setattr(yamlsource, "read_yaml", counting)
    import course_builder.pipeline.load as load_module
    monkeypatch.setattr(load_module, "read_yaml", counting)
    checked = check_course(root, Reporter())
    assert [e.folder for e in checked.units] == ["north", "south"]
    assert sorted(reads) == sorted([
        "course.yaml", "modules/welcome/module.yaml", "modules/local/module.yaml",
        "modules/feedback/module.yaml",
        # the modules south brings in, once although they are not the course's own
        "modules/local-south/module.yaml", "modules/south-extra/module.yaml"])


def test_variants_share_validated_blocks_and_check_only_what_they_change(tmp_path):
    root = write_variants_course(tmp_path / "course")
    checked = check_course(root, Reporter())
    base = checked.course
    north, south = (e.course for e in checked.units)
    # A kept block is the shared course's validated block: its model was not built again.
    for course in (north, south):
        assert course.block("welcome-quiz").data is base.block("welcome-quiz").data
        assert course.block("course-feedback").data is base.block("course-feedback").data
    # North's statistics block was validated again with the figures it gives.
    assert base.block("ae-figures").data.data == "data/base.csv"
    assert north.block("ae-figures").data.data == "data/north.csv"
    assert north.block("ae-figures").data.source == "North figures"
    assert south.block("ae-figures").data.data == "data/south.csv"  # its own module's block
    # Pages are numbered in each variant's own order; modules as the variant lists them.
    assert [m.slug for m in south.modules] == ["welcome", "south-extra", "local-south",
                                               "feedback"]
    assert [p.number for p in south.pages] == list(range(len(south.pages)))
    assert south.block("course-feedback").page.number == 3
    assert base.block("course-feedback").page.number == 2  # the shared course is untouched
    # Support, collector and owner are the variant's; the rest is the course's.
    assert [c.contact for c in north.config.support] == ["NORTH-LINE", "SHARED-LINE"]
    assert [c.contact for c in south.config.support] == ["SOUTH-ONLY-LINE"]
    assert north.config.evaluation.collector.endpoint == "https://north-collector.example/xAPI/"
    assert north.config.evaluation_owner == "North Trust"
    assert south.config.evaluation.collector.endpoint == "https://collector.example/xAPI/"
    assert south.config.evaluation_owner == "Course Charity"
    assert north.variant.logo == "media/_course/branding/north.svg"
    assert south.variant.logo is None
    assert set(south.questions) == set(base.questions)


def test_the_summary_says_what_each_variant_changed(tmp_path):
    checked = check_course(write_variants_course(tmp_path / "course"), Reporter())
    assert [e.summary for e in checked.units] == [
        "north: support contacts added (1 before the course's 1), "
        "collector https://north-collector.example/xAPI/, evaluation owner 'North Trust', "
        "statistics 'ae-figures' data from data/north.csv (source replaced)",
        "south: module local -> local-south, module south-extra added after welcome, "
        "support contacts replaced (1)",
    ]


def test_variant_option_selects_variants_and_names_unknown_ones(tmp_path):
    root = write_variants_course(tmp_path / "course")
    assert [e.folder for e in check_course(root, Reporter(), variants=("south",)).units] \
        == ["south"]
    assert problems(root, ("sout",)) == [
        "error: --variant sout: course.yaml has no variant 'sout'\n"
        "    hint: did you mean `south`?"]


def test_variant_option_on_a_course_without_variants(write_course):
    assert problems(write_course(), ("north",)) == [
        "error: --variant north: course.yaml declares no variants\n"
        "    hint: see docs/variants.md to declare them under `variants:`"]


# Each: a change to the course, and exactly what the author reads.
BAD = {
    "unknown statistics block": (
        {C: ("      ae-figures:\n        data: data/north.csv",
             "      ae-figure:\n        data: data/north.csv")},
        ["course.yaml:30:9: error: variant 'north': statistics: no block has the id 'ae-figure'\n"
         "    hint: did you mean `ae-figures`?"]),
    "misspelt statistics field": (
        {C: ("        data: data/north.csv", "        dta: data/north.csv")},
        ["course.yaml:30:14: error: variant 'north': statistics.ae-figures.dta: is not a known "
         "field\n    hint: did you mean `data`?"]),
    "statistics of a block that is not statistics": (
        {C: ("      ae-figures:\n        data: data/north.csv",
             "      welcome-quiz:\n        data: data/north.csv")},
        ["course.yaml:30:9: error: variant 'north': statistics.welcome-quiz: block "
         "'welcome-quiz' is a quiz block; only statistics blocks take other figures"]),
    "statistics file missing": (
        {C: ("        data: data/north.csv", "        data: data/nope.csv")},
        ["course.yaml:30:15: error: variant 'north': block 'ae-figures' (statistics): data: "
         "file 'data/nope.csv' not found in local/"]),
    "a variant's statistics file with a mistake": (
        {"modules/local/data/north.csv": ("2026-02,222", "2026-02,many")},
        ["modules/local/data/north.csv:3:1: error: variant 'north': block 'ae-figures' "
         "(statistics): data/north.csv: line 3: value 'many' is not a number (write digits "
         "only, such as 27 or 4.5, without commas or units)"]),
    "unknown module replaced": (
        {C: ("      - replace: local\n", "      - replace: locl\n")},
        ["course.yaml:46:18: error: variant 'south': modules[0].replace: the course has no "
         "module 'locl'\n    hint: did you mean `local`?"]),
    "replacement module missing": (
        {C: ("        with: local-south", "        with: local-sth")},
        ["course.yaml:47:15: error: variant 'south': modules[0].with: module 'local-sth' not "
         "found: no modules/local-sth/module.yaml and no installed module plugin of that name\n"
         "    hint: did you mean `local-south`?"]),
    "module added without a place": (
        {C: ("      - add: south-extra\n        after: welcome\n", "      - add: south-extra\n")},
        ["course.yaml:48:9: error: variants[1].modules[1]: `add: <module>` needs either "
         "`after: <module>` or `before: <module>`"]),
    "misspelt variant field": (
        {C: ("    support:\n      before:", "    suport:\n      before:")},
        ["course.yaml:25:7: error: variants[0].suport: is not a known field\n"
         "    hint: did you mean `support`?"]),
    "two variants with one id": (
        {C: ("  - id: south\n", "  - id: north\n")},
        ["course.yaml:39:9: error: variants[1].id: variant id 'north' is also variants[0]'s; "
         "each variant needs its own"]),
    "logo missing": (
        {C: ("    logo: branding/north.svg", "    logo: branding/nort.svg")},
        ["course.yaml:23:11: error: variant 'north': logo: file 'branding/nort.svg' not found "
         "in the course folder"]),
    "logo outside the course": (
        {C: ("    logo: branding/north.svg", "    logo: ../north.svg")},
        ["course.yaml:23:11: error: variant 'north': logo: '../north.svg' is not a file inside "
         "the course folder\n    hint: put the logo in the course folder, e.g. "
         "branding/my-trust.svg, and give its path from course.yaml"]),
    "a required block replaced away": (
        {C: ("      - replace: local\n", "      - replace: feedback\n"),
         "modules/local-south/module.yaml": ("id: ae-figures", "id: south-figures")},
        ["course.yaml:46:7: error: variant 'south': completion.require[0] asks for block "
         "'course-feedback', which this variant's modules do not have\n"
         "    hint: keep the block in the module that replaces its own, or give the block's id "
         "to the new module's copy"]),
    "a brought-in block id already used": (
        {"modules/south-extra/module.yaml": ("      - type: text\n",
                                             "      - type: text\n        id: welcome-quiz\n")},
        ["modules/south-extra/module.yaml:7:13: error: variant 'south': block 'welcome-quiz' "
         "(text): id: 'welcome-quiz' is already used at modules/welcome/module.yaml:8:9"]),
    "a brought-in block of an unknown type": (
        {"modules/south-extra/module.yaml": ("type: text", "type: txt")},
        ["modules/south-extra/module.yaml:6:15: error: variant 'south': unknown block type "
         "'txt'\n    hint: did you mean `text`?"]),
    "two destinations for the answers": (
        {C: ("      owner: North Trust\n",
             "      owner: North Trust\n      external_url: https://survey.example/north\n")},
        ["course.yaml:33:7: error: variants[0].evaluation: give either collector or "
         "external_url, not both"]),
    "a variant's collector key not declared write-only": (
        {C: ("        write_only_key: north-write-only-key\n        write_only: true\n",
             "        write_only_key: north-write-only-key\n")},
        ["course.yaml:37:25: error: course.yaml: variants[0].evaluation.collector.write_only_key "
         "is published in every package, so it is accepted only from an account that can do "
         "nothing but write statements, declared with `write_only: true`\n"
         "    hint: create an account on the collector that may only write statements (see "
         "docs/evaluation-collector.md), check that it cannot read, then add `write_only: true` "
         "under evaluation.collector"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_override_is_reported_where_it_is_written(tmp_path, case):
    replace, expected = BAD[case]
    root = write_variants_course(tmp_path / "course", replace=replace)
    assert problems(root) == expected


def test_every_variant_problem_comes_out_in_one_run(tmp_path):
    root = write_variants_course(tmp_path / "course", replace={C: (
        "        data: data/north.csv", "        dta: data/north.csv"),
        "modules/south-extra/module.yaml": ("type: text", "type: txt")})
    found = problems(root)
    assert len(found) == 2
    assert "variant 'north': statistics.ae-figures.dta" in found[0]
    assert "variant 'south': unknown block type 'txt'" in found[1]


def test_a_problem_of_the_shared_course_is_reported_once(tmp_path):
    # The form does not say it is required although completion.require lists it: a warning on
    # a shared block, which north's changed settings make its plugin check again.
    root = write_variants_course(tmp_path / "course",
                                 replace={"modules/feedback/module.yaml": (
                                     "        required: true\n", "")})
    found = problems(root)
    assert len(found) == 1
    assert found[0].startswith("modules/feedback/module.yaml:")
    assert "completion.require lists 'course-feedback'" in found[0]
    assert "variant" not in found[0]


def test_a_variants_survey_replaces_the_courses_collector(tmp_path):
    # One destination for the answers: the variant's survey, not also the course's collector
    # (which would be "give either collector or external_url, not both").
    root = write_variants_course(tmp_path / "course", replace={C: (
        "  - id: south\n    name: South Trust\n",
        "  - id: south\n    name: South Trust\n    evaluation:\n"
        "      external_url: https://survey.example/south\n")})
    checked = check_course(root, Reporter())
    south = checked.units[1].course
    assert south.config.evaluation.collector is None  # the survey replaced the collector
    assert south.config.evaluation.external_url == "https://survey.example/south"
    assert "evaluation survey https://survey.example/south" in checked.units[1].summary
