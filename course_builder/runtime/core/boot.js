/* course_builder runtime: start-up. Reads the course JSON that the build wrote into the page,
 * picks the one tracking adapter this package carries, restores progress and wires the page
 * life cycle so the session always ends cleanly. */
(function (CB) {
  "use strict";

  function start() {
    var course = JSON.parse(document.getElementById("cb-course").textContent);
    var announcer = document.getElementById("cb-announcer");
    var announce = function (message) {
      announcer.textContent = "";
      setTimeout(function () { announcer.textContent = message; }, 50);
    };
    var adapter = CB.adapters[course.adapter](course);
    // Adapters that must ask a server first (an LRS's State API, a cmi5 fetch URL) do it in
    // prepare(), which returns a promise; the course starts when it settles, either way.
    var ready = adapter.prepare ? adapter.prepare() : null;
    if (ready && typeof ready.then === "function") {
      ready.then(function () { run(course, adapter, announce); },
        function () { run(course, adapter, announce); });
    } else {
      run(course, adapter, announce);
    }
  }

  function run(course, adapter, announce) {
    var root = document.body;
    var views = new CB.Views(root, announce);
    if (adapter.ended) {
      // cmi5: this launch's session has already ended (the page was reloaded after
      // "terminated"): the course cannot be used from here, the LMS must launch it again.
      views.ended(adapter.ended.returnURL);
      return;
    }
    var tracker = new CB.Tracker(course, adapter).start();
    CB.tracker = tracker;  // for support staff in the browser console, and for tests

    var notice = document.querySelector(".cb-connection");
    if (notice) {
      // A package meant to run without an LMS (the web build) words this for the public.
      notice.textContent = tracker.connected ? "" : notice.getAttribute("data-offline") ||
        CB.t("cb.not_connected");
      notice.hidden = tracker.connected;
    }
    CB.mountBlocks(root, course, tracker, announce);
    var nav = new CB.Navigator(root, tracker, announce);
    CB.SupportPanel(root);
    views.leaveAdvice(!!adapter.exitUrl);
    nav.show(tracker.state.bookmark, false);
    if (!views.mode(tracker) && tracker.resumed && tracker.state.bookmark > 0) {
      announce(CB.t("cb.welcome_back"));
    }
    var breakButton = document.querySelector("[data-take-break]");
    if (breakButton) {
      breakButton.addEventListener("click", function () {
        var ending = tracker.finish(true, false);
        views.takeBreak(tracker);
        if (!adapter.exitUrl) return;
        // cmi5 returnURL: leave once the LRS has confirmed the end of the session.
        var leave = function () { window.location.href = adapter.exitUrl; };
        if (ending && typeof ending.then === "function") ending.then(leave, leave);
        else leave();
      });
    }
    // The page is going away (tab closed, navigated away, the LMS's own exit button, a
    // reload): end the session with what the browser still delivers.
    var end = function () {
      if (tracker.finished) {
        if (adapter.unloading) adapter.unloading();
      } else {
        tracker.finish(false, true);
      }
    };
    window.addEventListener("pagehide", end);
    window.addEventListener("unload", end);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && tracker.dirty) tracker.commit("hidden");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window.CB = window.CB || {});
