"""The cmi5 rules a cmi5 player enforces on an AU's requests, as ADL's CATAPULT player does.

CATAPULT (adlnet/CATAPULT, ``player/service/plugins/routes/lrs.js``) proxies every request an AU
makes to its LRS and refuses, with HTTP 403 and the id of the rule broken, any that breaks a
cmi5 rule; its content test suite then marks the AU non-conformant. The tests' LMS
(``state_server.py``) runs these same checks for every request made with a cmi5 session's token,
so a course that would be refused by CATAPULT is refused in the tests too:

- every request needs a session whose token was fetched and that has not ended (8.1.2.0-2);
- statements: the learner preferences were read first (11.0.0.0-3); each has an id (9.1.0.0-1),
  a UTC timestamp (9.7.0.0-1/-2), exactly the launch actor (8.1.3.0-3), a context built on the
  LMS's context template (9.6.0.0-1, 10.2.1.0-6) with the registration (9.6.1.0-1) and the
  session id (9.6.3.1-4); "initialized" first (9.3.0.0-4), nothing after "terminated"
  (9.3.0.0-5); cmi5 defined statements (category cmi5) obey 9.2-9.6 and the verb rules of
  9.3 (no duplicate, one of passed/failed per session, one completed and one passed per
  registration, no failed after passed, scores against the masteryScore), and no judgement
  in Browse or Review (10.2.2.0-2/-3);
- State API: the launch actor (8.1.3.0-3) and registration (8.1.4.0-3); LMS.LaunchData is
  read only (10.2.1.0-5); agent profile: the launch actor (11.0.0.0-1, 8.1.3.0-3).

Like CATAPULT, requests of one session are handled one at a time (it locks the session row
for each request) and a statement changes the session's state only once the LRS has stored it.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
ADL = "http://adlnet.gov/expapi/verbs/"
INITIALIZED, TERMINATED = ADL + "initialized", ADL + "terminated"
COMPLETED, PASSED, FAILED = ADL + "completed", ADL + "passed", ADL + "failed"
_UTC = re.compile(r"(Z|\+00:?(?:00)?)$")

# The wording of each rule, from the cmi5 requirements list CATAPULT uses (@cmi5/requirements).
RULES = {
    "8.1.2.0-2": 'The authorization token returned by the "fetch" URL MUST be limited to the '
                 "duration of a specific user session.",
    "8.1.3.0-3": 'The AU MUST use the "actor" value in xAPI requests that require an "actor" '
                 'property or that require an "agent" parameter.',
    "8.1.4.0-3": 'The AU MUST use the "registration" value in xAPI requests that require a '
                 '"registration".',
    "8.1.5.0-6": 'The AU MUST use the "activityId" value as the id property of the Object in all '
                 '"cmi5 defined" statements.',
    "9.1.0.0-1": "The AU MUST assign a statement id property in UUID format (as defined in the "
                 "xAPI specification) for all statements it issues.",
    "9.2.0.0-2": 'The Actor property for all "cmi5 defined" statements MUST be of objectType '
                 '"Agent".',
    "9.2.0.0-3": 'The Actor property MUST contain an "account" IFI as defined in the xAPI '
                 "specification.",
    "9.3.0.0-1": "AUs MUST use the below verbs that are indicated as mandatory in other sections "
                 "of this specification.",
    "9.3.0.0-2": "Verbs MUST NOT be duplicated (in cmi5 defined statements).",
    "9.3.0.0-3": 'More than one of the set of {"Passed","Failed"} verbs MUST NOT be used (in '
                 "cmi5 defined statements).",
    "9.3.0.0-4": 'The "Initialized" verb MUST be the first statement (cmi5 allowed or defined).',
    "9.3.0.0-5": 'The "Terminated" verb MUST be the last statement (cmi5 allowed or defined).',
    "9.3.0.0-6": 'Exactly zero or one "Completed" cmi5 defined statement MUST be used per '
                 "registration.",
    "9.3.0.0-7": 'Exactly zero or one "Passed" cmi5 defined statement MUST be used per '
                 "registration.",
    "9.3.0.0-8": 'A "Failed" statement MUST NOT follow a "Passed" statement (in cmi5 defined '
                 "statements) per registration.",
    "9.3.4.0-2": 'If the "Passed" statement contains a (scaled) score, the (scaled) score MUST be '
                 'equal to or greater than the "masteryScore" indicated in the LMS Launch Data.',
    # CATAPULT refuses a "failed" whose score reaches the masteryScore with this id (whose
    # published wording is about "Abandoned"); the wording here says what it checks.
    "9.3.6.0-1": 'If the "Failed" statement contains a (scaled) score, the (scaled) score MUST '
                 'be less than the "masteryScore" indicated in the LMS Launch Data.',
    "9.4.0.0-1": 'An Object MUST be present, as specified in this section, in all "cmi5 '
                 'defined" statements.',
    "9.5.1.0-2": 'cmi5 defined statements, other than "Passed" or "Failed", MUST NOT include '
                 'the "score" property.',
    "9.5.1.0-3": 'The AU MUST provide the "min" and "max" values for "score" when the "raw" '
                 "value is provided.",
    "9.5.2.0-1": 'The "success" property of the result MUST be set to true for the following '
                 'cmi5 defined statements ["Passed", "Waived"].',
    "9.5.2.0-2": 'The "success" property of the result MUST be set to false for the following '
                 'cmi5 defined statements ["Failed"].',
    "9.5.2.0-3": 'cmi5 defined statements, other than "Passed", "Waived" or "Failed", MUST NOT '
                 'include the "success" property.',
    "9.5.3.0-1": 'The "completion" property of the result MUST be set to true for the '
                 'following cmi5 defined statements ["Completed", "Waived"].',
    "9.5.3.0-2": 'cmi5 defined statements, other than "Completed" or "Waived", MUST NOT include '
                 'the "completion" property.',
    "9.5.4.1-1": 'The AU MUST include the "duration" property in "Terminated" statements.',
    "9.5.4.1-2": 'The AU MUST include the "duration" property in "Completed" statements.',
    "9.5.4.1-3": 'The AU MUST include the "duration" property in "Passed" statements.',
    "9.5.4.1-4": 'The AU MUST include the "duration" property in "Failed" statements.',
    "9.6.0.0-1": 'All cmi5 defined statements MUST contain a context that includes all '
                 "properties as defined in this section [9.6].",
    "9.6.1.0-1": "The value for the registration property used in the context object MUST be "
                 "the value provided by the LMS.",
    "9.6.2.2-1": 'cmi5 defined statements with a Result object (Section 9.5) that include '
                 'either "success" or "completion" properties MUST have an Activity object with '
                 'an "id" of "https://w3id.org/xapi/cmi5/context/categories/moveon" in the '
                 '"category" context activities list.',
    "9.6.2.2-2": "Other statements [than those with a result.completion or result.success "
                 "property] MUST NOT include this Activity [the moveOn Category Activity].",
    "9.6.3.1-4": 'An AU MUST include the session ID provided by the LMS in the context as an '
                 'extension for all "cmi5 defined" and "cmi5 allowed" statements it makes '
                 "directly in the LRS.",
    "9.6.3.2-2": 'An AU MUST include the "masteryScore" value provided by the LMS in the context '
                 'as an extension for "passed"/"failed" Statements it makes based on the '
                 '"masteryScore".',
    "9.7.0.0-1": "All statements MUST include a timestamp property per the xAPI specification "
                 "to ensure statement ordering requirements are met.",
    "9.7.0.0-2": "All timestamps MUST be recorded in UTC time.",
    "10.2.1.0-5": 'The AU MUST NOT modify or delete the "LMS.LaunchData" State document.',
    "10.2.1.0-6": 'The AU MUST use the contextTemplate as a template for the "context" property '
                  "in all xAPI statements it sends to the LMS.",
    "10.2.2.0-2": "Browse [launchMode] Indicates to the AU that satisfaction-related data MUST "
                  "NOT be recorded in the LMS using xAPI statements.",
    "10.2.2.0-3": "Review [launchMode] Indicates to the AU that satisfaction-related data MUST "
                  "NOT be recorded in the LMS using xAPI statements.",
    "11.0.0.0-1": "The Agent used in xAPI Agent Profile requests MUST match the actor property "
                  "generated by the LMS at AU launch time.",
    "11.0.0.0-3": "The AU MUST retrieve the Learner Preferences document from the Agent Profile "
                  "on startup.",
}


class Refused(Exception):
    """A request broke a cmi5 rule: the LMS answers 403 with the rule's id and wording."""

    def __init__(self, rule: str, detail: str = "") -> None:
        super().__init__(f"{rule} - {RULES[rule]} ({detail})")
        self.rule = rule
        self.detail = detail

    def body(self) -> dict[str, Any]:
        """The answer's body, as CATAPULT's (hapi Boom.forbidden) is."""
        return {"statusCode": 403, "error": "Forbidden", "message": str(self)}


@dataclass
class Registration:
    """What the LMS keeps per registration and AU across sessions."""

    completed: bool = False
    passed: bool = False


@dataclass
class Session:
    """One launch of one AU: made by the LMS before it launches the AU."""

    id: str
    registration: str
    actor: dict[str, Any]
    activity_id: str  # the LMS's id of the AU, the launch activityId
    launch_mode: str = "Normal"
    mastery_score: float | None = None
    context_template: dict[str, Any] = field(default_factory=dict)
    record: Registration = field(default_factory=Registration)
    token_fetched: bool = False
    prefs_fetched: bool = False
    launch_data_fetched: bool = False
    initialized: bool = False
    terminated: bool = False
    abandoned: bool = False
    completed: bool = False
    passed: bool = False
    failed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)


def check_open(session: Session) -> None:
    """Every request: the session's token was fetched and the session has not ended."""
    if not session.token_fetched:
        raise Refused("8.1.2.0-2", "Token not yet fetched")
    if session.terminated:
        raise Refused("8.1.2.0-2", "Session terminated")
    if session.abandoned:
        raise Refused("8.1.2.0-2", "Session abandoned")


def _agent(params: dict[str, str], missing_rule: str | None = None) -> Any:
    text = params.get("agent")
    if text is None:
        if missing_rule:
            raise Refused(missing_rule, "'agent' parameter missing")
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise Refused("8.1.3.0-3", "agent is not JSON") from None


def check_request(session: Session, method: str, resource: str, params: dict[str, str],
                  body: bytes) -> list[str]:
    """Check one request (after check_open); return the cmi5 defined verbs it records, which
    update the session once the LRS has stored them (see ``stored``)."""
    method = method.upper()
    if resource == "statements" and method in ("PUT", "POST"):
        if not session.prefs_fetched:
            raise Refused("11.0.0.0-3", "Learner Prefs not yet retrieved")
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            raise Refused("9.1.0.0-1", "the body is not JSON") from None
        statements = payload if isinstance(payload, list) else [payload]
        verbs: list[str] = []
        for statement in statements:
            verbs.extend(_check_statement(session, statement, verbs))
        return verbs
    if resource == "activities/state":
        agent = _agent(params)
        if agent != session.actor:
            raise Refused("8.1.3.0-3", f"state request: {params.get('stateId')}")
        if params.get("registration") and params["registration"] != session.registration:
            raise Refused("8.1.4.0-3", f"state request: {params.get('stateId')}")
        if params.get("stateId") == "LMS.LaunchData" and method != "GET":
            raise Refused("10.2.1.0-5", method)
        return []
    if resource == "agents/profile":
        agent = _agent(params, "11.0.0.0-1")
        if agent != session.actor:
            raise Refused("8.1.3.0-3", f"agents/profile request: {params.get('profileId')}")
        return []
    if resource == "agents":
        if _agent(params) != session.actor:
            raise Refused("8.1.3.0-3", "agents request")
    return []


def _categories(statement: dict[str, Any]) -> list[str]:
    category = (statement.get("context") or {}).get("contextActivities", {}).get("category")
    return [a.get("id") for a in category] if isinstance(category, list) else []


def _check_template(context: dict[str, Any], template: dict[str, Any]) -> None:
    for prop, expected in template.items():
        if prop == "contextActivities":
            for kind, activities in expected.items():
                given = (context.get(prop) or {}).get(kind) or []
                for i, activity in enumerate(activities):
                    if i >= len(given) or given[i].get("id") != activity.get("id"):
                        raise Refused("10.2.1.0-6", f"context does not match template: '{prop}' "
                                                    f"'{kind}' '{i}' value differs")
        else:
            if prop not in context:
                raise Refused("10.2.1.0-6", f"context does not match template: '{prop}' missing")
            if isinstance(expected, dict):
                for key, value in expected.items():
                    if context[prop].get(key) != value:
                        raise Refused("10.2.1.0-6", f"context does not match template: '{prop}' "
                                                    f"'{key}' value differs")


def _check_statement(session: Session, st: dict[str, Any], earlier: list[str]) -> list[str]:
    sid = st.get("id")
    if not sid:
        raise Refused("9.1.0.0-1", "Statement id missing")
    if "timestamp" not in st:
        raise Refused("9.7.0.0-1", sid)
    if not _UTC.search(st["timestamp"]):
        raise Refused("9.7.0.0-2", sid)
    if st.get("actor") != session.actor:
        raise Refused("8.1.3.0-3", sid)
    context = st.get("context")
    if not context:
        raise Refused("9.6.0.0-1", f"no context: {sid}")
    if not context.get("contextActivities"):
        raise Refused("10.2.1.0-6", f"no contextActivities: {sid}")
    _check_template(context, session.context_template)
    categories = _categories(st)
    verb = (st.get("verb") or {}).get("id")
    if MOVEON_CATEGORY in categories and (CMI5_CATEGORY not in categories
                                          or verb not in (PASSED, FAILED, COMPLETED)):
        raise Refused("9.6.2.2-2", sid)
    if not context.get("registration"):
        raise Refused("9.6.1.0-1", f"registration missing in {sid}")
    if context["registration"] != session.registration:
        raise Refused("9.6.1.0-1", f"registration does not match in {sid}")
    if not (context.get("extensions") or {}).get(SESSION_EXTENSION):
        raise Refused("9.6.3.1-4", sid)
    if not session.initialized and verb != INITIALIZED:  # as CATAPULT: not even in a batch
        raise Refused("9.3.0.0-4", sid)
    if session.terminated or TERMINATED in earlier:
        raise Refused("9.3.0.0-5", sid)
    if CMI5_CATEGORY not in categories:
        return []  # a "cmi5 allowed" statement
    return [_check_defined(session, st, verb, earlier)]


def _check_defined(session: Session, st: dict[str, Any], verb: str, earlier: list[str]) -> str:
    sid = st["id"]
    actor = st["actor"]
    if actor.get("objectType", "Agent") != "Agent":
        raise Refused("9.2.0.0-2", sid)
    account = actor.get("account") or {}
    if "name" not in account or "homePage" not in account:
        raise Refused("9.2.0.0-3", sid)
    if not (st.get("object") or {}).get("id"):
        raise Refused("9.4.0.0-1", sid)
    if st["object"]["id"] != session.activity_id:
        raise Refused("8.1.5.0-6", sid)
    judged = verb in (COMPLETED, PASSED, FAILED)
    if session.launch_mode == "Browse" and judged:
        raise Refused("10.2.2.0-2", sid)
    if session.launch_mode == "Review" and judged:
        raise Refused("10.2.2.0-3", sid)
    result = st.get("result")
    missing = {COMPLETED: "9.5.3.0-1", PASSED: "9.5.2.0-1", FAILED: "9.5.2.0-2",
               TERMINATED: "9.5.4.1-1"}
    if not result:
        if verb in missing:
            raise Refused(missing[verb], sid)
    else:
        if "completion" in result and verb != COMPLETED:
            raise Refused("9.5.3.0-2", sid)
        if verb == COMPLETED and result.get("completion") is not True:
            raise Refused("9.5.3.0-1", sid)
        if "success" in result and verb not in (PASSED, FAILED):
            raise Refused("9.5.2.0-3", sid)
        if verb == PASSED and result.get("success") is not True:
            raise Refused("9.5.2.0-1", sid)
        if verb == FAILED and result.get("success") is not False:
            raise Refused("9.5.2.0-2", sid)
        if ("completion" in result or "success" in result) and \
                MOVEON_CATEGORY not in _categories(st):
            raise Refused("9.6.2.2-1", sid)
        score = result.get("score")
        if score:
            if verb not in (PASSED, FAILED):
                raise Refused("9.5.1.0-2", sid)
            if score.get("raw") and ("min" not in score or "max" not in score):
                raise Refused("9.5.1.0-3", sid)
            if session.mastery_score:
                value = (st["context"].get("extensions") or {}).get(MASTERY_EXTENSION)
                if value is None:
                    raise Refused("9.6.3.2-2", f"extension missing {sid}")
                if value != session.mastery_score:
                    raise Refused("9.6.3.2-2", f"extension value '{value}' does not match "
                                               f"session value '{session.mastery_score}' in {sid}")
        if "duration" not in result:
            durations = {TERMINATED: "9.5.4.1-1", COMPLETED: "9.5.4.1-2", PASSED: "9.5.4.1-3",
                         FAILED: "9.5.4.1-4"}
            if verb in durations:
                raise Refused(durations[verb], sid)
    scaled = ((result or {}).get("score") or {}).get("scaled")
    if verb == INITIALIZED:
        if session.initialized or INITIALIZED in earlier:
            raise Refused("9.3.0.0-2", f"Already initialized: {sid}")
    elif verb == TERMINATED:
        if TERMINATED in earlier:
            raise Refused("9.3.0.0-2", f"Already terminated: {sid}")
    elif verb == COMPLETED:
        if session.completed or COMPLETED in earlier:
            raise Refused("9.3.0.0-2", f"Already completed: {sid}")
        if session.record.completed:
            raise Refused("9.3.0.0-6", f"Already completed: {sid}")
    elif verb == PASSED:
        if session.mastery_score and scaled is not None and scaled < session.mastery_score:
            raise Refused("9.3.4.0-2", f"Score '{scaled}' less than mastery score "
                                       f"'{session.mastery_score}': {sid}")
        if session.passed or PASSED in earlier:
            raise Refused("9.3.0.0-2", f"Already passed: {sid}")
        if session.failed or FAILED in earlier:
            raise Refused("9.3.0.0-3", f"Already failed: {sid}")
        if session.record.passed:
            raise Refused("9.3.0.0-7", f"Already passed: {sid}")
    elif verb == FAILED:
        if session.mastery_score and scaled is not None and scaled >= session.mastery_score:
            raise Refused("9.3.6.0-1", f"Score '{scaled}' greater than or equal to mastery score "
                                       f"'{session.mastery_score}': {sid}")
        if session.failed or FAILED in earlier:
            raise Refused("9.3.0.0-2", f"Already failed: {sid}")
        if session.passed or PASSED in earlier:
            raise Refused("9.3.0.0-3", f"Already passed: {sid}")
        if session.record.passed:
            raise Refused("9.3.0.0-8", f"Already passed: {sid}")
    else:
        raise Refused("9.3.0.0-1", f"Unrecognized cmi5 defined statement: {verb} - {sid}")
    return verb


def stored(session: Session, verbs: list[str]) -> None:
    """The LRS stored statements with these cmi5 defined verbs: update the session."""
    for verb in verbs:
        if verb == INITIALIZED:
            session.initialized = True
        elif verb == TERMINATED:
            session.terminated = True
        elif verb == COMPLETED:
            session.completed = session.record.completed = True
        elif verb == PASSED:
            session.passed = session.record.passed = True
        elif verb == FAILED:
            session.failed = True
