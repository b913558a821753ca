/* SCORM only. Finding the LMS's SCORM API object the standard way (SCORM 1.2 RTE 3.3.6.1; SCORM 2004 RTE
 * 3.1.6): look in this window's parents, then in the opener's chain, giving up after a bounded
 * number of steps. Cross-origin frames throw on access; those are skipped. The window the API
 * lives in is kept too: an LMS that opens the course in a window of its own (SuccessFactors
 * does) keeps the API in its own window, which the learner can close or leave mid-course. */
(function (R) {
  "use strict";
  var MAX_DEPTH = 10;

  function search(win, name) {
    for (var depth = 0; win && depth <= MAX_DEPTH; depth++) {
      try {
        if (win[name]) return { api: win[name], win: win };
      } catch (e) { /* cross-origin: keep walking */ }
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  R.findScormApi = function (name) {
    var found = search(window, name);
    if (!found && window.opener) {
      try { found = search(window.opener, name); } catch (e) { found = null; }
    }
    if (!found && window.top && window.top.opener) {
      try { found = search(window.top.opener, name); } catch (e) { found = null; }
    }
    return found;
  };

})(window.__cb = window.__cb || {});

/* The part of a SCORM adapter both versions share: talking to the API object, the fallback to
 * localStorage when no LMS is found, and writing one interaction. A dialect (scorm12.js,
 * scorm2004.js) names the API, its functions and data model elements, and formats values.
 *
 * Whatever the LMS's API does, the course goes on (issue: an LMS wrapper whose methods throw
 * left learners stuck on page 1): every call goes through invoke(), which turns a throw into a
 * failure and logs it; Initialize refused or throwing leaves the course running on this
 * browser alone (Launch.refused: the learner is told); a setter returns false when the LMS
 * refused the value; Terminate / LMSFinish is called exactly once, never again even when it
 * fails (the journal keeps what it carried: journal.js). Before each call the API's window is
 * checked: once it has closed or gone elsewhere nothing more is sent to it (an API object left
 * behind may still answer "true" and keep nothing) and the tracker hears "lost".
 *
 * LMS profile switches (course.lms): interactions false writes no cmi.interactions (and never
 * reads their _count); navRequest false never sets adl.nav.request. */
(function (R) {
  "use strict";

  R.scormAdapter = function (course, dialect) {
    var api = null, win = null, lost = false, terminated = false, unread = false;
    var fn = dialect.functions;
    var lmsSwitches = course.lms || {};
    var fallback = R.adapters.none(course);
    var report = function () {};
    var nextInteraction = null;
    var adapter;

    function note(line) { R.note(adapter, line); }

    /** The API is still there, in a window still open. */
    function alive() {
      if (!api || lost) return false;
      var gone;
      try { gone = !win || win.closed || win[dialect.apiName] !== api; } catch (e) { gone = true; }
      if (gone) {
        lost = true;
        note("the LMS window holding the API was closed or left: nothing more can be saved");
        report("lost");
      }
      return !gone;
    }

    /** One API call: its answer as a string, or null when it threw or the API is gone. */
    function invoke(name, args) {
      if (!alive()) return null;
      try {
        var value = api[name].apply(api, args);
        return value === undefined || value === null ? "" : String(value);
      } catch (err) {
        note(name + " threw: " + R.errorText(err));
        return null;
      }
    }

    function failed(what, answer) {
      note(what + ": " + (answer === null ? "no answer" : "error " + invoke(fn.error, [])));
    }

    var lms = {
      set: function (name, value) {
        var answer = invoke(fn.set, [name, String(value)]);
        if (answer === "true") return true;
        failed(fn.set + " " + name, answer);
        return false;
      },
      get: function (name) {
        var value = invoke(fn.get, [name]);
        if (value === null) unread = true;  // threw: not "empty", unknown
        return value || "";
      }
    };

    /** Calls the dialect when an LMS is connected, the localStorage fallback otherwise. */
    function either(method) {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        if (!api) return R.call(fallback, method, args);
        return dialect[method].apply(dialect, [lms].concat(args)) !== false;
      };
    }

    adapter = {
      name: dialect.name,
      statuses: dialect.statuses,
      log: [],
      start: function (startedAt, reportProblem) {
        report = reportProblem || report;
        fallback.log = adapter.log;
        var found = R.findScormApi(dialect.apiName);
        if (!found) return fallback.start();
        api = found.api;
        win = found.win;
        var answer = invoke(fn.initialize, [""]);
        if (answer !== "true") {
          // The LMS is there but opens no session: never Terminate what never began; this
          // browser keeps the progress, and the learner is told to relaunch.
          failed(fn.initialize, answer);
          api = null;
          var info = fallback.start();
          info.refused = true;
          return info;
        }
        var launch = dialect.start(lms);
        launch.unread = unread;  // what the LMS holds could not be read: never overwrite it
        launch.learner = lms.get(dialect.elements.learner) || "-";
        launch.journal = !unread;
        return launch;
      },
      setLocation: function (id) {
        return api ? lms.set(dialect.elements.location, id) : fallback.setLocation(id);
      },
      setSuspend: function (text) {
        return api ? lms.set("cmi.suspend_data", text) : fallback.setSuspend(text);
      },
      setScore: either("setScore"),
      setProgress: either("setProgress"),
      record: function (meta, value, correct, latencyMs, when) {
        if (!api || lmsSwitches.interactions === false) return;
        var e = dialect.elements;
        // Count locally after one read of _count: some LMSs do not keep _count up to date (or
        // implement it at all), and rereading it would then overwrite interaction 0.
        if (nextInteraction === null) {
          nextInteraction = parseInt(lms.get("cmi.interactions._count"), 10) || 0;
        }
        var p = "cmi.interactions." + nextInteraction++ + ".";
        // id and type first: SCORM 2004 refuses other interaction fields before them (408).
        lms.set(p + "id", meta.id);
        lms.set(p + "type", meta.scormType);
        lms.set(p + e.time, dialect.time(when));
        if (e.description && meta.description) lms.set(p + e.description, meta.description);
        meta.patterns.forEach(function (pattern, i) {
          lms.set(p + "correct_responses." + i + ".pattern", pattern);
        });
        lms.set(p + "weighting", meta.scored ? "1" : "0");
        lms.set(p + e.response, dialect.response(meta, value));
        lms.set(p + "result", correct === null ? "neutral" : correct ? "correct" : e.wrong);
        lms.set(p + "latency", dialect.span(latencyMs));
      },
      /** Each value on its own: one refused never stops the next. */
      setExit: function (suspend, sessionMs, byLearner) {
        if (!api) return fallback.setExit(suspend, sessionMs);
        lms.set(dialect.elements.exit, suspend ? "suspend" : dialect.normalExit);
        lms.set(dialect.elements.sessionTime, dialect.span(sessionMs));
        // The learner chose to leave: where the standard allows, ask the LMS to close the
        // course now rather than leave an empty frame (SCORM 2004 RTE 4.4, adl.nav.request).
        if (byLearner && dialect.elements.navRequest && lmsSwitches.navRequest !== false) {
          lms.set(dialect.elements.navRequest, suspend ? "suspendAll" : "exitAll");
        }
      },
      commit: function () {
        if (!api) return fallback.commit();
        var answer = invoke(fn.commit, [""]);
        if (answer === "true") return true;
        failed(fn.commit, answer);
        return false;
      },
      /** The session's last call: Terminate / LMSFinish, which persists everything set (no
       * Commit before it: see Tracker.finish). Called once, even when it fails. */
      terminate: function () {
        if (!api) return fallback.terminate();
        if (terminated) return false;
        terminated = true;
        var answer = invoke(fn.terminate, [""]);
        if (answer === "true") return true;
        failed(fn.terminate, answer);
        return false;
      }
    };
    (dialect.statusMethods || []).forEach(function (method) { adapter[method] = either(method); });
    return adapter;
  };
})(window.__cb = window.__cb || {});
