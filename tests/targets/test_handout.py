"""The printed handout (``-f handout``): it holds every block of the course (every scenario
choice with its feedback, every quiz question with its answer), facilitator notes appear in it
and in no screen package, it is one self-contained page with no script and no controls, and the
same source gives the same bytes. Printing it (support on every page) is tested in a browser,
in tests/e2e/test_handout.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import lxml.html
import pytest
import yaml
from markdown_it import MarkdownIt

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseInvalid
from course_builder.model import Course
from course_builder.registry import discover
from course_builder.targets.handout import css_string, support_footer

REPO = Path(__file__).resolve().parents[2]
PLUGINS = sorted(discover(None, Reporter()).types.values(), key=lambda t: t.name)
SCREEN_FORMATS = ["scorm12", "scorm2004", "scorm2004-3rd", "xapi", "cmi5", "web"]
TODAY = "2026-11-29"
_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def plain(markdown: str | None) -> str:
    """Author Markdown as the words a reader sees, spaces and ligatures normalised."""
    if not markdown:
        return ""
    html = _MD.render(markdown)
    return norm(lxml.html.fromstring(f"<div>{html}</div>").text_content())


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def every_example_course(root: Path) -> Path:
    """One course with a module per built-in plugin, made of that plugin's example.yaml."""
    slugs = []
    required: list[str] = []
    for plugin in PLUGINS:
        slug = f"ex-{plugin.name.replace('_', '-')}"
        module = root / "modules" / slug
        module.mkdir(parents=True)
        example = (plugin.folder / "example.yaml").read_text(encoding="utf-8")
        page = "\n".join("    " + line if line.strip() else line for line in example.splitlines())
        (module / "module.yaml").write_text(f"title: {plugin.name} example\npages:\n  -\n{page}\n",
                                            encoding="utf-8")
        for extra in plugin.folder.iterdir():
            if extra.is_dir() and extra.name not in ("templates", "static", "__pycache__"):
                shutil.copytree(extra, module / extra.name)
        blocks = yaml.safe_load(example).get("blocks", [])
        required += [b["id"] for b in blocks if b.get("required") is True and b.get("id")]
        slugs.append(slug)
    (root / "course.yaml").write_text(
        "id: https://example.org/courses/every-block\ntitle: Every block\nversion: 1.0.0\n"
        f"modules: {json.dumps(slugs)}\ncompletion:\n  require: {json.dumps(required)}\n"
        "support:\n  - {name: Samaritans, contact: 116 123, href: 'tel:116123', "
        "description: Free and open day and night}\n"
        # Where the evaluation example's answers go: a required form must reach someone.
        "organisation: Example Organisation\nevaluation:\n  collector:\n"
        "    endpoint: https://evaluations.example.org/xAPI/\n    username: writer\n"
        "    write_only_key: only-writes\n    write_only: true\n", encoding="utf-8")
    return root


def handout_of(course_dir: Path, out: Path) -> tuple[Course, Path, str]:
    course = load_course(course_dir, Reporter())
    # the bundled course's first example variant keeps every module of the course as it is
    variants = [course.config.variants[0].id] if course.config.variants else []
    ((name, path, _size),) = build(course_dir, out, ["handout"], variants=variants).packages
    assert name == "handout" and path.name.endswith("-handout.zip")
    with zipfile.ZipFile(path) as archive:
        text = archive.read("index.html").decode("utf-8")
    return course, path, text


@pytest.fixture(scope="module", params=["bundled", "every-example"])
def handout(request, tmp_path_factory) -> tuple[Course, Path, str]:
    mp = pytest.MonkeyPatch()
    mp.setenv("COURSE_BUILDER_TODAY", TODAY)
    work = tmp_path_factory.mktemp(request.param)
    source = REPO if request.param == "bundled" else every_example_course(work / "course")
    try:
        yield handout_of(source, work / "out")
    finally:
        mp.undo()


def _block(doc, key: str):
    (element,) = doc.xpath(f'//*[@data-block="{key}"]')
    return element


def test_the_handout_holds_every_block_in_course_order(handout):
    course, _path, text = handout
    doc = lxml.html.fromstring(text)
    printed = [(e.get("data-block"), e.get("data-type")) for e in doc.xpath("//*[@data-block]")]
    assert printed == [(b.key, b.type) for b in course.blocks]
    # Every module and page, in order, each page under its own heading.
    headings = [norm(h.text_content()) for h in doc.xpath("//h2[@class='cb-h-page__title']")]
    assert headings == [norm(p.title) for p in course.pages]
    assert [norm(h.text_content()) for h in doc.xpath("//h1[@class='cb-h-module__title']")] == [
        norm(m.title) for m in course.modules]


def test_every_scenario_choice_is_printed_with_its_feedback_and_where_it_leads(handout):
    course, _path, text = handout
    doc = lxml.html.fromstring(text)
    scenarios = [b for b in course.blocks if b.type == "scenario"]
    assert scenarios
    labels = {"good": "Good practice", "poor": "Poor practice", "mixed": "Mixed practice"}
    for block in scenarios:
        data = block.data
        element = _block(doc, block.key)
        steps = [(data.situation, data.choices), *[(s.situation, s.choices) for s in data.steps]]
        numbers = {s.id: i + 2 for i, s in enumerate(data.steps)}
        for situation, choices in steps:
            assert plain(situation) in norm(element.text_content())
            for choice in choices:
                (card,) = element.xpath(f'.//*[@data-choice="{choice.id}"]')
                words = norm(card.text_content())
                assert plain(choice.text) in words, choice.id
                assert plain(choice.feedback) in words, choice.id
                assert labels[choice.practice] in words, choice.id
                if choice.next:
                    assert f"Leads to step {numbers[choice.next]}." in words, choice.id
        if data.reflection:
            assert plain(data.reflection) in norm(element.text_content())


def _answer_words(question, letters: str = "abcdefghijklmnopqrstuvwxyz") -> list[str]:
    if question.kind == "true_false":
        return ["True" if question.answer else "False"]
    if question.kind in ("single", "multiple"):
        return [f"{letters[i].upper()}. {plain(o.text)}" for i, o in enumerate(question.options)
                if o.correct]
    if question.kind == "matching":
        return [plain(p.match) for p in question.pairs]
    if question.kind == "ordering":
        return [plain(item) for item in question.items]
    return [f"{question.value:g}"]


def test_every_quiz_question_is_printed_with_its_answer_for_the_facilitator(handout):
    course, _path, text = handout
    doc = lxml.html.fromstring(text)
    quizzes = [b for b in course.blocks if b.type == "quiz"]
    assert quizzes
    for block in quizzes:
        element = _block(doc, block.key)
        (key,) = element.xpath('.//*[@role="note"][contains(@class, "cb-h-facilitator")]')
        assert "For the facilitator: answers" in norm(key.text_content())
        for question in block.data.questions:
            (asked,) = element.xpath(f'.//*[@data-question="{question.id}"]')
            assert plain(question.prompt) in norm(asked.text_content())
            for option in question.options:
                assert plain(option.text) in norm(asked.text_content())
            (answer,) = key.xpath(f'.//*[@data-answer="{question.id}"]')
            words = norm(answer.text_content())
            for expected in _answer_words(question):
                assert expected in words, (question.id, expected, words)
            for feedback in (question.feedback.correct, question.feedback.incorrect,
                             *[o.feedback for o in question.options]):
                assert plain(feedback) in words
        # The answers come after every question, never beside them.
        questions_end = max(text.index(f'data-question="{q.id}"') for q in block.data.questions)
        assert text.index('data-answer="', questions_end) > questions_end


def test_the_printed_ordering_question_is_not_in_the_right_order(handout):
    course, _path, text = handout
    doc = lxml.html.fromstring(text)
    ordering = [(b, q) for b in course.blocks if b.type == "quiz" for q in b.data.questions
                if q.kind == "ordering"]
    for block, question in ordering:
        (asked,) = _block(doc, block.key).xpath(f'.//*[@data-question="{question.id}"]')
        shown = [norm(li.text_content()) for li in asked.xpath(".//ul/li")]
        assert sorted(shown) == sorted(plain(i) for i in question.items)
        assert shown != [plain(i) for i in question.items]


def test_stories_print_their_content_note_first_and_the_whole_story(handout):
    course, _path, text = handout
    doc = lxml.html.fromstring(text)
    for block in (b for b in course.blocks if b.type == "story"):
        element = _block(doc, block.key)
        words = norm(element.text_content())
        note = plain(block.data.content_note)
        assert note in words and plain(block.data.body) in words
        assert words.index(note) < words.index(plain(block.data.body))
        for item in (*block.data.what_helped, *block.data.what_made_it_worse):
            assert plain(item) in words


def test_myth_fact_statements_and_accordion_panels_are_all_there(handout):
    course, _path, text = handout
    doc = lxml.html.fromstring(text)
    for block in course.blocks:
        words = norm(_block(doc, block.key).text_content())
        if block.type == "myth_fact":
            for statement in block.data.statements:
                (answer,) = _block(doc, block.key).xpath(f'.//*[@data-answer="{statement.id}"]')
                answer_words = norm(answer.text_content())
                assert answer_words.startswith(statement.answer.capitalize() + ".")
                assert plain(statement.explanation) in answer_words
        elif block.type == "accordion":
            for item in block.data.items:
                assert plain(item.title) in words and plain(item.body) in words
        elif block.type == "evaluation":
            for item in block.data.items:
                assert plain(item.question) in words


def test_one_self_contained_page_with_no_script_and_no_controls(handout):
    course, path, text = handout
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert names == ["index.html"]  # nothing the examples link to, so nothing beside it
    doc = lxml.html.fromstring(text)
    assert doc.xpath("//script | //link | //iframe | //object | //embed") == []
    assert doc.xpath("//button | //input | //select | //textarea | //audio | //video") == []
    sources = doc.xpath("//img/@src")
    assert sources and all(s.startswith("data:image/") for s in sources)
    assert not doc.xpath("//*[@style]")
    # The Content-Security-Policy allows exactly the one style element, by its hash.
    (policy,) = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    (style,) = re.findall(r"<style>(.*?)</style>", text, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert policy == f"default-src 'none'; img-src data:; style-src 'sha256-{digest}'"
    assert "@bottom-left" in style and "counter(pages)" in style
    for contact in course.config.support:
        assert css_string(contact.name)[1:-1] in style


def test_facilitator_notes_are_in_the_handout_and_in_no_screen_package(write_course, tmp_path):
    marker = "Zebra-{0} allow time; invite, never require, people to share"
    course_dir = write_course({"modules/one/module.yaml": f"""\
        title: Module one
        pages:
          - id: intro
            title: Welcome
            blocks:
              - type: text
                body: Hello.
                facilitator_notes: "{marker.format("text")}"
          - id: check
            title: Check
            blocks:
              - type: scenario
                id: sc
                setting: A&E
                situation: Someone arrives.
                facilitator_notes: |
                  {marker.format("scenario")}

                  - a discussion prompt
                choices:
                  - {{id: a, text: Listen, practice: good, feedback: Good.}}
                  - {{id: b, text: Rush, practice: poor, feedback: Not good.}}
              - type: quiz
                id: check-quiz
                facilitator_notes: "{marker.format("quiz")}"
                questions:
                  - id: q1
                    kind: true_false
                    prompt: The sky is blue.
                    answer: true
        """})
    result = build(course_dir, tmp_path / "out", [*SCREEN_FORMATS, "handout"])
    packages = {name: path for name, path, _ in result.packages}
    assert set(packages) == {*SCREEN_FORMATS, "handout"}
    for name in SCREEN_FORMATS:
        with zipfile.ZipFile(packages[name]) as archive:
            for entry in archive.namelist():
                assert b"Zebra-" not in archive.read(entry), (name, entry)
    with zipfile.ZipFile(packages["handout"]) as archive:
        doc = lxml.html.fromstring(archive.read("index.html").decode())
    for kind in ("text", "scenario", "quiz"):
        (element,) = doc.xpath(f'//*[@data-type="{kind}"]')
        (note,) = element.xpath('./*[@role="note"][@aria-label="For the facilitator"]')
        assert norm(note.text_content()).startswith("For the facilitator " + marker.format(kind))
        assert element.index(note) == 0  # before the block, where a trainer prepares


def test_facilitator_notes_are_checked_like_any_author_text(write_course, tmp_path):
    course_dir = write_course({"modules/one/module.yaml": """\
        title: Module one
        pages:
          - id: intro
            title: Welcome
            blocks:
              - type: text
                body: Hello.
                facilitator_notes: "![The room layout](room.png)"
        """})
    with pytest.raises(CourseInvalid) as caught:
        build(course_dir, tmp_path / "out", ["handout"])
    assert [d.format(course_dir) for d in caught.value.diagnostics] == [
        "modules/one/module.yaml:8:48: error: block 'one-intro-1' (text): facilitator_notes: "
        "file 'room.png' not found in one/"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_same_course_gives_the_same_handout(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_BUILDER_TODAY", TODAY)
    first = build(REPO, tmp_path / "a", ["handout"]).packages[0][1].read_bytes()
    second = build(REPO, tmp_path / "b", ["handout"]).packages[0][1].read_bytes()
    assert first == second


def test_a_plugin_without_a_handout_template_prints_its_screen_html(write_course, tmp_path):
    course_dir = write_course({
        "modules/one/module.yaml": """\
            title: Module one
            pages:
              - id: intro
                title: Welcome
                blocks:
                  - type: timeline
                    events: [Arrive, Triage]
            """,
        "plugins/timeline/plugin.py": """\
            from course_builder.plugin import BlockModel, ContentType

            class TimelineBlock(BlockModel):
                '''Events in order.'''
                events: list[str]

            class Timeline(ContentType[TimelineBlock]):
                name = "timeline"
                model = TimelineBlock
                template = "timeline.html.j2"
            """,
        "plugins/timeline/templates/timeline.html.j2": """\
            <ol class="timeline">{% for e in block.events %}<li>{{ e }}</li>{% endfor %}</ol>
            <button type="button">Next event</button>
            """,
    })
    ((_name, path, _size),) = build(course_dir, tmp_path / "out", ["handout"]).packages
    with zipfile.ZipFile(path) as archive:
        text = archive.read("index.html").decode()
    assert '<ol class="timeline"><li>Arrive</li><li>Triage</li></ol>' in text
    # Its controls are left to the stylesheet, which hides every one on paper.
    assert ".cb-h button, .cb-h input, .cb-h select, .cb-h textarea" in text


def test_support_footer_and_css_strings():
    course = load_course(REPO, Reporter())
    footer = support_footer(course.config).splitlines()
    assert footer[0] == "Support if you need it"
    assert footer[1] == ("Samaritans: 116 123. Free to call from any phone, 24 hours a day, every "
                         "day of the year. You don't have to be suicidal to call: you can talk "
                         "about anything that is troubling you.")
    assert len(footer) == len(course.config.support) + 1
    # Author text can end neither the CSS string nor the style element.
    assert css_string('a "b" </style> \\ c\nd') == (
        '"a \\000022b\\000022 \\00003c/style\\00003e \\00005c c\\A d"')
