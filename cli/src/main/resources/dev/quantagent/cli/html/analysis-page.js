// Draws the assistant's page (AnalysisPage) from the chart data; static text, so no user data is ever part of the code.
// Runs inside the page's try block after prelude.js; a line that is only a comment is not inlined.
  var PALETTE = [LINE, '#ef6c00', '#6a1b9a', '#00838f', '#ad1457', '#558b2f'];
  function day(v) { return new Date(v).toISOString().slice(0, 10); }
  // a dashed vertical line at a label index (the in-sample end), drawn over the data
  function marker(index, text) {
    return { id: 'marker', afterDatasetsDraw: function (chart) {
      if (index === null || index === undefined) { return; }
      var x = chart.scales.x.getPixelForValue(index), a = chart.chartArea, c = chart.ctx;
      c.save(); c.strokeStyle = '#6a1b9a'; c.setLineDash([5, 4]); c.beginPath();
      c.moveTo(x, a.top); c.lineTo(x, a.bottom); c.stroke();
      c.fillStyle = '#6a1b9a'; c.fillText(text, x + 4, a.top + 12); c.restore();
    } };
  }
  if (data.length > 1) {
    draw('overlay', { type: 'line', data: { datasets: data.map(function (r, k) {
        return { label: r.strategy, borderColor: PALETTE[k % PALETTE.length], borderWidth: 1.5,
          pointRadius: 0, data: r.epoch.map(function (x, j) { return { x: x, y: 100 * r.equity[j] / r.equity[0] }; }) };
      }) },
      options: { scales: { x: { type: 'linear', ticks: { maxTicksLimit: 10, callback: day } } } }
    });
  }
  data.forEach(function (r, i) {
    var lines = [{ label: 'equity', data: r.equity, borderColor: LINE, borderWidth: 1.5, pointRadius: 0 }];
    if (r.benchmark) {
      lines.push({ label: 'benchmark (rebased)', data: r.benchmark, borderColor: GREY, borderWidth: 1,
        pointRadius: 0, spanGaps: true });
    }
    draw('equity-' + i, { type: 'line', data: { labels: r.time, datasets: lines },
      options: { plugins: { legend: { display: !!r.benchmark } },
        scales: { x: { ticks: { maxTicksLimit: 12 } } } }, plugins: [marker(r.is_end, 'in-sample end')]
    });
    if (r.rolling) {
      draw('roll-sharpe-' + i, { type: 'line', data: { labels: r.rolling.time, datasets: [{ label: 'Sharpe',
        data: r.rolling.sharpe, borderColor: LINE, borderWidth: 1.5, pointRadius: 0 }] },
        options: { plugins: { legend: { display: false } }, scales: { x: { ticks: { maxTicksLimit: 12 } } } },
      });
      draw('roll-vol-' + i, { type: 'line', data: { labels: r.rolling.time, datasets: [{ label: 'volatility %',
        data: r.rolling.volatility, borderColor: LINE, borderWidth: 1.5, pointRadius: 0 }] },
        options: { plugins: { legend: { display: false } },
          scales: { x: { ticks: { maxTicksLimit: 12 } }, y: pct() } }
      });
      if (r.rolling.beta) {
        draw('roll-beta-' + i, { type: 'line', data: { labels: r.rolling.beta_time, datasets: [{ label: 'beta',
          data: r.rolling.beta, borderColor: LINE, borderWidth: 1.5, pointRadius: 0 }] },
          options: { plugins: { legend: { display: false } }, scales: { x: { ticks: { maxTicksLimit: 12 } } } }
        });
      }
    }
    draw('drawdown-' + i, { type: 'line', data: { labels: r.time, datasets: [{ label: 'drawdown %',
      data: r.drawdown, borderColor: NEG, backgroundColor: 'rgba(198,40,40,0.15)', fill: 'origin',
      borderWidth: 1, pointRadius: 0 }] },
      options: { plugins: { legend: { display: false } },
        scales: { x: { ticks: { maxTicksLimit: 12 } }, y: pct() } }, plugins: [marker(r.is_end, 'in-sample end')]
    });
    draw('monthly-' + i, { type: 'bar', data: { labels: r.months, datasets: [{ label: 'return %',
      data: r.monthly, backgroundColor: signs(r.monthly) }] },
      options: { plugins: { legend: { display: false } }, scales: { y: pct() } }
    });
    if (r.pnl) {
      draw('pnl-' + i, { type: 'bar', data: { labels: r.pnl.labels, datasets: [{ label: 'trades',
        data: r.pnl.counts, backgroundColor: signs(r.pnl.mid), barPercentage: 1, categoryPercentage: 1 }] },
        options: { plugins: { legend: { display: false } },
          scales: { x: { title: { display: true, text: 'P&L per trade' } },
            y: { title: { display: true, text: 'trades' }, ticks: { precision: 0 } } } }
      });
    }
    if (r.halves) {
      var h = [r.halves.is_sharpe, r.halves.oos_sharpe];
      draw('halves-' + i, { type: 'bar', data: { labels: ['in sample', 'out of sample'],
        datasets: [{ label: 'Sharpe', data: h, backgroundColor: signs(h) }] },
        options: { plugins: { legend: { display: false } } }
      });
    }
    if (r.regimes) {
      draw('regime-return-' + i, { type: 'bar', data: { labels: r.regimes.names, datasets: [
          { label: 'strategy % a day', data: r.regimes.strategy, backgroundColor: signs(r.regimes.strategy) },
          { label: 'benchmark % a day', data: r.regimes.benchmark, backgroundColor: GREY }] },
        options: { scales: { y: pct() } }
      });
      draw('regime-share-' + i, { type: 'bar', data: { labels: r.regimes.names, datasets: [
          { label: 'share of time %', data: r.regimes.time, backgroundColor: GREY },
          { label: 'share of losses %', data: r.regimes.losses, backgroundColor: NEG }] },
        options: { scales: { y: pct() } }
      });
    }
    if (r.weekday) {
      draw('weekday-' + i, { type: 'bar', data: {
        labels: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], datasets: [
          { label: 'losing trades', data: r.weekday.losses, backgroundColor: NEG },
          { label: 'all trades', data: r.weekday.trades, backgroundColor: GREY }] },
        options: { scales: { y: { ticks: { precision: 0 } } } }
      });
    }
  });
