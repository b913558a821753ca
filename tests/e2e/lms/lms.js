/*
 * Test LMS for course_builder's browser tests.
 *
 * lms12.html / lms2004.html load scorm-again's browser build (which defines the global
 * Scorm12API or Scorm2004API) and then this file, with data-version on the <script> tag.
 *
 * Query parameters:
 *   launch    path of the SCO's launch page relative to the server root (default /pkg/index.html)
 *   state     key into window.__lmsStates (set by the harness with an init script): a flattened
 *             CMI dict loaded before the SCO calls Initialize
 *   stateUrl  alternative to state: URL of a JSON file holding such a dict
 *   logLevel  scorm-again log level, 1 (DEBUG) .. 5 (NONE); default 3 (WARN)
 *
 * Also honoured: window.__savedState (a flattened CMI dict) when no state/stateUrl is given.
 *
 * A state that does not say cmi.core.entry / cmi.entry gets entry "resume"; with no state at all
 * the entry is "ab-initio", as an LMS reports on a first launch.
 *
 * Exposed to tests:
 *   window.__calls       every API call: {seq, method, args, result, error, t} (+ threw)
 *   window.__log         scorm-again log messages: {level, message}
 *   window.__cmi()       API.renderCMIToJSONObject()
 *   window.__lmsVersion  "1.2" or "2004"
 *   window.__lmsReady    true once the API exists and the course frame has been given its src
 *   window.__lmsError    set if the LMS page itself failed (bad state etc.)
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var version = script && script.getAttribute("data-version");
  if (version !== "1.2" && version !== "2004") {
    version = new URLSearchParams(location.search).get("version") || "1.2";
  }
  var params = new URLSearchParams(location.search);
  var launch = params.get("launch") || "/pkg/index.html";
  var logLevel = Number(params.get("logLevel") || 3);

  window.__lmsVersion = version;
  window.__calls = [];
  window.__log = [];
  window.__lmsReady = false;

  var METHODS = version === "1.2"
    ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
       "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"]
    : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit",
       "GetLastError", "GetErrorString", "GetDiagnostic"];
  var GET_LAST_ERROR = version === "1.2" ? "LMSGetLastError" : "GetLastError";
  var ENTRY = version === "1.2" ? "cmi.core.entry" : "cmi.entry";
  var DEFAULTS = version === "1.2"
    ? {
        "cmi.core.student_id": "learner-0001",
        "cmi.core.student_name": "Learner, Test",
        "cmi.core.credit": "credit",
        "cmi.core.lesson_mode": "normal"
      }
    : {
        "cmi.learner_id": "learner-0001",
        "cmi.learner_name": "Learner, Test",
        "cmi.credit": "credit",
        "cmi.mode": "normal"
      };

  var settings = {
    autocommit: false,
    lmsCommitUrl: false,
    logLevel: logLevel,
    onLogMessage: function (level, message) {
      window.__log.push({ level: level, message: String(message) });
    }
  };

  var Ctor = version === "1.2" ? window.Scorm12API : window.Scorm2004API;
  if (typeof Ctor !== "function") {
    window.__lmsError = "scorm-again global for SCORM " + version + " is missing";
    throw new Error(window.__lmsError);
  }
  var api = new Ctor(settings);
  if (version === "1.2") { window.API = api; } else { window.API_1484_11 = api; }
  window.__api = api;

  var originals = {};
  METHODS.forEach(function (name) { originals[name] = api[name]; });

  function plain(v) {
    if (v === undefined) { return null; }
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      return v;
    }
    try { return JSON.parse(JSON.stringify(v)); } catch (e) { return String(v); }
  }

  METHODS.forEach(function (name) {
    var orig = originals[name];
    if (typeof orig !== "function") { return; }
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      var record = {
        seq: window.__calls.length,
        method: name,
        args: args.map(plain),
        t: Math.round(performance.now())
      };
      window.__calls.push(record);
      var result;
      try {
        result = orig.apply(api, args);
      } catch (e) {
        record.threw = String(e && e.message || e);
        record.error = String(originals[GET_LAST_ERROR].call(api));
        throw e;
      }
      record.result = plain(result);
      // GetLastError does not change the error state, so this reads the code the call left.
      record.error = String(originals[GET_LAST_ERROR].call(api));
      return result;
    };
  });

  window.__cmi = function () {
    var out = api.renderCMIToJSONObject();
    // scorm-again leaves cmi.core.total_time out of its SCORM 1.2 JSON; put it back so a
    // relaunch can carry it (it is the total the LMS loaded, without this session's time).
    if (version === "1.2" && out && out.cmi && out.cmi.core && !("total_time" in out.cmi.core)) {
      out.cmi.core.total_time = api.cmi.core.total_time;
    }
    return out;
  };

  function loadState(state) {
    var values = {};
    var key;
    for (key in DEFAULTS) { values[key] = DEFAULTS[key]; }
    if (state) {
      for (key in state) {
        if (Object.prototype.hasOwnProperty.call(state, key)) { values[key] = state[key]; }
      }
      if (!Object.prototype.hasOwnProperty.call(state, ENTRY)) { values[ENTRY] = "resume"; }
    } else {
      values[ENTRY] = "ab-initio";
    }
    // scorm-again's loadFromJSON skips falsy values, so send strings and leave out empty ones.
    var clean = {};
    for (key in values) {
      var v = values[key];
      if (v === null || v === undefined) { continue; }
      v = String(v);
      if (v !== "") { clean[key] = v; }
    }
    window.__loadedState = clean;
    api.loadFromFlattenedJSON(clean, "");
  }

  function launchCourse() {
    var frame = document.getElementById("course");
    frame.src = launch;
    window.__lmsReady = true;
  }

  function fail(message) {
    window.__lmsError = message;
    document.getElementById("lms-status").textContent = "LMS error: " + message;
  }

  function start() {
    var key = params.get("state");
    var url = params.get("stateUrl");
    try {
      if (key !== null) {
        var states = window.__lmsStates || {};
        if (!Object.prototype.hasOwnProperty.call(states, key)) {
          fail("no saved state registered under key " + key);
          return;
        }
        loadState(states[key]);
        launchCourse();
      } else if (url) {
        fetch(url).then(function (r) {
          if (!r.ok) { throw new Error("HTTP " + r.status + " for " + url); }
          return r.json();
        }).then(function (state) {
          loadState(state);
          launchCourse();
        }).catch(function (e) { fail(String(e && e.message || e)); });
      } else {
        loadState(window.__savedState || null);
        launchCourse();
      }
    } catch (e) {
      fail(String(e && e.message || e));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
