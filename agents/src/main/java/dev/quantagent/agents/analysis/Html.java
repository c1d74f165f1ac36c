package dev.quantagent.agents.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.agents.analysis.Report.CheckItem;
import dev.quantagent.agents.analysis.Report.Finding;
import dev.quantagent.agents.analysis.Report.Recommendation;
import dev.quantagent.agents.analysis.Report.Severity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders reports as one self-contained HTML page: the text sections as HTML (every text escaped), the chart data as
 * JSON in a {@code <script type="application/json">} block, and Chart.js inlined from its WebJar so the page needs no
 * network when viewed. Always complete, like JSON: verbosity only shapes markdown.
 */
final class Html {

    /** The Chart.js UMD bundle inside the WebJar (the version comes from the pom, via the jar's properties). */
    private static final String WEBJAR = "META-INF/resources/webjars/chart.js/";
    private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    private static volatile String chartJs;

    private Html() {
    }

    static String html(List<Report> reports) {
        StringBuilder sb = new StringBuilder(300_000);
        List<String> names = new ArrayList<>();
        for (Report r : reports) {
            names.add(r.strategy());
        }
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Backtest analysis: ").append(esc(String.join(" → ", names))).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        if (reports.size() > 1) {
            comparison(reports, sb);
        }
        for (int i = 0; i < reports.size(); i++) {
            report(reports.get(i), i, reports.size() > 1, sb);
        }
        sb.append("<script type=\"application/json\" id=\"chart-data\">").append(data(reports))
                .append("</script>\n");
        sb.append("<script>\n").append(chartJs()).append("\n</script>\n");
        sb.append("<script>\n").append(CHARTS).append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    // ---------------------------------------------------------------- text sections

    private static void report(Report r, int index, boolean several, StringBuilder sb) {
        Backtest bt = r.backtest();
        String h = several ? "h2" : "h1";
        String hh = several ? "h3" : "h2";
        sb.append("<section class=\"report\">\n<").append(h).append(">Backtest analysis: ")
                .append(esc(bt.strategy())).append("</").append(h).append(">\n");
        sb.append("<p class=\"headline\"><span class=\"grade grade-").append(r.grade()).append("\">")
                .append(esc(r.grade())).append("</span> ")
                .append(String.format(Locale.ROOT, "score %.0f/100. ", r.score())).append(esc(r.summary()))
                .append("</p>\n");
        sb.append("<p class=\"meta\">").append(esc(bt.type())).append(" · ")
                .append(bt.assetClass().name().toLowerCase(Locale.ROOT)).append(" · ")
                .append(Analyzer.day(bt.periodStart())).append(" to ").append(Analyzer.day(bt.periodEnd()))
                .append(" · ").append(esc(Reports.num(r.metrics().periodsPerYear()))).append(" periods a year</p>\n");

        sb.append("<div class=\"charts\">\n");
        canvas(sb, "Equity", "equity-" + index);
        canvas(sb, "Drawdown", "drawdown-" + index);
        canvas(sb, "Monthly returns", "monthly-" + index);
        if (!bt.trades().isEmpty()) {
            canvas(sb, "Trade P&L distribution", "pnl-" + index);
        }
        if (r.halves() != null) {
            canvas(sb, "In sample vs out of sample: Sharpe", "halves-" + index);
        }
        if (!bt.trades().isEmpty()) {
            canvas(sb, "Losing trades by entry weekday", "weekday-" + index);
        }
        if (!r.regimes().isEmpty()) {
            canvas(sb, "Return by market regime", "regime-return-" + index);
            canvas(sb, "Market regimes: share of time vs share of losses", "regime-share-" + index);
        }
        sb.append("</div>\n");

        sb.append('<').append(hh).append(">Concerns</").append(hh).append(">\n");
        if (r.findings().isEmpty()) {
            sb.append("<p>None found by the rules.</p>\n");
        } else {
            sb.append("<ul class=\"findings\">\n");
            for (Finding f : r.findings()) {
                String sev = f.severity().name().toLowerCase(Locale.ROOT);
                sb.append("<li><span class=\"sev sev-").append(sev).append("\">").append(sev).append("</span> <b>")
                        .append(esc(f.title())).append("</b>: ").append(esc(f.detail())).append(" <code>")
                        .append(esc(f.code())).append("</code></li>\n");
            }
            sb.append("</ul>\n");
        }
        sb.append('<').append(hh).append(">Strengths</").append(hh).append(">\n");
        list(r.strengths(), "None stand out.", sb);

        sb.append('<').append(hh).append(">Metrics</").append(hh).append(">\n<table class=\"metrics\">\n")
                .append("<thead><tr><th>metric</th><th>value</th><th>meaning</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, Double> e : r.metrics().values().entrySet()) {
            Metrics.Def d = Metrics.def(e.getKey());
            sb.append("<tr><td>").append(esc(d.label())).append("</td><td class=\"num\">")
                    .append(esc(Reports.format(d, e.getValue()))).append("</td><td>").append(esc(d.explanation()))
                    .append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n");

        sb.append('<').append(hh).append(">Interpretation</").append(hh).append(">\n<ul>\n")
                .append("<li>Sharpe band: <b>").append(esc(r.sharpeBand().label())).append("</b>: ")
                .append(esc(r.sharpeBand().meaning())).append(".</li>\n")
                .append("<li>Drawdown band: <b>").append(esc(r.drawdownBand().label())).append("</b>: ")
                .append(esc(r.drawdownBand().meaning())).append(".</li>\n")
                .append("<li>Trade profile: ").append(esc(r.profile())).append(".</li>\n</ul>\n");
        if (r.market() != null) {
            sb.append('<').append(hh).append(">Benchmark and market regimes</").append(hh).append(">\n<p>")
                    .append(esc(Reports.benchmarkSentence(r))).append("</p>\n");
            if (!r.regimes().isEmpty()) {
                sb.append("<p>").append(esc(Reports.regimeDefinition())).append("</p>\n<table>\n<thead><tr>")
                        .append("<th>regime</th><th>periods</th><th>share of time</th><th>strategy return</th>")
                        .append("<th>benchmark return</th><th>share of losses</th></tr></thead>\n<tbody>\n");
                for (Report.Regime g : r.regimes()) {
                    boolean problem = g.equals(r.problem());
                    sb.append("<tr").append(problem ? " class=\"problem\"" : "").append("><td>").append(esc(g.name()))
                            .append(problem ? " <b>(problem)</b>" : "").append("</td><td class=\"num\">")
                            .append(g.periods()).append("</td><td class=\"num\">").append(esc(Reports.pct(g.share())))
                            .append("</td><td class=\"num\">").append(esc(Reports.pct(g.strategyReturn())))
                            .append("</td><td class=\"num\">").append(esc(Reports.pct(g.benchmarkReturn())))
                            .append("</td><td class=\"num\">").append(esc(Reports.pct(g.shareOfLosses())))
                            .append("</td></tr>\n");
                }
                sb.append("</tbody>\n</table>\n");
            }
        }

        sb.append('<').append(hh).append(">Recommendations</").append(hh).append(">\n");
        if (r.recommendations().isEmpty()) {
            sb.append("<p>Nothing pressing; keep monitoring live results against the backtest.</p>\n");
        } else {
            sb.append("<ul class=\"recs\">\n");
            for (Recommendation rec : r.recommendations()) {
                String p = rec.priority().name().toLowerCase(Locale.ROOT);
                sb.append("<li><span class=\"sev sev-").append(p).append("\">").append(p).append("</span> (")
                        .append(esc(rec.category().label)).append(") <b>").append(esc(rec.title()))
                        .append("</b>: expected impact: ").append(esc(rec.expectedImpact()));
                if (!rec.steps().isEmpty()) {
                    sb.append("\n<ol>");
                    for (String step : rec.steps()) {
                        sb.append("<li>").append(esc(step)).append("</li>");
                    }
                    sb.append("</ol>");
                }
                sb.append("</li>\n");
            }
            sb.append("</ul>\n");
        }
        sb.append('<').append(hh).append(">Position sizing</").append(hh).append(">\n<p>")
                .append(esc(r.sharpeBand().sizing())).append("</p>\n");
        sb.append('<').append(hh).append(">Risk checklist</").append(hh).append(">\n<table>\n")
                .append("<thead><tr><th>area</th><th>item</th><th>status</th><th>note</th></tr></thead>\n<tbody>\n");
        for (CheckItem c : r.checklist()) {
            sb.append("<tr><td>").append(esc(c.area())).append("</td><td>").append(esc(c.item()))
                    .append("</td><td class=\"st-").append(esc(c.status())).append("\">").append(esc(c.status()))
                    .append("</td><td>").append(esc(c.note())).append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n</section>\n");
    }

    private static void canvas(StringBuilder sb, String title, String id) {
        sb.append("<figure><figcaption>").append(esc(title)).append("</figcaption><div class=\"chart\"><canvas id=\"")
                .append(id).append("\"></canvas></div></figure>\n");
    }

    private static void list(List<String> items, String none, StringBuilder sb) {
        if (items.isEmpty()) {
            sb.append("<p>").append(esc(none)).append("</p>\n");
            return;
        }
        sb.append("<ul>\n");
        for (String s : items) {
            sb.append("<li>").append(esc(s)).append("</li>\n");
        }
        sb.append("</ul>\n");
    }

    private static void comparison(List<Report> reports, StringBuilder sb) {
        List<String> names = new ArrayList<>();
        for (Report r : reports) {
            names.add(esc(r.strategy()));
        }
        sb.append("<section class=\"comparison\">\n<h1>Comparison: ").append(String.join(" → ", names))
                .append("</h1>\n<table>\n<thead><tr><th>metric</th>");
        for (String n : names) {
            sb.append("<th>").append(n).append("</th>");
        }
        sb.append("<th>change</th></tr></thead>\n<tbody>\n<tr><td>Grade</td>");
        for (Report r : reports) {
            sb.append("<td class=\"num\">").append(esc(r.grade()))
                    .append(String.format(Locale.ROOT, " (%.0f)", r.score())).append("</td>");
        }
        changeCell(Reports.gradeChange(reports), sb);
        for (String key : Reports.COMPARED) {
            Metrics.Def d = Metrics.def(key);
            sb.append("<tr><td>").append(esc(d.label())).append("</td>");
            for (Report r : reports) {
                sb.append("<td class=\"num\">").append(esc(Reports.format(d, r.metrics().values().get(key))))
                        .append("</td>");
            }
            changeCell(Reports.change(reports.get(0).metrics().values().get(key),
                    reports.get(reports.size() - 1).metrics().values().get(key), d.better()), sb);
        }
        sb.append("</tbody>\n</table>\n<p>").append(esc(Reports.comparisonSummary(reports)))
                .append("</p>\n</section>\n");
    }

    private static void changeCell(String change, StringBuilder sb) {
        sb.append("<td class=\"ch-").append(change.replace('/', '-')).append("\">").append(esc(change))
                .append("</td></tr>\n");
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    sb.append("&amp;");
                    break;
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&#39;");
                    break;
                default:
                    sb.append(c);
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- chart data

    /** The chart data of every report as a JSON array, safe inside a script element. */
    static String data(List<Report> reports) {
        ArrayNode all = Reports.MAPPER.createArrayNode();
        for (Report r : reports) {
            all.add(data(r));
        }
        try {
            // <, > and & as \\u escapes: "</script>" in a strategy name cannot end the JSON block early
            return Reports.MAPPER.writer().with(new ScriptSafe()).writeValueAsString(all);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode data(Report r) {
        Backtest bt = r.backtest();
        ObjectNode o = Reports.MAPPER.createObjectNode();
        o.put("strategy", bt.strategy());
        long[] t = bt.equityTime();
        double[] eq = bt.equity();
        boolean intraday = false;
        for (long x : t) {
            intraday |= x % 86_400 != 0;
        }
        ArrayNode labels = o.putArray("time");
        ArrayNode equity = o.putArray("equity");
        ArrayNode drawdown = o.putArray("drawdown");
        double peak = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < t.length; i++) {
            labels.add(intraday ? LocalDateTime.ofEpochSecond(t[i], 0, ZoneOffset.UTC).toString().replace('T', ' ')
                    : Analyzer.day(t[i]));
            put(equity, eq[i]);
            peak = Math.max(peak, eq[i]);
            put(drawdown, peak > 0 ? 100 * (eq[i] / peak - 1) : Double.NaN);
        }
        if (r.market() != null) {
            // the benchmark on the equity chart, rebased to the equity at the first point both have
            Map<Long, Double> price = new java.util.HashMap<>();
            for (int i = 0; i < r.market().equityTimes().length; i++) {
                price.put(r.market().equityTimes()[i], r.market().priceAt()[i]);
            }
            ArrayNode bench = o.putArray("benchmark");
            double scale = Double.NaN;
            for (int i = 0; i < t.length; i++) {
                double p = price.getOrDefault(t[i], Double.NaN);
                if (scale != scale && p == p) {
                    scale = eq[i] / p;
                }
                put(bench, p * scale);
            }
        }
        // monthly returns: last equity of each month against the last of the month before (the first point for
        // the first month)
        ArrayNode months = o.putArray("months");
        ArrayNode monthly = o.putArray("monthly");
        YearMonth current = null;
        double base = eq[0];
        double last = eq[0];
        for (int i = 0; i < t.length; i++) {
            YearMonth m = YearMonth.from(Instant.ofEpochSecond(t[i]).atOffset(ZoneOffset.UTC));
            if (current != null && !m.equals(current)) {
                months.add(current.toString());
                put(monthly, base > 0 ? 100 * (last / base - 1) : Double.NaN);
                base = last;
            }
            current = m;
            last = eq[i];
        }
        months.add(current.toString());
        put(monthly, base > 0 ? 100 * (last / base - 1) : Double.NaN);

        if (!bt.trades().isEmpty()) {
            histogram(bt.trades(), o.putObject("pnl"));
            double[] losses = r.lossesBy().get("weekday_losses");
            double[] trades = r.lossesBy().get("weekday_trades");
            if (losses != null && trades != null) {
                ObjectNode w = o.putObject("weekday");
                ArrayNode l = w.putArray("losses");
                ArrayNode a = w.putArray("trades");
                for (int i = 0; i < 7; i++) {
                    put(l, losses[i]);
                    put(a, trades[i]);
                }
            }
        }
        if (!r.regimes().isEmpty()) {
            ObjectNode g = o.putObject("regimes");
            ArrayNode names = g.putArray("names");
            ArrayNode strategy = g.putArray("strategy");
            ArrayNode benchmark = g.putArray("benchmark");
            ArrayNode time = g.putArray("time");
            ArrayNode losses = g.putArray("losses");
            for (Report.Regime x : r.regimes()) {
                names.add(x.name());
                put(strategy, 100 * x.strategyReturn());
                put(benchmark, 100 * x.benchmarkReturn());
                put(time, 100 * x.share());
                put(losses, 100 * x.shareOfLosses());
            }
        }
        if (r.halves() != null) {
            ObjectNode h = o.putObject("halves");
            put(h, "is_sharpe", r.halves().isSharpe());
            put(h, "oos_sharpe", r.halves().oosSharpe());
        }
        return o;
    }

    /** Equal-width bins over the trades' P&L; about √n bins, 5 to 30 (one more when aligned on zero). */
    private static void histogram(List<Backtest.Trade> trades, ObjectNode o) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Backtest.Trade tr : trades) {
            min = Math.min(min, tr.pnl());
            max = Math.max(max, tr.pnl());
        }
        int bins = Math.max(5, Math.min(30, (int) Math.ceil(Math.sqrt(trades.size()))));
        double width = max > min ? (max - min) / bins : 1;
        if (max <= min) {
            min -= width * bins / 2.0; // all equal: centre them in one bin
        } else {
            // bin edges on multiples of the width, so 0 is an edge and every bin is all losses or all wins
            min = width * Math.floor(min / width);
            bins = Math.max(1, (int) Math.ceil((max - min) / width - 1e-9));
        }
        int[] counts = new int[bins];
        for (Backtest.Trade tr : trades) {
            counts[Math.min(bins - 1, (int) ((tr.pnl() - min) / width))]++;
        }
        ArrayNode labels = o.putArray("labels");
        ArrayNode count = o.putArray("counts");
        ArrayNode mid = o.putArray("mid");
        for (int i = 0; i < bins; i++) {
            double lo = min + i * width;
            labels.add(Math.round(lo) + " to " + Math.round(lo + width)); // round(): never "-0"
            count.add(counts[i]);
            put(mid, lo + width / 2);
        }
    }

    private static void put(ArrayNode a, double v) {
        if (v != v || Double.isInfinite(v)) {
            a.addNull(); // Chart.js skips nulls; NaN would become the string "NaN"
        } else {
            a.add(v);
        }
    }

    private static void put(ObjectNode o, String key, double v) {
        if (v != v || Double.isInfinite(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    /** Jackson escapes that keep JSON inert inside HTML: {@code < > &} become {@code \\u003c} etc. */
    private static final class ScriptSafe extends CharacterEscapes {
        private final int[] table;

        ScriptSafe() {
            table = standardAsciiEscapesForJSON();
            table['<'] = ESCAPE_STANDARD;
            table['>'] = ESCAPE_STANDARD;
            table['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // U+2028/2029 are fine in JSON.parse but escaped anyway so the block stays valid if read as JS
            return ch == 0x2028 || ch == 0x2029 ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }

    // ---------------------------------------------------------------- library and static page parts

    /** The Chart.js UMD bundle from the WebJar on the classpath, read once. */
    static String chartJs() {
        String js = chartJs;
        if (js == null) {
            ClassLoader cl = Html.class.getClassLoader();
            String version;
            try (InputStream in = cl.getResourceAsStream(POM_PROPERTIES)) {
                if (in == null) {
                    throw new IllegalStateException("Chart.js WebJar is not on the classpath (" + POM_PROPERTIES
                            + ")");
                }
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                version = p.getProperty("version");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String path = WEBJAR + version + "/dist/chart.umd.js";
            try (InputStream in = cl.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("Chart.js bundle not found at " + path);
                }
                // "</script" anywhere in the bundle would close our script element; "<\/" means the same in JS
                js = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            chartJs = js;
        }
        return js;
    }

    private static final String CSS = String.join("\n",
            "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;max-width:1100px;"
                    + "margin:2em auto;padding:0 1em}",
            "h1,h2,h3{line-height:1.2}",
            "table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}",
            "th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}",
            "th{background:#f4f4f4}",
            "td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}",
            ".headline{font-size:1.15em}",
            ".grade{display:inline-block;font-weight:700;font-size:1.4em;padding:0 .5em;border-radius:4px;"
                    + "color:#fff;background:#777}",
            ".grade-A,.grade-B{background:#2e7d32}.grade-C{background:#f9a825}.grade-D,.grade-F{background:#c62828}",
            ".meta{color:#666}",
            ".sev{display:inline-block;font-size:.8em;font-weight:600;padding:0 .4em;border-radius:3px;"
                    + "background:#eee}",
            ".sev-critical{background:#c62828;color:#fff}.sev-high{background:#ef6c00;color:#fff}"
                    + ".sev-medium{background:#f9a825}",
            "tr.problem td{background:#fdecea}",
            ".st-fail,.ch-worsened{color:#c62828}.st-warn{color:#ef6c00}.st-ok,.ch-improved{color:#2e7d32}",
            ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1em}",
            "figure{margin:0;border:1px solid #e4e4e4;border-radius:4px;padding:.5em}",
            "figcaption{font-weight:600;margin-bottom:.3em}",
            ".chart{position:relative;height:260px}",
            "section{margin-bottom:3em}",
            "");

    /** Draws the charts from the JSON block; static text, so no user data is ever part of the code. */
    private static final String CHARTS = String.join("\n",
            "(function () {",
            "  var data = JSON.parse(document.getElementById('chart-data').textContent);",
            "  var POS = '#2e7d32', NEG = '#c62828', LINE = '#1565c0', GREY = '#9e9e9e';",
            "  Chart.defaults.animation = false;",
            "  Chart.defaults.maintainAspectRatio = false;",
            "  function draw(id, config) {",
            "    var el = document.getElementById(id);",
            "    if (el) { new Chart(el, config); }",
            "  }",
            "  function signs(values) {",
            "    return values.map(function (v) { return v === null || v >= 0 ? POS : NEG; });",
            "  }",
            "  function pct() { return { ticks: { callback: function (v) { return v + '%'; } } }; }",
            "  data.forEach(function (r, i) {",
            "    var lines = [{ label: 'equity', data: r.equity, borderColor: LINE, borderWidth: 1.5, pointRadius: 0 }];",
            "    if (r.benchmark) {",
            "      lines.push({ label: 'benchmark (rebased)', data: r.benchmark, borderColor: GREY, borderWidth: 1,",
            "        pointRadius: 0, spanGaps: true });",
            "    }",
            "    draw('equity-' + i, { type: 'line', data: { labels: r.time, datasets: lines },",
            "      options: { plugins: { legend: { display: !!r.benchmark } },",
            "        scales: { x: { ticks: { maxTicksLimit: 12 } } } }",
            "    });",
            "    draw('drawdown-' + i, { type: 'line', data: { labels: r.time, datasets: [{ label: 'drawdown %',",
            "      data: r.drawdown, borderColor: NEG, backgroundColor: 'rgba(198,40,40,0.15)', fill: 'origin',",
            "      borderWidth: 1, pointRadius: 0 }] },",
            "      options: { plugins: { legend: { display: false } },",
            "        scales: { x: { ticks: { maxTicksLimit: 12 } }, y: pct() } }",
            "    });",
            "    draw('monthly-' + i, { type: 'bar', data: { labels: r.months, datasets: [{ label: 'return %',",
            "      data: r.monthly, backgroundColor: signs(r.monthly) }] },",
            "      options: { plugins: { legend: { display: false } }, scales: { y: pct() } }",
            "    });",
            "    if (r.pnl) {",
            "      draw('pnl-' + i, { type: 'bar', data: { labels: r.pnl.labels, datasets: [{ label: 'trades',",
            "        data: r.pnl.counts, backgroundColor: signs(r.pnl.mid), barPercentage: 1, categoryPercentage: 1 }] },",
            "        options: { plugins: { legend: { display: false } },",
            "          scales: { x: { title: { display: true, text: 'P&L per trade' } },",
            "            y: { title: { display: true, text: 'trades' }, ticks: { precision: 0 } } } }",
            "      });",
            "    }",
            "    if (r.halves) {",
            "      var h = [r.halves.is_sharpe, r.halves.oos_sharpe];",
            "      draw('halves-' + i, { type: 'bar', data: { labels: ['in sample', 'out of sample'],",
            "        datasets: [{ label: 'Sharpe', data: h, backgroundColor: signs(h) }] },",
            "        options: { plugins: { legend: { display: false } } }",
            "      });",
            "    }",
            "    if (r.regimes) {",
            "      draw('regime-return-' + i, { type: 'bar', data: { labels: r.regimes.names, datasets: [",
            "          { label: 'strategy %', data: r.regimes.strategy, backgroundColor: signs(r.regimes.strategy) },",
            "          { label: 'benchmark %', data: r.regimes.benchmark, backgroundColor: GREY }] },",
            "        options: { scales: { y: pct() } }",
            "      });",
            "      draw('regime-share-' + i, { type: 'bar', data: { labels: r.regimes.names, datasets: [",
            "          { label: 'share of time %', data: r.regimes.time, backgroundColor: GREY },",
            "          { label: 'share of losses %', data: r.regimes.losses, backgroundColor: NEG }] },",
            "        options: { scales: { y: pct() } }",
            "      });",
            "    }",
            "    if (r.weekday) {",
            "      draw('weekday-' + i, { type: 'bar', data: {",
            "        labels: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], datasets: [",
            "          { label: 'losing trades', data: r.weekday.losses, backgroundColor: NEG },",
            "          { label: 'all trades', data: r.weekday.trades, backgroundColor: GREY }] },",
            "        options: { scales: { y: { ticks: { precision: 0 } } } }",
            "      });",
            "    }",
            "  });",
            "})();",
            "");
}
