"""``course-builder report --collector``: the course owner's evaluation results, read from the
evaluation collector that course.yaml names, for every package and organisation together.

It reads with the owner's READ key, never the write-only key published in the packages. That
key is taken from ``COURSE_BUILDER_COLLECTOR_USERNAME`` and ``_PASSWORD``, or from a TOML file
(``--config``, ``$COURSE_BUILDER_COLLECTOR_CONFIG``, else ``~/.config/course-builder/
collector.toml``) with ``username`` and ``password`` (and ``endpoint``, when the owner reads
through another address than the one packages write to; ``COURSE_BUILDER_COLLECTOR_ENDPOINT``
too). Before reading, it tries a read with the published key and says loudly if the collector
allows it: then anyone holding a package could read every answer.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_builder.collector import XAPI_VERSION, auth_header
from course_builder.config import CourseConfig
from course_builder.errors import CourseBuilderError
from course_builder.model import Course
from course_builder.report import html, tables
from course_builder.report.evaluation import Results, course_items
from course_builder.report.http_client import HttpError, HttpStatusError, JsonClient, Limits
from course_builder.report.lrs import LRSSettings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ENV_PREFIX = "COURSE_BUILDER_COLLECTOR_"
CONFIG_ENV = "COURSE_BUILDER_COLLECTOR_CONFIG"
KEYS = ("endpoint", "username", "password")


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "course-builder" / "collector.toml"


def read_settings(config: CourseConfig, path: Path | None = None) -> LRSSettings:
    """The owner's read access to the collector (see the module docstring)."""
    collector = config.evaluation.collector
    if collector is None:
        raise CourseBuilderError("course.yaml names no evaluation collector (evaluation."
                                 "collector), so there is nothing to read; see "
                                 "docs/evaluation-collector.md.")
    values: dict[str, str] = {"endpoint": collector.endpoint}
    sources = ["course.yaml"]
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV))
    path = path or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV)
                    else default_config_path())
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise CourseBuilderError(f"{path}: {exc}") from exc
        if isinstance(data.get("collector"), dict):
            data = data["collector"]
        unknown = sorted(set(data) - set(KEYS))
        if unknown:
            raise CourseBuilderError(f"{path}: unknown setting(s) {', '.join(unknown)}; "
                                     f"expected {', '.join(KEYS)}")
        values.update({k: str(v) for k, v in data.items()})
        sources.append(str(path))
    elif explicit:
        raise CourseBuilderError(f"Collector config file not found: {path}")
    for key in KEYS:
        if os.environ.get(ENV_PREFIX + key.upper()):
            values[key] = os.environ[ENV_PREFIX + key.upper()]
            sources.append(ENV_PREFIX + key.upper())
    if not values.get("username"):
        raise CourseBuilderError(
            "No read key for the evaluation collector. Set COURSE_BUILDER_COLLECTOR_USERNAME "
            f"and _PASSWORD, or write them in {default_config_path()} or a file given with "
            "--config: the key of an account that may read statements (docs/reports.md). The "
            "key in course.yaml cannot read: it only writes.")
    if values["username"] == collector.username:
        raise CourseBuilderError(
            f"'{collector.username}' is the write-only account whose key is published in the "
            "packages: it cannot read. Use the owner's own read key (docs/reports.md).")
    endpoint = values["endpoint"].strip()
    return LRSSettings(endpoint.rstrip("/") + "/", values["username"],
                       values.get("password") or None, ", ".join(sources))


def check_published_key(config: CourseConfig, limits: Limits | None = None) -> html.KeyCheck:
    """Try to read one statement with the key published in the packages; the collector must
    refuse. A key that can read would let anyone with a package read every answer."""
    collector = config.evaluation.collector
    assert collector is not None
    client = JsonClient(collector.endpoint,
                        {"Authorization": auth_header(config) or "",
                         "X-Experience-API-Version": XAPI_VERSION},
                        service="the evaluation collector", limits=limits)
    try:
        client.get_json("statements", {"limit": "1"})
    except HttpStatusError as exc:
        if exc.status in (401, 403):
            return html.KeyCheck(False, "Checked: the key published in the packages cannot read "
                                        f"the collector (it answered HTTP {exc.status}).")
        return html.KeyCheck(False, "Could not check whether the key published in the packages "
                                    f"can read the collector (it answered HTTP {exc.status}).")
    except HttpError as exc:
        return html.KeyCheck(False, "Could not check whether the key published in the packages "
                                    f"can read the collector ({exc}).")
    return html.KeyCheck(True, (
        f"Warning: the key published in the packages ('{collector.username}') can READ the "
        "collector: anyone who opens a package can read every answer. Create an account that "
        "may only write statements (docs/evaluation-collector.md), put its key in course.yaml, "
        "rebuild and replace the packages, then remove this account's right to read."))


@dataclass
class CollectorReport:
    results: Results
    key_check: html.KeyCheck | None
    files: list[Path] = field(default_factory=list)


def write_collector_report(statements: Iterable[Any], course: Course, out_dir: Path,
                           filters: list[tuple[str, str]] | None = None, source: str = "",
                           key_check: html.KeyCheck | None = None,
                           each: Callable[[], None] | None = None) -> CollectorReport:
    """Check and count ``statements`` (any iterable, consumed once) against the course's own
    evaluation questions; write evaluation.csv, evaluation-groups.csv and report.html."""
    results = Results(course.config.id, course_items(course))
    for statement in statements:
        results.add(statement)
        if each is not None:
            each()
    files = tables.write_collector_csvs(results, out_dir)
    page = html.render_collector(results, course.config.title, filters or [], source,
                                 key_check)
    (out_dir / "report.html").write_text(page, encoding="utf-8")
    files.append(out_dir / "report.html")
    return CollectorReport(results, key_check, files)
