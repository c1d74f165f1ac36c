// Draws a mining run's page (RunPage) from the chart data; static text, so no user data is ever part of the code.
// Runs inside the page's try block after prelude.js; a line that is only a comment is not inlined.
  var r = data.rounds, p = data.pool;
  var TIME = { ticks: { maxTicksLimit: 12 } };
  if (data.signal) {
    var s = data.signal, ic = bySplit(s.ic, 'cumulative', SPLIT, { borderWidth: 1.4 });
    if (data.baseline) {
      ic.push({ label: 'baseline', data: data.baseline.ic.cumulative, borderColor: GREY, borderDash: [4, 3],
        borderWidth: 1, pointRadius: 0 });
    }
    draw('signal-ic', { type: 'line', data: { labels: s.ic.time, datasets: ic },
      options: { scales: { x: TIME } }, plugins: [splitLines(s.ic.ranges)] });
    var topk = bySplit(s.topk, 'excess_net', SPLIT, { borderWidth: 1.4 }).concat(bySplit(s.topk,
      'excess_gross', SPLIT, { borderDash: [4, 3], borderWidth: 1 }).map(function (ds) { ds.label += ' before costs'; return ds; }));
    if (data.baseline) {
      topk.push({ label: 'baseline after costs', data: data.baseline.topk.excess_net, borderColor: GREY,
        borderWidth: 1, pointRadius: 0 });
    }
    draw('signal-topk', { type: 'line', data: { labels: s.topk.time, datasets: topk },
      options: { scales: { x: TIME, y: pct() } }, plugins: [splitLines(s.topk.ranges)] });
    var q = data.signal_quantiles;
    draw('signal-quantiles', { type: 'bar', data: { labels: q.labels, datasets:
      ['train', 'valid', 'test'].map(function (k) {
        return { label: k, data: q[k], backgroundColor: SPLIT[k] }; }) },
      options: { scales: { y: bps() } } });
  }
  draw('pool-ic', { type: 'bar', data: { labels: p.labels, datasets: [
    { label: 'train', data: p.train_rank_ic, backgroundColor: SPLIT.train },
    { label: 'valid', data: p.valid_rank_ic, backgroundColor: SPLIT.valid },
    { label: 'test', data: p.test_rank_ic, backgroundColor: SPLIT.test }] } });
  draw('pool-sharpe', { type: 'bar', data: { labels: p.labels, datasets: [
    { label: 'valid', data: p.valid_sharpe, backgroundColor: SPLIT.valid },
    { label: 'test', data: p.test_sharpe, backgroundColor: SPLIT.test }] } });
  draw('rounds', { type: 'bar', data: { labels: r.labels, datasets: [
    { label: 'accepted', data: r.accepted, backgroundColor: POS },
    { label: 'rejected', data: r.rejected, backgroundColor: GREY },
    { label: 'invalid', data: r.invalid, backgroundColor: NEG }] },
    options: { scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } } });
  draw('best', { type: 'line', data: { labels: r.labels, datasets: [
    { label: 'pool: best valid rank IC so far', data: r.pool_best_valid_rank_ic, borderColor: LINE,
      pointRadius: 3 },
    { label: 'round: best train rank IC tested', data: r.best_train_rank_ic, borderColor: GREY,
      borderDash: [5, 4], pointRadius: 3 }] } });
  draw('acceptance', { type: 'line', data: { labels: data.acceptance.tested, datasets: [
    { label: 'accepted so far', data: data.acceptance.accepted, borderColor: POS, pointRadius: 0,
      stepped: true }] },
    options: { scales: { x: { title: { display: true, text: 'factors tested' },
      ticks: { maxTicksLimit: 12 } }, y: { beginAtZero: true, ticks: { precision: 0 } } } } });
