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
 *   moodle    a learner key: play Moodle's SCORM player (see below) for that learner
 *   newattempt  "on": in Moodle mode, the learner ticked "Start a new attempt"
 *   lenient   "1": scorm-again exactly as it is (without the strict checks below)
 *   window    "1": open the course in a window of its own (window.open) instead of the frame,
 *             as SuccessFactors and Moodle's "New window" do; the API stays in this window
 *
 * Strict where scorm-again is lenient (unless lenient=1), as real LMSs are: SCORM 1.2
 * LMSSetValue of cmi.suspend_data over 4,096 characters or of an interaction result "incorrect"
 * (a SCORM 2004 word) fails with 405, and after LMSFinish every call fails with 301 ("not
 * initialized"), as Moodle's SCORM 1.2 player answers.
 *
 * Moodle mode (moodle=<learner>) imitates Moodle 4.5's player (mod/scorm/datamodels/
 * scorm_13.js, scorm_12.js, request.js) and its server (tests/e2e/moodle.py):
 *   - the launch state comes from the server (GET /moodle/<learner>/launch): the attempt, the
 *     mode (a finished attempt is relaunched in review, with credit "no-credit"), and saved data
 *     only when the last exit was "suspend" (else entry ab-initio, completion unknown, no
 *     suspend_data);
 *   - each Commit / LMSCommit and each Terminate / LMSFinish sends ONE request carrying the
 *     whole data model (every element that differs from what was loaded, every interaction),
 *     Terminate adding cmi.total_time = loaded total + session time, to POST
 *     /moodle/<learner>/store; the server stores whatever arrives, review or not;
 *   - while the LMS page is being closed or left (its beforeunload, pagehide, visibilitychange
 *     or unload has fired) the request goes with navigator.sendBeacon and a FormData body, as
 *     Moodle's request.js does, so the browser decides what reaches the server (its keepalive
 *     quota is 64 KiB for all beacons in flight); otherwise with a synchronous XMLHttpRequest.
 *
 * Faults (the tests' hostile LMSs, tests/e2e/test_faults.py): window.__faults maps an API
 * method to a rule: at launch the set window.__lmsFaultSets[<faults query parameter>] (the
 * harness's `faults`, registered by an init script), and changed at any time by a test.
 * A rule: {action, code, ms, element, from, times}:
 *   action   "throw" (the method throws, as some LMS wrappers do), "false" (returns "false";
 *            GetLastError then answers `code`, default "101"), "slow" (busy-waits `ms` then
 *            answers normally: a synchronous request to a slow server), "undefined" (returns
 *            undefined, as a broken wrapper may)
 *   element  only SetValue/GetValue calls for elements matching this regular expression
 *   from     only from the n-th matching call on (1 = the first); times: for that many calls
 * Every call record says what was done to it (fault: the action) and, for Commit, what had
 * focus in the course when it came (focus: the active element's tag and text).
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
  var moodle = params.get("moodle");
  var strict = params.get("lenient") !== "1";
  var ownWindow = params.get("window") === "1";
  window.__faults = (window.__lmsFaultSets || {})[params.get("faults")] || {};

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

  // ------------------------------------------------------------------ strict SCORM 1.2
  var errorOverride = null;  // an error code the strict checks or Moodle mode set
  var finished = false;
  function override(code, result) { errorOverride = code; return result; }
  if (version === "1.2" && strict) {
    var set12 = originals.LMSSetValue, get12 = originals.LMSGetValue;
    var commit12 = originals.LMSCommit, finish12 = originals.LMSFinish;
    originals.LMSSetValue = function (element, value) {
      if (finished) return override("301", "false");
      if (element === "cmi.suspend_data" && String(value).length > 4096) return override("405", "false");
      if (/^cmi\.interactions\.\d+\.result$/.test(element) && value === "incorrect") {
        return override("405", "false");
      }
      return set12.apply(api, arguments);
    };
    originals.LMSGetValue = function () {
      if (finished) return override("301", "");
      return get12.apply(api, arguments);
    };
    originals.LMSCommit = function () {
      if (finished) return override("301", "false");
      return commit12.apply(api, arguments);
    };
    originals.LMSFinish = function () {
      if (finished) return override("301", "false");
      var result = finish12.apply(api, arguments);
      if (String(result) === "true") finished = true;
      return result;
    };
  }

  // ------------------------------------------------------------------ Moodle mode
  var baseline = null;     // the flattened data model as loaded, before the SCO started
  var closing = false;     // Moodle's window.mod_scorm_is_window_closing
  window.__moodleSent = [];
  if (moodle) {
    ["beforeunload", "unload", "pagehide", "visibilitychange"].forEach(function (event) {
      window.addEventListener(event, function () { closing = true; });
    });
    var COMMIT = version === "1.2" ? "LMSCommit" : "Commit";
    var TERMINATE = version === "1.2" ? "LMSFinish" : "Terminate";
    [COMMIT, TERMINATE].forEach(function (name) {
      var inner = originals[name];
      originals[name] = function () {
        var result = inner.apply(api, arguments);
        if (String(result) !== "true") return result;
        var answer = storeData(name === TERMINATE);
        return answer === "true" ? "true" : override("101", "false");
      };
    });
  }

  function flatten(obj, prefix, out) {
    Object.keys(obj).forEach(function (key) {
      var value = obj[key];
      var name = key === "childArray" ? prefix : prefix ? prefix + "." + key : key;
      if (value && typeof value === "object") flatten(value, name, out);
      else if (value !== null && value !== undefined) out[name] = String(value);
    });
    return out;
  }

  function dataModel() {
    var out = flatten(window.__cmi(), "", {});
    if (version === "2004" && api.adl && api.adl.nav && api.adl.nav.request &&
        api.adl.nav.request !== "_none_") {
      out["adl.nav.request"] = String(api.adl.nav.request);
    }
    return out;
  }

  // What Moodle's player sends (CollectData): writable elements whose value differs from the
  // one the LMS loaded; collections (interactions, objectives) always, in full.
  var WRITABLE = version === "1.2"
    ? /^cmi\.(core\.(lesson_location|lesson_status|score\.|exit|session_time)|suspend_data|interactions\.|objectives\.|comments$|student_preference\.)/
    : /^(cmi\.(location|completion_status|success_status|progress_measure|score\.|suspend_data|exit|session_time|interactions\.|objectives\.|comments_from_learner\.|learner_preference\.)|adl\.nav\.request)/;
  var COLLECTION = /^cmi\.(interactions|objectives)\.\d+\./;

  function seconds(value) {
    if (!value) return 0;
    if (version === "1.2") {
      var t = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(value);
      return t ? Number(t[1]) * 3600 + Number(t[2]) * 60 + Number(t[3]) : 0;
    }
    var d = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(value);
    return d ? (Number(d[1] || 0) * 86400 + Number(d[2] || 0) * 3600 + Number(d[3] || 0) * 60 +
      Number(d[4] || 0)) : 0;
  }

  function timespan(total) {
    var cs = Math.round(total * 100), h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60;
    var sec = (cs % 6000) / 100;
    if (version === "2004") return "PT" + h + "H" + m + "M" + sec + "S";
    var pad = function (n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; };
    return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(Math.floor(sec), 2) + "." + pad(cs % 100, 2);
  }

  // Moodle's StoreData(cmi, storetotaltime) and DoRequest (request.js).
  function storeData(terminating) {
    var now = dataModel(), fields = {};
    Object.keys(now).forEach(function (name) {
      if (!WRITABLE.test(name) || /\._(count|children)$/.test(name)) return;
      if (COLLECTION.test(name) || now[name] !== baseline[name]) fields[name] = now[name];
    });
    if (terminating) {
      var prefix = version === "1.2" ? "cmi.core." : "cmi.";
      fields[prefix + "total_time"] = timespan(seconds(baseline[prefix + "total_time"]) +
        seconds(now[prefix + "session_time"]));
    }
    var url = "/moodle/" + encodeURIComponent(moodle) + "/store?version=" + version +
      "&attempt=" + window.__moodleAttempt + "&call=" + (terminating ? "terminate" : "commit");
    var names = Object.keys(fields);
    var sent = { call: terminating ? "terminate" : "commit", closing: closing, elements: names.length };
    window.__moodleSent.push(sent);
    if (closing && navigator.sendBeacon && window.FormData) {
      var form = new FormData();
      names.forEach(function (name) { form.append(name.replace(/\./g, "__"), fields[name]); });
      form.append("unloading", "1");
      sent.beacon = navigator.sendBeacon(url, form);  // the answer is never read
      try { localStorage.setItem("__moodleSent", JSON.stringify(window.__moodleSent)); } catch (e) {}
      return "true";
    }
    var body = names.map(function (name) {
      return encodeURIComponent(name.replace(/\./g, "__")) + "=" + encodeURIComponent(fields[name]);
    }).join("&");
    try {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url, false);
      xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
      xhr.send(body);
      sent.status = xhr.status;
      return xhr.status === 200 ? String(xhr.responseText).split("\n")[0] : String(xhr.status);
    } catch (e) {
      sent.error = String(e && e.message || e);
      return "false";
    }
  }

  function plain(v) {
    if (v === undefined) { return null; }
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      return v;
    }
    try { return JSON.parse(JSON.stringify(v)); } catch (e) { return String(v); }
  }

  /** The fault rule that applies to this call of `name`, or null. */
  function faultFor(name, args) {
    var rule = window.__faults[name];
    if (!rule) { return null; }
    if (rule.element && !new RegExp(rule.element).test(String(args[0]))) { return null; }
    rule.seen = (rule.seen || 0) + 1;
    if (rule.from && rule.seen < rule.from) { return null; }
    if (rule.times !== undefined && rule.seen - (rule.from || 1) >= rule.times) { return null; }
    return rule;
  }

  /** What has focus in the course's document (for the slow-Commit test). */
  function courseFocus() {
    try {
      var doc = ownWindow ? window.__courseWindow.document
        : document.getElementById("course").contentDocument;
      var el = doc.activeElement;
      return el ? el.tagName.toLowerCase() + ":" + String(el.textContent).trim().slice(0, 60) : "";
    } catch (e) { return "?"; }
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
      if (name !== GET_LAST_ERROR) errorOverride = null;
      if (/Commit$/.test(name)) { record.focus = courseFocus(); }
      var rule = faultFor(name, args);
      if (rule) {
        record.fault = rule.action;
        if (rule.action === "throw") {
          record.threw = "LMS wrapper failure (test)";
          record.error = "101";
          throw new Error("LMS wrapper failure (test fault in " + name + ")");
        }
        if (rule.action === "false") {
          record.result = "false";
          record.error = errorOverride = rule.code || "101";
          return "false";
        }
        if (rule.action === "undefined") {
          record.result = null;
          record.error = "0";
          return undefined;
        }
        if (rule.action === "slow") {
          var until = performance.now() + (rule.ms || 500);
          while (performance.now() < until) { /* a synchronous request to a slow server */ }
        }
      }
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
      record.error = errorOverride || String(originals[GET_LAST_ERROR].call(api));
      if (name === GET_LAST_ERROR && errorOverride) return errorOverride;
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

  function loadState(state, exact) {
    var values = {};
    var key;
    for (key in DEFAULTS) { values[key] = DEFAULTS[key]; }
    if (state) {
      for (key in state) {
        if (Object.prototype.hasOwnProperty.call(state, key)) { values[key] = state[key]; }
      }
      if (!exact && !Object.prototype.hasOwnProperty.call(state, ENTRY)) { values[ENTRY] = "resume"; }
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
    baseline = dataModel();
  }

  function launchCourse() {
    if (ownWindow) {
      window.__courseWindow = window.open(launch, "course");
      window.__lmsReady = true;
      return;
    }
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
      if (moodle) {
        fetch("/moodle/" + encodeURIComponent(moodle) + "/launch?version=" + version +
          "&newattempt=" + (params.get("newattempt") || "off")).then(function (r) {
          if (!r.ok) { throw new Error("HTTP " + r.status + " for the Moodle launch"); }
          return r.json();
        }).then(function (launchData) {
          window.__moodleAttempt = launchData.attempt;
          window.__moodleMode = launchData.mode;
          loadState(launchData.state, true);
          launchCourse();
        }).catch(function (e) { fail(String(e && e.message || e)); });
      } else if (key !== null) {
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
