/* The preview's LMS simulator: shows the course in a frame the way an LMS does, plays the LMS
 * (SCORM 1.2, SCORM 2004, cmi5, or none), shows what the LMS receives, and relaunches the course
 * on the learner's page when the server says a new build is ready (Server-Sent Events).
 *
 * What the simulated LMS keeps of an attempt (the SCORM data model, or the web build's
 * localStorage record) survives reloads and new builds: "Reset" starts a new attempt. */
(function () {
  "use strict";
  var MODES = {
    scorm12: { api: "API", version: "1.2", limit: 4096, label: "SCORM 1.2" },
    scorm2004: { api: "API_1484_11", version: "2004", limit: 64000, label: "SCORM 2004" },
    cmi5: { label: "cmi5" },
    web: { label: "No LMS (web)" }
  };
  var NOTES = {
    scorm12: "The course talks to this page's SCORM 1.2 API (window.API), as in an LMS.",
    scorm2004: "The course talks to this page's SCORM 2004 API (window.API_1484_11), as in an LMS.",
    cmi5: "The preview launched the course as a cmi5 LMS does; it sends xAPI statements and " +
      "its State document to the preview's own endpoint.",
    web: "No LMS: the course keeps the learner's progress in this browser (localStorage), as " +
      "the web build does on any website."
  };
  var MAX_CALLS = 400;
  var $ = function (id) { return document.getElementById(id); };
  var frame = $("course"), select = $("pv-mode");
  var status = null, shownBuild = null, course = null;
  var mode = null, api = null, calls = [], launches = 0, launching = null, cmi5Summary = null;
  var drawPending = false;

  // -- what the simulated LMS keeps -------------------------------------------------------------
  function storeKey() { return "course_builder_preview:" + course.id + ":" + course.version + ":" + mode; }
  function webKey() { return "course_builder:" + course.id + ":" + course.version; }
  function readJson(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function saveAttempt(attempt) {
    var copy = {};
    Object.keys(attempt).forEach(function (k) { if (k !== "review") copy[k] = attempt[k]; });
    localStorage.setItem(storeKey(), JSON.stringify(copy));
  }

  // -- launching ---------------------------------------------------------------------------------
  function unload() {
    return new Promise(function (resolve) {
      if (frame.getAttribute("src") === "about:blank" && !launching) { resolve(); return; }
      var done = function () { frame.removeEventListener("load", done); resolve(); };
      frame.addEventListener("load", done);
      frame.setAttribute("src", "about:blank");  // the course ends its session on pagehide
    });
  }

  function launch(options) {
    options = options || {};
    if (!course) return Promise.resolve();
    var build = status.serving;
    var run = unload().then(function () {
      if (api && api.preview.state() === "running") {
        note("The course did not end its session (" + (MODES[mode].version === "1.2" ? "LMSFinish" : "Terminate") +
          ") before it was closed.", true);
      }
      delete window.API;
      delete window.API_1484_11;
      api = null;
      launches++;
      var src = "/course/" + mode + "/index.html";
      var how = options.review ? "review" : "normal";
      if (MODES[mode].api) {
        var attempt = readJson(storeKey()) || {};
        attempt.review = !!options.review;
        how = attempt.exit === "suspend" ? "resume" : (attempt.sessions ? "new session" : "first launch");
        if (options.review) how = "review mode";
        api = PreviewScorm.create(MODES[mode].version, attempt, {
          onCall: function (call) { calls.push(call); trim(); draw(); },
          onCommit: function (a) { saveAttempt(a); draw(); }
        });
        window[MODES[mode].api] = api;
      }
      note("Launch " + launches + " (" + MODES[mode].label + ", " + how + ", build " + build + ")");
      if (mode !== "cmi5") return src;
      return fetch("/_preview/cmi5/launch?mode=" + (options.review ? "Review" : "Normal"), { method: "POST" })
        .then(function (r) { return r.json(); })
        .then(function (data) { return src + "?" + data.query; });
    }).then(function (src) {
      shownBuild = build;
      frame.setAttribute("src", src);
      draw();
    });
    launching = run;
    return run.then(function () { launching = null; });
  }

  function note(text, problem) {
    calls.push({ note: text, problem: !!problem });
    trim();
    draw();
  }
  function trim() { if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS); }

  function reset() {
    if (!course) return;
    var done = unload().then(function () {
      localStorage.removeItem(storeKey());
      if (mode === "web") localStorage.removeItem(webKey());
      calls = [];
      if (mode === "cmi5") return fetch("/_preview/cmi5/reset", { method: "POST" });
      return null;
    });
    done.then(function () { note("Reset: a new attempt, nothing saved."); return launch(); });
  }

  // -- the panel ---------------------------------------------------------------------------------
  function draw() {
    if (drawPending) return;
    drawPending = true;
    window.requestAnimationFrame(function () { drawPending = false; render(); });
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function row(list, name, value) {
    list.appendChild(el("dt", name));
    var dd = el("dd");
    if (value && value.nodeType) dd.appendChild(value); else dd.textContent = value === "" || value === null || value === undefined ? "(none)" : String(value);
    list.appendChild(dd);
  }

  function sizeOf(text, limit) {
    var wrap = el("span");
    var n = (text || "").length;
    var words = n.toLocaleString("en-GB") + (limit ? " of " + limit.toLocaleString("en-GB") + " characters (" +
      Math.round(n / limit * 100) + "%)" : " characters (no limit)");
    wrap.appendChild(el("span", words, limit && n > limit ? "pv-over" : null));
    if (limit) {
      var meter = el("meter");
      meter.min = 0; meter.max = limit; meter.value = n; meter.low = limit * 0.6; meter.high = limit * 0.85;
      meter.setAttribute("aria-label", "Suspend data used");
      wrap.appendChild(document.createElement("br"));
      wrap.appendChild(meter);
    }
    return wrap;
  }

  function interactionsFromScorm(values, v12) {
    var out = [];
    for (var i = 0; values["cmi.interactions." + i + ".id"] !== undefined; i++) {
      var p = "cmi.interactions." + i + ".";
      out.push({ id: values[p + "id"], response: values[p + (v12 ? "student_response" : "learner_response")],
        result: values[p + "result"] });
    }
    return out;
  }

  function render() {
    var data = $("pv-data");
    data.textContent = "";
    var interactions = [];
    $("pv-mode-note").textContent = mode ? NOTES[mode] : "";
    $("pv-review").disabled = mode === "web";
    if (mode && MODES[mode].api && api) {
      var v = api.preview.values, lms = api.preview.lms, v12 = MODES[mode].version === "1.2";
      if (v12) {
        row(data, "Lesson status", v["cmi.core.lesson_status"]);
        row(data, "Score", v["cmi.core.score.raw"] === undefined ? "" :
          v["cmi.core.score.raw"] + " (min " + (v["cmi.core.score.min"] || "?") + ", max " + (v["cmi.core.score.max"] || "?") + ")");
        row(data, "Location", v["cmi.core.lesson_location"]);
        row(data, "Entry, mode", lms["cmi.core.entry"] + ", " + lms["cmi.core.lesson_mode"]);
        row(data, "Exit", v["cmi.core.exit"]);
        row(data, "Suspend data", sizeOf(v["cmi.suspend_data"], MODES[mode].limit));
      } else {
        row(data, "Completion", v["cmi.completion_status"]);
        row(data, "Success", v["cmi.success_status"]);
        row(data, "Score", v["cmi.score.scaled"] === undefined ? "" :
          "scaled " + v["cmi.score.scaled"] + (v["cmi.score.raw"] !== undefined ? ", raw " + v["cmi.score.raw"] : ""));
        row(data, "Progress", v["cmi.progress_measure"]);
        row(data, "Location", v["cmi.location"]);
        row(data, "Entry, mode", lms["cmi.entry"] + ", " + lms["cmi.mode"]);
        row(data, "Exit", v["cmi.exit"] || "");
        row(data, "Suspend data", sizeOf(v["cmi.suspend_data"], MODES[mode].limit));
      }
      row(data, "Session", api.preview.state() === "running" ? "running" : api.preview.state() === "ended" ? "ended" : "not started");
      interactions = interactionsFromScorm(v, v12);
    } else if (mode === "web" && course) {
      var saved = readJson(webKey()) || {};
      row(data, "Completion", saved.completion || saved.lesson);
      row(data, "Success", saved.success);
      row(data, "Score", saved.score);
      row(data, "Location", saved.location);
      row(data, "Saved progress", sizeOf(saved.suspend, null));
    } else if (mode === "cmi5" && cmi5Summary) {
      var s = cmi5Summary;
      row(data, "Completed", s.completed ? "yes" : "no");
      row(data, "Success", s.success);
      row(data, "Score", s.score);
      row(data, "Location", s.location);
      row(data, "Saved progress", sizeOf(s.suspend, null));
      row(data, "Statements", s.verbs.length ? s.verbs.length + " (" + s.verbs.slice(-6).join(", ") + ")" : "");
      interactions = s.interactions.map(function (i) {
        return { id: i.id, response: i.response, result: i.success === null || i.success === undefined ? "" : i.success ? "correct" : "wrong" };
      });
    }
    var body = $("pv-interactions");
    body.textContent = "";
    interactions.forEach(function (i) {
      var tr = el("tr");
      tr.appendChild(el("td", i.id));
      tr.appendChild(el("td", i.response));
      tr.appendChild(el("td", i.result));
      body.appendChild(tr);
    });
    if (!interactions.length) {
      var empty = el("tr"), td = el("td", mode === "web" ? "Not recorded without an LMS." : "None yet.");
      td.colSpan = 3;
      empty.appendChild(td);
      body.appendChild(empty);
    }
    renderCalls();
  }

  function renderCalls() {
    var list = $("pv-calls");
    list.textContent = "";
    var shown = calls;
    if (mode === "cmi5" && cmi5Summary) {
      shown = calls.filter(function (c) { return c.note; }).concat(cmi5Summary.log.map(function (r) {
        return { http: r };
      }));
    }
    shown.forEach(function (c) {
      var li;
      if (c.note) {
        li = el("li", c.note, c.problem ? "pv-launch pv-fail" : "pv-launch");
      } else if (c.http) {
        var bad = c.http.status >= 400;
        li = el("li", c.http.method + " " + c.http.what + " \u2192 " + c.http.status +
          (c.http.note ? " (" + c.http.note + ")" : ""), bad ? "pv-fail" : null);
      } else {
        var args = c.args.map(function (a) { return JSON.stringify(a.length > 60 ? a.slice(0, 60) + "..." : a); }).join(", ");
        var text = c.method + "(" + args + ") \u2192 " + JSON.stringify(c.result.length > 40 ? c.result.slice(0, 40) + "..." : c.result) +
          (c.error ? "  error " + c.error + ": " + c.diagnostic : "");
        li = el("li", text, c.error ? "pv-fail" : null);
      }
      list.appendChild(li);
    });
    var box = list.parentNode;
    box.scrollTop = box.scrollHeight;
  }

  // -- builds ------------------------------------------------------------------------------------
  function showStatus(data) {
    status = data;
    var errors = data.diagnostics.filter(function (d) { return d.level === "error"; });
    var warnings = data.diagnostics.filter(function (d) { return d.level === "warning"; });
    if (data.course) {
      course = data.course;
      $("pv-title").textContent = "Preview: " + course.title;
      document.title = "Preview: " + course.title;
    }
    $("pv-build").textContent = data.ok
      ? "Build " + data.build + " ready in " + data.ms + " ms" + (warnings.length ? ", " + warnings.length + " warning(s)" : "")
      : "Build " + data.build + " failed: " + errors.length + " error(s)";
    var box = $("pv-errors");
    box.textContent = "";
    var formatErrors = (data.formatErrors || {})[mode] || [];
    if (!data.ok || formatErrors.length) {
      var shown = data.ok ? formatErrors : errors;
      box.appendChild(el("h2", data.ok
        ? "This course cannot run as " + MODES[mode].label
        : "The course has " + shown.length + " error(s). " +
          (data.serving ? "The page still shows build " + data.serving + ", the last good one." : "Fix them to see the course.")));
      var list = el("ul");
      shown.forEach(function (d) { list.appendChild(diagnosticItem(d)); });
      box.appendChild(list);
    }
    var details = $("pv-warnings"), wl = $("pv-warnings-list");
    wl.textContent = "";
    warnings.forEach(function (d) { wl.appendChild(diagnosticItem(d)); });
    details.hidden = !warnings.length;
    $("pv-warnings-title").textContent = warnings.length + " warning(s)";
  }

  function diagnosticItem(d) {
    var li = el("li");
    if (d.where) { li.appendChild(el("code", d.where)); li.appendChild(document.createTextNode(": ")); }
    li.appendChild(document.createTextNode(d.level + ": " + d.message));
    if (d.hint) li.appendChild(el("span", "hint: " + d.hint, "pv-hint"));
    return li;
  }

  function chooseMode(data) {
    var asked = new URLSearchParams(window.location.search).get("lms") || localStorage.getItem("course_builder_preview:mode");
    if (asked && MODES[asked]) return asked;
    var outputs = data.course ? data.course.outputs : [];
    for (var i = 0; i < outputs.length; i++) if (MODES[outputs[i]]) return outputs[i];
    return "scorm12";
  }

  function onStatus(data) {
    var first = mode === null;
    if (first && data.course) {
      mode = chooseMode(data);
      select.value = mode;
    }
    showStatus(data);
    if (data.serving && data.serving !== shownBuild && mode) {
      var wait = launching || Promise.resolve();
      wait.then(function () { if (status.serving !== shownBuild) launch(); });
    }
    draw();
  }

  function refreshCmi5() {
    if (mode !== "cmi5") return;
    fetch("/_preview/cmi5/summary").then(function (r) { return r.json(); }).then(function (s) {
      cmi5Summary = s;
      draw();
    });
  }

  // -- wiring ------------------------------------------------------------------------------------
  select.addEventListener("change", function () {
    unload().then(function () {
      mode = select.value;
      localStorage.setItem("course_builder_preview:mode", mode);
      var url = new URL(window.location.href);
      url.searchParams.set("lms", mode);
      window.history.replaceState(null, "", url.toString());
      calls = [];
      cmi5Summary = null;
      if (status) showStatus(status);
      refreshCmi5();
      launch();
    });
  });
  $("pv-reset").addEventListener("click", reset);
  $("pv-relaunch").addEventListener("click", function () { launch(); });
  $("pv-review").addEventListener("click", function () { launch({ review: true }); });
  window.addEventListener("storage", function (e) { if (mode === "web" && course && e.key === webKey()) draw(); });
  frame.addEventListener("load", function () { if (mode === "web") draw(); });

  var events = new EventSource("/_preview/events");
  events.addEventListener("status", function (e) { onStatus(JSON.parse(e.data)); });
  events.addEventListener("lrs", refreshCmi5);

})();
