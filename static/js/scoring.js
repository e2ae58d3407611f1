/*
 * The score sheet (templates/evaluation/review/sheet.html). The page works without this
 * file; it only folds the model's long parts on narrow screens, where they come after the
 * criteria, and says so when a save could not reach the server.
 */
(function () {
  "use strict";

  if (window.matchMedia("(max-width: 991.98px)").matches) {
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) {
      details.open = false;
    });
  }

  // htmx does not swap anything when the request fails: show it in the criterion's status.
  function notSaved(event) {
    var form = event.detail && event.detail.elt;
    if (!form || !form.matches || !form.matches("form.criterion")) {
      return;
    }
    var status = form.querySelector(".criterion-status");
    if (status) {
      status.textContent = form.getAttribute("data-not-saved") || "";
      status.classList.add("text-danger");
    }
  }
  document.body.addEventListener("htmx:sendError", notSaved);
  document.body.addEventListener("htmx:responseError", notSaved);
})();
