/* course_builder runtime: pages, Next/Previous, the contents menu, the support panel, and the
 * views that are not course pages (the mode banner, "Take a break", a session that has ended). */
(function (R) {
  "use strict";

  function Navigator(root, tracker, announce) {
    this.root = root;
    this.tracker = tracker;
    this.announce = announce;
    this.pages = Array.prototype.slice.call(root.querySelectorAll(".cb-page[data-page]"));
    this.prev = root.querySelector('[data-nav="previous"]');
    this.next = root.querySelector('[data-nav="next"]');
    this.progress = root.querySelector(".cb-progress");
    this.menuItems = Array.prototype.slice.call(root.querySelectorAll("[data-goto]"));
    this.endNote = root.querySelector("[data-end-note]");
    this.current = -1;
    var self = this;
    // On a small screen the contents start folded, so the page itself comes first.
    var menu = root.querySelector(".cb-menu__details");
    if (menu && window.matchMedia && window.matchMedia("(max-width: 48em)").matches) menu.open = false;
    // The pages this session may show: the whole course, or one module for a cmi5 AU.
    this.order = tracker.scopePages;
    this.prev.addEventListener("click", function () { self.step(-1); });
    this.next.addEventListener("click", function () { self.step(1); });
    this.menuItems.forEach(function (item) {
      var allowed = self.order.indexOf(parseInt(item.getAttribute("data-goto"), 10)) >= 0;
      if (!allowed) item.parentNode.hidden = true;
    });
    Array.prototype.forEach.call(root.querySelectorAll(".cb-menu__modules > li"), function (li) {
      li.hidden = !li.querySelector("li:not([hidden])");
    });
    this.menuItems.forEach(function (item) {
      item.addEventListener("click", function () {
        self.show(parseInt(item.getAttribute("data-goto"), 10), true);
        var details = item.closest("details");
        if (details && window.matchMedia("(max-width: 48em)").matches) details.open = false;
      });
    });
  }

  Navigator.prototype.step = function (delta) {
    var position = this.order.indexOf(this.current) + delta;
    if (position >= 0 && position < this.order.length) this.show(this.order[position], true);
  };

  Navigator.prototype.show = function (index, moveFocus) {
    if (this.order.indexOf(index) < 0 || index === this.current) return;
    var self = this;
    this.pages.forEach(function (page, i) { page.hidden = i !== index; });
    this.current = index;
    var position = this.order.indexOf(index);
    this.prev.disabled = position === 0;
    this.next.disabled = position === this.order.length - 1;
    this.progress.textContent = R.t("cb.page_of", {n: position + 1, total: this.order.length});
    if (this.endNote) this.endNote.hidden = position !== this.order.length - 1;
    this.tracker.visit(index);
    R.blocksShown(index);
    this.menuItems.forEach(function (item) {
      var i = parseInt(item.getAttribute("data-goto"), 10);
      if (i === index) item.setAttribute("aria-current", "page");
      else item.removeAttribute("aria-current");
      var mark = item.querySelector(".cb-menu__seen");
      if (mark) mark.hidden = !self.tracker.state.seen[i];
    });
    if (moveFocus) {
      var heading = this.pages[index].querySelector("h1");
      window.scrollTo(0, 0);
      if (heading) heading.focus();
    }
  };

  function SupportPanel(root) {
    var toggle = root.querySelector(".cb-support-toggle");
    var panel = root.querySelector("#cb-support");
    if (!toggle || !panel) return;
    var close = panel.querySelector("[data-support-close]");
    function open(state) {
      panel.hidden = !state;
      toggle.setAttribute("aria-expanded", state ? "true" : "false");
      if (state) panel.querySelector("h2").focus();
      else toggle.focus();
    }
    toggle.addEventListener("click", function () { open(panel.hidden); });
    if (close) close.addEventListener("click", function () { open(false); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") open(false);
    });
  }

  /** How a learner leaves the course from here. The rule: a course inside a frame (an LMS's
   * player) is left with the LMS's own exit or close button, since closing the frame's page is
   * not possible from inside it; a course in a window of its own (top-level, e.g. opened by the
   * LMS as a new window) can be closed; a cmi5 launch with a returnURL goes back through "Take a
   * break". Cross-origin frames make window.top unreadable but still comparable. */
  function leaveAdvice(hasReturnURL) {
    var framed, popup = false;
    try { framed = window.self !== window.top; } catch (e) { framed = true; }
    try { popup = framed && !!window.top.opener; } catch (e) { popup = false; }
    if (hasReturnURL) return R.t("cb.leave_return");
    if (!framed) return R.t("cb.leave_close");
    return R.t(popup ? "cb.leave_exit_or_close" : "cb.leave_exit");
  }

  function text(el, value) { if (el) el.textContent = value; }

  /** The views that replace the course pages, and the banner of a browse, review or
   * no-credit launch. Each new view moves focus to its heading and is announced. */
  function Views(root, announce) {
    this.root = root;
    this.announce = announce;
    this.advice = leaveAdvice(false);
  }

  Views.prototype.hideCourse = function () {
    Array.prototype.forEach.call(this.root.querySelectorAll(
      ".cb-page, .cb-pager, .cb-menu, .cb-mode, .cb-saving, [data-end-note]"),
      function (el) { el.hidden = true; });
  };

  Views.prototype.showView = function (id) {
    this.hideCourse();
    var view = document.getElementById(id);
    if (!view) return;
    view.hidden = false;
    var heading = view.querySelector("h1");
    window.scrollTo(0, 0);
    if (heading) heading.focus();
    this.announce(view.textContent.replace(/\s+/g, " ").trim());
  };

  /** Fill every "how to leave" text (the break view and the course's last page). */
  Views.prototype.leaveAdvice = function (hasReturnURL) {
    this.advice = leaveAdvice(hasReturnURL);
    var advice = this.advice;
    Array.prototype.forEach.call(this.root.querySelectorAll("[data-leave-advice]"),
      function (el) { el.textContent = advice; });
    var end = advice === R.t("cb.leave_close") ? R.t("cb.leave_close_end") : advice;
    text(this.root.querySelector("[data-end-note]"), R.t("cb.last_page") + " " + end);
  };

  /** The banner for browse, review and no-credit launches; true when one is shown. */
  Views.prototype.mode = function (tracker) {
    var banner = this.root.querySelector(".cb-mode");
    if (!banner || (tracker.mode === "normal" && tracker.judging)) return false;
    var title, lines = [];
    if (tracker.mode === "review") {
      title = R.t("cb.review_title");
      lines.push(R.t("cb.review_text"));
      var record = recordText(tracker.prior);
      lines.push(record ? R.t("cb.review_record", {record: record}) : R.t("cb.review_no_record"));
      lines.push(R.t("cb.review_new_attempt"));
    } else if (tracker.mode === "browse") {
      title = R.t("cb.browse_title");
      lines.push(R.t("cb.browse_text"));
    } else {
      title = R.t("cb.no_credit_title");
      lines.push(R.t("cb.no_credit_text"));
    }
    banner.textContent = "";
    var h = document.createElement("h2");
    h.className = "cb-mode__title";
    h.textContent = title;
    banner.appendChild(h);
    lines.forEach(function (line) {
      var para = document.createElement("p");
      para.textContent = line;
      banner.appendChild(para);
    });
    banner.hidden = false;
    this.announce(title + ". " + lines.join(" "));
    return true;
  };

  /** "passed, 100%" from what the LMS gave back at launch, or "" when it gave nothing. */
  function recordText(prior) {
    if (!prior) return "";
    var status = prior.success === "passed" || prior.lesson === "passed" ? R.t("cb.status_passed")
      : prior.success === "failed" || prior.lesson === "failed" ? R.t("cb.status_failed")
        : prior.completion === "completed" || prior.lesson === "completed" ? R.t("cb.status_completed")
          : prior.completion === "incomplete" || prior.lesson === "incomplete" ? R.t("cb.status_incomplete")
            : "";
    if (status && typeof prior.score === "number") {
      status = R.t("cb.status_score", {status: status, score: prior.score});
    }
    return status;
  }

  /** After "Take a break": what was kept, and how to leave. */
  Views.prototype.takeBreak = function (tracker) {
    var recording = tracker.recording, saving = tracker.saving();
    var saved = recording && saving === "ok";
    text(document.getElementById("cb-break-title"),
      R.t(saved ? "cb.break_saved_title" : "cb.break_left_title"));
    text(this.root.querySelector("[data-break-text]"), R.t(saved ? "cb.break_saved_text"
      : !recording ? "cb.break_not_recorded_text"
        : saving === "stopped" ? "cb.break_elsewhere_text"
          : saving === "held" ? "cb.break_held_text" : "cb.break_unsaved_text"));
    this.showView("cb-break");
  };

  /** The saving notice (.cb-saving, a polite live region that is always in the page, so
   * every change is announced): what the learner must know when progress is not being
   * saved, and what to do; empty when all is well. The words are the page's own
   * ([data-saving] in page.html.j2), copied in. */
  Views.prototype.saving = function (tracker) {
    var region = this.root.querySelector(".cb-saving");
    if (!region) return;
    var state = tracker.saving();
    if (state === "ok") {
      state = tracker.recovered ? (tracker.afresh ? "afresh" : "recovered")
        : tracker.tookOver ? "took-over" : "";
      tracker.tookOver = false;
    }
    var key = state + (state === "held" ? ":" + tracker.held : "");
    if (region.getAttribute("data-shown") === key) return;
    region.setAttribute("data-shown", key);
    region.textContent = "";
    region.className = "cb-saving" + (state ? " cb-saving--on" : "");
    var notice = state && this.root.querySelector('[data-saving="' + state + '"]');
    if (!notice) return;
    notice = notice.cloneNode(true);
    Array.prototype.forEach.call(notice.querySelectorAll("[data-held]"), function (el) {
      if (el.getAttribute("data-held") !== tracker.held) el.parentNode.removeChild(el);
    });
    var title = notice.querySelector("h2");
    title.className = "cb-saving__title";
    title.tabIndex = -1;
    var button = notice.querySelector("[data-start-afresh]");
    if (button) {
      button.addEventListener("click", function () {
        tracker.startAfresh();
        var shown = region.querySelector("h2");
        if (shown) shown.focus();
      });
    }
    while (notice.firstChild) region.appendChild(notice.firstChild);
  };

  /** A session that ended before this page loaded (cmi5: reloaded after "terminated"). */
  Views.prototype.ended = function (returnURL) {
    var link = this.root.querySelector("[data-return-link]");
    if (link && returnURL) {
      link.href = returnURL;
      link.parentNode.hidden = false;
    }
    this.showView("cb-ended");
  };

  R.Navigator = Navigator;
  R.SupportPanel = SupportPanel;
  R.Views = Views;
  R.leaveAdvice = leaveAdvice;
})(window.__cb = window.__cb || {});
