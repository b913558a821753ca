"""Modules shipped as Python packages (entry point group ``course_builder.modules``)."""

from __future__ import annotations

import sys
import zipfile

import pytest

from course_builder.commands.build import build, load_course
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseInvalid
from tests.conftest import errors_of

COURSE = """\
id: https://example.org/courses/with-plugin-module
title: With a plugin module
version: 1.0.0
modules: [one, nice-update]
"""

PLUGIN_MODULE = """\
title: What changed in the guidance
pages:
  - id: changes
    title: What changed
    blocks:
      - type: text
        body: "![A timeline](images/timeline.svg)"
"""


class _Dist:
    name, version = "nhs-extra-modules", "1.2.0"


def _install_fake_package(tmp_path, monkeypatch):
    """A real importable package on sys.path, announced through a stand-in entry point."""
    package = tmp_path / "site" / "nhs_extra_modules" / "nice_update"
    (package / "images").mkdir(parents=True)
    (package.parent / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "module.yaml").write_text(PLUGIN_MODULE)
    (package / "images" / "timeline.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    for name in [n for n in sys.modules if n.startswith("nhs_extra_modules")]:
        monkeypatch.delitem(sys.modules, name)  # each test imports its own copy

    class EntryPoint:
        name = "nice-update"
        dist = _Dist()

        def load(self):
            __import__("nhs_extra_modules.nice_update")
            return sys.modules["nhs_extra_modules.nice_update"]

    import course_builder.pipeline.load as load_module
    monkeypatch.setattr(load_module, "entry_points",
                        lambda group: [EntryPoint()] if group == "course_builder.modules" else [])


def test_installed_module_is_used_like_a_folder(write_course, tmp_path, monkeypatch):
    _install_fake_package(tmp_path, monkeypatch)
    root = write_course({"course.yaml": COURSE})
    course = load_course(root, Reporter())
    module = course.modules[1]
    assert module.slug == "nice-update"
    assert module.origin == "entry point 'nice-update' from nhs-extra-modules 1.2.0"
    assert [p.id for p in module.pages] == ["nice-update/changes"]
    (_, path, _), *_ = build(root, tmp_path / "out", ["scorm12"]).packages
    names = zipfile.ZipFile(path).namelist()
    assert "media/nice-update/images/timeline.svg" in names


def test_installed_module_may_not_reach_outside_its_folder(write_course, tmp_path, monkeypatch):
    _install_fake_package(tmp_path, monkeypatch)
    (tmp_path / "site" / "secret.svg").write_text("<svg/>")
    module_yaml = tmp_path / "site" / "nhs_extra_modules" / "nice_update" / "module.yaml"
    module_yaml.write_text(PLUGIN_MODULE.replace("images/timeline.svg", "../../secret.svg"))
    root = write_course({"course.yaml": COURSE})
    with pytest.raises(CourseInvalid) as caught:
        build(root, tmp_path / "out", ["scorm12"])
    (error,) = caught.value.diagnostics
    assert "'../../secret.svg' points outside the course folder" in error.message


def test_unknown_module_names_both_places_looked(write_course):
    root = write_course({"course.yaml": COURSE})
    (error,) = errors_of(root)
    assert error == ("course.yaml:4:16: error: module 'nice-update' not found: no "
                     "modules/nice-update/module.yaml and no installed module plugin of that name")
