/*
 * The awards picker of the honouring event form (templates/awards/events/event_form.html).
 * Without this file the form works the same: every award is a plain checkbox.
 *
 * Contract, inside #award-picker:
 *   [data-picker-tools]     shown by this script: the filter box and the count
 *   [data-picker-filter]    text typed here hides the items that do not contain it
 *                           (accents and case ignored: "ha tinh" finds "Hà Tĩnh")
 *   [data-picker-count]     "… ticked · … of … shown" from its data-template
 *                           ({checked}, {shown}, {total})
 *   [data-picker-group]     one decision; hidden when none of its items is shown
 *   [data-picker-all]       ticks or unticks the shown items of its group
 *   [data-picker-item]      one award (a checkbox and its label)
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function setUp(picker) {
    var tools = picker.querySelector("[data-picker-tools]");
    var filter = picker.querySelector("[data-picker-filter]");
    var count = picker.querySelector("[data-picker-count]");
    var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-group]"));
    if (!tools || !filter) {
      return;
    }
    var items = [];
    groups.forEach(function (group) {
      var legend = group.querySelector("legend");
      var heading = legend ? legend.textContent : "";
      group.querySelectorAll("[data-picker-item]").forEach(function (item) {
        items.push({
          group: group,
          element: item,
          box: item.querySelector("input[type=checkbox]"),
          text: fold(heading + " " + item.textContent)
        });
      });
    });

    function shownItems(group) {
      return items.filter(function (item) {
        return item.group === group && !item.element.hidden;
      });
    }

    function refresh() {
      var shown = 0;
      var checked = 0;
      items.forEach(function (item) {
        if (!item.element.hidden) {
          shown += 1;
        }
        if (item.box.checked) {
          checked += 1;
        }
      });
      groups.forEach(function (group) {
        var visible = shownItems(group);
        group.hidden = visible.length === 0;
        var all = group.querySelector("[data-picker-all]");
        if (all) {
          var ticked = visible.filter(function (item) { return item.box.checked; }).length;
          all.checked = visible.length > 0 && ticked === visible.length;
          all.indeterminate = ticked > 0 && ticked < visible.length;
        }
      });
      if (count) {
        count.textContent = count.getAttribute("data-template")
          .replace("{checked}", checked).replace("{shown}", shown)
          .replace("{total}", items.length);
      }
    }

    filter.addEventListener("input", function () {
      var words = fold(filter.value).split(" ").filter(Boolean);
      items.forEach(function (item) {
        item.element.hidden = !words.every(function (word) {
          return item.text.indexOf(word) !== -1;
        });
      });
      refresh();
    });
    // Enter in the filter box must not submit the event form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    picker.addEventListener("change", function (event) {
      if (event.target.hasAttribute("data-picker-all")) {
        var group = event.target.closest("[data-picker-group]");
        shownItems(group).forEach(function (item) {
          item.box.checked = event.target.checked;
        });
      }
      refresh();
    });
    picker.querySelectorAll("[data-picker-all-wrap]").forEach(function (wrap) {
      wrap.hidden = false;
    });
    tools.hidden = false;
    refresh();
  }

  document.querySelectorAll("#award-picker").forEach(setUp);
})();
