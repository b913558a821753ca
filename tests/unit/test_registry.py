"""Plugin discovery and the collision rules written in course_builder/registry.py."""

from __future__ import annotations

from course_builder.diagnostics import Level, Reporter
from course_builder.registry import builtin_plugins_dir, discover

LOCAL_PLUGIN = '''
from course_builder.plugin import BlockModel, ContentType

class BannerBlock(BlockModel):
    words: str

class Banner(ContentType[BannerBlock]):
    name = "banner"
    model = BannerBlock
    version = "2.1.0"
    template = "banner.html.j2"
'''


def _local_plugin(root, name="banner", source=LOCAL_PLUGIN, template="<p>{{ block.words }}</p>"):
    folder = root / "plugins" / name
    (folder / "templates").mkdir(parents=True)
    (folder / "plugin.py").write_text(source)
    (folder / "templates" / f"{name}.html.j2").write_text(template)
    return folder


def test_builtins_found_without_any_course():
    reporter = Reporter()
    registry = discover(None, reporter)
    assert {"text", "quiz"} <= set(registry.types)
    assert all(t.origin == "built-in" for t in registry)
    assert builtin_plugins_dir().name in ("plugins", "_builtin_plugins")


def test_course_folder_plugin_is_loaded_and_used(write_course, build_course):
    root = write_course({"modules/one/module.yaml": """\
        title: M
        pages:
          - id: a
            title: A
            blocks:
              - {type: banner, words: "Hello <there>"}
        """})
    _local_plugin(root)
    registry = discover(root, Reporter())
    assert registry.get("banner").origin == "course folder banner/"
    assert registry.get("banner").version == "2.1.0"
    (package, *_) = build_course(root, ["scorm12"])
    import zipfile
    assert "<p>Hello &lt;there&gt;</p>" in zipfile.ZipFile(package).read("index.html").decode()


def test_course_plugin_may_override_a_builtin_with_a_note(write_course):
    root = write_course()
    _local_plugin(root, "text", LOCAL_PLUGIN.replace('"banner"', '"text"')
                  .replace("banner.html.j2", "text.html.j2"))
    reporter = Reporter()
    registry = discover(root, reporter)
    assert registry.get("text").origin == "course folder text/"
    (note,) = [d for d in reporter.diagnostics if d.level is Level.NOTE]
    assert note.message == "the course's own plugin 'text' overrides the built-in one"
    assert not reporter.failed


def test_broken_plugin_is_named_with_its_origin_and_line(write_course):
    root = write_course()
    _local_plugin(root, "broken", "import nothing_by_this_name\n")
    reporter = Reporter()
    discover(root, reporter)
    (error,) = reporter.errors
    assert error.format(root) == (
        "plugins/broken/plugin.py:1: error: plugin 'broken' (course folder broken/) could not be "
        "loaded: ModuleNotFoundError: No module named 'nothing_by_this_name'")


def test_invalid_plugin_class_is_explained(write_course):
    root = write_course()
    source = LOCAL_PLUGIN.replace('template = "banner.html.j2"', 'template = "missing.html.j2"')
    _local_plugin(root, "banner", source)
    reporter = Reporter()
    discover(root, reporter)
    (error,) = reporter.errors
    assert error.message.endswith("TypeError: declares templates/missing.html.j2, which does "
                                  "not exist")


def test_entry_point_may_not_shadow_a_builtin(monkeypatch):
    import course_builder.registry as registry_module

    class FakeDist:
        name, version = "nhs-extra-blocks", "0.3"

    class FakeEntryPoint:
        name = "text"
        dist = FakeDist()

        def load(self):
            import importlib.util
            import sys
            import tempfile
            from pathlib import Path
            folder = Path(tempfile.mkdtemp()) / "text_override"
            (folder / "templates").mkdir(parents=True)
            (folder / "templates" / "text.html.j2").write_text("x")
            (folder / "plugin.py").write_text(LOCAL_PLUGIN.replace('"banner"', '"text"')
                                              .replace("banner.html.j2", "text.html.j2"))
            spec = importlib.util.spec_from_file_location("ep_text_override", folder / "plugin.py")
            module = importlib.util.module_from_spec(spec)
            sys.modules["ep_text_override"] = module
            spec.loader.exec_module(module)
            return module.Banner

    monkeypatch.setattr(registry_module, "entry_points",
                        lambda group: [FakeEntryPoint()] if group.endswith("plugins") else [])
    reporter = Reporter()
    registry = discover(None, reporter)
    assert registry.get("text").origin == "built-in"
    (error,) = reporter.errors
    assert error.message == ("plugin 'text' (entry point 'text' from nhs-extra-blocks 0.3) would "
                             "shadow the built-in plugin of the same name")
