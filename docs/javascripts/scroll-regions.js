// A table wider than the text column scrolls sideways inside the wrapper that
// Material puts around it (.md-typeset__scrollwrap). A reader without a mouse
// must reach it too: a wrapper that scrolls gets a tab stop and a name; one that
// fits gets neither, so the keyboard does not stop on tables that do not move.
(function () {
  function mark() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table, scrolls sideways");
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  var pending = null;
  function soon() {
    if (pending !== null) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () { pending = null; mark(); });
  }
  // Material wraps the tables when it mounts a page (also after instant navigation).
  document$.subscribe(soon);
  window.addEventListener("resize", soon);
})();
