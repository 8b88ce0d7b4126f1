// Pain before and after each session, from the progress data the page embeds (json_script).
(function () {
  "use strict";
  const source = document.getElementById("progress-data");
  const canvas = document.getElementById("pain-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const progress = JSON.parse(source.textContent);
  const sessions = progress.sessions;
  const labels = sessions.map(function (s) { return "#" + s.number + " " + s.date; });
  // A meaningful change (2 points or 30%) gets a bigger point on the "after" line.
  const radius = sessions.map(function (s) { return s.meaningful ? 7 : 3; });
  const chart = new Chart(canvas, {
    type: "line",
    data: {
      labels: labels,
      datasets: [
        { label: "Pain before", data: sessions.map(function (s) { return s.pain_before; }),
          borderColor: "#c62828", backgroundColor: "#c62828", tension: 0.2 },
        { label: "Pain after", data: sessions.map(function (s) { return s.pain_after; }),
          borderColor: "#2f6f73", backgroundColor: "#2f6f73", tension: 0.2, pointRadius: radius },
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
              return s.meaningful ? "Meaningful change (≥ 2 points or 30%)" : "";
            },
          },
        },
      },
    },
  });
  canvas.dataset.points = String(chart.data.labels.length);
})();
