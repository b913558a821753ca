"""The words the runtime's own JavaScript shows, by key: the English of ``CB.t("cb.<key>")``.

The runtime's scripts hold keys only; the build puts each key's words in the package's language
into the page (``words.js_messages``). ``{name}`` marks a value the script fills in. A plugin
declares the words of its own script the same way, as its ``messages`` (keys without the
``<type>.`` prefix, which ``api.t`` adds). Extracted into the tool's catalog with each key as
the entry's context (``python -m course_builder.i18n.extract``).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # nav.js: the pages
    "cb.page_of": "Page {n} of {total}",
    "cb.last_page": "This is the last page of the course.",
    # nav.js: how to leave
    "cb.leave_return": "To leave, select \u201cTake a break\u201d: it takes you back to your "
                       "learning management system.",
    "cb.leave_close": "You can close this window now.",
    "cb.leave_close_end": "You can close this window.",
    "cb.leave_exit": "To leave, use your learning management system\u2019s exit or close button "
                     "(in Moodle and Totara: \u201cExit activity\u201d).",
    "cb.leave_exit_or_close": "To leave, use your learning management system\u2019s exit or "
                              "close button (in Moodle and Totara: \u201cExit activity\u201d), "
                              "or close this window.",
    # nav.js: the banner of a browse, review or no-credit launch
    "cb.review_title": "Review: this visit is not recorded",
    "cb.review_text": "You can look at every page and try the activities again, but nothing you "
                      "do now changes your record.",
    "cb.review_record": "Your record shows: {record}.",
    "cb.review_no_record": "Your learning management system sent no saved progress, so no "
                           "answers are shown.",
    "cb.review_new_attempt": "To take the course again and be recorded, start a new attempt in "
                             "your learning management system (in Moodle and Totara: tick "
                             "\u201cStart a new attempt\u201d before you enter). If it offers "
                             "none, ask your LMS administrator.",
    "cb.browse_title": "Browse: this visit is not recorded",
    "cb.browse_text": "You can look at every page and try the activities, but nothing you do now "
                      "is recorded. To be recorded, open the course from your learning "
                      "management system in the usual way.",
    "cb.no_credit_title": "Not for credit",
    "cb.no_credit_text": "Your learning management system opened this course without credit: "
                         "your progress and answers are saved, but no pass or fail is recorded.",
    "cb.status_passed": "passed",
    "cb.status_failed": "not passed",
    "cb.status_completed": "completed",
    "cb.status_incomplete": "not yet completed",
    "cb.status_score": "{status}, score {score}%",
    # nav.js: after "Take a break"
    "cb.break_saved_title": "Your progress is saved",
    "cb.break_left_title": "You have left the course",
    "cb.break_saved_text": "When you come back, the course opens where you left off.",
    "cb.break_not_recorded_text": "Nothing from this visit was recorded: your record is as it "
                                  "was.",
    "cb.break_elsewhere_text": "Your progress carries on in the other tab or window.",
    "cb.break_held_text": "The saved progress we could not read is kept as it was.",
    "cb.break_unsaved_text": "Not all of your progress reached your record. It is kept in this "
                             "browser, and sent the next time you open the course from your "
                             "learning management system on this computer.",
    # boot.js
    "cb.not_connected": "Not connected to a learning management system: your progress is saved "
                        "in this browser only.",
    "cb.welcome_back": "Welcome back. You are on the page where you left off.",
}
