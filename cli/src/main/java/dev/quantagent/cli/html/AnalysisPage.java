package dev.quantagent.cli.html;

import static dev.quantagent.cli.html.HtmlPage.esc;
import static dev.quantagent.cli.render.Json.add;
import static dev.quantagent.cli.render.Json.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.assistant.Backtest;
import dev.quantagent.assistant.Formats;
import dev.quantagent.assistant.Interpretation;
import dev.quantagent.assistant.Market;
import dev.quantagent.assistant.Metrics;
import dev.quantagent.assistant.Narrative;
import dev.quantagent.assistant.Panels;
import dev.quantagent.assistant.Report;
import dev.quantagent.assistant.Report.CheckItem;
import dev.quantagent.assistant.Report.Finding;
import dev.quantagent.assistant.Report.Recommendation;
import dev.quantagent.cli.analysis.Reports;
import dev.quantagent.cli.render.ChartData;
import dev.quantagent.cli.render.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The backtesting assistant's page ({@code analyze --format html}): its reports, and their comparison when there are
 * several, as one self-contained {@link HtmlPage} (text sections as HTML, chart data as JSON, Chart.js inlined).
 * Always complete, like JSON: verbosity only shapes markdown. The wording it shares with the markdown comes from
 * {@link Reports}.
 */
public final class AnalysisPage {

    /** Draws the charts from the JSON block; static text, so no user data is ever part of the code. */
    private static final String CHARTS = HtmlPage.resource("analysis-page.js");

    private AnalysisPage() {
    }

    public static String html(List<Report> reports, Instant generatedAt) {
        List<String> names = new ArrayList<>();
        for (Report r : reports) {
            names.add(r.strategy());
        }
        HtmlPage page = new HtmlPage("Backtest analysis: " + String.join(" → ", names));
        if (reports.size() > 1) {
            comparison(reports, page);
        }
        for (int i = 0; i < reports.size(); i++) {
            report(reports.get(i), i, reports.size() > 1, generatedAt, page);
        }
        return page.finish(data(reports), CHARTS);
    }

    // ---------------------------------------------------------------- text sections

    private static void report(Report r, int index, boolean several, Instant generatedAt, HtmlPage page) {
        Backtest bt = r.backtest();
        int h = several ? 2 : 1;
        page.raw("<section class=\"report\">\n").heading(h, "Backtest analysis: " + bt.strategy());
        page.raw("<p class=\"headline\"><span class=\"grade grade-" + esc(r.grade()) + "\">" + esc(r.grade())
                + "</span> " + String.format(Locale.ROOT, "score %.0f/100. ", r.score()) + esc(r.summary())
                + "</p>\n");
        Narrative n = r.narrative();
        if (n != null && n.used()) {
            page.raw("<div class=\"llm\"><div class=\"label\">LLM narrative, " + esc(Reports.narrativeLabel(n))
                    + "</div>\n<p>" + esc(n.summary()) + "</p></div>\n");
        } else if (n != null) {
            page.raw("<div class=\"llm\"><div class=\"label\">No LLM narrative</div>\n<p>" + esc(n.fallback())
                    + ". The rule-based summary above stands (" + esc(n.model()) + ", " + esc(Reports.usage(n))
                    + ").</p></div>\n");
        }
        page.paragraph("meta", bt.type() + " · " + bt.assetClass().name().toLowerCase(Locale.ROOT) + " · "
                + Formats.day(bt.periodStart()) + " to " + Formats.day(bt.periodEnd()) + " · "
                + Formats.num(r.metrics().periodsPerYear()) + " periods a year · report "
                + Reports.reportId(r, generatedAt) + ", generated " + generatedAt);

        page.charts().chart("Equity", "equity-" + index).chart("Drawdown", "drawdown-" + index)
                .chart("Monthly returns", "monthly-" + index);
        if (!bt.trades().isEmpty()) {
            page.chart("Trade P&L distribution", "pnl-" + index);
        }
        if (r.halves() != null) {
            page.chart("In sample vs out of sample: Sharpe", "halves-" + index);
        }
        if (!bt.trades().isEmpty()) {
            page.chart("Losing trades by entry weekday", "weekday-" + index);
        }
        Panels pn = r.panels();
        if (pn.rollSharpe().length > 0) {
            String w = pn.windowDays() + " trading days";
            page.chart("Rolling Sharpe (" + w + ")", "roll-sharpe-" + index)
                    .chart("Rolling volatility (" + w + ")", "roll-vol-" + index);
            if (pn.rollBeta().length > 0) {
                page.chart("Rolling beta to the benchmark (" + w + ")", "roll-beta-" + index);
            }
        }
        if (!r.regimes().isEmpty()) {
            page.chart("Return a trading day by market regime (geometric mean)", "regime-return-" + index)
                    .chart("Market regimes: share of time vs share of losses", "regime-share-" + index);
        }
        page.endCharts();
        drawdownTable(pn, h + 1, page);
        heatmap(pn, h + 1, page);

        page.heading(h + 1, "Concerns");
        if (r.findings().isEmpty()) {
            page.paragraph("None found by the rules.");
        } else {
            StringBuilder sb = new StringBuilder("<ul class=\"findings\">\n");
            for (Finding f : r.findings()) {
                String sev = f.severity().name().toLowerCase(Locale.ROOT);
                sb.append("<li><span class=\"sev sev-").append(sev).append("\">").append(sev).append("</span> <b>")
                        .append(esc(f.title())).append("</b>: ").append(esc(f.detail())).append(" <code>")
                        .append(esc(f.code())).append("</code></li>\n");
            }
            page.raw(sb.append("</ul>\n").toString());
        }
        page.heading(h + 1, "Strengths").list(r.strengths(), "None stand out.");

        HtmlPage.Table metrics = new HtmlPage.Table("metric", "value", "meaning").numeric(1);
        for (Map.Entry<String, Double> e : r.metrics().values().entrySet()) {
            Metrics.Def d = Metrics.def(e.getKey());
            metrics.row(d.label(), Formats.format(d, e.getValue()), d.explanation());
        }
        page.heading(h + 1, "Metrics").table(metrics);

        page.heading(h + 1, "Interpretation").raw("<ul>\n<li>Sharpe band: <b>" + esc(r.sharpeBand().label())
                + "</b>: " + esc(r.sharpeBand().meaning()) + ".</li>\n<li>Drawdown band: <b>"
                + esc(r.drawdownBand().label()) + "</b>: " + esc(r.drawdownBand().meaning()) + "; suits "
                + esc(r.drawdownBand().suitableFor())
                + ".</li>\n<li>Trade profile: " + esc(r.profile()) + ".</li>\n</ul>\n");
        if (r.market() != null) {
            page.heading(h + 1, "Benchmark and market regimes").paragraph(Reports.benchmarkSentence(r));
            if (!r.regimes().isEmpty()) {
                StringBuilder sb = new StringBuilder();
                sb.append("<p>").append(esc(Reports.regimeDefinition(r))).append("</p>\n<table>\n<thead><tr>");
                for (String c : Reports.REGIME_COLUMNS) {
                    sb.append("<th>").append(esc(c)).append("</th>");
                }
                sb.append("</tr></thead>\n<tbody>\n");
                for (Report.Regime g : r.regimes()) {
                    List<String> cells = Reports.regimeCells(g);
                    sb.append("<tr").append(g.flagged() ? " class=\"problem\"" : "").append(">");
                    for (int c = 0; c < cells.size(); c++) {
                        sb.append(c < 2 ? "<td>" : "<td class=\"num\">").append(esc(cells.get(c)))
                                .append(c == 1 && g.flagged() ? " <b>(flagged)</b>" : "").append("</td>");
                    }
                    sb.append("</tr>\n");
                }
                page.raw(sb.append("</tbody>\n</table>\n").toString());
            }
        }

        page.heading(h + 1, "Recommendations");
        if (r.recommendations().isEmpty()) {
            page.paragraph("Nothing pressing; keep monitoring live results against the backtest.");
        } else {
            StringBuilder sb = new StringBuilder("<ul class=\"recs\">\n");
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
                String deeper = Reports.deepening(r, rec);
                if (!deeper.isEmpty()) {
                    sb.append("\n<div class=\"llm\"><span class=\"label\">LLM</span> ").append(esc(deeper))
                            .append("</div>");
                }
                sb.append("</li>\n");
            }
            page.raw(sb.append("</ul>\n").toString());
        }
        page.heading(h + 1, "Position sizing").paragraph(r.sizing().guidance());
        StringBuilder sb = new StringBuilder("<table>\n<thead><tr><th>area</th><th>item</th><th>status</th>"
                + "<th>note</th></tr></thead>\n<tbody>\n");
        for (CheckItem c : r.checklist()) {
            sb.append("<tr><td>").append(esc(c.area())).append("</td><td>").append(esc(c.item()))
                    .append("</td><td class=\"st-").append(esc(c.status())).append("\">").append(esc(c.status()))
                    .append("</td><td>").append(esc(c.note())).append("</td></tr>\n");
        }
        page.heading(h + 1, "Risk checklist").raw(sb.append("</tbody>\n</table>\n</section>\n").toString());
    }

    private static void drawdownTable(Panels pn, int h, HtmlPage page) {
        if (pn.drawdowns().isEmpty()) {
            return;
        }
        HtmlPage.Table t = new HtmlPage.Table("start", "valley", "end", "recovered", "depth", "days").numeric(4, 5);
        for (Panels.Drawdown d : pn.drawdowns()) {
            t.row(Formats.time(d.start()), Formats.time(d.valley()), Formats.time(d.end()), d.recovery() < 0
                    ? "not yet" : Formats.time(d.recovery()), Formats.pct(d.depth()), Formats.num(d.days()));
        }
        page.heading(h, "Worst drawdowns").table(t);
    }

    /** Monthly returns, years by months, each cell tinted green or red by its size (a heatmap, as quantstats'). */
    private static void heatmap(Panels pn, int h, HtmlPage page) {
        StringBuilder sb = new StringBuilder("<table class=\"heatmap\">\n<thead><tr><th>year</th>");
        for (String m : List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")) {
            sb.append("<th>").append(m).append("</th>");
        }
        sb.append("<th>year</th></tr></thead>\n<tbody>\n");
        double scale = 0;
        for (Panels.Month m : pn.months()) {
            scale = m.ret() == m.ret() ? Math.max(scale, Math.abs(m.ret())) : scale;
        }
        int i = 0;
        List<Panels.Month> months = pn.months();
        while (i < months.size()) {
            int year = months.get(i).year();
            double[] cells = new double[12];
            java.util.Arrays.fill(cells, Double.NaN);
            double growth = 1;
            while (i < months.size() && months.get(i).year() == year) {
                cells[months.get(i).month() - 1] = months.get(i).ret();
                growth *= 1 + (months.get(i).ret() == months.get(i).ret() ? months.get(i).ret() : 0);
                i++;
            }
            sb.append("<tr><td>").append(year).append("</td>");
            for (double c : cells) {
                sb.append(cell(c, scale));
            }
            sb.append(cell(growth - 1, Double.NaN)).append("</tr>\n");
        }
        page.heading(h, "Monthly returns").raw(sb.append("</tbody>\n</table>\n").toString());
    }

    private static String cell(double v, double scale) {
        if (v != v) {
            return "<td class=\"num\"></td>";
        }
        String style = "";
        if (scale > 0) {
            double a = Math.min(1, Math.abs(v) / scale) * 0.55 + 0.08;
            style = String.format(Locale.ROOT, " style=\"background:rgba(%s,%.2f)\"", v >= 0 ? "46,125,50"
                    : "198,40,40", a);
        }
        return "<td class=\"num\"" + style + ">" + esc(String.format(Locale.ROOT, "%.1f%%", 100 * v)) + "</td>";
    }

    private static void comparison(List<Report> reports, HtmlPage page) {
        List<String> names = new ArrayList<>();
        for (Report r : reports) {
            names.add(esc(r.strategy()));
        }
        StringBuilder sb = new StringBuilder();
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
                sb.append("<td class=\"num\">").append(esc(Formats.format(d, r.metrics().values().get(key))))
                        .append("</td>");
            }
            changeCell(Reports.change(reports.get(0).metrics().values().get(key),
                    reports.get(reports.size() - 1).metrics().values().get(key), d.better()), sb);
        }
        sb.append("</tbody>\n</table>\n<p>").append(esc(Reports.comparisonSummary(reports))).append("</p>\n");
        page.raw(sb.toString());
        page.charts().chart("Equity, growth of 100 (" + String.join(" → ", rawNames(reports)) + ")", "overlay")
                .endCharts();
        page.raw("</section>\n");
    }

    private static List<String> rawNames(List<Report> reports) {
        List<String> names = new ArrayList<>();
        for (Report r : reports) {
            names.add(r.strategy());
        }
        return names;
    }

    private static void changeCell(String change, StringBuilder sb) {
        sb.append("<td class=\"ch-").append(change.replace('/', '-')).append("\">").append(esc(change))
                .append("</td></tr>\n");
    }

    // ---------------------------------------------------------------- chart data

    /** The chart data of every report, one object each. */
    static ArrayNode data(List<Report> reports) {
        ArrayNode all = Json.array();
        for (Report r : reports) {
            all.add(data(r));
        }
        return all;
    }

    private static ObjectNode data(Report r) {
        Backtest bt = r.backtest();
        ObjectNode o = Json.object();
        o.put("strategy", bt.strategy());
        long[] t = r.curve().time(); // in time order, as the metrics see it
        double[] eq = r.curve().equity();
        o.set("time", ChartData.timeLabels(t));
        ArrayNode epoch = o.putArray("epoch"); // milliseconds, for charts on a time axis (the comparison's overlay)
        for (long x : t) {
            epoch.add(x * 1000);
        }
        ArrayNode equity = o.putArray("equity");
        ArrayNode drawdown = o.putArray("drawdown");
        double peak = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < t.length; i++) {
            add(equity, eq[i]);
            peak = Math.max(peak, eq[i]);
            add(drawdown, peak > 0 ? 100 * (eq[i] / peak - 1) : Double.NaN);
        }
        if (r.market() != null) {
            // the benchmark on the equity chart, rebased to the equity at the first point both have (the market was
            // aligned on this curve: its i-th price is at the curve's i-th point)
            double[] price = r.market().priceAt();
            ArrayNode bench = o.putArray("benchmark");
            double scale = Double.NaN;
            for (int i = 0; i < t.length; i++) {
                double p = price[i];
                if (scale != scale && p == p) {
                    scale = eq[i] / p;
                }
                add(bench, p * scale);
            }
        }
        ArrayNode months = o.putArray("months");
        ArrayNode monthly = o.putArray("monthly");
        for (Panels.Month m : r.panels().months()) {
            months.add(String.format(Locale.ROOT, "%04d-%02d", m.year(), m.month()));
            add(monthly, 100 * m.ret());
        }
        if (bt.inSampleEnd() != null) {
            int k = 0;
            while (k < t.length - 1 && t[k + 1] <= bt.inSampleEnd()) {
                k++;
            }
            o.put("is_end", k);
        }
        Panels pn = r.panels();
        if (pn.rollSharpe().length > 0) {
            ObjectNode roll = o.putObject("rolling");
            roll.set("time", ChartData.timeLabels(pn.rollTime()));
            ArrayNode sharpe = roll.putArray("sharpe");
            ArrayNode vol = roll.putArray("volatility");
            for (int i = 0; i < pn.rollSharpe().length; i++) {
                add(sharpe, pn.rollSharpe()[i]);
                add(vol, 100 * pn.rollVol()[i]);
            }
            if (pn.rollBeta().length > 0) {
                roll.set("beta_time", ChartData.timeLabels(pn.betaTime()));
                ArrayNode beta = roll.putArray("beta");
                for (double x : pn.rollBeta()) {
                    add(beta, x);
                }
            }
        }

        if (!bt.trades().isEmpty()) {
            histogram(bt.trades(), o.putObject("pnl"));
            double[] losses = r.lossesBy().get("weekday_losses");
            double[] trades = r.lossesBy().get("weekday_trades");
            if (losses != null && trades != null) {
                ObjectNode w = o.putObject("weekday");
                ArrayNode l = w.putArray("losses");
                ArrayNode a = w.putArray("trades");
                for (int i = 0; i < 7; i++) {
                    add(l, losses[i]);
                    add(a, trades[i]);
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
                add(strategy, 100 * x.strategyDaily());
                add(benchmark, 100 * x.benchmarkDaily());
                add(time, 100 * x.share());
                add(losses, 100 * x.shareOfLosses());
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
            add(mid, lo + width / 2);
        }
    }
}
