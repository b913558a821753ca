/* Tracking adapter: SCORM 1.2 (cmi.core.*). Data model limits from the SCORM 1.2 RTE:
 * lesson_location CMIString255, suspend_data CMIString4096, student_response CMIFeedback.
 * The conversation with the LMS is shared with SCORM 2004 (R.scormAdapter, _scorm_api.js). */
(function (R) {
  "use strict";
  R.adapters = R.adapters || {};

  function parseScore(text) {
    var n = parseFloat(text);
    return isNaN(n) ? null : n;
  }

  var dialect = {
    name: "scorm12",
    apiName: "API",
    functions: { initialize: "LMSInitialize", set: "LMSSetValue", get: "LMSGetValue",
      commit: "LMSCommit", terminate: "LMSFinish", error: "LMSGetLastError" },
    elements: { location: "cmi.core.lesson_location", exit: "cmi.core.exit",
      sessionTime: "cmi.core.session_time", time: "time", response: "student_response",
      wrong: "wrong", description: null, learner: "cmi.core.student_id" },
    normalExit: "",
    // SCORM 1.2 has one status for completion and success (set by the tracker's rules).
    statuses: "lesson",
    statusMethods: ["setLessonStatus"],
    start: function (lms) {
      var status = lms.get("cmi.core.lesson_status");
      var entry = lms.get("cmi.core.entry");
      // SCORM 1.2 RTE: cmi.core.lesson_mode "browse", "normal" or "review"; cmi.core.credit
      // "credit" or "no-credit". Moodle relaunches a finished (completed, passed or failed)
      // attempt in review.
      var mode = lms.get("cmi.core.lesson_mode");
      mode = mode === "browse" || mode === "review" ? mode : "normal";
      return {
        connected: true,
        mode: mode,
        credit: lms.get("cmi.core.credit") !== "no-credit",
        firstLaunch: status === "not attempted" || status === "" || entry === "ab-initio",
        lesson: status === "not attempted" ? null : status,
        // The recorded score, shown to a reviewing learner when the attempt was judged.
        score: mode !== "normal" && (status === "passed" || status === "failed")
          ? parseScore(lms.get("cmi.core.score.raw")) : null,
        location: lms.get("cmi.core.lesson_location"),
        suspend: lms.get("cmi.suspend_data")
      };
    },
    setScore: function (lms, percent) {
      var ok = lms.set("cmi.core.score.min", "0");
      ok = lms.set("cmi.core.score.max", "100") && ok;
      return lms.set("cmi.core.score.raw", percent) && ok;
    },
    setProgress: function () { /* SCORM 1.2 has no progress measure */ },
    setLessonStatus: function (lms, status) { return lms.set("cmi.core.lesson_status", status); },
    time: function (date) { return R.time.time12(date); },
    span: function (ms) { return R.time.timespan12(ms); },
    response: function (meta, value) {
      if (meta.type === "true-false") return value === "true" || value === true ? "t" : "f";
      if (Object.prototype.toString.call(value) === "[object Array]") return value.join(",");
      return String(value).slice(0, 255);
    }
  };

  R.adapters.scorm12 = function (course) { return R.scormAdapter(course, dialect); };
})(window.__cb = window.__cb || {});
