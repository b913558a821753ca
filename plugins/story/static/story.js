/* story: a personal account, shown behind its content note.
 * Saved state: "" (not chosen yet), "r" (read) or "s" (skipped). Reading is recorded once as
 * the interaction data.interaction with response "read"; skipping is never sent to the LMS.
 * Both reading and skipping finish the block (api.complete), so skipping never blocks
 * completion. */
(function (CB) {
  "use strict";

  CB.registerBlock("story", {
    checkState: function (text) { return text === "r" || text === "s"; },
    mount: function (el, data, api) {
      var root = el.querySelector(".cb-story");
      var readButton = el.querySelector('[data-action="read"]');
      var skipButton = el.querySelector('[data-action="skip"]');
      var content = el.querySelector(".cb-story__content");
      var heading = el.querySelector(".cb-story__heading");
      var status = el.querySelector(".cb-story__status");
      var state = api.state.get() || "";
      var recorded = state === "r";  // read in an earlier session: already in the LMS

      function show(next) {
        state = next;
        root.setAttribute("data-story-state", state);
        content.hidden = state !== "r";
        readButton.hidden = state === "r";
        skipButton.hidden = state === "s";
        if (state === "s") {
          status.textContent = api.t("skipped");
          status.hidden = false;
        } else {
          status.textContent = "";
          status.hidden = true;
        }
      }

      readButton.addEventListener("click", function () {
        show("r");
        api.state.set("r");
        if (!recorded) {
          // From when the story's page was shown (the choice to read it was available).
          api.record(data.interaction, "read", null, Date.now() - (api.shownAt() || Date.now()));
          recorded = true;
        }
        api.complete();
        api.commit("story");
        heading.focus();
      });

      skipButton.addEventListener("click", function () {
        show("s");
        api.state.set("s");
        api.complete();
        api.commit("story");
        readButton.focus();
        api.announce(api.t("skipped_announce"));
      });

      show(state === "r" || state === "s" ? state : "");
      // Finished blocks are not remembered by the runtime between sessions: say so again.
      if (state) api.complete();
    }
  });
})(window.CB = window.CB || {});
