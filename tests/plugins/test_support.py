"""The support plugin: the course's support contacts shown inline, untracked, without script."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import yaml

from course_builder.commands.build import load_course
from course_builder.diagnostics import Reporter
from tests.bundles import shipped
from tests.conftest import REPO, errors_of

PLUGIN = REPO / "plugins" / "support"

COURSE = """\
id: https://example.org/courses/support
title: Support test
version: 1.0.0
modules: [one]
{support}"""

CONTACTS = """\
support:
  - name: Samaritans
    contact: "116 123"
    href: "tel:116123"
    description: Free, any time, day or night.
  - name: Shout
    contact: Text SHOUT to 85258
    href: "sms:85258"
  - name: Helpline website
    contact: example.org/help
    href: "https://example.org/help"
  - name: Your team
    contact: Ask your line manager
"""

MODULE = """\
title: Module one
pages:
  - id: care
    title: Looking after yourself
    blocks:
      - type: support
{fields}"""


def _course(write_course, fields: str = "", support: str = CONTACTS,
            module: str | None = None) -> Path:
    return write_course({
        "course.yaml": COURSE.format(support=support),
        "modules/one/module.yaml": module if module is not None else MODULE.format(fields=fields),
    })


def _block_html(zip_path: Path) -> str:
    with zipfile.ZipFile(zip_path) as z:
        html = z.read("index.html").decode()
    match = re.search(r'<section class="cb-support".*?</section>', html, re.DOTALL)
    assert match, "support block not rendered"
    return match.group(0)


def test_renders_course_contacts_with_links(write_course, build_course):
    root = _course(write_course, fields="        intro: You can **stop** at any time.\n")
    [package] = build_course(root, ["scorm12"])
    html = _block_html(package)
    assert re.search(r'<h2 class="cb-support__title" id="[^"]+">Support is available</h2>', html)
    assert "<p>You can <strong>stop</strong> at any time.</p>" in html
    assert '<a href="tel:116123">116 123</a>' in html
    assert '<a href="sms:85258">Text SHOUT to 85258</a>' in html
    assert ('<a href="https://example.org/help" target="_blank" rel="noopener noreferrer">'
            'example.org/help<span class="cb-visually-hidden"> (opens in a new tab)</span></a>'
            in html)
    assert "Ask your line manager" in html
    assert '<span class="cb-support__desc">Free, any time, day or night.</span>' in html
    assert html.count("<li") == 4


def test_no_built_in_contacts_when_course_lists_none(write_course):
    # Helplines depend on a course's subject and audience: course-builder assumes none.
    assert errors_of(_course(write_course, support="")) == [
        ("modules/one/module.yaml:6:9: error: block 'one-care-1' (support): course.yaml lists no "
        "support contacts, so this block would be empty\n"
        "    hint: add contacts under `support:` in course.yaml (name, contact, href, "
        "description), or remove the block"),
    ]


def test_block_without_intro_shows_only_the_contacts(write_course, build_course):
    [package] = build_course(_course(write_course), ["scorm12"])
    html = _block_html(package)
    assert "<p>" not in html.split("</h2>", 1)[1].split("<ul", 1)[0]  # no intro given
    assert html.count("<li") == 4


def test_author_text_is_escaped(write_course, build_course):
    support = 'support:\n  - name: "<b>Team</b>"\n    contact: "<script>x</script>"\n'
    [package] = build_course(_course(write_course, support=support), ["scorm12"])
    html = _block_html(package)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "&lt;b&gt;Team&lt;/b&gt;" in html


def test_not_tracked_and_no_script(write_course, build_course):
    root = _course(write_course)
    course = load_course(root, Reporter())
    [block] = course.blocks
    assert block.plugin.interactions(block) == []
    assert block.plugin.max_state_chars(block) == 0
    assert block.plugin.scripts == ()
    [package] = build_course(root, ["scorm2004"])
    with zipfile.ZipFile(package) as z:
        names = [*z.namelist(), *shipped(z)]
    assert "assets/plugins/support/support.css" in names
    assert not any(n.startswith("assets/plugins/support/") and n.endswith(".js") for n in names)


def test_empty_support_list_is_an_error(write_course):
    assert errors_of(_course(write_course, support="support: []\n")) == [
        ("modules/one/module.yaml:6:9: error: block 'one-care-1' (support): course.yaml lists no "
        "support contacts, so this block would be empty\n"
        "    hint: add contacts under `support:` in course.yaml (name, contact, href, "
        "description), or remove the block"),
    ]


def test_unknown_field_is_an_error(write_course):
    [message] = errors_of(_course(write_course, fields="        title: Help\n"))
    assert message.startswith("modules/one/module.yaml:")
    assert "title: is not a known field" in message


def test_example_yaml_builds(write_course, build_course):
    page = yaml.safe_load((PLUGIN / "example.yaml").read_text(encoding="utf-8"))
    module = yaml.safe_dump({"title": "Example", "pages": [page]}, sort_keys=False)
    root = _course(write_course, module=module)
    assert errors_of(root, strict=True) == []
    assert build_course(root, ["scorm12"])


def test_bundled_course_support_blocks_validate():
    course = load_course(REPO, Reporter())
    blocks = [b for b in course.blocks if b.type == "support"]
    assert len(blocks) >= 2
