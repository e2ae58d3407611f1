/*
 * The administration's autocomplete boxes (select2, Django's autocomplete_fields) carry no
 * accessible name (WCAG 4.1.2): give each the text of its field's label. The boxes are
 * built by Django's autocomplete.js when jQuery is ready and again for each inline row
 * added, so every box that appears in the page is named.
 */
(function () {
  "use strict";

  function name(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    var box = select.nextElementSibling;
    if (!label || !box || !box.classList.contains("select2")) {
      return;
    }
    var text = label.textContent.replace(/[:\s]+$/, "").trim();
    box.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (part) {
      if (!part.hasAttribute("aria-label")) {
        part.setAttribute("aria-label", text);
      }
    });
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();
