/* course_builder runtime: course rules and the one conversation with the tracking adapter.
 *
 * Blocks never talk to an LMS. They report answers, scores and completion here; the tracker
 * applies the course's rules and tells the adapter (SCORM 1.2, SCORM 2004, xAPI, cmi5 or none)
 * what changed. Rules kept here, not in adapters:
 *  - a status never goes down (passed stays passed, completed never returns to incomplete);
 *  - score is written before status;
 *  - commits happen at moments that matter, never after every value, with bounded retries;
 *  - the session ends exactly once, and its last call carries everything (no Commit before it);
 *  - in browse and review modes nothing is written at all; without credit nothing is judged.
 *
 * Modes (SCORM 1.2 cmi.core.lesson_mode, SCORM 2004 cmi.mode, cmi5 launchMode): "browse" is a
 * look without the intent of recording, "review" a look at an attempt already recorded "without
 * the intent of updating this information" (SCORM RTE, mode). In both the course writes no
 * status, score, location, suspend data, interactions, exit or session time, and commits
 * nothing; the learner may still move around and try things, which stay in the page.
 * Credit (cmi.core.credit / cmi.credit "no-credit"): the LMS will not credit the result, so the
 * course still records progress, answers and score but never judges passed or failed (SCORM 1.2
 * lesson_status is then completed/incomplete, SCORM 2004 success_status stays unknown). */
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
    this.ended = false;       // the session's end has been confirmed (or given up on)
    this.mode = "normal";     // "normal", "browse" or "review" (see above)
    this.recording = true;    // false in browse and review: nothing reaches the LMS
    this.judging = true;      // false without credit: no passed/failed
    // The session's one clock: session time, cmi5 durations and the tracker all count from here.
    this.startedAt = Date.now();
    this.retry = 0;
    this.retryTimer = null;
  }

  Tracker.prototype.start = function () {
    var info = this.adapter.start(this.startedAt);
    this.connected = info.connected;
    this.prior = info;
    this.mode = info.mode === "browse" || info.mode === "review" ? info.mode : "normal";
    this.recording = this.mode === "normal";
    this.judging = info.credit !== false;
    // An adapter may narrow the session to one module (cmi5: one AU per module) and may carry
    // the LMS's own pass mark (cmi5 masteryScore), which then replaces the course's.
    this.passMark = typeof info.passMark === "number" ? info.passMark : this.course.rules.passMark;
    this.scopePages = this.pagesOf(info.scope);
    this.written.completion = info.completion || null;
    this.written.success = info.success || null;
    this.written.lesson = info.lesson || null;
    // The owner's evaluation collector: independent of the adapter and the LMS; it resends
    // submissions left from an earlier visit (collector.js).
    this.collector = CB.Collector ? CB.Collector.open(this.course) : null;
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
    if (!this.recording) return this;  // no first-launch status, no timed commits
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
    this.state.blocks[stateIndex] = value;  // kept in the page in every mode
    this.saveState();
  };

  Tracker.prototype.saveState = function () {
    if (this.finished || !this.recording) return;
    this.adapter.setSuspend(CB.State.encode(this.state, this.course.fingerprint, this.pageCount));
    this.dirty = true;
  };

  Tracker.prototype.visit = function (index) {
    if (this.finished) return;
    // Browse and review: the learner looks around; pages are not marked seen, nothing is sent.
    if (!this.recording) return;
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
      // Anonymous answers never join the learner's record: alone, one is a submission of its own.
      this.submitAnonymous([[interactionId, response]]);
      return;
    }
    if (!this.recording) return;  // browse and review: the answer stays in the page
    this.adapter.record(meta, response, correct, latencyMs, new Date());
    this.dirty = true;
  };

  /** Answers to anonymous interactions ([[id, response], ...]), sent together as one
   * submission to the course owner's collector, never to the adapter (the LMS). Without a
   * collector they go nowhere (the build made the form say so). */
  Tracker.prototype.submitAnonymous = function (answers) {
    // Browse and review record nothing: a learner looking back at a finished attempt would
    // otherwise send the same form twice (the form says it cannot be sent on such a visit).
    if (this.finished || !this.recording) return;
    var metas = this.course.interactions, list = [];
    answers.forEach(function (a) {
      var meta = metas[a[0]];
      if (!meta || !meta.anonymous) throw new Error("not an anonymous interaction: " + a[0]);
      list.push({ meta: meta, response: a[1] });
    });
    if (this.collector && list.length) this.collector.submit(list);
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
    this.completed = completed;
    this.success = success;
    this.score = score;
    if (!this.recording) return;  // browse and review: worked out for the page, never written
    if (!this.judging) success = null;  // no-credit: the LMS will not credit a pass or fail
    this.adapter.setProgress(p.total ? p.seen / p.total : 1);
    if (score !== null && score !== this.written.score) {
      this.adapter.setScore(score);  // score before status
      this.written.score = score;
      this.dirty = true;
    }
    this.setCompletion(completed);
    if (success) this.setSuccess(success);
    this.setLessonStatus(completed, success);
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
    var passMark = this.passMark !== null && this.judging;
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
    var passMark = this.passMark !== null && this.judging;
    var done = this.written.completion === "completed" || this.written.lesson === "completed" ||
      this.written.lesson === "passed";
    return done && (!passMark || this.written.success === "passed" || this.written.lesson === "passed");
  };

  /** Commit now; on failure retry a bounded number of times with growing delays. */
  Tracker.prototype.commit = function (reason) {
    if (this.finished) return false;
    if (!this.recording) return true;  // nothing was written, so nothing to commit
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
   *
   * `byLearner` is true when the learner asked to leave (Take a break), so adapters that can ask
   * the LMS to close the course (SCORM 2004's adl.nav.request) do so. `unloading` is true when
   * the page is going away (pagehide, unload): then only what the browser sends at once counts.
   *
   * Exit and session time are set first and the adapter's terminate() is the one and last call:
   * no separate Commit before it. SCORM 2004's Terminate and SCORM 1.2's LMSFinish persist what
   * was set (an implicit commit), and a real LMS player (Moodle's) sends each Commit and each
   * Terminate as one request carrying the whole data model: while a page unloads the browser
   * may deliver only one of two such requests, so the last one must carry everything.
   * Returns what terminate() returns: a promise for adapters that end asynchronously (the LRS
   * adapters wait for everything before "terminated" when the page is not unloading). */
  Tracker.prototype.finish = function (byLearner, unloading) {
    if (this.finished) return null;
    clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.finished = true;
    if (this.recording) {
      this.adapter.setExit(!this.isFinished(), Date.now() - this.startedAt, !!byLearner);
    }
    var self = this;
    var ending = this.adapter.terminate({ byLearner: !!byLearner, unloading: !!unloading,
      recording: this.recording });
    var ended = function () { self.ended = true; };
    if (ending && typeof ending.then === "function") ending.then(ended, ended);
    else ended();
    return ending;
  };

  CB.Tracker = Tracker;
})(window.CB = window.CB || {});
