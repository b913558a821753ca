"""``course-builder report`` against servers that misbehave on purpose (tests/hostile/servers.py).

Each case is a server that would once have leaked the LRS credentials, hung the command, looped
for ever, crashed it with a traceback or written escape sequences to the user's terminal. The
command runs in a subprocess (as a user runs it), with a hang guard: a hang fails the test.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import course_builder
from course_builder.report.http_client import HttpError, HttpStatusError, JsonClient, Limits
from tests.hostile.servers import Behaviour, Request, Server, page, respond

SOURCE = Path(course_builder.__file__).resolve().parent.parent
COURSE_ID = "https://example.org/courses/c"
PASSWORD = "s3cret-password"
HANG_GUARD = 60  # seconds; every case here ends in a few: this only turns a hang into a failure


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.close()


def serve(servers: list[Server], behave: Behaviour) -> Server:
    server = Server(behave)
    servers.append(server)
    return server


def run_report(endpoint: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COURSE_BUILDER_LRS_ENDPOINT": endpoint,
           "COURSE_BUILDER_LRS_USERNAME": "reports-key",
           "COURSE_BUILDER_LRS_PASSWORD": PASSWORD,
           "XDG_CONFIG_HOME": str(tmp_path / "no-config"),
           "PYTHONPATH": os.pathsep.join([str(SOURCE), os.environ.get("PYTHONPATH", "")])}
    env.pop("COURSE_BUILDER_LRS_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "course_builder", "report", "--course-id",
                           COURSE_ID, "--out", str(tmp_path / "out"), *args],
                          capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=HANG_GUARD, check=False)


def assert_refused(done: subprocess.CompletedProcess[str], tmp_path: Path, stderr: str) -> None:
    """Exit 1, exactly this message (no traceback), and no report written."""
    assert (done.returncode, done.stderr) == (1, stderr)
    assert not (tmp_path / "out").exists()


# --- 1. credentials stay with the endpoint's server ------------------------------------------

@pytest.mark.parametrize("link", [
    "http://127.0.0.1:{other}/xAPI/statements?page=2",  # another port (the case seen)
    "//127.0.0.1:{other}/xAPI/statements?page=2",  # scheme-relative: another port
    "http://localhost:{port}/xAPI/statements?page=2",  # another host name
    "https://127.0.0.1:{port}/xAPI/statements?page=2",  # another scheme
    "http://127.0.0.1:{port}@127.0.0.1:{other}/xAPI/statements",  # user-info trick
    "javascript:alert(1)",
], ids=["other-port", "scheme-relative", "other-host", "other-scheme", "userinfo", "javascript"])
def test_more_link_to_another_server_is_refused_and_credentials_stay(
        servers: list[Server], tmp_path: Path, link: str) -> None:
    other = serve(servers, lambda conn, req, srv: respond(conn, body=page(1)))
    lrs = serve(servers, lambda conn, req, srv: respond(conn, body=page(
        1, more=link.format(port=srv.port, other=other.port))))
    shown = link.format(port=lrs.port, other=other.port)
    done = run_report(lrs.endpoint, tmp_path)
    assert_refused(done, tmp_path, f"Error: The LRS sent a link to another server ({shown}); "
                   "it was not followed, so that your credentials are only ever sent to "
                   f"127.0.0.1:{lrs.port}. No report was written.\n")
    assert other.connections == 0 and other.authorizations == []
    assert len(lrs.requests) == 1 and lrs.authorizations[0].startswith("Basic ")


def test_same_server_more_links_are_followed(servers: list[Server], tmp_path: Path) -> None:
    """Relative (xAPI), server-root and absolute same-origin links all work, with the
    credentials, and the filters are sent only on the first request."""
    def lrs_pages(conn: socket.socket, req: Request, srv: Server) -> None:
        links = ["statements?page=2", "/xAPI/statements?page=3",
                 f"http://127.0.0.1:{srv.port}/xAPI/statements?page=4", ""]
        n = len(srv.requests)
        respond(conn, body=page(2, more=links[n - 1], start=n * 2))

    lrs = serve(servers, lrs_pages)
    done = run_report(lrs.endpoint, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Read 8 statements in ")
    assert [r.target for r in lrs.requests][1:] == [
        "/xAPI/statements?page=2", "/xAPI/statements?page=3", "/xAPI/statements?page=4"]
    assert lrs.requests[0].target.startswith("/xAPI/statements?activity=https%3A%2F%2F")
    assert len(lrs.authorizations) == 4
    assert {r.headers["x-experience-api-version"] for r in lrs.requests} == {"1.0.3"}


def test_a_redirect_is_not_followed(servers: list[Server], tmp_path: Path) -> None:
    other = serve(servers, lambda conn, req, srv: respond(conn, body=page(1)))
    lrs = serve(servers, lambda conn, req, srv: respond(
        conn, 302, b"", {"Location": f"{other.endpoint}statements"}))
    done = run_report(lrs.endpoint, tmp_path)
    assert_refused(done, tmp_path, (
        f"Error: The LRS at {lrs.endpoint} answered with a redirect (HTTP 302) to "
        f"{other.endpoint}statements; redirects are not followed, so that credentials only go "
        "to the endpoint. If the service has moved, change the endpoint.\n"))
    assert other.connections == 0


# --- 9. it always ends, with a clear message -------------------------------------------------

def silent(conn: socket.socket, req: Request, srv: Server) -> None:
    srv.stop.wait(HANG_GUARD)  # reads the request, never answers


def trickle_headers(conn: socket.socket, req: Request, srv: Server) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not srv.stop.wait(0.05):
        conn.sendall(b"a")  # each byte resets a socket timeout; the headers never end


def trickle_body(conn: socket.socket, req: Request, srv: Server) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{")
    while not srv.stop.wait(0.05):
        conn.sendall(b" ")


def not_http(conn: socket.socket, req: Request, srv: Server) -> None:
    conn.sendall(b"HELLO \x1b[31mTHERE\r\n\r\n")


def hang_up(conn: socket.socket, req: Request, srv: Server) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"statements\": [")


@pytest.mark.parametrize(("behave", "message"), [
    (silent, "Error: The LRS at {endpoint} did not answer within 0.5 s (--timeout)\n"),
    (trickle_headers, "Error: The LRS at {endpoint} did not answer within 0.5 s (--timeout)\n"),
    (not_http, "Error: The LRS at {endpoint} sent something that is not an HTTP answer "
               "(BadStatusLine: HELLO \\x1b[31mTHERE)\n"),
    (hang_up, "Error: The LRS at {endpoint} closed the connection before sending its whole "
              "answer (16 of 500 bytes)\n"),
], ids=["never-answers", "trickles-headers", "not-http", "hangs-up-mid-body"])
def test_a_server_that_does_not_answer_properly_ends_the_run_cleanly(
        servers: list[Server], tmp_path: Path, behave: Behaviour, message: str) -> None:
    lrs = serve(servers, behave)
    done = run_report(lrs.endpoint, tmp_path, "--timeout", "0.5")
    assert_refused(done, tmp_path, message.format(endpoint=lrs.endpoint))
    assert len(lrs.requests) == 1  # the LRS never answered once: no retry


def test_a_trickled_body_is_cut_at_the_body_deadline(servers: list[Server]) -> None:
    lrs = serve(servers, trickle_body)
    client = JsonClient(lrs.endpoint, service="the LRS",
                        limits=Limits(read_timeout=5, body_deadline=0.5, retries=0))
    with pytest.raises(HttpError) as caught:
        client.get_json("statements")
    assert str(caught.value) == (f"The LRS at {lrs.endpoint} did not send its whole answer "
                                 "within 0.5 s")


def test_an_oversized_answer_is_not_read_to_its_end(servers: list[Server]) -> None:
    lrs = serve(servers, lambda conn, req, srv: respond(conn, body=b" " * 300_000))
    client = JsonClient(lrs.endpoint, service="the LRS", limits=Limits(max_body=100_000))
    with pytest.raises(HttpError) as caught:
        client.get_json("statements")
    assert str(caught.value) == (f"The LRS at {lrs.endpoint} sent an answer larger than "
                                 "100,000 bytes; stopped reading")


def test_a_cycle_of_more_links_stops(servers: list[Server], tmp_path: Path) -> None:
    def cycle(conn: socket.socket, req: Request, srv: Server) -> None:
        following = "/xAPI/statements?p=b" if req.target.endswith("p=a") else \
            "/xAPI/statements?p=a"
        respond(conn, body=page(1, more=following))

    lrs = serve(servers, cycle)
    done = run_report(lrs.endpoint, tmp_path)
    assert_refused(done, tmp_path, (
        "Error: The LRS sent a `more` link it had sent before (/xAPI/statements?p=a) after 3 "
        "pages: stopped, as following it would loop for ever. No report was written; the LRS "
        "has a paging fault to report to whoever runs it.\n"))
    assert len(lrs.requests) == 3


def test_an_endless_chain_of_pages_stops_at_max_pages(servers: list[Server],
                                                      tmp_path: Path) -> None:
    lrs = serve(servers, lambda conn, req, srv: respond(
        conn, body=page(1, more=f"/xAPI/statements?p={len(srv.requests)}")))
    done = run_report(lrs.endpoint, tmp_path, "--max-pages", "5")
    assert_refused(done, tmp_path, (
        "Error: The LRS still had more statements after 5 pages (--max-pages): stopped. No "
        "report was written; narrow the period with --since and --until, or raise "
        "--max-pages.\n"))
    assert len(lrs.requests) == 5


# --- retries with back-off, Retry-After within a cap -----------------------------------------

def flaky(*answers: tuple[int, dict[str, str]]) -> Behaviour:
    """Answer with each (status, headers) in turn, then with a page of two statements."""
    def behave(conn: socket.socket, req: Request, srv: Server) -> None:
        index = len(srv.requests) - 1
        if index < len(answers):
            status, headers = answers[index]
            respond(conn, status, b'{"error": "busy"}', headers)
        else:
            respond(conn, body=page(2))
    return behave


def test_5xx_and_429_are_retried_with_back_off_and_retry_after(servers: list[Server],
                                                               tmp_path: Path) -> None:
    lrs = serve(servers, flaky((503, {}), (429, {"Retry-After": "0"}), (502, {})))
    waits: list[float] = []
    notes: list[str] = []
    client = JsonClient(lrs.endpoint, service="the LRS", notify=notes.append,
                        sleep=waits.append)
    assert len(client.get_json("statements")["statements"]) == 2
    assert waits == [1.0, 0.0, 4.0]  # back-off 1, 2, 4 s; Retry-After: 0 replaces the second
    assert notes[1] == (f"The LRS at {lrs.endpoint} answered HTTP 429; trying again in 0 s "
                        "(retry 2 of 3)")
    # The command shows each retry on stderr and carries on (Retry-After: 0 keeps it quick).
    lrs = serve(servers, flaky((503, {"Retry-After": "0"}), (500, {"Retry-After": "0"})))
    done = run_report(lrs.endpoint, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"warning: The LRS at {lrs.endpoint} answered HTTP 503; trying again in 0 s "
        "(retry 1 of 3)\n"
        f"warning: The LRS at {lrs.endpoint} answered HTTP 500; trying again in 0 s "
        "(retry 2 of 3)\n")


@pytest.mark.parametrize(("retry_after", "wait"), [
    ("7", 7.0), ("100000", 60.0), ("soon", 1.0), ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
    ("Fri, 01 Jan 2100 00:00:00 GMT", 60.0),
], ids=["seconds", "capped", "unreadable", "date-past", "date-far"])
def test_retry_after_is_honoured_within_the_cap(servers: list[Server], retry_after: str,
                                                wait: float) -> None:
    lrs = serve(servers, flaky((429, {"Retry-After": retry_after})))
    waits: list[float] = []
    JsonClient(lrs.endpoint, sleep=waits.append).get_json("statements")
    assert waits == [wait]


def test_retries_give_up_with_the_last_answer(servers: list[Server]) -> None:
    lrs = serve(servers, flaky(*[(503, {})] * 5))
    client = JsonClient(lrs.endpoint, service="the LRS", sleep=lambda s: None,
                        limits=Limits(retries=2))
    with pytest.raises(HttpStatusError) as caught:
        client.get_json("statements")
    assert (caught.value.status, str(caught.value)) == (
        503, f'The LRS at {lrs.endpoint} answered HTTP 503: {{"error": "busy"}}')
    assert len(lrs.requests) == 3


def test_network_failures_are_retried_once_the_server_has_answered(servers: list[Server]
                                                                   ) -> None:
    def drops_second(conn: socket.socket, req: Request, srv: Server) -> None:
        if len(srv.requests) == 2:
            return  # closes the connection without a word
        respond(conn, body=page(1, more="statements?p=2" if len(srv.requests) == 1 else ""))

    lrs = serve(servers, drops_second)
    client = JsonClient(lrs.endpoint, service="the LRS", sleep=lambda s: None)
    first = client.get_json("statements")
    assert len(client.get_json(first["more"])["statements"]) == 1
    assert len(lrs.requests) == 3


# --- terminal-safe error text ----------------------------------------------------------------

def test_error_bodies_are_printed_terminal_safe(servers: list[Server], tmp_path: Path) -> None:
    hostile = "\x1b[2J\x1b]0;pwned\x07\x1b[31mred\r\nfake: line\u202e\x00" + "A" * 5000
    lrs = serve(servers, lambda conn, req, srv: respond(conn, 400, hostile))
    done = run_report(lrs.endpoint, tmp_path)
    # 300 characters of the body are kept: 36 before the A's, then 264 A's.
    body = "\\x1b[2J\\x1b]0;pwned\\x07\\x1b[31mred fake: line\\u202e\\x00" + "A" * 264
    assert_refused(done, tmp_path, f"Error: The LRS at {lrs.endpoint} answered HTTP 400: "
                                   f"{body}... (4,736 more characters)\n")
    assert "\x1b" not in done.stderr and "\x00" not in done.stderr


# --- progress --------------------------------------------------------------------------------

def test_progress_is_shown_with_progress_and_not_by_default_off_a_terminal(
        servers: list[Server], tmp_path: Path) -> None:
    lrs = serve(servers, lambda conn, req, srv: respond(conn, body=page(
        3, more="" if req.target.endswith("p=2") else "statements?p=2")))
    done = run_report(lrs.endpoint, tmp_path, "--progress")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"Asking the LRS at {lrs.endpoint} for statements...\n"
                                  "Reading statements: 3 so far, page 1\n")
    done = run_report(lrs.endpoint, tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Read 6 statements in ")


def test_connection_refused_fails_at_once(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = run_report(f"http://127.0.0.1:{port}/xAPI/", tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"Error: Cannot reach the LRS at http://127.0.0.1:{port}/xAPI/:")
    assert "warning" not in done.stderr  # not retried: the LRS never answered once


def test_a_report_folder_that_cannot_be_written_is_one_clear_line(servers: list[Server],
                                                                  tmp_path: Path) -> None:
    lrs = serve(servers, lambda conn, req, srv: respond(conn, body=page(1)))
    (tmp_path / "taken").write_text("a file")
    out = tmp_path / "taken" / "report"
    done = run_report(lrs.endpoint, tmp_path, "--out", str(out))
    assert (done.returncode, done.stderr) == (
        1, f"Error: cannot write the report into {out}: Not a directory ({out})\n")
