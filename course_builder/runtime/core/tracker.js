/* course_builder runtime: course rules and the one conversation with the tracking adapter.
 *
 * Blocks never talk to an LMS. They report answers, scores and completion here; the tracker
 * applies the course's rules and tells the adapter (SCORM 1.2, SCORM 2004, xAPI, cmi5 or none)
 * what changed, always through R.call (the interface is written once, in adapter.js). Rules:
 *  - a status never goes down (passed stays passed, completed never returns to incomplete);
 *  - score is written before status;
 *  - commits happen at moments that matter, never after every value, with bounded retries,
 *    and after the page has changed (a slow LMS Commit never holds up Next);
 *  - the session ends exactly once, every step of the end guarded, and its last call carries
 *    everything (no Commit before it);
 *  - in browse and review modes nothing is written at all; without credit nothing is judged;
 *  - saved data the course cannot read is never overwritten until the learner chooses
 *    ("held"); restored block state is checked by its block before use (blocks.js);
 *  - when progress is not reaching the LMS, the learner is told (nav.js, Views.saving).
 *
 * Modes (SCORM 1.2 cmi.core.lesson_mode, SCORM 2004 cmi.mode, cmi5 launchMode): "browse" is a
 * look without the intent of recording, "review" a look at an attempt already recorded "without
 * the intent of updating this information" (SCORM RTE, mode). In both the course writes no
 * status, score, location, suspend data, interactions, exit or session time, and commits
 * nothing; the learner may still move around and try things, which stay in the page.
 * Credit (cmi.core.credit / cmi.credit "no-credit"): the LMS will not credit the result, so the
 * course still records progress, answers and score but never judges passed or failed (SCORM 1.2
 * lesson_status is then completed/incomplete, SCORM 2004 success_status stays unknown).
 *
 * LMS profiles (course.lms, from `course-builder build --lms-profile`, course_builder/
 * lms_profiles.py) switch what real LMSs are known to need: here `commits` ("page": every page
 * change; "milestone": only when a status changes, on the timer and at the end),
 * `timedCommitMinutes` and `deferFailed` (a failed status is written only as the session ends). */
(function (R) {
  "use strict";
  var RETRY_DELAYS_MS = [1000, 3000, 9000];
  var FAILURES_BEFORE_TELLING = 2;  // the first commit and its first retry
  var RANK12 = { "not attempted": 0, browsed: 0, incomplete: 1, failed: 2, completed: 2, passed: 3 };

  function Tracker(course, adapter) {
    this.course = course;
    this.adapter = adapter;
    this.lms = course.lms || {};
    this.pageCount = course.pages.length;
    this.state = { bookmark: 0, seen: course.pages.map(function () { return false; }), blocks: {} };
    this.rejected = {};        // state index -> true: saved block state its block could not read
    this.blockScores = {};     // block key -> {raw, max} (best attempt)
    this.blockDone = {};       // block key -> true
    this.written = { completion: null, success: null, lesson: null, score: null };
    this.dirty = false;
    this.finished = false;
    this.ended = false;       // the session's end has been confirmed (or given up on)
    this.mode = "normal";     // "normal", "browse" or "review" (see above)
    this.recording = true;    // false in browse and review: nothing reaches the LMS
    this.judging = true;      // false without credit: no passed/failed
    this.held = null;         // why saved data is kept unread: "newer", "other", "damaged",
                              // "unread" (the LMS's API failed to give it)
    this.stopped = false;     // another tab took this attempt over (journal.js)
    this.problems = {};       // source ("commit", "adapter", a setter) -> problem (adapter.js)
    this.failures = 0;        // commits failed in a row
    this.onChange = function () {};  // set by boot.js: the saving notice
    // The session's one clock: session time, cmi5 durations and the tracker all count from here.
    this.startedAt = Date.now();
    this.retry = 0;
    this.retryTimer = null;
  }

  Tracker.prototype.start = function () {
    var self = this, course = this.course;
    var report = function (problem) { self.problem("adapter", problem === "ok" ? null : problem); };
    var info = R.call(this.adapter, "start", [this.startedAt, report]);
    if (!info || typeof info !== "object") {
      // The adapter itself failed to start: carry on with this browser only, and say so.
      R.note(this.adapter, "start failed: running without an LMS");
      this.adapter = R.adapters.none(course);
      info = R.call(this.adapter, "start", [this.startedAt, report]);
      info.refused = true;
    }
    this.connected = !!info.connected;
    this.prior = info;
    this.mode = info.mode === "browse" || info.mode === "review" ? info.mode : "normal";
    this.recording = this.mode === "normal";
    this.judging = info.credit !== false;
    // An adapter may narrow the session to one module (cmi5: one AU per module) and may carry
    // the LMS's own pass mark (cmi5 masteryScore), which then replaces the course's.
    this.passMark = typeof info.passMark === "number" ? info.passMark : course.rules.passMark;
    this.scopePages = this.pagesOf(info.scope);
    this.written.completion = info.completion || null;
    this.written.success = info.success || null;
    this.written.lesson = info.lesson || null;
    if (info.refused) this.problems.start = "refused-start";
    // The owner's evaluation collector: independent of the adapter and the LMS; it resends
    // submissions left from an earlier visit (collector.js, shipped only when the course names
    // a collector or the format needs its module).
    this.collector = R.Collector ? R.Collector.open(course) : null;

    var suspend = info.suspend, location = info.location;
    if (this.recording && info.learner) {
      this.journal = new R.Journal(course, this.adapter.name, info.learner);
      var replay = info.journal ? this.journal.replay(suspend, info.firstLaunch) : null;
      if (replay) {
        // The LMS is behind this browser (a commit failed, a window closed): carry on from
        // the journal, which the first save sends to the LMS.
        R.note(this.adapter, "the LMS held older progress than this browser: replaying it");
        suspend = replay.suspend;
        location = replay.location || location;
        this.replayed = true;
      } else if (this.journal.dropped) {
        R.note(this.adapter, "this browser's journal is older than the LMS's progress: dropped");
      }
      this.journal.claim(function () { self.yieldToOtherTab(); },
        function () { self.tookOver = true; self.onChange(); });
    }
    var blockCount = 0;
    course.blocks.forEach(function (b) { blockCount = Math.max(blockCount, b.stateIndex + 1); });
    var restored = info.unread ? { unreadable: "unread" }
      : R.State.decode(suspend, course.fingerprint, this.pageCount, blockCount);
    if (restored.unreadable) {
      // Not ours to read, and not ours to overwrite: keep it until the learner chooses.
      this.held = restored.unreadable;
      R.note(this.adapter, "saved data kept unread (" + restored.unreadable + "): " +
        String(suspend).slice(0, 80));
    } else if (!restored.empty) {
      this.state.seen = restored.seen;
      this.state.blocks = restored.blocks;
      this.state.bookmark = restored.bookmark;
    }
    var byLocation = this.pageIndex(location);
    this.locationReadable = !info.unread && (!location || byLocation >= 0);
    if (byLocation >= 0) this.state.bookmark = byLocation;
    if (this.scopePages.indexOf(this.state.bookmark) < 0) this.state.bookmark = this.scopePages[0];
    this.resumed = !!(restored.seen || byLocation >= 0);
    if (!this.recording) return this;  // no first-launch status, no timed commits
    if (info.firstLaunch || this.replayed) {
      this.evaluate();  // marks the attempt incomplete
      this.commitSoon("first launch");
    }
    var minutes = this.lms.timedCommitMinutes || 3;
    this.timer = setInterval(function () { if (self.dirty) self.commit("timer"); }, minutes * 60000);
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

  /** May this tab write? Writing stops for good once another tab has taken the attempt. */
  Tracker.prototype.writing = function () {
    if (this.finished || !this.recording || this.stopped) return false;
    if (this.journal && !this.journal.owns()) {
      this.yieldToOtherTab();
      return false;
    }
    return true;
  };

  /** Another tab (or window) launched this attempt: end this session now, with what it had
   * (the other tab has taken it over from the journal), and write nothing more. */
  Tracker.prototype.yieldToOtherTab = function () {
    if (this.stopped || this.finished) return;
    this.stopped = true;
    R.note(this.adapter, "the course was opened in another tab or window: this one stopped");
    this.end(false, false);
    this.onChange();
  };

  /** Set through the adapter; a refused value is a problem the learner hears about. */
  Tracker.prototype.write = function (member, args) {
    var ok = R.call(this.adapter, member, args) !== false;
    if (!ok !== !!this.problems[member]) this.problem(member, ok ? null : "refused");
    return ok;
  };

  Tracker.prototype.problem = function (source, problem) {
    var before = this.saving();
    if (problem) this.problems[source] = problem;
    else delete this.problems[source];
    var after = this.saving();
    if (after !== before) {
      if (after === "ok" && before !== "held") this.recovered = true;
      this.onChange();
    }
  };

  /** What the learner must know about saving, the most serious first: "stopped" (another tab
   * has it), "lost" (the LMS window is gone), "refused-start" (no session), "held", "refused",
   * "failing", or "ok". */
  Tracker.prototype.saving = function () {
    if (this.stopped) return "stopped";
    var p = this.problems, all = [];
    Object.keys(p).forEach(function (k) { all.push(p[k]); });
    var order = ["lost", "refused-start", "held", "refused", "failing"];
    if (this.held && this.recording) all.push("held");
    for (var i = 0; i < order.length; i++) if (all.indexOf(order[i]) >= 0) return order[i];
    return "ok";
  };

  /** The learner chose to replace the saved data this course could not read. */
  Tracker.prototype.startAfresh = function () {
    if (!this.held) return;
    R.note(this.adapter, "the learner chose to replace the unreadable saved data");
    this.held = null;
    this.locationReadable = true;
    this.visit(this.state.bookmark);
    this.commit("start afresh");
    this.recovered = this.afresh = true;
    this.onChange();
  };

  Tracker.prototype.blockState = function (stateIndex) {
    var value = this.state.blocks[stateIndex];
    return value === undefined || this.rejected[stateIndex] ? null : value;
  };

  /** A block could not read its saved state: it starts afresh, and the state is kept as it
   * was (and written back unchanged) until the block saves a new one. */
  Tracker.prototype.rejectBlockState = function (stateIndex, type) {
    this.rejected[stateIndex] = true;
    R.note(this.adapter, "a " + type + " block's saved state kept unread: " +
      String(this.state.blocks[stateIndex]).slice(0, 60));
  };

  Tracker.prototype.setBlockState = function (stateIndex, value) {
    if (this.finished) return;  // the session has ended: nothing more may reach the LMS
    if (value !== null && !R.State.isSafe(value)) {
      throw new Error("block state may only use A-Z a-z 0-9 . _ -");
    }
    delete this.rejected[stateIndex];
    this.state.blocks[stateIndex] = value;  // kept in the page in every mode
    this.saveState();
  };

  Tracker.prototype.saveState = function () {
    if (this.held || !this.writing()) return;
    var text = R.State.encode(this.state, this.course.fingerprint, this.pageCount);
    this.write("setSuspend", [text]);
    if (this.journal) this.journal.note(text, this.course.pages[this.state.bookmark].id);
    this.dirty = true;
  };

  Tracker.prototype.visit = function (index) {
    // Browse and review: the learner looks around; pages are not marked seen, nothing is sent.
    if (!this.writing()) return;
    this.state.bookmark = index;
    this.state.seen[index] = true;
    if (this.locationReadable) this.write("setLocation", [this.course.pages[index].id]);
    this.saveState();
    this.evaluate();
    if (this.lms.commits !== "milestone" || this.statusChanged) this.commitSoon("page change");
    if (this.recovered) { this.recovered = false; this.onChange(); }
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
    if (!this.writing()) return;  // browse and review: the answer stays in the page
    R.call(this.adapter, "record", [meta, response, correct, latencyMs, new Date()]);
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
    if (!this.writing()) return;  // browse and review: worked out for the page, never written
    if (!this.judging) success = null;  // no-credit: the LMS will not credit a pass or fail
    // The LMS's statuses could not be read (held "unread"): writing any could lower them.
    if (this.held === "unread") return;
    // deferFailed (a profile switch): "failed" waits for the end of the session, where it is
    // written unless the learner has passed by then.
    this.failedOwed = success === "failed" && !!this.lms.deferFailed && !this.ending;
    if (this.failedOwed) success = null;
    this.write("setProgress", [p.total ? p.seen / p.total : 1]);
    if (score !== null && score !== this.written.score && this.write("setScore", [score])) {
      this.written.score = score;  // score before status
      this.dirty = true;
    }
    this.setCompletion(completed);
    if (success) this.setSuccess(success);
    this.setLessonStatus(completed, success);
  };

  Tracker.prototype.setCompletion = function (completed) {
    if (this.adapter.statuses === "lesson") return;
    var value = completed ? "completed" : "incomplete";
    if (this.written.completion === "completed" || this.written.completion === value) return;
    if (!this.write("setCompletion", [value])) return;
    this.written.completion = value;
    this.statusChanged = true;
    this.dirty = true;
  };

  Tracker.prototype.setSuccess = function (success) {
    if (this.adapter.statuses === "lesson") return;
    if (this.written.success === "passed" || this.written.success === success) return;
    if (!this.write("setSuccess", [success])) return;
    this.written.success = success;
    this.statusChanged = true;
    this.dirty = true;
  };

  /** SCORM 1.2 has one status for both ideas (adapter.statuses "lesson", adapter.js). */
  Tracker.prototype.setLessonStatus = function (completed, success) {
    if (this.adapter.statuses !== "lesson") return;
    var passMark = this.passMark !== null && this.judging;
    var value = "incomplete";
    if (success === "failed") value = "failed";
    else if (completed && (success === "passed" || !passMark)) value = passMark ? "passed" : "completed";
    var old = this.written.lesson;
    if (old === value || (old && RANK12[old] !== undefined && RANK12[value] < RANK12[old])) return;
    if (old === "passed" || !this.write("setLessonStatus", [value])) return;
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

  /** Commit once the page has been shown (never before the learner sees the next page: an
   * LMS's Commit may be a slow synchronous request); several calls before then are one. */
  Tracker.prototype.commitSoon = function (reason) {
    if (this.commitPending) return;
    this.commitPending = true;
    var self = this;
    var run = function () {
      if (!self.commitPending) return;
      self.commitPending = false;
      self.commit(reason);
    };
    if (document.hidden || !window.requestAnimationFrame) setTimeout(run, 0);
    else requestAnimationFrame(function () { setTimeout(run, 0); });
    setTimeout(run, 500);  // a frame that is never painted still commits
  };

  /** Commit now; on failure retry a bounded number of times with growing delays, and tell
   * the learner once commits keep failing. */
  Tracker.prototype.commit = function (reason) {
    if (!this.recording) return true;  // nothing was written, so nothing to commit
    if (!this.writing()) return false;
    if (this.lms.commits === "milestone" && !this.statusChanged && !/^(timer|hidden|retry|first launch|start afresh)$/.test(reason)) {
      return true;  // the profile commits at milestones only: this change waits for one
    }
    this.commitPending = false;
    this.statusChanged = false;
    var ok = R.call(this.adapter, "commit", [reason]) !== false;
    if (ok) {
      this.dirty = false;
      this.retry = 0;
      this.failures = 0;
      this.problem("commit", null);
      return true;
    }
    this.failures++;
    if (this.failures >= FAILURES_BEFORE_TELLING) this.problem("commit", "failing");
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

  /** End the session: exactly once, whatever fires first (Take a break, pagehide, unload, or
   * another tab taking the attempt over). Every step is guarded (R.call): whatever the LMS
   * does, the steps after it still run, and terminate() is called exactly once.
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
    if (!this.stopped && this.journal && !this.journal.owns()) {
      this.yieldToOtherTab();  // ends the session (its own way)
      return null;
    }
    return this.end(byLearner, unloading);
  };

  Tracker.prototype.end = function (byLearner, unloading) {
    var recording = this.recording;
    clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.commitPending = false;
    this.ending = true;
    if (this.failedOwed && this.written.success !== "passed") this.evaluate();  // deferFailed
    this.finished = true;
    if (recording) {
      // Unreadable saved data stays resumable: exit "suspend" keeps it the LMS's to hand back.
      R.call(this.adapter, "setExit", [!!this.held || !this.isFinished(),
        Date.now() - this.startedAt, !!byLearner]);
    }
    var self = this;
    var ending = R.call(this.adapter, "terminate", [{ byLearner: !!byLearner,
      unloading: !!unloading, recording: recording }]);
    // The last call failed: what it carried is in the journal for the next launch; the
    // learner hears that not all of it reached the record.
    if (ending === false && recording && !this.stopped) this.problems.end = "failing";
    if (this.journal) this.journal.release();
    var ended = function () { self.ended = true; };
    if (ending && typeof ending.then === "function") ending.then(ended, ended);
    else ended();
    return ending;
  };

  /** For support staff (CB.diagnose()): what this session is doing, in plain values. */
  Tracker.prototype.diagnose = function () {
    var a = this.adapter;
    return {
      format: a.name, lmsProfile: this.lms.profile || "generic", connected: !!this.connected,
      mode: this.mode, saving: this.saving(), held: this.held, replayed: !!this.replayed,
      finished: this.finished, ended: this.ended, pending: R.call(a, "pending") || 0,
      log: (a.log || []).slice(), collector: this.collector ? this.collector.log.slice() : null
    };
  };

  R.Tracker = Tracker;
})(window.__cb = window.__cb || {});
