"""A small JSON-over-HTTP client that a hostile or broken server cannot turn against its user.

``course-builder report`` sends an LRS key and secret with every request, and prints what the
server says when something goes wrong. Whatever the server does:

- **credentials stay with their server**: a request carries the ``Authorization`` header (and
  any other header given) only when its scheme, host and port are the endpoint's own; a link to
  another server (a ``more`` link, a redirect) is refused with a message, never followed;
- **it ends**: connecting waits at most ``connect_timeout`` seconds; the answer's status line
  and headers must arrive within ``read_timeout`` seconds in all (a server that trickles them a
  byte at a time is cut off), the body within ``body_deadline`` seconds and ``max_body`` bytes;
- **hiccups are survived**: 5xx and 429 answers are retried with growing pauses (1, 2, 4 s...),
  honouring ``Retry-After`` up to ``max_wait`` seconds; network failures and timeouts are
  retried only once the server has answered at least once (a wrong address or a server that
  never answers is reported at once rather than after minutes of retries);
- **what it says is safe to print**: text from the server reaches the terminal only through
  :func:`terminal_safe` (control characters and escape sequences shown as ``\\x1b``, length
  capped), so an error body cannot move the cursor, recolour or rewrite the screen.

It is built on the standard library's ``http.client`` rather than ``tincan``'s ``RemoteLRS``
(no timeouts, unbounded reads, no way to keep credentials on one origin) or ``urllib.request``
(follows redirects to any host, forwarding the ``Authorization`` header, and has one socket
timeout that a trickling server never trips). See the README's dependency table.
"""

from __future__ import annotations

import base64
import email.utils
import http.client
import json
import socket
import ssl
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from course_builder.errors import CourseBuilderError

USER_AGENT = "course-builder"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Limits:
    """How long to wait and how much to read; every figure is a ceiling, none a target."""

    connect_timeout: float = 10.0  # seconds to open the connection (TLS included)
    read_timeout: float = 30.0  # seconds for the status line and headers, and for each read
    body_deadline: float = 300.0  # seconds for the whole body of one answer
    max_body: int = 64 * 1024 * 1024  # bytes in one answer
    retries: int = 3  # further attempts after a failure that may pass
    max_wait: float = 60.0  # the longest pause before a retry, Retry-After included


class HttpError(CourseBuilderError):
    """A request failed; the message is safe to print and names what to do."""


class HttpStatusError(HttpError):
    """The server answered with an error status. ``body`` is terminal-safe and capped."""

    def __init__(self, message: str, status: int, body: str) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


def basic_auth(username: str, password: str) -> dict[str, str]:
    """The ``Authorization`` header of HTTP Basic authentication (RFC 7617)."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def terminal_safe(text: str, limit: int = 300) -> str:
    """``text`` from a server, made safe to print: whitespace runs become one space, every
    other control or format character (ESC, NUL, DEL, C1 codes, bidirectional overrides...) is
    shown as an escape such as ``\\x1b`` or ``\\u202e``, and only ``limit`` characters are kept
    (the rest counted). Escape sequences are thus printed as harmless text, never obeyed."""
    head = text[: limit + 1]
    out: list[str] = []
    length = 0
    space = False
    for char in head[:limit]:
        if char.isspace():
            if not space:
                out.append(" ")
                length += 1
            space = True
            continue
        space = False
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
        length += 1
    result = "".join(out).strip()
    if len(text) > limit:
        result += f"... ({len(text) - limit:,} more characters)"
    return result


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range
        port = -1
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme, -1)


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, moment.timestamp() - now)


class _Failure(Exception):
    """One attempt failed; ``retry`` says whether another may pass, ``wait`` how long to
    wait first (None: the usual back-off)."""

    def __init__(self, message: str, retry: bool, wait: float | None = None,
                 error: HttpError | None = None) -> None:
        message = message[:1].upper() + message[1:]  # "the LRS ..." begins a sentence
        super().__init__(message)
        self.retry = retry
        self.wait = wait
        self.error = error or HttpError(message)


class _Watchdog:
    """Cuts a connection when a deadline passes, so that a read blocked on a server sending
    a byte now and then ends (each byte resets a socket timeout; this does not reset)."""

    def __init__(self, connection: http.client.HTTPConnection) -> None:
        self.connection = connection
        self.fired: str | None = None
        self._timer: threading.Timer | None = None

    def arm(self, seconds: float, what: str) -> None:
        self.disarm()
        self._timer = threading.Timer(seconds, self._cut, args=(what,))
        self._timer.daemon = True
        self._timer.start()

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _cut(self, what: str) -> None:
        self.fired = what
        sock = self.connection.sock
        if sock is not None:
            try:  # the plain socket call: an SSL socket's own shutdown touches its TLS state
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass


class JsonClient:
    """GET JSON documents from one server (``base_url``), sending ``headers`` to it alone.

    ``service`` names the server in messages ("the LRS"); ``notify`` receives a line before
    each retry ("... trying again in 2 s"). Links are resolved against ``base_url``; a link to
    another scheme, host or port raises :class:`HttpError` and is never requested.
    """

    def __init__(self, base_url: str, headers: Mapping[str, str] | None = None, *,
                 service: str = "the server", limits: Limits | None = None,
                 notify: Callable[[str], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        scheme, host, port = _origin(base_url)
        if scheme not in _DEFAULT_PORTS or not host or port < 0:
            raise HttpError(f"{service}: not an http(s) address: {terminal_safe(base_url, 200)}")
        self.base_url = base_url
        self.origin = (scheme, host, port)
        self.headers = dict(headers or {})
        self.service = service
        self.limits = limits or Limits()
        self.notify = notify
        self.sleep = sleep
        self.answered = False  # the server has answered once: network failures may pass

    def resolve(self, link: str) -> str:
        """``link`` (absolute, or relative to ``base_url``) as a URL on this server; raises
        :class:`HttpError` when it points anywhere else."""
        url = urljoin(self.base_url, link.strip())
        if _origin(url) != self.origin or any(c.isspace() or ord(c) < 32 for c in url):
            raise HttpError(
                f"{self.service[:1].upper()}{self.service[1:]} sent a link to another server "
                f"({terminal_safe(link, 200)}); it was not followed, so that your credentials "
                f"are only ever sent to {self.origin[1]}:{self.origin[2]}.")
        return url

    def get_json(self, link: str, params: Mapping[str, str] | None = None) -> Any:
        """The JSON document at ``link`` (see :meth:`resolve`), retried as the module says."""
        url = self.resolve(link)
        if params:
            url += ("&" if urlsplit(url).query else "?") + urlencode(params)
        attempt = 0
        while True:
            try:
                return self._attempt(url)
            except _Failure as failure:
                if not failure.retry or attempt >= self.limits.retries:
                    raise failure.error from None
                attempt += 1
                wait = failure.wait if failure.wait is not None else 2.0 ** (attempt - 1)
                wait = min(max(wait, 0.0), self.limits.max_wait)
                if self.notify is not None:
                    self.notify(f"{failure}; trying again in {wait:g} s "
                                f"(retry {attempt} of {self.limits.retries})")
                self.sleep(wait)

    # -- one request --------------------------------------------------------------------------
    def _connection(self, url: str) -> http.client.HTTPConnection:
        scheme, host, port = _origin(url)
        if (scheme, host, port) != self.origin:  # resolve() checked; credentials depend on it
            raise HttpError(f"refusing to send credentials to {host}:{port}")
        timeout = self.limits.connect_timeout
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(host, port, timeout=timeout)

    def _attempt(self, url: str) -> Any:
        where = f"{self.service} at {self.base_url}"
        connection = self._connection(url)
        watchdog = _Watchdog(connection)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **self.headers}
        try:
            watchdog.arm(self.limits.connect_timeout, "connect")
            try:
                connection.connect()
            except ssl.SSLCertVerificationError as exc:
                raise _Failure(f"The certificate of {where} could not be verified "
                               f"({terminal_safe(str(exc.verify_message or exc), 200)})",
                               retry=False) from exc
            except OSError as exc:
                message = (self._deadline_message(where, "connect") if watchdog.fired
                           else self._network_message(where, exc, "connect"))
                raise _Failure(message, retry=self.answered) from exc
            assert connection.sock is not None
            connection.sock.settimeout(self.limits.read_timeout)
            watchdog.arm(self.limits.read_timeout, "headers")
            try:
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                watchdog.arm(self.limits.body_deadline, "body")
                status = response.status
                body = self._read_body(response, where, watchdog)
            except (OSError, http.client.HTTPException) as exc:
                if watchdog.fired:
                    message = self._deadline_message(where, watchdog.fired)
                elif isinstance(exc, http.client.HTTPException) and not isinstance(
                        exc, http.client.RemoteDisconnected):
                    raise _Failure(f"{where} sent something that is not an HTTP answer "
                                   f"({terminal_safe(type(exc).__name__ + ': ' + str(exc), 200)})",
                                   retry=False) from exc
                else:
                    message = self._network_message(where, exc, "read")
                raise _Failure(message, retry=self.answered) from exc
            if watchdog.fired:  # cut, yet http.client took the end of the stream as the end
                # of the headers or of a body without a length: what was read is incomplete
                raise _Failure(self._deadline_message(where, watchdog.fired),
                               retry=self.answered)
        finally:
            watchdog.disarm()
            connection.close()
        return self._interpret(status, response, body, where)

    def _read_body(self, response: http.client.HTTPResponse, where: str,
                   watchdog: _Watchdog) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = response.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > self.limits.max_body:
                raise _Failure(f"{where} sent an answer larger than "
                               f"{self.limits.max_body:,} bytes; stopped reading",
                               retry=False)
            chunks.append(chunk)
        if watchdog.fired:
            raise _Failure(self._deadline_message(where, watchdog.fired), retry=self.answered)
        # http.client's read(amt) takes a connection closed early as the end of the body
        declared = response.getheader("Content-Length", "")
        if declared.isdigit() and size < int(declared):
            raise _Failure(f"{where} closed the connection before sending its whole answer "
                           f"({size:,} of {int(declared):,} bytes)", retry=self.answered)
        return b"".join(chunks)

    def _deadline_message(self, where: str, stage: str) -> str:
        if stage == "body":
            return (f"{where} did not send its whole answer within "
                    f"{self.limits.body_deadline:g} s")
        return self._network_message(where, TimeoutError(), stage)

    def _network_message(self, where: str, exc: BaseException, stage: str) -> str:
        if isinstance(exc, TimeoutError):
            if stage == "connect":
                return f"Cannot reach {where}: no connection within " \
                       f"{self.limits.connect_timeout:g} s (--connect-timeout)"
            return f"{where} did not answer within {self.limits.read_timeout:g} s (--timeout)"
        reason = terminal_safe(str(exc) or type(exc).__name__, 200)
        if stage == "connect":
            return f"Cannot reach {where}: {reason}"
        return f"{where} closed the connection before answering ({reason})"

    def _interpret(self, status: int, response: http.client.HTTPResponse, body: bytes,
                   where: str) -> Any:
        self.answered = True
        if 200 <= status < 300:
            try:
                return json.loads(body)
            except ValueError as exc:
                raise _Failure(f"{where} did not answer with JSON", retry=False) from exc
        text = terminal_safe(body.decode("utf-8", "replace"))
        message = f"{where} answered HTTP {status}" + (f": {text}" if text else "")
        if 300 <= status < 400:
            location = terminal_safe(response.getheader("Location") or "", 200)
            message = (f"{where} answered with a redirect (HTTP {status}) to {location or '?'}; "
                       "redirects are not followed, so that credentials only go to the "
                       "endpoint. If the service has moved, change the endpoint.")
        error = HttpStatusError(message[:1].upper() + message[1:], status, text)
        if status == 429 or status >= 500:
            wait = _retry_after(response.getheader("Retry-After"), datetime.now().timestamp())
            raise _Failure(f"{where} answered HTTP {status}", retry=True, wait=wait,
                           error=error)
        raise _Failure(message, retry=False, error=error)
