"""Where the statements come from: an LRS's credentials, and its statements page by page.

Credentials are read from environment variables or a TOML file, never from the command line
(a password typed there stays in the shell's history and shows in the process list):

``COURSE_BUILDER_LRS_ENDPOINT``, ``COURSE_BUILDER_LRS_USERNAME``, ``COURSE_BUILDER_LRS_PASSWORD``
override the file's ``endpoint``, ``username`` and ``password``. The file is ``--config``, else
``$COURSE_BUILDER_LRS_CONFIG``, else ``~/.config/course-builder/lrs.toml`` (or under
``$XDG_CONFIG_HOME``) when it exists.

Statements are fetched page by page with :class:`~course_builder.report.http_client.JsonClient`
(HTTP Basic authentication, the ``X-Experience-API-Version`` header, timeouts, retries, and
credentials that never leave the endpoint's server; that module says why not ``tincan``).
Each page's JSON is read as plain dictionaries: a typed model costs far more than the JSON
itself and fails a whole page on one statement it does not model.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_builder.errors import CourseBuilderError
from course_builder.report.http_client import (
    HttpError,
    HttpStatusError,
    JsonClient,
    Limits,
    basic_auth,
    terminal_safe,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ENV_PREFIX = "COURSE_BUILDER_LRS_"
CONFIG_ENV = "COURSE_BUILDER_LRS_CONFIG"
KEYS = ("endpoint", "username", "password")
XAPI_VERSION = "1.0.3"


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "course-builder" / "lrs.toml"


@dataclass(frozen=True)
class LRSSettings:
    endpoint: str
    username: str | None = None
    password: str | None = None
    source: str = ""  # where they came from, for messages (never the password itself)

    @classmethod
    def load(cls, config: Path | None = None,
             warn: Callable[[str], None] | None = None) -> LRSSettings:
        """Settings from the environment over the config file; raises CourseBuilderError
        saying what to set when there is no endpoint."""
        values: dict[str, str] = {}
        sources = []
        explicit = config is not None or bool(os.environ.get(CONFIG_ENV))
        path = config or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV)
                          else default_config_path())
        if path.is_file():
            values.update(_read_config(path, warn))
            sources.append(str(path))
        elif explicit:
            raise CourseBuilderError(f"LRS config file not found: {path}")
        for key in KEYS:
            env = os.environ.get(ENV_PREFIX + key.upper())
            if env:
                values[key] = env
                sources.append(ENV_PREFIX + key.upper())
        if not values.get("endpoint"):
            raise CourseBuilderError(
                "No LRS endpoint. Set COURSE_BUILDER_LRS_ENDPOINT (with _USERNAME and "
                f"_PASSWORD), or write them in {default_config_path()} or a file given with "
                "--config (see docs/reports.md).")
        endpoint = values["endpoint"].strip()
        if not endpoint.startswith(("http://", "https://")):
            raise CourseBuilderError(f"The LRS endpoint must be an http(s) URL, not {endpoint!r}")
        if "@" in endpoint.split("/")[2]:
            raise CourseBuilderError("Put the LRS user name and password in username and "
                                     "password, not in the endpoint URL.")
        return cls(endpoint.rstrip("/") + "/", values.get("username") or None,
                   values.get("password") or None, ", ".join(sources))


def _read_config(path: Path, warn: Callable[[str], None] | None) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CourseBuilderError(f"{path}: {exc}") from exc
    if isinstance(data.get("lrs"), dict):  # an [lrs] table is accepted too
        data = data["lrs"]
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise CourseBuilderError(f"{path}: unknown setting(s) {', '.join(unknown)}; "
                                 f"expected {', '.join(KEYS)}")
    if warn is not None and os.name == "posix" and data.get("password"):
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            warn(f"{path} holds a password and other users of this computer can read it: "
                 f"run chmod 600 {path}")
    return {k: str(v) for k, v in data.items()}


class LRSError(CourseBuilderError):
    """The LRS could not be reached, refused a request or sent something unusable."""


MAX_PAGES = 100_000  # 10 million statements at the usual 100 a page


def lrs_client(settings: LRSSettings, limits: Limits | None = None,
               notify: Callable[[str], None] | None = None) -> JsonClient:
    """A :class:`JsonClient` for the LRS: HTTP Basic credentials and the xAPI version header,
    sent to the endpoint's scheme, host and port only."""
    headers = {"X-Experience-API-Version": XAPI_VERSION}
    if settings.username:
        headers.update(basic_auth(settings.username, settings.password or ""))
    return JsonClient(settings.endpoint, headers, service="the LRS", limits=limits,
                      notify=notify)


def statements(settings: LRSSettings, activity: str | None = None,
               since: str | None = None, until: str | None = None,
               registration: str | None = None,
               on_page: Callable[[int], None] | None = None,
               limits: Limits | None = None, max_pages: int = MAX_PAGES,
               notify: Callable[[str], None] | None = None) -> Iterator[dict[str, Any]]:
    """Every statement matching the filters, one page in memory at a time.

    ``activity`` asks for the statements about that activity *or with it in their context*
    (``related_activities``): the course's pages, questions and evaluation answers all carry
    the course in ``contextActivities.grouping``.

    ``more`` links are followed only on the endpoint's own scheme, host and port (xAPI 1.0.3
    Data 2.4.2: "a relative IRL ... excluding scheme, host, and port"; an absolute link on
    the same server is accepted, one anywhere else is refused). A link seen before, or more
    than ``max_pages`` pages, raises :class:`LRSError` rather than loop for ever: the report
    would be incomplete, so none is written."""
    client = lrs_client(settings, limits, notify)
    params: dict[str, str] = {}
    if activity:
        params.update(activity=activity, related_activities="true")
    if since:
        params["since"] = since
    if until:
        params["until"] = until
    if registration:
        params["registration"] = registration
    page = _page(client, "statements", params)
    seen: set[bytes] = set()  # digests of the links followed: 16 bytes each
    pages = 1
    while True:
        yield from page["statements"]
        if on_page is not None:
            on_page(len(page["statements"]))
        more = page.get("more")
        if not isinstance(more, str) or not more.strip():
            return
        digest = hashlib.blake2b(more.encode("utf-8", "replace"), digest_size=16).digest()
        if digest in seen:
            raise LRSError(f"The LRS sent a `more` link it had sent before "
                           f"({terminal_safe(more, 200)}) after {pages:,} pages: stopped, as "
                           "following it would loop for ever. No report was written; the LRS "
                           "has a paging fault to report to whoever runs it.")
        if pages >= max_pages:
            raise LRSError(f"The LRS still had more statements after {pages:,} pages "
                           f"(--max-pages): stopped. No report was written; narrow the "
                           "period with --since and --until, or raise --max-pages.")
        seen.add(digest)
        try:
            url = client.resolve(more)
        except HttpError as exc:
            raise LRSError(f"{exc} No report was written.") from None
        page = _page(client, url)
        pages += 1


def _page(client: JsonClient, link: str, params: dict[str, str] | None = None
          ) -> dict[str, Any]:
    try:
        page = client.get_json(link, params)
    except HttpStatusError as exc:
        if exc.status in (401, 403):
            raise LRSError(f"The LRS refused these credentials (HTTP {exc.status}); check "
                           "COURSE_BUILDER_LRS_USERNAME and _PASSWORD or the config file.") \
                from None
        raise LRSError(str(exc)) from None
    except HttpError as exc:
        raise LRSError(str(exc)) from None
    if not isinstance(page, dict) or not isinstance(page.get("statements"), list):
        raise LRSError(f"The LRS at {client.base_url} did not answer with a StatementResult.")
    return page
