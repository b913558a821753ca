/* Tracking adapter: SCORM 1.2 (cmi.core.*). Data model limits from the SCORM 1.2 RTE:
 * lesson_location CMIString255, suspend_data CMIString4096, student_response CMIFeedback. */
(function (CB) {
  "use strict";
  CB.adapters = CB.adapters || {};

  CB.adapters.scorm12 = function (course) {
    var api = CB.findScormApi("API");
    var log = [];
    function set(name, value) {
      if (!api) return false;
      var ok = String(api.LMSSetValue(name, String(value))) === "true";
      if (!ok) log.push(name + ": error " + api.LMSGetLastError());
      return ok;
    }
    function get(name) { return api ? String(api.LMSGetValue(name)) : ""; }
    function response(meta, value) {
      if (meta.type === "true-false") return value === "true" || value === true ? "t" : "f";
      if (Object.prototype.toString.call(value) === "[object Array]") return value.join(",");
      return String(value).slice(0, 255);
    }
    var fallback = CB.adapters.none(course);
    return {
      name: "scorm12",
      log: log,
      start: function () {
        if (!api || String(api.LMSInitialize("")) !== "true") {
          api = null;
          return fallback.start();
        }
        var status = get("cmi.core.lesson_status");
        var entry = get("cmi.core.entry");
        return {
          connected: true,
          firstLaunch: status === "not attempted" || status === "" || entry === "ab-initio",
          lesson: status === "not attempted" ? null : status,
          location: get("cmi.core.lesson_location"),
          suspend: get("cmi.suspend_data")
        };
      },
      setLocation: function (id) { api ? set("cmi.core.lesson_location", id) : fallback.setLocation(id); },
      setSuspend: function (text) { api ? set("cmi.suspend_data", text) : fallback.setSuspend(text); },
      setProgress: function () { /* SCORM 1.2 has no progress measure */ },
      setScore: function (percent) {
        if (!api) return fallback.setScore(percent);
        set("cmi.core.score.min", "0");
        set("cmi.core.score.max", "100");
        set("cmi.core.score.raw", percent);
      },
      setLessonStatus: function (status) {
        api ? set("cmi.core.lesson_status", status) : fallback.setLessonStatus(status);
      },
      record: function (meta, value, correct, latencyMs, when) {
        if (!api) return;
        var n = parseInt(get("cmi.interactions._count"), 10) || 0;
        var p = "cmi.interactions." + n + ".";
        set(p + "id", meta.id);
        set(p + "type", meta.scormType);
        set(p + "time", CB.time.time12(when));
        meta.patterns.forEach(function (pattern, i) {
          set(p + "correct_responses." + i + ".pattern", pattern);
        });
        set(p + "weighting", meta.scored ? "1" : "0");
        set(p + "student_response", response(meta, value));
        set(p + "result", correct === null ? "neutral" : correct ? "correct" : "wrong");
        set(p + "latency", CB.time.timespan12(latencyMs));
      },
      setExit: function (suspend, sessionMs) {
        if (!api) return fallback.setExit(suspend, sessionMs);
        set("cmi.core.exit", suspend ? "suspend" : "");
        set("cmi.core.session_time", CB.time.timespan12(sessionMs));
      },
      commit: function () {
        if (!api) return fallback.commit();
        return String(api.LMSCommit("")) === "true";
      },
      terminate: function () {
        if (api) api.LMSFinish("");
        else fallback.terminate();
      }
    };
  };
})(window.CB = window.CB || {});
