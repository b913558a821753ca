/* quiz: questions answered one at a time, each with its own Submit button, then a summary and a
 * review of every answer.
 *
 * Saved state: "<attempt>.<best percent>.<seed>.<answer>-<answer>-..." (attempt, best percent and
 * seed in base 36; best is "_" before a first finished attempt). One answer per question drawn
 * for the attempt, in bank order, empty while unanswered:
 *   single      the option's index (base 36)        multiple  a bitmask of options (base 36)
 *   true_false  t or f                              matching  one answer digit per prompt, "213"
 *   ordering    the item letters in the learner's order, "cab"
 *   numeric     the number as typed, "-" written n and "." written p: "n3p5" is -3.5
 * The seed drives a mulberry32 generator (mirrored in plugin.py) that draws the questions and
 * shuffles the options, so a resumed attempt looks exactly as it did. */
(function (CB) {
  "use strict";

  var MAX_ATTEMPT = 1295;  // two base-36 digits
  var NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;

  function mulberry32(seed) {
    var a = seed | 0;
    return function () {
      a = a + 0x6D2B79F5 | 0;
      var t = Math.imul(a ^ a >>> 15, 1 | a);
      t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
      return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
  }

  function shuffle(values, rand) {
    var out = values.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(rand() * (i + 1));
      var tmp = out[i]; out[i] = out[j]; out[j] = tmp;
    }
    return out;
  }

  function range(n) { var out = []; for (var i = 0; i < n; i++) out.push(i); return out; }

  /* A shuffle that never leaves items in their written order (which would give the answer away). */
  function mixed(n, rand) {
    var order = shuffle(range(n), rand);
    if (n > 1 && order.every(function (v, i) { return v === i; })) order.push(order.shift());
    return order;
  }

  /* Which questions an attempt shows and in what order their parts appear. Must match
   * drawn_indices() in plugin.py: the draw is the generator's first use. */
  function layout(data, seed) {
    var rand = mulberry32(seed);
    var qs = data.questions;
    var every = range(qs.length);
    var drawn = every;
    if (data.drawPerOutcome) {
      var outcomes = [];
      qs.forEach(function (q) { if (q.outcome && outcomes.indexOf(q.outcome) < 0) outcomes.push(q.outcome); });
      drawn = [];
      outcomes.forEach(function (outcome) {
        var group = every.filter(function (i) { return qs[i].outcome === outcome; });
        drawn = drawn.concat(shuffle(group, rand).slice(0, data.drawPerOutcome));
      });
    } else if (data.draw) {
      drawn = shuffle(every, rand).slice(0, data.draw);
    }
    drawn = drawn.slice().sort(function (x, y) { return x - y; });
    var orders = {};
    drawn.forEach(function (i) {
      var q = qs[i];
      if ((q.kind === "single" || q.kind === "multiple") && data.shuffle) {
        orders[i] = shuffle(range(q.options.length), rand);
      } else if (q.kind === "matching") {
        orders[i] = mixed(q.targets.length, rand);
      } else if (q.kind === "ordering") {
        orders[i] = mixed(q.items.length, rand);
      }
    });
    return { drawn: drawn, orders: orders };
  }

  function encodeAnswer(q, value) {
    if (value === null || value === undefined) return "";
    if (q.kind === "true_false") return value === "true" ? "t" : "f";
    if (q.kind === "matching") return value.map(function (pair) { return pair.split(".")[1]; }).join("");
    if (q.kind === "ordering") return value.join("");
    if (q.kind === "numeric") return value.replace(/-/g, "n").replace(/\./g, "p");
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
    if (q.kind === "matching") {
      if (token.length !== q.pairs.length) return null;
      return q.pairs.map(function (p, i) { return p.id + "." + token.charAt(i); });
    }
    if (q.kind === "ordering") return token.length === q.items.length ? token.split("") : null;
    if (q.kind === "numeric") {
      var text = token.replace(/n/g, "-").replace(/p/g, ".");
      return NUMBER.test(text) ? text : null;
    }
    var n = parseInt(token, 36);
    if (q.kind === "single") return q.options[n] ? [q.options[n].id] : null;
    return q.options.filter(function (o, i) { return n >> i & 1; }).map(function (o) { return o.id; });
  }

  /* Saved state this quiz could have written for `data` (the runtime asks before mount: a
   * string cut short, or saved by another version of the quiz, is kept unread, never half-read). */
  function checkState(text, data) {
    var parts = text.split("."), num = /^[0-9a-z]{1,6}$/;
    if (parts.length !== 3 && parts.length !== 4) return false;
    var seed = parts.length === 4 ? parts[2] : "0";
    if (!num.test(parts[0]) || !num.test(seed) || !(parts[1] === "_" || num.test(parts[1]))) return false;
    if ((parts[1] !== "_" && parseInt(parts[1], 36) > 100) || parseInt(seed, 36) >= data.maxSeed) return false;
    var drawn = parts.length === 4 ? layout(data, parseInt(seed, 36)).drawn : range(data.questions.length);
    var tokens = parts[parts.length - 1].split("-");
    return tokens.length === drawn.length && tokens.every(function (t, n) {
      return !t || decodeAnswer(data.questions[drawn[n]], t) !== null;
    });
  }

  function isCorrect(q, value) {
    if (q.kind === "true_false") return (value === "true") === q.answer;
    if (q.kind === "matching") {
      return q.pairs.every(function (p, i) { return value[i] === p.id + "." + p.match; });
    }
    if (q.kind === "ordering") {
      return value.join(",") === q.items.map(function (it) { return it.id; }).join(",");
    }
    if (q.kind === "numeric") return Math.abs(parseFloat(value) - q.value) <= q.tolerance + 1e-9;
    var right = q.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; });
    return right.length === value.length && right.every(function (id) { return value.indexOf(id) >= 0; });
  }

  function byId(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
    return null;
  }

  /* Answers as words, for the review and the feedback (author text only ever as textContent).
   * One part per chosen option, matched pair or ordered item; a part is a list of pieces
   * {text, lang}: the author's text with its lang when it is English standing in for a missing
   * translation (set on the element holding it, for screen readers), the tool's words without. */
  function describe(q, value) {
    if (value === null) return [[{text: CB.t("quiz.not_answered")}]];
    if (q.kind === "true_false") return [[{text: CB.t(value === "true" ? "quiz.true" : "quiz.false")}]];
    if (q.kind === "matching") {
      return value.map(function (pair, i) {
        var target = byId(q.targets, pair.split(".")[1]);
        return [q.pairs[i], {text: ": "}, target || {text: "?"}];
      });
    }
    if (q.kind === "ordering") {
      return value.map(function (id, i) { return [{text: (i + 1) + ". "}, byId(q.items, id)]; });
    }
    if (q.kind === "numeric") return [[{text: value}]];
    return value.map(function (id) { return [byId(q.options, id)]; });
  }

  function describeCorrect(q) {
    if (q.kind === "true_false") return [[{text: CB.t(q.answer ? "quiz.true" : "quiz.false")}]];
    if (q.kind === "matching") {
      return describe(q, q.pairs.map(function (p) { return p.id + "." + p.match; }));
    }
    if (q.kind === "ordering") return describe(q, q.items.map(function (it) { return it.id; }));
    if (q.kind === "numeric") return [[{text: q.correctText}]];
    return describe(q, q.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; }));
  }

  /* Write pieces into el: text, or a span with its own lang. */
  function fill(el, pieces) {
    pieces.forEach(function (piece) {
      if (!piece.lang) { el.appendChild(document.createTextNode(piece.text)); return; }
      var span = document.createElement("span");
      span.lang = piece.lang;
      span.textContent = piece.text;
      el.appendChild(span);
    });
    return el;
  }

  /* A message of the tool's with pieces of the author's text where its {text} goes. */
  var HOLE = "\u0000";
  function sentence(className, message, pieces) {
    var p = para(className, "");
    var at = message.indexOf(HOLE);
    if (at < 0) return fill(p, [{text: message}]);
    return fill(p, [{text: message.slice(0, at)}].concat(pieces, [{text: message.slice(at + HOLE.length)}]));
  }

  /* "Label: text" as one paragraph, or the label then a list when there are several parts. */
  function answerBlock(className, label, parts) {
    var div = document.createElement("div");
    div.className = className;
    if (parts.length === 1) {
      div.appendChild(sentence("", CB.t("quiz.label_text", {label: label, text: HOLE}), parts[0]));
      return div;
    }
    div.appendChild(para("", CB.t("quiz.label", {label: label})));
    var ul = document.createElement("ul");
    parts.forEach(function (pieces) { ul.appendChild(fill(document.createElement("li"), pieces)); });
    div.appendChild(ul);
    return div;
  }

  function para(className, text) {
    var p = document.createElement("p");
    if (className) p.className = className;
    p.textContent = text;
    return p;
  }

  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }

  CB.registerBlock("quiz", {
    // The draw, mirrored by plugin.py (tests/plugins/test_quiz.py compares the two).
    mulberry32: mulberry32,
    layout: layout,
    checkState: checkState,
    mount: function (el, data, api) {
      var items = all(el, ".cb-question");
      var summary = el.querySelector(".cb-quiz__summary");
      var review = el.querySelector(".cb-quiz__review");
      var reviewList = el.querySelector(".cb-quiz__review-list");
      var retry = el.querySelector('[data-action="retry"]');
      var attempt = 1, best = null, seed = Math.floor(Math.random() * data.maxSeed);
      var answers = data.questions.map(function () { return null; });
      // Questions are made available when the quiz's page is shown, or when "Try again" clears
      // them; latency counts from the later of the two (api.shownAt: the runtime's page clock).
      var clearedAt = 0;
      function latency() { return Date.now() - Math.max(api.shownAt() || Date.now(), clearedAt); }
      var plan;

      var saved = api.state.get();
      var tokens = [];
      if (saved) {
        var parts = saved.split(".");
        attempt = parseInt(parts[0], 36) || 1;
        best = parts[1] && parts[1] !== "_" ? parseInt(parts[1], 36) : null;
        if (parts.length === 3) {  // saved before question banks: no seed, every question
          seed = 0;
          tokens = parts[2] ? parts[2].split("-") : [];
        } else {
          seed = parseInt(parts[2], 36) || 0;
          tokens = parts[3] ? parts[3].split("-") : [];
        }
      }
      plan = layout(data, seed);
      plan.drawn.forEach(function (qi, n) { answers[qi] = decodeAnswer(data.questions[qi], tokens[n]); });

      function save() {
        var list = plan.drawn.map(function (qi) { return encodeAnswer(data.questions[qi], answers[qi]); });
        api.state.set(attempt.toString(36) + "." + (best === null ? "_" : best.toString(36)) +
          "." + seed.toString(36) + "." + list.join("-"));
      }

      /* Show the drawn questions, numbered, with their parts in this attempt's order. */
      function arrange() {
        var total = plan.drawn.length;
        items.forEach(function (item, qi) {
          var n = plan.drawn.indexOf(qi);
          item.hidden = n < 0;
          if (n < 0) return;
          item.querySelector(".cb-question__count").textContent = api.t("question_of", {n: n + 1, total: total});
          var q = data.questions[qi], order = plan.orders[qi];
          if (!order) return;
          if (q.kind === "matching") {
            all(item, "select").forEach(function (select) {
              var options = all(select, "option").slice(1);
              order.forEach(function (t) { select.appendChild(options[t]); });
            });
          } else if (q.kind === "ordering") {
            var list = item.querySelector(".cb-order");
            var lis = all(list, ".cb-order__item");
            order.forEach(function (i) { list.appendChild(lis[i]); });
          } else {
            var opts = all(item, ".cb-option");
            order.forEach(function (i) { opts[i].parentNode.appendChild(opts[i]); });
          }
        });
      }

      function selected(item, q) {
        if (q.kind === "matching") {
          var chosen = all(item, "select").map(function (s) { return s.getAttribute("data-source") + "." + s.value; });
          return all(item, "select").some(function (s) { return !s.value; }) ? null : chosen;
        }
        if (q.kind === "ordering") {
          return all(item, ".cb-order__item").map(function (li) { return li.getAttribute("data-item"); });
        }
        if (q.kind === "numeric") {
          var text = item.querySelector("input").value.replace(/\s+/g, "").replace(/^\+/, "");
          return text ? text : null;
        }
        var checked = all(item, "input:checked").map(function (input) { return input.value; });
        if (!checked.length) return null;
        if (q.kind === "true_false") return checked[0] === "t" ? "true" : "false";
        return checked;
      }

      function prompt(item, message) {
        item.querySelector(".cb-feedback").textContent = "";
        item.querySelector(".cb-feedback").appendChild(para("cb-feedback__result", message));
        api.announce(message);
      }

      function setDisabled(item, disabled) {
        all(item, "input, select, .cb-order__move, [data-action='submit']").forEach(function (c) {
          c.disabled = disabled;
        });
      }

      function showAnswered(item, q, value, announce) {
        if (q.kind === "matching") {
          all(item, "select").forEach(function (s, i) { s.value = value[i].split(".")[1]; });
        } else if (q.kind === "ordering") {
          var list = item.querySelector(".cb-order");
          var lis = all(list, ".cb-order__item");
          value.forEach(function (id) {
            lis.forEach(function (li) { if (li.getAttribute("data-item") === id) list.appendChild(li); });
          });
        } else if (q.kind === "numeric") {
          item.querySelector("input").value = value;
        } else {
          all(item, "input").forEach(function (input) {
            var v = input.value;
            input.checked = q.kind === "true_false" ? (v === "t") === (value === "true")
              : value.indexOf(v) >= 0;
          });
        }
        setDisabled(item, true);
        var ok = isCorrect(q, value);
        var html = '<p class="cb-feedback__result cb-feedback__result--' + (ok ? "correct" : "incorrect") +
          '">' + api.t(ok ? "correct" : "not_quite") + "</p>";
        if (q.options) {
          q.options.forEach(function (o) {
            if (value.indexOf(o.id) >= 0 && o.feedback) html += o.feedback;
          });
        }
        html += ok ? q.feedback.correct : q.feedback.incorrect;
        var box = item.querySelector(".cb-feedback");
        box.innerHTML = html;  // built at build time from escaped Markdown
        if (!ok && (q.kind === "matching" || q.kind === "ordering" || q.kind === "numeric")) {
          box.appendChild(answerBlock("cb-feedback__answer", api.t("the_correct_answer"), describeCorrect(q)));
        }
        item.classList.remove("cb-question--correct", "cb-question--incorrect");
        item.classList.add(ok ? "cb-question--correct" : "cb-question--incorrect");
        if (announce) api.announce(api.t(ok ? "correct" : "not_quite") + " " + box.textContent.slice(0, 300));
        return ok;
      }

      function showReview() {
        reviewList.textContent = "";
        plan.drawn.forEach(function (qi, n) {
          var q = data.questions[qi], value = answers[qi], ok = isCorrect(q, value);
          var li = document.createElement("li");
          li.className = "cb-review cb-review--" + (ok ? "correct" : "incorrect");
          li.appendChild(sentence("cb-review__question", api.t("review_question", {n: n + 1, text: HOLE}), [q]));
          li.appendChild(answerBlock("cb-review__answer", api.t("your_answer"), describe(q, value)));
          li.appendChild(para("cb-review__result cb-feedback__result--" + (ok ? "correct" : "incorrect"),
            api.t(ok ? "review_correct" : "review_incorrect")));
          if (!ok) li.appendChild(answerBlock("cb-review__correct", api.t("correct_answer"), describeCorrect(q)));
          reviewList.appendChild(li);
        });
        review.hidden = false;
      }

      function finishIfDone(announce) {
        if (plan.drawn.some(function (qi) { return answers[qi] === null; })) return false;
        var total = plan.drawn.length;
        var right = plan.drawn.filter(function (qi) { return isCorrect(data.questions[qi], answers[qi]); }).length;
        var percent = Math.round(right / total * 100);
        if (best === null || percent > best) best = percent;
        if (data.scored) api.setScore(right, total);
        var text = api.t("score", {right: right, total: total, percent: percent});
        if (data.passMark !== null) {
          text += " " + api.t(percent >= data.passMark ? "passed" : "not_passed", {mark: data.passMark});
        }
        var left = data.attempts ? data.attempts - attempt : Infinity;
        retry.hidden = !(percent < 100 && left > 0);
        if (!retry.hidden && data.attempts) text += " " + api.t("attempts_left", {left: left});
        if (data.attempts && left <= 0 && percent < 100) text += " " + api.t("no_attempts_left");
        summary.textContent = text;
        showReview();
        if (announce) api.announce(text + " " + api.t("review_follows"));
        api.complete();
        return true;
      }

      items.forEach(function (item, qi) {
        var q = data.questions[qi];
        item.querySelector('[data-action="submit"]').addEventListener("click", function () {
          var value = selected(item, q);
          if (value === null) {
            prompt(item, api.t(q.kind === "matching" ? "choose_matches"
              : q.kind === "numeric" ? "type_number" : "choose_answer"));
            return;
          }
          if (q.kind === "numeric" && (!NUMBER.test(value) || value.length > data.maxNumberChars)) {
            prompt(item, api.t("number_format"));
            item.querySelector("input").focus();
            return;
          }
          answers[qi] = value;
          var ok = showAnswered(item, q, value, true);
          api.record(q.id, value, ok, latency());
          var done = finishIfDone(true);
          save();  // before committing, so the LMS gets this answer and the best score
          api.commit(done ? "quiz finished" : "answer");
        });

        all(item, ".cb-order__move").forEach(function (button) {
          button.addEventListener("click", function () {
            var li = button.closest(".cb-order__item");
            var list = li.parentNode;
            var lis = all(list, ".cb-order__item");
            var from = lis.indexOf(li), to = from + parseInt(button.getAttribute("data-move"), 10);
            var name = li.querySelector(".cb-order__text").textContent;
            if (to < 0 || to >= lis.length) {
              api.announce(api.t(to < 0 ? "already_first" : "already_last", {name: name}));
              return;
            }
            list.insertBefore(li, to < from ? lis[to] : lis[to].nextSibling);
            button.focus();  // moving the node can drop focus in some browsers
            api.announce(api.t("moved", {name: name, n: to + 1, total: lis.length}));
          });
        });
      });

      retry.addEventListener("click", function () {
        attempt = Math.min(attempt + 1, MAX_ATTEMPT);
        seed = Math.floor(Math.random() * data.maxSeed);
        plan = layout(data, seed);
        answers = data.questions.map(function () { return null; });
        items.forEach(function (item) {
          all(item, "input").forEach(function (input) { input.checked = false; input.value = input.type === "text" ? "" : input.value; });
          all(item, "select").forEach(function (select) { select.value = ""; });
          setDisabled(item, false);
          item.querySelector(".cb-feedback").innerHTML = "";
          item.classList.remove("cb-question--correct", "cb-question--incorrect");
        });
        arrange();
        summary.textContent = "";
        reviewList.textContent = "";
        review.hidden = true;
        retry.hidden = true;
        save();
        clearedAt = Date.now();
        var first = items[plan.drawn[0]].querySelector("input, select, button");
        if (first) first.focus();
        api.announce(api.t(data.draw || data.drawPerOutcome ? "new_attempt_drawn" : "new_attempt",
          {attempt: attempt}));
      });

      arrange();
      plan.drawn.forEach(function (qi) {
        if (answers[qi] !== null) showAnswered(items[qi], data.questions[qi], answers[qi], false);
      });
      // A learner who finished an attempt and then chose "Try again" keeps their best score:
      // report it on every launch, even while the new attempt is unanswered.
      if (best !== null) {
        if (data.scored) api.setScore(best, 100);
        api.complete();
      }
      finishIfDone(false);
    }
  });

})(window.CB = window.CB || {});
