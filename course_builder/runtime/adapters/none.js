/* Tracking adapter: no LMS. The course still runs and keeps progress in this browser's
 * localStorage (when the browser allows it), so a learner can close the window and come back. */
(function (CB) {
  "use strict";
  CB.adapters = CB.adapters || {};

  CB.adapters.none = function (course) {
    var key = "course_builder:" + course.id + ":" + course.version;
    var data = {};
    function read() {
      try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; }
      catch (e) { return {}; }
    }
    function write() {
      try { window.localStorage.setItem(key, JSON.stringify(data)); return true; }
      catch (e) { return false; }
    }
    return {
      name: "none",
      start: function () {
        data = read();
        return {
          connected: false, firstLaunch: !data.suspend, completion: data.completion || null,
          success: data.success || null, lesson: data.lesson || null,
          location: data.location || "", suspend: data.suspend || ""
        };
      },
      setLocation: function (id) { data.location = id; },
      setSuspend: function (text) { data.suspend = text; },
      setProgress: function () {},
      setScore: function (percent) { data.score = percent; },
      setCompletion: function (value) { data.completion = value; },
      setSuccess: function (value) { data.success = value; },
      setLessonStatus: function (value) { data.lesson = value; },
      record: function () {},
      setExit: function () {},
      commit: write,
      terminate: write
    };
  };
})(window.CB = window.CB || {});
