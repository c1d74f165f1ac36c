// Draws the page of a factor evaluated in time (TimeSeriesPage) from the chart data; static text.
// Runs inside the page's try block after prelude.js; a line that is only a comment is not inlined.
  var TIME = { ticks: { maxTicksLimit: 12 } };
  draw('rolling-ic', { type: 'line', data: { labels: data.rolling.time,
    datasets: bySplit(data.rolling, 'ic', SPLIT) }, options: { scales: { x: TIME } },
    plugins: [splitLines(data.rolling.ranges)] });
  var g = data.growth;
  draw('growth', { type: 'line', data: { labels: g.time, datasets: [
    { label: 'by its sign', data: g.sign, borderColor: LINE, borderWidth: 1.2, pointRadius: 0 },
    { label: 'by its z-score', data: g.zscore, borderColor: POS, borderWidth: 1.2, pointRadius: 0 },
    { label: 'holding the asset', data: g.hold, borderColor: GREY, borderWidth: 1, pointRadius: 0 }] },
    options: { scales: { x: TIME, y: Object.assign(unit(''), { type: 'logarithmic' }) } },
    plugins: [splitLines(g.ranges)] });
