"""The server side of Moodle's SCORM player, for the browser tests' LMS in Moodle mode.

What real Moodle 4.5 did with this project's packages is in the team's notes (Moodle is what
Totara, used by many NHS trusts, is built on); the rules here follow Moodle's own code:

- ``launch`` (mod/scorm/locallib.php ``scorm_check_mode``): an attempt whose completion element
  (SCORM 1.2 ``cmi.core.lesson_status``, 2004 ``cmi.completion_status``) is completed, passed
  or failed is finished; relaunching it opens it in **review** (credit "no-credit"), unless the
  learner asked for a new attempt ("Start a new attempt") or the activity forces one, and the
  attempts allowed are not used up. Saved data is handed back only when the attempt's last exit
  was "suspend" (entry "resume"); otherwise entry is ab-initio, completion unknown and
  suspend_data empty (SCORM 2004 RTE 4.2.8, as Moodle applies it). Interactions are handed back
  with the data (Moodle rebuilds ``cmi.interactions`` from its tracks), so the player sends them
  again with every request.
- ``store`` (mod/scorm/datamodel.php): every element a request carries is stored in the
  attempt, whatever the mode: a course that writes in review changes the finished attempt.

The player's side (one request per Commit and per Terminate carrying the whole data model;
``navigator.sendBeacon`` while the LMS page closes) is in ``lms/lms.js``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

FINISHED = ("completed", "passed", "failed")


@dataclass
class Request:
    """One Commit or Terminate request that reached the server."""

    call: str        # "commit" or "terminate"
    unloading: bool  # sent with sendBeacon while the LMS page closed
    size: int        # bytes in the body
    elements: dict[str, str]


@dataclass
class Attempt:
    """One attempt: Moodle's tracks (element -> value) and the requests that wrote them."""

    number: int
    tracks: dict[str, str] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)


def _elements(version: str) -> dict[str, str]:
    if version == "1.2":
        return {"status": "cmi.core.lesson_status", "exit": "cmi.core.exit",
                "entry": "cmi.core.entry", "mode": "cmi.core.lesson_mode",
                "credit": "cmi.core.credit", "total": "cmi.core.total_time",
                "session": "cmi.core.session_time", "id": "cmi.core.student_id",
                "name": "cmi.core.student_name"}
    return {"status": "cmi.completion_status", "exit": "cmi.exit", "entry": "cmi.entry",
            "mode": "cmi.mode", "credit": "cmi.credit", "total": "cmi.total_time",
            "session": "cmi.session_time", "id": "cmi.learner_id", "name": "cmi.learner_name"}


class MoodleLMS:
    """One SCORM activity in Moodle, with its settings, and every learner's attempts.

    ``force_new_attempt``: the activity's "Force new attempt" setting ("on completed" attempts);
    ``max_attempts``: "Number of attempts" (0 = unlimited).
    """

    def __init__(self, force_new_attempt: bool = False, max_attempts: int = 0) -> None:
        self.force_new_attempt = force_new_attempt
        self.max_attempts = max_attempts
        self.lock = threading.Lock()
        self.learners: dict[tuple[str, str], list[Attempt]] = {}

    def attempts(self, learner: str, version: str) -> list[Attempt]:
        with self.lock:
            return list(self.learners.get((learner, version), []))

    def attempt(self, learner: str, version: str, number: int | None = None) -> Attempt:
        """The learner's latest attempt (or attempt ``number``)."""
        attempts = self.attempts(learner, version)
        return attempts[-1] if number is None else attempts[number - 1]

    def seed(self, learner: str, version: str, tracks: dict[str, str]) -> Attempt:
        """Add an attempt holding ``tracks``, as earlier sessions left it."""
        with self.lock:
            attempts = self.learners.setdefault((learner, version), [])
            attempts.append(Attempt(len(attempts) + 1, dict(tracks)))
            return attempts[-1]

    def launch(self, learner: str, version: str, new_attempt: bool = False) -> dict[str, Any]:
        """What the player hands the SCO: {"attempt", "mode", "state": flattened CMI}."""
        names = _elements(version)
        with self.lock:
            attempts = self.learners.setdefault((learner, version), [])
            if not attempts:
                attempts.append(Attempt(1))
            last = attempts[-1]
            finished = last.tracks.get(names["status"]) in FINISHED
            if not finished:
                new_attempt = False
            elif self.force_new_attempt:
                new_attempt = True
            if new_attempt and (self.max_attempts == 0 or last.number < self.max_attempts):
                attempts.append(Attempt(last.number + 1))
                mode = "normal"
            else:
                mode = "review" if finished else "normal"
            attempt = attempts[-1]
            tracks = dict(attempt.tracks)
        state = {names["id"]: learner, names["name"]: f"Learner, {learner}",
                 names["mode"]: mode, names["credit"]: "credit" if mode == "normal" else
                 "no-credit"}
        if tracks.get(names["exit"]) == "suspend":
            state.update({k: v for k, v in tracks.items()
                          if k not in (names["exit"], names["session"], "adl.nav.request")})
            state[names["entry"]] = "resume"
        else:
            state[names["entry"]] = "ab-initio" if not tracks or version == "2004" else ""
            if names["total"] in tracks:
                state[names["total"]] = tracks[names["total"]]
        return {"attempt": attempt.number, "mode": mode, "state": state}

    def store(self, learner: str, version: str, number: int, call: str,
              elements: dict[str, str], unloading: bool, size: int) -> None:
        """A Commit or Terminate request arrived: store every element it carries."""
        with self.lock:
            attempt = self.learners[(learner, version)][number - 1]
            attempt.tracks.update(elements)
            attempt.requests.append(Request(call, unloading, size, dict(elements)))
