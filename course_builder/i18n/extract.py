"""Collect the tool's own words into a gettext template (``.pot``): for translators, and for the
test that every word has a translation.

    python -m course_builder.i18n.extract              # course_builder/locale/course_builder.pot
    python -m course_builder.i18n.extract --plugin my_plugin/ -o my_plugin/locale/my_plugin.pot

It reads the words where they are written: ``{% trans %}`` and ``_()`` in Jinja templates
(Jinja's own extractor), ``_()``/``gettext()``/``N_()`` calls with a literal in Python, and the
messages of the runtime's and plugins' JavaScript (``runtime_messages.MESSAGES`` and each
plugin's ``messages``), whose key becomes the entry's ``msgctxt``. Entries are in a fixed
order and the file has no date, so it changes only when the words do.
"""

from __future__ import annotations

import argparse
import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import jinja2
import polib

from course_builder.i18n.runtime_messages import MESSAGES

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_FILE = PACKAGE_DIR / "locale" / "course_builder.pot"
_PYTHON_CALLS = {"_", "gettext", "N_", "pgettext", "ngettext"}
_JINJA = jinja2.Environment(extensions=["jinja2.ext.i18n"])
_BRACE = re.compile(r"\{\w+\}")
_PERCENT = re.compile(r"%\(\w+\)s")

Found = tuple[str | None, str, str | None, str, int]  # context, msgid, plural, file, line


def _templates(folder: Path, root: Path) -> Iterator[Found]:
    for path in sorted(folder.rglob("*.j2")):
        source = path.read_text(encoding="utf-8")
        # added to the environment by the i18n extension
        extract = _JINJA.extract_translations  # type: ignore[attr-defined]
        for line, _function, message in extract(source):
            where = path.relative_to(root).as_posix()
            if isinstance(message, tuple):  # ngettext: (singular, plural, ...)
                yield None, message[0], message[1], where, line
            elif isinstance(message, str):
                yield None, message, None, where, line


def _python(paths: Iterable[Path], root: Path) -> Iterator[Found]:
    for path in sorted(paths):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(root).as_posix()
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in _PYTHON_CALLS):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)
                     and isinstance(a.value, str)]
            if node.func.id == "pgettext" and len(texts) == 2:
                yield texts[0], texts[1], None, where, node.lineno
            elif node.func.id == "ngettext" and len(texts) >= 2:
                yield None, texts[0], texts[1], where, node.lineno
            elif node.func.id in ("_", "gettext", "N_") and len(texts) == 1:
                yield None, texts[0], None, where, node.lineno


def _messages(messages: dict[str, str], where: str) -> Iterator[Found]:
    for key in sorted(messages):
        yield key, messages[key], None, where, 0


def _plugin_messages(folder: Path, root: Path) -> Iterator[Found]:
    """A plugin's ``messages``, read from its plugin.py without running it."""
    path = folder / "plugin.py"
    if not path.is_file():
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        name = None
        messages: dict[str, str] = {}
        for statement in node.body:
            if isinstance(statement, ast.Assign | ast.AnnAssign):
                targets = statement.targets if isinstance(statement, ast.Assign) \
                    else [statement.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id == "name" and statement.value:
                        name = ast.literal_eval(statement.value)
                    if isinstance(target, ast.Name) and target.id == "messages" \
                            and statement.value:
                        messages = ast.literal_eval(statement.value)
        if name and messages:
            where = path.relative_to(root).as_posix()
            yield from ((f"{name}.{key}", text, None, where, 0)
                        for key, text in sorted(messages.items()))


def _flags(message: str) -> list[str]:
    if _PERCENT.search(message):
        return ["python-format"]
    if _BRACE.search(message):
        return ["python-brace-format"]
    return []


def catalog(found: Iterable[Found], project: str) -> polib.POFile:
    """A POT of everything found, one entry per (context, text), in first-seen order."""
    pot = polib.POFile(wrapwidth=0)
    pot.header = (f"The words {project} shows to learners.\n"
                  "Made by python -m course_builder.i18n.extract; do not edit by hand.")
    pot.metadata = {"Project-Id-Version": project, "MIME-Version": "1.0",
                    "Content-Type": "text/plain; charset=UTF-8",
                    "Content-Transfer-Encoding": "8bit"}
    entries: dict[tuple[str | None, str], polib.POEntry] = {}
    for context, message, plural, where, line in found:
        entry = entries.get((context, message))
        if entry is None:
            entry = polib.POEntry(msgctxt=context, msgid=message, msgstr="",
                                  flags=_flags(message))
            if plural:
                entry.msgid_plural = plural
                entry.msgstr_plural = {0: "", 1: ""}
            entries[(context, message)] = entry
            pot.append(entry)
        place = (where, str(line) if line else "")
        if place not in entry.occurrences:
            entry.occurrences.append(place)
    return pot


def tool_words(root: Path) -> polib.POFile:
    """Every word of course-builder and its built-in plugins (``root``: the source checkout)."""
    plugins = root / "plugins"
    found: list[Found] = []
    found += _templates(PACKAGE_DIR / "templates", root)
    found += _templates(plugins, root)
    found += _python([*PACKAGE_DIR.rglob("*.py"), *plugins.glob("*/plugin.py")], root)
    found += _messages(MESSAGES, "course_builder/i18n/runtime_messages.py")
    for folder in sorted(p for p in plugins.iterdir() if p.is_dir()):
        found += _plugin_messages(folder, root)
    return catalog(found, "course-builder")


def plugin_words(folder: Path) -> polib.POFile:
    """Every word of one plugin folder: its templates, plugin.py and messages."""
    found: list[Found] = [*_templates(folder / "templates", folder),
                          *_python([folder / "plugin.py"], folder),
                          *_plugin_messages(folder, folder)]
    return catalog(found, folder.name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plugin", type=Path, help="a plugin folder instead of course-builder")
    parser.add_argument("-o", "--out", type=Path, help="where to write the .pot")
    args = parser.parse_args(argv)
    if args.plugin:
        pot = plugin_words(args.plugin)
        out = args.out or args.plugin / "locale" / f"{args.plugin.name}.pot"
    else:
        pot = tool_words(PACKAGE_DIR.parent)
        out = args.out or TEMPLATE_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(str(pot), encoding="utf-8")
    print(f"{out}: {len(pot)} messages")
    # The catalogs beside it gain the new words (untranslated) and lose the gone ones, as
    # msgmerge does; translators then fill in what is empty.
    for path in sorted(out.parent.glob("*.po")):
        po = polib.pofile(str(path), wrapwidth=0)
        po.merge(pot)
        po.save(str(path))
        print(f"{path}: {po.percent_translated()}% translated")


if __name__ == "__main__":
    main()
