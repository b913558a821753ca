"""Misbehaving HTTP servers on 127.0.0.1 for the report's client: each one a small function.

``Server(behave)`` listens on a free port and runs ``behave(conn, request)`` for each
connection, in a thread: ``conn`` is the accepted socket, ``request`` the parsed
:class:`Request` (method, target, headers). Every request is kept in ``server.requests``, so a
test can assert that credentials never reached a server. ``server.stop`` (set when the test
ends) lets a server that stalls or trickles give up.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str] = field(default_factory=dict)


Behaviour = Callable[[socket.socket, Request, "Server"], None]


class Server:
    """A TCP server speaking just enough HTTP/1.1 to misbehave on purpose."""

    def __init__(self, behave: Behaviour) -> None:
        self.behave = behave
        self.requests: list[Request] = []
        self.connections = 0
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.url}/xAPI/"
        self.state: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                request = _read_request(conn)
                if request is None:
                    return
                self.requests.append(request)
                self.behave(conn, request, self)
            except OSError:
                pass  # the client gave up: that is what most of these servers want

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=5)
        self.sock.close()

    @property
    def authorizations(self) -> list[str]:
        return [r.headers["authorization"] for r in self.requests if "authorization" in r.headers]


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    method, target, _ = head[0].split(" ", 2)
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, target, headers)


def respond(conn: socket.socket, status: int = 200, body: bytes | str | Any = b"",
            headers: dict[str, str] | None = None, reason: str = "X") -> None:
    """Send one complete answer; a dict or list body is sent as JSON."""
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}",
             "Content-Type: application/json", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def page(statements: int = 1, more: str = "", start: int = 0) -> dict[str, Any]:
    """A StatementResult of ``statements`` minimal statements, with a ``more`` link or none."""
    return {"statements": [{"id": f"00000000-0000-4000-8000-{start + i:012d}",
                            "actor": {"mbox": "mailto:a@example.org"},
                            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                            "object": {"id": "https://example.org/courses/c/p"},
                            "timestamp": "2026-01-01T00:00:00Z"}
                           for i in range(statements)],
            "more": more}
