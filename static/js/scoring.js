/*
 * The score sheet (templates/evaluation/review/sheet.html). The page works without this
 * file; it folds the model's long parts on narrow screens, where they come after the
 * criteria, and keeps each autosave's status line honest: it never says "Saved" for a value
 * that was not saved. Each autosaving block (a criterion's form, the overall comment) has
 * data-autosave, data-saving and data-not-saved, and one .criterion-status line that the
 * server's answer replaces. A form with data-after-autosave (the sheet's submit form) waits
 * for the saves still on their way, so that a score typed just before "Submit" is saved
 * before the sheet is submitted.
 *
 * The status lines are not live regions (they would read every "Saving…"): each answer is
 * said once through the page's live region (errors.js), named after its criterion — every
 * answer of a criterion (a save the reviewer made), and for the overall comment, which
 * saves itself while typing, only a refusal, a failure and the first save after one.
 * A criterion form saves on "change" and on "submit"; values already sent (in flight or
 * saved) are not sent again, so Enter in a score field (change, then submit) or Save
 * right after typing (change on leaving the field, then submit) is one save.
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

  // One save per value (see above). After a failure the same values may be sent again.
  var sent = new WeakMap(); // criterion form -> { data, failed }

  function valuesOf(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }

  document.body.addEventListener("htmx:confirm", function (event) {
    var form = event.detail && event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("criterion")) {
      return;
    }
    var data = valuesOf(form);
    var last = sent.get(form);
    if (last && last.data === data && !last.failed) {
      event.preventDefault();
      return;
    }
    sent.set(form, { data: data, failed: false });
  });

  function labelOf(block) {
    var labelled = block.closest("[aria-labelledby]");
    var title = labelled && document.getElementById(labelled.getAttribute("aria-labelledby"));
    return title ? title.textContent.replace(/\s+/g, " ").trim() : "";
  }

  var lastSaid = new WeakMap(); // block -> "ok" or "error"

  function announce(block, text, isError) {
    var state = isError ? "error" : "ok";
    var quiet = block.tagName !== "FORM" && !isError && lastSaid.get(block) !== "error";
    lastSaid.set(block, state);
    if (quiet || !text || !window.danvanAnnounce) {
      return;
    }
    var label = labelOf(block);
    window.danvanAnnounce(label ? label + ": " + text : text);
  }

  // The server's answer is in the status line by now (htmx swaps before this event).
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var block = blockOf(event.detail && event.detail.elt);
    var xhr = event.detail && event.detail.xhr;
    if (!block || !xhr || xhr.status < 200 || xhr.status >= 300) {
      return;
    }
    var status = block.querySelector(".criterion-status");
    if (status) {
      var text = status.textContent.replace(/\s+/g, " ").trim();
      announce(block, text, Boolean(status.querySelector(".text-danger")));
    }
  });

  // htmx does not swap anything when the request fails: say so in the status.
  function notSaved(event) {
    var block = blockOf(event.detail && event.detail.elt);
    if (block) {
      var last = sent.get(block);
      if (last) {
        last.failed = true;
      }
      setStatus(block, block.getAttribute("data-not-saved"), true);
      announce(block, block.getAttribute("data-not-saved"), true);
    }
  }
  document.body.addEventListener("htmx:sendError", notSaved);
  document.body.addEventListener("htmx:responseError", notSaved);
})();
