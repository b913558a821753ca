"""The open web build: the course as a static site anybody can open, with no LMS.

``index.html`` sits at the root of the zip beside its assets, so the unzipped folder can be
published as it is on any static host (an organisation's web server, GitHub or GitLab Pages, an
S3 bucket, Netlify); docs/getting-started.md says how. There is no manifest: nothing imports it.

Tracking uses the runtime's ``none`` adapter, which keeps the learner's place and answers in the
browser's localStorage, so a learner who closes the tab comes back to where they were. Nothing
leaves the browser but what the course's author set up on purpose (the evaluation collector,
configured in course.yaml). The page, its accessibility and its Content-Security-Policy are the
same as in every other package.
"""

from __future__ import annotations

from typing import ClassVar, get_args

from course_builder.i18n.words import N_
from course_builder.model import InteractionType
from course_builder.targets.base import Target


class Web(Target):
    """A static site: no LMS, progress kept in the learner's browser."""

    name = "web"
    label = "web (no LMS)"
    runtime_adapter = "none"
    # localStorage holds megabytes per site: no limit worth checking on saved state or bookmark.
    max_suspend_data = None
    max_location = None
    # Answers are only kept in the browser, so every kind of question can be used.
    supported_interactions: ClassVar[frozenset[str]] = frozenset(get_args(InteractionType))
    #: Shown at the foot of every page instead of "Not connected to a learning management
    #: system", which is true but means nothing to the public (runtime/core/boot.js).
    offline_notice: ClassVar[str] = N_("Your progress is saved in this browser only.")
