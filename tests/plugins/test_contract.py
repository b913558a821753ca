"""A contract every discovered plugin must keep: its example builds strictly for every SCORM
format, its interactions map to every format, its model yields a JSON Schema for editors, and its
saved-state bound is honest enough to decode."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from course_builder.registry import discover
from course_builder.targets import TARGETS
from tests.bundles import shipped

PLUGINS = sorted(discover(None, Reporter()).types.values(), key=lambda t: t.name)
SCORM = ["scorm12", "scorm2004", "scorm2004-3rd"]


def _example_course(plugin, tmp_path: Path) -> Path:
    root = tmp_path / plugin.name
    module = root / "modules" / "example"
    module.mkdir(parents=True)
    example = (plugin.folder / "example.yaml").read_text(encoding="utf-8")
    page = "\n".join("    " + line if line.strip() else line for line in example.splitlines())
    (module / "module.yaml").write_text(f"title: Example\npages:\n  -\n{page}\n", encoding="utf-8")
    for extra in plugin.folder.iterdir():  # files the example refers to (CSV, images...)
        if extra.is_dir() and extra.name not in ("templates", "static", "__pycache__"):
            shutil.copytree(extra, module / extra.name)
    # Blocks an example marks `required: true` are listed in completion.require, as an author would.
    blocks = yaml.safe_load(example).get("blocks", [])
    required = [b["id"] for b in blocks if b.get("required") is True and b.get("id")]
    # One support contact, as any course that shows a `support` block lists (there is no
    # default), and a course-level destination for anonymous answers, as a real course has: a
    # form whose answers would reach nobody may not be required (plugins/evaluation).
    (root / "course.yaml").write_text(
        "id: https://example.org/courses/contract\ntitle: Contract\nversion: 1.0.0\n"
        "organisation: Example Organisation\n"
        f"modules: [example]\ncompletion:\n  require: {json.dumps(required)}\n"
        "support:\n  - {name: Your team leader, contact: Ask at the start of your shift}\n"
        "evaluation:\n  collector:\n    endpoint: https://evaluations.example.org/xAPI/\n"
        "    username: writer\n    write_only_key: only-writes\n    write_only: true\n",
        encoding="utf-8")
    return root


def test_every_builtin_has_the_expected_files():
    names = {p.name for p in PLUGINS}
    assert {"text", "quiz"} <= names
    for plugin in PLUGINS:
        assert (plugin.folder / "example.yaml").is_file(), plugin.name
        assert (plugin.folder / "README.md").is_file(), plugin.name
        assert plugin.model.__doc__, f"{plugin.name}: the block model needs a docstring"


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.name)
def test_example_builds_strictly_for_every_scorm_format(plugin, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2026-11-29")
    root = _example_course(plugin, tmp_path)
    result = build(root, tmp_path / "out", SCORM, strict=True)
    assert len(result.packages) == 3
    with zipfile.ZipFile(result.packages[0][1]) as package:
        html = package.read("index.html").decode()
        runs = shipped(package)
    assert f'data-type="{plugin.name}"' in html
    for script in plugin.scripts:
        assert f"assets/plugins/{plugin.name}/{script}" in runs


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.name)
def test_interactions_map_to_every_format(plugin, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_BUILDER_TODAY", "2026-11-29")
    course = load_course(_example_course(plugin, tmp_path), Reporter())
    for block in course.blocks:
        for interaction in block.plugin.interactions(block):
            for name in SCORM:
                target = TARGETS[name]()
                assert interaction.type in target.supported_interactions
                data = target.interaction_data(interaction)
                json.dumps(data)
                if interaction.correct and name == "scorm12":
                    assert data["patterns"] and all(len(p) <= 255 for p in data["patterns"])
        if block.plugin.max_state_chars(block):
            # decode_state must cope with the empty state a fresh learner has.
            json.dumps(block.plugin.decode_state(block, ""), default=str)


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.name)
def test_model_gives_a_json_schema(plugin):
    schema = plugin.model.model_json_schema()
    assert "type" in schema["properties"]
    assert schema.get("additionalProperties") is False
