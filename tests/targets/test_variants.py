"""A course with variants, built (docs/variants.md): each variant's overrides reach its own
packages and no other, its id is in every package identifier and in the xAPI data its packages
send, the build is deterministic and all-or-nothing, and ``--variant`` builds some."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from course_builder.cli import main
from course_builder.commands.build import build
from course_builder.errors import CourseInvalid
from tests.targets.schemas import assert_valid_in
from tests.variants_course import TODAY, write_variants_course

FORMATS = ["scorm12", "scorm2004", "xapi", "cmi5", "handout"]
COURSE_ID = "https://example.org/courses/varied"
# What each variant changes, as it shows in a package; the shared text is in every one.
NORTH_ONLY = ["NORTH-LINE", ">222<", "North figures", "https://north-collector.example/xAPI/",
              "North Trust"]
SOUTH_ONLY = ["SOUTH-ONLY-LINE", ">333<", "SOUTH-MODULE-TEXT", "SOUTH-EXTRA-TEXT",
              "South Trust"]
SHARED = ["SHARED-WELCOME-TEXT", "Support is one click away."]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_BUILDER_TODAY", TODAY)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Both variants in every format: variant -> format -> zip."""
    mp = pytest.MonkeyPatch()
    mp.setenv("COURSE_BUILDER_TODAY", TODAY)
    try:
        work = tmp_path_factory.mktemp("variants")
        root = write_variants_course(work / "course")
        result = build(root, work / "build", FORMATS)
    finally:
        mp.undo()
    packages: dict[str, dict[str, Path]] = {}
    for name, path, _size in result.packages:
        packages.setdefault(path.parent.name, {})[name] = path
    return packages


def texts(path: Path) -> dict[str, str]:
    """Every file of a zip, as text (images and all: a marker can be in any of them)."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()}


def course_json(path: Path) -> dict:
    html = texts(path)["index.html"]
    found = re.search(r'<script type="application/json" id="cb-course">(.*?)</script>', html,
                      re.S)
    assert found
    return json.loads(found.group(1))


def test_the_packages_are_in_a_folder_per_variant(built, tmp_path):
    assert {v: sorted(p.relative_to(p.parent.parent).as_posix() for p in f.values())
            for v, f in built.items()} == {
        variant: sorted(f"{variant}/varied-2.0.0-{variant}-{name}.zip" for name in FORMATS)
        for variant in ("north", "south")}


def test_a_variants_overrides_reach_only_its_own_packages(built):
    for variant, own, other in (("north", NORTH_ONLY, SOUTH_ONLY),
                                ("south", SOUTH_ONLY, NORTH_ONLY)):
        for name, path in built[variant].items():
            everything = "\n".join(texts(path).values())
            missing = [m for m in SHARED if m not in everything]
            assert missing == [], (variant, name, missing)
            leaked = [m for m in other if m in everything]
            assert leaked == [], (variant, name, leaked)
            if name != "handout":  # the handout prints no collector address
                absent = [m for m in own if m not in everything]
            else:
                absent = [m for m in own if m not in everything and "collector" not in m]
            assert absent == [], (variant, name, absent)
    # What a variant replaces is gone from it: south has no "local" module, north not the
    # course's own figures; the contact list south replaces is not in its packages.
    for path in built["south"].values():
        everything = "\n".join(texts(path).values())
        assert "BASE-LOCAL-TEXT" not in everything and "SHARED-LINE" not in everything
    for path in built["north"].values():
        assert ">111<" not in "\n".join(texts(path).values())


def test_the_logo_is_in_the_header_and_on_the_handout(built):
    page = texts(built["north"]["scorm12"])
    assert ('<img class="cb-header__logo" src="media/_course/branding/north.svg" '
            'alt="North Trust">') in page["index.html"]
    assert "media/_course/branding/north.svg" in page
    handout = texts(built["north"]["handout"])["index.html"]
    assert re.search(r'<img class="cb-h-cover__logo" src="data:image/svg\+xml;base64,[^"]+" '
                     r'alt="North Trust">', handout)
    # without a logo, the organisation's name is written out
    assert '<p class="cb-header__org">South Trust</p>' in texts(
        built["south"]["scorm12"])["index.html"]


def test_scorm_manifests_name_the_variant_and_stay_valid(built):
    for variant in ("north", "south"):
        for name in ("scorm12", "scorm2004"):
            with zipfile.ZipFile(built[variant][name]) as archive:
                manifest = assert_valid_in(archive)  # against the XSDs the zip carries
                listed = {f.get("href") for f in manifest.iter("{*}file")}
                assert [n for n in archive.namelist() if n.startswith("media/")
                        and n not in listed] == [], (variant, name)
                # the learning object's metadata: SCORM 1.2 in its own file, 2004 inline
                metadata = etree.fromstring(archive.read("metadata.xml")) \
                    if name == "scorm12" else manifest
            assert manifest.get("identifier") == f"varied-2.0.0-{variant}"
            ids = [e.text for e in metadata.iter("{*}identifier", "{*}entry")
                   if e.text and e.text.startswith("https://")]
            assert ids == [f"{COURSE_ID}/variant/{variant}"], (variant, name)


def test_cmi5_and_tincan_ids_carry_the_variant(built):
    for variant in ("north", "south"):
        base = f"{COURSE_ID}/variant/{variant}"
        cmi5 = etree.fromstring(texts(built[variant]["cmi5"])["cmi5.xml"].encode())
        assert cmi5.find("{*}course").get("id") == base
        assert [au.get("id") for au in cmi5.iter("{*}au")] == [f"{base}/au"]
        tincan = etree.fromstring(texts(built[variant]["xapi"])["tincan.xml"].encode())
        activities = [a.get("id") for a in tincan.iter("{*}activity")]
        assert activities[0] == base  # the launch activity, unique to this variant's package
        # pages and questions keep the course's own ids, so reports compare like with like
        assert f"{COURSE_ID}/question/q1" in activities
        assert not [a for a in activities[1:] if "/variant/" in a]


def test_the_xapi_context_carries_the_variant(built):
    for variant in ("north", "south"):
        for name in ("xapi", "cmi5"):
            data = course_json(built[variant][name])
            xapi = data["xapi"]
            assert xapi["course"]["id"] == COURSE_ID
            assert xapi["variant"]["id"] == variant
            assert xapi["variant"]["extension"] == f"{COURSE_ID}/extensions/variant"
            assert xapi["variant"]["activity"]["id"] == f"{COURSE_ID}/variant/{variant}"
            assert xapi["au"] == f"{COURSE_ID}/variant/{variant}/au"
        # anonymous evaluation answers name the variant too, in every format
        data = course_json(built[variant]["scorm12"])
        assert [a["id"] for a in data["collector"]["grouping"]] == [
            COURSE_ID, f"{COURSE_ID}/variant/{variant}"]
    assert course_json(built["north"]["scorm12"])["collector"]["endpoint"] == \
        "https://north-collector.example/xAPI/"
    assert course_json(built["south"]["scorm12"])["collector"]["endpoint"] == \
        "https://collector.example/xAPI/"


def test_a_course_without_variants_keeps_its_packages_and_ids(write_course, tmp_path):
    result = build(write_course(), tmp_path / "out", ["scorm12", "xapi", "cmi5"])
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for _, p, _ in result.packages) \
        == ["test-course-1.0.0-cmi5.zip", "test-course-1.0.0-scorm12.zip",
            "test-course-1.0.0-xapi.zip"]
    (xapi,) = [p for name, p, _ in result.packages if name == "xapi"]
    data = course_json(xapi)
    assert data["xapi"]["variant"] is None
    assert data["xapi"]["au"] == "https://example.org/courses/test-course/au"


def test_the_same_source_gives_the_same_bytes(tmp_path):
    root = write_variants_course(tmp_path / "course")
    first = build(root, tmp_path / "a", FORMATS).packages
    second = build(root, tmp_path / "b", FORMATS).packages
    assert [p.relative_to(tmp_path / "a") for _, p, _ in first] == \
        [p.relative_to(tmp_path / "b") for _, p, _ in second]
    for (_, a, _), (_, b, _) in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_variant_option_builds_only_the_variants_named(tmp_path, monkeypatch):
    root = write_variants_course(tmp_path / "course")
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["build", str(root), "-f", "scorm12", "--variant", "south"])
    assert done.exit_code == 0, done.output
    assert sorted(p.relative_to(tmp_path / "build").as_posix()
                  for p in (tmp_path / "build").rglob("*.zip")) == [
        "south/varied-2.0.0-south-scorm12.zip"]
    assert ("variant south: module local -> local-south, module south-extra added after "
            "welcome, support contacts replaced (1)") in done.output
    assert "Built 1 package(s) in 1 variant(s) of 'Varied course'" in done.output

    unknown = CliRunner().invoke(main, ["build", str(root), "--variant", "east", "-o", "other"])
    assert unknown.exit_code == 1
    assert "error: --variant east: course.yaml has no variant 'east'" in unknown.output
    assert not (tmp_path / "other").exists()


def test_nothing_is_written_unless_every_variant_succeeds(tmp_path):
    root = write_variants_course(tmp_path / "course")
    out = tmp_path / "build"
    build(root, out, ["scorm12"])
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # south's module now breaks; north is fine
    (root / "modules/south-extra/module.yaml").write_text(
        "title: x\npages:\n  - id: p\n    title: P\n    blocks:\n      - type: txt\n",
        encoding="utf-8")
    (root / "modules/local/data/north.csv").write_text("period,value\n2026-01,999\n",
                                                      encoding="utf-8")
    with pytest.raises(CourseInvalid) as failed:
        build(root, out, ["scorm12"])
    assert [d.message for d in failed.value.diagnostics if d.level.value == "error"] == [
        "variant 'south': unknown block type 'txt'"]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    fresh = tmp_path / "fresh"
    with pytest.raises(CourseInvalid):
        build(root, fresh, ["scorm12"])
    assert not fresh.exists()


def test_packaged_in_parallel_or_one_by_one_the_bytes_are_the_same(tmp_path, monkeypatch):
    import course_builder.commands.build as building

    root = write_variants_course(tmp_path / "course")
    pools = []

    class Pool(building.ProcessPoolExecutor):  # type: ignore[misc]
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            pools.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(building, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(building.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(building, "PARALLEL_PAGES", 1)  # this small course, as a large one
    forked = build(root, tmp_path / "forked", FORMATS).packages
    assert len(pools) == 1  # one process per variant
    monkeypatch.setattr(building, "PARALLEL_PAGES", 10**6)
    serial = build(root, tmp_path / "serial", FORMATS).packages
    assert len(pools) == 1
    assert [(n, p.relative_to(tmp_path / "forked")) for n, p, _ in forked] == \
        [(n, p.relative_to(tmp_path / "serial")) for n, p, _ in serial]
    for (_, a, _), (_, b, _) in zip(forked, serial, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_problem_found_while_packaging_a_variant_writes_nothing(tmp_path, monkeypatch):
    import course_builder.commands.build as building

    monkeypatch.setattr(building.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(building, "PARALLEL_PAGES", 1)
    # an image that is not there: found only when south's pages are rendered
    root = write_variants_course(tmp_path / "course", replace={
        "modules/south-extra/module.yaml": ("body: SOUTH-EXTRA-TEXT",
                                            "body: SOUTH-EXTRA-TEXT ![Map](map.png)")})
    with pytest.raises(CourseInvalid) as failed:
        build(root, tmp_path / "out", ["scorm12"])
    assert [d.format(root) for d in failed.value.diagnostics if d.level.value == "error"] == [
        "modules/south-extra/module.yaml:7:39: error: block 'south-extra-services-1' (text): "
        "body: file 'map.png' not found in south-extra/"]
    assert not (tmp_path / "out").exists()


def test_each_variant_in_each_language(tmp_path):
    # Welsh not yet translated: every string of the course, of a variant's settings, of its own
    # module and of the figures' source it gives, shows in English, marked as English.
    root = write_variants_course(tmp_path / "course", replace={
        "course.yaml": ("version: 2.0.0\n", "version: 2.0.0\nlanguages: [en-GB, cy]\n")})
    result = build(root, tmp_path / "out", ["scorm12"], languages=["all"])
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for _, p, _ in result.packages) == [
        "north/varied-2.0.0-north-cy-scorm12.zip", "north/varied-2.0.0-north-scorm12.zip",
        "south/varied-2.0.0-south-cy-scorm12.zip", "south/varied-2.0.0-south-scorm12.zip"]
    north = texts(tmp_path / "out/north/varied-2.0.0-north-cy-scorm12.zip")["index.html"]
    south = texts(tmp_path / "out/south/varied-2.0.0-south-cy-scorm12.zip")["index.html"]
    assert '<html lang="cy">' in north and '<html lang="cy">' in south
    assert '<span lang="en-GB">North figures</span>' in north
    assert '<div lang="en-GB"><p>SOUTH-EXTRA-TEXT</p>' in south
    assert re.search(r'lang="en-GB"[^>]*>NORTH-LINE', north)


def test_translators_get_the_variants_text_too(tmp_path):
    from course_builder.cli import main as cli

    root = write_variants_course(tmp_path / "course", replace={
        "course.yaml": ("version: 2.0.0\n", "version: 2.0.0\nlanguages: [en-GB, cy]\n")})
    done = CliRunner().invoke(cli, ["translate", "export", str(root), "--lang", "cy", "-o",
                                    str(tmp_path / "cy.po")])
    assert done.exit_code == 0, done.output
    catalog = (tmp_path / "cy.po").read_text(encoding="utf-8")
    for context in ('msgctxt "course.yaml#variants.north.name"',
                    'msgctxt "course.yaml#variants.north.support.before[0].name"',
                    'msgctxt "course.yaml#variants.south.support.replace[0].name"',
                    'msgctxt "modules/south-extra/module.yaml#'):
        assert context in catalog, context
    assert 'msgid "SOUTH-EXTRA-TEXT"' in catalog and 'msgid "SOUTH-MODULE-TEXT"' in catalog
