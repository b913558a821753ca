"""A real LRS for the tests: Ralph (``ralph-malph`` 5.1.0) on 127.0.0.1, started once per session.

Use it from a test module with ``from tests.lrs.ralph import lrs  # noqa: F401`` and a test
argument ``lrs``. The object it yields:

- ``endpoint``: ``http://127.0.0.1:<port>/xAPI/`` (statements at ``endpoint + "statements"``)
- ``username``, ``password``, ``auth_header`` (``"Basic ..."``)
- ``course_port``: a free port chosen up front; Ralph allows CORS from
  ``http://127.0.0.1:<course_port>`` and ``http://localhost:<course_port>`` (``cors_origins``),
  so serve a browser course on that port
- ``statements(**filters)``: every matching statement, following ``more`` links. Filters:
  ``agent`` (dict), ``registration``, ``verb``, ``activity``, ``related_activities``, ``since``,
  ``until``, ``ascending``. Oldest stored first unless ``ascending=False``.
- ``post(statements)`` / ``put(statement)``: store statements (ids returned)
- ``request(method, path_or_url, body=None, params=None, headers=None)``: raw HTTP, returns
  ``(status, headers, body bytes)``
- ``clear()``: forget every stored statement (between tests)
- ``validate(statement)``: problems found by xapi-validation (npm), see tests/lrs/validate.py
- ``as_user(username, password)``: the same Ralph seen with another account's credentials

A Ralph may be started with more accounts and with Ralph's own scope checks switched on
(``start_ralph(..., users=[...], restrict_by_scopes=True)``: RALPH_LRS_RESTRICT_BY_SCOPES, which
Ralph 5.1 accepts only with RALPH_LRS_RESTRICT_BY_AUTHORITY): then an account whose ``scopes``
are only ``["statements/write"]`` can store statements and Ralph itself refuses it any read.
tests/lrs/collector.py starts such a Ralph as the course owner's evaluation collector.

Ralph runs from its own virtual environment (scripts/install-ralph; the fixture runs that script
itself when the venv is missing or out of date) with the filesystem backend fixed by
tests/lrs/ralph_backend (appends instead of failing on the second write; verb and activity
filters that work; xAPI order across ``more`` pages). If Ralph cannot be installed or started,
every test using it FAILS with the reason; none is skipped.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.lrs import validate as _validate

REPO = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = REPO / "scripts" / "install-ralph"
VENV = Path(os.environ.get("COURSE_BUILDER_RALPH_VENV")
            or Path.home() / ".cache" / "course_builder" / "ralph-venv")
BACKEND = "course_builder_fs"  # entry point name in tests/lrs/ralph_backend/pyproject.toml
USERNAME = "course-builder-tests"
PASSWORD = "course-builder-tests"
# bcrypt of PASSWORD with 4 rounds (the minimum): checked on every request, so keep it cheap.
PASSWORD_HASH = "$2b$04$xQNV/ElRmi3V1ryrMFQQLuqJeskFevOVPUiBBAMdjF4ltOBx9rXs."
XAPI_VERSION = "1.0.3"
START_TIMEOUT = 90.0  # seconds; start-up takes 7-14 s on a quiet machine
LRS_FILE = "fs_lrs.jsonl"  # FSLRSBackendSettings.DEFAULT_LRS_FILE


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def install() -> Path:
    """Run scripts/install-ralph (idempotent) and return Ralph's python; fail the test if not."""
    try:
        env = {**os.environ, "COURSE_BUILDER_RALPH_VENV": str(VENV)}
        done = subprocess.run(["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True,
                              timeout=900, check=False, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.fail(f"Ralph could not be installed (scripts/install-ralph): {exc}")
    if done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).strip().splitlines()[-30:])
        pytest.fail(f"Ralph could not be installed: scripts/install-ralph exited with "
                    f"{done.returncode}:\n{output}")
    return VENV / "bin" / "python"


@dataclass
class Ralph:
    """A running Ralph; see the module docstring."""

    directory: Path
    port: int = field(default_factory=free_port)
    course_port: int = field(default_factory=free_port)
    max_page: int = 100
    process: subprocess.Popen[bytes] | None = None
    started_in: float = 0.0

    username: str = USERNAME
    password: str = PASSWORD
    #: Extra accounts for the auth file: dicts with username, hash (bcrypt), scopes, agent.
    users: list[dict[str, Any]] = field(default_factory=list)
    restrict_by_scopes: bool = False

    def as_user(self, username: str, password: str) -> Ralph:
        """This running Ralph, with requests sent under another account."""
        # No process: stopping the copy must never stop the server.
        return dataclasses.replace(self, username=username, password=password, process=None)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth_header(self) -> str:
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return f"Basic {token}"

    @property
    def cors_origins(self) -> list[str]:
        return [f"http://127.0.0.1:{self.course_port}", f"http://localhost:{self.course_port}"]

    @property
    def data_directory(self) -> Path:
        return self.directory / "data"

    @property
    def log_file(self) -> Path:
        return self.directory / "ralph.log"

    # --- life cycle ----------------------------------------------------------------------

    def start(self, python: Path) -> Ralph:
        app_dir = self.directory / "app"
        app_dir.mkdir(parents=True, exist_ok=True)
        self.data_directory.mkdir(parents=True, exist_ok=True)
        auth_file = app_dir / "auth.json"
        auth_file.write_text(json.dumps([{
            "username": self.username, "hash": PASSWORD_HASH, "scopes": ["all"],
            "agent": {"mbox": "mailto:lrs@example.org"},
        }, *self.users]), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_")}
        env.update({
            "RALPH_APP_DIR": str(app_dir),
            "RALPH_AUTH_FILE": str(auth_file),
            "RALPH_RUNSERVER_BACKEND": BACKEND,
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.data_directory),
            "RALPH_RUNSERVER_CORS_ALLOW_ORIGINS": json.dumps(self.cors_origins),
            "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": str(self.max_page),
            "PYTHONDONTWRITEBYTECODE": "1",
        })
        if self.restrict_by_scopes:
            # Ralph 5.1 (ralph/conf.py) refuses scopes without authority restriction.
            env.update({"RALPH_LRS_RESTRICT_BY_SCOPES": "true",
                        "RALPH_LRS_RESTRICT_BY_AUTHORITY": "true"})
        log = self.log_file.open("wb")
        began = time.monotonic()
        # No reloader (uvicorn's default is off); logs go to a file read back on failure.
        self.process = subprocess.Popen(
            [str(python), "-m", "uvicorn", "ralph.api:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=self.directory, start_new_session=True)
        log.close()
        while True:
            if self.process.poll() is not None:
                self._fail_start(f"Ralph exited with status {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.root + "/__heartbeat__", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() - began > START_TIMEOUT:
                self.stop()
                self._fail_start(f"Ralph did not answer /__heartbeat__ in {START_TIMEOUT:.0f} s")
            time.sleep(0.1)
        self.started_in = time.monotonic() - began
        return self

    def _fail_start(self, reason: str) -> None:
        try:
            tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-40:])
        except OSError:
            tail = "(no log)"
        pytest.fail(f"{reason} (port {self.port}, venv {VENV}). Its log:\n{tail}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def clear(self) -> None:
        """Forget every stored statement (the backend notices the file is gone)."""
        for path in self.data_directory.rglob(LRS_FILE):
            path.unlink()

    # --- HTTP ----------------------------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None,
                params: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """One request to Ralph with the test credentials. ``path`` is relative to the
        endpoint (``"statements"``), absolute (``"/xAPI/statements?..."``) or a full URL."""
        if path.startswith("http"):
            url = path
        elif path.startswith("/"):
            url = self.root + path
        else:
            url = self.endpoint + path
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        data = None
        sent = {"Authorization": self.auth_header, "X-Experience-API-Version": XAPI_VERSION}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        call = urllib.request.Request(url, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(call, timeout=60) as answer:
                return answer.status, dict(answer.headers.items()), answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers.items()), exc.read()

    def post(self, statements: dict[str, Any] | Iterable[dict[str, Any]]) -> list[str]:
        """POST statements (one or many, sent in batches of 500); their ids."""
        batch = [statements] if isinstance(statements, dict) else list(statements)
        ids: list[str] = []
        for start in range(0, len(batch), 500):
            status, _, body = self.request("POST", "statements", batch[start:start + 500])
            if status == 204:  # every statement was already stored
                continue
            assert status == 200, f"Ralph answered {status} to POST statements: {body[:500]!r}"
            ids += json.loads(body)
        return ids

    def put(self, statement: dict[str, Any]) -> int:
        """PUT one statement (it must have an ``id``); the HTTP status (204 when stored)."""
        status, _, _ = self.request("PUT", "statements", statement,
                                    params={"statementId": statement["id"]})
        return status

    def statements(self, agent: dict[str, Any] | None = None, registration: str | None = None,
                   verb: str | None = None, activity: str | None = None,
                   related_activities: bool | None = None, since: str | None = None,
                   until: str | None = None, ascending: bool = True) -> list[dict[str, Any]]:
        """Every stored statement matching the filters, following ``more`` links."""
        params: dict[str, str] = {"ascending": "true" if ascending else "false"}
        if agent is not None:
            params["agent"] = json.dumps(agent)
        for name, value in (("registration", registration), ("verb", verb),
                            ("activity", activity), ("since", since), ("until", until)):
            if value is not None:
                params[name] = str(value)
        if related_activities is not None:
            params["related_activities"] = "true" if related_activities else "false"
        found: list[dict[str, Any]] = []
        path = "statements?" + urllib.parse.urlencode(params)
        for _ in range(100_000):
            status, _, body = self.request("GET", path)
            assert status == 200, f"Ralph answered {status} to GET {path}: {body[:500]!r}"
            page = json.loads(body)
            found += page["statements"]
            more = page.get("more")
            if not more:
                return found
            path = more
        raise AssertionError("more than 100,000 pages of statements")

    def validate(self, statement: dict[str, Any]) -> list[str]:
        """Problems xapi-validation (npm) finds in a statement; empty when it is valid."""
        return _validate.validate(statement)


def start_ralph(directory: Path, max_page: int = 100,
                users: list[dict[str, Any]] | None = None,
                restrict_by_scopes: bool = False) -> Ralph:
    """Install (if needed) and start a Ralph in ``directory``; the caller must ``stop()`` it."""
    if shutil.which("bash") is None:
        pytest.fail("bash is needed to install Ralph")
    python = install()
    return Ralph(directory, max_page=max_page, users=list(users or []),
                 restrict_by_scopes=restrict_by_scopes).start(python)


_RALPH = pytest.StashKey["Ralph | str"]()


def session_ralph(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory,
                  key: pytest.StashKey[Ralph | str] = _RALPH, name: str = "ralph",
                  **options: Any) -> Ralph:
    """A session's Ralph (``key`` names which: the learners' LRS by default), started on first
    use with ``options`` for :func:`start_ralph` and stopped when the session ends. A failure
    to install or start is remembered, so every later test fails at once with it."""
    found = config.stash.get(key, None)
    if isinstance(found, str):
        pytest.fail(found)
    if found is None:
        try:
            found = start_ralph(tmp_path_factory.mktemp(name), **options)
        except pytest.fail.Exception as exc:
            config.stash[key] = str(exc)
            raise
        config.stash[key] = found
        config.add_cleanup(found.stop)
    return found


@pytest.fixture(scope="session")
def lrs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Ralph:
    """Ralph on 127.0.0.1 for the whole session (started once; stopped at the end).
    Tests that need an empty store call ``lrs.clear()`` first."""
    return session_ralph(request.config, tmp_path_factory)
