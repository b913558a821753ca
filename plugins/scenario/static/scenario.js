/* scenario: good and poor practice, with branching follow-up steps.
 * Saved state: the letters chosen along the path, in order ("ab" = choice a at the first step,
 * then choice b at the step it led to). The build proves no path is longer than its bound. */
(function (CB) {
  "use strict";

  var ICONS = { good: "\u2714\uFE0E", poor: "\u2716\uFE0E", mixed: "\u25D1\uFE0E" };

  CB.registerBlock("scenario", {
    /* A path this scenario has: each letter a choice of the step reached so far. */
    checkState: function (text, data) {
      var byId = {}, step = 0;
      data.steps.forEach(function (s, i) { byId[s.id] = i; });
      for (var k = 0; k < text.length; k++) {
        var letter = text.charAt(k);
        var choice = data.steps[step].choices.filter(function (c) { return c.letter === letter; })[0];
        if (!choice || (!choice.next && k < text.length - 1)) return false;
        if (choice.next) step = byId[choice.next];
        if (step === undefined) return false;
      }
      return text.length > 0;
    },
    mount: function (el, data, api) {
      var els = Array.prototype.slice.call(el.querySelectorAll(".cb-scenario__step"));
      var byId = {};
      data.steps.forEach(function (step, i) { byId[step.id] = i; });
      var endNote = el.querySelector(".cb-scenario__end");
      var reflection = el.querySelector(".cb-scenario__reflection");
      var path = [];      // [{step: index, letter: "a"}] in the order taken
      // When each step was made available: the first with the page (api.shownAt), a follow-up
      // step when Continue opens it, any step again when its choice is cleared.
      var openedAt = {};
      function latency(i) {
        return Date.now() - Math.max(api.shownAt() || Date.now(), openedAt[i] || 0);
      }

      function part(i, action) { return els[i].querySelector('[data-action="' + action + '"]'); }
      function radios(i) { return Array.prototype.slice.call(els[i].querySelectorAll("input")); }
      function choiceOf(i, letter) {
        return data.steps[i].choices.filter(function (c) { return c.letter === letter; })[0];
      }

      function save() {
        api.state.set(path.map(function (p) { return p.letter; }).join(""));
      }

      // Back to unanswered: radios free, feedback and buttons gone.
      function clearStep(i) {
        radios(i).forEach(function (r) {
          r.checked = false;
          r.disabled = false;
          r.parentNode.classList.remove("cb-option--chosen");
        });
        var box = els[i].querySelector('[data-role="feedback"]');
        box.innerHTML = "";
        box.hidden = true;
        box.className = "cb-feedback cb-scenario__feedback";
        part(i, "submit").hidden = false;
        part(i, "continue").hidden = true;
        part(i, "reset").hidden = true;
      }

      function hideEnd() {
        endNote.hidden = true;
        if (reflection) reflection.hidden = true;
      }

      // Step i goes back to unanswered: the path is cut where it was, and every step the
      // path no longer reaches is cleared and hidden.
      function resetFrom(i) {
        path = path.slice(0, indexInPath(i));
        var kept = path.map(function (p) { return p.step; });
        els.forEach(function (stepEl, j) {
          if (kept.indexOf(j) >= 0) return;
          clearStep(j);
          if (j !== i && j !== 0) stepEl.hidden = true;
        });
        if (path.length) part(path[path.length - 1].step, "continue").hidden = true;
        hideEnd();
      }

      function finish() {
        endNote.hidden = false;
        if (reflection) reflection.hidden = false;
        if (data.scored) {
          var good = path.filter(function (p) {
            return choiceOf(p.step, p.letter).practice === "good";
          }).length;
          api.setScore(good, path.length);
        }
        api.complete();
      }

      // Show step i as answered with `letter`; returns the choice.
      function showAnswer(i, letter) {
        var choice = choiceOf(i, letter);
        radios(i).forEach(function (r) {
          r.checked = r.value === letter;
          r.disabled = true;
          r.parentNode.classList.toggle("cb-option--chosen", r.checked);
        });
        var box = els[i].querySelector('[data-role="feedback"]');
        // Label and icon are fixed text; feedback is HTML rendered from Markdown at build time.
        box.innerHTML = '<p class="cb-scenario__practice"><span class="cb-scenario__icon" aria-hidden="true">' +
          ICONS[choice.practice] + "</span> " + choice.label + "</p>" + choice.feedback;
        box.className = "cb-feedback cb-scenario__feedback cb-scenario__feedback--" + choice.practice;
        box.hidden = false;
        part(i, "submit").hidden = true;
        part(i, "reset").hidden = false;
        part(i, "continue").hidden = !choice.next;
        return choice;
      }

      function openStep(stepId, focus) {
        var i = byId[stepId];
        if (i === undefined) return;
        clearStep(i);
        els[i].hidden = false;
        openedAt[i] = Date.now();
        if (focus) els[i].querySelector(".cb-scenario__step-title").focus();
      }

      els.forEach(function (stepEl, i) {
        part(i, "submit").addEventListener("click", function () {
          var checked = stepEl.querySelector("input:checked");
          var box = stepEl.querySelector('[data-role="feedback"]');
          if (!checked) {
            box.textContent = "";
            var hint = document.createElement("p");
            hint.className = "cb-scenario__practice";
            hint.textContent = api.t("choose_response");
            box.appendChild(hint);
            box.hidden = false;
            api.announce(api.t("choose_response"));
            return;
          }
          var letter = checked.value;
          path.push({ step: i, letter: letter });
          var choice = showAnswer(i, letter);
          var hasGood = data.steps[i].choices.some(function (c) { return c.practice === "good"; });
          api.record(data.steps[i].interaction, [letter],
            hasGood ? choice.practice === "good" : null, latency(i));
          save();
          if (!choice.next) finish(); else api.commit("answer");
          // Focus moves to the feedback, which screen readers then read out; the next action
          // (Continue or Try a different choice) follows it in reading order.
          box.focus();
        });

        part(i, "continue").addEventListener("click", function () {
          var at = indexInPath(i);
          var choice = choiceOf(i, path[at].letter);
          part(i, "continue").hidden = true;
          openStep(choice.next, true);
        });

        part(i, "reset").addEventListener("click", function () {
          resetFrom(i);
          save();
          openedAt[i] = Date.now();
          var first = radios(i)[0];
          if (first) first.focus();
          api.announce(api.t("choice_cleared"));
        });
      });

      function indexInPath(i) {
        for (var k = 0; k < path.length; k++) if (path[k].step === i) return k;
        return path.length;
      }

      // Resume: replay the saved path without recording or moving focus.
      var saved = api.state.get() || "";
      var current = 0;
      for (var k = 0; k < saved.length; k++) {
        var letter = saved.charAt(k);
        els[current].hidden = false;
        if (!choiceOf(current, letter)) break;  // the course changed since: keep what fits
        path.push({ step: current, letter: letter });
        var choice = showAnswer(current, letter);
        if (!choice.next) { finish(); break; }
        if (k === saved.length - 1) break;  // answered, Continue not yet pressed
        part(current, "continue").hidden = true;
        current = byId[choice.next];
        if (current === undefined) break;
      }
    }
  });
})(window.CB = window.CB || {});
