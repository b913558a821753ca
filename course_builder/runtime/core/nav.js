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
    this.prev.addEventListener("click", function () { self.show(self.current - 1, true); });
    this.next.addEventListener("click", function () { self.show(self.current + 1, true); });
    this.menuItems.forEach(function (item) {
      item.addEventListener("click", function () {
        self.show(parseInt(item.getAttribute("data-goto"), 10), true);
        var details = item.closest("details");
        if (details && window.matchMedia("(max-width: 48em)").matches) details.open = false;
      });
    });
  }

  Navigator.prototype.show = function (index, moveFocus) {
    if (index < 0 || index >= this.pages.length || index === this.current) return;
    var self = this;
    this.pages.forEach(function (page, i) { page.hidden = i !== index; });
    this.current = index;
    this.prev.disabled = index === 0;
    this.next.disabled = index === this.pages.length - 1;
    this.progress.textContent = "Page " + (index + 1) + " of " + this.pages.length;
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
