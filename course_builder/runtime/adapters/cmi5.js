/* Tracking adapter: cmi5 (Quartz). The LMS launches
 *   index.html?endpoint=<LRS>&fetch=<one-time token URL>&actor=<JSON agent>&registration=<uuid>
 *             &activityId=<runtime AU IRI>
 * (with one AU per module the AU url is index.html?module=<slug> and the LMS appends its
 * parameters: the session then shows, completes and scores that module only).
 *
 * Before the course starts (prepare(), asynchronous: nothing blocks the page) the AU POSTs to
 * the fetch URL once for its token (kept in sessionStorage so a reload within the session does
 * not need a second one), reads LMS.LaunchData from the State API, then the learner's
 * preferences (cmi5 11: before any statement; a strict LMS refuses statements until then), then
 * the saved progress. It sends "initialized" first and "terminated" last, and
 * "completed"/"passed"/"failed" only in Normal launch mode and at most once per registration
 * (runtime/adapters/_lrs.js does the sending). masteryScore from LaunchData replaces the
 * course's pass mark (start() returns it as passMark); returnURL is where "Take a break" goes.
 *
 * A session ends with "terminated" (Take a break, or the page closing or reloading), and then
 * the LMS refuses every request of that session (cmi5 8.1.2.0-2), LMS.LaunchData included. So
 * the tab remembers (sessionStorage) the sessions it has ended; a reload of one, or a launch
 * whose LaunchData is refused, shows "This session has ended" with the way back to the LMS
 * (adapter.ended) instead of a disconnected course. */
(function (R) {
  "use strict";
  R.adapters = R.adapters || {};
  var LAUNCH_DATA = "LMS.LaunchData";
  var ENDED = "course_builder:cmi5-ended:";

  function warn(log, message) {
    log.push(message);
    if (window.console) console.warn("course_builder cmi5: " + message);
  }

  /** The adapter for a course that cannot track: progress stays in this browser. With one AU
   * per module it still shows only the launched module. */
  function fallback(course, log, scope) {
    var none = R.adapters.none(course);
    none.log = log;
    if (scope) {
      var start = none.start;
      none.start = function () {
        var info = start.apply(none, arguments);
        info.scope = scope;
        return info;
      };
    }
    return none;
  }

  /** The auth token: POST to the fetch URL once per session (cmi5 8.2.3). A promise of the
   * token, or of null (the reason is in the log). */
  function token(fetchUrl, log) {
    var key = "course_builder:cmi5-token:" + fetchUrl;
    var saved = R.lrs.storage.get(window.sessionStorage, key);
    if (saved) return Promise.resolve(saved);
    return R.lrs.get(fetchUrl, {}, null, "POST").then(function (r) {
      if (!r.status) {
        log.push(r.timedOut ? "fetch URL did not answer in time" : "fetch URL unreachable");
        return null;
      }
      var body = null;
      try { body = JSON.parse(r.body); } catch (e) { body = null; }
      if (r.status !== 200 || !body || !body["auth-token"]) {
        log.push("fetch URL gave no token: HTTP " + r.status +
          (body && body["error-code"] ? ", error-code " + body["error-code"] + " " + (body["error-text"] || "") : ""));
        return null;
      }
      R.lrs.storage.set(window.sessionStorage, key, body["auth-token"]);
      return body["auth-token"];
    });
  }

  /** Copy an adapter's members onto the one boot.js and the tracker hold. */
  function become(target, source) {
    Object.keys(source).forEach(function (k) { if (k !== "prepare") target[k] = source[k]; });
  }

  R.adapters.cmi5 = function (course) {
    var p = R.lrs.launchParams();
    var log = [];
    var scope = null;
    if (p.module) {
      var known = course.modules.some(function (m) { return m.slug === p.module; });
      if (known) scope = p.module;
      else warn(log, "no module " + JSON.stringify(p.module) + " in this course: showing all of it");
    }
    // cmi5 8.1: use the actor exactly as given (it must be an Agent with an account).
    var actor = null;
    try { actor = JSON.parse(p.actor); } catch (e) { actor = null; }
    if (actor && !actor.account) actor = R.lrs.normalizeActor(actor);
    if (!p.endpoint || !p.fetch || !actor || !p.registration || !p.activityId) {
      warn(log, "not launched by a cmi5 LMS (endpoint, fetch, actor, registration " +
        "and activityId are needed): progress stays in this browser");
      return fallback(course, log, scope);
    }

    // Until prepare() has settled this adapter is a shell; then it becomes the real one (the
    // LRS adapter, or the unconnected fallback when the launch cannot be completed).
    var adapter = { name: "cmi5", log: log };

    function unconnected(message) {
      warn(log, message);
      become(adapter, fallback(course, log, scope));
    }

    // A session this tab has already ended (a reload after "terminated"): nothing more may be
    // sent for it, so nothing is asked; the learner is told to go back to the LMS.
    var endedHere = R.lrs.storage.get(window.sessionStorage, ENDED + p.fetch);

    function ended(why, returnURL) {
      warn(log, why);
      adapter.ended = { returnURL: returnURL || null };
    }

    adapter.prepare = function () {
      if (endedHere) {
        ended("this session has already ended (terminated)", endedHere.returnURL);
        return Promise.resolve(null);
      }
      return token(p.fetch, log).then(function (authToken) {
        if (!authToken) {
          unconnected("no authorization token: progress stays in this browser");
          return null;
        }
        var auth = "Basic " + authToken;
        var client = new R.lrs.Client({ endpoint: p.endpoint, auth: auth,
          queueKey: "course_builder:unused", log: log });
        return client.getState({ stateId: LAUNCH_DATA, activityId: p.activityId,
          agent: p.actor, registration: p.registration }).then(function (launchData) {
          if (launchData.status === 401 || launchData.status === 403) {
            // The LMS no longer accepts this session's token: the session has ended.
            ended("LMS.LaunchData refused (HTTP " + launchData.status + "): the session has ended");
            return null;
          }
          if (launchData.status !== 200 || !launchData.data || !launchData.data.contextTemplate) {
            unconnected("could not read LMS.LaunchData (" +
              (launchData.status ? "HTTP " + launchData.status : "no answer") + ")");
            return null;
          }
          return connect(client, auth, launchData.data);
        });
      });
    };

    function connect(client, auth, data) {
      var mode = data.launchMode === "Browse" || data.launchMode === "Review" ? data.launchMode : "Normal";
      var mastery = typeof data.masteryScore === "number" ? data.masteryScore : null;
      // The LMS's masteryScore replaces the course's pass mark (cmi5 10.2.4); the tracker
      // judges passed/failed against the passMark start() returns.
      var passMark = mastery === null ? null : Math.round(mastery * 1000000) / 10000;
      var moveOn = data.moveOn || "NotApplicable";
      if (/Passed/.test(moveOn) && passMark === null && course.rules.passMark === null) {
        log.push("moveOn " + moveOn + " but the course has no pass mark and the LMS gave no masteryScore");
      }
      // cmi5 11: the AU reads the learner's preferences on start-up, before any statement (a
      // strict LMS refuses statements until it has: 11.0.0.0-3). This course has one language
      // and no audio setting to apply, so the answer itself is not used.
      return R.lrs.get(client.url("agents/profile", { agent: p.actor,
        profileId: "cmi5LearnerPreferences" }), client.headers(false)).then(function (prefs) {
        if (prefs.status !== 200 && prefs.status !== 404) {
          log.push("learner preferences: " + (prefs.status ? "HTTP " + prefs.status : "no answer"));
        }
        return begin(data, mode, mastery, passMark, moveOn, auth);
      });
    }

    function begin(data, mode, mastery, passMark, moveOn, auth) {
      var returnURL = data.returnURL || null;
      var lrs = R.lrs.adapter(course, {
        endpoint: p.endpoint, auth: auth, actor: actor,
        registration: p.registration, activityId: p.activityId, log: log,
        passMark: passMark, scope: scope,
        cmi5: {
          contextTemplate: data.contextTemplate, launchMode: mode, masteryScore: mastery,
          moveOn: moveOn, returnURL: returnURL
        },
        onTerminated: function () {
          R.lrs.storage.set(window.sessionStorage, ENDED + p.fetch, { returnURL: returnURL });
        }
      });
      lrs.launchMode = mode;
      lrs.moveOn = moveOn;
      become(adapter, lrs);
      return lrs.prepare();  // the saved progress
    }

    // Should anything call start() without waiting for prepare(), run unconnected.
    adapter.start = function () {
      unconnected("started before the launch was prepared: progress stays in this browser");
      return adapter.start();
    };
    return adapter;
  };
})(window.__cb = window.__cb || {});
