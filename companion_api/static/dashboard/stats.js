// Draws the stats page's charts from the JSON the server embedded (the tables stay as the
// no-JavaScript view). Chart.js is the vendored UMD build: static/vendor/chart.umd.js.
(function () {
  'use strict';
  const dataEl = document.getElementById('stats-data');
  if (!dataEl || typeof window.Chart === 'undefined') return;
  const data = JSON.parse(dataEl.textContent);
  const css = getComputedStyle(document.documentElement);
  const color = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const ok = color('--ok', '#2e7d32');
  const bad = color('--bad', '#c62828');
  const accent = color('--accent', '#1f5fbf');
  const muted = color('--muted', '#888');

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    canvas.parentElement.hidden = false;
    config.options = Object.assign({responsive: true, maintainAspectRatio: false, animation: false},
                                   config.options || {});
    new window.Chart(canvas, config);
  }

  draw('chart-per-day', {
    type: 'bar',
    data: {
      labels: data.per_day.map((d) => d.date),
      datasets: [
        {label: 'Successful', data: data.per_day.map((d) => d.successes), backgroundColor: ok},
        {label: 'Other', data: data.per_day.map((d) => d.runs - d.successes), backgroundColor: bad},
      ],
    },
    options: {scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}},
  });

  draw('chart-languages', {
    type: 'bar',
    data: {
      labels: data.per_language.map((l) => l.language),
      datasets: [
        {label: 'Success rate (%)', data: data.per_language.map((l) => Math.round(l.success_rate * 100)),
         backgroundColor: ok, yAxisID: 'rate'},
        {label: 'p50 (ms)', data: data.per_language.map((l) => l.p50), backgroundColor: accent, yAxisID: 'ms'},
        {label: 'p95 (ms)', data: data.per_language.map((l) => l.p95), backgroundColor: muted, yAxisID: 'ms'},
      ],
    },
    options: {scales: {
      rate: {position: 'left', min: 0, max: 100, title: {display: true, text: '%'}},
      ms: {position: 'right', beginAtZero: true, grid: {drawOnChartArea: false}, title: {display: true, text: 'ms'}},
    }},
  });

  draw('chart-sites', {
    type: 'bar',
    data: {
      labels: data.top_sites.map((s) => s.site),
      datasets: [{label: 'Runs', data: data.top_sites.map((s) => s.runs), backgroundColor: accent}],
    },
    options: {indexAxis: 'y', scales: {x: {beginAtZero: true, ticks: {precision: 0}}}},
  });
})();
