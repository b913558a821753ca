/* Tracking adapter: SCORM 2004 (cmi.*), 3rd and 4th Edition. Limits from the SCORM 2004 RTE:
 * location 1000 characters, suspend_data 64,000 (4th) or 4,000 (3rd). */
(function (CB) {
  "use strict";
  CB.adapters = CB.adapters || {};

  CB.adapters.scorm2004 = function (course) {
    var api = CB.findScormApi("API_1484_11");
    var log = [];
    function set(name, value) {
      if (!api) return false;
      var ok = String(api.SetValue(name, String(value))) === "true";
      if (!ok) log.push(name + ": error " + api.GetLastError());
      return ok;
    }
    function get(name) { return api ? String(api.GetValue(name)) : ""; }
    function response(meta, value) {
      if (meta.type === "true-false") return value === "true" || value === true ? "true" : "false";
      if (Object.prototype.toString.call(value) === "[object Array]") {
        if (meta.type === "matching") {
          value = value.map(function (pair) { return String(pair).replace(".", "[.]"); });
        }
        return value.join("[,]");
      }
      return String(value);
    }
    var fallback = CB.adapters.none(course);
    return {
      name: "scorm2004",
      log: log,
      start: function () {
        if (!api || String(api.Initialize("")) !== "true") {
          api = null;
          return fallback.start();
        }
        var completion = get("cmi.completion_status");
        var entry = get("cmi.entry");
        var hasLocation = entry === "resume";
        return {
          connected: true,
          firstLaunch: completion === "not attempted" || completion === "unknown" || entry === "ab-initio",
          completion: completion === "unknown" || completion === "not attempted" ? null : completion,
          success: get("cmi.success_status") === "unknown" ? null : get("cmi.success_status"),
          location: hasLocation ? get("cmi.location") : "",
          suspend: hasLocation ? get("cmi.suspend_data") : ""
        };
      },
      setLocation: function (id) { api ? set("cmi.location", id) : fallback.setLocation(id); },
      setSuspend: function (text) { api ? set("cmi.suspend_data", text) : fallback.setSuspend(text); },
      setProgress: function (fraction) {
        if (api) set("cmi.progress_measure", Math.round(fraction * 1000) / 1000);
      },
      setScore: function (percent) {
        if (!api) return fallback.setScore(percent);
        set("cmi.score.min", "0");
        set("cmi.score.max", "100");
        set("cmi.score.raw", percent);
        set("cmi.score.scaled", Math.round(percent * 100) / 10000);
      },
      setCompletion: function (value) {
        api ? set("cmi.completion_status", value) : fallback.setCompletion(value);
      },
      setSuccess: function (value) {
        api ? set("cmi.success_status", value) : fallback.setSuccess(value);
      },
      record: function (meta, value, correct, latencyMs, when) {
        if (!api) return;
        var n = parseInt(get("cmi.interactions._count"), 10) || 0;
        var p = "cmi.interactions." + n + ".";
        // id and type first: SCORM 2004 refuses other interaction fields before them (408).
        set(p + "id", meta.id);
        set(p + "type", meta.scormType);
        set(p + "timestamp", CB.time.timestamp(when));
        if (meta.description) set(p + "description", meta.description);
        meta.patterns.forEach(function (pattern, i) {
          set(p + "correct_responses." + i + ".pattern", pattern);
        });
        set(p + "weighting", meta.scored ? "1" : "0");
        set(p + "learner_response", response(meta, value));
        set(p + "result", correct === null ? "neutral" : correct ? "correct" : "incorrect");
        set(p + "latency", CB.time.duration(latencyMs));
      },
      setExit: function (suspend, sessionMs) {
        if (!api) return fallback.setExit(suspend, sessionMs);
        set("cmi.exit", suspend ? "suspend" : "normal");
        set("cmi.session_time", CB.time.duration(sessionMs));
      },
      commit: function () {
        if (!api) return fallback.commit();
        return String(api.Commit("")) === "true";
      },
      terminate: function () {
        if (api) api.Terminate("");
        else fallback.terminate();
      }
    };
  };
})(window.CB = window.CB || {});
