/*
 * Small behaviours shared by every page. The site works without this file; it only
 * prevents double submissions on slow connections.
 */
(function () {
  "use strict";

  // Disable a form's submit buttons once it is submitted, so that a second tap on a slow
  // connection does not post twice. Disabling happens after the current task, once the
  // browser has built the form data, so the clicked button's name/value is still sent
  // (the language switcher relies on it). htmx forms are left to htmx; a form can opt out
  // with data-allow-resubmit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) {
      return;
    }
    if (form.hasAttribute("data-allow-resubmit") || form.hasAttribute("hx-get") ||
        form.hasAttribute("hx-post")) {
      return;
    }
    window.setTimeout(function () {
      // form.elements also holds buttons placed outside the form with form="…".
      Array.prototype.filter.call(form.elements, function (element) {
        return element.type === "submit";
      }).forEach(function (button) {
        button.disabled = true;
        button.setAttribute("data-disabled-on-submit", "");
      });
      form.setAttribute("aria-busy", "true");
    }, 0);
  });

  // Coming back with the Back button restores the page from cache: re-enable the buttons.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-disabled-on-submit]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("data-disabled-on-submit");
    });
    document.querySelectorAll("form[aria-busy]").forEach(function (form) {
      form.removeAttribute("aria-busy");
    });
  });
})();
