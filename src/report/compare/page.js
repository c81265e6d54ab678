(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 60.01rem)");
  var selected = null;
  function members(pair) {
    return document.querySelectorAll('[data-pair="' + pair + '"]');
  }
  function mark(pair, cls, on) {
    members(pair).forEach(function (el) { el.classList.toggle(cls, on); });
  }
  function pairOf(target) {
    var el = target instanceof Element ? target.closest("[data-pair]") : null;
    return el ? el.getAttribute("data-pair") : null;
  }
  function select(pair) {
    if (selected) mark(selected, "sel", false);
    selected = pair;
    if (pair) mark(pair, "sel", true);
  }
  function twin(unit) {
    var side = unit.id.charAt(0) === "a" ? "b" : "a";
    var found = null;
    members(unit.getAttribute("data-pair")).forEach(function (el) {
      if (el.classList.contains("unit") && el.id.charAt(0) === side) found = el;
    });
    return found;
  }
  function flash(el) {
    el.classList.remove("flash");
    void el.offsetWidth;
    el.classList.add("flash");
  }
  function offset(el) {
    var box = el.closest(".text");
    return box ? el.getBoundingClientRect().top - box.getBoundingClientRect().top : 0;
  }
  // Side by side, each column scrolls on its own: scroll el's column so that el sits `at`
  // pixels below its top, or as near as the column can scroll, and return where it ends up.
  // Stacked, the page scrolls.
  function place(el, at) {
    var box = el.closest(".text");
    flash(el);
    if (!wide.matches || !box) {
      el.scrollIntoView({ block: "center", behavior: "smooth" });
      return at;
    }
    var want = box.scrollTop + offset(el) - at;
    var top = Math.max(0, Math.min(want, box.scrollHeight - box.clientHeight));
    box.scrollTo({ top: top, behavior: "smooth" });
    return at + want - top;
  }
  document.addEventListener("mouseover", function (e) {
    var pair = pairOf(e.target);
    if (pair) mark(pair, "hl", true);
  });
  document.addEventListener("mouseout", function (e) {
    var pair = pairOf(e.target);
    if (pair) mark(pair, "hl", false);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") select(null);
  });
  document.addEventListener("click", function (e) {
    if (!(e.target instanceof Element)) return;
    var link = e.target.closest("a.jump");
    var unit = e.target.closest(".unit[data-pair]");
    if (link) {
      var el = document.getElementById(link.getAttribute("href").slice(1));
      if (!el) return;
      if (el.hasAttribute("data-pair")) select(el.getAttribute("data-pair"));
      if (!wide.matches) { flash(el); return; }
      e.preventDefault();
      document.getElementById("articles").scrollIntoView({ behavior: "smooth", block: "start" });
      var box = el.closest(".text");
      var at = box ? box.clientHeight / 4 : 0;
      var other = el.hasAttribute("data-pair") ? twin(el) : null;
      // Level with each other where the columns allow: the one that cannot scroll as far
      // sets the height.
      var level = other ? place(other, at) : at;
      level = place(el, level);
      if (other) place(other, level);
    } else if (unit) {
      var match = twin(unit);
      if (!match) return;
      select(unit.getAttribute("data-pair"));
      place(match, offset(unit));
    }
  });
})();
