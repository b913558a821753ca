/* course_builder runtime: saved-state encoding (format version 1).
 *
 *   1~<fingerprint>~<bookmark>~<seen>~<block>=<state>*<block>=<state>...
 *
 * fingerprint  4 base-36 characters naming the course structure; a different course version
 *              keeps only the bookmark.
 * bookmark     index of the current page, base 36.
 * seen         pages seen, a bit per page, 6 bits per base64url character (page 0 = lowest bit
 *              of the first character).
 * block=state  a stateful block's position among stateful blocks (base 36) and the string its
 *              plugin stored (characters A-Z a-z 0-9 . _ - only).
 * Documented in docs/saved-state.md; decoded by `course-builder decode-state`.
 * The Python side (course_builder/state.py) mirrors this and computes the worst-case length. */
(function (CB) {
  "use strict";
  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var SAFE = /^[A-Za-z0-9._-]*$/;

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

  function decodeSeen(text, pageCount) {
    var seen = [];
    for (var i = 0; i < pageCount; i++) {
      var bits = B64.indexOf(text.charAt(Math.floor(i / 6)));
      seen.push(bits >= 0 && (bits >> (i % 6)) & 1 ? true : false);
    }
    return seen;
  }

  CB.State = {
    VERSION: "1",
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
      return [this.VERSION, fingerprint, state.bookmark.toString(36),
        encodeSeen(state.seen, pageCount), entries.join("*")].join("~");
    },
    /** Returns {bookmark, seen, blocks, sameCourse} or null when the text is not ours. */
    decode: function (text, fingerprint, pageCount) {
      if (!text || typeof text !== "string") return null;
      var parts = text.split("~");
      if (parts.length !== 5 || parts[0] !== this.VERSION) return null;
      var bookmark = parseInt(parts[2], 36);
      var result = {
        bookmark: isNaN(bookmark) ? 0 : Math.min(bookmark, pageCount - 1),
        seen: decodeSeen(parts[3], pageCount), blocks: {}, sameCourse: parts[1] === fingerprint
      };
      if (!result.sameCourse) {
        result.seen = decodeSeen("", pageCount);
        return result;
      }
      if (parts[4]) {
        parts[4].split("*").forEach(function (entry) {
          var eq = entry.indexOf("=");
          if (eq > 0) result.blocks[parseInt(entry.slice(0, eq), 36)] = entry.slice(eq + 1);
        });
      }
      return result;
    }
  };
})(window.CB = window.CB || {});
