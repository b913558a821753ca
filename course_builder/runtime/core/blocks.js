/* course_builder runtime: the API content-type plugins use.
 *
 *   CB.registerBlock("quiz", { mount: function (el, data, api) { ... } });
 *
 * api.state.get() / api.state.set(string)   the block's saved state (A-Z a-z 0-9 . _ - only)
 * api.record(interactionId, response, correct, latencyMs)
 *                                           one answered question; response is a list of
 *                                           choice ids, "true"/"false", a number or text
 * api.setScore(raw, max)                    the block's score (the best attempt counts)
 * api.complete()                            the block is finished (for completion.require)
 * api.announce(message)                     read out by screen readers
 * api.resumed                               true when the learner is coming back */
(function (CB) {
  "use strict";
  var types = {};

  CB.registerBlock = function (type, definition) {
    if (!definition || typeof definition.mount !== "function") {
      throw new Error("CB.registerBlock('" + type + "'): needs a mount(el, data, api) function");
    }
    types[type] = definition;
  };

  CB.mountBlocks = function (root, course, tracker, announce) {
    course.blocks.forEach(function (block) {
      var definition = types[block.type];
      if (!definition) return;  // a content type with no JavaScript
      var el = root.querySelector('[data-block="' + block.key + '"]');
      if (!el) return;
      var api = {
        key: block.key,
        resumed: tracker.resumed,
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
        setScore: function (raw, max) { tracker.setBlockScore(block.key, raw, max); },
        complete: function () { tracker.completeBlock(block.key); },
        commit: function (reason) { tracker.commit(reason || block.type); },
        announce: announce
      };
      try {
        definition.mount(el, block.data, api);
      } catch (err) {
        // One broken block must not stop the course; the rest still works and tracks.
        if (window.console) console.error("course_builder: block " + block.key + " failed", err);
      }
    });
  };
})(window.CB = window.CB || {});
