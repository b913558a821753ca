"""Where the statements come from: an LRS's credentials, and its statements page by page.

Credentials are read from environment variables or a TOML file, never from the command line
(a password typed there stays in the shell's history and shows in the process list):

``COURSE_BUILDER_LRS_ENDPOINT``, ``COURSE_BUILDER_LRS_USERNAME``, ``COURSE_BUILDER_LRS_PASSWORD``
override the file's ``endpoint``, ``username`` and ``password``. The file is ``--config``, else
``$COURSE_BUILDER_LRS_CONFIG``, else ``~/.config/course-builder/lrs.toml`` (or under
``$XDG_CONFIG_HOME``) when it exists.

Statements are fetched with the ``tincan`` library's :class:`~tincan.RemoteLRS` (HTTP Basic
authentication, the ``X-Experience-API-Version`` header, ``more`` links resolved against the
server's root as xAPI 1.0.3 Communication 2.1.3 says). Each page's JSON is read as plain
dictionaries rather than through ``tincan``'s typed ``StatementsResult``: that costs about
0.5 ms a statement (60 times more than the JSON itself) and fails a whole page on one statement
it does not model.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from tincan import RemoteLRS
from tincan.http_request import HTTPRequest

from course_builder.errors import CourseBuilderError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ENV_PREFIX = "COURSE_BUILDER_LRS_"
CONFIG_ENV = "COURSE_BUILDER_LRS_CONFIG"
KEYS = ("endpoint", "username", "password")
TIMEOUT = 120.0  # seconds for one page; an LRS answering slower than that is not answering
RETRIES = 3  # network errors and 5xx answers are tried again, after 1, 2 and 4 seconds


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
    """The LRS could not be reached or refused a request."""


class StatementPager(RemoteLRS):  # type: ignore[misc]
    """``tincan``'s RemoteLRS, reading statement pages as plain JSON (see the module doc)."""

    def page(self, resource: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        request = HTTPRequest(method="GET", resource=resource)
        request.query_params = params or {}
        for attempt in range(RETRIES + 1):
            problem = self._try(request)
            if isinstance(problem, dict):
                return problem
            retry, message = problem
            if not retry or attempt == RETRIES:
                raise LRSError(message)
            time.sleep(2 ** attempt)
        raise AssertionError("unreachable")

    def _try(self, request: HTTPRequest) -> dict[str, Any] | tuple[bool, str]:
        try:
            response = self._send_request(request)
        except OSError as exc:  # refused, reset, timed out, no such host
            return True, f"Cannot reach the LRS at {self.endpoint}: {exc}"
        status = response.response.status
        if response.success:
            try:
                page = json.loads(response.data)
            except ValueError:
                return False, f"The LRS at {self.endpoint} did not answer with JSON."
            if not isinstance(page, dict) or not isinstance(page.get("statements"), list):
                return False, f"The LRS at {self.endpoint} did not answer with a StatementResult."
            return page
        data = response.data or ""
        body = (data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data))[:300]
        if status in (401, 403):
            return False, (f"The LRS refused these credentials (HTTP {status}); check "
                           "COURSE_BUILDER_LRS_USERNAME and _PASSWORD or the config file.")
        return status >= 500, f"The LRS answered HTTP {status}: {body}"

    def more_resource(self, more: str) -> str:
        """A ``more`` IRL as a URL: relative to the server root (xAPI), or absolute."""
        if more.startswith(("http://", "https://")):
            return more
        if more.startswith("/"):
            return self.get_endpoint_server_root() + more
        return urljoin(self.endpoint, more)


def statements(settings: LRSSettings, activity: str | None = None,
               since: str | None = None, until: str | None = None,
               registration: str | None = None,
               on_page: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Every statement matching the filters, one page in memory at a time.

    ``activity`` asks for the statements about that activity *or with it in their context*
    (``related_activities``): the course's pages, questions and evaluation answers all carry
    the course in ``contextActivities.grouping``."""
    credentials = ({"username": settings.username, "password": settings.password or ""}
                   if settings.username else {})
    lrs = StatementPager(endpoint=settings.endpoint, **credentials)
    params: dict[str, Any] = {}
    if activity:
        params.update(activity=activity, related_activities="true")
    if since:
        params["since"] = since
    if until:
        params["until"] = until
    if registration:
        params["registration"] = registration
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(TIMEOUT)  # tincan opens its connections without a timeout
    try:
        page = lrs.page("statements", params)
        seen_more: set[str] = set()
        while True:
            yield from page["statements"]
            if on_page is not None:
                on_page(len(page["statements"]))
            more = page.get("more")
            if not isinstance(more, str) or not more or more in seen_more:
                return
            seen_more.add(more)  # an LRS that hands back the same link would loop forever
            if len(seen_more) > 1000:
                seen_more.clear()
            page = lrs.page(lrs.more_resource(more))
    finally:
        socket.setdefaulttimeout(previous)
