// What every page's drawing code starts with (HtmlPage): the chart data, the colours and a few helpers.
// A line that is only a comment is not inlined into the page.
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var POS = '#2e7d32', NEG = '#c62828', LINE = '#1565c0', GREY = '#9e9e9e';
  var SPLIT = { train: '#1565c0', valid: '#ef6c00', test: '#6a1b9a' };
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  // each canvas records whether it was drawn: a browser test (and a curious user) can see it in the DOM
  function draw(id, config) {
    var el = document.getElementById(id);
    if (!el) { return; }
    // a bar's length is its value: every bar chart's value axis starts at zero
    if (config.type === 'bar') {
      config.options = config.options || {};
      config.options.scales = config.options.scales || {};
      var y = config.options.scales.y = config.options.scales.y || {};
      if (y.beginAtZero === undefined) { y.beginAtZero = true; }
    }
    try { new Chart(el, config); el.setAttribute('data-drawn', 'yes'); }
    catch (e) { el.setAttribute('data-error', String(e)); console.error(e); }
  }
  function signs(values) {
    return values.map(function (v) { return v === null || v >= 0 ? POS : NEG; });
  }
  // tick labels as Chart.js writes numbers (no 0.15000000000000002), then the unit
  function unit(suffix) {
    return { ticks: { callback: function (v, i, ticks) {
      return Chart.Ticks.formatters.numeric.call(this, v, i, ticks) + suffix; } } };
  }
  function pct() { return unit('%'); }
  // series of several splits on one axis: one dataset per split ({split, from, to} ranges)
  function bySplit(block, key, colours, extra) {
    return block.ranges.map(function (r) {
      var ds = { label: r.split, borderColor: colours[r.split], backgroundColor: colours[r.split],
        borderWidth: 1.2, pointRadius: 0,
        data: block[key].map(function (v, i) { return i >= r.from && i < r.to ? v : null; }) };
      for (var k in (extra || {})) { ds[k] = extra[k]; }
      return ds;
    });
  }
  // a dashed line where each split after the first starts, with its name
  function splitLines(ranges) {
    return { id: 'splits', afterDatasetsDraw: function (chart) {
      var a = chart.chartArea, c = chart.ctx;
      ranges.slice(1).forEach(function (r) {
        var x = chart.scales.x.getPixelForValue(r.from);
        c.save(); c.strokeStyle = '#555'; c.setLineDash([4, 4]); c.beginPath();
        c.moveTo(x, a.top); c.lineTo(x, a.bottom); c.stroke();
        c.fillStyle = '#555'; c.fillText(r.split, x + 4, a.top + 12); c.restore();
      });
    } };
  }
  function bps() { return unit(' bps'); }
