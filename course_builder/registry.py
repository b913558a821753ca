"""Finding content types: built-ins, a ``plugins/`` folder beside ``course.yaml``, entry points.

Collision rules (tested in tests/unit/test_registry.py):

* a course's own ``plugins/<name>/`` may override a built-in of the same name; the build says so
  with a note, because the author asked for it by putting the folder there;
* an installed package (entry point group ``course_builder.plugins``) may not shadow a built-in or
  another installed plugin: that is an error, since nobody chose it knowingly;
* a course's own plugin wins over an installed one, with a note;
* two of a course's own plugin folders declaring the same type is an error naming both, as
  neither was chosen over the other.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import sys
import traceback
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from pydantic import BaseModel

from course_builder.diagnostics import Reporter, SourceLocation
from course_builder.plugin import API_VERSION, BlockModel, ContentType

PLUGIN_ENTRY_POINTS = "course_builder.plugins"
MODULE_ENTRY_POINTS = "course_builder.modules"


def builtin_plugins_dir() -> Path:
    """Where the built-in plugin folders are: inside the wheel, or the source checkout's."""
    here = Path(__file__).resolve().parent
    packaged = here / "_builtin_plugins"
    return packaged if packaged.is_dir() else here.parent / "plugins"


@dataclass
class Registry:
    """The content types available to one course, by block ``type``."""

    types: dict[str, ContentType] = field(default_factory=dict)  # type: ignore[type-arg]

    def get(self, name: str) -> ContentType | None:  # type: ignore[type-arg]
        return self.types.get(name)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self.types.values(), key=lambda t: t.name))


def _module_from_path(path: Path, origin: str) -> ModuleType:
    """Import ``plugin.py`` by path under a private name, so folders need no __init__.py and no
    generic ``plugins`` package ever appears on sys.path (as datasette's module_from_path)."""
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    name = f"course_builder._loaded_plugins.{origin}_{path.parent.name}_{digest}".replace("-", "_")
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _content_types_in(module: ModuleType) -> list[type[ContentType]]:  # type: ignore[type-arg]
    return [
        obj for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, ContentType) and obj is not ContentType
        and obj.__module__ == module.__name__
    ]


def _instantiate(cls: type[ContentType], origin: str,  # type: ignore[type-arg]
                 folder: Path) -> ContentType:  # type: ignore[type-arg]
    problems = []
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        problems.append("has no `name`")
    model = getattr(cls, "model", None)
    if not (inspect.isclass(model) and issubclass(model, BaseModel)
            and issubclass(model, BlockModel)):
        problems.append("`model` must be a subclass of course_builder.plugin.BlockModel")
    if cls.api_version != API_VERSION:
        problems.append(f"targets plugin API {cls.api_version}, this course-builder has "
                        f"{API_VERSION}")
    for kind, names in (("static", (*cls.scripts, *cls.styles)),
                        ("templates", (cls.template,) if cls.template else ())):
        for file in names:
            if not (folder / kind / file).is_file():
                problems.append(f"declares {kind}/{file}, which does not exist")
    if problems:
        raise TypeError("; ".join(problems))
    instance = cls()
    instance.folder = folder
    instance.origin = origin
    return instance


def _load_folder(folder: Path, origin: str, reporter: Reporter) -> list[ContentType]:  # type: ignore[type-arg]
    plugin_file = folder / "plugin.py"
    try:
        module = _module_from_path(plugin_file, origin.split()[0])
        classes = _content_types_in(module)
        if not classes:
            raise TypeError("defines no subclass of course_builder.plugin.ContentType")
        return [_instantiate(cls, origin, folder) for cls in classes]
    except Exception as exc:  # a broken plugin must not hide the others' errors
        reporter.error(
            f"plugin '{folder.name}' ({origin}) could not be loaded: "
            f"{type(exc).__name__}: {exc}",
            SourceLocation(plugin_file, _traceback_line(exc, plugin_file)),
        )
        return []


def _traceback_line(exc: BaseException, path: Path) -> int:
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename) == path:
            line = frame.lineno or 0
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename) == path:
        line = exc.lineno or 0
    return line


def _same_as_builtin(folder: Path) -> bool:
    """A checkout's plugins/ seen from an installed course-builder holds the built-ins again."""
    builtin = builtin_plugins_dir() / folder.name / "plugin.py"
    return builtin.is_file() and builtin.read_bytes() == (folder / "plugin.py").read_bytes()


def _plugin_folders(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if (p / "plugin.py").is_file())


def discover(course_root: Path | None, reporter: Reporter) -> Registry:
    """Build the registry for a course (``course_root`` None lists only shared plugins)."""
    registry = Registry()
    builtin_names: set[str] = set()
    for folder in _plugin_folders(builtin_plugins_dir()):
        for ct in _load_folder(folder, "built-in", reporter):
            registry.types[ct.name] = ct
            builtin_names.add(ct.name)

    for ep in sorted(entry_points(group=PLUGIN_ENTRY_POINTS), key=lambda e: e.name):
        dist = f"{ep.dist.name} {ep.dist.version}" if ep.dist else "unknown package"
        origin = f"entry point '{ep.name}' from {dist}"
        try:
            loaded = ep.load()
            classes = _content_types_in(loaded) if inspect.ismodule(loaded) else [loaded]
            if not classes or not all(inspect.isclass(c) and issubclass(c, ContentType)
                                      for c in classes):
                raise TypeError("must point to a ContentType subclass or a module defining one")
            found = [_instantiate(c, origin, Path(inspect.getfile(c)).parent) for c in classes]
        except Exception as exc:
            reporter.error(f"plugin '{ep.name}' ({origin}) could not be loaded: "
                           f"{type(exc).__name__}: {exc}")
            continue
        for ct in found:
            existing = registry.types.get(ct.name)
            if existing is not None:
                reporter.error(
                    f"plugin '{ct.name}' ({origin}) would shadow the {existing.origin} plugin of "
                    "the same name",
                    hint="uninstall one of them, or copy the plugin into your course's plugins/ "
                    "folder to override a built-in on purpose",
                )
                continue
            registry.types[ct.name] = ct

    local = course_root / "plugins" if course_root is not None else None
    # The bundled course sits beside the built-in plugins/ in a checkout: not a second copy.
    if local is not None and local.resolve() != builtin_plugins_dir().resolve():
        declared: dict[str, Path] = {}  # type name -> the course folder declaring it
        for folder in _plugin_folders(local):
            if _same_as_builtin(folder):
                continue
            for ct in _load_folder(folder, f"course folder {folder.name}/", reporter):
                first = declared.setdefault(ct.name, folder)
                if first != folder:
                    # Neither was chosen over the other: folder order is no choice.
                    reporter.error(
                        f"the course's plugins {first.name}/ and {folder.name}/ both declare "
                        f"the content type '{ct.name}'",
                        SourceLocation(folder / "plugin.py"),
                        hint=f"give one of them another `name`, or remove plugins/{folder.name}/"
                             f" or plugins/{first.name}/")
                    continue
                existing = registry.types.get(ct.name)
                if existing is not None:
                    reporter.note(f"the course's own plugin '{ct.name}' overrides the "
                                  f"{existing.origin} one", SourceLocation(folder / "plugin.py"))
                registry.types[ct.name] = ct
    return registry
