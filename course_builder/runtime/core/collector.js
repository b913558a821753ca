/* course_builder runtime: the course owner's evaluation collector.
 *
 * Anonymous evaluation answers never go to the LMS or the learner's LRS. They go to an xAPI
 * endpoint of the course's owner, named in course.yaml (course.collector in the course JSON),
 * with the key of an account there that may only write statements. The same code runs in every
 * package (SCORM 1.2, SCORM 2004, xAPI, cmi5, no LMS), whatever the adapter.
 *
 * One submitted form is one batch: a statement per answer, all under one actor made up for that
 * submission (an account with a random name), each with a random id, the question activity the
 * build described, the course version (context.revision), the language, the course (and a
 * variant's own activity, docs/variants.md) as grouping, and a timestamp cut to the day.
 * Nothing from the launch, the LMS or the learner goes in: no registration, session, learner
 * id, name, time of day or page address.
 *
 * Timing: the batch leaves at a random moment within delayMs of Submit (or when the page is
 * hidden or closed, if sooner), so that it does not reach the collector at the instant the LMS
 * records "submitted" (docs/data-handling.md says what this does and does not protect).
 *
 * Never lost, never twice, never in the learner's way: batches wait in localStorage until the
 * collector accepts them; network errors, 408, 429 and 5xx are retried with growing, jittered
 * delays, on this visit or the next launch of the course in this browser; a resent batch keeps
 * its statement ids, so a collector that already holds it stores nothing new (xAPI 1.0.3
 * Communication 2.1.2). 401, 403 and other refusals will never succeed: the batch is dropped
 * (it is nobody's, so it is never kept for later), as is any batch older than maxAgeDays.
 * Requests go to the configured endpoint only, and only when there is a batch to send. */
(function (R) {
  "use strict";
  var RETRY_MS = [30000, 120000, 600000, 1800000, 3600000];  // then every hour or so
  var KEEPALIVE_BUDGET = 60000;  // browsers refuse keepalive bodies over 64 KiB in total
  var LEASE_MS = 60000;  // a batch another tab of this course is sending is left alone
  var DAY_MS = 86400000;

  function hex(byte) { return (byte + 0x100).toString(16).slice(1); }

  /** RFC 4122 version 4 UUID from the browser's cryptographic random source (also the LRS
   * adapters' statement ids: R.uuid). */
  function uuid() {
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, hex);
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  /** A random whole number of milliseconds from 0 to max. */
  function randomMs(max) {
    if (!max) return 0;
    var b = new Uint32Array(1);
    (window.crypto || window.msCrypto).getRandomValues(b);
    return Math.floor(b[0] / 4294967296 * (max + 1));
  }

  /** Midnight UTC of the day: the only time an answer carries. */
  function dayStamp(date) {
    return date.toISOString().slice(0, 10) + "T00:00:00.000Z";
  }

  /** result.response (xAPI 1.0.3 Data 2.4.4.1.1) for the kinds of answer a form gives: a
   * choice or scale id, a list of choice ids ("a[,]b"), a number as text, free text. */
  function response(value) {
    if (Object.prototype.toString.call(value) === "[object Array]") {
      return value.map(String).join("[,]");
    }
    return String(value);
  }

  var storage = {
    read: function (key) {
      try { return JSON.parse(window.localStorage.getItem(key) || "[]") || []; }
      catch (e) { return null; }  // no storage: the queue lives in memory only
    },
    write: function (key, queue) {
      try {
        if (queue.length) window.localStorage.setItem(key, JSON.stringify(queue));
        else window.localStorage.removeItem(key);
      } catch (e) { /* full or forbidden: the batch still goes from memory */ }
    }
  };

  function Collector(course, config) {
    this.config = config;
    this.url = config.endpoint + "statements";
    this.key = "course_builder:evaluations:" + course.id + "|" + config.endpoint;
    this.memory = [];  // the queue when localStorage cannot be used
    this.busy = null;  // id of the batch in flight
    this.timer = null;
    this.log = [];
  }

  /** The collector of a course, or null when course.yaml names none. Batches left from an
   * earlier visit are sent again, each at a new random moment within the delay. */
  Collector.open = function (course) {
    if (!course.collector || typeof window.fetch !== "function") return null;
    var collector = new Collector(course, course.collector);
    var now = Date.now(), maxAge = course.collector.maxAgeDays * DAY_MS;
    var queue = collector.queue().filter(function (batch) {
      if (now - batch.made <= maxAge) return true;
      collector.note("batch " + batch.id + " undelivered for " + course.collector.maxAgeDays +
        " days; dropped");
      return false;
    });
    // A new visit is a new chance: each batch goes at a random moment within the delay (never at
    // the instant the course opens, which the LMS records).
    queue.forEach(function (batch) {
      batch.due = now + randomMs(course.collector.delayMs);
      batch.lease = 0;
    });
    collector.save(queue);
    collector.schedule();
    window.addEventListener("pagehide", function () { collector.flushNow(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") collector.flushNow();
    });
    return collector;
  };

  Collector.prototype.note = function (message) {
    this.log.push(message);
    if (window.console) console.warn("course_builder collector: " + message);
  };

  Collector.prototype.queue = function () {
    var stored = storage.read(this.key);
    return stored === null ? this.memory : stored;
  };

  Collector.prototype.save = function (queue) {
    this.memory = queue;
    storage.write(this.key, queue);
  };

  /** One submitted form: [{meta, response}, ...] -> one batch of statements. */
  Collector.prototype.submit = function (answers) {
    var cfg = this.config, actor = uuid(), day = dayStamp(new Date());
    var statements = [];
    answers.forEach(function (answer) {
      var activity = cfg.questions[answer.meta.id];
      if (!activity) return;
      statements.push({
        id: uuid(),
        actor: { objectType: "Agent", account: { homePage: cfg.homePage, name: actor } },
        verb: cfg.verb,
        object: activity,
        result: { response: response(answer.response) },
        context: { revision: cfg.revision, language: cfg.language,
          contextActivities: { grouping: cfg.grouping || [cfg.course] } },
        timestamp: day
      });
    });
    if (!statements.length) return;
    var queue = this.queue(), now = Date.now();
    queue.push({ id: uuid(), made: now, due: now + randomMs(cfg.delayMs), tries: 0, lease: 0,
      statements: statements });
    this.save(queue);
    this.schedule();
  };

  /** Wake up when the next batch is due. */
  Collector.prototype.schedule = function () {
    var self = this, next = null;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.queue().forEach(function (batch) {
      if (next === null || batch.due < next) next = batch.due;
    });
    if (next === null) return;
    this.timer = setTimeout(function () { self.timer = null; self.sendDue(); },
      Math.max(0, next - Date.now()));
  };

  Collector.prototype.request = function (batch) {
    var body = JSON.stringify(batch.statements);
    return fetch(this.url, {
      method: "POST", mode: "cors", credentials: "omit", cache: "no-store",
      referrerPolicy: "no-referrer", keepalive: body.length < KEEPALIVE_BUDGET / 2,
      headers: { "Authorization": this.config.auth, "Content-Type": "application/json",
        "X-Experience-API-Version": this.config.version },
      body: body
    }).then(function (r) { return r.status; }, function () { return 0; });
  };

  /** Send the oldest due batch (one request at a time), then the next. */
  Collector.prototype.sendDue = function () {
    if (this.busy) return;
    var self = this, now = Date.now(), queue = this.queue();
    var batch = null;
    for (var i = 0; i < queue.length && !batch; i++) {
      if (queue[i].due <= now && now - (queue[i].lease || 0) > LEASE_MS) batch = queue[i];
    }
    if (!batch) { this.schedule(); return; }
    batch.lease = now;
    this.save(queue);
    this.busy = batch.id;
    this.request(batch).then(function (status) {
      self.busy = null;
      self.settle(batch.id, status);
      self.sendDue();
    });
  };

  /** What an answer from the collector means for a batch. */
  Collector.prototype.settle = function (id, status) {
    var queue = this.queue(), now = Date.now();
    var batch = null;
    queue.forEach(function (b) { if (b.id === id) batch = b; });
    if (!batch) return;  // sent by another tab meanwhile
    if ((status >= 200 && status < 300) || status === 409) {
      queue.splice(queue.indexOf(batch), 1);
    } else if (status === 0 || status === 408 || status === 429 || status >= 500) {
      var wait = RETRY_MS[Math.min(batch.tries, RETRY_MS.length - 1)];
      batch.tries++;
      batch.lease = 0;
      batch.due = now + Math.round(wait / 2) + randomMs(wait);
      this.note("batch " + id + ": " + (status ? "HTTP " + status : "no answer") +
        "; trying again later");
    } else {
      queue.splice(queue.indexOf(batch), 1);
      this.note("batch " + id + " refused with HTTP " + status + "; dropped");
    }
    this.save(queue);
  };

  /** The page is going away: send every batch not already on its way, now, with keepalive.
   * They stay queued until confirmed, so whatever does not arrive goes on the next launch. */
  Collector.prototype.flushNow = function () {
    var self = this, budget = KEEPALIVE_BUDGET, now = Date.now();
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    var queue = this.queue();
    queue.forEach(function (batch) {
      if (batch.id === self.busy || now - (batch.lease || 0) <= LEASE_MS) return;
      var size = JSON.stringify(batch.statements).length + 300;
      if (size > budget) return;
      budget -= size;
      batch.lease = now;
      self.busy = batch.id;
      self.request(batch).then(function (status) {
        if (self.busy === batch.id) self.busy = null;
        self.settle(batch.id, status);
      });
    });
    this.save(queue);
  };

  R.Collector = Collector;
  R.uuid = uuid;
})(window.__cb = window.__cb || {});
