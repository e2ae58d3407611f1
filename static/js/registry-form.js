/*
 * The registration form's error summary (templates/models_registry/includes/error_summary.html):
 * on a page that opens with errors the summary takes the focus (a screen reader reads it),
 * and each of its links moves the focus to the field it names, not only the scroll.
 * Without this script the links still scroll to the field.
 */
(function () {
  "use strict";

  function focusTarget(id) {
    var target = document.getElementById(id);
    if (!target) {
      return false;
    }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (link && focusTarget(link.getAttribute("href").slice(1))) {
        event.preventDefault();
      }
    });
  });
})();
