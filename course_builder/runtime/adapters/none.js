/* Tracking adapter: no LMS. The course still runs and keeps progress in this browser's
 * localStorage (when the browser allows it), so a learner can close the window and come back.
 * The SCORM adapters use it too when no LMS answers (see _scorm_api.js). */
(function (R) {
  "use strict";
  R.adapters = R.adapters || {};

  R.adapters.none = function (course) {
    var key = "course_builder:" + course.id + ":" + course.version;
    var data = {};
    var adapter;
    function read() {
      try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; }
      catch (e) { return {}; }
    }
    function write() {
      try { window.localStorage.setItem(key, JSON.stringify(data)); }
      catch (e) { R.note(adapter, "this browser's storage refused the progress"); }
      return true;  // nothing better to do: the footer already says where progress is kept
    }
    adapter = {
      name: "none",
      statuses: "split",
      log: [],
      start: function () {
        data = read();
        return {
          connected: false, firstLaunch: !data.suspend, completion: data.completion || null,
          success: data.success || null, lesson: data.lesson || null,
          location: data.location || "", suspend: data.suspend || "", learner: "-"
        };
      },
      setLocation: function (id) { data.location = id; },
      setSuspend: function (text) { data.suspend = text; },
      setProgress: function () {},
      setScore: function (percent) { data.score = percent; },
      setCompletion: function (value) { data.completion = value; },
      setSuccess: function (value) { data.success = value; },
      setLessonStatus: function (value) { data.lesson = value; },  // a SCORM 1.2 fallback's
      record: function () {},
      setExit: function () {},
      commit: write,
      terminate: write
    };
    return adapter;
  };
})(window.__cb = window.__cb || {});
