/* course_builder runtime: the tracking adapter interface, written once.
 *
 * The runtime's files share one private namespace object (window.__cb while the package's
 * scripts load; boot.js takes it and removes it, so afterwards the page's only global is CB,
 * the public API: see boot.js). An adapter is made by __cb.adapters[name](course) and is the
 * tracker's (tracker.js) one way to an LMS or LRS. The tracker calls it ONLY through
 * R.call(adapter, member, args), which:
 *   - returns undefined when the adapter has no such member (the optional parts below), so
 *     nothing anywhere probes an adapter for what it can do;
 *   - catches anything an adapter throws (an LMS API whose methods throw), logs it in
 *     adapter.log and returns false, so one failing call never stops the course or the steps
 *     after it.
 *
 * REQUIRED members
 *   name                      "scorm12", "scorm2004", "xapi", "cmi5" or "none"
 *   statuses                  "lesson": one status (SCORM 1.2), set with setLessonStatus;
 *                             "split": completion and success, set with setCompletion and
 *                             setSuccess (SCORM 2004, xAPI, cmi5, none)
 *   log                       array of lines for support staff (CB.diagnose())
 *   start(startedAt, report)  -> Launch. Opens the session and reads what the LMS holds.
 *                             startedAt: the session's clock (ms). report(problem, detail):
 *                             how the adapter tells the tracker, at any later time, about
 *                             trouble it meets on its own (see Problems)
 *   setLocation(pageId)       the page now shown (a SCORM bookmark; an LRS "experienced")
 *   setSuspend(text)          the saved-state string (state.js)
 *   setProgress(fraction)     0..1
 *   setScore(percent)         0..100; always before any status
 *   record(meta, response, correct, latencyMs, when)   one answered question
 *   setExit(suspend, sessionMs, byLearner)   just before terminate(): exit and session time
 *   commit(reason)            -> false when the LMS refused or failed; true otherwise
 *   terminate(options)        -> boolean, or a promise (LRS). The session's one and last call.
 *                             options: {byLearner, unloading, recording}
 * Setters may return false when the LMS refused the value (SCORM SetValue "false"): the
 * tracker then tells the learner their progress is not all being saved.
 *
 * OPTIONAL members
 *   prepare()                 -> promise: asynchronous reads before start() (LRS State API,
 *                             cmi5 token and LMS.LaunchData); the course starts when it settles
 *   setCompletion(value)      "completed" | "incomplete"   (required when statuses is "split")
 *   setSuccess(value)         "passed" | "failed"          (required when statuses is "split")
 *   setLessonStatus(value)    SCORM 1.2's one status       (required when statuses is "lesson")
 *   unloading()               the page is going away after terminate() began (LRS)
 *   pending()                 -> number of records kept for later (LRS statements queued)
 *   exitUrl                   where "Take a break" goes afterwards (cmi5 returnURL)
 *   ended                     {returnURL}: this launch's session ended before the page
 *                             loaded (cmi5); the course then shows "This session has ended"
 *
 * Launch (what start() returns):
 *   connected     false when nothing records this visit beyond this browser
 *   refused       the LMS was there but would not open a session (Initialize false/threw)
 *   mode          "normal" | "browse" | "review";  credit: false for "no-credit"
 *   firstLaunch   nothing recorded yet for this attempt
 *   completion, success, lesson, score   what the LMS holds (for "no downgrade" and review)
 *   location, suspend                    the bookmark and saved-state string it holds
 *   unread        the LMS failed to answer a read (its GetValue threw): what it holds is
 *                 unknown, so the tracker keeps it ("held") rather than overwrite it
 *   learner       who and which attempt, as a string (the key of this browser's journal and
 *                 of the claim that stops two tabs writing the same attempt: journal.js)
 *   journal       true when the tracker should keep and replay the journal (SCORM: the LMS
 *                 keeps no copy in this browser; the LRS adapters keep their own)
 *   passMark, scope   (cmi5) the LMS's pass mark; the one module this session shows
 *
 * Problems (report(problem, detail)):
 *   "failing"     the LMS/LRS does not answer or fails (5xx, no network): kept and retried
 *   "refused"     it refuses for good this session (401/403, a conflict): kept for the next launch
 *   "lost"        the LMS's window was closed or left: nothing more can reach it
 *   "ok"          it accepts again
 */
(function (R) {
  "use strict";

  function text(err) {
    return String(err && err.message || err);
  }

  /** Call an adapter member through the one door: absent -> undefined, throws -> false. */
  R.call = function (adapter, member, args) {
    var fn = adapter[member];
    if (typeof fn !== "function") return undefined;
    try {
      return fn.apply(adapter, args || []);
    } catch (err) {
      R.note(adapter, member + " threw: " + text(err));
      return false;
    }
  };

  /** Add a line to an adapter's log (what CB.diagnose() shows support staff). */
  R.note = function (adapter, line) {
    if (!adapter.log) adapter.log = [];
    adapter.log.push(line);
    if (window.console) console.warn("course_builder: " + line);
  };

  R.errorText = text;

  /* Times as the formats write them (every adapter's). */
  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }
  R.time = {
    /** SCORM 1.2 CMITimespan: HHHH:MM:SS.SS */
    timespan12: function (ms) {
      var cs = Math.round(ms / 10), h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60;
      var s = Math.floor(cs / 100) % 60, frac = cs % 100;
      return pad(Math.min(h, 9999), 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(frac, 2);
    },
    /** SCORM 1.2 CMITime: HH:MM:SS (time of day) */
    time12: function (date) {
      return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
    },
    /** ISO 8601 duration, as SCORM 2004 timeinterval and xAPI use: PT1H2M3.45S */
    duration: function (ms) {
      var cs = Math.round(ms / 10), h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60;
      var s = (cs % 6000) / 100;
      return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s + "S";
    },
    /** SCORM 2004 time(second,10,0): local date and time without zone */
    timestamp: function (date) {
      return date.getFullYear() + "-" + pad(date.getMonth() + 1, 2) + "-" + pad(date.getDate(), 2) +
        "T" + R.time.time12(date);
    }
  };
})(window.__cb = window.__cb || {});
