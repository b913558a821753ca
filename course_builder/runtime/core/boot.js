/* course_builder runtime: start-up. Reads the course JSON that the build wrote into the page,
 * picks the one tracking adapter this package carries, restores progress and wires the page
 * life cycle so the session always ends cleanly.
 *
 * The global namespace. This file runs last; it takes the runtime's private namespace
 * (window.__cb, which the other runtime files shared while they loaded) and removes it, so the
 * page keeps one global, CB, holding only the public API:
 *   CB.registerBlock(type, definition)   for content types (blocks.js, docs/plugin-authors.md)
 *   CB.t(key, params)                    the package's words in its language (i18n.js), for
 *                                        a plugin's helpers where its block's api.t is not at
 *                                        hand
 *   CB.diagnose()                        for support staff in the browser console: what this
 *                                        session is doing (format, mode, whether progress is
 *                                        being saved, what is waiting to be sent, the log)
 * With "cb-debug" in the page's query or hash (index.html?cb-debug), CB.debug also holds the
 * internals ({runtime, tracker, adapter}), for developers and the browser tests. */
(function (R, CB) {
  "use strict";
  try { delete window.__cb; } catch (e) { window.__cb = undefined; }
  var debug = /(^|[?&#])cb-debug(\b|=|&|$)/.test(window.location.search + window.location.hash);
  var session = null;

  CB.diagnose = function () {
    return session ? session.diagnose() : { started: false };
  };
  if (debug) CB.debug = { runtime: R };

  function start() {
    var course = JSON.parse(document.getElementById("cb-course").textContent);
    var announcer = document.getElementById("cb-announcer");
    var announce = function (message) {
      announcer.textContent = "";
      setTimeout(function () { announcer.textContent = message; }, 50);
    };
    var adapter = R.adapters[course.adapter](course);
    // Adapters that must ask a server first (an LRS's State API, a cmi5 fetch URL) do it in
    // prepare(), which returns a promise; the course starts when it settles, either way.
    var ready = R.call(adapter, "prepare");
    if (ready && typeof ready.then === "function") {
      ready.then(function () { run(course, adapter, announce); },
        function () { run(course, adapter, announce); });
    } else {
      run(course, adapter, announce);
    }
  }

  function run(course, adapter, announce) {
    var root = document.body;
    var views = new R.Views(root, announce);
    if (adapter.ended) {
      // cmi5: this launch's session has already ended (the page was reloaded after
      // "terminated"): the course cannot be used from here, the LMS must launch it again.
      views.ended(adapter.ended.returnURL);
      return;
    }
    var tracker = new R.Tracker(course, adapter);
    tracker.onChange = function () { views.saving(tracker); };
    tracker.start();
    session = tracker;
    if (debug) {
      CB.debug.tracker = tracker;
      CB.debug.adapter = tracker.adapter;
    }

    var notice = document.querySelector(".cb-connection");
    if (notice) {
      // A package meant to run without an LMS (the web build) words this for the public.
      notice.textContent = tracker.connected ? "" : notice.getAttribute("data-offline") ||
        R.t("cb.not_connected");
      notice.hidden = tracker.connected;
    }
    R.mountBlocks(root, course, tracker, announce);
    var nav = new R.Navigator(root, tracker, announce);
    R.SupportPanel(root);
    views.leaveAdvice(!!tracker.adapter.exitUrl);
    nav.show(tracker.state.bookmark, false);
    views.saving(tracker);
    if (!views.mode(tracker) && tracker.resumed && tracker.state.bookmark > 0 && !tracker.held) {
      announce(R.t("cb.welcome_back"));
    }
    var breakButton = document.querySelector("[data-take-break]");
    if (breakButton) {
      breakButton.addEventListener("click", function () {
        var ending = tracker.finish(true, false);
        views.takeBreak(tracker);
        var exitUrl = tracker.adapter.exitUrl;
        if (!exitUrl) return;
        // cmi5 returnURL: leave once the LRS has confirmed the end of the session.
        var leave = function () { window.location.href = exitUrl; };
        if (ending && typeof ending.then === "function") ending.then(leave, leave);
        else leave();
      });
    }
    // The page is going away (tab closed, navigated away, the LMS's own exit button, a
    // reload): end the session with what the browser still delivers.
    var end = function () {
      if (tracker.finished) R.call(tracker.adapter, "unloading");
      else tracker.finish(false, true);
    };
    window.addEventListener("pagehide", end);
    window.addEventListener("unload", end);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && (tracker.dirty || tracker.commitPending)) {
        tracker.commit("hidden");
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window.__cb, window.CB = window.CB || {});
