"""The preview's HTTP server: only on 127.0.0.1, only for this machine's browser.

Routes:
    /                              the LMS simulator page
    /_preview/static/<file>        its script and styles
    /_preview/status               the latest build, as JSON
    /_preview/events               Server-Sent Events: ``status`` after every build and check,
                                   ``lrs`` after every request to the cmi5 endpoint
    /course/<mode>/<path>          the last good build, as the package of that simulator mode
    /_preview/cmi5/...             the cmi5 launch, fetch URL, summary and reset (lms.py)
    /_preview/lrs/<resource>       the local xAPI endpoint (lms.py)

Requests whose Host is not this server's loopback address are refused, so a web page elsewhere
cannot reach the preview through DNS rebinding.
"""

from __future__ import annotations

import json
import mimetypes
import queue
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from course_builder.preview.build import PREVIEW_FORMATS, PreviewBuilder, Snapshot
from course_builder.preview.lms import PreviewLms

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_FILES = {"simulator.js", "scorm_api.js", "simulator.css"}
HOST = "127.0.0.1"
MAX_BODY = 1_000_000
KEEPALIVE_SECONDS = 15
RETURNED_PAGE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Back to the LMS</title><link rel="stylesheet" href="/_preview/static/simulator.css">
</head><body class="returned"><main><h1>The course sent the learner back to the LMS</h1>
<p>cmi5 courses go to the LMS's returnURL when the learner leaves. Use <strong>Suspend and
relaunch</strong> to open the course again.</p></main></body></html>"""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class PreviewServer:
    """Builds the course, serves it in the simulator, and tells the page about new builds."""

    def __init__(self, course_dir: Path, port: int = 0,
                 echo: Callable[[str], None] = print) -> None:
        self.course_dir = course_dir
        self.echo = echo
        self.builder = PreviewBuilder(course_dir)
        self.latest: Snapshot | None = None  # the newest build, good or not
        self.current: Snapshot | None = None  # the newest good build: what is served
        self.active_format = "scorm12"
        self.lms = PreviewLms()
        self._clients: list[queue.Queue[tuple[str, str] | None]] = []
        self._clients_lock = threading.Lock()
        self._build_lock = threading.Lock()
        handler = _make_handler(self)
        self.httpd = _HTTPServer((HOST, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    # -- builds ---------------------------------------------------------------------------------
    def rebuild(self, plugins_changed: bool = False) -> Snapshot:
        """Build now; publish a good build at once, then run the slower checks and publish the
        warnings they find."""
        with self._build_lock:
            snapshot = self.builder.build(self.active_format, plugins_changed)
            self.latest = snapshot
            if snapshot.ok:
                self.current = snapshot
                assert snapshot.course is not None
                config = snapshot.course.config
                self.lms.course_id = config.id
                self.lms.pass_mark = config.passing.pass_mark if config.passing else None
            self._report(snapshot)
            self.broadcast("status", json.dumps(self.status()))
            if snapshot.ok:
                self.builder.check(snapshot)
                lint = [d for d in snapshot.diagnostics if d.level.value != "note"]
                for diagnostic in lint:
                    self.echo(diagnostic.format(self.course_dir))
                self.broadcast("status", json.dumps(self.status()))
            return snapshot

    def _report(self, snapshot: Snapshot) -> None:
        ms = snapshot.seconds * 1000
        if snapshot.ok:
            self.echo(f"build {snapshot.number}: ready in {ms:.0f} ms")
            return
        for diagnostic in snapshot.diagnostics:
            self.echo(diagnostic.format(self.course_dir))
        errors = sum(1 for d in snapshot.diagnostics if d.level.value == "error")
        kept = (f"build {self.current.number} is still shown" if self.current
                else "nothing to show until it is fixed")
        self.echo(f"build {snapshot.number}: {errors} error(s) in {ms:.0f} ms; {kept}")

    def status(self) -> dict[str, Any]:
        latest = self.latest.to_json() if self.latest else {"build": 0, "ok": False,
                                                            "diagnostics": []}
        serving = self.current.to_json() if self.current else None
        return {
            **latest,
            "serving": serving["build"] if serving else None,
            "course": serving["course"] if serving else None,
            "formatErrors": serving["formatErrors"] if serving else {},
            "formats": PREVIEW_FORMATS,
        }

    # -- Server-Sent Events ---------------------------------------------------------------------
    def subscribe(self) -> queue.Queue[tuple[str, str] | None]:
        client: queue.Queue[tuple[str, str] | None] = queue.Queue()
        with self._clients_lock:
            self._clients.append(client)
        return client

    def unsubscribe(self, client: queue.Queue[tuple[str, str] | None]) -> None:
        with self._clients_lock:
            if client in self._clients:
                self._clients.remove(client)

    def broadcast(self, event: str, data: str) -> None:
        with self._clients_lock:
            for client in self._clients:
                client.put((event, data))

    # -- running --------------------------------------------------------------------------------
    def start(self) -> None:
        """Serve in a background thread (the first build must have been made)."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="preview-http",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._clients_lock:
            for client in self._clients:
                client.put(None)
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _make_handler(preview: PreviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "course-builder-preview"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the terminal shows builds, not requests

        # -- plumbing ---------------------------------------------------------------------------
        def _send(self, status: int, body: bytes, content_type: str = "text/html; "
                  "charset=utf-8", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, data: Any, status: int = 200) -> None:
            self._send(status, json.dumps(data).encode(), "application/json")

        def _allowed(self) -> bool:
            host = (self.headers.get("Host") or "").lower()
            if host in (f"{HOST}:{preview.port}", f"localhost:{preview.port}"):
                return True
            self._send(403, b"The preview answers only http://127.0.0.1:port/ on this machine.",
                       "text/plain; charset=utf-8")
            return False

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(min(length, MAX_BODY)) if length else b""

        # -- methods ----------------------------------------------------------------------------
        def do_GET(self) -> None:  # noqa: N802
            if self._allowed():
                self._route("GET")

        def do_HEAD(self) -> None:  # noqa: N802
            if self._allowed():
                self._route("HEAD")

        def do_POST(self) -> None:  # noqa: N802
            if self._allowed():
                self._route("POST")

        def do_PUT(self) -> None:  # noqa: N802
            if self._allowed():
                self._route("PUT")

        def do_DELETE(self) -> None:  # noqa: N802
            if self._allowed():
                self._route("DELETE")

        def _route(self, method: str) -> None:
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            if path == "/" and method in ("GET", "HEAD"):
                self._send(200, (STATIC_DIR / "simulator.html").read_bytes())
            elif path.startswith("/_preview/static/") and method in ("GET", "HEAD"):
                self._static(path.removeprefix("/_preview/static/"))
            elif path == "/_preview/status":
                self._json(preview.status())
            elif path == "/_preview/events":
                self._events()
            elif path.startswith("/course/"):
                self._course(path.removeprefix("/course/"))
            elif path == "/favicon.ico":
                self._send(204, b"", "image/x-icon")
            elif path == "/_preview/returned":
                self._send(200, RETURNED_PAGE)
            elif path.startswith("/_preview/lrs/"):
                self._lrs(method, path.removeprefix("/_preview/lrs/"), query)
            elif path.startswith("/_preview/cmi5/fetch/") and method == "POST":
                answer = preview.lms.fetch(path.rsplit("/", 1)[-1])
                self._send(answer.status, answer.body, answer.content_type)
                preview.broadcast("lrs", "")
            elif path == "/_preview/cmi5/launch" and method == "POST":
                base = f"http://{HOST}:{preview.port}"
                self._json({"query": preview.lms.launch(base, query.get("mode", "Normal"))})
                preview.broadcast("lrs", "")
            elif path == "/_preview/cmi5/reset" and method == "POST":
                preview.lms.reset()
                self._json({"ok": True})
                preview.broadcast("lrs", "")
            elif path == "/_preview/cmi5/summary":
                self._json(preview.lms.summary())
            else:
                self._send(404, b"Not found", "text/plain; charset=utf-8")

        def _static(self, name: str) -> None:
            if name not in STATIC_FILES:
                self._send(404, b"Not found", "text/plain; charset=utf-8")
                return
            kind = "text/css" if name.endswith(".css") else "text/javascript"
            self._send(200, (STATIC_DIR / name).read_bytes(), f"{kind}; charset=utf-8")

        def _course(self, rest: str) -> None:
            fmt, _, inner = rest.partition("/")
            snapshot = preview.current
            if fmt not in PREVIEW_FORMATS or snapshot is None:
                self._send(404, b"<!DOCTYPE html><title>No build</title><p>There is no good "
                           b"build of the course yet: see the errors.</p>")
                return
            preview.active_format = fmt
            files, errors = snapshot.files(fmt)
            name = inner or "index.html"
            if files is None:
                text = "".join(f"<li>{_escape(d.format(preview.course_dir))}</li>"
                               for d in errors)
                self._send(200, f"<!DOCTYPE html><html lang='en'><title>Cannot preview</title>"
                           f"<h1>This course cannot be packaged as {PREVIEW_FORMATS[fmt]}</h1>"
                           f"<ul>{text}</ul></html>".encode())
                return
            body = files.get(name)
            if body is None:
                self._send(404, b"Not found", "text/plain; charset=utf-8")
                return
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
                kind += "; charset=utf-8"
            if name.endswith(".js"):
                kind = "text/javascript; charset=utf-8"
            self._send(200, body, kind)

        def _lrs(self, method: str, resource: str, query: dict[str, str]) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = preview.lms.handle(method, resource, query, headers, self._body())
            extra = {"X-Experience-API-Version": "1.0.3"}
            if answer.status == 204:
                self.send_response(204)
                for name, value in {**extra, "Cache-Control": "no-store"}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._send(answer.status, answer.body, answer.content_type, extra)
            preview.broadcast("lrs", "")

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            client = preview.subscribe()
            try:
                self._event("status", json.dumps(preview.status()))
                while True:
                    try:
                        item = client.get(timeout=KEEPALIVE_SECONDS)
                    except queue.Empty:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                        continue
                    if item is None:
                        return
                    self._event(*item)
            except (BrokenPipeError, ConnectionResetError, OSError):
                return
            finally:
                preview.unsubscribe(client)

        def _event(self, name: str, data: str) -> None:
            self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode())
            self.wfile.flush()

    return Handler


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))

