"""Browser test harness: a package runs in headless Chromium inside a tiny test LMS.

The LMS is scorm-again (tests/e2e/node_modules, installed by ``npm ci`` in tests/e2e, which
scripts/test does). Pages live in tests/e2e/lms/: lms12.html puts ``window.API`` (scorm-again's
``Scorm12API``) and lms2004.html ``window.API_1484_11`` (``Scorm2004API``) on the top window,
record every API call in ``window.__calls`` and show the package's launch page in an iframe
titled "Course".

A site directory is served over http://127.0.0.1:<free port>/ with:
    /pkg/   the unzipped package (``unzip`` or ``make_site``)
    /lms/   the LMS pages, with node_modules/ beside them (``link_lms``, done by ``serve``)

Typical use::

    def test_x(page, tmp_path):
        make_site(tmp_path, "dist/course-scorm12.zip")
        with serve(tmp_path) as base_url:
            frame = open_in_lms(page, base_url, "1.2")
            frame.get_by_role("button", name="Next").click()
            assert calls(page)[0]["method"] == "LMSInitialize"
            assert run_axe(frame) == []

Fixtures (``browser``, ``page``) are re-exported by tests/e2e/conftest.py. The ``page`` fixture
records every request that is not to the loopback interface (the browser cannot reach anything
else), and fails the test at teardown if there was any (see ``blocked_requests``).

Nothing here skips: a missing Chromium or node_modules is a failure telling you to run
scripts/test.
"""

from __future__ import annotations

import contextlib
import email.policy
import functools
import http.server
import itertools
import json
import os
import re
import shutil
import threading
import weakref
import zipfile
from collections.abc import Iterator
from email.parser import BytesParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import pytest

from tests.e2e.moodle import MoodleLMS

E2E_DIR = Path(__file__).resolve().parent
LMS_DIR = E2E_DIR / "lms"
FIXTURES_DIR = E2E_DIR / "fixtures"
NODE_MODULES = E2E_DIR / "node_modules"
SCORM_AGAIN_DIST = NODE_MODULES / "scorm-again" / "dist"
SCORM12_JS = SCORM_AGAIN_DIST / "scorm12.min.js"  # defines global Scorm12API
SCORM2004_JS = SCORM_AGAIN_DIST / "scorm2004.min.js"  # defines global Scorm2004API
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Added on top of CHROMIUM_ARGS: Chromium resolves no host name but loopback ones, so not even a
# DNS prefetch leaves the machine.
ISOLATION_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
    "--dns-prefetch-disable",
]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
VERSIONS = ("1.2", "2004")
LMS_PAGES = {"1.2": "lms12.html", "2004": "lms2004.html"}
GET_LAST_ERROR = {"1.2": "LMSGetLastError", "2004": "GetLastError"}
ERROR_READERS = frozenset(
    {
        "LMSGetLastError",
        "LMSGetErrorString",
        "LMSGetDiagnostic",
        "GetLastError",
        "GetErrorString",
        "GetDiagnostic",
    }
)

SETUP_HINT = "run scripts/test (it installs Chromium from Debian and runs `npm ci` in tests/e2e)"


# --------------------------------------------------------------------------- prerequisites


def check_prerequisites() -> None:
    """Fail (never skip) when something the browser tests need is missing."""
    missing = []
    if not CHROMIUM.is_file():
        missing.append(f"Chromium at {CHROMIUM}")
    for path in (SCORM12_JS, SCORM2004_JS, AXE_JS):
        if not path.is_file():
            missing.append(str(path.relative_to(E2E_DIR.parent.parent)))
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright")
    if missing:
        pytest.fail(
            "browser tests cannot run, missing: " + "; ".join(missing) + f". To fix: {SETUP_HINT}.",
            pytrace=False,
        )


# --------------------------------------------------------------------------- files


def unzip(zip_path: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path:
    """Extract a package zip into ``dest`` (created if needed); refuse entries that escape it."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise ValueError(f"{zip_path}: unsafe path in zip: {name!r}")
            target = (root / name).resolve()
            if target != root and root not in target.parents:
                raise ValueError(f"{zip_path}: unsafe path in zip: {name!r}")
        zf.extractall(root)
    return dest


def link_lms(root_dir: str | os.PathLike[str]) -> Path:
    """Make ``root_dir/lms/`` hold the LMS pages and node_modules/ (as symlinks)."""
    if not NODE_MODULES.is_dir():
        pytest.fail(f"{NODE_MODULES} is missing. To fix: {SETUP_HINT}.", pytrace=False)
    lms = Path(root_dir) / "lms"
    lms.mkdir(parents=True, exist_ok=True)
    for src in list(LMS_DIR.iterdir()) + [NODE_MODULES]:
        link = lms / src.name
        if link.is_symlink() or link.exists():
            continue
        link.symlink_to(src, target_is_directory=src.is_dir())
    return lms


def make_site(
    root_dir: str | os.PathLike[str], package: str | os.PathLike[str] | None = None
) -> Path:
    """Lay out a site: ``package`` (a zip, or a directory to copy) under /pkg/, the LMS under /lms/."""
    root = Path(root_dir)
    root.mkdir(parents=True, exist_ok=True)
    if package is not None:
        package = Path(package)
        pkg = root / "pkg"
        if pkg.exists():
            shutil.rmtree(pkg)
        if package.is_dir():
            shutil.copytree(package, pkg)
        else:
            unzip(package, pkg)
    link_lms(root)
    return root


# --------------------------------------------------------------------------- server


class BaseURL(str):
    """The server's base URL (``http://127.0.0.1:PORT``, no trailing slash).

    ``.requests`` lists what the server answered: dicts with method, path, status.
    ``.moodle`` is the server side of the LMS's Moodle mode (``tests/e2e/moodle.py``): the
    attempts it stores, read with ``.moodle.attempt(learner, version).tracks``.
    """

    requests: list[dict[str, Any]]
    moodle: MoodleLMS

    def not_found(self) -> list[str]:
        """Paths the server answered with 404 (e.g. files the package refers to but lacks)."""
        return [r["path"] for r in self.requests if r["status"] == 404]


_EXTENSIONS: dict[str, str] = {
    **http.server.SimpleHTTPRequestHandler.extensions_map,
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".vtt": "text/vtt",
    ".xml": "application/xml",
    ".xsd": "application/xml",
}


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, directory: str, log: list[dict[str, Any]],
                 moodle: MoodleLMS, **kw: Any) -> None:
        self._log = log
        self._moodle = moodle
        self.extensions_map = _EXTENSIONS
        super().__init__(*args, directory=directory, **kw)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/favicon.ico":  # asked for by the browser, not by a package
            self.send_response(204)
            self.end_headers()
            return
        if self.path.startswith("/moodle/"):
            url = urlsplit(self.path)
            learner, query = unquote(url.path.split("/")[2]), dict(parse_qsl(url.query))
            launch = self._moodle.launch(learner, query["version"],
                                         query.get("newattempt") == "on")
            self._answer(200, json.dumps(launch).encode(), "application/json")
            return
        super().do_GET()

    def do_POST(self) -> None:  # noqa: N802
        """Moodle mode's store request (mod/scorm/datamodel.php): a form, url-encoded from a
        synchronous XMLHttpRequest or multipart from navigator.sendBeacon."""
        url = urlsplit(self.path)
        if not url.path.startswith("/moodle/") or not url.path.endswith("/store"):
            self._answer(405, b"", "text/plain")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        form = _form(self.headers.get("Content-Type") or "", body)
        unloading = form.pop("unloading", None) == "1"
        elements = {name.replace("__", "."): value for name, value in form.items()}
        query = dict(parse_qsl(url.query))
        self._moodle.store(unquote(url.path.split("/")[2]), query["version"],
                           int(query["attempt"]), query["call"], elements, unloading, len(body))
        self._answer(200, b"true\n0", "text/plain")

    def _answer(self, status: int, payload: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.path == "/favicon.ico":
            return  # the browser's own request, not one a package or the LMS made
        status = code.value if hasattr(code, "value") else code
        try:
            status = int(status)
        except (TypeError, ValueError):
            pass
        self._log.append({"method": self.command, "path": self.path, "status": status})

    def log_message(self, format: str, *args: Any) -> None:
        pass  # silent


def _form(content_type: str, body: bytes) -> dict[str, str]:
    """The fields of a url-encoded or multipart/form-data body."""
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        return {part.get_param("name", header="content-disposition"): part.get_content()
                for part in message.iter_parts()}
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def serve(
    root_dir: str | os.PathLike[str], moodle: MoodleLMS | None = None
) -> Iterator[BaseURL]:
    """Serve ``root_dir`` on 127.0.0.1 (free port) in a background thread; yield the base URL.

    The LMS is linked into ``root_dir/lms/`` if it is not there yet. ``moodle``: the Moodle
    activity the LMS's Moodle mode plays (settings such as "Force new attempt"); a default one
    otherwise.
    """
    root = Path(root_dir).resolve()
    link_lms(root)
    log: list[dict[str, Any]] = []
    moodle = moodle or MoodleLMS()
    handler = functools.partial(_Handler, directory=str(root), log=log, moodle=moodle)
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-http", daemon=True)
    thread.start()
    base = BaseURL(f"http://127.0.0.1:{server.server_address[1]}")
    base.requests = log
    base.moodle = moodle
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- browser fixtures

# Per-page records kept by the page fixture (or by guard_page for pages made elsewhere).
_BLOCKED: weakref.WeakKeyDictionary[Any, list[str]] = weakref.WeakKeyDictionary()
_CONSOLE: weakref.WeakKeyDictionary[Any, list[dict[str, str]]] = weakref.WeakKeyDictionary()
_PAGE_ERRORS: weakref.WeakKeyDictionary[Any, list[str]] = weakref.WeakKeyDictionary()


def is_loopback(url: str) -> bool:
    """True for URLs that stay on this machine (loopback HTTP/WS, data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return False
    host = (parts.hostname or "").lower()
    return host in LOOPBACK_HOSTS or host.startswith("127.")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    check_prerequisites()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS + ISOLATION_ARGS,
            # Safety net below the request routing: anything not to loopback goes to a dead
            # proxy (loopback itself always bypasses proxies in Chromium).
            proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost,[::1]"},
        )
        try:
            yield b
        finally:
            b.close()


def new_guarded_context(browser: Any, **context_options: Any) -> Any:
    """A browser context that records every non-loopback request of its pages.

    Nothing leaves the machine whatever a page asks for: the browser resolves no host name but
    loopback ones and sends everything else to a dead proxy (``browser``), so such a request
    fails at once; here it is only recorded (``blocked_requests``). HTTP requests are watched,
    not intercepted: Playwright's request interception answers CORS preflights itself and
    cannot finish them once a page has gone, so a ``fetch(..., {keepalive: true})`` sent while
    a page unloads (as the course and real LMS players do) would be lost under interception
    though a real browser delivers it. WebSockets to outside hosts are closed by a route.
    """
    context_options.setdefault("viewport", {"width": 1280, "height": 800})
    context_options.setdefault("service_workers", "block")
    context = browser.new_context(**context_options)
    blocked: list[str] = []
    context._e2e_blocked = blocked  # type: ignore[attr-defined]

    def watch(request: Any) -> None:
        if not is_loopback(request.url):
            blocked.append(request.url)

    context.on("request", watch)

    def ws_route(ws: Any) -> None:
        if is_loopback(ws.url):
            ws.connect_to_server()
        else:
            blocked.append(ws.url)
            ws.close()

    context.route_web_socket(re.compile(".*"), ws_route)
    return context


def guard_page(page: Any) -> Any:
    """Start recording console messages and uncaught errors of ``page``."""
    console: list[dict[str, str]] = []
    errors: list[str] = []
    _CONSOLE[page] = console
    _PAGE_ERRORS[page] = errors
    _BLOCKED[page] = getattr(page.context, "_e2e_blocked", [])
    page.on("console", lambda m: console.append({"type": m.type, "text": m.text}))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page in its own context; fails at teardown if it tried to leave 127.0.0.1
    (such requests fail: see ``new_guarded_context``)."""
    context = new_guarded_context(browser)
    p = guard_page(context.new_page())
    p.set_default_timeout(15_000)
    try:
        yield p
    finally:
        blocked = list(blocked_requests(p))
        context.close()
    if blocked:
        pytest.fail(
            "the page tried to reach outside 127.0.0.1 (blocked): " + ", ".join(blocked),
            pytrace=False,
        )


def blocked_requests(page: Any) -> list[str]:
    """URLs the page (any of its frames) tried to load from outside loopback; none got out.

    The list is live: a test that expects such a request may check and then ``.clear()`` it so
    the ``page`` fixture does not fail at teardown.
    """
    return _BLOCKED.setdefault(page, page.context.__dict__.get("_e2e_blocked", []))


def console_messages(page: Any, type: str | None = None) -> list[dict[str, str]]:
    """Console messages of the page and its frames (optionally only one type, e.g. "error")."""
    msgs = _CONSOLE.get(page, [])
    return [m for m in msgs if type is None or m["type"] == type]


def page_errors(page: Any) -> list[str]:
    """Uncaught exceptions thrown in the page or its frames."""
    return list(_PAGE_ERRORS.get(page, []))


# --------------------------------------------------------------------------- the LMS

_state_keys = itertools.count(1)


def lms_url(
    base_url: str,
    version: str,
    *,
    launch: str = "/pkg/index.html",
    state_key: str | None = None,
    log_level: int = 3,
    moodle: str | None = None,
    new_attempt: bool = False,
    lenient: bool = False,
    faults_key: str | None = None,
    own_window: bool = False,
) -> str:
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {VERSIONS}, not {version!r}")
    if not launch.startswith("/"):
        launch = "/" + launch
    url = f"{base_url.rstrip('/')}/lms/{LMS_PAGES[version]}?launch={quote(launch)}"
    url += f"&logLevel={int(log_level)}"
    if state_key is not None:
        url += f"&state={quote(state_key)}"
    if moodle is not None:
        url += f"&moodle={quote(moodle)}" + ("&newattempt=on" if new_attempt else "")
    if lenient:
        url += "&lenient=1"
    if faults_key is not None:
        url += f"&faults={quote(faults_key)}"
    if own_window:
        url += "&window=1"
    return url


def open_in_lms(
    page: Any,
    base_url: str,
    version: str,
    saved_state: dict[str, Any] | None = None,
    *,
    launch: str = "/pkg/index.html",
    lms_cmi: dict[str, Any] | None = None,
    log_level: int = 3,
    timeout: float = 15_000,
    moodle: str | None = None,
    new_attempt: bool = False,
    lenient: bool = False,
    faults: dict[str, dict[str, Any]] | None = None,
    own_window: bool = False,
) -> Any:
    """Open the test LMS for ``version`` ("1.2" or "2004") and return the course iframe's Frame.

    ``moodle``: a learner key: the LMS plays Moodle's SCORM player for that learner (the launch
    state comes from the server's attempts, each Commit and Terminate is one request with the
    whole data model; see lms/lms.js and moodle.py); ``new_attempt``: the learner ticked "Start
    a new attempt". ``lenient``: scorm-again without the LMS page's strict SCORM 1.2 checks.

    ``saved_state``: a flattened CMI dict (see ``saved_state_from``) loaded before the SCO's
    Initialize, as on a relaunch; entry is "resume" unless the dict says otherwise.
    ``lms_cmi``: flattened values the LMS supplies on any launch (e.g.
    ``{"cmi.student_data.mastery_score": "80"}``); on a first launch entry is "ab-initio".
    ``launch``: the SCO's launch page, relative to the server root.
    ``faults``: the LMS's API misbehaves: {method: rule} (see lms/lms.js, "Faults"), e.g.
    ``{"Commit": {"action": "false"}}``; change them later with ``set_faults``.
    ``own_window``: the LMS opens the course in a window of its own (``window.open``); the
    course's main frame is returned (its page: ``frame.page``).
    Waits until the launch page has loaded (not for the SCO to call Initialize: see
    ``wait_for_call``).
    """
    state: dict[str, Any] | None = None
    if saved_state is not None or lms_cmi:
        state = dict(lms_cmi or {})
        if saved_state is None:
            state.setdefault("cmi.core.entry" if version == "1.2" else "cmi.entry", "ab-initio")
        else:
            state.update(saved_state)
    key = None
    if state is not None:
        key = f"s{next(_state_keys)}"
        page.add_init_script(
            "window.__lmsStates = window.__lmsStates || {};"
            f"window.__lmsStates[{json.dumps(key)}] = {json.dumps(state)};"
        )
    faults_key = None
    if faults:
        faults_key = f"f{next(_state_keys)}"
        page.add_init_script(
            "window.__lmsFaultSets = window.__lmsFaultSets || {};"
            f"window.__lmsFaultSets[{json.dumps(faults_key)}] = {json.dumps(faults)};"
        )
    url = lms_url(base_url, version, launch=launch, state_key=key, log_level=log_level,
                  moodle=moodle, new_attempt=new_attempt, lenient=lenient,
                  faults_key=faults_key, own_window=own_window)
    if own_window:
        with page.expect_popup(timeout=timeout) as opened:
            page.goto(url, wait_until="load", timeout=timeout)
        popup = opened.value
        popup.wait_for_load_state("load", timeout=timeout)
        return popup.main_frame
    page.goto(url, wait_until="load", timeout=timeout)
    handle = page.wait_for_function(
        """() => {
            if (window.__lmsError) return {error: window.__lmsError};
            const f = document.getElementById('course');
            if (!window.__lmsReady || !f || !f.contentWindow) return false;
            let href, ready;
            try {
                href = f.contentWindow.location.href;
                ready = f.contentDocument.readyState;
            } catch (e) {
                return {error: 'course frame is not same-origin: ' + e};
            }
            return href !== 'about:blank' && ready === 'complete' ? {ok: href} : false;
        }""",
        timeout=timeout,
    )
    result = handle.json_value()
    if "error" in result:
        raise AssertionError(f"test LMS failed: {result['error']}")
    frame = page.query_selector("iframe#course").content_frame()
    if frame is None:
        raise AssertionError("test LMS: the course iframe has no frame")
    return frame


def set_faults(page: Any, faults: dict[str, dict[str, Any] | None]) -> None:
    """Change the LMS's faults now: ``{method: rule}``, or ``{method: None}`` to heal it."""
    page.evaluate("(f) => { for (const k in f) { if (f[k]) window.__faults[k] = f[k]; "
                  "else delete window.__faults[k]; } }", faults)


def calls(page: Any, method: str | None = None) -> list[dict[str, Any]]:
    """API calls so far: dicts with seq, method, args, result, error (code as a string, "0" = none),
    t (ms since the LMS page started) and threw (only if the method threw)."""
    recorded = page.evaluate("() => window.__calls || []")
    return [c for c in recorded if method is None or c["method"] == method]


def failed_calls(page: Any) -> list[dict[str, Any]]:
    """Calls that left a non-zero error code (error readers like GetLastError excluded)."""
    return [
        c
        for c in calls(page)
        if c["method"] not in ERROR_READERS and (c.get("error") != "0" or "threw" in c)
    ]


def calls_after_finish(page: Any) -> list[dict[str, Any]]:
    """Calls made after the first LMSFinish / Terminate that returned "true".

    scorm-again's SCORM 1.2 API accepts LMSSetValue, LMSGetValue and LMSCommit after LMSFinish
    (returns "true", error 0), so a course that keeps talking after finishing is only visible
    in the call record.
    """
    recorded = calls(page)
    for i, c in enumerate(recorded):
        if c["method"] in ("LMSFinish", "Terminate") and c.get("result") == "true":
            return recorded[i + 1 :]
    return []


def set_values(page: Any) -> dict[str, str]:
    """The last value successfully set for each element (SetValue / LMSSetValue calls)."""
    out: dict[str, str] = {}
    for c in calls(page):
        if c["method"] in ("SetValue", "LMSSetValue") and c.get("error") == "0":
            out[c["args"][0]] = c["args"][1]
    return out


def wait_for_call(page: Any, method: str, *, count: int = 1, timeout: float = 15_000) -> None:
    """Wait until ``method`` (e.g. "Initialize", "LMSFinish") has been called ``count`` times."""
    page.wait_for_function(
        "([m, n]) => (window.__calls || []).filter(c => c.method === m).length >= n",
        arg=[method, count],
        timeout=timeout,
    )


def cmi(page: Any) -> dict[str, Any]:
    """The LMS's whole data model: ``API.renderCMIToJSONObject()`` (``{"cmi": {...}}``)."""
    return page.evaluate("() => window.__cmi()")


def lms_log(page: Any) -> list[dict[str, Any]]:
    """scorm-again's log messages at or above the log level given to open_in_lms."""
    return page.evaluate("() => window.__log || []")


def loaded_state(page: Any) -> dict[str, str] | None:
    """The flattened values the LMS loaded before launch (defaults, entry, saved state)."""
    return page.evaluate("() => window.__loadedState || null")


# --------------------------------------------------------------------------- accessibility


@functools.lru_cache(maxsize=1)
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8") + "\n;true"


def run_axe(
    frame: Any,
    *,
    impacts: tuple[str, ...] = ("serious", "critical"),
    options: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Run axe-core on ``frame``'s document; return its violations of the given impacts.

    Each violation: {id, impact, help, helpUrl, nodes: [{target, html, failureSummary}]}.
    """
    if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through DevTools rather than injected as a <script>: course pages have a
        # Content-Security-Policy (script-src 'self') that blocks inline scripts, and
        # add_script_tag(path=...) inlines the file.
        frame.evaluate(_axe_source())
    violations = frame.evaluate(
        """async (options) => {
            const r = await axe.run(document, options || {});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target, html: n.html, failureSummary: n.failureSummary,
                })),
            }));
        }""",
        options,
    )
    return [v for v in violations if v["impact"] in impacts]


def format_violations(violations: list[dict[str, Any]]) -> str:
    """Readable text for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']}: {v['help']}")
        for n in v["nodes"][:5]:
            lines.append(f"    {n['target']}: {n['html'][:160]}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- relaunch state

_CMI12_TIME = re.compile(r"^(\d{2,4}):(\d{2}):(\d{2})(?:\.(\d{1,2}))?$")
_ISO_DURATION = re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def time_to_seconds(value: str, version: str) -> float:
    """Seconds in a SCORM 1.2 CMITimespan (HHHH:MM:SS.SS) or a 2004 ISO 8601 duration."""
    if not value:
        return 0.0
    if version == "1.2":
        m = _CMI12_TIME.match(value)
        if not m:
            raise ValueError(f"not a SCORM 1.2 timespan: {value!r}")
        h, mi, s, frac = m.groups()
        return int(h) * 3600 + int(mi) * 60 + int(s) + (int(frac) / 10 ** len(frac) if frac else 0)
    m = _ISO_DURATION.match(value)
    if not m or value in ("P", "PT") or value.endswith("T"):
        raise ValueError(f"not an ISO 8601 duration: {value!r}")
    g = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    # scorm-again counts a year as 365 days and a month as 30 days; so do we.
    return (
        g["y"] * 365 * 86400
        + g["mo"] * 30 * 86400
        + g["d"] * 86400
        + g["h"] * 3600
        + g["mi"] * 60
        + g["s"]
    )


def seconds_to_time(seconds: float, version: str) -> str:
    """The inverse of ``time_to_seconds`` (2004: PTnHnMnS with up to 2 decimals)."""
    cs = round(seconds * 100)
    whole, frac = divmod(cs, 100)
    h, rest = divmod(whole, 3600)
    mi, s = divmod(rest, 60)
    if version == "1.2":
        return f"{h:04d}:{mi:02d}:{s:02d}" + (f".{frac:02d}" if frac else "")
    sec = f"{s}.{frac:02d}".rstrip("0").rstrip(".") if frac else str(s)
    return f"PT{h}H{mi}M{sec}S"


def _flatten(obj: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _flatten(v, f"{prefix}.{i}", out)
    else:
        out[prefix] = obj


def flatten_cmi(cmi_json: dict[str, Any]) -> dict[str, Any]:
    """``{"cmi": {"core": {"entry": ...}}}`` -> ``{"cmi.core.entry": ...}`` (arrays by index)."""
    if "cmi" not in cmi_json:
        cmi_json = {"cmi": cmi_json}
    out: dict[str, Any] = {}
    _flatten(cmi_json, "", out)
    return out


# Elements an LMS keeps between sessions of one attempt and hands back on a relaunch.
_CARRY_12 = (
    "cmi.core.student_id",
    "cmi.core.student_name",
    "cmi.core.credit",
    "cmi.core.lesson_mode",
    "cmi.core.lesson_location",
    "cmi.core.lesson_status",
    "cmi.core.score.raw",
    "cmi.core.score.min",
    "cmi.core.score.max",
    "cmi.suspend_data",
    "cmi.launch_data",
    "cmi.comments",
    "cmi.comments_from_lms",
    "cmi.student_data.mastery_score",
    "cmi.student_data.max_time_allowed",
    "cmi.student_data.time_limit_action",
    "cmi.student_preference.audio",
    "cmi.student_preference.language",
    "cmi.student_preference.speed",
    "cmi.student_preference.text",
)
_CARRY_2004 = (
    "cmi.learner_id",
    "cmi.learner_name",
    "cmi.credit",
    "cmi.mode",
    "cmi.location",
    "cmi.completion_status",
    "cmi.success_status",
    "cmi.progress_measure",
    "cmi.score.scaled",
    "cmi.score.raw",
    "cmi.score.min",
    "cmi.score.max",
    "cmi.suspend_data",
    "cmi.launch_data",
    "cmi.completion_threshold",
    "cmi.scaled_passing_score",
    "cmi.max_time_allowed",
    "cmi.time_limit_action",
    "cmi.learner_preference.audio_level",
    "cmi.learner_preference.language",
    "cmi.learner_preference.delivery_speed",
    "cmi.learner_preference.audio_captioning",
)
_OBJECTIVE_FIELDS = {
    "1.2": ("id", "score.raw", "score.min", "score.max", "status"),
    "2004": (
        "id",
        "score.scaled",
        "score.raw",
        "score.min",
        "score.max",
        "success_status",
        "completion_status",
        "progress_measure",
        "description",
    ),
}
# Values an LMS never hands back because they only mean "not set yet".
_UNSET = {"", None, "unknown"}


def saved_state_from(
    cmi_json: dict[str, Any],
    version: str,
    *,
    entry: str = "resume",
    objectives: bool = True,
) -> dict[str, str]:
    """Turn a finished session's CMI (``cmi(page)``) into the flattened dict a relaunch loads.

    Carries what an LMS keeps between sessions (suspend_data, location, statuses, score,
    learner and LMS-supplied values, objectives when ``objectives``), adds the session time to
    total_time, and sets entry: "resume" by default; ``entry="auto"`` derives it from the
    previous exit as an LMS does ("resume" after exit "suspend", else ""). Interactions are not
    carried (they are a journal the LMS keeps, not state it hands back).
    """
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {VERSIONS}, not {version!r}")
    flat = flatten_cmi(cmi_json)
    carry = _CARRY_12 if version == "1.2" else _CARRY_2004
    state: dict[str, str] = {}
    for key in carry:
        value = flat.get(key)
        if value in _UNSET:
            continue
        if version == "1.2" and key == "cmi.core.lesson_status" and value == "not attempted":
            continue
        state[key] = str(value)

    if objectives:
        pattern = re.compile(r"^cmi\.objectives\.(?:childArray\.)?(\d+)\.(.+)$")
        fields = _OBJECTIVE_FIELDS[version]
        for key, value in flat.items():
            m = pattern.match(key)
            if m and m.group(2) in fields and value not in _UNSET:
                state[f"cmi.objectives.{m.group(1)}.{m.group(2)}"] = str(value)

    prefix = "cmi.core." if version == "1.2" else "cmi."
    total = time_to_seconds(str(flat.get(prefix + "total_time") or ""), version)
    session = time_to_seconds(str(flat.get(prefix + "session_time") or ""), version)
    if total or session:
        state[prefix + "total_time"] = seconds_to_time(total + session, version)

    if entry == "auto":
        entry = "resume" if flat.get(prefix + "exit") == "suspend" else ""
    state[prefix + "entry"] = entry
    return state
