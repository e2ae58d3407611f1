/*
 * The intake list's "tick every row" box (templates/models_registry/intake_list.html).
 * Without this file the list works the same: each row is ticked by hand (the box stays
 * hidden).
 *
 * Contract: <input type="checkbox" data-select-all="<name>" hidden> inside a form ticks or
 * unticks every checkbox named <name> of that form, and shows itself ticked, unticked or
 * mixed as the rows are.
 */
(function () {
  "use strict";

  function setUp(all) {
    var form = all.form || all.closest("form");
    if (!form) {
      return;
    }
    var boxes = Array.prototype.slice.call(
      form.querySelectorAll('input[type="checkbox"][name="' + all.getAttribute("data-select-all") + '"]')
    );
    if (!boxes.length) {
      return;
    }
    function sync() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      sync();
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-select-all]").forEach(setUp);
  });
})();
