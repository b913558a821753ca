"""Release checks on ``course.yaml``'s ``release:`` section: who signed this version off, and
whether it is due for review.

A course on a clinical subject goes to a trust only after named people have reviewed it (a
clinical reviewer, a lived-experience reviewer) and with a date by which it must be checked again
against its sources. The rules, reported at the line of ``course.yaml`` they concern:

- ``next_review`` in the past: a warning (an error with ``--strict``), whatever the status.
- ``status: release`` with no reviewer, or with a reviewer who has no ``name`` or no
  ``signed_off`` date: a warning each, so ``--strict`` refuses to build an unsigned release.
- ``status: draft``: a note naming the sign-offs still pending. It never fails a build, and the
  course's about page (``accessibility.html``) says the same to everyone who opens it.
- ``signed_off`` after today: an error (a sign-off cannot be in the future).

"Today" is the system date, or ``COURSE_BUILDER_TODAY`` (``YYYY-MM-DD``) for tests and
reproducible builds (see ``course_builder.dates``).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from course_builder import dates
from course_builder.config import CourseConfig
from course_builder.diagnostics import Reporter, SourceLocation
from course_builder.yamlsource import locate


def check_release(config: CourseConfig, raw_config: Any, config_path: Path,
                  reporter: Reporter) -> None:
    """Report the release rules above for one course (nothing when it has no ``release:``)."""
    release = config.release
    if release is None:
        return
    fallback = SourceLocation(config_path, 1, 1)

    def where(*parts: str | int) -> SourceLocation:
        return locate(raw_config, ("release", *parts), fallback)

    today = _today(reporter, where())
    if release.next_review < today:
        reporter.warning(
            f"release.next_review: this version was due for review on "
            f"{dates.long_date(release.next_review)}; check the course against its sources "
            "again and set the next review date",
            where("next_review"),
            hint="--strict refuses to build a course that is past its review date")
    for index, reviewer in enumerate(release.reviewers):
        if reviewer.signed_off is not None and reviewer.signed_off > today:
            reporter.error(f"release.reviewers[{index}].signed_off: "
                           f"{reviewer.signed_off.isoformat()} is in the future (today is "
                           f"{today.isoformat()})", where("reviewers", index, "signed_off"))
    pending = [(i, r) for i, r in enumerate(release.reviewers) if not r.done]
    if release.status == "draft":
        waiting = ", ".join(f"{r.area} ({r.role})" for _, r in pending) or "none listed"
        reporter.note(f"release.status: this is a draft, not a signed-off release; sign-off "
                      f"still pending: {waiting}", where("status"))
        return
    if not release.reviewers:
        reporter.warning("release.reviewers: a release needs the names of the people who "
                         "signed it off, and none are listed", where("status"),
                         hint="list each reviewer (area, role, name, signed_off), or set "
                         "`status: draft` until they have signed it off")
    for index, reviewer in pending:
        missing = " and ".join(field for field, value in (("name", reviewer.name),
                                                          ("signed_off", reviewer.signed_off))
                               if value is None)
        reporter.warning(f"release.reviewers[{index}]: the {reviewer.area} reviewer has not "
                         f"signed this release off (no {missing})", where("reviewers", index),
                         hint="add their name and the date they signed it off, or set "
                         "`status: draft` until they have")


def _today(reporter: Reporter, location: SourceLocation) -> datetime.date:
    try:
        return dates.today()
    except ValueError as exc:
        reporter.error(f"environment variable {dates.TODAY_VARIABLE}='{exc}' is not a date in "
                       "the form YYYY-MM-DD", location)
        return datetime.date.today()
