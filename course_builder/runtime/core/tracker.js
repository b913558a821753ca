/* course_builder runtime: course rules and the one conversation with the tracking adapter.
 *
 * Blocks never talk to an LMS. They report answers, scores and completion here; the tracker
 * applies the course's rules and tells the adapter (SCORM 1.2, SCORM 2004, xAPI, cmi5 or none)
 * what changed. Rules kept here, not in adapters:
 *  - a status never goes down (passed stays passed, completed never returns to incomplete);
 *  - score is written before status;
 *  - commits happen at moments that matter, never after every value, with bounded retries;
 *  - the session ends exactly once. */
(function (CB) {
  "use strict";
  var TIMED_COMMIT_MS = 3 * 60 * 1000;
  var RETRY_DELAYS_MS = [1000, 3000, 9000];
  var RANK12 = { "not attempted": 0, browsed: 0, incomplete: 1, failed: 2, completed: 2, passed: 3 };

  function Tracker(course, adapter) {
    this.course = course;
    this.adapter = adapter;
    this.pageCount = course.pages.length;
    this.state = { bookmark: 0, seen: course.pages.map(function () { return false; }), blocks: {} };
    this.blockScores = {};     // block key -> {raw, max} (best attempt)
    this.blockDone = {};       // block key -> true
    this.written = { completion: null, success: null, lesson: null, score: null };
    this.dirty = false;
    this.finished = false;
    this.startedAt = Date.now();
    this.retry = 0;
    this.retryTimer = null;
  }

  Tracker.prototype.start = function () {
    var info = this.adapter.start();
    this.connected = info.connected;
    this.prior = info;
    // An adapter may narrow the session to one module (cmi5: one AU per module) and may carry
    // the LMS's own pass mark (cmi5 masteryScore), which then replaces the course's.
    this.passMark = typeof info.passMark === "number" ? info.passMark : this.course.rules.passMark;
    this.scopePages = this.pagesOf(info.scope);
    this.written.completion = info.completion || null;
    this.written.success = info.success || null;
    this.written.lesson = info.lesson || null;
    var restored = CB.State.decode(info.suspend, this.course.fingerprint, this.pageCount);
    if (restored) {
      this.state.seen = restored.seen;
      this.state.blocks = restored.blocks;
      this.state.bookmark = restored.bookmark;
      this.resumedDifferentVersion = !restored.sameCourse;
    }
    var byLocation = this.pageIndex(info.location);
    if (byLocation >= 0) this.state.bookmark = byLocation;
    if (this.scopePages.indexOf(this.state.bookmark) < 0) this.state.bookmark = this.scopePages[0];
    this.resumed = !!(restored || byLocation >= 0);
    if (info.firstLaunch) {
      this.evaluate();  // marks the attempt incomplete
      this.commit("first launch");
    }
    var self = this;
    this.timer = setInterval(function () { if (self.dirty) self.commit("timer"); }, TIMED_COMMIT_MS);
    return this;
  };

  /** The pages of one module (by slug), or of the whole course when no module is given. */
  Tracker.prototype.pagesOf = function (moduleSlug) {
    var course = this.course, pages = [];
    for (var i = 0; i < course.pages.length; i++) {
      var slug = course.modules[course.pages[i].module].slug;
      if (!moduleSlug || slug === moduleSlug) pages.push(i);
    }
    return pages.length ? pages : this.pagesOf(null);
  };

  Tracker.prototype.inScope = function (pageIndex) {
    return this.scopePages.indexOf(pageIndex) >= 0;
  };

  Tracker.prototype.pageIndex = function (pageId) {
    if (!pageId) return -1;
    for (var i = 0; i < this.course.pages.length; i++) {
      if (this.course.pages[i].id === pageId) return i;
    }
    return -1;
  };

  Tracker.prototype.blockState = function (stateIndex) {
    var value = this.state.blocks[stateIndex];
    return value === undefined ? null : value;
  };

  Tracker.prototype.setBlockState = function (stateIndex, value) {
    if (this.finished) return;  // the session has ended: nothing more may reach the LMS
    if (value !== null && !CB.State.isSafe(value)) {
      throw new Error("block state may only use A-Z a-z 0-9 . _ -");
    }
    this.state.blocks[stateIndex] = value;
    this.saveState();
  };

  Tracker.prototype.saveState = function () {
    if (this.finished) return;
    this.adapter.setSuspend(CB.State.encode(this.state, this.course.fingerprint, this.pageCount));
    this.dirty = true;
  };

  Tracker.prototype.visit = function (index) {
    if (this.finished) return;
    this.state.bookmark = index;
    this.state.seen[index] = true;
    this.adapter.setLocation(this.course.pages[index].id);
    this.saveState();
    this.evaluate();
    this.commit("page change");
  };

  Tracker.prototype.record = function (interactionId, response, correct, latencyMs) {
    if (this.finished) return;
    var meta = this.course.interactions[interactionId];
    if (!meta) throw new Error("unknown interaction " + interactionId);
    if (meta.anonymous) {
      // Anonymous answers never join the learner's record. Only adapters with an anonymous
      // channel (xAPI: a separate anonymous actor) receive them; SCORM adapters drop them.
      if (this.adapter.recordAnonymous) this.adapter.recordAnonymous(meta, response, new Date());
      return;
    }
    this.adapter.record(meta, response, correct, latencyMs, new Date());
    this.dirty = true;
  };

  Tracker.prototype.setBlockScore = function (key, raw, max) {
    var best = this.blockScores[key];
    if (!best || raw / max > best.raw / best.max) this.blockScores[key] = { raw: raw, max: max };
    this.evaluate();
  };

  Tracker.prototype.completeBlock = function (key) {
    this.blockDone[key] = true;
    this.evaluate();
  };

  Tracker.prototype.progress = function () {
    var self = this;
    var seen = this.scopePages.filter(function (i) { return self.state.seen[i]; }).length;
    return { seen: seen, total: this.scopePages.length };
  };

  /** Apply the course rules: completion, score, success. */
  Tracker.prototype.evaluate = function () {
    if (this.finished) return;
    var rules = this.course.rules, self = this;
    var p = this.progress();
    var pagesOk = p.seen >= Math.ceil(rules.completionPercent * p.total / 100);
    var inScope = {};
    this.course.blocks.forEach(function (b) { inScope[b.key] = self.inScope(b.page); });
    var requiredOk = rules.require.every(function (key) {
      return self.blockDone[key] || inScope[key] === false;
    });
    var completed = pagesOk && requiredOk;
    var scored = this.course.blocks.filter(function (b) { return b.maxScore > 0 && inScope[b.key]; });
    var score = null;
    if (scored.length && scored.every(function (b) { return self.blockScores[b.key]; })) {
      var raw = 0, max = 0;
      scored.forEach(function (b) {
        var s = self.blockScores[b.key];
        raw += s.raw / s.max * b.maxScore;
        max += b.maxScore;
      });
      score = Math.round(raw / max * 10000) / 100;
    }
    var success = null;
    if (this.passMark !== null && score !== null) {
      success = score >= this.passMark ? "passed" : "failed";
    }
    this.adapter.setProgress(p.total ? p.seen / p.total : 1);
    if (score !== null && score !== this.written.score) {
      this.adapter.setScore(score);  // score before status
      this.written.score = score;
      this.dirty = true;
    }
    this.setCompletion(completed);
    if (success) this.setSuccess(success);
    this.setLessonStatus(completed, success);
    this.completed = completed;
    this.success = success;
  };

  Tracker.prototype.setCompletion = function (completed) {
    var value = completed ? "completed" : "incomplete";
    if (this.written.completion === "completed" || this.written.completion === value) return;
    if (this.adapter.setCompletion) this.adapter.setCompletion(value);
    this.written.completion = value;
    this.statusChanged = true;
    this.dirty = true;
  };

  Tracker.prototype.setSuccess = function (success) {
    if (this.written.success === "passed" || this.written.success === success) return;
    if (this.adapter.setSuccess) this.adapter.setSuccess(success);
    this.written.success = success;
    this.statusChanged = true;
    this.dirty = true;
  };

  /** SCORM 1.2 has one status for both ideas; adapters without it ignore this. */
  Tracker.prototype.setLessonStatus = function (completed, success) {
    if (!this.adapter.setLessonStatus) return;
    var passMark = this.passMark !== null;
    var value = "incomplete";
    if (success === "failed") value = "failed";
    else if (completed && (success === "passed" || !passMark)) value = passMark ? "passed" : "completed";
    var old = this.written.lesson;
    if (old === value || (old && RANK12[old] !== undefined && RANK12[value] < RANK12[old])) return;
    if (old === "passed") return;
    this.adapter.setLessonStatus(value);
    this.written.lesson = value;
    this.statusChanged = true;
    this.dirty = true;
  };

  Tracker.prototype.isFinished = function () {
    var passMark = this.passMark !== null;
    var done = this.written.completion === "completed" || this.written.lesson === "completed" ||
      this.written.lesson === "passed";
    return done && (!passMark || this.written.success === "passed" || this.written.lesson === "passed");
  };

  /** Commit now; on failure retry a bounded number of times with growing delays. */
  Tracker.prototype.commit = function (reason) {
    if (this.finished) return false;
    this.statusChanged = false;
    var ok = this.adapter.commit(reason);
    if (ok) {
      this.dirty = false;
      this.retry = 0;
      return true;
    }
    var self = this;
    if (this.retry < RETRY_DELAYS_MS.length && !this.retryTimer) {
      var delay = RETRY_DELAYS_MS[this.retry++];
      this.retryTimer = setTimeout(function () {
        self.retryTimer = null;
        self.commit("retry");
      }, delay);
    }
    return false;
  };

  /** End the session: exactly once, whatever fires first (Take a break, pagehide, unload).
   * `byLearner` is true when the learner asked to leave (Take a break), so adapters that can
   * ask the LMS to close the course (SCORM 2004's adl.nav.request) do so. */
  Tracker.prototype.finish = function (byLearner) {
    if (this.finished) return;
    clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    var suspend = !this.isFinished();
    this.adapter.setExit(suspend, Date.now() - this.startedAt, !!byLearner);
    this.adapter.commit("finish");
    this.finished = true;
    this.adapter.terminate();
  };

  CB.Tracker = Tracker;
})(window.CB = window.CB || {});
