/* course_builder runtime: the words the runtime and plugins show, in the package's language.
 *
 *   CB.t("cb.page_of", {n: 2, total: 9})   ->  "Page 2 of 9" (or "Tudalen 2 o 9" in Welsh)
 *
 * The build writes every message the package needs into the page, by key, in the package's
 * language (<script type="application/json" id="cb-messages">); scripts hold keys only, never
 * the words (course_builder/i18n/words.py). {name} in a message is filled from params. A
 * plugin's api.t("submit") is CB.t("<type>.submit"). A key with no message comes back as the
 * key itself, so a missing word shows as something a developer can find. */
(function (R, CB) {
  "use strict";
  var messages = null;
  var own = Object.prototype.hasOwnProperty;

  // Public (plugins' own helpers use it where their block's api.t is not at hand), and the
  // runtime's own through its private namespace.
  R.t = CB.t = function (key, params) {
    if (messages === null) {
      var el = document.getElementById("cb-messages");
      try { messages = el ? JSON.parse(el.textContent) : {}; } catch (e) { messages = {}; }
    }
    var text = own.call(messages, key) ? messages[key] : key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, function (mark, name) {
      return own.call(params, name) ? String(params[name]) : mark;
    });
  };
})(window.__cb = window.__cb || {}, window.CB = window.CB || {});
