/* course_builder runtime: this browser's journal of an attempt, and the claim that lets only
 * one tab write it. Both live in localStorage, keyed by course, format and learner/attempt
 * (Launch.learner, adapter.js); without localStorage (some locked-down browsers) both are off
 * and the course works as before.
 *
 * Keys hold the learner as a hash of their LMS id (SCORM cmi.core.student_id / cmi.learner_id,
 * the LRS actor and registration), never the id itself.
 *
 * THE CLAIM: one tab writes an attempt. Each launch claims it ("course_builder:owner:<key>" =
 * this tab's id): the newest launch wins, because it is the one the learner is looking at. A
 * tab that sees the claim pass to another (the storage event, or the check made before every
 * write) stops at once: it ends its session there and then (its last call carries what it had,
 * which the new tab has already taken over from the journal) and says so. So two tabs never
 * overwrite each other's suspend_data, and a forgotten tab closed later cannot write its older
 * progress over the newer. The tab that gave way answers ("course_builder:yielded:<key>"), so
 * the new tab can tell the learner the other one has stopped.
 *
 * THE JOURNAL (SCORM; the LRS adapters keep their own copy): the latest saved-state string and
 * bookmark this tab gave the LMS, and short hashes of every string it gave (or found there at
 * launch). On the next launch the tracker compares what the LMS hands back with it:
 *   - the LMS holds the latest: nothing to do;
 *   - the LMS holds an older string this browser wrote or launched with (a Commit or SetValue
 *     failed, a Terminate never arrived): the LMS is behind, so the journal's latest is
 *     replayed (written again, and committed);
 *   - the LMS holds anything else (progress from another computer, or a new attempt, which
 *     starts empty with entry ab-initio): the LMS is newer, the journal is dropped. Never
 *     replayed over newer LMS data. An empty ab-initio launch while another tab still holds
 *     the attempt is that tab's attempt (Moodle hands saved data back only after exit
 *     "suspend"), so it carries on from the journal. */
(function (R) {
  "use strict";
  var KEEP_HASHES = 50;

  function store() {
    try {
      var s = window.localStorage;
      s.setItem("course_builder:probe", "1");
      s.removeItem("course_builder:probe");
      return s;
    } catch (e) { return null; }
  }

  /** FNV-1a, 32 bits, base 36: tells saved-state strings apart without keeping them. */
  function hash(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(36);
  }

  function read(s, key) {
    try { return JSON.parse(s.getItem(key) || "null"); } catch (e) { return null; }
  }

  function Journal(course, format, learner) {
    this.store = store();
    // The learner's LMS id is kept only as a hash: nothing in this browser names them.
    var id = course.id + "|" + format + "|" + hash(learner);
    this.ownerKey = "course_builder:owner:" + id;
    this.yieldKey = "course_builder:yielded:" + id;
    this.key = "course_builder:journal:" + id;
    this.fingerprint = course.fingerprint;
    this.tab = Date.now().toString(36) + Math.random().toString(36).slice(2);  // this tab's mark
    this.record = null;
  }

  /** Take the attempt for this tab. onLost(): another tab took it; onYielded(): the tab that
   * had it has stopped (so the learner can be told). */
  Journal.prototype.claim = function (onLost, onYielded) {
    var s = this.store, self = this;
    if (!s) return;
    var before = s.getItem(this.ownerKey);
    try { s.setItem(this.ownerKey, this.tab); } catch (e) { return; }
    this.claimed = this.active = true;
    window.addEventListener("storage", function (event) {
      if (event.key === self.ownerKey && self.active && event.newValue !== self.tab) {
        self.active = false;
        onLost();
        try { s.setItem(self.yieldKey, event.newValue + " " + Date.now()); } catch (e) { /* full */ }
      } else if (event.key === self.yieldKey && event.newValue &&
                 event.newValue.split(" ")[0] === self.tab && before) {
        onYielded();
      }
    });
  };

  /** Still this tab's to write (read at the moment of asking, not only from events). */
  Journal.prototype.owns = function () {
    if (!this.claimed) return true;
    if (this.active && this.store.getItem(this.ownerKey) === this.tab) return true;
    this.active = false;
    return false;
  };

  /** Let the attempt go (the session has ended here). */
  Journal.prototype.release = function () {
    if (this.claimed && this.owns()) {
      try { this.store.removeItem(this.ownerKey); } catch (e) { /* nothing to do */ }
    }
    this.active = false;
  };

  /** At launch: what to do with the LMS's saved string `lmsSuspend`. Returns the journal's
   * {suspend, location} when the LMS is behind it, else null (the journal then restarts from
   * the LMS's data). `fresh`: the LMS says this attempt starts empty (entry ab-initio). */
  Journal.prototype.replay = function (lmsSuspend, fresh) {
    if (!this.store) return null;
    var j = read(this.store, this.key), lms = lmsSuspend || "", out = null;
    // An LMS hands back nothing (entry ab-initio) both to a new attempt and to a second launch
    // while the first is still open (Moodle returns saved data only after exit "suspend"):
    // while another tab holds the attempt, it is that tab's attempt, carried on here.
    var open = !!this.store.getItem(this.ownerKey);
    if (j && j.fp === this.fingerprint && j.suspend !== lms && !(fresh && !lms && !open) &&
        (j.seen || []).indexOf(hash(lms)) >= 0) {
      out = { suspend: j.suspend, location: j.location || "" };
    }
    this.record = { fp: this.fingerprint, suspend: lms, location: "", seen: [hash(lms)] };
    if (out) {
      this.record = j;
    } else if (j && j.suspend !== lms) {
      this.dropped = true;  // the LMS holds newer (or other) progress: it wins
    }
    this.write();
    return out;
  };

  /** Note what this tab has just given the LMS. */
  Journal.prototype.note = function (suspend, location) {
    if (!this.record || !this.owns()) return;
    var r = this.record;
    if (suspend !== null && suspend !== undefined) {
      r.suspend = suspend;
      var h = hash(suspend);
      if (r.seen.indexOf(h) < 0) r.seen.push(h);
      if (r.seen.length > KEEP_HASHES) r.seen.splice(1, r.seen.length - KEEP_HASHES);
    }
    if (location) r.location = location;
    this.write();
  };

  Journal.prototype.write = function () {
    if (!this.store || !this.record) return;
    try { this.store.setItem(this.key, JSON.stringify(this.record)); } catch (e) { /* full */ }
  };

  R.Journal = Journal;
  R.hash = hash;
})(window.__cb = window.__cb || {});
