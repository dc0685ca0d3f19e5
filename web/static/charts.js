// vigil charts: the timeline (incidents per period with killed and injured
// as min-max bands) and the bars by perpetrator and governorate. Needs
// Chart.js (static/vendor, installed by scripts/setup); without it the
// tables under each chart carry the same figures.
(function () {
  'use strict';

  function ready(fn) {
    if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn);
  }

  function getJSON(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    });
  }

  function timeline(canvas, buckets) {
    var d = canvas.dataset;
    var labels = buckets.map(function (b) { return b.key; });
    return new Chart(canvas, {
      data: {
        labels: labels,
        datasets: [
          { type: 'line', label: d.labelKilledMin, data: buckets.map(function (b) { return b.killed_min; }), borderColor: '#8a2b1d', pointRadius: 0, borderWidth: 1, yAxisID: 'y', fill: false },
          { type: 'line', label: d.labelKilledMax, data: buckets.map(function (b) { return b.killed_max; }), borderColor: '#c0392b', backgroundColor: 'rgba(192,57,43,0.25)', pointRadius: 0, borderWidth: 1, yAxisID: 'y', fill: '-1' },
          { type: 'line', label: d.labelInjuredMin, data: buckets.map(function (b) { return b.injured_min; }), borderColor: '#1f4e79', pointRadius: 0, borderWidth: 1, yAxisID: 'y', fill: false, hidden: true },
          { type: 'line', label: d.labelInjuredMax, data: buckets.map(function (b) { return b.injured_max; }), borderColor: '#2f7fc1', backgroundColor: 'rgba(47,127,193,0.2)', pointRadius: 0, borderWidth: 1, yAxisID: 'y', fill: '-1', hidden: true },
          { type: 'bar', label: d.labelIncidents, data: buckets.map(function (b) { return b.incidents; }), backgroundColor: 'rgba(90,90,90,0.35)', yAxisID: 'y1' }
        ]
      },
      options: {
        animation: false, responsive: true, interaction: { mode: 'index', intersect: false },
        scales: {
          x: { reverse: d.dir === 'rtl' },
          y: { beginAtZero: true, position: d.dir === 'rtl' ? 'right' : 'left' },
          y1: { beginAtZero: true, position: d.dir === 'rtl' ? 'left' : 'right', grid: { drawOnChartArea: false } }
        },
        plugins: { legend: { rtl: d.dir === 'rtl' }, tooltip: { rtl: d.dir === 'rtl' } }
      }
    });
  }

  function bars(canvas, buckets) {
    var d = canvas.dataset;
    buckets = buckets.slice(0, 15);
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: buckets.map(function (b) { return b.label || b.key; }),
        datasets: [
          { label: d.labelIncidents, data: buckets.map(function (b) { return b.incidents; }), backgroundColor: 'rgba(90,90,90,0.5)' },
          { label: d.labelKilledMin, data: buckets.map(function (b) { return b.killed_min; }), backgroundColor: '#8a2b1d' },
          { label: d.labelKilledMax, data: buckets.map(function (b) { return b.killed_max; }), backgroundColor: 'rgba(192,57,43,0.45)' }
        ]
      },
      options: {
        animation: false, indexAxis: 'y', responsive: true,
        scales: { x: { beginAtZero: true, reverse: d.dir === 'rtl' }, y: { position: d.dir === 'rtl' ? 'right' : 'left' } },
        plugins: { legend: { rtl: d.dir === 'rtl' } }
      }
    });
  }

  ready(function () {
    if (!window.Chart) return;
    document.querySelectorAll('canvas.chart').forEach(function (canvas) {
      getJSON(canvas.dataset.src).then(function (res) {
        if (canvas.dataset.kind === 'bar') bars(canvas, res.buckets); else timeline(canvas, res.buckets);
        canvas.dataset.rendered = String(res.buckets.length);
      }).catch(function (err) { canvas.dataset.error = String(err); });
    });
  });
})();
