"""The course owner's evaluation collector for the tests: a second, separate Ralph, with Ralph's
own scope checks on and the accounts a real owner would create (docs/evaluation-collector.md):

- ``WRITER``: scopes ``["statements/write"]``, the key published inside packages. Ralph itself
  refuses it every read (``RALPH_LRS_RESTRICT_BY_SCOPES``);
- ``READER``: scopes ``["statements/read"]``, the owner's key for ``course-builder report
  --collector``; it cannot write;
- the usual test account (scopes ``["all"]``), which ``collector.statements()`` reads with.

It is not the learners' LRS (the ``lrs`` fixture): nothing a learner's package sends to its LMS or
LRS can arrive here, and nothing sent here can reach the LMS.

Use it with ``from tests.lrs.collector import collector  # noqa: F401`` and a test argument
``collector`` (a :class:`~tests.lrs.ralph.Ralph`, started once per session). Serve browser courses
on ``collector.course_port``: Ralph 5.1 answers CORS only for origins listed when it starts (it
takes no wildcard), exactly as a real collector must list, or be put behind a proxy for, the LMS
origins that host the course.
"""

from __future__ import annotations

import pytest

from tests.lrs.ralph import Ralph, session_ralph

WRITER = ("course-evaluations", "collector-writer-key")
READER = ("evaluation-reports", "collector-reader-key")
# bcrypt (4 rounds) of the two passwords above.
_HASHES = {
    WRITER[0]: "$2b$04$CuJ940bX9I7/CJWUikNIC.wVHhZvAmoZ8UAb1CDAij/xbnaX1GOpy",
    READER[0]: "$2b$04$9ErBZwUHpR7fFfThU28pGeKoucMb3bPIhgJrAAXqXYGeD4j53LNjS",
}
USERS = [
    {"username": WRITER[0], "hash": _HASHES[WRITER[0]], "scopes": ["statements/write"],
     "agent": {"mbox": "mailto:evaluation-writer@example.org"}},
    {"username": READER[0], "hash": _HASHES[READER[0]], "scopes": ["statements/read"],
     "agent": {"mbox": "mailto:evaluation-reports@example.org"}},
]

_COLLECTOR = pytest.StashKey["Ralph | str"]()


@pytest.fixture(scope="session")
def collector(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Ralph:
    """The collector Ralph (started once per session, stopped at the end). Tests that need it
    empty call ``collector.clear()``."""
    return session_ralph(request.config, tmp_path_factory, _COLLECTOR, "collector",
                         users=USERS, restrict_by_scopes=True)
