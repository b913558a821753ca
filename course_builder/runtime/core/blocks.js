/* course_builder runtime: the API content-type plugins use.
 *
 *   CB.registerBlock("quiz", { mount: function (el, data, api) { ... },
 *                              checkState: function (text, data) { return true; } });
 *
 * checkState (optional): whether a saved state string is one this block could have written
 * (the right length and alphabet for `data`). The runtime asks before handing saved state to
 * mount(): a block whose saved state fails the check starts afresh (api.state.get() gives
 * null), and the saved string is kept as it was, written back unchanged, until the block saves
 * a new one. Saved data is never half-read.
 *
 * api.state.get() / api.state.set(string)   the block's saved state (A-Z a-z 0-9 . _ - only)
 * api.record(interactionId, response, correct, latencyMs)
 *                                           one answered question; response is a list of
 *                                           choice ids, "true"/"false", a number or text
 * api.submitAnonymous([[interactionId, response], ...])
 *                                           answers to anonymous interactions, sent together
 *                                           as one submission to the course owner's evaluation
 *                                           collector (never to the LMS); see collector.js
 * api.setScore(raw, max)                    the block's score (the best attempt counts)
 * api.complete()                            the block is finished (for completion.require)
 * api.announce(message)                     read out by screen readers
 * api.t(key, params)                        the words for this plugin's message `key` (declared
 *                                           in its ContentType's `messages`) in the package's
 *                                           language, {name} marks filled from params
 * api.resumed                               true when the learner is coming back
 * api.connected                             false when no LMS or LRS records this visit
 *                                           (the web build, a package opened on its own)
 * api.recording                             false in browse and review: nothing this visit
 *                                           does is recorded or sent (anonymous answers included)
 * api.shownAt()                             when the block's page was last shown (ms since
 *                                           1970, as Date.now()), or null before it first is
 * api.onShow(callback)                      callback(shownAt) each time the block's page is
 *                                           shown (on the course's first page: at start)
 * Latency (the latencyMs of api.record) is the time from when the question was made available
 * to the learner (SCORM 2004 RTE, cmi.interactions.n.latency): measure it from api.shownAt(),
 * or from when the block itself revealed the question, whichever is later; never from when
 * the course loaded. */
(function (R, CB) {
  "use strict";
  var types = {};
  var shown = {};      // block key -> when its page was last shown
  var onShow = {};     // block key -> [callback]
  var pageBlocks = {}; // page index -> [block key]

  CB.registerBlock = function (type, definition) {
    if (!definition || typeof definition.mount !== "function") {
      throw new Error("CB.registerBlock('" + type + "'): needs a mount(el, data, api) function");
    }
    types[type] = definition;
  };

  /** Saved state the block's own check accepts (true when the block has no check). */
  function readable(definition, text, data) {
    if (typeof definition.checkState !== "function") return true;
    try { return definition.checkState(text, data) === true; } catch (e) { return false; }
  }

  R.mountBlocks = function (root, course, tracker, announce) {
    course.blocks.forEach(function (block) {
      var definition = types[block.type];
      if (!definition) return;  // a content type with no JavaScript
      var el = root.querySelector('[data-block="' + block.key + '"]');
      if (!el) return;
      (pageBlocks[block.page] = pageBlocks[block.page] || []).push(block.key);
      onShow[block.key] = [];
      var saved = block.stateIndex >= 0 ? tracker.blockState(block.stateIndex) : null;
      if (saved !== null && !readable(definition, saved, block.data)) {
        tracker.rejectBlockState(block.stateIndex, block.type);
      }
      var api = {
        key: block.key,
        resumed: tracker.resumed,
        connected: !!tracker.connected,
        recording: tracker.recording !== false,
        state: {
          get: function () {
            return block.stateIndex >= 0 ? tracker.blockState(block.stateIndex) : null;
          },
          set: function (value) {
            if (block.stateIndex < 0) throw new Error(block.type + " declared no saved state");
            tracker.setBlockState(block.stateIndex, value);
          }
        },
        record: function (interactionId, response, correct, latencyMs) {
          tracker.record(interactionId, response, correct, latencyMs);
        },
        submitAnonymous: function (answers) { tracker.submitAnonymous(answers); },
        setScore: function (raw, max) { tracker.setBlockScore(block.key, raw, max); },
        complete: function () { tracker.completeBlock(block.key); },
        commit: function (reason) { tracker.commit(reason || block.type); },
        announce: announce,
        t: function (key, params) { return R.t(block.type + "." + key, params); },
        shownAt: function () { return shown[block.key] || null; },
        onShow: function (callback) { onShow[block.key].push(callback); }
      };
      try {
        definition.mount(el, block.data, api);
      } catch (err) {
        // One broken block must not stop the course; the rest still works and tracks.
        if (window.console) console.error("course_builder: block " + block.key + " failed", err);
      }
    });
  };

  /** The navigator has shown page `pageIndex`: its blocks are now on the learner's screen. */
  R.blocksShown = function (pageIndex) {
    var now = Date.now();
    (pageBlocks[pageIndex] || []).forEach(function (key) {
      shown[key] = now;
      onShow[key].forEach(function (callback) {
        try { callback(now); } catch (err) {
          if (window.console) console.error("course_builder: block " + key + " onShow failed", err);
        }
      });
    });
  };
})(window.__cb = window.__cb || {}, window.CB = window.CB || {});
