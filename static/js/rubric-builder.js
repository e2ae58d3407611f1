// Rubric builder: keep the "criteria add up to" figure current while typing.
(function () {
  "use strict";
  var sum = document.querySelector(".js-points-sum");
  if (!sum) return;
  function update() {
    var total = 0;
    document.querySelectorAll(".criterion-row").forEach(function (row) {
      var del = row.querySelector("input[name$='-DELETE']");
      var input = row.querySelector(".js-points");
      if (!input || (del && del.checked)) return;
      var value = parseFloat(input.value.replace(",", "."));
      if (!isNaN(value)) total += value;
    });
    sum.textContent = String(Math.round(total * 10) / 10);
  }
  document.addEventListener("input", update);
  document.addEventListener("change", update);
})();
