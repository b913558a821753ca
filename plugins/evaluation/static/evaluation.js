/* evaluation: one form, one Submit button, sent once.
 * Where the answers go was decided by the build (data.delivery, see plugin.py):
 *  - "collector": all answers together with api.submitAnonymous: the runtime sends them to the
 *    course owner's collector as one anonymous batch, never to the LMS;
 *  - "lms" (anonymous: false): each answer with api.record, into the learner's own record;
 *  - "external": no questions here; opening the survey link counts as done;
 *  - "none": nothing to send, nothing to do.
 * "<block id>-submitted" (never anonymous) records only that the form was sent (or the survey
 * opened). Saved state: "1" once done - the answers themselves are never saved. */
(function (CB) {
  "use strict";

  var TEXT_LIMIT = 1000;

  function checkedValue(item) {
    var input = item.querySelector("input:checked");
    return input ? input.value : null;
  }

  function mountSurvey(el, data, api) {
    var link = el.querySelector('[data-action="survey"]');
    var thanks = el.querySelector(".cb-evaluation__thanks");
    if (!link) return;
    if (api.state.get() === "1") api.complete();
    link.addEventListener("click", function () {
      // The link opens the survey itself (target=_blank); nothing is sent from here.
      if (api.state.get() !== "1") {
        api.record(data.submitted, data.surveyOpened, null, null);
        api.state.set("1");
        api.complete();
        api.commit("evaluation");
      }
      thanks.textContent = data.thanks;
      thanks.hidden = false;
      api.announce(data.thanks);
    });
  }

  CB.registerBlock("evaluation", {
    checkState: function (text) { return text === "1"; },  // "1": submitted
    mount: function (el, data, api) {
      if (data.delivery === "none") return;
      if (!api.connected) {
        // No LMS records this visit (the web build, a package opened on its own): say so.
        Array.prototype.forEach.call(el.querySelectorAll("[data-if-lms]"),
          function (n) { n.hidden = true; });
        Array.prototype.forEach.call(el.querySelectorAll("[data-if-no-lms]"),
          function (n) { n.hidden = false; });
      }
      if (data.delivery === "external") { mountSurvey(el, data, api); return; }
      var form = el.querySelector(".cb-evaluation__form");
      var button = el.querySelector('[data-action="submit"]');
      var thanks = el.querySelector(".cb-evaluation__thanks");
      var items = Array.prototype.slice.call(el.querySelectorAll(".cb-evaluation__item"));
      var shownAt = Date.now();

      function showThanks(text) {
        thanks.textContent = text;
        thanks.hidden = false;
      }

      function lock() {
        Array.prototype.forEach.call(el.querySelectorAll("fieldset"), function (fs) {
          fs.disabled = true;
        });
        Array.prototype.forEach.call(el.querySelectorAll("textarea"), function (ta) {
          ta.readOnly = true;
        });
        button.hidden = true;
        el.classList.add("cb-evaluation--submitted");
      }

      // Enter on a radio button would submit the form implicitly; only the button sends it.
      form.addEventListener("submit", function (event) { event.preventDefault(); });

      var meta = el.querySelector(".cb-evaluation__meta");
      if (api.state.get() === "1") {
        // The answers were never saved, so there is nothing to show again: hide the questions.
        form.hidden = true;
        if (meta) meta.hidden = true;
        showThanks(api.t("already_submitted"));
        api.complete();
        return;
      }
      if (api.recording === false) {
        // Browse or review: nothing this visit does is recorded or sent, so neither is the form.
        form.hidden = true;
        if (meta) meta.hidden = true;
        showThanks(api.t("not_recorded"));
        return;
      }

      button.addEventListener("click", function () {
        var latency = Date.now() - shownAt;
        var answers = [];
        data.items.forEach(function (spec, i) {
          var item = items[i];
          var value = null;
          if (spec.kind === "text") {
            var text = item.querySelector("textarea").value.replace(/^\s+|\s+$/g, "");
            value = text ? text.slice(0, TEXT_LIMIT) : null;
          } else {
            var picked = checkedValue(item);
            if (picked !== null) {
              if (spec.kind === "recommend") value = [picked];
              else value = picked;  // likert: a letter; rating: the number as text
            }
          }
          if (value !== null) answers.push([spec.interaction, value]);
        });
        if (data.delivery === "collector") {
          api.submitAnonymous(answers);  // one batch, to the owner's collector only
        } else {
          answers.forEach(function (a) { api.record(a[0], a[1], null, latency); });
        }
        api.record(data.submitted, "submitted", null, latency);
        api.state.set("1");
        lock();
        showThanks(data.thanks);
        api.complete();
        api.commit("evaluation");
        api.announce(data.thanks);
        thanks.focus();
      });
    }
  });
})(window.CB = window.CB || {});
