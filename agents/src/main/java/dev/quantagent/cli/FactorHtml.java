package dev.quantagent.cli;

import static dev.quantagent.agents.html.HtmlPage.add;
import static dev.quantagent.agents.html.HtmlPage.esc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.agents.html.HtmlPage;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * {@code report --factor ID --format html}: the factor's page, with the markdown report's tables and charts of its
 * daily rank IC (with rolling means), cumulative IC, rank IC by year, mean forward return by quantile, the
 * long-short book's cumulative return after costs and its turnover. The test split follows the markdown's rule:
 * everything recomputed covers train and valid only, and test appears only as the figures the knowledge base
 * recorded when a user unsealed it.
 */
final class FactorHtml {

    /** Rolling windows of the rank-IC chart, in IC observations: about a month and a quarter of daily data. */
    static final int[] WINDOWS = {21, 63};

    private FactorHtml() {
    }

    /**
     * @param f       the knowledge-base record, or null for a formula given on the command line
     * @param report  train and valid statistics recomputed now
     * @param lineage ancestors, nearest first
     * @param data    what the data is, for the reader
     */
    static String html(FactorRecord f, FactorReport report, List<FactorRecord> lineage, Evaluation ev, String data) {
        String title = f == null ? "Factor " + report.hash() : "Factor #" + f.id() + (f.name() == null ? ""
                : ": " + f.name());
        HtmlPage page = new HtmlPage(title).heading(1, title);
        if (f != null) {
            page.raw("<p class=\"headline\">Status <b>" + esc(f.status().key()) + "</b>"
                    + (f.judgeScore() == null ? "" : String.format(Locale.ROOT, ", Judge score %.1f", f.judgeScore()))
                    + ".</p>\n");
        }
        page.raw("<p>Formula <code>" + esc(report.formula()) + "</code></p>\n<p>Canonical form <code>"
                + esc(report.canonical()) + "</code> · hash <code>" + esc(report.hash()) + "</code></p>\n");
        if (f != null && f.hypothesis() != null && !f.hypothesis().isBlank()) {
            page.paragraph("Hypothesis: " + f.hypothesis());
        }
        page.paragraph("meta", "Data: " + data + ". Train " + ev.splits().describe(ev.panel(), Split.TRAIN)
                + " and valid " + ev.splits().describe(ev.panel(), Split.VALID) + ": statistics recomputed now. Test "
                + ev.splits().describe(ev.panel(), Split.TEST) + (f != null && f.test() != null
                ? ": figures as recorded when the test split was unsealed (no charts: they would unseal it again)."
                : ": sealed (quantagent eval --include-test unseals it)."));
        page.paragraph("meta", String.format(Locale.ROOT, "Label: return from the close %d period%s after the "
                        + "factor, held %d; costs %s bps per side; %d quantiles; %s.", ev.config().delay(),
                ev.config().delay() == 1 ? "" : "s", ev.config().horizon(), EvalCommand.num(ev.config().costBps()),
                ev.config().quantiles(), ev.frequency().name().toLowerCase(Locale.ROOT)));

        page.charts()
                .chart(String.format(Locale.ROOT, "Daily rank IC, with %d- and %d-period means", WINDOWS[0],
                        WINDOWS[1]), "ic")
                .chart("Cumulative rank IC", "cumulative-ic")
                .chart("Rank IC by year (decay)", "years")
                .chart("Mean forward return by quantile, per period", "quantiles")
                .chart("Long-short cumulative return after costs", "long-short")
                .chart("Turnover per rebalance (one-way)", "turnover")
                .endCharts();

        List<Split> splits = splits(report);
        page.heading(2, "Statistics").table(statistics(report, splits));
        page.heading(2, "Quantile returns and rank IC by year").table(quantiles(report, splits))
                .table(years(report, splits));
        for (Split s : splits) {
            page.heading(3, "Regimes: " + s.key()).table(regimes(report.splits().get(s)));
        }
        if (f == null) {
            page.paragraph("meta", "A formula given on the command line, not a knowledge-base record: no Judge "
                    + "feedback and no lineage.");
            return page.finish(data(report, splits), CHARTS);
        }
        if (f.test() != null) {
            page.heading(2, "Recorded test statistics").table(recordedTest(f.test()));
        }
        page.heading(2, "Judge");
        page.paragraph(f.judgeFeedback() == null || f.judgeFeedback().isBlank() ? "No feedback recorded."
                : f.judgeFeedback());
        if (!f.rejectionReasons().isEmpty()) {
            page.list(f.rejectionReasons(), "");
        }
        page.heading(2, "Lineage");
        HtmlPage.Table l = new HtmlPage.Table("id", "status", "formula", "Judge score", "Judge feedback").numeric(0, 3)
                .code(2);
        for (FactorRecord x : lineage) {
            l.row("#" + x.id(), x.status().key(), x.formula(), ReportCommand.num(x.judgeScore() == null ? Double.NaN
                    : x.judgeScore(), 1), x.judgeFeedback() == null ? "" : x.judgeFeedback());
        }
        if (l.size() == 0) {
            page.paragraph("An original idea: no parent in the knowledge base.");
        } else {
            page.table(l);
        }
        return page.finish(data(report, splits), CHARTS);
    }

    private static List<Split> splits(FactorReport report) {
        List<Split> out = new ArrayList<>();
        for (Split s : Split.values()) {
            if (report.splits().containsKey(s)) {
                out.add(s);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- tables

    private static HtmlPage.Table statistics(FactorReport report, List<Split> splits) {
        List<String> head = new ArrayList<>(List.of("statistic"));
        splits.forEach(s -> head.add(s.key()));
        HtmlPage.Table t = new HtmlPage.Table(head.toArray(String[]::new)).numeric(range(1, splits.size()));
        for (EvalCommand.Row row : EvalCommand.ROWS) {
            List<String> cells = new ArrayList<>(List.of(row.name()));
            for (Split s : splits) {
                cells.add(EvalCommand.cell(row.value().applyAsDouble(report.splits().get(s)), row.percent(),
                        row.name().equals("n_dates")));
            }
            t.row(cells.toArray(String[]::new));
        }
        return t;
    }

    private static HtmlPage.Table quantiles(FactorReport report, List<Split> splits) {
        List<String> head = new ArrayList<>(List.of("quantile"));
        splits.forEach(s -> head.add(s.key() + " return per period"));
        HtmlPage.Table t = new HtmlPage.Table(head.toArray(String[]::new)).numeric(range(1, splits.size()));
        int q = report.splits().get(splits.get(0)).quantileReturns().length;
        for (int k = 0; k < q; k++) {
            List<String> cells = new ArrayList<>(List.of(quantileLabel(k, q)));
            for (Split s : splits) {
                cells.add(EvalCommand.cell(report.splits().get(s).quantileReturns()[k], true, false));
            }
            t.row(cells.toArray(String[]::new));
        }
        return t;
    }

    private static HtmlPage.Table years(FactorReport report, List<Split> splits) {
        List<String> head = new ArrayList<>(List.of("year"));
        splits.forEach(s -> head.add(s.key() + " rank IC (dates)"));
        HtmlPage.Table t = new HtmlPage.Table(head.toArray(String[]::new)).numeric(range(0, splits.size() + 1));
        for (int year : allYears(report, splits)) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(year)));
            for (Split s : splits) {
                SplitStatistics.YearlyRankIc y = year(report.splits().get(s), year);
                cells.add(y == null ? "-" : EvalCommand.cell(y.rankIc(), false, false) + " (" + y.dates() + ")");
            }
            t.row(cells.toArray(String[]::new));
        }
        return t;
    }

    private static HtmlPage.Table regimes(SplitStatistics s) {
        HtmlPage.Table t = new HtmlPage.Table("regime", "share of time", "mean long-short return", "rank IC",
                "share of losses", "dates").numeric(1, 2, 3, 4, 5);
        for (SplitStatistics.RegimeStatistics g : s.regimes()) {
            t.row(g.regime(), EvalCommand.cell(g.share(), true, false), EvalCommand.cell(g.meanReturn(), true, false),
                    EvalCommand.cell(g.rankIc(), false, false), EvalCommand.cell(g.shareOfLosses(), true, false),
                    String.valueOf(g.dates()));
        }
        return t;
    }

    private static HtmlPage.Table recordedTest(Stats s) {
        return new HtmlPage.Table("statistic", "test (recorded)").numeric(1)
                .row("ic", EvalCommand.cell(s.ic(), false, false))
                .row("rank_ic", EvalCommand.cell(s.rankIc(), false, false))
                .row("icir", EvalCommand.cell(s.icir(), false, false))
                .row("rank_icir", EvalCommand.cell(s.rankIcir(), false, false))
                .row("ic_tstat", EvalCommand.cell(s.icTstat(), false, false))
                .row("long_short (gross/period)", EvalCommand.cell(s.longShort(), true, false))
                .row("annual_return", EvalCommand.cell(s.annualReturn(), true, false))
                .row("sharpe", EvalCommand.cell(s.sharpe(), false, false))
                .row("max_drawdown", EvalCommand.cell(s.maxDrawdown(), true, false))
                .row("turnover", EvalCommand.cell(s.turnover(), true, false))
                .row("coverage", EvalCommand.cell(s.coverage(), true, false))
                .row("n_dates", String.valueOf(s.nDates()));
    }

    private static int[] range(int from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static String quantileLabel(int k, int q) {
        return "Q" + (k + 1) + (k == 0 ? " (bottom)" : k == q - 1 ? " (top)" : "");
    }

    private static TreeSet<Integer> allYears(FactorReport report, List<Split> splits) {
        TreeSet<Integer> years = new TreeSet<>();
        for (Split s : splits) {
            report.splits().get(s).rankIcByYear().forEach(y -> years.add(y.year()));
        }
        return years;
    }

    private static SplitStatistics.YearlyRankIc year(SplitStatistics s, int year) {
        for (SplitStatistics.YearlyRankIc y : s.rankIcByYear()) {
            if (y.year() == year) {
                return y;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- chart data

    /**
     * The chart data. Time series run train then valid on one axis, {@code ranges} telling which points are which
     * split; rolling means restart with each split (the purge gap breaks the series), while cumulative IC and the
     * compounded long-short return carry on across splits. Returns and turnover are in percent.
     */
    static ObjectNode data(FactorReport report, List<Split> splits) {
        ObjectNode d = HtmlPage.object();
        ArrayNode names = d.putArray("splits");
        splits.forEach(s -> names.add(s.key()));
        ArrayNode windows = d.putArray("windows");
        for (int w : WINDOWS) {
            windows.add(w);
        }

        ObjectNode ic = d.putObject("ic");
        ArrayNode icRanges = ic.putArray("ranges");
        ArrayNode rankIc = ic.putArray("rank_ic");
        ArrayNode[] means = new ArrayNode[WINDOWS.length];
        for (int w = 0; w < WINDOWS.length; w++) {
            means[w] = ic.putArray("mean_" + WINDOWS[w]);
        }
        ArrayNode cumulative = ic.putArray("cumulative");
        List<long[]> icTimes = new ArrayList<>();
        double sum = 0;
        int at = 0;
        for (Split s : splits) {
            SplitStatistics.Series x = report.splits().get(s).series();
            icTimes.add(x.icTime());
            range(icRanges, s, at, x.rankIc().length);
            at += x.rankIc().length;
            for (int i = 0; i < x.rankIc().length; i++) {
                add(rankIc, x.rankIc()[i]);
                sum += x.rankIc()[i];
                add(cumulative, sum);
                for (int w = 0; w < WINDOWS.length; w++) {
                    add(means[w], rollingMean(x.rankIc(), i, WINDOWS[w]));
                }
            }
        }
        ic.set("time", HtmlPage.timeLabels(concat(icTimes)));

        ObjectNode book = d.putObject("book");
        ArrayNode bookRanges = book.putArray("ranges");
        ArrayNode growth = book.putArray("cumulative_return");
        ArrayNode turnover = book.putArray("turnover");
        List<long[]> bookTimes = new ArrayList<>();
        double equity = 1;
        at = 0;
        for (Split s : splits) {
            SplitStatistics.Series x = report.splits().get(s).series();
            bookTimes.add(x.rebalanceTime());
            range(bookRanges, s, at, x.netReturn().length);
            at += x.netReturn().length;
            for (int i = 0; i < x.netReturn().length; i++) {
                equity *= 1 + x.netReturn()[i];
                add(growth, 100 * (equity - 1));
                add(turnover, 100 * x.turnover()[i]);
            }
        }
        book.set("time", HtmlPage.timeLabels(concat(bookTimes)));

        ObjectNode years = d.putObject("years");
        ArrayNode labels = years.putArray("labels");
        TreeSet<Integer> all = allYears(report, splits);
        all.forEach(labels::add);
        for (Split s : splits) {
            ArrayNode v = years.putArray(s.key());
            for (int y : all) {
                SplitStatistics.YearlyRankIc yr = year(report.splits().get(s), y);
                add(v, yr == null ? Double.NaN : yr.rankIc());
            }
        }

        ObjectNode quantiles = d.putObject("quantiles");
        ArrayNode qLabels = quantiles.putArray("labels");
        int q = report.splits().get(splits.get(0)).quantileReturns().length;
        for (int k = 0; k < q; k++) {
            qLabels.add(quantileLabel(k, q));
        }
        for (Split s : splits) {
            ArrayNode v = quantiles.putArray(s.key());
            for (double r : report.splits().get(s).quantileReturns()) {
                add(v, 100 * r);
            }
        }
        return d;
    }

    private static void range(ArrayNode ranges, Split s, int from, int n) {
        ObjectNode r = ranges.addObject();
        r.put("split", s.key());
        r.put("from", from);
        r.put("to", from + n);
    }

    /** Mean of the window values ending at i, or NaN until the window is full. */
    static double rollingMean(double[] v, int i, int window) {
        if (i + 1 < window) {
            return Double.NaN;
        }
        double s = 0;
        for (int j = i + 1 - window; j <= i; j++) {
            s += v[j];
        }
        return s / window;
    }

    private static long[] concat(List<long[]> parts) {
        int n = 0;
        for (long[] p : parts) {
            n += p.length;
        }
        long[] out = new long[n];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Draws the charts from the JSON block; static text, so no user data is ever part of the code. */
    private static final String CHARTS = String.join("\n",
            "  var LIGHT = { train: 'rgba(21,101,192,0.35)', valid: 'rgba(239,108,0,0.35)',",
            "    test: 'rgba(106,27,154,0.35)' };",
            "  var TIME = { x: { ticks: { maxTicksLimit: 12 } } };",
            "  function bySplit(block, key, colours) {",
            "    return block.ranges.map(function (r) {",
            "      return { label: r.split, borderColor: colours[r.split], backgroundColor: colours[r.split],",
            "        borderWidth: 1.2, pointRadius: 0,",
            "        data: block[key].map(function (v, i) { return i >= r.from && i < r.to ? v : null; }) };",
            "    });",
            "  }",
            "  function perSplit(block) {",
            "    return data.splits.map(function (s) {",
            "      return { label: s, data: block[s], backgroundColor: SPLIT[s] };",
            "    });",
            "  }",
            "  var w = data.windows;",
            "  draw('ic', { type: 'line', data: { labels: data.ic.time, datasets: bySplit(data.ic, 'rank_ic', LIGHT)",
            "    .concat([{ label: w[0] + '-period mean', data: data.ic['mean_' + w[0]], borderColor: '#000',",
            "      borderWidth: 1.5, pointRadius: 0 },",
            "    { label: w[1] + '-period mean', data: data.ic['mean_' + w[1]], borderColor: '#c62828',",
            "      borderWidth: 1.5, pointRadius: 0 }]) },",
            "    options: { scales: TIME } });",
            "  draw('cumulative-ic', { type: 'line', data: { labels: data.ic.time,",
            "    datasets: bySplit(data.ic, 'cumulative', SPLIT) }, options: { scales: TIME } });",
            "  draw('years', { type: 'bar', data: { labels: data.years.labels, datasets: perSplit(data.years) } });",
            "  draw('quantiles', { type: 'bar', data: { labels: data.quantiles.labels,",
            "    datasets: perSplit(data.quantiles) }, options: { scales: { y: pct() } } });",
            "  draw('long-short', { type: 'line', data: { labels: data.book.time,",
            "    datasets: bySplit(data.book, 'cumulative_return', SPLIT) },",
            "    options: { scales: { x: TIME.x, y: pct() } } });",
            "  draw('turnover', { type: 'line', data: { labels: data.book.time,",
            "    datasets: bySplit(data.book, 'turnover', SPLIT) }, options: { scales: { x: TIME.x, y: pct() } } });",
            "");
}
