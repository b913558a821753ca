/* course_builder runtime: pages, Next/Previous, the contents menu and the support panel. */
(function (CB) {
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
    this.progress.textContent = "Page " + (position + 1) + " of " + this.order.length;
    this.tracker.visit(index);
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

  CB.Navigator = Navigator;
  CB.SupportPanel = SupportPanel;
})(window.CB = window.CB || {});
