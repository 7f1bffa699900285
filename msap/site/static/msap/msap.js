// msap: the few behaviours every page shares. No inline script (a strict CSP stays possible);
// each behaviour also has a server-rendered baseline that works without JavaScript.
(function () {
  "use strict";

  // A table wider than the screen scrolls inside its frame: make that frame reachable with the
  // keyboard (RGAA 7.3, axe "scrollable-region-focusable"), and only while it does scroll.
  function keyboardScrollables() {
    document.querySelectorAll(".fr-table table, .fr-table__content, [data-msap-scroll]").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-msap-scrollable", "");
        var caption = el.querySelector("caption");
        if (caption && !el.hasAttribute("aria-label")) {
          el.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (!scrolls && el.hasAttribute("data-msap-scrollable")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-msap-scrollable");
      }
    });
  }

  // After a refused form, focus goes to the error summary, which lists and links each error
  // (the page title already says there is an error: msap/_form_errors.html); on a confirmation
  // page, to its question.
  function focusErrors() {
    var target = document.querySelector("[data-msap-error-summary]") ||
      document.querySelector("[data-msap-autofocus]");
    if (target) {
      target.focus();
    }
  }

  // Access keys: each browser has its own modifier; keep the hint that names this one's.
  function accessKeyHints() {
    var ua = navigator.userAgent || "";
    var keys = /Mac OS X|Macintosh/.test(ua) ? "ctrl-option" : /Firefox\//.test(ua) ? "alt-shift" : "alt";
    document.querySelectorAll("[data-msap-accesskeys]").forEach(function (hint) {
      hint.querySelectorAll("[data-keys]").forEach(function (line) {
        line.hidden = line.getAttribute("data-keys") !== keys;
      });
    });
  }

  // Tabs in one row that scrolls sideways (msap.css .msap-tabs): show the current one.
  function currentTabInView() {
    document.querySelectorAll(".msap-tabs [aria-current]").forEach(function (tab) {
      var row = tab.closest("ul");
      if (row && row.scrollWidth > row.clientWidth) {
        row.scrollLeft = tab.offsetLeft - row.offsetLeft - 16;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    keyboardScrollables();
    currentTabInView();
    focusErrors();
    accessKeyHints();
  });
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(keyboardScrollables, 150);
  });
  document.addEventListener("htmx:afterSettle", keyboardScrollables);
})();
