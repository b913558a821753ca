"""What an LMS serves beside its LRS, for the tests: the xAPI State API, the agent profile
resource, a cmi5 fetch URL, and a proxy to Ralph, all on ONE endpoint on 127.0.0.1 with CORS.

No LRS installable here serves the State API (Ralph answers 404), yet cmi5 needs it for
``LMS.LaunchData`` and xAPI packages keep their progress in it. So the code that plays the LMS
serves it itself, and forwards ``statements`` to Ralph with Ralph's credentials: a course sees
one endpoint, as it would in a real deployment.

Use it with ``from tests.lrs.state_server import lms_endpoint  # noqa: F401`` and a test argument
``lms_endpoint`` (it shares the session's Ralph with the ``lrs`` fixture, which ``.ralph`` is):

- ``endpoint``: ``http://127.0.0.1:<port>/xAPI/``; ``auth_header``: the ``Authorization`` value
  it accepts (give it as the Tin Can ``auth`` launch parameter)
- ``state``: the stored documents, ``{(activityId, agent key, registration or "", stateId):
  Document}``; read one with ``state_document(...)``, store one (``LMS.LaunchData``) with
  ``set_state(...)``; ``agent_profiles`` likewise (``set_agent_profile`` for
  ``cmi5LearnerPreferences``)
- ``fetch_url(token=None, session=None)``: a one-time cmi5 fetch URL. The first POST answers
  ``{"auth-token": ...}`` and from then on that token is accepted on the endpoint; any later POST
  answers ``{"error-code": "1", ...}`` (cmi5 8.2.3: HTTP 200 with an error body)
- ``cmi5_session(...)``: a cmi5 session as the LMS makes it before a launch (stores
  ``LMS.LaunchData``); give it to ``fetch_url(session=...)``. Every request made with that
  session's token is then checked against the cmi5 rules CATAPULT's player enforces
  (``cmi5_rules.py``) and refused with 403 and the rule's id, e.g. ``8.1.2.0-2`` for anything
  after ``terminated``. ``refusals`` lists them (``Refusal``: rule, detail, method, path).
- ``requests``: every request received, in order (``Logged``: method, path, params, headers,
  body, status, and ``received``/``answered``: a sequence number taken when the request came in
  and when its answer went out, so a test can tell what was answered before what arrived)
- ``outage``: ``None`` (default), an HTTP status such as 503 to answer every ``/xAPI/`` request
  with, or ``"network"`` to drop the connection without an answer (cut the LRS off mid-course)
- ``faults``: finer faults (``Fault``), for the requests they match (a resource, a method):
  answer a status (401, 409, 503...), drop the connection (``"network"``), answer late
  (``"slow"``, ``delay`` seconds), or store and then drop the answer (``"lost"``: the LRS has
  it, the browser never hears; Chromium may resend it by itself) or answer 504 after storing
  (``"stored-504"``: a gateway that timed out while the LRS stored it); ``times`` limits how
  many requests; ``hits`` counts them
- ``reset()``: done for you before each test

A request to ``/xAPI/`` without an accepted ``Authorization`` gets 401, and one without
``X-Experience-API-Version`` gets 400, as from a conformant LRS (``about`` needs neither).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.lrs import cmi5_rules
from tests.lrs.ralph import XAPI_VERSION, Ralph, session_ralph

_LOCAL_ORIGIN = re.compile(r"^http://(127\.0\.0\.1|localhost)(:\d+)?$")
_CORS_HEADERS = ("Authorization, Content-Type, X-Experience-API-Version, If-Match, "
                 "If-None-Match")
_EXPOSED = "ETag, Last-Modified, X-Experience-API-Version, X-Experience-API-Consistent-Through"
_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def agent_key(agent: dict[str, Any] | str) -> str:
    """A canonical key for an agent: its inverse functional identifier as sorted JSON."""
    if isinstance(agent, str):
        agent = json.loads(agent)
    for ifi in _IFIS:
        if ifi in agent:
            value = agent[ifi]
            if ifi == "account":
                value = {"homePage": value.get("homePage"), "name": value.get("name")}
            return json.dumps({ifi: value}, sort_keys=True)
    raise ValueError("agent has no mbox, mbox_sha1sum, openid or account")


@dataclass
class Document:
    """One stored State or agent profile document."""

    content: bytes
    content_type: str
    updated: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                               time.gmtime()))

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.content).hexdigest() + '"'

    def json(self) -> Any:
        return json.loads(self.content)


@dataclass
class Logged:
    """One request the endpoint received."""

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int = 0
    received: int = 0
    answered: int = 0
    fault: str = ""  # the Fault applied, if any

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Refusal:
    """A request refused for breaking a cmi5 rule (403 with the rule's id)."""

    rule: str
    detail: str
    method: str
    path: str
    session: str


@dataclass
class Fault:
    """One way the LMS's LRS misbehaves, for the ``/xAPI/`` requests it matches (CORS
    preflights are never faulted: a browser would not even send the request)."""

    resource: str | None = None  # "statements", "activities/state", ...; None: any
    method: str | None = None  # "PUT", "POST", "GET"...; None: any
    status: int | str = 503  # an HTTP status, or "network", "slow", "lost", "stored-504"
    delay: float = 0.0  # seconds, for "slow"
    times: int | None = None  # how many matching requests; None: all
    hits: int = 0

    def matches(self, method: str, resource: str) -> bool:
        if method == "OPTIONS" or (self.times is not None and self.hits >= self.times):
            return False
        return (self.resource is None or resource == self.resource) and \
            (self.method is None or method == self.method)


StateKey = tuple[str, str, str, str]  # activityId, agent key, registration ("" if none), stateId
ProfileKey = tuple[str, str]  # agent key, profileId


class LMSEndpoint:
    """The combined endpoint; see the module docstring."""

    def __init__(self, ralph: Ralph) -> None:
        self.ralph = ralph
        self.lock = threading.Lock()
        self.state: dict[StateKey, Document] = {}
        self.agent_profiles: dict[ProfileKey, Document] = {}
        self.requests: list[Logged] = []
        self.outage: int | str | None = None
        self.faults: list[Fault] = []
        self.refusals: list[Refusal] = []
        self.sessions: dict[str, cmi5_rules.Session] = {}
        self._records: dict[tuple[str, str], cmi5_rules.Registration] = {}
        self._fetch_tokens: dict[str, str | None] = {}  # fetch token -> auth token once issued
        self._fetch_sessions: dict[str, cmi5_rules.Session] = {}  # fetch token -> session
        self._token_sessions: dict[str, cmi5_rules.Session] = {}  # Authorization -> session
        self._accepted: set[str] = set()
        self._clock = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="lms-endpoint")
        self.reset()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.root}/xAPI/"

    @property
    def auth_header(self) -> str:
        return self.ralph.auth_header

    def start(self) -> LMSEndpoint:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.state.clear()
            self.agent_profiles.clear()
            self.requests.clear()
            self.outage = None
            self.faults = []
            self.refusals.clear()
            self.sessions.clear()
            self._records.clear()
            self._fetch_sessions.clear()
            self._token_sessions.clear()
            self._fetch_tokens.clear()
            self._accepted = {self.ralph.auth_header}

    # --- what tests call -----------------------------------------------------------------

    def fetch_url(self, token: str | None = None,
                  session: cmi5_rules.Session | None = None) -> str:
        """A new one-time cmi5 fetch URL; with ``session``, its token is that session's."""
        token = token or secrets.token_urlsafe(12)
        with self.lock:
            self._fetch_tokens[token] = None
            if session is not None:
                self._fetch_sessions[token] = session
        return f"{self.root}/cmi5/fetch/{urllib.parse.quote(token)}"

    def cmi5_session(self, actor: dict[str, Any], registration: str, activity_id: str,
                     session_id: str, launch_data: dict[str, Any]) -> cmi5_rules.Session:
        """Make a cmi5 session as the LMS does at launch: store ``launch_data`` as the AU's
        ``LMS.LaunchData`` and return the session (for ``fetch_url(session=...)``). A session of
        the same registration and AU that has not ended is abandoned, as CATAPULT does: its
        token is refused from now on."""
        self.set_state(activity_id, actor, "LMS.LaunchData", launch_data, registration)
        with self.lock:
            record = self._records.setdefault((registration, activity_id),
                                              cmi5_rules.Registration())
            for other in self.sessions.values():
                if (other.registration, other.activity_id) == (registration, activity_id) \
                        and not other.terminated:
                    other.abandoned = True
            session = cmi5_rules.Session(
                id=session_id, registration=registration, actor=actor, activity_id=activity_id,
                launch_mode=launch_data.get("launchMode", "Normal"),
                mastery_score=launch_data.get("masteryScore"),
                context_template=launch_data.get("contextTemplate") or {}, record=record)
            self.sessions[session_id] = session
        return session

    def tick(self) -> int:
        """The next number of the endpoint's own clock (see ``Logged.received``)."""
        with self.lock:
            self._clock += 1
            return self._clock

    def fetch_calls(self, token: str | None = None) -> list[Logged]:
        """The requests made to fetch URLs (to one token's, if given)."""
        prefix = "/cmi5/fetch/" + (urllib.parse.quote(token) if token else "")
        return [r for r in self.requests if r.path.startswith(prefix)]

    def set_state(self, activity_id: str, agent: dict[str, Any], state_id: str, value: Any,
                  registration: str | None = None) -> None:
        """Store a State document, e.g. ``LMS.LaunchData`` before a cmi5 launch (JSON unless
        ``value`` is bytes)."""
        content, kind = ((value, "application/octet-stream") if isinstance(value, bytes)
                         else (json.dumps(value).encode(), "application/json"))
        with self.lock:
            self.state[(activity_id, agent_key(agent), registration or "", state_id)] = \
                Document(content, kind)

    def state_document(self, activity_id: str, agent: dict[str, Any], state_id: str,
                       registration: str | None = None) -> Any:
        """A stored State document (parsed if JSON, else bytes), or None."""
        document = self.state.get((activity_id, agent_key(agent), registration or "", state_id))
        if document is None:
            return None
        return document.json() if "json" in document.content_type else document.content

    def set_agent_profile(self, agent: dict[str, Any], profile_id: str, value: Any) -> None:
        """Store an agent profile document, e.g. ``cmi5LearnerPreferences``."""
        with self.lock:
            self.agent_profiles[(agent_key(agent), profile_id)] = Document(
                json.dumps(value).encode(), "application/json")

    # --- used by the handler -------------------------------------------------------------

    def issue_token(self, fetch_token: str) -> dict[str, str]:
        with self.lock:
            if fetch_token not in self._fetch_tokens:
                return {"error-code": "2", "error-text": "Unknown fetch URL"}
            if self._fetch_tokens[fetch_token] is not None:
                return {"error-code": "1", "error-text": "Already in use: this fetch URL has "
                        "already given its token"}
            credentials = f"cmi5-{fetch_token}:{secrets.token_urlsafe(16)}"
            token = base64.b64encode(credentials.encode()).decode()
            self._fetch_tokens[fetch_token] = token
            self._accepted.add(f"Basic {token}")
            session = self._fetch_sessions.get(fetch_token)
            if session is not None:
                session.token_fetched = True
                self._token_sessions[f"Basic {token}"] = session
            return {"auth-token": token}

    def session_token(self, session: cmi5_rules.Session) -> str | None:
        """The ``Authorization`` value of a session's token, once fetched."""
        with self.lock:
            for authorization, owner in self._token_sessions.items():
                if owner is session:
                    return authorization
        return None

    def session_of(self, authorization: str | None) -> cmi5_rules.Session | None:
        with self.lock:
            return self._token_sessions.get((authorization or "").strip())

    def accepts(self, authorization: str | None) -> bool:
        with self.lock:
            return authorization is not None and authorization.strip() in self._accepted


class _Answer(Exception):
    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _handler(lms: LMSEndpoint) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "course-builder-test-lms"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # the requests are in lms.requests

        def do_OPTIONS(self) -> None:  # noqa: N802
            self._serve()

        def do_GET(self) -> None:  # noqa: N802
            self._serve()

        def do_PUT(self) -> None:  # noqa: N802
            self._serve()

        def do_POST(self) -> None:  # noqa: N802
            self._serve()

        def do_DELETE(self) -> None:  # noqa: N802
            self._serve()

        # --- plumbing ----------------------------------------------------------------

        def _serve(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            entry = Logged(self.command, url.path, params, dict(self.headers.items()), body,
                           received=lms.tick())
            with lms.lock:
                lms.requests.append(entry)
            try:
                if url.path.startswith("/xAPI/") and lms.outage is not None:
                    if lms.outage == "network":
                        entry.status = -1
                        self.close_connection = True
                        self.connection.close()
                        return
                    raise _Answer(int(lms.outage), {"error": "the LRS is unavailable (test)"})
                if self.command == "OPTIONS":
                    raise _Answer(204)
                fault = self._fault(url.path)
                if fault is not None:
                    entry.fault = str(fault.status)
                    if fault.status == "network":
                        self._drop(entry)
                        return
                    if fault.status == "slow":
                        time.sleep(fault.delay)
                    elif fault.status in ("lost", "stored-504"):
                        try:
                            self._route(url, params, body)
                        except _Answer as answer:
                            entry.status = answer.status  # done, but the answer never arrives
                        if fault.status == "lost":
                            self._drop(entry, entry.status)
                            return
                        raise _Answer(504, {"error": "gateway timeout (test fault)"})
                    else:
                        raise _Answer(int(fault.status), {"error": "refused (test fault)"})
                self._route(url, params, body)
            except _Answer as answer:
                entry.status = answer.status
                entry.answered = lms.tick()
                self._send(answer.status, answer.body, answer.headers)

        def _fault(self, path: str) -> Fault | None:
            if not path.startswith("/xAPI/"):
                return None
            resource = path[len("/xAPI/"):].rstrip("/")
            with lms.lock:
                for fault in lms.faults:
                    if fault.matches(self.command, resource):
                        fault.hits += 1
                        return fault
            return None

        def _drop(self, entry: Logged, status: int = -1) -> None:
            entry.status = status
            self.close_connection = True
            self.connection.close()

        def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
            if isinstance(body, bytes):
                payload = body
                kind = headers.pop("Content-Type", "application/octet-stream")
            elif body is None:
                payload, kind = b"", ""
            else:
                payload, kind = json.dumps(body).encode(), "application/json"
            self.send_response(status)
            origin = self.headers.get("Origin")
            if origin and _LOCAL_ORIGIN.match(origin):
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")
                self.send_header("Access-Control-Allow-Methods",
                                 "GET, PUT, POST, DELETE, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", _CORS_HEADERS)
                self.send_header("Access-Control-Expose-Headers", _EXPOSED)
                self.send_header("Access-Control-Max-Age", "600")
            self.send_header("X-Experience-API-Version", XAPI_VERSION)
            if kind:
                self.send_header("Content-Type", kind)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _route(self, url: urllib.parse.SplitResult, params: dict[str, str],
                   body: bytes) -> None:
            path = url.path
            if path.startswith("/cmi5/fetch/"):
                if self.command != "POST":
                    raise _Answer(405, {"error": "the fetch URL takes POST only"})
                token = urllib.parse.unquote(path[len("/cmi5/fetch/"):])
                raise _Answer(200, lms.issue_token(token))
            if not path.startswith("/xAPI/"):
                raise _Answer(404, {"error": f"no such resource: {path}"})
            resource = path[len("/xAPI/"):].rstrip("/")
            if resource == "about":
                raise _Answer(200, {"version": [XAPI_VERSION]})
            if not lms.accepts(self.headers.get("Authorization")):
                raise _Answer(401, {"error": "missing or unknown Authorization"})
            if not self.headers.get("X-Experience-API-Version"):
                raise _Answer(400, {"error": "X-Experience-API-Version header missing"})
            session = lms.session_of(self.headers.get("Authorization"))
            if session is not None:
                self._cmi5(session, resource, params, body)
            self._resource(resource, url, params, body)

        def _cmi5(self, session: cmi5_rules.Session, resource: str, params: dict[str, str],
                  body: bytes) -> None:
            """A request of a cmi5 session: checked as CATAPULT's player checks it, one
            request of the session at a time; the session changes once the LRS has answered."""
            url = urllib.parse.urlsplit(self.path)
            with session.lock:
                try:
                    cmi5_rules.check_open(session)
                    verbs = cmi5_rules.check_request(session, self.command, resource, params,
                                                     body)
                except cmi5_rules.Refused as refused:
                    with lms.lock:
                        lms.refusals.append(Refusal(refused.rule, refused.detail, self.command,
                                                    url.path, session.id))
                    raise _Answer(403, refused.body()) from None
                try:
                    self._resource(resource, url, params, body)
                except _Answer as answer:
                    ok = answer.status in (200, 204)
                    if ok and verbs:
                        cmi5_rules.stored(session, verbs)
                    if ok and params.get("stateId") == "LMS.LaunchData":
                        session.launch_data_fetched = True
                    if resource == "agents/profile" and answer.status in (200, 404) \
                            and params.get("profileId") == "cmi5LearnerPreferences":
                        session.prefs_fetched = True
                    raise

        def _resource(self, resource: str, url: urllib.parse.SplitResult,
                      params: dict[str, str], body: bytes) -> None:
            if resource == "statements":
                self._proxy(url, body)
            if resource == "activities/state":
                self._state(params, body)
            if resource == "agents/profile":
                self._agent_profile(params, body)
            raise _Answer(404, {"error": f"no such xAPI resource: {resource}"})

        def _proxy(self, url: urllib.parse.SplitResult, body: bytes) -> None:
            target = lms.ralph.root + url.path + (f"?{url.query}" if url.query else "")
            headers = {"Authorization": lms.ralph.auth_header,
                       "X-Experience-API-Version": self.headers["X-Experience-API-Version"]}
            if self.headers.get("Content-Type"):
                headers["Content-Type"] = self.headers["Content-Type"]
            call = urllib.request.Request(target, data=body or None, method=self.command,
                                          headers=headers)
            try:
                with urllib.request.urlopen(call, timeout=60) as answer:
                    status, data = answer.status, answer.read()
                    kind = answer.headers.get("Content-Type", "application/json")
            except urllib.error.HTTPError as exc:
                status, data = exc.code, exc.read()
                kind = exc.headers.get("Content-Type", "application/json")
            except (urllib.error.URLError, OSError) as exc:
                raise _Answer(502, {"error": f"Ralph is not answering: {exc}"}) from exc
            raise _Answer(status, data if status != 204 else None,
                          {"Content-Type": kind} if status != 204 else {})

        # --- documents ---------------------------------------------------------------

        def _agent(self, params: dict[str, str]) -> str:
            try:
                return agent_key(params["agent"])
            except (KeyError, ValueError, TypeError, AttributeError) as exc:
                raise _Answer(400, {"error": f"agent: {exc}"}) from exc

        def _state(self, params: dict[str, str], body: bytes) -> None:
            activity = params.get("activityId")
            if not activity:
                raise _Answer(400, {"error": "activityId is required"})
            agent = self._agent(params)
            registration = params.get("registration", "")
            state_id = params.get("stateId")
            prefix = (activity, agent, registration)
            if state_id is None:
                if self.command == "GET":
                    ids = [k[3] for k in lms.state if k[:3] == prefix]
                    raise _Answer(200, ids)
                if self.command == "DELETE":
                    with lms.lock:
                        for key in [k for k in lms.state if k[:3] == prefix]:
                            del lms.state[key]
                    raise _Answer(204)
                raise _Answer(400, {"error": "stateId is required"})
            self._document(lms.state, (*prefix, state_id), body)

        def _agent_profile(self, params: dict[str, str], body: bytes) -> None:
            agent = self._agent(params)
            profile_id = params.get("profileId")
            if profile_id is None:
                if self.command == "GET":
                    raise _Answer(200, [k[1] for k in lms.agent_profiles if k[0] == agent])
                raise _Answer(400, {"error": "profileId is required"})
            self._document(lms.agent_profiles, (agent, profile_id), body)

        def _document(self, store: dict[Any, Document], key: Any, body: bytes) -> None:
            with lms.lock:
                current = store.get(key)
                self._preconditions(current)
                if self.command == "GET":
                    if current is None:
                        raise _Answer(404, {"error": "no such document"})
                    raise _Answer(200, current.content, {"Content-Type": current.content_type,
                                                         "ETag": current.etag,
                                                         "Last-Modified": current.updated})
                if self.command == "DELETE":
                    store.pop(key, None)
                    raise _Answer(204)
                kind = (self.headers.get("Content-Type") or "application/octet-stream")
                kind = kind.split(";")[0].strip()
                if self.command == "PUT":
                    store[key] = Document(body, kind)
                    raise _Answer(204)
                if self.command == "POST":
                    # xAPI 1.0.3 Communication 2.2: POST merges two JSON objects.
                    if current is None:
                        store[key] = Document(body, kind)
                        raise _Answer(204)
                    try:
                        old, new = json.loads(current.content), json.loads(body)
                    except ValueError as exc:
                        raise _Answer(400, {"error": "POST merges JSON documents only"}) from exc
                    if (kind != "application/json" or not isinstance(old, dict)
                            or not isinstance(new, dict)):
                        raise _Answer(400, {"error": "POST merges JSON objects only"})
                    store[key] = Document(json.dumps({**old, **new}).encode(),
                                          "application/json")
                    raise _Answer(204)
            raise _Answer(405, {"error": f"{self.command} is not supported here"})

        def _preconditions(self, current: Document | None) -> None:
            match = self.headers.get("If-Match")
            if match and (current is None or match.strip() not in (current.etag, "*")):
                raise _Answer(HTTPStatus.PRECONDITION_FAILED, {"error": "If-Match failed"})
            none_match = self.headers.get("If-None-Match")
            if none_match and current is not None and none_match.strip() in (current.etag, "*"):
                raise _Answer(HTTPStatus.PRECONDITION_FAILED, {"error": "If-None-Match failed"})

    return Handler


_SERVER = pytest.StashKey[LMSEndpoint]()


@pytest.fixture
def lms_endpoint(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> LMSEndpoint:
    """The combined State + statements endpoint (started once per session, in front of the
    session's Ralph), emptied for this test. Ralph is not emptied: call ``lms_endpoint.ralph
    .clear()`` (the same object as the ``lrs`` fixture) when the test needs no earlier
    statements."""
    server = request.config.stash.get(_SERVER, None)
    if server is None:
        server = LMSEndpoint(session_ralph(request.config, tmp_path_factory)).start()
        request.config.stash[_SERVER] = server
        request.config.add_cleanup(server.stop)
    server.reset()
    return server
