// Pain before and after each session, from the progress data the page embeds (json_script).
(function () {
  "use strict";
  const source = document.getElementById("progress-data");
  const canvas = document.getElementById("pain-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const progress = JSON.parse(source.textContent);
  const sessions = progress.sessions;
  const labels = sessions.map(function (s) { return "#" + s.number + " " + s.date; });
  // A meaningful change (2 points or 30%) gets a bigger point on the "after" line; a score an
  // amendment corrected is drawn as a triangle, so it reads as amended without the tooltip.
  const radius = sessions.map(function (s) { return s.meaningful ? 7 : 3; });
  const style = function (field) {
    return sessions.map(function (s) {
      return s.amended_fields && s.amended_fields.indexOf(field) >= 0 ? "triangle" : "circle";
    });
  };
  const chart = new Chart(canvas, {
    type: "line",
    data: {
      labels: labels,
      datasets: [
        { label: "Pain before", data: sessions.map(function (s) { return s.pain_before; }),
          borderColor: "#c62828", backgroundColor: "#c62828", tension: 0.2,
          pointStyle: style("pain_before") },
        { label: "Pain after", data: sessions.map(function (s) { return s.pain_after; }),
          borderColor: "#2f6f73", backgroundColor: "#2f6f73", tension: 0.2, pointRadius: radius,
          pointStyle: style("pain_after") },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 10, title: { display: true, text: "Pain (0–10)" } } },
      plugins: {
        tooltip: {
          callbacks: {
            afterBody: function (items) {
              const s = sessions[items[0].dataIndex];
              const lines = [];
              if (s.meaningful) lines.push("Meaningful change (≥ 2 points or 30%)");
              if (s.amended) lines.push("Amended after signing");
              return lines;
            },
          },
        },
      },
    },
  });
  canvas.dataset.points = String(chart.data.labels.length);
})();
