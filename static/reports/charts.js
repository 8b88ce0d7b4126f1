// Draws each report's chart from the data its section embeds (json_script, which CSP allows as
// it is never executed). The table under each chart holds the same figures as text.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  const colours = ["#2f6f73", "#c62828", "#8e6c1f", "#4a5fa8", "#6b4a8a", "#3d7d3a"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const chart = new Chart(canvas, {
      type: data.kind,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          const colour = colours[index % colours.length];
          return { label: set.label, data: set.data, backgroundColor: colour, borderColor: colour };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, title: { display: !!data.y_label, text: data.y_label } } },
      },
    });
    canvas.dataset.points = String(chart.data.labels.length);
  });
})();
