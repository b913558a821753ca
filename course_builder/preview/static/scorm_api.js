/* The preview's LMS side of SCORM: a small, honest SCORM 1.2 and SCORM 2004 4th Edition run-time
 * API, with each standard's data model, read/write rules, types and error codes.
 *
 *   var api = PreviewScorm.create("1.2" | "2004", attempt, hooks)
 *   window.API = api          (1.2: LMSInitialize ... LMSGetDiagnostic)
 *   window.API_1484_11 = api  (2004: Initialize ... GetDiagnostic)
 *
 * attempt: what the LMS kept from earlier sessions of this attempt ({values, exit, totalMs,
 *          sessions}), and how to launch: {review: bool}.
 * hooks:   onCall({method, args, result, error}) after every call, onCommit(attempt) when the
 *          data is saved (Commit, and Finish/Terminate, which commit too).
 *
 * Sources: SCORM 1.2 Run-Time Environment (section 3.3 API, 3.4 data model, error codes 0-405);
 * SCORM 2004 4th Edition RTE (section 3.1 API, error codes 0-408; section 4 data model).
 * Values a content package writes are kept only when committed, as an LMS keeps them. */
(function (global) {
  "use strict";

  var ERRORS12 = {
    0: "No error", 101: "General exception", 201: "Invalid argument error",
    202: "Element cannot have children", 203: "Element not an array - cannot have count",
    301: "Not initialized", 401: "Not implemented error",
    402: "Invalid set value, element is a keyword", 403: "Element is read only",
    404: "Element is write only", 405: "Incorrect data type"
  };
  var ERRORS2004 = {
    0: "No Error", 101: "General Exception", 102: "General Initialization Failure",
    103: "Already Initialized", 104: "Content Instance Terminated",
    111: "General Termination Failure", 112: "Termination Before Initialization",
    113: "Termination After Termination", 122: "Retrieve Data Before Initialization",
    123: "Retrieve Data After Termination", 132: "Store Data Before Initialization",
    133: "Store Data After Termination", 142: "Commit Before Initialization",
    143: "Commit After Termination", 201: "General Argument Error", 301: "General Get Failure",
    351: "General Set Failure", 391: "General Commit Failure",
    401: "Undefined Data Model Element", 402: "Unimplemented Data Model Element",
    403: "Data Model Element Value Not Initialized", 404: "Data Model Element Is Read Only",
    405: "Data Model Element Is Write Only", 406: "Data Model Element Type Mismatch",
    407: "Data Model Element Value Out Of Range", 408: "Data Model Dependency Not Established"
  };

  // -- types -----------------------------------------------------------------------------------
  var DECIMAL = /^-?\d+(\.\d+)?$/;
  var TIMESPAN12 = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;
  var TIME12 = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var DURATION = /^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$/;
  var TIME2004 = /^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,2})?)?)?)?)?)?(Z|[+-]\d{2}(:\d{2})?)?$/;
  var IDENT = /^\S{1,4000}$/;

  /** A type check: returns "" when fine, "type" or "range" when not. */
  function str(max) { return function (v) { return v.length <= max ? "" : "type"; }; }
  function vocab(words) { return function (v) { return words.indexOf(v) >= 0 ? "" : "type"; }; }
  function decimal(min, max) {
    return function (v) {
      if (!DECIMAL.test(v)) return "type";
      var n = parseFloat(v);
      return (min !== null && n < min) || (max !== null && n > max) ? "range" : "";
    };
  }
  function pattern(re) { return function (v) { return re.test(v) ? "" : "type"; }; }
  function duration(v) {
    return DURATION.test(v) && v !== "P" && v.charAt(v.length - 1) !== "T" ? "" : "type";
  }
  function either(a, b) { return function (v) { return !a(v) || !b(v) ? "" : a(v); }; }

  var RO = "ro", WO = "wo", RW = "rw";

  // SCORM 1.2 data model (RTE 3.4). Array members use "n" (and "m" for nested arrays).
  var MODEL12 = {
    "cmi._children": [RO], "cmi._version": [RO],
    "cmi.core._children": [RO], "cmi.core.student_id": [RO], "cmi.core.student_name": [RO],
    "cmi.core.lesson_location": [RW, str(255)], "cmi.core.credit": [RO],
    "cmi.core.lesson_status": [RW, vocab(["passed", "completed", "failed", "incomplete", "browsed"])],
    "cmi.core.entry": [RO], "cmi.core.score._children": [RO],
    "cmi.core.score.raw": [RW, either(vocab([""]), decimal(0, 100))],
    "cmi.core.score.min": [RW, either(vocab([""]), decimal(0, 100))],
    "cmi.core.score.max": [RW, either(vocab([""]), decimal(0, 100))],
    "cmi.core.total_time": [RO], "cmi.core.lesson_mode": [RO],
    "cmi.core.exit": [WO, vocab(["time-out", "suspend", "logout", ""])],
    "cmi.core.session_time": [WO, pattern(TIMESPAN12)],
    "cmi.suspend_data": [RW, str(4096)], "cmi.launch_data": [RO],
    "cmi.comments": [RW, str(4096)], "cmi.comments_from_lms": [RO],
    "cmi.objectives._children": [RO], "cmi.objectives._count": [RO],
    "cmi.objectives.n.id": [RW, pattern(/^\S{1,255}$/)], "cmi.objectives.n.score._children": [RO],
    "cmi.objectives.n.score.raw": [RW, either(vocab([""]), decimal(0, 100))],
    "cmi.objectives.n.score.min": [RW, either(vocab([""]), decimal(0, 100))],
    "cmi.objectives.n.score.max": [RW, either(vocab([""]), decimal(0, 100))],
    "cmi.objectives.n.status": [RW, vocab(["passed", "completed", "failed", "incomplete", "browsed", "not attempted"])],
    "cmi.student_data._children": [RO], "cmi.student_data.mastery_score": [RO],
    "cmi.student_data.max_time_allowed": [RO], "cmi.student_data.time_limit_action": [RO],
    "cmi.student_preference._children": [RO],
    "cmi.student_preference.audio": [RW, decimal(-1, 100)],
    "cmi.student_preference.language": [RW, str(255)],
    "cmi.student_preference.speed": [RW, decimal(-100, 100)],
    "cmi.student_preference.text": [RW, vocab(["-1", "0", "1"])],
    "cmi.interactions._children": [RO], "cmi.interactions._count": [RO],
    "cmi.interactions.n.id": [WO, pattern(/^\S{1,255}$/)],
    "cmi.interactions.n.objectives._count": [RO],
    "cmi.interactions.n.objectives.m.id": [WO, pattern(/^\S{1,255}$/)],
    "cmi.interactions.n.time": [WO, pattern(TIME12)],
    "cmi.interactions.n.type": [WO, vocab(["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"])],
    "cmi.interactions.n.correct_responses._count": [RO],
    // CMIFeedback: the standard's per-type formats are enforced by almost no LMS; length is.
    "cmi.interactions.n.correct_responses.m.pattern": [WO, str(255)],
    "cmi.interactions.n.weighting": [WO, decimal(null, null)],
    "cmi.interactions.n.student_response": [WO, str(255)],
    "cmi.interactions.n.result": [WO, either(vocab(["correct", "wrong", "unanticipated", "neutral"]), decimal(null, null))],
    "cmi.interactions.n.latency": [WO, pattern(TIMESPAN12)]
  };
  var CHILDREN12 = {
    "cmi": "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions",
    "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score": "raw,min,max", "cmi.objectives": "id,score,status",
    "cmi.objectives.n.score": "raw,min,max",
    "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference": "audio,language,speed,text",
    "cmi.interactions": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"
  };

  // SCORM 2004 4th Edition data model (RTE 4.2).
  var TYPES2004 = ["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"];
  var NAV = /^(continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_|\{target=[^}]+\}(choice|jump))$/;
  var MODEL2004 = {
    "cmi._version": [RO], "cmi.comments_from_learner._children": [RO],
    "cmi.comments_from_learner._count": [RO],
    "cmi.comments_from_learner.n.comment": [RW, str(4000)],
    "cmi.comments_from_learner.n.location": [RW, str(250)],
    "cmi.comments_from_learner.n.timestamp": [RW, pattern(TIME2004)],
    "cmi.comments_from_lms._children": [RO], "cmi.comments_from_lms._count": [RO],
    "cmi.completion_status": [RW, vocab(["completed", "incomplete", "not attempted", "unknown"])],
    "cmi.completion_threshold": [RO], "cmi.credit": [RO], "cmi.entry": [RO],
    "cmi.exit": [WO, vocab(["time-out", "suspend", "logout", "normal", ""])],
    "cmi.interactions._children": [RO], "cmi.interactions._count": [RO],
    "cmi.interactions.n.id": [RW, pattern(IDENT)],
    "cmi.interactions.n.type": [RW, vocab(TYPES2004)],
    "cmi.interactions.n.objectives._count": [RO],
    "cmi.interactions.n.objectives.m.id": [RW, pattern(IDENT)],
    "cmi.interactions.n.timestamp": [RW, pattern(TIME2004)],
    "cmi.interactions.n.correct_responses._count": [RO],
    "cmi.interactions.n.correct_responses.m.pattern": [RW, str(4000)],
    "cmi.interactions.n.weighting": [RW, decimal(null, null)],
    "cmi.interactions.n.learner_response": [RW, str(4000)],
    "cmi.interactions.n.result": [RW, either(vocab(["correct", "incorrect", "unanticipated", "neutral"]), decimal(null, null))],
    "cmi.interactions.n.latency": [RW, duration],
    "cmi.interactions.n.description": [RW, str(250)],
    "cmi.launch_data": [RO], "cmi.learner_id": [RO], "cmi.learner_name": [RO],
    "cmi.learner_preference._children": [RO],
    "cmi.learner_preference.audio_level": [RW, decimal(0, null)],
    "cmi.learner_preference.language": [RW, str(250)],
    "cmi.learner_preference.delivery_speed": [RW, decimal(0, null)],
    "cmi.learner_preference.audio_captioning": [RW, vocab(["-1", "0", "1"])],
    "cmi.location": [RW, str(1000)], "cmi.max_time_allowed": [RO], "cmi.mode": [RO],
    "cmi.objectives._children": [RO], "cmi.objectives._count": [RO],
    "cmi.objectives.n.id": [RW, pattern(IDENT)], "cmi.objectives.n.score._children": [RO],
    "cmi.objectives.n.score.scaled": [RW, decimal(-1, 1)],
    "cmi.objectives.n.score.raw": [RW, decimal(null, null)],
    "cmi.objectives.n.score.min": [RW, decimal(null, null)],
    "cmi.objectives.n.score.max": [RW, decimal(null, null)],
    "cmi.objectives.n.success_status": [RW, vocab(["passed", "failed", "unknown"])],
    "cmi.objectives.n.completion_status": [RW, vocab(["completed", "incomplete", "not attempted", "unknown"])],
    "cmi.objectives.n.progress_measure": [RW, decimal(0, 1)],
    "cmi.objectives.n.description": [RW, str(250)],
    "cmi.progress_measure": [RW, decimal(0, 1)], "cmi.scaled_passing_score": [RO],
    "cmi.score._children": [RO], "cmi.score.scaled": [RW, decimal(-1, 1)],
    "cmi.score.raw": [RW, decimal(null, null)], "cmi.score.min": [RW, decimal(null, null)],
    "cmi.score.max": [RW, decimal(null, null)], "cmi.session_time": [WO, duration],
    "cmi.success_status": [RW, vocab(["passed", "failed", "unknown"])],
    "cmi.suspend_data": [RW, str(64000)], "cmi.time_limit_action": [RO], "cmi.total_time": [RO],
    "adl.nav.request": [RW, pattern(NAV)]
  };
  var CHILDREN2004 = {
    "cmi.comments_from_learner": "comment,location,timestamp",
    "cmi.comments_from_lms": "comment,location,timestamp",
    "cmi.interactions": "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
    "cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning",
    "cmi.objectives": "id,score,success_status,completion_status,progress_measure,description",
    "cmi.score": "scaled,raw,min,max", "cmi.objectives.n.score": "scaled,raw,min,max"
  };
  // SCORM 2004 learner_response formats by interaction type (RTE 4.2.9.2); types not listed
  // take any characterstring.
  var SHORT_ID = "[^\\s\\[\\]]{1,250}";
  var RESPONSE2004 = {
    "true-false": /^(true|false)$/,
    choice: new RegExp("^(" + SHORT_ID + "(\\[,\\]" + SHORT_ID + ")*)?$"),
    sequencing: new RegExp("^" + SHORT_ID + "(\\[,\\]" + SHORT_ID + ")*$"),
    likert: new RegExp("^" + SHORT_ID + "$"),
    matching: new RegExp("^" + SHORT_ID + "\\[\\.\\]" + SHORT_ID + "(\\[,\\]" + SHORT_ID + "\\[\\.\\]" + SHORT_ID + ")*$"),
    numeric: DECIMAL
  };

  function pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }
  function timespan12(ms) {
    var cs = Math.round(ms / 10);
    return pad(Math.floor(cs / 360000), 4) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" +
      pad(Math.floor(cs / 100) % 60, 2) + "." + pad(cs % 100, 2);
  }
  function iso(ms) { return "PT" + Math.round(ms / 10) / 100 + "S"; }
  function spanMs(value, v12) {
    if (!value) return 0;
    if (v12) {
      var p = value.split(":");
      return ((+p[0]) * 3600 + (+p[1]) * 60 + parseFloat(p[2])) * 1000;
    }
    var m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(value);
    if (!m) return 0;
    var f = function (i) { return parseFloat(m[i] || "0"); };
    return (((f(1) * 365 + f(2) * 30 + f(3)) * 24 + f(4)) * 3600 + f(5) * 60 + f(6)) * 1000;
  }

  function create(version, attempt, hooks) {
    var v12 = version === "1.2";
    var model = v12 ? MODEL12 : MODEL2004, children = v12 ? CHILDREN12 : CHILDREN2004;
    var texts = v12 ? ERRORS12 : ERRORS2004;
    var state = "new";  // new -> running -> ended
    var lastError = 0, diagnostic = "";
    var review = !!attempt.review;
    var saved = attempt.values || {};
    var values = {};    // this session's view: what the LMS keeps plus what was set since
    Object.keys(saved).forEach(function (k) { values[k] = saved[k]; });
    var resumed = attempt.exit === "suspend";
    var lms = {};       // values the LMS supplies, read-only to the content
    if (v12) {
      lms = {
        "cmi._version": "3.4", "cmi.core.student_id": "preview-learner",
        "cmi.core.student_name": "Learner, Preview",
        "cmi.core.credit": review ? "no-credit" : "credit",
        "cmi.core.entry": resumed ? "resume" : (attempt.sessions ? "" : "ab-initio"),
        "cmi.core.total_time": timespan12(attempt.totalMs || 0),
        "cmi.core.lesson_mode": review ? "review" : "normal",
        "cmi.launch_data": "", "cmi.comments_from_lms": "",
        "cmi.student_data.mastery_score": "", "cmi.student_data.max_time_allowed": "",
        "cmi.student_data.time_limit_action": ""
      };
      if (!("cmi.core.lesson_status" in values)) values["cmi.core.lesson_status"] = "not attempted";
    } else {
      lms = {
        "cmi._version": "1.0", "cmi.learner_id": "preview-learner",
        "cmi.learner_name": "Learner, Preview", "cmi.credit": review ? "no-credit" : "credit",
        "cmi.entry": resumed ? "resume" : (attempt.sessions ? "" : "ab-initio"),
        "cmi.mode": review ? "review" : "normal",
        "cmi.total_time": iso(attempt.totalMs || 0), "cmi.comments_from_lms._count": "0"
      };
      if (!("cmi.completion_status" in values)) values["cmi.completion_status"] = "unknown";
      if (!("cmi.success_status" in values)) values["cmi.success_status"] = "unknown";
    }

    function fail(code, why) { lastError = code; diagnostic = why || texts[code]; return code; }
    function ok() { lastError = 0; diagnostic = ""; }

    /** "cmi.interactions.3.correct_responses.0.pattern" -> {key: "...n...m...", n: 3, m: 0}. */
    function parse(element) {
      var n = null, m = null;
      var key = element.replace(/^(cmi\.(?:interactions|objectives|comments_from_learner|comments_from_lms))\.(\d+)\./,
        function (_, head, index) { n = parseInt(index, 10); return head + ".n."; });
      key = key.replace(/^(cmi\.interactions\.n\.(?:objectives|correct_responses))\.(\d+)\./,
        function (_, head, index) { m = parseInt(index, 10); return head + ".m."; });
      return { key: key, n: n, m: m };
    }
    function count(prefix) {
      var max = -1, re = new RegExp("^" + prefix.replace(/\./g, "\\.") + "\\.(\\d+)\\.");
      Object.keys(values).forEach(function (k) {
        var match = re.exec(k);
        if (match) max = Math.max(max, parseInt(match[1], 10));
      });
      return max + 1;
    }

    function getValue(element) {
      element = String(element);
      if (state === "new") { fail(v12 ? 301 : 122); return ""; }
      if (state === "ended") { fail(v12 ? 301 : 123); return ""; }
      if (element === "") { fail(v12 ? 201 : 301, "no element named"); return ""; }
      var p = parse(element);
      var tail = p.key.split(".").pop();
      if (tail === "_children") {
        var parent = p.key.slice(0, -10);
        if (children[parent]) { ok(); return children[parent]; }
        if (model[p.key]) { ok(); return ""; }
        fail(v12 ? (model[parent] ? 202 : 201) : (model[parent] ? 301 : 401),
          parent + " has no children");
        return "";
      }
      if (tail === "_count") {
        var arrayName = element.slice(0, -7);
        if (model[p.key]) { ok(); return String(count(arrayName)); }
        var known = model[p.key.slice(0, -7)] || children[p.key.slice(0, -7)];
        fail(v12 ? (known ? 203 : 201) : (known ? 301 : 401),
          arrayName + " is not an array");
        return "";
      }
      var spec = model[p.key];
      if (!spec) { fail(v12 ? 201 : 401, element + " is not in the data model"); return ""; }
      if (spec[0] === WO) { fail(v12 ? 404 : 405, element + " is write-only"); return ""; }
      if (lms[element] !== undefined) { ok(); return lms[element]; }
      if (values[element] !== undefined) { ok(); return values[element]; }
      if (v12) { ok(); return ""; }
      fail(403, element + " has not been set");
      return "";
    }

    function setValue(element, value) {
      element = String(element);
      value = String(value);
      if (state === "new") { fail(v12 ? 301 : 132); return "false"; }
      if (state === "ended") { fail(v12 ? 301 : 133); return "false"; }
      var p = parse(element);
      var tail = p.key.split(".").pop();
      if (tail === "_children" || tail === "_count" || tail === "_version") {
        fail(v12 ? 402 : 404, element + " is a keyword: it cannot be set");
        return "false";
      }
      var spec = model[p.key];
      if (!spec) { fail(v12 ? 201 : 401, element + " is not in the data model"); return "false"; }
      if (spec[0] === RO) { fail(v12 ? 403 : 404, element + " is read-only"); return "false"; }
      var array = p.key.indexOf(".n.") >= 0 ? element.slice(0, element.indexOf("." + p.n + ".")) : null;
      if (array !== null) {
        var size = count(array);
        if (p.n > size) {
          fail(v12 ? 201 : 351, "index " + p.n + " skips " + array + "." + size + " (the next is " + size + ")");
          return "false";
        }
        if (p.m !== null) {
          var sub = element.slice(0, element.indexOf("." + p.m + ".",
            array.length + String(p.n).length + 1));
          if (p.m > count(sub)) { fail(v12 ? 201 : 351, "index " + p.m + " skips " + sub); return "false"; }
        }
        var identified = /^cmi\.(interactions|objectives)$/.test(array);
        if (!v12 && identified && !/\.n\.id$/.test(p.key) &&
          values[array + "." + p.n + ".id"] === undefined) {
          fail(408, "set " + array + "." + p.n + ".id first");
          return "false";
        }
        if (!v12 && /\.(correct_responses\.m\.pattern|learner_response)$/.test(p.key) &&
          values[array + "." + p.n + ".type"] === undefined) {
          fail(408, "set " + array + "." + p.n + ".type first");
          return "false";
        }
      }
      var problem = spec[1] ? spec[1](value) : "";
      if (!problem && !v12 && /\.learner_response$/.test(p.key)) {
        var format = RESPONSE2004[values[array + "." + p.n + ".type"]];
        if (format && !format.test(value)) problem = "type";
      }
      if (problem) {
        var code = v12 ? 405 : (problem === "range" ? 407 : 406);
        fail(code, JSON.stringify(value.length > 80 ? value.slice(0, 80) + "..." : value) +
          " is not a valid value for " + element + (problem === "range" ? " (out of range)" : ""));
        return "false";
      }
      values[element] = value;
      ok();
      return "true";
    }

    function save() {
      var keep = {};
      Object.keys(values).forEach(function (k) {
        // Session-only elements are not kept from one session to the next.
        if (!/(exit|session_time|adl\.nav\.request)$/.test(k)) keep[k] = values[k];
      });
      attempt.values = keep;
      if (hooks.onCommit) hooks.onCommit(attempt);
    }

    function start(arg) {
      if (String(arg) !== "") { fail(201, "the argument must be \"\""); return "false"; }
      if (state === "running") { fail(v12 ? 101 : 103); return "false"; }
      if (state === "ended") { fail(v12 ? 101 : 104); return "false"; }
      state = "running";
      attempt.sessions = (attempt.sessions || 0) + 1;
      ok();
      return "true";
    }
    function commit(arg) {
      if (String(arg) !== "") { fail(201, "the argument must be \"\""); return "false"; }
      if (state === "new") { fail(v12 ? 301 : 142); return "false"; }
      if (state === "ended") { fail(v12 ? 301 : 143); return "false"; }
      save();
      ok();
      return "true";
    }
    function finish(arg) {
      if (String(arg) !== "") { fail(201, "the argument must be \"\""); return "false"; }
      if (state === "new") { fail(v12 ? 301 : 112); return "false"; }
      if (state === "ended") { fail(v12 ? 301 : 113); return "false"; }
      var exitName = v12 ? "cmi.core.exit" : "cmi.exit";
      var sessionName = v12 ? "cmi.core.session_time" : "cmi.session_time";
      attempt.exit = values[exitName] || "";
      attempt.totalMs = (attempt.totalMs || 0) + spanMs(values[sessionName], v12);
      attempt.navRequest = values["adl.nav.request"] || "";
      save();
      state = "ended";
      ok();
      return "true";
    }

    function wrap(name, fn) {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        var result = fn.apply(null, args);
        var call = { method: name, args: args.map(String), result: String(result), error: lastError,
          diagnostic: diagnostic };
        if (hooks.onCall) hooks.onCall(call);
        return result;
      };
    }
    function errorString(code) { return texts[parseInt(code, 10)] || ""; }
    function getDiagnostic(code) {
      return code === "" || code === undefined || parseInt(code, 10) === lastError ? diagnostic : errorString(code);
    }
    var names = v12
      ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"]
      : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString", "GetDiagnostic"];
    var fns = [start, finish, getValue, setValue, commit, function () { return String(lastError); },
      errorString, getDiagnostic];
    var api = {};
    names.forEach(function (name, i) {
      // Error readers are not logged: courses call them after every failed call.
      api[name] = i < 5 ? wrap(name, fns[i]) : fns[i];
    });
    /** The simulator's own view of the data (never called by content). */
    api.preview = {
      version: version, values: values, lms: lms,
      state: function () { return state; },
      count: count
    };
    return api;
  }

  global.PreviewScorm = { create: create, ERRORS12: ERRORS12, ERRORS2004: ERRORS2004 };
})(window);
