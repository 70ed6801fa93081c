/* Draws every dashboard figure with Chart.js from the JSON beside its canvas.
   The table under each chart holds the same numbers, so the page reads without this. */
(function () {
  "use strict";

  var PALETTE = ["#0b5563", "#b45f06", "#6f52a3", "#00703c", "#b3261e", "#505a5f", "#1d70b8", "#912b88", "#7a5c00", "#3d2a63"];

  function formatter(decimals) {
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      maximumFractionDigits: decimals,
      minimumFractionDigits: 0
    });
    return function (value) { return value === null || value === undefined ? "" : format.format(value); };
  }

  function config(data) {
    var kind = data.kind || "bar";
    var format = formatter(data.decimals || 0);
    var line = kind === "line";
    var datasets = data.series.map(function (series, index) {
      var colour = PALETTE[index % PALETTE.length];
      return {
        label: series.name,
        data: series.values,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: line ? 2 : 0,
        spanGaps: false,
        pointRadius: line ? 3 : 0
      };
    });
    var stacked = kind === "stacked";
    var valueAxis = {
      beginAtZero: true,
      stacked: stacked,
      title: { display: true, text: data.unit },
      ticks: { callback: function (value) { return format(value); } }
    };
    var categoryAxis = { stacked: stacked };
    return {
      type: line ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: kind === "hbar" ? "y" : "x",
        animation: false,
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = context.parsed[kind === "hbar" ? "x" : "y"];
                return context.dataset.label + ": " + format(value) + " " + data.unit;
              }
            }
          }
        },
        scales: kind === "hbar" ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis }
      }
    };
  }

  function drawAll(root) {
    if (!window.Chart) { return; }
    (root || document).querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source) { return; }
      var existing = window.Chart.getChart(canvas);
      if (existing) { existing.destroy(); }
      var chart = new window.Chart(canvas, config(JSON.parse(source.textContent)));
      canvas.setAttribute("data-drawn", String(chart.data.datasets.length));
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.body.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
