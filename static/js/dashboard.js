/*
 * The dashboard's charts (templates/reports/dashboard/): each <canvas data-chart="name">
 * is drawn with Chart.js (static/vendor/chartjs, loaded only on this page) from the JSON
 * of json_script "dashboard-charts" (reports.views.dashboard.chart_specs):
 *   {name: {type, horizontal, stacked, labels, datasets: [{label, data}], urls, summary}}
 * A bar with a url opens the list behind it. No inline script (a CSP comes later); the
 * figures are also printed in the table beside each chart.
 */
(function () {
  "use strict";

  // The site's palette (static/css/site.css) by the tone a dataset asks for: this year in
  // red, last year in gold, the units expected in a light grey behind; the series of a
  // stacked chart in red, gold and grey (apart in lightness too, for black and white).
  var TONES = {
    primary: "#a50e0e",
    accent: "#d4a72c",
    muted: "#d9d4cb",
    series0: "#a50e0e",
    series1: "#d4a72c",
    series2: "#6c6c6c"
  };

  function chartData(spec) {
    return {
      labels: spec.labels,
      datasets: spec.datasets.map(function (set) {
        return {
          label: set.label,
          data: set.data,
          backgroundColor: TONES[set.tone] || TONES.primary,
          borderColor: "#1f1f1f",
          borderWidth: 0.5,
          maxBarThickness: 36
        };
      })
    };
  }

  function wrap(label, width) {
    // Long Vietnamese labels on lines of about ``width`` letters (fewer on a phone).
    var words = String(label).split(" ");
    var lines = [];
    var line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines;
  }

  function draw(canvas, spec) {
    var horizontal = !!spec.horizontal;
    var narrow = canvas.parentNode.clientWidth < 480;
    var width = horizontal ? (narrow ? 16 : 28) : (narrow ? 7 : 16);
    var valueAxis = horizontal ? "x" : "y";
    var labelAxis = horizontal ? "y" : "x";
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: !!spec.stacked,
      ticks: { precision: 0, maxRotation: 0, maxTicksLimit: narrow ? 5 : 11 },
      grid: { color: "#e2ddd5" }
    };
    if (spec.percent) {
      // Coverage: a share of the units expected, on a fixed 0–100 % scale.
      scales[valueAxis].max = 100;
      scales[valueAxis].ticks.callback = function (value) {
        return value + " %";
      };
    }
    scales[labelAxis] = {
      stacked: !!spec.stacked,
      grid: { display: false },
      ticks: {
        autoSkip: false,
        maxRotation: 0, // wrapped on lines instead of slanted
        callback: function (value) {
          return wrap(this.getLabelForValue(value), width);
        }
      }
    };
    var urls = spec.urls || [];
    return new window.Chart(canvas, {
      type: "bar",
      data: chartData(spec),
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          legend: { display: spec.datasets.length > 1, position: "bottom" },
          tooltip: {
            mode: "index",
            intersect: false,
            callbacks: spec.percent ? {
              label: function (item) {
                return item.dataset.label + ": " + item.formattedValue + " %";
              }
            } : {}
          }
        },
        onHover: function (event, elements) {
          var target = event.native && event.native.target;
          if (target) target.style.cursor = elements.length && urls[elements[0].index] ? "pointer" : "";
        },
        onClick: function (event, elements) {
          if (elements.length && urls[elements[0].index]) {
            window.location.href = urls[elements[0].index];
          }
        }
      }
    });
  }

  function init() {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.Chart) return;
    var specs = JSON.parse(source.textContent);
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = "#1f1f1f";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = specs[canvas.dataset.chart];
      if (spec && spec.labels.length) draw(canvas, spec);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
