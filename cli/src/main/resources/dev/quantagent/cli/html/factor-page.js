// Draws a factor's page (FactorPage) from the chart data; static text, so no user data is ever part of the code.
// Runs inside the page's try block after prelude.js; a line that is only a comment is not inlined.
  var LIGHT = { train: 'rgba(21,101,192,0.35)', valid: 'rgba(239,108,0,0.35)',
    test: 'rgba(106,27,154,0.35)' };
  var TIME = { x: { ticks: { maxTicksLimit: 12 } } };
  function perSplit(block) {
    return data.splits.map(function (s) {
      return { label: s, data: block[s], backgroundColor: SPLIT[s] };
    });
  }
  // quantile colours: bottom red, middle grey, top green
  function qcolour(k, q) {
    var t = q < 2 ? 1 : k / (q - 1), a = [198, 40, 40], m = [158, 158, 158], b = [46, 125, 50];
    var from = t < 0.5 ? a : m, to = t < 0.5 ? m : b, u = t < 0.5 ? 2 * t : 2 * t - 1;
    return 'rgb(' + [0, 1, 2].map(function (i) { return Math.round(from[i] + (to[i] - from[i]) * u); })
      .join(',') + ')';
  }
  var w = data.windows, qc = data.q_cumulative, q = qc.labels.length;
  draw('q-cumulative', { type: 'line', data: { labels: qc.time, datasets: qc.quantiles.map(function (v, k) {
      return { label: qc.labels[k], data: v, borderColor: qcolour(k, q), backgroundColor: qcolour(k, q),
        borderWidth: 1.3, pointRadius: 0 }; }) },
    options: { scales: { x: TIME.x, y: pct() } }, plugins: [splitLines(qc.ranges)] });
  data.splits.forEach(function (s) {
    var shades = ['#0d47a1', '#1976d2', '#64b5f6', '#bbdefb'];
    draw('q-returns-' + s, { type: 'bar', data: { labels: data.q_returns.labels,
      datasets: data.q_returns[s].map(function (v, i) {
        return { label: 'held ' + data.q_returns.held[i], data: v, backgroundColor: shades[i % 4] }; }) },
      options: { scales: { y: bps() } } });
  });
  var hz = data.horizons;
  draw('horizon-ic', { type: 'bar', data: { labels: hz.labels, datasets: data.splits.map(function (s) {
      return { label: s, data: hz[s].rank_ic, backgroundColor: SPLIT[s] }; }) },
    options: { plugins: { tooltip: { callbacks: { afterLabel: function (c) {
      var x = hz[c.dataset.label], t = x.t[c.dataIndex], p = x.p[c.dataIndex];
      return 't ' + (t === null ? '-' : t.toFixed(2)) + ', p ' + (p === null ? '-' : p.toPrecision(2));
    } } } } } });
  draw('horizon-sharpe', { type: 'bar', data: { labels: hz.labels, datasets: [].concat.apply([],
      data.splits.map(function (s) { return [
        { label: s + ' after costs', data: hz[s].sharpe_net, backgroundColor: SPLIT[s] },
        { label: s + ' before costs', data: hz[s].sharpe_gross, backgroundColor: LIGHT[s] }]; })) } });
  draw('ic', { type: 'line', data: { labels: data.ic.time, datasets: bySplit(data.ic, 'rank_ic', LIGHT)
    .concat([{ label: w[0] + '-period mean', data: data.ic['mean_' + w[0]], borderColor: '#000',
      borderWidth: 1.5, pointRadius: 0 },
    { label: w[1] + '-period mean', data: data.ic['mean_' + w[1]], borderColor: '#c62828',
      borderWidth: 1.5, pointRadius: 0 }]) },
    options: { scales: TIME }, plugins: [splitLines(data.ic.ranges)] });
  draw('cumulative-ic', { type: 'line', data: { labels: data.ic.time,
    datasets: bySplit(data.ic, 'cumulative', SPLIT) }, options: { scales: TIME },
    plugins: [splitLines(data.ic.ranges)] });
  var densityX = { type: 'linear', ticks: { maxTicksLimit: 9 } };
  draw('ic-histogram', { type: 'line', data: { datasets: [].concat.apply([], data.splits.map(function (s) {
      return [{ label: s, data: data.ic_histogram[s].density, stepped: 'before', borderColor: SPLIT[s],
          backgroundColor: LIGHT[s], fill: true, pointRadius: 0, borderWidth: 1.2 },
        { label: s + ' normal', data: data.ic_histogram[s].normal, borderColor: SPLIT[s],
          borderDash: [4, 3], pointRadius: 0, borderWidth: 1 }]; })) },
    options: { scales: { x: densityX, y: { beginAtZero: true, title: { display: true, text: 'density' } } }
    } });
  var qqAll = [].concat.apply([], data.splits.map(function (s) { return data.ic_qq[s]; }));
  var qqLo = Math.min.apply(null, qqAll.map(function (p) { return Math.min(p.x, p.y); }));
  var qqHi = Math.max.apply(null, qqAll.map(function (p) { return Math.max(p.x, p.y); }));
  draw('ic-qq', { type: 'scatter', data: { datasets: data.splits.map(function (s) {
      return { label: s, data: data.ic_qq[s], backgroundColor: SPLIT[s], pointRadius: 1.8 }; })
    .concat([{ type: 'line', label: 'normal', data: [{ x: qqLo, y: qqLo }, { x: qqHi, y: qqHi }],
      borderColor: GREY, borderDash: [4, 3], pointRadius: 0, borderWidth: 1 }]) },
    options: { scales: { x: { title: { display: true, text: 'normal quantile' } },
      y: { title: { display: true, text: 'observed rank IC' } } } } });
  draw('years', { type: 'bar', data: { labels: data.years.labels, datasets: perSplit(data.years) } });
  draw('long-short', { type: 'line', data: { labels: data.book.time,
    datasets: bySplit(data.book, 'growth', SPLIT).concat(
      bySplit(data.book, 'growth_gross', SPLIT, { borderDash: [4, 3], borderWidth: 1 })
        .map(function (ds) { ds.label = ds.label + ' before costs'; return ds; })) },
    options: { scales: { x: TIME.x, y: Object.assign(unit(''), { type: 'logarithmic' }) } },
    plugins: [splitLines(data.book.ranges)] });
  draw('turnover', { type: 'line', data: { labels: data.book.time,
    datasets: bySplit(data.book, 'turnover', SPLIT) },
    options: { scales: { x: TIME.x, y: Object.assign(pct(), { beginAtZero: true }) } },
    plugins: [splitLines(data.book.ranges)] });
  draw('values', { type: 'line', data: { datasets: data.splits.map(function (s) {
      return { label: s, data: data.values[s], stepped: 'before', borderColor: SPLIT[s],
        backgroundColor: LIGHT[s], fill: true, pointRadius: 0, borderWidth: 1.2 }; }) },
    options: { scales: { x: densityX, y: { beginAtZero: true, title: { display: true, text: 'density' } } }
    } });
  if (data.groups) {
    draw('groups', { type: 'bar', data: { labels: data.groups.labels, datasets: perSplit(data.groups) } });
  }
