/*
 * Ask before an action that cannot be undone (loaded on every page by base.html).
 *
 * Contract: put data-confirm="<question in the page's language>" on
 *   - a submit button (<button type="submit"> or <input type="submit">): asked when that
 *     button submits its form (a click, or Enter in a field of a form whose default button
 *     it is); the form's other buttons are not asked;
 *   - a <form>: asked on every submission of the form, unless the submitting button has
 *     its own data-confirm (then only the button's question is asked);
 *   - any other element that htmx triggers on click (hx-post on a button or link).
 * "Cancel" stops the submission or the htmx request; "OK" lets it go on unchanged. Works for
 * htmx forms too (the listeners run in the capture phase, before htmx's own). Without
 * JavaScript the action simply goes ahead: the question is a safeguard, not a rule.
 */
(function () {
  "use strict";

  function declined(element) {
    return !window.confirm(element.getAttribute("data-confirm"));
  }

  function stop(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  // Buttons and links: the click comes before the form's submit event (and before htmx).
  document.addEventListener(
    "click",
    function (event) {
      var element = event.target.closest ? event.target.closest("[data-confirm]") : null;
      if (!element || element instanceof HTMLFormElement || element.disabled) {
        return;
      }
      if (declined(element)) {
        stop(event);
      }
    },
    true
  );

  // Forms: asked on submit unless the submitter already asked its own question.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
        return;
      }
      var submitter = event.submitter;
      if (submitter && submitter.hasAttribute("data-confirm")) {
        return;
      }
      if (declined(form)) {
        stop(event);
      }
    },
    true
  );
})();
