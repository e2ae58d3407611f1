/*
 * The score sheet (templates/evaluation/review/sheet.html). The page works without this
 * file; it folds the model's long parts on narrow screens, where they come after the
 * criteria, and keeps each autosave's status line honest: it never says "Saved" for a value
 * that was not saved. Each autosaving block (a criterion's form, the overall comment) has
 * data-autosave, data-saving and data-not-saved, and one .criterion-status line that the
 * server's answer replaces. A form with data-after-autosave (the sheet's submit form) waits
 * for the saves still on their way, so that a score typed just before "Submit" is saved
 * before the sheet is submitted.
 */
(function () {
  "use strict";

  if (window.matchMedia("(max-width: 991.98px)").matches) {
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) {
      details.open = false;
    });
  }

  function blockOf(element) {
    return element && element.closest ? element.closest("[data-autosave]") : null;
  }

  function setStatus(block, text, isError) {
    var status = block.querySelector(".criterion-status");
    if (!status) {
      return;
    }
    status.textContent = text || "";
    status.classList.toggle("text-danger", Boolean(isError));
  }

  // Typing makes the last "Saved" untrue until the next save answers.
  document.body.addEventListener("input", function (event) {
    var block = blockOf(event.target);
    if (block) {
      setStatus(block, "", false);
    }
  });

  // Saves on their way, and a submission waiting for them.
  var inFlight = new Set();
  var waiting = null;

  function settled(event) {
    inFlight.delete(event.detail && event.detail.xhr);
    if (inFlight.size === 0 && waiting) {
      submitNow();
    }
  }

  function submitNow() {
    var pending = waiting;
    waiting = null;
    window.clearTimeout(pending.timer);
    pending.form.requestSubmit(pending.submitter || undefined);
  }

  document.querySelectorAll("form[data-after-autosave]").forEach(function (form) {
    // On the form itself: runs after confirm.js (capture) and before site.js (document).
    form.addEventListener("submit", function (event) {
      if (inFlight.size === 0 || event.defaultPrevented) {
        return;
      }
      event.preventDefault();
      waiting = {
        form: form,
        submitter: event.submitter,
        timer: window.setTimeout(submitNow, 5000), // never wait forever
      };
    });
  });

  // Every attempt replaces the status: "Saving…" until the server's answer is swapped in.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var block = blockOf(event.detail && event.detail.elt);
    if (block) {
      inFlight.add(event.detail.xhr);
      setStatus(block, block.getAttribute("data-saving"), false);
    }
  });
  document.body.addEventListener("htmx:afterRequest", settled);
  document.body.addEventListener("htmx:sendError", settled);
  document.body.addEventListener("htmx:timeout", settled);
  document.body.addEventListener("htmx:xhr:abort", settled);

  // htmx does not swap anything when the request fails: say so in the status.
  function notSaved(event) {
    var block = blockOf(event.detail && event.detail.elt);
    if (block) {
      setStatus(block, block.getAttribute("data-not-saved"), true);
    }
  }
  document.body.addEventListener("htmx:sendError", notSaved);
  document.body.addEventListener("htmx:responseError", notSaved);
})();
