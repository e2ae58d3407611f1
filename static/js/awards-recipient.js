/*
 * The recipient form of awards (awards.forms.recipients.RecipientForm): shows only the
 * fields of the chosen kind (model, collective, individual). Each such field's widget carries
 * data-recipient-kinds="<kinds it belongs to>"; its crispy wrapper (id="div_id_…") is hidden
 * for the other kinds. A hidden field keeps its value but the form's clean() ignores it.
 * Without this script every field shows, each labelled with the kind it belongs to.
 */
(function () {
  "use strict";

  function wrapperOf(widget) {
    return widget.closest("[id^='div_id_']") || widget.parentElement;
  }

  function update(form) {
    var checked = form.querySelector("input[name$='recipient_kind']:checked");
    var kind = checked ? checked.value : null;
    form.querySelectorAll("[data-recipient-kinds]").forEach(function (widget) {
      var kinds = widget.getAttribute("data-recipient-kinds").split(" ");
      wrapperOf(widget).hidden = kind !== null && kinds.indexOf(kind) === -1;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-recipient-kinds]")) {
        return;
      }
      update(form);
      form.addEventListener("change", function (event) {
        if (event.target.name && /recipient_kind$/.test(event.target.name)) {
          update(form);
        }
      });
    });
  });
})();
