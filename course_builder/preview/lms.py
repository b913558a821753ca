"""The simulator's cmi5 mode: an LMS's side of a cmi5 launch, and a small xAPI endpoint.

What a cmi5 LMS does for one assignable unit (cmi5 "Quartz", sections 8 and 10), in memory:

- ``launch()``: a new session in the learner's registration; ``LMS.LaunchData`` written to the
  State API (context template with the session id, launch mode, moveOn, masteryScore,
  returnURL); a "launched" statement; a one-time fetch URL; the launch URL's query;
- the fetch URL answers its auth token once, and an error body after that (8.2.3);
- ``/_preview/lrs/``: ``statements`` (PUT, POST, GET), ``activities/state``, ``agents/profile``
  and ``about``, with the checks a cmi5 player makes: a known token (401), the xAPI version
  header (400), the launch actor in every statement (403, rule 8.1.3.0-3), nothing after the
  session's "terminated" (403, rule 8.1.2.0-2), the same statement id twice with a different
  body (409).

Nothing leaves the machine; every request and its answer is logged for the simulator's panel.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from course_builder.targets import _xapi

XAPI_VERSION = "1.0.3"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
LAUNCHED = "http://adlnet.gov/expapi/verbs/launched"
TERMINATED = "http://adlnet.gov/expapi/verbs/terminated"
MAX_LOG = 500


@dataclass
class Session:
    """One launch: its token, and whether the AU has ended it."""

    id: str
    token: str
    fetched: bool = False
    terminated: bool = False


@dataclass
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "application/json"


def _json(status: int, data: Any) -> Answer:
    return Answer(status, json.dumps(data).encode())


def _agent_key(agent: Any) -> str:
    if isinstance(agent, str):
        try:
            agent = json.loads(agent)
        except ValueError:
            return agent
    if not isinstance(agent, dict):
        return ""
    for ifi in ("account", "mbox", "mbox_sha1sum", "openid"):
        if ifi in agent:
            return json.dumps({ifi: agent[ifi]}, sort_keys=True)
    return ""


@dataclass
class PreviewLms:
    """The simulator's cmi5 LMS and LRS for one course (thread-safe)."""

    course_id: str = ""
    pass_mark: int | None = None
    actor: dict[str, Any] = field(default_factory=lambda: {
        "objectType": "Agent", "name": "Preview learner",
        "account": {"homePage": "http://127.0.0.1", "name": "preview-learner"}})
    registration: str = field(default_factory=lambda: str(uuid.uuid4()))
    sessions: dict[str, Session] = field(default_factory=dict)  # by token
    fetches: dict[str, Session] = field(default_factory=dict)  # by fetch id
    state: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    statements: list[dict[str, Any]] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def activity_id(self) -> str:
        return _xapi.au_iri(self.course_id)

    def reset(self) -> None:
        """A new registration: the learner starts again with nothing saved."""
        with self._lock:
            self.registration = str(uuid.uuid4())
            self.state.clear()
            self.statements.clear()
            self.sessions.clear()
            self.fetches.clear()
            self.log.clear()

    def launch(self, base: str, mode: str = "Normal") -> str:
        """Start a session as an LMS does; returns the launch URL's query string."""
        with self._lock:
            session = Session(str(uuid.uuid4()), secrets.token_urlsafe(16))
            self.sessions[session.token] = session
            fetch_id = secrets.token_urlsafe(12)
            self.fetches[fetch_id] = session
            launch_data: dict[str, Any] = {
                "contextTemplate": {
                    "contextActivities": {"grouping": [{"objectType": "Activity",
                                                        "id": self.activity_id}]},
                    "extensions": {SESSION_ID: session.id},
                },
                "launchMode": mode if mode in ("Normal", "Browse", "Review") else "Normal",
                "launchMethod": "AnyWindow",
                "moveOn": "CompletedAndPassed" if self.pass_mark is not None else "Completed",
                "returnURL": f"{base}/_preview/returned",
            }
            if self.pass_mark is not None:
                launch_data["masteryScore"] = self.pass_mark / 100
            key = (self.activity_id, _agent_key(self.actor), self.registration, "LMS.LaunchData")
            self.state[key] = json.dumps(launch_data).encode()
            self.statements.append({
                "id": str(uuid.uuid4()), "actor": self.actor,
                "verb": {"id": LAUNCHED, "display": {"en-US": "launched"}},
                "object": {"objectType": "Activity", "id": self.activity_id},
                "context": {"registration": self.registration,
                            "extensions": {SESSION_ID: session.id}},
                "timestamp": _now(), "stored": _now(), "authority": "LMS"})
            self._note("LMS", f"launched a {launch_data['launchMode']} session", 200)
        return urlencode({
            "endpoint": f"{base}/_preview/lrs/",
            "fetch": f"{base}/_preview/cmi5/fetch/{fetch_id}",
            "actor": json.dumps(self.actor, separators=(",", ":")),
            "registration": self.registration,
            "activityId": self.activity_id,
        })

    def fetch(self, fetch_id: str) -> Answer:
        """The fetch URL (cmi5 8.2.3): the token once; an error body (HTTP 200) after that."""
        with self._lock:
            session = self.fetches.get(fetch_id)
            if session is None or session.fetched:
                answer = _json(200, {"error-code": "1", "error-text": "already used"})
                self._note("POST", "fetch URL (used again)", 200, "error-code 1")
                return answer
            session.fetched = True
            self._note("POST", "fetch URL", 200)
            return _json(200, {"auth-token": session.token})

    # -- the xAPI endpoint ----------------------------------------------------------------------
    def handle(self, method: str, resource: str, query: dict[str, str],
               headers: dict[str, str], body: bytes) -> Answer:
        with self._lock:
            answer, note = self._handle(method, resource, query, headers, body)
            self._note(method, resource, answer.status, note)
            return answer

    def _handle(self, method: str, resource: str, query: dict[str, str],
                headers: dict[str, str], body: bytes) -> tuple[Answer, str]:
        if resource == "about":
            return _json(200, {"version": [XAPI_VERSION]}), ""
        auth = headers.get("authorization", "")
        session = self.sessions.get(auth.removeprefix("Basic ").strip())
        if session is None:
            return _json(401, {"error": "unknown credentials"}), "no valid Authorization"
        if "x-experience-api-version" not in headers:
            return _json(400, {"error": "X-Experience-API-Version missing"}), "no version header"
        if session.terminated:
            return (_json(403, {"error": "8.1.2.0-2: the session was terminated"}),
                    "8.1.2.0-2 after terminated")
        if resource == "statements":
            return self._statements(method, query, body, session)
        if resource == "activities/state":
            return self._state(method, query, body)
        if resource == "agents/profile":
            return Answer(404, b""), "no learner preferences"
        return _json(404, {"error": f"no resource {resource}"}), ""

    def _statements(self, method: str, query: dict[str, str], body: bytes,
                    session: Session) -> tuple[Answer, str]:
        if method == "GET":
            return _json(200, {"statements": self.statements[-100:], "more": ""}), ""
        try:
            data = json.loads(body or b"null")
        except ValueError:
            return _json(400, {"error": "not JSON"}), "body is not JSON"
        items = data if isinstance(data, list) else [data]
        ids = []
        for statement in items:
            if not isinstance(statement, dict):
                return _json(400, {"error": "not a statement"}), "not a statement"
            if method == "PUT":
                statement.setdefault("id", query.get("statementId"))
            if _agent_key(statement.get("actor")) != _agent_key(self.actor):
                return (_json(403, {"error": "8.1.3.0-3: the AU must use the launch actor"}),
                        "8.1.3.0-3 another actor")
            statement_id = statement.get("id") or str(uuid.uuid4())
            existing = next((s for s in self.statements if s.get("id") == statement_id), None)
            if existing is not None:
                stored = {k: v for k, v in existing.items() if k not in ("stored", "authority")}
                if stored != statement:
                    return _json(409, {"error": "statement id used"}), "id reused"
                ids.append(statement_id)
                continue
            self.statements.append({**statement, "id": statement_id, "stored": _now(),
                                    "authority": "AU"})
            ids.append(statement_id)
            if statement.get("verb", {}).get("id") == TERMINATED:
                session.terminated = True
        verbs = ", ".join(str(s.get("verb", {}).get("id", "")).rsplit("/", 1)[-1] for s in items)
        if method == "PUT":
            return Answer(204), verbs
        return _json(200, ids), verbs

    def _state(self, method: str, query: dict[str, str], body: bytes) -> tuple[Answer, str]:
        key = (query.get("activityId", ""), _agent_key(query.get("agent", "")),
               query.get("registration", ""), query.get("stateId", ""))
        name = key[3] or "(all)"
        if method == "GET":
            if not key[3]:
                ids = [k[3] for k in self.state if k[:3] == key[:3]]
                return _json(200, ids), "ids"
            found = self.state.get(key)
            if found is None:
                return Answer(404, b""), name
            return Answer(200, found), name
        if method == "PUT":
            self.state[key] = body
            return Answer(204), f"{name} ({len(body):,} bytes)"
        if method == "POST":
            try:
                merged = json.loads(self.state.get(key, b"{}")) | json.loads(body)
            except (ValueError, TypeError):
                return _json(400, {"error": "POST merges JSON objects only"}), name
            self.state[key] = json.dumps(merged).encode()
            return Answer(204), name
        if method == "DELETE":
            self.state.pop(key, None)
            return Answer(204), name
        return _json(405, {"error": method}), name

    # -- what the panel shows -------------------------------------------------------------------
    def _note(self, method: str, what: str, status: int, note: str = "") -> None:
        self.log.append({"method": method, "what": what, "status": status, "note": note})
        del self.log[:-MAX_LOG]

    def summary(self) -> dict[str, Any]:
        """Tracking data for the panel: verbs, score, the course's saved state, requests."""
        with self._lock:
            mine = [s for s in self.statements
                    if s.get("context", {}).get("registration") == self.registration]
            verbs = [str(s.get("verb", {}).get("id", "")).rsplit("/", 1)[-1] for s in mine]
            saved: dict[str, Any] = {}
            key = (self.activity_id, _agent_key(self.actor), self.registration,
                   _xapi.STATE_ID)
            if key in self.state:
                try:
                    saved = json.loads(self.state[key])
                except ValueError:
                    saved = {}
            answered = [{"id": str(s["object"].get("id", "")).rsplit("/", 1)[-1],
                         "response": s.get("result", {}).get("response", ""),
                         "success": s.get("result", {}).get("success")}
                        for s in mine if s.get("verb", {}).get("id", "").endswith("/answered")]
            return {
                "registration": self.registration,
                "verbs": verbs,
                "completed": "completed" in verbs,
                "success": "passed" if "passed" in verbs else
                           ("failed" if "failed" in verbs else None),
                "score": saved.get("score"),
                "location": saved.get("location", ""),
                "suspend": saved.get("suspend", ""),
                "interactions": answered,
                "log": list(self.log[-200:]),
            }


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
