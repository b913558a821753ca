"""``course-builder report``: completions, question and evaluation figures from an LRS."""

from __future__ import annotations

import re
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from course_builder.commands._options import course_dir_argument, course_dir_or_default
from course_builder.errors import CourseBuilderError
from course_builder.report.aggregate import parse_timestamp
from course_builder.report.http_client import Limits
from course_builder.report.lrs import MAX_PAGES
from course_builder.targets._xapi import variant_iri
from course_builder.yamlsource import YamlError, load_yaml

_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _course(course_dir: Path) -> dict[str, Any]:
    """``id``, ``title`` and ``language`` from course.yaml; the statements give the rest."""
    path = course_dir / "course.yaml"
    try:  # the build's own reader: same YAML rules (1.2 booleans), same limits and messages
        data = load_yaml(path)
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        where = f"{exc.location.display()}: " if isinstance(exc, YamlError) else ""
        raise CourseBuilderError(f"Cannot read the course id from {path}: {where}{exc}. "
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
              "(default ~/.config/course-builder/lrs.toml; with --collector, "
              "~/.config/course-builder/collector.toml).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=Limits.read_timeout,
              show_default=True, help="Seconds to wait for the LRS to answer a request.")
@click.option("--connect-timeout", type=click.FloatRange(min=0.1),
              default=Limits.connect_timeout, show_default=True,
              help="Seconds to wait for a connection to the LRS.")
@click.option("--retries", type=click.IntRange(min=0), default=Limits.retries,
              show_default=True, help="Times to try again after a 5xx or 429 answer or, once "
              "the LRS has answered, a network failure.")
@click.option("--max-pages", type=click.IntRange(min=1), default=MAX_PAGES,
              show_default=True, help="Stop (writing nothing) after this many pages.")
@click.option("--progress/--no-progress", default=None,
              help="Show a running count on standard error (default: only on a terminal).")
@click.option("--variant", metavar="ID",
              help="Only one variant of the course (variants: in course.yaml): its statements "
              "from the LRS, or with --collector, its own evaluation collector's answers.")
@click.option("--collector", "from_collector", is_flag=True,
              help="Read the anonymous evaluation answers from the course's evaluation "
              "collector (evaluation.collector in course.yaml) with the owner's read key, and "
              "write evaluation.csv, evaluation-groups.csv and report.html.")
def report_command(course_dir: Path | None, out_dir: Path, course_id: str | None,
                   since: str | None, until: str | None, registration: str | None,
                   config: Path | None, timeout: float, connect_timeout: float, retries: int,
                   max_pages: int, progress: bool | None, variant: str | None,
                   from_collector: bool) -> None:
    """Pull a course's statements from an LRS and write completions.csv, questions.csv,
    evaluation.csv and a self-contained report.html with charts.

    The LRS is given by COURSE_BUILDER_LRS_ENDPOINT, _USERNAME and _PASSWORD, or by a config
    file: never on the command line. With --collector, the course owner's evaluation results
    come from the course's evaluation collector instead. See docs/reports.md."""
    limits = Limits(connect_timeout=connect_timeout, read_timeout=timeout, retries=retries)
    shown = Progress(sys.stderr.isatty() if progress is None else progress)
    if from_collector:
        if course_id is not None or registration is not None:
            raise click.UsageError("--collector reads the course's own files (not --course-id), "
                                   "and anonymous answers have no --registration.")
        source = click.get_current_context().get_parameter_source("config")
        if source is click.core.ParameterSource.ENVIRONMENT:
            config = None  # COURSE_BUILDER_LRS_CONFIG names the LRS's file, not the collector's
        _collector_report(course_dir_or_default(course_dir), out_dir, since, until, config,
                          limits, max_pages, shown, variant)
        return
    # Imported here: `course-builder build` never pays for the report's modules.
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
                                                 ("of registration", registration),
                                                 ("of variant", variant)) if value]
    # A variant's statements all hold its own activity in their context (docs/variants.md).
    about = course_id if variant is None else variant_iri(course_id, variant)
    started = time.perf_counter()
    shown.say(f"Asking the LRS at {settings.endpoint} for statements...")
    pulled = statements(settings, about, since_at, until_at, registration,
                        on_page=shown.page, limits=limits, max_pages=max_pages,
                        notify=shown.warn)
    try:
        result = write_report(pulled, course_id, out_dir, title=str(course.get("title") or ""),
                              language=course.get("language"), filters=filters,
                              source=urlsplit(settings.endpoint).netloc,
                              units=module_units(course) if course else None)
    except OSError as exc:
        raise _unwritable(out_dir, exc) from exc
    finally:
        shown.done()
    data = result.data
    totals = data.totals()
    click.echo(f"Read {data.statements:,} statements in {time.perf_counter() - started:.1f} s: "
               f"{totals['learners']} learners, {totals['completed']} completed, "
               f"{totals['passed']} passed, {totals['failed']} failed.")
    for path in result.files:
        click.echo(f"  wrote {path}")


class Progress:
    """A running count of statements on standard error: rewritten in place on a terminal, a
    line at most every 2 s elsewhere (``--progress`` into a log). Retries are always shown."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.terminal = sys.stderr.isatty()
        self.count = 0
        self.pages = 0
        self.last = 0.0
        self.pending = False  # a count line without its newline yet

    def page(self, statements: int) -> None:
        self.count += statements
        self.pages += 1
        now = time.monotonic()
        if not self.enabled or now - self.last < (0.1 if self.terminal else 2.0):
            return
        self.last = now
        text = f"Reading statements: {self.count:,} so far, page {self.pages:,}"
        if self.terminal:
            click.echo(f"\r{text}", nl=False, err=True)
            self.pending = True
        else:
            click.echo(text, err=True)

    def say(self, message: str) -> None:
        if self.enabled:
            click.echo(message, err=True)

    def warn(self, message: str) -> None:
        self._end_line()
        click.echo(f"warning: {message}", err=True)

    def done(self) -> None:
        self._end_line()

    def _end_line(self) -> None:
        if self.pending:
            click.echo("", err=True)
            self.pending = False


def _unwritable(out_dir: Path, exc: OSError) -> CourseBuilderError:
    """A full disk, a read-only folder, a file in the way: said plainly."""
    return CourseBuilderError(f"cannot write the report into {out_dir}: {exc.strerror or exc}"
                              + (f" ({exc.filename})" if exc.filename else ""))


def _collector_report(course_dir: Path, out_dir: Path, since: str | None, until: str | None,
                      config: Path | None, limits: Limits, max_pages: int,
                      shown: Progress, variant: str | None = None) -> None:
    """``report --collector``: see course_builder/report/collector.py. With ``variant``, that
    variant's course: its own collector, its own questions."""
    from course_builder.commands.build import check_course, load_course
    from course_builder.diagnostics import Reporter
    from course_builder.report.collector import (
        check_published_key,
        read_settings,
        write_collector_report,
    )
    from course_builder.report.evaluation import MIN_GROUP
    from course_builder.report.lrs import statements

    if variant is None:
        course = load_course(course_dir, Reporter())
    else:
        course = check_course(course_dir, Reporter(), variants=[variant],
                              render=False).units[0].course
    settings = read_settings(course.config, config)
    since_at, until_at = _moment(since, "--since"), _moment(until, "--until")
    key_check = check_published_key(course.config, limits)
    if key_check.danger:
        click.echo(key_check.message, err=True)
    filters = [(name, value) for name, value in (("after", since_at), ("up to", until_at),
                                                 ("of variant", variant)) if value]
    started = time.perf_counter()
    shown.say(f"Asking the evaluation collector at {settings.endpoint} for statements...")
    pulled = statements(settings, course.config.id, since_at, until_at, on_page=shown.page,
                        limits=limits, max_pages=max_pages, notify=shown.warn)
    try:
        result = write_collector_report(pulled, course, out_dir, filters,
                                        urlsplit(settings.endpoint).netloc, key_check)
    except OSError as exc:
        raise _unwritable(out_dir, exc) from exc
    finally:
        shown.done()
    results = result.results
    left_out = sum(results.ignored.values())
    click.echo(f"Read {results.statements:,} statements in {time.perf_counter() - started:.1f} "
               f"s: {results.count} response{'' if results.count == 1 else 's'}, {left_out} "
               f"statement{'' if left_out == 1 else 's'} left out."
               + ("" if results.shown else
                  f" Figures appear once there are {MIN_GROUP} responses."))
    if not key_check.danger:
        click.echo(key_check.message)
    for path in result.files:
        click.echo(f"  wrote {path}")
