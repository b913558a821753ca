"""The tests' cmi5 LMS refuses what ADL's CATAPULT player refuses, with 403 and the rule's id
(tests/lrs/cmi5_rules.py, tests/lrs/state_server.py)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

import pytest

from tests.lrs import cmi5_rules as rules
from tests.lrs.state_server import LMSEndpoint

ACTOR = {"objectType": "Agent", "name": "A", "account": {"homePage": "https://lms.example.org",
                                                         "name": "a-1"}}
AU = "https://lms.example.org/au/1"
REG = str(uuid.uuid4())
SESSION = str(uuid.uuid4())
TEMPLATE = {"contextActivities": {"grouping": [{"id": "https://example.org/c/au"}]},
            "extensions": {rules.SESSION_EXTENSION: SESSION}}


def session(**kw: Any) -> rules.Session:
    values = dict(id=SESSION, registration=REG, actor=ACTOR, activity_id=AU,
                  mastery_score=0.8, context_template=TEMPLATE, token_fetched=True,
                  prefs_fetched=True, initialized=True)
    values.update(kw)
    return rules.Session(**values)


def statement(verb: str, result: dict[str, Any] | None = None, defined: bool = True,
              **context: Any) -> dict[str, Any]:
    categories = [{"id": rules.CMI5_CATEGORY}] if defined else []
    if result and ("success" in result or "completion" in result):
        categories.append({"id": rules.MOVEON_CATEGORY})
    ctx: dict[str, Any] = {"registration": REG, "extensions": {rules.SESSION_EXTENSION: SESSION},
                           "contextActivities": {"grouping": [{"id": "https://example.org/c/au"}],
                                                 "category": categories}}
    ctx.update(context)
    if verb in (rules.PASSED, rules.FAILED):
        ctx["extensions"][rules.MASTERY_EXTENSION] = 0.8
    st = {"id": str(uuid.uuid4()), "actor": ACTOR, "verb": {"id": verb},
          "object": {"id": AU}, "timestamp": "2026-11-30T10:00:00.000Z", "context": ctx}
    if result:
        st["result"] = result
    return st


def refused(s: rules.Session, method: str, resource: str, body: Any = None,
            **params: str) -> str | None:
    try:
        verbs = rules.check_request(s, method, resource, params,
                                    json.dumps(body).encode() if body is not None else b"")
    except rules.Refused as why:
        return why.rule
    rules.stored(s, verbs)
    return None


def test_statement_rules() -> None:
    s = session(initialized=False)
    assert refused(s, "PUT", "statements", statement(rules.PASSED, {"success": True,
                                                                   "duration": "PT1S"})) \
        == "9.3.0.0-4"  # initialized first
    assert refused(s, "PUT", "statements", statement(rules.INITIALIZED)) is None
    other = dict(ACTOR, account={"homePage": "https://x.example", "name": "someone"})
    assert refused(s, "PUT", "statements", dict(statement(rules.INITIALIZED), actor=other)) \
        == "8.1.3.0-3"
    assert refused(s, "PUT", "statements", statement(ADL_EXPERIENCED, defined=False,
                                                     registration=str(uuid.uuid4()))) \
        == "9.6.1.0-1"
    no_session = statement(ADL_EXPERIENCED, defined=False)
    no_session["context"]["extensions"] = {}
    assert refused(s, "PUT", "statements", no_session) == "10.2.1.0-6"  # template's extension
    score = {"scaled": 0.7, "raw": 70, "min": 0, "max": 100}
    assert refused(s, "PUT", "statements", statement(
        rules.PASSED, {"success": True, "duration": "PT1S", "score": score})) == "9.3.4.0-2"
    assert refused(s, "PUT", "statements", statement(
        rules.FAILED, {"success": False, "duration": "PT1S", "score": score})) is None
    assert refused(s, "PUT", "statements", statement(
        rules.PASSED, {"success": True, "duration": "PT1S"})) == "9.3.0.0-3"  # after failed
    assert refused(s, "PUT", "statements", statement(rules.TERMINATED, {"duration": "PT2S"})) \
        is None
    # after "terminated": nothing, not even a State save (8.1.2.0-2, as CATAPULT's auth)
    with pytest.raises(rules.Refused, match="8.1.2.0-2"):
        rules.check_open(s)


def test_one_completed_and_one_passed_per_registration() -> None:
    record = rules.Registration()
    first = session(record=record)
    assert refused(first, "PUT", "statements", statement(
        rules.COMPLETED, {"completion": True, "duration": "PT1S"})) is None
    second = session(id=str(uuid.uuid4()), record=record)
    assert refused(second, "PUT", "statements", statement(
        rules.COMPLETED, {"completion": True, "duration": "PT1S"})) == "9.3.0.0-6"


def test_no_judgement_in_browse_or_review() -> None:
    for mode, rule in (("Browse", "10.2.2.0-2"), ("Review", "10.2.2.0-3")):
        assert refused(session(launch_mode=mode), "PUT", "statements", statement(
            rules.COMPLETED, {"completion": True, "duration": "PT1S"})) == rule


def test_state_and_profile_rules() -> None:
    s = session()
    agent = json.dumps(ACTOR)
    assert refused(s, "GET", "activities/state", stateId="LMS.LaunchData", agent=agent,
                   activityId=AU, registration=REG) is None
    assert refused(s, "PUT", "activities/state", {}, stateId="LMS.LaunchData", agent=agent,
                   activityId=AU, registration=REG) == "10.2.1.0-5"
    assert refused(s, "PUT", "activities/state", {}, stateId="progress", agent=agent,
                   activityId=AU, registration=str(uuid.uuid4())) == "8.1.4.0-3"
    stranger = json.dumps({"account": {"homePage": "https://x.example", "name": "b"}})
    assert refused(s, "GET", "activities/state", stateId="progress", agent=stranger,
                   activityId=AU) == "8.1.3.0-3"
    assert refused(s, "GET", "agents/profile", profileId="cmi5LearnerPreferences") \
        == "11.0.0.0-1"
    fresh = session(prefs_fetched=False)
    assert refused(fresh, "PUT", "statements", statement(rules.INITIALIZED)) == "11.0.0.0-3"


ADL_EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"


def _call(lms: LMSEndpoint, method: str, path: str, auth: str, body: Any = None,
          **params: str) -> tuple[int, Any]:
    url = lms.root + path + ("?" + urllib.parse.urlencode(params) if params else "")
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": auth, "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            raw = answer.read()
            return answer.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def test_the_endpoint_refuses_with_403_and_the_rule(lms_endpoint: LMSEndpoint) -> None:
    """Through the endpoint: a session's token, the LMS.LaunchData read, statements to Ralph,
    and after "terminated" every request refused as CATAPULT does (8.1.2.0-2)."""
    launch_data = {"contextTemplate": TEMPLATE, "launchMode": "Normal", "masteryScore": 0.8,
                   "moveOn": "CompletedAndPassed", "returnURL": "https://lms.example.org/"}
    s = lms_endpoint.cmi5_session(ACTOR, REG, AU, SESSION, launch_data)
    token = _call(lms_endpoint, "POST", urllib.parse.urlsplit(
        lms_endpoint.fetch_url(session=s)).path, "")[1]["auth-token"]
    auth = f"Basic {token}"
    agent = json.dumps(ACTOR)
    status, data = _call(lms_endpoint, "GET", "/xAPI/activities/state", auth,
                         stateId="LMS.LaunchData", agent=agent, activityId=AU, registration=REG)
    assert (status, data["launchMode"]) == (200, "Normal")
    status, body = _call(lms_endpoint, "PUT", "/xAPI/statements", auth,
                         statement(rules.INITIALIZED), statementId="x")
    assert status == 403 and body["message"].startswith("11.0.0.0-3 - ")
    assert _call(lms_endpoint, "GET", "/xAPI/agents/profile", auth, agent=agent,
                 profileId="cmi5LearnerPreferences")[0] == 404
    for st in (statement(rules.INITIALIZED), statement(rules.TERMINATED, {"duration": "PT1S"})):
        assert _call(lms_endpoint, "PUT", "/xAPI/statements", auth, st,
                     statementId=st["id"])[0] == 204
    status, body = _call(lms_endpoint, "PUT", "/xAPI/activities/state", auth, {"page": 2},
                         stateId="progress", agent=agent, activityId=AU, registration=REG)
    assert status == 403
    assert body == {"statusCode": 403, "error": "Forbidden",
                    "message": f"8.1.2.0-2 - {rules.RULES['8.1.2.0-2']} (Session terminated)"}
    assert [(r.rule, r.method, r.path) for r in lms_endpoint.refusals] == [
        ("11.0.0.0-3", "PUT", "/xAPI/statements"),
        ("8.1.2.0-2", "PUT", "/xAPI/activities/state")]
