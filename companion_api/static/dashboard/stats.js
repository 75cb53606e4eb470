// Draws the stats page's charts from the JSON the server embedded (the tables stay as the
// no-JavaScript view). Chart.js is the vendored UMD build: static/vendor/chart.umd.js.
// One measure per value axis: success rate and duration are separate charts.
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
  const muted = color('--muted', '#6b6b70');
  // Axis text and grid in the page's colours, so both themes keep their contrast.
  window.Chart.defaults.color = color('--fg', '#1d1d1f');
  window.Chart.defaults.borderColor = color('--line', '#deded9');
  // A bar never shrinks out of sight: a 40 ms p50 beside a 5 s p95 still shows.
  const MIN_BAR = 4;

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    for (let box = canvas.parentElement; box && box !== document.body; box = box.parentElement) {
      if (box.hidden) box.hidden = false;
    }
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

  const languages = data.per_language.map((l) => l.language);
  draw('chart-success-rate', {
    type: 'bar',
    data: {
      labels: languages,
      datasets: [{label: 'Success rate (%)', data: data.per_language.map((l) => Math.round(l.success_rate * 100)),
                  backgroundColor: ok, minBarLength: MIN_BAR}],
    },
    options: {plugins: {legend: {display: false}},
              scales: {y: {min: 0, max: 100, title: {display: true, text: '%'}}}},
  });

  // Durations span orders of magnitude (a JavaScript block in ms, a first Python run in
  // seconds): past a 50x spread the axis is logarithmic so the short bars stay readable.
  const durations = data.per_language.flatMap((l) => [l.p50, l.p95]).filter((v) => v > 0);
  const spread = durations.length ? Math.max(...durations) / Math.min(...durations) : 1;
  const logarithmic = spread >= 50;
  draw('chart-duration', {
    type: 'bar',
    data: {
      labels: languages,
      datasets: [
        {label: 'p50', data: data.per_language.map((l) => l.p50), backgroundColor: accent, minBarLength: MIN_BAR},
        {label: 'p95', data: data.per_language.map((l) => l.p95), backgroundColor: muted, minBarLength: MIN_BAR},
      ],
    },
    options: {scales: {y: {
      type: logarithmic ? 'logarithmic' : 'linear',
      beginAtZero: !logarithmic,
      title: {display: true, text: logarithmic ? 'ms (logarithmic)' : 'ms'},
    }}},
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
