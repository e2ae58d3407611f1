/*
 * Errors a keyboard or screen reader user cannot miss (templates/includes/form_errors.html,
 * base.html's #live-region):
 *   - a page that opens with an error summary ([data-error-summary], after a refused
 *     submit) moves the focus to it, so a screen reader reads its heading and list;
 *   - a link of the summary moves the focus to the field it names, centred so that no
 *     sticky bar covers it (without this script the link still scrolls there);
 *   - window.danvanAnnounce(text) says text through the page's live region, which exists
 *     from the start (a region added later is not announced). Scripts call it for what
 *     changed — an autosave refused or failed — never for every "Saving…".
 */
(function () {
  "use strict";

  var region = null;
  var clearTimer = null;

  function announce(text) {
    region = region || document.getElementById("live-region");
    if (!region || !text) {
      return;
    }
    // The same words twice in a row are a change too: empty the region first.
    region.textContent = "";
    window.clearTimeout(clearTimer);
    clearTimer = window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }
  window.danvanAnnounce = announce;

  function focusField(id) {
    var target = document.getElementById(id);
    if (!target) {
      return false;
    }
    // A field inside a closed <details> (a criterion's guidance, a folded part) is shown.
    var details = target.closest("details");
    if (details && !details.open) {
      details.open = true;
    }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    if (link && focusField(decodeURIComponent(link.getAttribute("href").slice(1)))) {
      event.preventDefault();
    }
  });

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus(); // scrolls only if the summary is not in view: the page's heading stays
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
