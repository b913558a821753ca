/* quiz: questions answered one at a time, each with its own Submit button.
 * Saved state: "<attempt>.<best percent>.<answer>-<answer>-..." (base 36 numbers;
 * an answer is an option index, a bitmask of options for multiple choice, or t/f). */
(function (CB) {
  "use strict";

  function encodeAnswer(q, value) {
    if (value === null || value === undefined) return "";
    if (q.kind === "true_false") return value === "true" ? "t" : "f";
    var mask = 0;
    value.forEach(function (id) {
      q.options.forEach(function (o, i) { if (o.id === id) mask |= 1 << i; });
    });
    if (q.kind === "single") {
      for (var i = 0; i < q.options.length; i++) if (mask >> i & 1) return i.toString(36);
    }
    return mask.toString(36);
  }

  function decodeAnswer(q, token) {
    if (!token) return null;
    if (q.kind === "true_false") return token === "t" ? "true" : "false";
    var n = parseInt(token, 36);
    if (q.kind === "single") return q.options[n] ? [q.options[n].id] : null;
    return q.options.filter(function (o, i) { return n >> i & 1; }).map(function (o) { return o.id; });
  }

  function isCorrect(q, value) {
    if (q.kind === "true_false") return (value === "true") === q.answer;
    var right = q.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; });
    return right.length === value.length && right.every(function (id) { return value.indexOf(id) >= 0; });
  }

  CB.registerBlock("quiz", {
    mount: function (el, data, api) {
      var items = Array.prototype.slice.call(el.querySelectorAll(".cb-question"));
      var summary = el.querySelector(".cb-quiz__summary");
      var retry = el.querySelector('[data-action="retry"]');
      var attempt = 1, best = null, answers = data.questions.map(function () { return null; });
      var shownAt = Date.now();

      var saved = api.state.get();
      if (saved) {
        var parts = saved.split(".");
        attempt = parseInt(parts[0], 36) || 1;
        best = parts[1] && parts[1] !== "_" ? parseInt(parts[1], 36) : null;
        var tokens = parts[2] ? parts[2].split("-") : [];
        data.questions.forEach(function (q, i) { answers[i] = decodeAnswer(q, tokens[i]); });
      }

      function save() {
        var tokens = data.questions.map(function (q, i) { return encodeAnswer(q, answers[i]); });
        api.state.set(attempt.toString(36) + "." + (best === null ? "_" : best.toString(36)) +
          "." + tokens.join("-"));
      }

      function selected(item, q) {
        var checked = Array.prototype.slice.call(item.querySelectorAll("input:checked"))
          .map(function (input) { return input.value; });
        if (!checked.length) return null;
        if (q.kind === "true_false") return checked[0] === "t" ? "true" : "false";
        return checked;
      }

      function showAnswered(item, q, value, announce) {
        var inputs = item.querySelectorAll("input");
        Array.prototype.forEach.call(inputs, function (input) {
          var v = input.value;
          input.checked = q.kind === "true_false" ? (v === "t") === (value === "true")
            : value.indexOf(v) >= 0;
          input.disabled = true;
        });
        item.querySelector('[data-action="submit"]').disabled = true;
        var ok = isCorrect(q, value);
        var html = '<p class="cb-feedback__result cb-feedback__result--' + (ok ? "correct" : "incorrect") +
          '">' + (ok ? "Correct." : "Not quite.") + "</p>";
        if (q.kind !== "true_false") {
          q.options.forEach(function (o) {
            if (value.indexOf(o.id) >= 0 && o.feedback) html += o.feedback;
          });
        }
        html += ok ? q.feedback.correct : q.feedback.incorrect;
        var box = item.querySelector(".cb-feedback");
        box.innerHTML = html;  // built at build time from escaped Markdown
        item.classList.add(ok ? "cb-question--correct" : "cb-question--incorrect");
        if (announce) api.announce((ok ? "Correct. " : "Not quite. ") + box.textContent.slice(0, 300));
        return ok;
      }

      function finishIfDone(announce) {
        if (answers.some(function (a) { return a === null; })) return;
        var right = data.questions.filter(function (q, i) { return isCorrect(q, answers[i]); }).length;
        var total = data.questions.length;
        var percent = Math.round(right / total * 100);
        if (best === null || percent > best) best = percent;
        if (data.scored) api.setScore(right, total);
        var text = "You answered " + right + " of " + total + " correctly (" + percent + "%).";
        if (data.passMark !== null) {
          text += percent >= data.passMark ? " You passed: the pass mark is " + data.passMark + "%."
            : " The pass mark is " + data.passMark + "%.";
        }
        var left = data.attempts ? data.attempts - attempt : Infinity;
        retry.hidden = !(percent < 100 && left > 0);
        if (!retry.hidden && data.attempts) text += " Attempts left: " + left + ".";
        summary.textContent = text;
        if (announce) api.announce(text);
        api.complete();
        return true;
      }

      items.forEach(function (item, i) {
        var q = data.questions[i];
        item.querySelector('[data-action="submit"]').addEventListener("click", function () {
          var value = selected(item, q);
          if (value === null) {
            item.querySelector(".cb-feedback").innerHTML =
              '<p class="cb-feedback__result">Choose an answer, then select Submit.</p>';
            api.announce("Choose an answer, then select Submit.");
            return;
          }
          answers[i] = value;
          var ok = showAnswered(item, q, value, true);
          api.record(q.id, value, ok, Date.now() - shownAt);
          shownAt = Date.now();
          var done = finishIfDone(true);
          save();
          if (!done) api.commit("answer");
        });
      });

      retry.addEventListener("click", function () {
        attempt += 1;
        answers = data.questions.map(function () { return null; });
        items.forEach(function (item) {
          Array.prototype.forEach.call(item.querySelectorAll("input"), function (input) {
            input.checked = false;
            input.disabled = false;
          });
          item.querySelector('[data-action="submit"]').disabled = false;
          item.querySelector(".cb-feedback").innerHTML = "";
          item.classList.remove("cb-question--correct", "cb-question--incorrect");
        });
        summary.textContent = "";
        retry.hidden = true;
        save();
        shownAt = Date.now();
        var first = items[0].querySelector("input");
        if (first) first.focus();
        api.announce("Attempt " + attempt + ". Your previous answers have been cleared.");
      });

      data.questions.forEach(function (q, i) {
        if (answers[i] !== null) showAnswered(items[i], q, answers[i], false);
      });
      finishIfDone(false);
    }
  });
})(window.CB = window.CB || {});
