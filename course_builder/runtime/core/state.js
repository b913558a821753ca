/* course_builder runtime: saved-state encoding (format version 1).
 *
 *   1~<fingerprint>~<bookmark>~<seen>~<block>=<state>*<block>=<state>...
 *
 * fingerprint  4 base-36 characters naming the course structure (pages and stateful blocks).
 * bookmark     index of the current page, base 36.
 * seen         pages seen, a bit per page, 6 bits per base64url character (page 0 = lowest bit
 *              of the first character).
 * block=state  a stateful block's position among stateful blocks (base 36) and the string its
 *              plugin stored (characters A-Z a-z 0-9 . _ - only), in ascending order.
 * Documented in docs/saved-state.md; decoded by `course-builder decode-state`.
 * The Python side (course_builder/state.py) mirrors this and computes the worst-case length.
 *
 * Decoding is strict, as state.py's parse() is: a string this course could not have written is
 * not read at all (never half-read): it comes back as {unreadable: why}, and the tracker keeps
 * it in the LMS untouched until the learner chooses to start afresh (tracker.js, "held"). */
(function (R) {
  "use strict";
  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var SAFE = /^[A-Za-z0-9._-]*$/;
  var NUMBER = /^(0|[1-9a-z][0-9a-z]{0,5})$/;
  var ENTRY = /^(0|[1-9a-z][0-9a-z]{0,5})=([A-Za-z0-9._-]+)$/;
  var VERSION = "1";

  function encodeSeen(seen, pageCount) {
    var out = "";
    for (var i = 0; i < pageCount; i += 6) {
      var bits = 0;
      for (var j = 0; j < 6 && i + j < pageCount; j++) {
        if (seen[i + j]) bits |= 1 << j;
      }
      out += B64.charAt(bits);
    }
    return out;
  }

  /** The seen flags, or null when the field is not exactly what encodeSeen writes. */
  function decodeSeen(text, pageCount) {
    if (text.length !== Math.ceil(pageCount / 6)) return null;
    var seen = [];
    for (var c = 0; c < text.length; c++) {
      var bits = B64.indexOf(text.charAt(c));
      if (bits < 0) return null;
      for (var j = 0; j < 6; j++) {
        var page = c * 6 + j, on = ((bits >> j) & 1) === 1;
        if (page < pageCount) seen.push(on);
        else if (on) return null;  // a page this course does not have
      }
    }
    return seen;
  }

  R.State = {
    isSafe: function (value) { return typeof value === "string" && SAFE.test(value); },
    /** state: {bookmark: int, seen: [bool], blocks: {index: string}} */
    encode: function (state, fingerprint, pageCount) {
      var entries = [];
      Object.keys(state.blocks).map(Number).sort(function (a, b) { return a - b; })
        .forEach(function (index) {
          var value = state.blocks[index];
          if (value !== null && value !== undefined && value !== "") {
            entries.push(index.toString(36) + "=" + value);
          }
        });
      return [VERSION, fingerprint, state.bookmark.toString(36),
        encodeSeen(state.seen, pageCount), entries.join("*")].join("~");
    },
    /** {empty: true}, {bookmark, seen, blocks}, or {unreadable: why} where why is "newer" (a
     * later format), "other" (another version of the course, or another course) or "damaged"
     * (cut short or changed: not something this course writes). blockCount: the number of
     * stateful blocks. */
    decode: function (text, fingerprint, pageCount, blockCount) {
      if (!text) return { empty: true };
      var parts = String(text).split("~");
      if (/^\d+$/.test(parts[0]) && parts[0] !== VERSION && parts.length > 1 &&
          parseInt(parts[0], 10) > 1) {
        return { unreadable: "newer" };
      }
      if (parts.length !== 5 || parts[0] !== VERSION) return { unreadable: "damaged" };
      if (parts[1] !== fingerprint) return { unreadable: "other" };
      var seen = decodeSeen(parts[3], pageCount);
      if (!NUMBER.test(parts[2]) || seen === null) return { unreadable: "damaged" };
      var bookmark = parseInt(parts[2], 36);
      if (bookmark >= pageCount) return { unreadable: "damaged" };
      var blocks = {}, last = -1, entries = parts[4] ? parts[4].split("*") : [];
      for (var i = 0; i < entries.length; i++) {
        var m = ENTRY.exec(entries[i]);
        var index = m ? parseInt(m[1], 36) : -1;
        if (!m || index <= last || index >= blockCount) return { unreadable: "damaged" };
        blocks[index] = m[2];
        last = index;
      }
      return { bookmark: bookmark, seen: seen, blocks: blocks };
    }
  };
})(window.__cb = window.__cb || {});
