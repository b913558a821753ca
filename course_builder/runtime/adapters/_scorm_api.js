/* Finding the LMS's SCORM API object the standard way (SCORM 1.2 RTE 3.3.6.1; SCORM 2004 RTE
 * 3.1.6): look in this window's parents, then in the opener's chain, giving up after a bounded
 * number of steps. Cross-origin frames throw on access; those are skipped. */
(function (CB) {
  "use strict";
  var MAX_DEPTH = 10;

  function search(win, name) {
    for (var depth = 0; win && depth <= MAX_DEPTH; depth++) {
      try {
        if (win[name]) return win[name];
      } catch (e) { /* cross-origin: keep walking */ }
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  CB.findScormApi = function (name) {
    var found = search(window, name);
    if (!found && window.opener) {
      try { found = search(window.opener, name); } catch (e) { found = null; }
    }
    if (!found && window.top && window.top.opener) {
      try { found = search(window.top.opener, name); } catch (e) { found = null; }
    }
    return found;
  };

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }
  CB.time = {
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
        "T" + CB.time.time12(date);
    }
  };
})(window.CB = window.CB || {});

/* The part of a SCORM adapter both versions share: talking to the API object, the fallback to
 * localStorage when no LMS is found, and writing one interaction. A dialect (scorm12.js,
 * scorm2004.js) names the API, its functions and data model elements, and formats values. */
(function (CB) {
  "use strict";

  CB.scormAdapter = function (course, dialect) {
    var api = CB.findScormApi(dialect.apiName);
    var fn = dialect.functions;
    var log = [];
    var fallback = CB.adapters.none(course);
    var nextInteraction = null;
    var lms = {
      set: function (name, value) {
        if (!api) return false;
        var ok = String(api[fn.set](name, String(value))) === "true";
        if (!ok) log.push(name + ": error " + api[fn.error]());
        return ok;
      },
      get: function (name) { return api ? String(api[fn.get](name)) : ""; }
    };
    /** Calls the dialect when an LMS is connected, the localStorage fallback otherwise. */
    function either(method) {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        if (!api) return fallback[method] ? fallback[method].apply(fallback, args) : undefined;
        return dialect[method].apply(dialect, [lms].concat(args));
      };
    }
    var adapter = {
      name: dialect.name,
      log: log,
      start: function () {
        if (!api || String(api[fn.initialize]("")) !== "true") {
          api = null;
          return fallback.start();
        }
        return dialect.start(lms);
      },
      setLocation: function (id) {
        api ? lms.set(dialect.elements.location, id) : fallback.setLocation(id);
      },
      setSuspend: function (text) {
        api ? lms.set("cmi.suspend_data", text) : fallback.setSuspend(text);
      },
      setScore: either("setScore"),
      setProgress: either("setProgress"),
      record: function (meta, value, correct, latencyMs, when) {
        if (!api) return;
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
      setExit: function (suspend, sessionMs, byLearner) {
        if (!api) return fallback.setExit(suspend, sessionMs);
        lms.set(dialect.elements.exit, suspend ? "suspend" : dialect.normalExit);
        lms.set(dialect.elements.sessionTime, dialect.span(sessionMs));
        // The learner chose to leave: where the standard allows, ask the LMS to close the
        // course now rather than leave an empty frame (SCORM 2004 RTE 4.4, adl.nav.request).
        if (byLearner && dialect.elements.navRequest) {
          lms.set(dialect.elements.navRequest, suspend ? "suspendAll" : "exitAll");
        }
      },
      commit: function () {
        if (!api) return fallback.commit();
        var ok = String(api[fn.commit]("")) === "true";
        if (!ok) log.push("commit: error " + api[fn.error]());
        return ok;
      },
      /** The session's last call: Terminate / LMSFinish, which persists everything set (no
       * Commit before it: see Tracker.finish). A failure while the page stays is tried once
       * more; the LMS keeps the session open after a failed Terminate. */
      terminate: function (options) {
        if (!api) return fallback.terminate();
        var ok = String(api[fn.terminate]("")) === "true";
        if (!ok) {
          log.push("terminate: error " + api[fn.error]());
          if (!(options && options.unloading)) ok = String(api[fn.terminate]("")) === "true";
        }
        return ok;
      }
    };
    (dialect.statusMethods || []).forEach(function (method) { adapter[method] = either(method); });
    return adapter;
  };
})(window.CB = window.CB || {});
