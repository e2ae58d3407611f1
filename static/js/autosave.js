/*
 * A form that never loses work: it saves itself as a draft when the user pauses typing,
 * and the browser asks before leaving while something typed is not saved yet.
 *
 * Contract (templates/models_registry/dvkmodel_form.html, resultreport_form.html):
 *   <form data-autosave data-autosave-status="<id of the status line>"
 *         data-autosave-saving="…" data-autosave-offline="…" [data-autosave-dirty]
 *         hx-post="<autosave URL>" hx-trigger="autosave" hx-target="#<status>" hx-swap="innerHTML">
 *   - after DELAY ms without typing, this script fires "autosave" on the form and htmx
 *     posts the whole form; the server answers with the status line (200 "Saved at 14:05"
 *     plus the new version swapped into the hidden input, or 422 with the refusal);
 *   - one save at a time: what is typed during a save is saved right after it;
 *   - the first autosave of a new registration creates the draft: the answer's HX-Trigger
 *     "autosave:created" {action, autosave_url} points the form (and the address bar) at
 *     the draft, so later saves update it instead of creating another;
 *   - data-autosave-dirty: the page shows input that is not stored (a refused submission);
 *   - fields with data-autosave-ignore (a search box) are not content;
 *   - submitting the form itself (after the save in flight, if any), or a form marked
 *     data-autosave-discard (delete the draft), leaves without a question; any other
 *     navigation asks while changes are unsaved.
 * Without JavaScript the form works as before, with its "Save draft" button.
 */
(function () {
  "use strict";

  var DELAY = 2000; // ms of quiet before saving
  var RETRY = 15000; // ms before trying again after a network failure

  function setUp(form) {
    var status = document.getElementById(form.getAttribute("data-autosave-status"));
    var edits = form.hasAttribute("data-autosave-dirty") ? 1 : 0; // changes made
    var saved = 0; // changes covered by the last successful save
    var sending = 0; // changes the save in flight covers
    var inFlight = false;
    var leaving = false;
    var timer = null;

    function dirty() {
      return edits > saved;
    }

    function schedule(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, delay);
    }

    function save() {
      if (inFlight || leaving || !dirty()) {
        return;
      }
      inFlight = true;
      sending = edits;
      window.htmx.trigger(form, "autosave");
    }

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function onEdit(event) {
      var field = event.target;
      if (!field.name || field.hasAttribute("data-autosave-ignore")) {
        return;
      }
      edits += 1;
      schedule(DELAY);
    }

    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);

    // Only the form's own autosave requests (the replication search inside it is htmx too).
    // htmx fires htmx:beforeSwap on the target (the status line, which may stand outside
    // the form), so that listener sits on the document and asks the request's element.
    function own(event) {
      var detail = event.detail || {};
      return detail.elt === form || (detail.requestConfig && detail.requestConfig.elt === form);
    }

    form.addEventListener("htmx:configRequest", function (event) {
      if (own(event)) {
        event.detail.path = form.getAttribute("hx-post");
      }
    });
    form.addEventListener("htmx:beforeRequest", function (event) {
      if (own(event)) {
        say(form.getAttribute("data-autosave-saving"));
      }
    });
    document.addEventListener("htmx:beforeSwap", function (event) {
      if (!own(event)) {
        return;
      }
      var xhr = event.detail.xhr;
      var answer = xhr.responseText.indexOf("data-autosave-state") !== -1;
      // A refusal (422) is shown like a save; anything else (a login page after the
      // session expired, a server error) is not swapped into the status line.
      event.detail.shouldSwap = answer && (xhr.status === 200 || xhr.status === 422);
      event.detail.isError = false;
    });
    form.addEventListener("autosave:created", function (event) {
      var target = event.detail || {};
      if (target.action && target.autosave_url) {
        form.setAttribute("action", target.action);
        form.setAttribute("hx-post", target.autosave_url);
        window.history.replaceState(window.history.state, "", target.action);
      }
    });
    form.addEventListener("htmx:afterRequest", function (event) {
      if (!own(event)) {
        return;
      }
      inFlight = false;
      if (waiting) {
        var submitter = waiting.submitter;
        waiting = null;
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        return;
      }
      var xhr = event.detail.xhr;
      var text = xhr ? xhr.responseText || "" : "";
      if (xhr && xhr.status === 200 && text.indexOf('data-autosave-state="saved"') !== -1) {
        saved = sending;
        // Only a change is announced: "Saved" once the save works again after a problem.
        announce("saved");
        if (dirty()) {
          schedule(DELAY);
        }
      } else if (!xhr || xhr.status === 0 || xhr.status >= 500 || text.indexOf("data-autosave-state") === -1) {
        say(form.getAttribute("data-autosave-offline"));
        announce("offline");
        schedule(RETRY);
      } else {
        // A refusal (422), already in the status line, waits for the user's next change.
        announce("refused");
      }
    });

    // The status line is not a live region (it would read every "Saving…"): what changed is
    // said through the page's live region (errors.js), a refusal every time.
    var lastState = "saved";
    function announce(state) {
      var changed = state !== lastState || state === "refused";
      lastState = state;
      if (changed && status && window.danvanAnnounce) {
        window.danvanAnnounce(status.textContent.replace(/\s+/g, " ").trim());
      }
    }

    // Submitting while an autosave is in flight would send the old version (refused as a
    // stale edit) or, on a new registration, create a second draft: wait for the save,
    // then submit again with the same button.
    var waiting = null;
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) {
        return;
      }
      if (inFlight) {
        event.preventDefault();
        waiting = { submitter: event.submitter || null };
        return;
      }
      leaving = true;
      window.clearTimeout(timer);
    });
    document.addEventListener("submit", function (event) {
      if (!event.defaultPrevented && event.target.hasAttribute("data-autosave-discard")) {
        leaving = true;
        window.clearTimeout(timer);
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (leaving || !dirty()) {
        return;
      }
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to ask
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.htmx) {
      return;
    }
    document.querySelectorAll("form[data-autosave]").forEach(setUp);
  });
})();
