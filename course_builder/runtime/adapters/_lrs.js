/* Talking to a Learning Record Store (xAPI 1.0.3), shared by the xapi and cmi5 adapters.
 *
 * Never lose a statement:
 *  - every statement gets its id here (UUID v4 from crypto.getRandomValues) and is kept in a
 *    localStorage queue (one per course, learner and registration) until the LRS accepts it;
 *  - statements go one at a time, oldest first, with PUT statements?statementId=<id>, so a resend
 *    of a statement the LRS already holds changes nothing (xAPI 1.0.3 Communication 2.1.1);
 *  - each statement goes only after the one before it was accepted, so the LRS stores them in
 *    the order they happened (cmi5 9.3: "initialized" first, "terminated" last);
 *  - network errors, 408, 429 and 5xx: retry with growing delays; 401/403: keep the statements
 *    for the next launch (new credentials); any other 4xx: the LRS will never accept it, so it is
 *    logged and dropped rather than retried forever. A cmi5 LMS answers 403 with the id of the
 *    rule a request broke (e.g. "8.1.2.0-2"): that refusal is final, logged and dropped;
 *  - requests use fetch(..., {keepalive: true}), which browsers finish after the page has gone;
 *    when the page closes, what is left goes in one request (see R.lrs.adapter's terminate);
 *    xAPI statements not confirmed are sent again on the next launch.
 * Every request carries X-Experience-API-Version: 1.0.3. Credentials come only from the launch
 * URL: nothing secret is ever written into a package. */
(function (R) {
  "use strict";
  var VERSION = "1.0.3";
  var BACKOFF_MS = [1000, 2000, 5000, 10000, 30000, 60000];
  var KEEPALIVE_BUDGET = 60000;  // browsers refuse keepalive bodies over 64 KiB in total
  // How long the course waits for the LRS (or the cmi5 fetch URL) before starting without it.
  var START_TIMEOUT_MS = 15000;
  // How long "Take a break" waits for the LRS to confirm the end of the session before leaving.
  var END_TIMEOUT_MS = 10000;

  var uuid = R.uuid;  // RFC 4122 version 4, from core/collector.js

  function launchParams(search) {
    var out = {};
    new URLSearchParams(search === undefined ? window.location.search : search)
      .forEach(function (value, key) { out[key] = value; });
    return out;
  }

  /** Tin Can launch actors may use the pre-1.0 form with arrays ({"mbox": ["mailto:..."]}). */
  function normalizeActor(actor) {
    if (!actor || typeof actor !== "object") return null;
    var first = function (v) { return Object.prototype.toString.call(v) === "[object Array]" ? v[0] : v; };
    var out = { objectType: "Agent" };
    if (first(actor.name)) out.name = String(first(actor.name));
    var account = first(actor.account);
    if (account) {
      out.account = {
        homePage: account.homePage || account.accountServiceHomePage,
        name: account.name || account.accountName
      };
    } else if (first(actor.mbox)) {
      out.mbox = first(actor.mbox);
    } else if (first(actor.mbox_sha1sum)) {
      out.mbox_sha1sum = first(actor.mbox_sha1sum);
    } else if (first(actor.openid)) {
      out.openid = first(actor.openid);
    } else {
      return null;
    }
    return out;
  }

  function parseActor(text) {
    try { return normalizeActor(JSON.parse(text)); } catch (e) { return null; }
  }

  var storage = {
    get: function (store, key) {
      try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
    },
    set: function (store, key, value) {
      try {
        if (value === null) store.removeItem(key);
        else store.setItem(key, JSON.stringify(value));
        return true;
      } catch (e) { return false; }
    }
  };

  function isArray(v) { return Object.prototype.toString.call(v) === "[object Array]"; }

  /** result.response for an interaction (xAPI 1.0.3 Data 2.4.4.1.1); mirrors
   * course_builder/targets/_xapi.py response_pattern. */
  function formatResponse(type, value) {
    if (type === "true-false") return value === true || value === "true" ? "true" : "false";
    if (type === "matching") {
      var pairs = isArray(value) ? value : String(value).split(",");
      return pairs.map(function (p) { return String(p).replace(".", "[.]"); }).join("[,]");
    }
    if (type === "numeric") return String(value).replace(":", "[:]");
    if (isArray(value)) return value.map(String).join("[,]");
    return String(value);
  }

  /** fetch with keepalive when the body fits the browser's keepalive quota. */
  function request(url, init) {
    init.credentials = "omit";
    init.cache = "no-store";
    if (!init.body || init.body.length < KEEPALIVE_BUDGET / 2) init.keepalive = true;
    try {
      return fetch(url, init).catch(function (err) {
        if (!init.keepalive) throw err;
        init.keepalive = false;  // over the shared quota: try once more as a plain request
        return fetch(url, init);
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** A GET or POST that is read, not queued: a promise of {status, body}, never rejected
   * (status 0 on a network error or after timeoutMs). Used only before the course starts. */
  function get(url, headers, timeoutMs, method) {
    return new Promise(function (resolve) {
      var settled = false;
      var finish = function (value) { if (!settled) { settled = true; resolve(value); } };
      setTimeout(function () { finish({ status: 0, body: "", timedOut: true }); },
        timeoutMs || START_TIMEOUT_MS);
      try {
        fetch(url, { method: method || "GET", headers: headers || {}, credentials: "omit",
          cache: "no-store" })
          .then(function (r) {
            return r.text().then(function (body) { finish({ status: r.status, body: body }); });
          })
          .catch(function () { finish({ status: 0, body: "" }); });
      } catch (e) {
        finish({ status: 0, body: "" });
      }
    });
  }

  /** A statement queue bound to one LRS endpoint and one localStorage key. */
  function Client(options) {
    this.endpoint = options.endpoint.replace(/\/?$/, "/");
    this.auth = options.auth || "";
    this.key = options.queueKey;
    this.log = options.log || [];
    this.queue = storage.get(window.localStorage, this.key) || [];
    this.busy = null;      // id of the statement in flight
    this.timer = null;
    this.attempt = 0;
    this.paused = false;
    this.idleWaiters = [];
    // cmi5: a 403 is the LMS refusing a request that broke a cmi5 rule, not bad credentials.
    this.refusalsAreFinal = !!options.refusalsAreFinal;
    this.stats = { sent: 0, dropped: 0, retried: 0 };
    this.report = function () {};  // the tracker's (adapter.js, Problems), given at start()
    this.failing = 0;               // answers in a row that said "try again later"
  }

  Client.prototype.note = function (message) {
    this.log.push(message);
    if (window.console) console.warn("course_builder LRS: " + message);
  };

  Client.prototype.headers = function (json) {
    var h = { "X-Experience-API-Version": VERSION };
    if (this.auth) h.Authorization = this.auth;
    if (json) h["Content-Type"] = "application/json";
    return h;
  };

  Client.prototype.save = function () {
    storage.set(window.localStorage, this.key, this.queue.length ? this.queue : null);
  };

  Client.prototype.url = function (resource, query) {
    var parts = [];
    Object.keys(query || {}).forEach(function (k) {
      if (query[k] !== undefined && query[k] !== null) {
        parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(query[k]));
      }
    });
    return this.endpoint + resource + (parts.length ? "?" + parts.join("&") : "");
  };

  /** Queue a statement (it must already have its id) and try to send it. */
  Client.prototype.send = function (statement) {
    this.queue.push(statement);
    this.save();
    this.flush();
    return statement.id;
  };

  Client.prototype.remove = function (id) {
    this.queue = this.queue.filter(function (s) { return s.id !== id; });
    this.save();
  };

  /** What to do with an answer: "done", "retry", "pause" or "drop". */
  function outcome(status) {
    if (status >= 200 && status < 300) return "done";
    if (status === 409) return "done";  // the LRS already holds a statement with this id
    if (status === 401 || status === 403) return "pause";  // see Client.handle
    if (status === 0 || status === 408 || status === 429 || status >= 500) return "retry";
    return "drop";
  }

  Client.prototype.handle = function (statement, status, body) {
    var what = outcome(status);
    if (what === "pause" && status === 403 && this.refusalsAreFinal && !this.dropOnAuthError) {
      what = "drop";
    }
    if (what === "done") {
      this.stats.sent++;
      this.remove(statement.id);
      if (this.failing) { this.failing = 0; this.report("ok"); }
    } else if (what === "drop") {
      this.stats.dropped++;
      this.note("statement " + statement.id + " (" + statement.verb.id + ") refused with HTTP " +
        status + (body ? ": " + String(body).slice(0, 300) : "") + "; dropped");
      this.remove(statement.id);
    } else if (what === "pause") {
      this.paused = true;
      this.note("the LRS refused the credentials (HTTP " + status + "); " + this.queue.length +
        " statement(s) kept for the next launch");
      this.report("refused");
    }
    return what;
  };

  /** True when nothing is on its way and nothing more will go by itself: the queue is empty,
   * or waits for new credentials. (A retry timer still counts as work to come.) */
  Client.prototype.idle = function () {
    return !this.busy && !this.timer && (!this.queue.length || this.paused);
  };

  /** Call back once the client is idle (at once if it is). */
  Client.prototype.whenIdle = function (callback) {
    if (this.idle()) callback();
    else this.idleWaiters.push(callback);
  };

  Client.prototype.notifyIdle = function () {
    if (!this.idle()) return;
    var waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach(function (callback) { callback(); });
  };

  /** Send the queue, oldest first, one at a time: the next statement leaves only when the LRS
   * has answered for the one before it. */
  Client.prototype.flush = function () {
    if (this.busy || this.timer || this.paused || !this.queue.length) {
      this.notifyIdle();
      return;
    }
    var self = this, statement = this.queue[0];
    this.busy = statement.id;
    var done = function (status, body) {
      self.busy = null;
      var what = self.handle(statement, status, body);
      if (what === "retry") {
        self.stats.retried++;
        if (++self.failing === 2) self.report("failing");
        var delay = BACKOFF_MS[Math.min(self.attempt++, BACKOFF_MS.length - 1)];
        self.timer = setTimeout(function () { self.timer = null; self.flush(); }, delay);
      } else {
        if (what !== "pause") self.attempt = 0;
        self.flush();
      }
    };
    // keepalive: a request already on its way survives the page closing or navigating away.
    request(this.url("statements", { statementId: statement.id }), {
      method: "PUT", headers: this.headers(true), body: JSON.stringify(statement)
    }).then(function (r) {
      if (r.status >= 400 && r.status < 500) {
        return r.text().then(function (text) { done(r.status, text); }, function () { done(r.status); });
      }
      done(r.status);
    }, function () { done(0); });
  };

  /** The page is going away: send `statements` (from the queue, oldest first) in ONE request,
   * so the LRS gets them together and in order, with keepalive so it outlives the page. They
   * stay queued until confirmed (a Tin Can launch sends what is left again next time). */
  Client.prototype.sendNow = function (statements) {
    if (this.paused || !statements.length) return;
    var self = this, one = statements.length === 1;
    var body = JSON.stringify(one ? statements[0] : statements);
    request(one ? this.url("statements", { statementId: statements[0].id }) : this.url("statements"), {
      method: one ? "PUT" : "POST", headers: this.headers(true), body: body
    }).then(function (r) {
      if (outcome(r.status) === "done") statements.forEach(function (s) { self.remove(s.id); });
    }, function () { /* left for the next launch */ });
  };

  /** The page is going away: send everything left, in parallel, with keepalive. Statements stay
   * queued until the LRS confirms them, so anything lost here is sent on the next launch. */
  Client.prototype.flushNow = function () {
    if (this.paused) return;
    var self = this, budget = KEEPALIVE_BUDGET;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.queue.slice().forEach(function (statement) {
      if (statement.id === self.busy) return;  // already on its way
      var body = JSON.stringify(statement);
      budget -= body.length + 200;
      if (budget < 0) return;
      request(self.url("statements", { statementId: statement.id }), {
        method: "PUT", headers: self.headers(true), body: body
      }).then(function (r) {
        if (outcome(r.status) !== "retry") self.handle(statement, r.status);
      }, function () { /* left for the next launch */ });
    });
  };

  /** GET a State document (JSON), asynchronously: a promise of {status, data}, never
   * rejected (status 0 when the LRS cannot be reached or does not answer in time). 404 means
   * "none yet". Read while the course prepares to start (see R.lrs.adapter's prepare()). */
  Client.prototype.getState = function (query, timeoutMs) {
    return get(this.url("activities/state", query), this.headers(false), timeoutMs)
      .then(function (r) {
        var data = null;
        if (r.status === 200 && r.body) {
          try { data = JSON.parse(r.body); } catch (e) { data = null; }
        }
        return { status: r.status, data: data };
      });
  };

  /** PUT a State document; the latest wins, one request at a time. */
  Client.prototype.putState = function (query, document, onDone) {
    request(this.url("activities/state", query), {
      method: "PUT", headers: this.headers(true), body: JSON.stringify(document)
    }).then(function (r) {
      if (onDone) onDone(r.status >= 200 && r.status < 300, r.status);
    }, function () { if (onDone) onDone(false, 0); });
  };

  /** Round a percentage (0-100) to the xAPI score object (scaled 0..1). */
  function score(percent) {
    return { scaled: Math.round(percent * 100) / 10000, raw: percent, min: 0, max: 100 };
  }

  R.lrs = {
    VERSION: VERSION,
    uuid: uuid,
    launchParams: launchParams,
    parseActor: parseActor,
    normalizeActor: normalizeActor,
    formatResponse: formatResponse,
    score: score,
    storage: storage,
    get: get,
    Client: Client
  };

  function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

  /** Add activities to context.contextActivities[kind] without touching what is there (cmi5:
   * the AU may add to the LMS's context template but must not overwrite it). */
  function addActivities(context, kind, activities) {
    context.contextActivities = context.contextActivities || {};
    var list = context.contextActivities[kind];
    if (list && !isArray(list)) list = [list];
    list = list || [];
    activities.forEach(function (a) {
      if (a && !list.some(function (b) { return b.id === a.id; })) list.push(a);
    });
    if (list.length) context.contextActivities[kind] = list;
  }

  /** An activity as context: id, type and name (the full definition travels as an object). */
  function ref(activity) {
    var out = { objectType: "Activity", id: activity.id };
    if (activity.definition) {
      out.definition = { type: activity.definition.type };
      if (activity.definition.name) out.definition.name = activity.definition.name;
    }
    return out;
  }

  /** Remove the localStorage queues under `prefix` other than `keep` (cmi5: statements of a
   * session that has ended, which no LMS will accept any more). */
  function dropOtherSessions(prefix, keep, log) {
    try {
      var store = window.localStorage, stale = [];
      for (var i = 0; i < store.length; i++) {
        var key = store.key(i);
        if (key && key.indexOf(prefix) === 0 && key !== keep) stale.push(key);
      }
      stale.forEach(function (key) {
        var queue = storage.get(store, key) || [];
        log.push(queue.length + " statement(s) of an ended cmi5 session dropped (" + key + ")");
        store.removeItem(key);
      });
    } catch (e) { /* storage unavailable: nothing kept, nothing to drop */ }
  }

  /**
   * The tracking adapter both LRS formats share (see tracker.js for the interface).
   *
   * launch: {endpoint, auth, actor, registration, activityId, log,
   *          cmi5: null | {contextTemplate, launchMode, masteryScore, moveOn, returnURL},
   *          scope: null | module slug (cmi5, one AU per module: the session is that module),
   *          onTerminated: null | function called when "terminated" leaves for the LRS}
   *
   * Nothing is read synchronously: prepare() reads the saved progress from the State API and
   * returns a promise; boot.js starts the course when it settles, and start() hands over what
   * prepare() read (or, if the LRS did not answer, this browser's own copy).
   */
  R.lrs.adapter = function (course, launch) {
    var x = course.xapi, lang = course.language, log = launch.log || [];
    var cmi5 = launch.cmi5;
    // cmi5 9.10: Browse and Review launches are never judged, and do not change saved progress.
    var tracking = !cmi5 || cmi5.launchMode === "Normal";
    var actor = launch.actor;
    var who = JSON.stringify(actor.account || actor.mbox || actor.mbox_sha1sum || actor.openid);
    var moduleIndex = -1;
    if (launch.scope) {
      course.modules.forEach(function (m, i) { if (m.slug === launch.scope) moduleIndex = i; });
    }
    // One queue and one local copy of the progress per course, learner, registration and (with
    // one cmi5 AU per module) module: each AU keeps its own.
    var scope = course.id + "|" + who + "|" + (launch.registration || "-") +
      (moduleIndex >= 0 ? "|" + launch.scope : "");
    // cmi5: statements belong to one session (its id is in every context, and the LMS refuses
    // anything for a session once it has ended), so the queue is the session's own and what an
    // earlier session left behind can never be delivered: it is dropped, and logged.
    var queueKey = "course_builder:lrs-queue:" + scope;
    if (cmi5) {
      var sessionId = (cmi5.contextTemplate && cmi5.contextTemplate.extensions || {})[x.cmi5.session];
      queueKey += "|session:" + (sessionId || "-");
      dropOtherSessions("course_builder:lrs-queue:" + scope + "|session:", queueKey, log);
    }
    var client = new Client({ endpoint: launch.endpoint, auth: launch.auth, log: log,
      queueKey: queueKey, refusalsAreFinal: !!cmi5 });
    var stateKey = "course_builder:lrs-state:" + scope;
    var stateQuery = { stateId: x.stateId, activityId: launch.activityId,
      agent: JSON.stringify(actor), registration: launch.registration || undefined };
    var courseActivity = clone(x.course);
    // A variant of the course (docs/variants.md): its own activity, launched in its Tin Can
    // package and, with the course, in the grouping of every statement; its id in an extension.
    var variantActivity = x.variant ? clone(x.variant.activity) : null;
    var launchActivity = { objectType: "Activity", id: launch.activityId };
    if (launch.activityId === courseActivity.id) launchActivity = courseActivity;
    if (variantActivity && launch.activityId === variantActivity.id) launchActivity = variantActivity;
    var doc = { v: 1, location: "", suspend: "", completion: null, success: null, score: null,
      sent: {} };
    // The publisher id of this module's AU (the LMS's context template should carry it too):
    // it tells reports which module AU a statement belongs to.
    var unitActivity = moduleIndex >= 0 && x.moduleAus
      ? { objectType: "Activity", id: x.moduleAus[moduleIndex] } : null;
    var remote = null;  // what prepare() read from the State API
    // Revision marks of the State documents this browser wrote (and the one it found at
    // launch): a copy the LRS never confirmed replaces the LRS's document at the next launch
    // only when that document is one of these, never when another device wrote it since.
    var revs = [], revBase = R.uuid().slice(0, 8);
    var stateRefused = false, stateFailing = 0;
    var seq = 0, confirmed = 0, stateBusy = false, stateAgain = false, stateWaiters = [];
    var confirmedDoc = null;  // the document as the LRS last confirmed it (JSON text)
    var page = null, score = null, startedAt = Date.now();
    var terminated = false, pendingFailed = false;

    function verb(name) { return { id: x.verbs[name], display: { "en-US": name } }; }

    function context(parentModule) {
      var c = cmi5 ? clone(cmi5.contextTemplate) || {} : {};
      if (launch.registration) c.registration = launch.registration;
      c.language = lang;
      if (parentModule !== undefined && parentModule !== null) {
        addActivities(c, "parent", [ref(x.modules[parentModule])]);
      }
      addActivities(c, "grouping", unitActivity ? [ref(courseActivity), unitActivity]
        : [ref(courseActivity)]);
      if (variantActivity) {
        addActivities(c, "grouping", [ref(variantActivity)]);
        c.extensions = c.extensions || {};
        c.extensions[x.variant.extension] = x.variant.id;
      }
      return c;
    }

    function make(verbName, object, result, ctx, when) {
      var s = { id: uuid(), actor: actor, verb: verb(verbName), object: object,
        timestamp: (when || new Date()).toISOString(), context: ctx };
      if (result) s.result = result;
      return s;
    }

    /** A cmi5-defined statement (or its Tin Can equivalent): the launch activity as object. */
    function defined(verbName, result, moveOn) {
      client.send(definedStatement(verbName, result, moveOn));
    }

    function definedStatement(verbName, result, moveOn) {
      var ctx = context(null);
      if (cmi5) {
        var categories = [{ objectType: "Activity", id: x.cmi5.category }];
        if (moveOn) categories.push({ objectType: "Activity", id: x.cmi5.moveOnCategory });
        addActivities(ctx, "category", categories);
        if ((verbName === "passed" || verbName === "failed") && typeof cmi5.masteryScore === "number") {
          ctx.extensions = ctx.extensions || {};
          ctx.extensions[x.cmi5.masteryScore] = cmi5.masteryScore;
        }
      }
      return make(verbName, launchActivity, result, ctx);
    }

    // Durations count from the tracker's one session clock (start() is given its start), so
    // they never go backwards: "failed" and "terminated" at the end share one reading.
    function elapsed() { return R.time.duration(Date.now() - startedAt); }

    /** Save the State document: this browser's copy first, then the LRS (one PUT at a time,
     * the latest wins). No answer or 5xx: tried again with growing delays. 401/403, or 409/412
     * (another writer: xAPI 1.0.3 Communication 2.2 concurrency): refused for this session;
     * the copy stays here for the next launch (see start()). */
    function saveState() {
      if (!tracking) return;
      seq++;
      doc.rev = revBase + "." + seq;
      revs.push(doc.rev);
      if (revs.length > 50) revs.splice(0, revs.length - 50);
      var text = JSON.stringify(doc);
      var snapshot = { seq: seq, doc: JSON.parse(text), revs: revs };
      storage.set(window.localStorage, stateKey, snapshot);
      if (stateRefused) return;  // kept here for the next launch
      if (stateBusy) { stateAgain = true; return; }  // one PUT at a time; the latest wins
      stateBusy = true;
      client.putState(stateQuery, snapshot.doc, function (ok, status) {
        stateBusy = false;
        if (ok && snapshot.seq > confirmed) { confirmed = snapshot.seq; confirmedDoc = text; }
        if (ok && confirmed >= seq) {
          var stored = storage.get(window.localStorage, stateKey);
          if (stored && stored.seq <= confirmed) stored.confirmed = true;
          storage.set(window.localStorage, stateKey, stored);
        }
        if (ok && stateFailing) { stateFailing = 0; client.report("ok"); }
        if (!ok && /^(401|403|409|412)$/.test(String(status))) {
          stateRefused = true;
          client.note("state: HTTP " + status + "; this browser keeps the progress");
          client.report("refused");
        } else if (!ok && !terminated) {
          if (++stateFailing === 2) client.report("failing");
          setTimeout(function () { if (!stateBusy && !terminated) saveState(); },
            BACKOFF_MS[Math.min(stateFailing - 1, BACKOFF_MS.length - 1)]);
        }
        if (stateAgain) { stateAgain = false; saveState(); return; }
        var waiters = stateWaiters;
        stateWaiters = [];
        waiters.forEach(function (callback) { callback(); });
      });
    }

    /** Call back once no State request is on its way (at once if none is). */
    function whenStateSettled(callback) {
      if (!stateBusy) callback();
      else stateWaiters.push(callback);
    }

    /** The State document holds changes the LRS has not confirmed. */
    function stateUnsaved() {
      return tracking && (stateBusy || JSON.stringify(doc) !== confirmedDoc);
    }

    /** End the session in order (the page stays): statements queued so far go first, then the
     * last State save, and "terminated" only once every one of them has been answered, so
     * nothing reaches the LMS after it (cmi5 8.1.2.0-2: the LMS refuses any request for a
     * session once "terminated" is recorded). A promise, settled when "terminated" has been
     * answered, or after END_TIMEOUT_MS whatever happened. */
    function endInOrder(final, end) {
      return new Promise(function (resolve) {
        var settled = false;
        var finish = function () { if (!settled) { settled = true; resolve(); } };
        setTimeout(finish, END_TIMEOUT_MS);
        final.forEach(function (statement) { client.send(statement); });
        saveState();
        client.whenIdle(function () {
          whenStateSettled(function () {
            client.whenIdle(function () {
              if (ending.sent) return;
              ending.sent = true;
              client.send(end);
              if (launch.onTerminated) launch.onTerminated();
              client.whenIdle(finish);
            });
          });
        });
      });
    }

    /** End the session now: the page is going away and no answer will be read. What is left
     * goes in one request, "terminated" last within it. If a statement or a State save is still
     * on its way, "terminated" could overtake it, so under cmi5 it is not sent: the LMS then
     * records the session as abandoned (cmi5 9.3.6) instead of refusing the late request. */
    function endNow(final, end) {
      if (ending.sent) return;
      final.forEach(function (statement) { client.queue.push(statement); });
      client.save();
      var unsaved = stateUnsaved();
      if (unsaved && !stateBusy && !stateRefused) {
        client.putState(stateQuery, JSON.parse(JSON.stringify(doc)), null);
      }
      var rest = client.queue.filter(function (st) { return st.id !== client.busy; });
      if (cmi5 && (unsaved || client.busy)) {
        log.push("page closed while a request was on its way: \"terminated\" not sent");
        client.sendNow(rest);
        return;
      }
      ending.sent = true;
      client.queue.push(end);
      client.save();
      client.sendNow(rest.concat([end]));
      if (launch.onTerminated) launch.onTerminated();
    }

    var ending = { final: null, end: null, sent: false };

    var adapter = {
      name: cmi5 ? "cmi5" : "xapi",
      statuses: "split",
      log: log,
      client: client,
      launch: launch,
      exitUrl: cmi5 && cmi5.returnURL ? cmi5.returnURL : undefined,
      /** Read the saved progress (State API) before the course starts. */
      prepare: function () {
        return client.getState(stateQuery).then(function (r) { remote = r; });
      },
      pending: function () { return client.queue.length; },
      start: function (sessionStartedAt, report) {
        if (sessionStartedAt) startedAt = sessionStartedAt;
        if (report) client.report = report;
        if (!remote) remote = { status: 0, data: null };  // prepare() was not waited for
        var local = storage.get(window.localStorage, stateKey);
        var first = true;
        var unreachable = remote.status !== 200 && remote.status !== 404;
        var held = remote.status === 200 && remote.data && remote.data.v === 1 ? remote.data : null;
        revs = local && local.revs ? local.revs.slice() : [];
        if (held) {
          doc = held;
          doc.sent = doc.sent || {};
          confirmedDoc = JSON.stringify(doc);
          first = false;
          if (doc.rev && revs.indexOf(doc.rev) < 0) revs.push(doc.rev);
        }
        if (local && local.doc && !local.confirmed) {
          // A copy the LRS never confirmed replaces what the LRS holds when that is one of this
          // browser's own revisions (or nothing): the LRS is behind. Never over a document
          // written elsewhere since.
          var behind = !held || (held.rev && (local.revs || []).indexOf(held.rev) >= 0);
          if (behind || unreachable) { doc = local.doc; first = false; }
          else {
            log.push("state: the LRS holds progress saved elsewhere since; this browser's " +
              "unconfirmed copy is dropped");
            local.confirmed = true;
          }
        } else if (unreachable && local && local.doc) {
          doc = local.doc;  // the LRS cannot be reached: carry on from this browser's copy
          first = false;
        }
        doc.sent = doc.sent || {};
        if (remote.status !== 200 && remote.status !== 404) {
          log.push("state: " + (remote.status ? "HTTP " + remote.status : "no answer"));
        }
        if (local && local.doc && !local.confirmed && tracking) saveState();
        client.flush();      // statements left from an earlier launch go first
        defined("initialized", null, false);
        var info = {
          learner: scope,
          connected: true, firstLaunch: first, completion: doc.completion, success: doc.success,
          lesson: null, location: doc.location || "", suspend: doc.suspend || "",
          // cmi5 launchMode: Browse and Review record nothing (cmi5 10.2.2); the tracker
          // then writes nothing and this adapter sends "initialized" and "terminated" only.
          mode: tracking ? "normal" : cmi5.launchMode === "Browse" ? "browse" : "review",
          score: tracking ? null : typeof doc.score === "number" ? doc.score : null
        };
        if (typeof launch.passMark === "number") info.passMark = launch.passMark;
        if (moduleIndex >= 0) info.scope = launch.scope;
        return info;
      },
      setLocation: function (id) {
        if (terminated) return;
        doc.location = id;
        var info = x.pages[id];
        if (!info) return;
        page = id;
        var ctx = context(info.module);
        client.send(make("experienced", info.activity, null, ctx));
      },
      setSuspend: function (text) { doc.suspend = text; },
      setProgress: function (fraction) { doc.progress = Math.round(fraction * 1000) / 1000; },
      setScore: function (percent) { score = percent; doc.score = percent; },
      setCompletion: function (value) {
        if (terminated || !tracking) return;
        if (value !== "completed") {
          doc.completion = doc.completion || value;
          return;
        }
        if (doc.sent.completed) return;  // cmi5 9.10: at most one completed per registration
        doc.sent.completed = true;
        doc.completion = "completed";
        defined("completed", { completion: true, duration: elapsed() }, true);
        saveState();
      },
      setSuccess: function (value) {
        if (terminated || !tracking || doc.sent.passed) return;  // nothing after passed
        if (value === "passed") {
          pendingFailed = false;
          doc.sent.passed = true;
          doc.success = "passed";
          var result = { success: true, duration: elapsed() };
          if (score !== null) result.score = R.lrs.score(score);
          defined("passed", result, true);
          saveState();
        } else if (value === "failed") {
          if (cmi5) {
            // cmi5 9.10: at most one of passed/failed per session. A learner who fails and then
            // passes in the same session has passed: failed waits until the session ends.
            pendingFailed = true;
          } else {
            doc.success = "failed";
            var r = { success: false, duration: elapsed() };
            if (score !== null) r.score = R.lrs.score(score);
            defined("failed", r, true);
            saveState();
          }
        }
      },
      record: function (meta, value, correct, latencyMs, when) {
        if (terminated) return;
        var activity = x.questions[meta.id];
        if (!activity) return;
        var result = { response: formatResponse(activity.definition.interactionType, value) };
        if (correct !== null && correct !== undefined) result.success = !!correct;
        if (latencyMs !== null && latencyMs !== undefined && latencyMs >= 0) {
          result.duration = R.time.duration(latencyMs);
        }
        var info = page ? x.pages[page] : null;
        client.send(make("answered", activity, result, context(info ? info.module : null), when));
      },
      setExit: function () { /* the session's duration is measured when it ends */ },
      commit: function () {
        if (terminated) return false;
        saveState();
        client.flush();
        return true;
      },
      /** The session's end: "failed" if it is still owed (cmi5), then "terminated", with one
       * reading of the session clock for both. options.unloading: the page is going away (see
       * endNow); otherwise everything is sent in order and a promise is returned (endInOrder). */
      terminate: function (options) {
        if (terminated) return null;
        terminated = true;  // from here the course's setters send nothing
        var ms = Date.now() - startedAt, final = [];
        if (pendingFailed && !doc.sent.passed && tracking) {
          doc.success = "failed";
          var r = { success: false, duration: R.time.duration(ms) };
          if (score !== null) r.score = R.lrs.score(score);
          final.push(definedStatement("failed", r, true));
        }
        var end = definedStatement("terminated", { duration: R.time.duration(ms) }, false);
        ending.final = final;
        ending.end = end;
        if (options && options.unloading) {
          endNow(final, end);
          return null;
        }
        return endInOrder(final, end);
      },
      /** The page is going away after terminate() began in order: send what it has not yet. */
      unloading: function () {
        if (!terminated || ending.sent || !ending.end) return;
        endNow([], ending.end);
      }
    };
    return adapter;
  };
})(window.__cb = window.__cb || {});
