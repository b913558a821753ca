"""``course-builder preview``: the course in a small LMS simulator that rebuilds as you save."""

from __future__ import annotations

import signal
import threading
import webbrowser
from pathlib import Path

import click

from course_builder.commands._options import (
    course_dir_argument,
    course_dir_or_default,
    example_option,
)


@click.command("preview")
@course_dir_argument
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=0,
              help="Port on 127.0.0.1 (default: a free one).")
@click.option("--open/--no-open", "open_browser", default=False,
              help="Open the preview in your web browser.")
@example_option
def preview_command(course_dir: Path | None, port: int, open_browser: bool,
                    example: bool) -> None:
    """See the course as a learner does, inside a small LMS simulator, while you edit it.

    The page shows the course as SCORM 1.2, SCORM 2004, cmi5 or with no LMS, with the tracking
    data the LMS receives beside it. Save a file and the page reloads with your change, on the
    page you were on; a mistake shows in the page and here, and the last good build stays up.
    Only this computer can open it (it listens on 127.0.0.1). Stop it with Ctrl+C."""
    # Imported here: `course-builder build` never loads the server or watchfiles.
    from course_builder.preview.server import PreviewServer
    from course_builder.preview.watch import watch

    course_dir = course_dir_or_default(course_dir, example)
    if not (course_dir / "course.yaml").is_file():
        raise click.ClickException(f"no course.yaml in {course_dir}\n    hint: make a course "
                                   "with: course-builder new course my-course")
    echo = lambda text: click.echo(text, err=True)  # noqa: E731
    try:
        server = PreviewServer(course_dir, port, echo=echo)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}; "
                                   "choose another --port, or leave it out for a free one") from exc
    server.rebuild()
    server.start()
    click.echo(f"Preview of {course_dir.resolve()} at {server.url}")
    click.echo("Rebuilds when you save a file. Stop with Ctrl+C.")
    if open_browser:
        webbrowser.open(server.url)

    def rebuild(plugins_changed: bool, _noticed: float) -> None:
        server.rebuild(plugins_changed)

    stop = threading.Event()
    # A terminal's Ctrl+C raises KeyboardInterrupt; a service manager's SIGTERM stops it the same.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        watch(course_dir, rebuild, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stop()
        click.echo("Preview stopped.")
