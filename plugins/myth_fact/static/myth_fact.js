/* myth_fact: each statement answered with a Myth or a Fact button, then explained.
 * Saved state: one character per statement, in order: m (Myth), f (Fact), _ (not answered). */
(function (CB) {
  "use strict";

  CB.registerBlock("myth_fact", {
    checkState: function (text, data) {
      return /^[mf_]+$/.test(text) && text.length === data.statements.length;
    },
    mount: function (el, data, api) {
      var items = Array.prototype.slice.call(el.querySelectorAll(".cb-mythfact__item"));
      var summary = el.querySelector(".cb-mythfact__summary");
      var retry = el.querySelector('[data-action="retry"]');
      var answers = data.statements.map(function () { return null; });
      // Statements are available from when the page is shown, or from "Try again".
      var clearedAt = 0;
      function latency() { return Date.now() - Math.max(api.shownAt() || Date.now(), clearedAt); }

      var saved = api.state.get() || "";
      data.statements.forEach(function (s, i) {
        var c = saved.charAt(i);
        answers[i] = c === "m" || c === "f" ? c : null;
      });

      function save() {
        api.state.set(answers.map(function (a) { return a || "_"; }).join(""));
      }

      function buttons(i) { return Array.prototype.slice.call(items[i].querySelectorAll("[data-answer]")); }

      // Answered buttons stay focusable (aria-disabled, not disabled) so focus is not lost.
      function showAnswer(i, announce) {
        var s = data.statements[i], given = answers[i];
        buttons(i).forEach(function (b) {
          b.setAttribute("aria-pressed", b.getAttribute("data-answer") === given ? "true" : "false");
          b.setAttribute("aria-disabled", "true");
        });
        var ok = given === s.answer;
        var result = api.t((ok ? "correct_" : "not_quite_") + (s.answer === "m" ? "myth" : "fact"));
        var box = items[i].querySelector('[data-role="feedback"]');
        // The result is fixed text; the explanation is HTML rendered from Markdown at build time.
        box.innerHTML = '<p class="cb-mythfact__result cb-mythfact__result--' + (ok ? "correct" : "incorrect") +
          '"><span aria-hidden="true">' + (ok ? "\u2714\uFE0E" : "\u2716\uFE0E") + "</span> " + result + "</p>" +
          s.explanation;
        box.hidden = false;
        items[i].classList.add(ok ? "cb-mythfact__item--correct" : "cb-mythfact__item--incorrect");
        if (announce) api.announce(result + " " + box.textContent.replace(result, "").trim().slice(0, 300));
      }

      function finishIfDone(announce) {
        if (answers.some(function (a) { return a === null; })) return false;
        var right = data.statements.filter(function (s, i) { return answers[i] === s.answer; }).length;
        var total = data.statements.length;
        if (data.scored) api.setScore(right, total);
        summary.textContent = api.t("all_answered", {total: total, right: right});
        retry.hidden = false;
        if (announce) api.announce(summary.textContent);
        api.complete();
        return true;
      }

      items.forEach(function (item, i) {
        buttons(i).forEach(function (button) {
          button.addEventListener("click", function () {
            if (answers[i] !== null) return;  // answered once; "Try again" starts over
            answers[i] = button.getAttribute("data-answer");
            showAnswer(i, true);
            var ok = answers[i] === data.statements[i].answer;
            api.record(data.statements[i].interaction, [answers[i]], ok, latency());
            save();
            if (!finishIfDone(false)) api.commit("answer");
          });
        });
      });

      retry.addEventListener("click", function () {
        answers = data.statements.map(function () { return null; });
        items.forEach(function (item, i) {
          buttons(i).forEach(function (b) {
            b.setAttribute("aria-pressed", "false");
            b.removeAttribute("aria-disabled");
          });
          var box = item.querySelector('[data-role="feedback"]');
          box.innerHTML = "";
          box.hidden = true;
          item.classList.remove("cb-mythfact__item--correct", "cb-mythfact__item--incorrect");
        });
        summary.textContent = "";
        retry.hidden = true;
        save();
        clearedAt = Date.now();
        buttons(0)[0].focus();
        api.announce(api.t("cleared"));
      });

      data.statements.forEach(function (s, i) { if (answers[i] !== null) showAnswer(i, false); });
      finishIfDone(false);
    }
  });
})(window.CB = window.CB || {});
