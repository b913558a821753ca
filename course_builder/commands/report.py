"""``course-builder report``: completions, question and evaluation figures from an LRS."""

from __future__ import annotations

import re
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
import yaml

from course_builder.commands._options import course_dir_argument, course_dir_or_default
from course_builder.errors import CourseBuilderError
from course_builder.report.aggregate import parse_timestamp

_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _course(course_dir: Path) -> dict[str, Any]:
    """``id``, ``title`` and ``language`` from course.yaml; the statements give the rest."""
    path = course_dir / "course.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CourseBuilderError(f"Cannot read the course id from {path}: {exc}. "
                                 "Give it with --course-id.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise CourseBuilderError(f"{path} has no id. Give the course id with --course-id.")
    return data


def _moment(value: str | None, option: str) -> str | None:
    """A date (``2026-01-01``, ``2026-01``: the start of that day or month, UTC) or an ISO 8601
    date and time, as the ISO timestamp the LRS wants."""
    if value is None:
        return None
    text = value.strip()
    if _DATE.match(text):
        return (text if len(text) == 10 else text + "-01") + "T00:00:00Z"
    moment = parse_timestamp(text)
    if moment is None or "T" not in text.upper().replace(" ", "T"):
        raise click.BadParameter(f"expected a date such as 2026-01-31 or a date and time such "
                                 f"as 2026-01-31T09:00:00Z, not {value!r}", param_hint=option)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ").replace(".000000Z", "Z")


@click.command("report")
@course_dir_argument
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("report"), show_default=True,
              help="Folder for completions.csv, questions.csv, evaluation.csv and report.html.")
@click.option("--course-id", help="The course's id (its activity IRI), instead of reading "
              "course.yaml.")
@click.option("--since", help="Only statements after this date (UTC), e.g. 2026-01-01.")
@click.option("--until", help="Only statements up to this date (UTC), e.g. 2027-01-01.")
@click.option("--registration", help="Only statements of one registration (a UUID).")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path),
              envvar="COURSE_BUILDER_LRS_CONFIG",
              help="TOML file with endpoint, username and password "
              "(default ~/.config/course-builder/lrs.toml).")
def report_command(course_dir: Path | None, out_dir: Path, course_id: str | None,
                   since: str | None, until: str | None, registration: str | None,
                   config: Path | None) -> None:
    """Pull a course's statements from an LRS and write completions.csv, questions.csv,
    evaluation.csv and a self-contained report.html with charts.

    The LRS is given by COURSE_BUILDER_LRS_ENDPOINT, _USERNAME and _PASSWORD, or by a config
    file: never on the command line. See docs/reports.md."""
    # Imported here: `course-builder build` never pays for the HTTP client (tincan).
    from course_builder.report import module_units, write_report
    from course_builder.report.lrs import LRSSettings, statements

    course: dict[str, Any] = {}
    if course_id is None:
        course = _course(course_dir_or_default(course_dir))
        course_id = str(course["id"])
    since_at, until_at = _moment(since, "--since"), _moment(until, "--until")
    if registration is not None:
        try:
            registration = str(uuid.UUID(registration))
        except ValueError as exc:
            raise click.BadParameter("expected a UUID", param_hint="--registration") from exc
    settings = LRSSettings.load(config, warn=lambda m: click.echo(f"warning: {m}", err=True))

    filters = [(name, value) for name, value in (("after", since_at), ("up to", until_at),
                                                 ("of registration", registration)) if value]
    started = time.perf_counter()
    pulled = statements(settings, course_id, since_at, until_at, registration)
    with click.progressbar(_counted(pulled), label="Reading statements", file=sys.stderr,
                           show_pos=True, update_min_steps=200) as bar:
        result = write_report(bar, course_id, out_dir, title=str(course.get("title") or ""),
                              language=course.get("language"), filters=filters,
                              source=urlsplit(settings.endpoint).netloc,
                              units=module_units(course) if course else None)
    data = result.data
    totals = data.totals()
    click.echo(f"Read {data.statements:,} statements in {time.perf_counter() - started:.1f} s: "
               f"{totals['learners']} learners, {totals['completed']} completed, "
               f"{totals['passed']} passed, {totals['failed']} failed.")
    for path in result.files:
        click.echo(f"  wrote {path}")


def _counted(items: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    # A generator (no len): click shows a count and a moving marker, as the total is unknown.
    yield from items
