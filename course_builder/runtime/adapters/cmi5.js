/* Tracking adapter: cmi5 (Quartz). The LMS launches
 *   index.html?endpoint=<LRS>&fetch=<one-time token URL>&actor=<JSON agent>&registration=<uuid>
 *             &activityId=<runtime AU IRI>
 * The AU POSTs to the fetch URL once for its token (kept in sessionStorage so a reload within
 * the session does not need a second one), reads LMS.LaunchData from the State API, sends
 * "initialized" first and "terminated" last, and "completed"/"passed"/"failed" only in Normal
 * launch mode and at most once per registration (runtime/adapters/_lrs.js does the sending).
 * masteryScore from LaunchData replaces the course's pass mark; returnURL is where "Take a
 * break" goes. */
(function (CB) {
  "use strict";
  CB.adapters = CB.adapters || {};
  var LAUNCH_DATA = "LMS.LaunchData";

  function fail(course, log, message) {
    log.push(message);
    if (window.console) console.warn("course_builder cmi5: " + message);
    var fallback = CB.adapters.none(course);
    fallback.log = log;
    return fallback;
  }

  /** The auth token: POST to the fetch URL once per session (cmi5 8.2.3). */
  function token(fetchUrl, log) {
    var key = "course_builder:cmi5-token:" + fetchUrl;
    var saved = CB.lrs.storage.get(window.sessionStorage, key);
    if (saved) return saved;
    var xhr = new XMLHttpRequest();
    try {
      xhr.open("POST", fetchUrl, false);
      xhr.send(null);
    } catch (e) {
      log.push("fetch URL unreachable");
      return null;
    }
    var body = null;
    try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
    if (xhr.status !== 200 || !body || !body["auth-token"]) {
      log.push("fetch URL gave no token: HTTP " + xhr.status +
        (body && body["error-code"] ? ", error-code " + body["error-code"] + " " + (body["error-text"] || "") : ""));
      return null;
    }
    CB.lrs.storage.set(window.sessionStorage, key, body["auth-token"]);
    return body["auth-token"];
  }

  CB.adapters.cmi5 = function (course) {
    var p = CB.lrs.launchParams();
    var log = [];
    // cmi5 8.1: use the actor exactly as given (it must be an Agent with an account).
    var actor = null;
    try { actor = JSON.parse(p.actor); } catch (e) { actor = null; }
    if (actor && !actor.account) actor = CB.lrs.normalizeActor(actor);
    if (!p.endpoint || !p.fetch || !actor || !p.registration || !p.activityId) {
      return fail(course, log, "not launched by a cmi5 LMS (endpoint, fetch, actor, registration " +
        "and activityId are needed): progress stays in this browser");
    }
    var authToken = token(p.fetch, log);
    if (!authToken) return fail(course, log, "no authorization token: progress stays in this browser");
    var client = new CB.lrs.Client({ endpoint: p.endpoint, auth: "Basic " + authToken,
      queueKey: "course_builder:unused", log: log });
    var launchData = client.getState({ stateId: LAUNCH_DATA, activityId: p.activityId,
      agent: p.actor, registration: p.registration });
    if (launchData.status !== 200 || !launchData.data || !launchData.data.contextTemplate) {
      return fail(course, log, "could not read LMS.LaunchData (HTTP " + launchData.status + ")");
    }
    var data = launchData.data;
    var mode = data.launchMode === "Browse" || data.launchMode === "Review" ? data.launchMode : "Normal";
    var mastery = typeof data.masteryScore === "number" ? data.masteryScore : null;
    if (mastery !== null) {
      // The LMS's masteryScore replaces the course's pass mark (cmi5 10.2.4): the tracker judges
      // passed/failed against course.rules.passMark.
      course.rules.passMark = Math.round(mastery * 1000000) / 10000;
    }
    var moveOn = data.moveOn || "NotApplicable";
    if (/Passed/.test(moveOn) && course.rules.passMark === null) {
      log.push("moveOn " + moveOn + " but the course has no pass mark and the LMS gave no masteryScore");
    }
    // cmi5 11: the AU should read the learner's preferences; this course has one language and no
    // audio setting to apply, so the answer is not used.
    try {
      fetch(client.url("agents/profile", { agent: p.actor, profileId: "cmi5LearnerPreferences" }), {
        headers: client.headers(false), credentials: "omit", cache: "no-store"
      }).catch(function () {});
    } catch (e) { /* not essential */ }
    var adapter = CB.lrs.adapter(course, {
      endpoint: p.endpoint, auth: "Basic " + authToken, actor: actor,
      registration: p.registration, activityId: p.activityId, log: log,
      cmi5: {
        contextTemplate: data.contextTemplate, launchMode: mode, masteryScore: mastery,
        moveOn: moveOn, returnURL: data.returnURL || null
      }
    });
    adapter.launchMode = mode;
    adapter.moveOn = moveOn;
    return adapter;
  };
})(window.CB = window.CB || {});
