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
