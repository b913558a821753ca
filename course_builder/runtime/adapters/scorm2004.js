/* Tracking adapter: SCORM 2004 (cmi.*), 3rd and 4th Edition. Limits from the SCORM 2004 RTE:
 * location 1000 characters, suspend_data 64,000 (4th) or 4,000 (3rd).
 * The conversation with the LMS is shared with SCORM 1.2 (R.scormAdapter, _scorm_api.js). */
(function (R) {
  "use strict";
  R.adapters = R.adapters || {};

  function parseScore(text) {
    var n = parseFloat(text);
    return isNaN(n) ? null : n;
  }

  var dialect = {
    name: "scorm2004",
    apiName: "API_1484_11",
    functions: { initialize: "Initialize", set: "SetValue", get: "GetValue", commit: "Commit",
      terminate: "Terminate", error: "GetLastError" },
    elements: { location: "cmi.location", exit: "cmi.exit", sessionTime: "cmi.session_time",
      time: "timestamp", response: "learner_response", wrong: "incorrect",
      description: "description", navRequest: "adl.nav.request", learner: "cmi.learner_id" },
    normalExit: "normal",
    statuses: "split",
    statusMethods: ["setCompletion", "setSuccess"],
    start: function (lms) {
      var completion = lms.get("cmi.completion_status");
      var success = lms.get("cmi.success_status");
      var entry = lms.get("cmi.entry");
      // Location and saved state exist only when resuming a suspended attempt (RTE 4.2.7).
      var resuming = entry === "resume";
      // cmi.mode "browse", "normal" or "review"; cmi.credit "credit" or "no-credit". Moodle
      // relaunches a finished attempt in review (after exit "normal": entry ab-initio,
      // completion unknown, no suspend data).
      var mode = lms.get("cmi.mode");
      mode = mode === "browse" || mode === "review" ? mode : "normal";
      return {
        connected: true,
        mode: mode,
        credit: lms.get("cmi.credit") !== "no-credit",
        // The recorded score, shown to a reviewing learner: read only then, and only when the
        // attempt was judged (SCORM 2004 answers error 403 for a score never set).
        score: mode !== "normal" && (success === "passed" || success === "failed")
          ? parseScore(lms.get("cmi.score.raw")) : null,
        firstLaunch: completion === "not attempted" || completion === "unknown" || entry === "ab-initio",
        completion: completion === "unknown" || completion === "not attempted" ? null : completion,
        success: success === "unknown" ? null : success,
        location: resuming ? lms.get("cmi.location") : "",
        suspend: resuming ? lms.get("cmi.suspend_data") : ""
      };
    },
    setScore: function (lms, percent) {
      var ok = lms.set("cmi.score.min", "0");
      ok = lms.set("cmi.score.max", "100") && ok;
      ok = lms.set("cmi.score.raw", percent) && ok;
      return lms.set("cmi.score.scaled", Math.round(percent * 100) / 10000) && ok;
    },
    setProgress: function (lms, fraction) {
      return lms.set("cmi.progress_measure", Math.round(fraction * 1000) / 1000);
    },
    setCompletion: function (lms, value) { return lms.set("cmi.completion_status", value); },
    setSuccess: function (lms, value) { return lms.set("cmi.success_status", value); },
    time: function (date) { return R.time.timestamp(date); },
    span: function (ms) { return R.time.duration(ms); },
    response: function (meta, value) {
      if (meta.type === "true-false") return value === "true" || value === true ? "true" : "false";
      if (Object.prototype.toString.call(value) === "[object Array]") {
        if (meta.type === "matching") {
          value = value.map(function (pair) { return String(pair).replace(".", "[.]"); });
        }
        return value.join("[,]");
      }
      return String(value);
    }
  };

  R.adapters.scorm2004 = function (course) { return R.scormAdapter(course, dialect); };
})(window.__cb = window.__cb || {});
