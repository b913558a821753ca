"""What every output format declares, like Sphinx builders: capabilities first, then files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from markupsafe import Markup

from course_builder.i18n.build import language_suffix
from course_builder.model import Course, Interaction


class Target:
    """An output format. Subclasses set the class attributes and write their manifest."""

    name: ClassVar[str]
    label: ClassVar[str]
    runtime_adapter: ClassVar[str]  # runtime/adapters/<name>.js
    #: Adapter helpers shipped before the adapter (runtime/adapters/), e.g. the SCORM API finder
    runtime_helpers: ClassVar[tuple[str, ...]] = ()
    max_suspend_data: ClassVar[int | None] = None
    max_location: ClassVar[int | None] = None
    supported_interactions: ClassVar[frozenset[str]] = frozenset()
    launch_file: ClassVar[str] = "index.html"
    #: Whether the package learns its LRS's address only at launch (xAPI, cmi5), so its
    #: Content-Security-Policy must let it contact any http(s) address. Other packages may
    #: contact only their own files and the evaluation collector (course_builder/collector.py).
    lrs_at_launch: ClassVar[bool] = False

    def file_name(self, course: Course) -> str:
        """``<course>-<version>[-<variant>][-<language>]-<format>.zip``: a variant's id
        (docs/variants.md), a language other than the course's source (i18n/build.py)."""
        variant = f"-{course.variant.id}" if course.variant else ""
        return (f"{course.config.slug}-{course.config.version}{variant}"
                f"{language_suffix(course.config)}-{self.name}.zip")

    def interaction_data(self, interaction: Interaction) -> dict[str, Any]:
        """The runtime's description of one interaction for this format."""
        return {"id": interaction.id, "type": interaction.type,
                "description": interaction.description, "scored": interaction.scored,
                "anonymous": interaction.anonymous, "scormType": None, "patterns": []}

    def runtime_extra(self, course: Course) -> dict[str, Any]:
        """Entries this format adds to the course JSON the runtime reads (xAPI's activities)."""
        return {}

    def render_files(self, resolved: Resolved, content: RenderedContent) -> dict[str, bytes] | None:
        """The package's files when this format is not the course's screens and runtime (the
        printed handout lays the course out itself); None lets ``render`` build the pages."""
        return None

    def extra_files(self, course: Course, files: list[str]) -> dict[str, bytes]:
        """Manifests and descriptors, given every other file's path in the package."""
        return {}


@dataclass
class RenderedContent:
    """What ``render_content`` makes once for every format: page bodies, each block's data for
    its script, and the static files the course's blocks use."""

    pages: list[Markup]
    blocks: list[dict[str, Any]]
    files: dict[str, Path] = field(default_factory=dict)
    plugin_scripts: list[str] = field(default_factory=list)
    plugin_styles: list[str] = field(default_factory=list)
    #: the built-in plugins' scripts and styles, which go into the package's one script and
    #: one stylesheet with the runtime (``render.bundle``); other plugins' keep their own files
    built_in: set[str] = field(default_factory=set)


@dataclass
class Resolved:
    """A course bound to a target by ``resolve``: the finished JSON the runtime reads for this
    format (all of it but the blocks' own data, in ``RenderedContent``), and the figures
    behind it."""

    course: Course
    target: Target
    runtime_data: dict[str, Any]
    max_state: int
    connect_src: str  # the page's Content-Security-Policy connect-src
