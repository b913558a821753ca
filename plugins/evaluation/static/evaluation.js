/* evaluation: one form, one Submit button, sent once.
 * Each answered item is recorded as "<block id>-<item id>"; in an anonymous form those
 * interactions are marked anonymous at build time, so the runtime never puts them in the
 * learner's LMS record. "<block id>-submitted" (not anonymous) records only that the form
 * was sent. Saved state: "1" once submitted - the answers themselves are never saved. */
(function (CB) {
  "use strict";

  var TEXT_LIMIT = 1000;

  function checkedValue(item) {
    var input = item.querySelector("input:checked");
    return input ? input.value : null;
  }

  CB.registerBlock("evaluation", {
    mount: function (el, data, api) {
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

      if (api.state.get() === "1") {
        // The answers were never saved, so there is nothing to show again: hide the questions.
        form.hidden = true;
        var meta = el.querySelector(".cb-evaluation__meta");
        if (meta) meta.hidden = true;
        showThanks("You have already submitted this form. Thank you for your feedback.");
        api.complete();
        return;
      }

      button.addEventListener("click", function () {
        var latency = Date.now() - shownAt;
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
          if (value !== null) api.record(spec.interaction, value, null, latency);
        });
        api.record(data.submitted, "submitted", null, latency);
        api.state.set("1");
        lock();
        var message = "Thank you. Your feedback has been submitted." +
          (data.anonymous ? " It is not linked to your name or your learning record." : "");
        showThanks(message);
        api.complete();
        api.commit("evaluation");
        api.announce(message);
        thanks.focus();
      });
    }
  });
})(window.CB = window.CB || {});
