"""Hostile and unlucky course sources: each is refused with a located error (or works), never a
traceback, never a file in a package that should not be there.

Every case runs ``validate`` and ``build`` through the command line and checks that both print
the same diagnostics: what validate accepts, the build accepts.
"""

from __future__ import annotations

import base64
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.templating import safe_href
from tests.conftest import COURSE_YAML

TOKEN = base64.b64encode(b"reports-key:s3cret-pass").decode()  # what an LRS Basic header holds
HINT_CHAR = ("    hint: delete it: it often comes with text pasted from a PDF or a word "
             "processor (retype the words around it if you cannot see it)")
HINT_CRED = "    hint: remove it: the LMS passes the LRS address and credentials in the launch URL"
SVG_HINT = ("    hint: export the image again as plain SVG without scripts or links (e.g. "
            "Inkscape's 'Optimized SVG'), or as PNG")


def module(*bodies: str, title: str = "Module one", extra: str = "") -> str:
    """A module.yaml with one page holding one text block per body (each a YAML scalar)."""
    blocks = "".join(f"      - type: text\n        body: {body}\n" for body in bodies)
    return (f"title: {title}\n{extra}pages:\n  - id: a\n    title: A\n    blocks:\n{blocks}")


def run(root: Path, tmp_path: Path) -> tuple[int, list[str]]:
    """``validate`` then ``build``; both must agree. Returns the exit code and output lines."""
    checked = CliRunner().invoke(main, ["validate", str(root)])
    built = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "out")])
    for result in (checked, built):
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            result.exception
    if checked.exit_code == 0:
        assert built.exit_code == 0, built.output
        return 0, built.output.splitlines()
    assert (built.exit_code, built.output) == (checked.exit_code, checked.output)
    assert not (tmp_path / "out").exists()  # nothing written
    return checked.exit_code, checked.output.splitlines()


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    contents: dict[str, str | bytes] = {"course.yaml": COURSE_YAML,
                                        "modules/one/module.yaml": module("Hello.")}
    contents.update(files)
    for relative, content in contents.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def package_names(tmp_path: Path) -> set[str]:
    (first, *_) = sorted((tmp_path / "out").glob("*.zip"))
    return set(zipfile.ZipFile(first).namelist())


# --- 2. files copied into packages: by allowlist ----------------------------------------------

SCRIPT_SVG = '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>\n'
UNSAFE_SVGS = {
    "script": (SCRIPT_SVG, "contains a <script> element (line 2)"),
    "handler": ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                "has an event handler (onload=) (line 1)"),
    "foreign-object": ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject>'
                       '<p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>',
                       "contains a <foreignObject> element (line 1)"),
    "external-image": ('<svg xmlns="http://www.w3.org/2000/svg">\n'
                       '<image href="https://tracker.example/pixel.png"/></svg>',
                       'refers to another file or address (href="https://tracker.example/'
                       'pixel.png") (line 2)'),
    "use-other-file": ('<svg xmlns="http://www.w3.org/2000/svg" '
                       'xmlns:xlink="http://www.w3.org/1999/xlink">'
                       '<use xlink:href="other.svg#shape"/></svg>',
                       'refers to another file or address (href="other.svg#shape") (line 1)'),
    "javascript-link": ('<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)">'
                        '<text>x</text></a></svg>',
                        'refers to another file or address (href="javascript:alert(1)") '
                        '(line 1)'),
    "css-url": ('<svg xmlns="http://www.w3.org/2000/svg"><style>rect {fill: '
                'url(https://evil.example/x.svg#p)}</style></svg>',
                "loads url(https://evil.example/x.svg#p) from outside the image (line 1)"),
    "style-attribute": ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: '
                        "url('//evil.example/p')\"/></svg>",
                        "loads url(//evil.example/p) from outside the image (line 1)"),
    "import": ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import "x.css";</style></svg>',
               "imports a style sheet (@import) (line 1)"),
    "animate-href": ('<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" '
                     'to="javascript:alert(1)"/></a></svg>',
                     "changes href= with <set> (line 1)"),
    "stylesheet-pi": ('<?xml-stylesheet href="https://evil.example/s.css"?>\n'
                      '<svg xmlns="http://www.w3.org/2000/svg"/>',
                      "loads a style sheet with <?xml-stylesheet?> (line 1)"),
}


@pytest.mark.parametrize("case", sorted(UNSAFE_SVGS))
def test_svg_that_can_run_script_or_load_anything_is_refused(tmp_path: Path, case: str) -> None:
    svg, problem = UNSAFE_SVGS[case]
    root = write(tmp_path / "c", {"modules/one/module.yaml": module('"![Logo](logo.svg)"'),
                                  "modules/one/logo.svg": svg})
    assert run(root, tmp_path) == (1, [
        # at the file name in the Markdown, not the start of the text
        f"modules/one/module.yaml:7:24: error: block 'one-a-1' (text): body: 'logo.svg' "
        f"{problem}; SVG images in packages may not run script or load anything from outside "
        "the image", SVG_HINT, "1 error(s), 0 warning(s); nothing was written."])


def test_svg_with_entities_or_broken_xml_is_refused(tmp_path: Path) -> None:
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>')
    root = write(tmp_path / "c", {
        "modules/one/module.yaml": module('"![A](a.svg)"', '"![B](b.svg)"', '"![C](c.svg)"'),
        "modules/one/a.svg": bomb, "modules/one/b.svg": "<svg><g></svg>",
        "modules/one/c.svg": '<html xmlns="http://www.w3.org/1999/xhtml"/>'})
    code, lines = run(root, tmp_path)
    assert code == 1
    assert lines[0] == ("modules/one/module.yaml:7:21: error: block 'one-a-1' (text): body: "
                        "'a.svg' declares a DTD with entities; SVG images in packages may not")
    assert lines[2].startswith("modules/one/module.yaml:9:21: error: block 'one-a-2' (text): "
                               "body: 'b.svg' is not a well-formed SVG file (")
    assert lines[4] == ("modules/one/module.yaml:11:21: error: block 'one-a-3' (text): body: "
                        "'c.svg' is not an SVG image (its root element is <html>)")


def test_plain_svg_with_internal_references_and_embedded_png_is_copied(tmp_path: Path) -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           '<defs><linearGradient id="g"/></defs><rect style="fill: url(#g)"/>'
           '<use xlink:href="#g"/><image href="data:image/png;base64,iVBORw0KGgo="/></svg>')
    root = write(tmp_path / "c", {"modules/one/module.yaml": module('"![Logo](logo.svg)"'),
                                  "modules/one/logo.svg": svg})
    assert run(root, tmp_path)[0] == 0
    assert "media/one/logo.svg" in package_names(tmp_path)


@pytest.mark.parametrize(("link", "files", "message", "hint"), [
    ("[config](lrs.toml)", {"modules/one/lrs.toml": 'password = "x"\n'},
     "'lrs.toml' may hold passwords or keys and is never copied into a package",
     "remove the link: anyone who can open the course can read every file in it"),
    ("[settings](.env)", {"modules/one/.env": "A=1\n"},
     "'.env' may hold passwords or keys and is never copied into a package",
     "remove the link: anyone who can open the course can read every file in it"),
    ("[notes](.notes/a.txt)", {"modules/one/.notes/a.txt": "x\n"},
     "'.notes/a.txt' is a hidden file; hidden files are never copied into a package",
     "rename it without the leading dot if it belongs in the course"),
    ("[page](page.html)", {"modules/one/page.html": "<script>alert(1)</script>"},
     "'page.html' is a HTML file, which can run script in the LMS's window; packages never "
     "carry one", "link to the page on the web (https://...) or make it a PDF"),
    ("[code](tool.js)", {"modules/one/tool.js": "alert(1)"},
     "'tool.js' is a JS file, which can run script in the LMS's window; packages never carry one",
     "link to the page on the web (https://...) or make it a PDF"),
    ("[data](data.json)", {"modules/one/data.json": "{}"},
     "'data.json' is not a file type packages may carry (.json)",
     "use one of: aac, avif, csv, docx, gif, jpeg, jpg, m4a, m4v, mp3, mp4, odp, ods, odt, oga, "
     "ogg, ogv, opus, pdf, png, pptx, svg, txt, vtt, wav, webm, webp, xlsx"),
    ("[notes](notes.txt)", {"modules/one/notes.txt": f"Ask IT.\nauth: basic {TOKEN}\n"},
     "'notes.txt' line 2 looks like LRS credentials; files holding a key or secret are never "
     "copied into a package", "remove the credentials from the file"),
    ("[figures](figures.csv)",
     {"modules/one/figures.csv": "a,b\n1,https://key:secret@lrs.example.org/xapi/\n"},
     "'figures.csv' line 2 looks like LRS credentials; files holding a key or secret are never "
     "copied into a package", "remove the credentials from the file"),
])
def test_links_copy_only_allowed_files(tmp_path: Path, link: str, files: dict[str, str],
                                       message: str, hint: str) -> None:
    root = write(tmp_path / "c", {"modules/one/module.yaml": module(f'"{link}"'), **files})
    column = 15 + len('"') + link.index("(") + 1  # the link's target, inside the quoted text
    assert run(root, tmp_path) == (1, [
        f"modules/one/module.yaml:7:{column}: error: block 'one-a-1' (text): body: {message}",
        f"    hint: {hint}", "1 error(s), 0 warning(s); nothing was written."])


def test_credentials_inside_an_office_document_are_found(tmp_path: Path) -> None:
    docx = tmp_path / "guide.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", '<w:document><w:p><w:r><w:t>Bearer </w:t></w:r>'
                         '<w:r><w:t>eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl</w:t></w:r></w:p>'
                         '</w:document>')
    root = write(tmp_path / "c", {"modules/one/module.yaml": module('"[Guide](guide.docx)"'),
                                  "modules/one/guide.docx": docx.read_bytes()})
    assert run(root, tmp_path)[1][0] == (
        "modules/one/module.yaml:7:24: error: block 'one-a-1' (text): body: 'guide.docx' "
        "(word/document.xml) line 1 looks like LRS credentials; files holding a key or secret "
        "are never copied into a package")


def test_captions_with_credentials_are_refused(tmp_path: Path) -> None:
    root = write(tmp_path / "c", {
        "modules/one/module.yaml": """\
            title: M
            pages:
              - id: a
                title: A
                blocks:
                  - {type: media, kind: video, src: clip.mp4, captions: clip.vtt}
            """,
        "modules/one/clip.mp4": b"\x00\x00\x00\x18ftypmp42",
        "modules/one/clip.vtt": f"WEBVTT\n\n00:00.000 --> 00:01.000\nBearer {TOKEN}0\n"})
    code, lines = run(root, tmp_path)
    assert code == 1
    assert lines[0] == ("modules/one/module.yaml:6:61: error: block 'one-a-1' (media): captions: "
                        "'clip.vtt' line 4 looks like LRS credentials; files holding a key or "
                        "secret are never copied into a package")


def test_an_image_shared_by_modules_outside_their_folders_works(tmp_path: Path) -> None:
    logo = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    root = write(tmp_path / "c", {
        "modules/one/module.yaml": module('"![Logo](../../common/logo.svg) and [the leaflet]'
                                          '(../../common/leaflet.pdf#page=2)"'),
        "common/logo.svg": logo, "common/leaflet.pdf": b"%PDF-1.4\n%%EOF\n"})
    assert run(root, tmp_path)[0] == 0
    names = package_names(tmp_path)
    assert {"media/_course/common/logo.svg", "media/_course/common/leaflet.pdf"} <= names
    (first, *_) = sorted((tmp_path / "out").glob("*.zip"))
    page = zipfile.ZipFile(first).read("index.html").decode()
    assert 'src="media/_course/common/logo.svg"' in page
    assert 'href="media/_course/common/leaflet.pdf#page=2"' in page


# --- 3. credentials in any field, any case ----------------------------------------------------

def test_credentials_are_found_in_titles_descriptions_and_every_field(tmp_path: Path) -> None:
    root = write(tmp_path / "c", {
        "course.yaml": COURSE_YAML.replace(
            "description: A course for tests.",
            f"description: \"see https://key:secret@lrs.example.org/\"\nkeywords: [basic {TOKEN}]"
        ).replace("keywords: [testing]\n", ""),
        "modules/one/module.yaml": f"""\
            title: "Key BASIC {TOKEN}"
            description: "bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"
            pages:
              - id: a
                title: "auth=Basic%20{TOKEN}"
                blocks:
                  - type: text
                    body: "COURSE_BUILDER_LRS_PASSWORD=hunter2hunter2"
                  - type: text
                    body: "Basic life support, a bearer of bad news and a basic introduction."
            """})
    code, lines = run(root, tmp_path)
    assert code == 1
    assert lines == [
        "course.yaml:4:14: error: course.yaml: description looks like LRS credentials; packages "
        "must never hold an LRS key or secret", HINT_CRED,
        "course.yaml:5:12: error: course.yaml: keywords[0] looks like LRS credentials; packages "
        "must never hold an LRS key or secret", HINT_CRED,
        "modules/one/module.yaml:1:8: error: title looks like LRS credentials; packages must "
        "never hold an LRS key or secret", HINT_CRED,
        "modules/one/module.yaml:2:14: error: description looks like LRS credentials; packages "
        "must never hold an LRS key or secret", HINT_CRED,
        "modules/one/module.yaml:5:12: error: pages[0].title looks like LRS credentials; "
        "packages must never hold an LRS key or secret", HINT_CRED,
        "modules/one/module.yaml:8:15: error: pages[0].blocks[0].body looks like LRS "
        "credentials; packages must never hold an LRS key or secret", HINT_CRED,
        "6 error(s), 0 warning(s); nothing was written."]


# --- 5. YAML aliases --------------------------------------------------------------------------

def billion_laughs(levels: int = 9, width: int = 10) -> str:
    """The classic alias bomb: ``width`` ** ``levels`` copies of a string, in about 13 KB."""
    lines = ['a: &a ["' + "lol" * 4100 + '"]']
    for i in range(1, levels + 1):
        name, previous = f"l{i}", "a" if i == 1 else f"l{i - 1}"
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("text", "expected"), [
    (billion_laughs(), "modules/one/module.yaml:6:5: error: YAML aliases (*name) expand this "
     "value to more than 200,000 values; refused, so that a small file cannot fill the "
     "computer's memory (an 'alias bomb')"),
    ("title: M\nloop: &x [*x]\n", "modules/one/module.yaml:2:7: error: an alias (*name) refers "
     "to the value that contains it, which would repeat for ever; YAML aliases may repeat a "
     "value, not nest it inside itself"),
    ("title: M\nm: &m {a: {b: *m}}\n", "modules/one/module.yaml:2:4: error: an alias (*name) "
     "refers to the value that contains it, which would repeat for ever; YAML aliases may "
     "repeat a value, not nest it inside itself"),
    ("title: M\nm: &m {<<: *m}\n", "modules/one/module.yaml:2:4: error: an alias (*name) refers "
     "to the value that contains it, which would repeat for ever; YAML aliases may repeat a "
     "value, not nest it inside itself"),
    ("title: M\ndeep: " + "[" * 100 + "]" * 100 + "\n",
     "modules/one/module.yaml:2:70: error: values are nested more than 64 levels deep"),
    ("title: !!int M\n", "modules/one/module.yaml:1:8: error: invalid YAML: cannot read this "
     "value as int"),
], ids=["billion-laughs", "recursive", "recursive-deeper", "recursive-merge", "deep", "bad-tag"])
def test_yaml_that_would_explode_or_loop_is_refused(tmp_path: Path, text: str,
                                                    expected: str) -> None:
    assert len(billion_laughs()) > 12_000  # the 13 KB bomb of the report
    root = write(tmp_path / "c", {"modules/one/module.yaml": text})
    assert run(root, tmp_path) == (1, [expected, "1 error(s), 0 warning(s); nothing was "
                                                 "written."])


# --- 6. characters, lengths, paths ------------------------------------------------------------

def test_control_characters_anywhere_are_located_errors(tmp_path: Path) -> None:
    root = write(tmp_path / "c", {
        "course.yaml": COURSE_YAML.replace("title: Test course", 'title: "Test\\vcourse"'),
        "modules/one/module.yaml": module('"Hi\\x1b[2J there"', '"right\\u202eleft"',
                                          title='"Mod\\0ule"', extra='"k\\x07ey": 1\n')})
    code, lines = run(root, tmp_path)
    assert code == 1
    assert lines == [
        "course.yaml:2:8: error: title: contains the control character U+000B (vertical tab), "
        "which cannot be shown to learners or stored in a package", HINT_CHAR,
        "modules/one/module.yaml:1:8: error: title: contains the control character U+0000 "
        "(NUL), which cannot be shown to learners or stored in a package", HINT_CHAR,
        "modules/one/module.yaml:2:12: error: the field name 'k\\x07ey' contains the control "
        "character U+0007 (bell)", HINT_CHAR,
        "modules/one/module.yaml:2:12: error: k\\x07ey: is not a known field",
        "modules/one/module.yaml:8:15: error: pages[0].blocks[0].body: contains the control "
        "character U+001B (escape), which cannot be shown to learners or stored in a package",
        HINT_CHAR,
        "modules/one/module.yaml:10:15: error: pages[0].blocks[1].body: contains the character "
        "U+202E (right-to-left override), which cannot be shown to learners or stored in a "
        "package", HINT_CHAR,
        "6 error(s), 0 warning(s); nothing was written."]


def test_a_raw_nul_byte_in_a_file_is_a_located_error(tmp_path: Path) -> None:
    root = write(tmp_path / "c", {"modules/one/module.yaml": b"title: M\npages:\n  - id: a\x00b\n"})
    assert run(root, tmp_path) == (1, [
        "modules/one/module.yaml:3:10: error: the file contains the control character U+0000 "
        "(NUL), which YAML does not allow; delete it (it often comes with text pasted from a "
        "PDF or a word processor)", "1 error(s), 0 warning(s); nothing was written."])


def test_a_300_character_version_is_a_located_error(tmp_path: Path) -> None:
    root = write(tmp_path / "c", {"course.yaml": COURSE_YAML.replace("1.0.0", "1." + "x" * 298)})
    assert run(root, tmp_path) == (1, [
        "course.yaml:3:10: error: version: string should have at most 40 characters (got "
        f"'1.{'x' * 298}')",
        "1 error(s), 0 warning(s); nothing was written."])


def test_a_file_that_is_not_utf8_is_a_located_error(tmp_path: Path) -> None:
    root = write(tmp_path / "c", {"modules/one/module.yaml": b"title: \xff\xfe\n"})
    assert run(root, tmp_path) == (1, ["modules/one/module.yaml: error: file is not UTF-8 text",
                                       "1 error(s), 0 warning(s); nothing was written."])


# --- 7. two course plugins, one type ----------------------------------------------------------

PLUGIN = '''
from course_builder.plugin import BlockModel, ContentType

class BannerBlock(BlockModel):
    words: str

class Banner(ContentType[BannerBlock]):
    name = "banner"
    model = BannerBlock
'''


def test_two_course_plugins_declaring_one_type_is_an_error_naming_both(tmp_path: Path) -> None:
    root = write(tmp_path / "c", {"plugins/alpha/plugin.py": PLUGIN,
                                  "plugins/beta/plugin.py": PLUGIN})
    assert run(root, tmp_path) == (1, [
        "plugins/beta/plugin.py: error: the course's plugins alpha/ and beta/ both declare the "
        "content type 'banner'",
        "    hint: give one of them another `name`, or remove plugins/beta/ or plugins/alpha/",
        "1 error(s), 0 warning(s); nothing was written."])


# --- 11. the accessibility contact, and every author link in templates ------------------------

@pytest.mark.parametrize("contact", [
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "http://example.org/a",
    "JAVASCRIPT:alert(1)", "mailto:", "ftp://example.org", "not an address",
])
def test_accessibility_contact_accepts_only_mail_https_and_phone(tmp_path: Path,
                                                                  contact: str) -> None:
    root = write(tmp_path / "c", {"course.yaml": COURSE_YAML + f"accessibility:\n  contact: "
                                                               f"'{contact}'\n"})
    assert run(root, tmp_path) == (1, [
        "course.yaml:9:12: error: accessibility.contact: must be an email address "
        f"(access@example.org) or a link starting https://, mailto: or tel: (got '{contact}')",
        "1 error(s), 0 warning(s); nothing was written."])


@pytest.mark.parametrize(("contact", "link"), [
    ("access@example.org", '<a href="mailto:access@example.org">access@example.org</a>'),
    ("mailto:access@example.org", '<a href="mailto:access@example.org">'),
    ("https://example.org/contact", '<a href="https://example.org/contact">'),
    ("tel:+44 20 7946 0000", '<a href="tel:+44 20 7946 0000">'),
])
def test_accessibility_contact_links(tmp_path: Path, contact: str, link: str) -> None:
    root = write(tmp_path / "c", {"course.yaml": COURSE_YAML + f"accessibility:\n  contact: "
                                                               f"'{contact}'\n"})
    assert run(root, tmp_path)[0] == 0
    (first, *_) = sorted((tmp_path / "out").glob("*.zip"))
    assert link in zipfile.ZipFile(first).read("accessibility.html").decode()


@pytest.mark.parametrize(("url", "safe"), [
    ("https://example.org", "https://example.org"), ("mailto:a@b.org", "mailto:a@b.org"),
    ("tel:111", "tel:111"), ("media/one/a.pdf", "media/one/a.pdf"), ("#top", "#top"),
    ("javascript:alert(1)", ""), (" JavaScript:alert(1)", ""), ("java\tscript:alert(1)", ""),
    ("\x01javascript:alert(1)", ""), ("data:text/html,x", ""), ("vbscript:x", ""),
    ("//evil.example/x", ""), ("\\\\evil.example\\x", ""), (None, ""), ("", ""),
])
def test_safe_href_lets_only_followable_links_through(url: str | None, safe: str) -> None:
    assert safe_href(url) == safe


def test_a_statistics_csv_with_credentials_is_refused_though_it_is_not_copied(
        tmp_path: Path) -> None:
    root = write(tmp_path / "c", {
        "modules/one/module.yaml": """\
            title: M
            pages:
              - id: a
                title: A
                blocks:
                  - type: statistics
                    id: attendances
                    title: Attendances
                    data: figures.csv
                    unit: attendances
                    source: Hospital episode statistics
                    as_of: 2026-01-31
            """,
        "modules/one/figures.csv": f"period,value\n2025-12,10\n2026-01,12 basic {TOKEN}\n"})
    code, lines = run(root, tmp_path)
    assert code == 1
    assert lines[0] == ("modules/one/module.yaml:9:15: error: block 'attendances' "
                        "(statistics): data: 'figures.csv' line 3 looks like LRS credentials; "
                        "files holding a key or secret are never copied into a package")
