"""LMS profiles: what is known to differ between real LMSs, switched at build time.

``course-builder build --lms-profile NAME`` writes the profile's switches into the course JSON
(``course.lms``), where the runtime reads them (``runtime/core/tracker.js``,
``runtime/adapters/_scorm_api.js``). ``generic``, the default, is the safe choice for any LMS;
a profile changes only what a source says that LMS needs, and each switch names its source.
A profile with no known difference is an alias and says so. docs/lms-administrators.md ("LMS
profiles") is the table for LMS administrators; tests/e2e/test_lms_profiles.py tests every switch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Every switch the runtime reads, at its safe (generic) value.
GENERIC: dict[str, Any] = {
    # When to commit: "page" (every page change, answer and status change) or "milestone"
    # (only when a status changes, on the timer and at the end of the session).
    "commits": "page",
    "timedCommitMinutes": 3,
    # SCORM cmi.interactions (one per answered question).
    "interactions": True,
    # SCORM 2004 adl.nav.request ("suspendAll"/"exitAll") when the learner takes a break.
    "navRequest": True,
    # Write a "failed" status only as the session ends (the learner may still pass before).
    "deferFailed": False,
}


@dataclass(frozen=True)
class Switch:
    """One difference from generic: the runtime switch, its value, why, and the source."""

    name: str
    value: Any
    why: str
    source: str


@dataclass(frozen=True)
class Profile:
    """A named LMS: its own switches, or ``alias_of`` another profile (``note`` says why)."""

    name: str
    title: str
    switches: tuple[Switch, ...] = ()
    alias_of: str | None = None
    note: str = ""


_MOODLE_SCORM_13 = ("Moodle 4.5, mod/scorm/datamodels/scorm_13.js, Terminate(): only "
                    "'continue' and 'previous' requests act; 'exitAll', 'abandonAll' do "
                    "nothing and 'suspendAll' is not handled; seen with these packages in "
                    "Moodle 4.5.6 (Take a break left the learner in Moodle's frame)")

PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile("generic", "Any SCORM, xAPI or cmi5 LMS (the default)",
            note="The safe behaviour, built and tested against Moodle's player, ADL's cmi5 "
                 "rules and scorm-again: commits at every page change, interactions recorded, "
                 "exit '' or 'suspend' (never 'logout'), one Terminate."),
    Profile("moodle", "Moodle", (
        Switch("navRequest", False,
               "Moodle's SCORM 2004 player ignores adl.nav.request 'suspendAll' and 'exitAll', "
               "so the course does not set it; learners leave with Moodle's Exit activity, "
               "which the course names.",
               _MOODLE_SCORM_13),
    )),
    Profile("totara", "Totara Learn", alias_of="moodle",
            note="Totara's SCORM activity is Moodle's (Totara forked from Moodle in 2016), and "
                 "Totara's help says it does not support SCORM 2004 sequencing and navigation "
                 "(help.totaralearning.com, 'SCORM'). Same switches as moodle."),
    Profile("learning-pool", "Learning Pool (Totara-based LMS)", alias_of="totara",
            note="Learning Pool Essential+ is 'driven by Totara LMS' (UK Digital Marketplace, "
                 "G-Cloud 11 service 742082984416291). Same switches as totara."),
    Profile("esr", "NHS ESR (Oracle Learning Management)", alias_of="generic",
            note="No published difference in how ESR's OLM runs SCORM content was found; the "
                 "ESR Hub's 'E-learning technical information' page documents only the content "
                 "server (web-facing, HTTPS, an ESR SCORM adapter) and domains to allow. "
                 "Generic; please tell the course's authors what you find."),
    Profile("cornerstone", "Cornerstone (CSOD)", (
        Switch("deferFailed", True,
               "Cornerstone treats a 'failed' status as final for the transcript (a SCORM 1.2 "
               "course that reported failed 'cannot progress from an In Progress status'; "
               "with Cornerstone's failed-status feature it is shown as Failed and is not "
               "complete), so the course writes 'failed' only when the session ends without "
               "a pass: a learner who fails and then passes in one session is never failed.",
               "Cornerstone help, 'Display Failed Status for Online Classes' "
               "(help.csod.com/help/csod_0/Content/0_Whats_New/203/LMS/Failed_Status/"
               "Failed_Status_Online_Class.htm)"),
    )),
    Profile("successfactors", "SAP SuccessFactors Learning", (
        Switch("interactions", False,
               "A content vendor reports SuccessFactors (and Oracle iLearning) failing to track "
               "anything after content used certain data model elements, and ships a "
               "'SuccessFactors NoIntNoObj' build without interactions or objectives; the "
               "course then writes no cmi.interactions (and never reads their _count). Score, "
               "status and saved progress are unchanged; the LMS's question report is empty.",
               "ICOM Productions knowledge base, 'Oracle iLearning' (kb.icomproductions.ca/"
               "documentation/lms/list-of-3rd-party-lmss/oracle-ilearning)"),
    ), note="Also known, and already handled by generic: cmi.core.exit 'logout' logged "
            "learners out of SuccessFactors (eLearning Technology and Development group, "
            "2016: the course never writes 'logout'); content runs in a window of its own "
            "with the API on the LMS's Content Structure page, and leaving that page breaks "
            "communication (SAP KBA 2978409: the course watches the API's window and tells "
            "the learner); SCORM 2004 content is marked completed on exit unless the manifest "
            "says completionSetByContent (SAP KBA 2458835: the manifest says so)."),
    Profile("skillport", "Skillsoft SkillPort / Percipio", (
        Switch("commits", "milestone",
               "Skillsoft will not support content that calls LMSCommit at every page turn: "
               "commit every 10-15 minutes, at the end of a lesson, and on unload. The course "
               "commits when a status changes, on its timer and at the end.",
               "Skillsoft, Custom Content Authoring Guidelines, SCORM 1.2 Authoring Guide, "
               "'Performance considerations' (documentation.skillsoft.com/en_us/ccps/"
               "custom_content_authoring_guidelines/scorm_1.2_authoring_guide/"
               "developer_considerations/pub_performance_considerations.htm)"),
        Switch("timedCommitMinutes", 10,
               "The same guideline: a timed commit every 10-15 minutes, not every 3 (the "
               "course's timer commits only when something changed).",
               "Skillsoft, Custom Content Authoring Guidelines, SCORM 1.2 Authoring Guide, "
               "'Performance considerations'"),
    )),
)}

DEFAULT = "generic"


def chain(name: str) -> list[Profile]:
    """The profile and those it is an alias of, nearest first (``KeyError`` if unknown)."""
    found = [PROFILES[name]]
    while found[-1].alias_of:
        found.append(PROFILES[found[-1].alias_of])
    return found


def switches(name: str) -> dict[str, Any]:
    """Every runtime switch for profile ``name``: generic's, then its chain's, nearest last."""
    values = dict(GENERIC)
    for profile in reversed(chain(name)):
        values.update({s.name: s.value for s in profile.switches})
    return values


def runtime_data(name: str) -> dict[str, Any]:
    """What the course JSON carries as ``lms``: the profile's name and its switches."""
    return {"profile": name, **switches(name)}
