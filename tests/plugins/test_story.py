"""The story content type: validation, rendering, tracking, saved state, and the browser flow."""

from __future__ import annotations

import json
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseInvalid
from course_builder.model import Interaction

REPO = Path(__file__).resolve().parents[2]

COURSE = """\
id: https://example.org/courses/story-test
title: Story test
version: 1.0.0
modules: [one]
completion:
  pages: all
"""

STORY = """\
- type: story
  id: story-jo
  teller: Jo (pseudonym)
  role: Lived experience trainer
  content_note: Talks about self-injury and care in A&E. No description of methods.
  quote: She said my name and told me I wasn't wasting anyone's time.
  body: |
    The first time went **badly**.

    The second time was different.
  what_helped:
    - Being called by *my name*.
  what_made_it_worse:
    - Hearing "Again?" at the desk.
"""


def write_course(root: Path, blocks: str, files: dict[str, str] | None = None,
                 require: str | None = None) -> Path:
    """A one-module, one-page course whose page holds ``blocks`` (a YAML list)."""
    module = "title: One\npages:\n  - id: page\n    title: A story\n    blocks:\n" + \
        textwrap.indent(textwrap.dedent(blocks), "      ")
    config = COURSE + (f"  require: [{require}]\n" if require else "")
    contents = {"course.yaml": config, "modules/one/module.yaml": module, **(files or {})}
    for relative, text in contents.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def errors_of(course_dir: Path) -> list[str]:
    try:
        load_course(course_dir, Reporter())
    except CourseInvalid as exc:
        return [d.format(course_dir) for d in exc.diagnostics]
    return []


def built_html(course_dir: Path, out: Path) -> str:
    result = build(course_dir, out, ["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        return package.read("index.html").decode()


def story_html(html: str) -> str:
    return html[html.index('<section class="cb-story"'):html.index("</section>",
                                                                    html.index("cb-story__content"))]


# -- validation -------------------------------------------------------------------------------
def test_story_validates(tmp_path: Path) -> None:
    assert errors_of(write_course(tmp_path, STORY)) == []


def test_content_note_missing_is_an_error(tmp_path: Path) -> None:
    blocks = STORY.replace("  content_note: Talks about self-injury and care in A&E. No "
                           "description of methods.\n", "")
    assert errors_of(write_course(tmp_path, blocks)) == [
        "modules/one/module.yaml:6:9: error: block 'story-jo' (story): content_note: "
        "is required but missing",
    ]


@pytest.mark.parametrize("value", ['""', '"   "'])
def test_content_note_empty_is_an_error(tmp_path: Path, value: str) -> None:
    blocks = re.sub(r"content_note: .*", f"content_note: {value}", STORY)
    errors = errors_of(write_course(tmp_path, blocks))
    assert len(errors) == 1
    assert errors[0].startswith(
        "modules/one/module.yaml:10:23: error: block 'story-jo' (story): content_note: "
        "must not be empty: say what the story touches on, without detail")


def test_build_fails_without_content_note(tmp_path: Path) -> None:
    blocks = STORY.replace("  content_note: Talks about self-injury and care in A&E. No "
                           "description of methods.\n", "")
    with pytest.raises(CourseInvalid):
        build(write_course(tmp_path / "c", blocks), tmp_path / "out", ["scorm12"])
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_id_is_required(tmp_path: Path) -> None:
    errors = errors_of(write_course(tmp_path, STORY.replace("  id: story-jo\n", "")))
    assert errors[0].endswith("error: block 1 (story) on page 'one/page': id: is required for "
                              "story blocks\n    hint: give the block a stable id such as "
                              "`id: my-quiz`; saved progress and reports use it")


def test_photo_needs_alt_and_an_existing_file(tmp_path: Path) -> None:
    no_alt = STORY + "  photo: {src: jo.svg}\n"
    assert errors_of(write_course(tmp_path / "a", no_alt)) == [
        "modules/one/module.yaml:20:16: error: block 'story-jo' (story): photo.alt: "
        "is required but missing",
    ]
    missing_file = STORY + "  photo: {src: jo.svg, alt: An outline of a person}\n"
    assert errors_of(write_course(tmp_path / "b", missing_file)) == [
        "modules/one/module.yaml:20:22: error: block 'story-jo' (story): photo.src: "
        "file 'jo.svg' not found in one/",
    ]


def test_audio_needs_a_transcript_and_a_local_file(tmp_path: Path) -> None:
    no_transcript = STORY + "  audio: {src: jo.mp3}\n"
    assert errors_of(write_course(tmp_path / "a", no_transcript)) == [
        "modules/one/module.yaml:20:16: error: block 'story-jo' (story): audio.transcript: "
        "is required but missing",
    ]
    remote = STORY + "  audio: {src: 'https://example.org/jo.mp3', transcript: Words}\n"
    errors = errors_of(write_course(tmp_path / "b", remote))
    assert errors == [
        "modules/one/module.yaml:20:22: error: block 'story-jo' (story): audio.src: "
        "'https://example.org/jo.mp3' is not a local file; packages must not load anything "
        "from outside themselves\n    hint: download the file into the module's folder and "
        "use a relative path",
    ]


# -- tracking and state -----------------------------------------------------------------------
def test_interaction_and_state(tmp_path: Path) -> None:
    course = load_course(write_course(tmp_path, STORY), Reporter())
    block = course.blocks[0]
    plugin = block.plugin
    assert plugin.completable is True
    assert plugin.interactions(block) == [
        Interaction("story-jo", "other", "Story: Jo (pseudonym)", scored=False)]
    assert plugin.max_score(block) == 0
    assert plugin.max_state_chars(block) == 1
    assert plugin.decode_state(block, "r") == {"story": "read"}
    assert plugin.decode_state(block, "s") == {"story": "skipped"}
    assert plugin.decode_state(block, "") == {"story": "not opened"}


# -- rendering --------------------------------------------------------------------------------
def test_story_is_hidden_behind_its_content_note(tmp_path: Path) -> None:
    html = story_html(built_html(write_course(tmp_path / "c", STORY), tmp_path / "out"))
    gate, content = html.split('<div class="cb-story__content"', 1)
    assert "Talks about self-injury and care in A&amp;E." in gate
    assert ">Read this story</button>" in gate
    assert ">Skip this story</button>" in gate
    assert content.startswith(' id="story-jo-story" hidden>')
    assert "The first time went <strong>badly</strong>." in content
    assert '<h2 class="cb-story__heading" id="story-jo-heading" tabindex="-1">' \
           "Jo (pseudonym)</h2>" in content
    assert re.search(r"<figure class=\"cb-story__quote\">\s*<blockquote><p>She said my name and "
                     r"told me I wasn't wasting anyone's time.</p></blockquote>", content)
    assert "<h3>What helped</h3>" in content and "<h3>What made it worse</h3>" in content
    assert "<li>Being called by <em>my name</em>.</li>" in content
    assert "<audio" not in content and "<img" not in content


def test_photo_and_audio(tmp_path: Path) -> None:
    blocks = STORY + ("  photo: {src: jo.svg, alt: An outline of a person}\n"
                      "  audio: {src: jo.mp3, transcript: '**Jo:** Hello.'}\n")
    course = write_course(tmp_path / "c", blocks, {
        "modules/one/jo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        "modules/one/jo.mp3": "ID3"})
    result = build(course, tmp_path / "out", ["scorm12"])
    with zipfile.ZipFile(result.packages[0][1]) as package:
        html = package.read("index.html").decode()
        names = package.namelist()
    assert "media/one/jo.svg" in names and "media/one/jo.mp3" in names
    content = story_html(html)
    assert '<img class="cb-story__photo" src="media/one/jo.svg" alt="An outline of a person">' \
        in content
    assert '<audio controls preload="metadata" src="media/one/jo.mp3">' in content
    assert "autoplay" not in content
    assert re.search(r"<details class=\"cb-story__transcript\">\s*<summary>Transcript.*?"
                     r"<p><strong>Jo:</strong> Hello.</p>", content, re.S)


def test_bundled_stories_validate(tmp_path: Path) -> None:
    """The bundled course's story blocks (modules/stories) pass this plugin's checks."""
    source = yaml.safe_load((REPO / "modules" / "stories" / "module.yaml").read_text())
    stories = [b for p in source["pages"] for b in p["blocks"] if b["type"] == "story"]
    assert len(stories) >= 3
    course = write_course(tmp_path, yaml.safe_dump(stories, sort_keys=False))
    assert errors_of(course) == []


# -- in the browser ---------------------------------------------------------------------------
FAKE_SCORM12 = """
window.__calls = [];
window.__store = %s;
window.API = {
  LMSInitialize: function () { return "true"; },
  LMSFinish: function () { return "true"; },
  LMSCommit: function () { return "true"; },
  LMSGetLastError: function () { return "0"; },
  LMSGetErrorString: function () { return ""; },
  LMSGetDiagnostic: function () { return ""; },
  LMSGetValue: function (k) { return window.__store[k] || ""; },
  LMSSetValue: function (k, v) { window.__calls.push([k, String(v)]); window.__store[k] = String(v);
    return "true"; }
};
"""


def test_read_skip_and_resume_in_a_browser(browser, tmp_path: Path) -> None:
    result = build(write_course(tmp_path / "c", STORY, require="story-jo"), tmp_path / "out",
                   ["scorm12"])
    site = tmp_path / "site"
    with zipfile.ZipFile(result.packages[0][1]) as package:
        package.extractall(site)
    url = (site / "index.html").as_uri()

    def open_page(browser, store):  # type: ignore[no-untyped-def]
        page = browser.new_page(viewport={"width": 320, "height": 800})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(FAKE_SCORM12 % json.dumps(store))
        page.goto(url)
        page.wait_for_selector('[data-action="read"]', state="attached")
        page.wait_for_timeout(300)  # let the runtime mount the blocks
        return page, errors

    page, errors = open_page(browser, {})
    content = page.locator(".cb-story__content")
    assert content.is_hidden()

    # Skip: the story stays hidden, the learner is told, and the block is finished.
    page.click('[data-action="skip"]')
    assert content.is_hidden()
    assert page.locator(".cb-story__status").inner_text().startswith("You skipped this story")
    assert page.locator('[data-action="skip"]').is_hidden()
    assert page.evaluate("document.activeElement.dataset.action") == "read"
    announcer = page.locator("#cb-announcer")
    for _ in range(50):  # the runtime announces after a short delay
        if "Story skipped" in announcer.inner_text():
            break
        page.wait_for_timeout(50)
    assert "Story skipped" in announcer.inner_text()
    calls = dict(page.evaluate("window.__calls"))
    assert calls.get("cmi.core.lesson_status") == "completed"
    assert not any(k.startswith("cmi.interactions") for k in calls)  # skips stay private

    # Read after all: shown, focus on the heading, recorded once as "read".
    page.click('[data-action="read"]')
    assert content.is_visible()
    assert page.evaluate("document.activeElement.id") == "story-jo-heading"
    page.click('[data-action="skip"]')
    page.click('[data-action="read"]')
    calls = page.evaluate("window.__calls")
    recorded = {k: v for k, v in calls if k.startswith("cmi.interactions.")}
    assert recorded["cmi.interactions.0.id"] == "story-jo"
    assert recorded["cmi.interactions.0.type"] == "performance"
    assert recorded["cmi.interactions.0.student_response"] == "read"
    assert not any(k.startswith("cmi.interactions.1.") for k in recorded)
    store = page.evaluate("window.__store")
    assert errors == []
    page.close()

    # Resume: the learner finds the story as they left it (read).
    store["cmi.core.entry"] = "resume"
    page, errors = open_page(browser, store)
    assert page.locator(".cb-story__content").is_visible()
    assert page.locator('[data-action="read"]').is_hidden()
    assert errors == []
