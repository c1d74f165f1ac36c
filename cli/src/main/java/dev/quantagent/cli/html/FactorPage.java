package dev.quantagent.cli.html;

import static dev.quantagent.cli.html.HtmlPage.esc;
import static dev.quantagent.cli.render.Cells.bps;
import static dev.quantagent.cli.render.Cells.p;
import static dev.quantagent.cli.render.Cells.stat;
import static dev.quantagent.cli.render.Json.add;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.cli.render.Cells;
import dev.quantagent.cli.render.ChartData;
import dev.quantagent.cli.render.FactorSheet;
import dev.quantagent.cli.render.FactorTables;
import dev.quantagent.cli.render.Json;
import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Portfolios;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.evaluator.TearSheet;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A factor's tear sheet as one page (a knowledge-base factor, a formula, or a run's pool signal), laid out so that
 * its first screen answers "is this a factor?": the answer with its figures, the key numbers per split, then returns
 * by quantile (cumulative, and by holding period) and predictive power by holding period; below, the daily rank IC
 * (series, cumulative, histogram with a normal fit, Q-Q plot, by month and by year with date counts), the long-short
 * book gross and net with its turnover, the distribution of the factor's values, the breakdown by sector, the tables,
 * and for a knowledge-base factor the Judge's feedback and its lineage. Recomputed statistics never reach a sealed
 * test split: a factor's test figures appear only as the knowledge base recorded them.
 */
public final class FactorPage {

    /** Draws the charts from the JSON block; static text, so no user data is ever part of the code. */
    private static final String CHARTS = HtmlPage.resource("factor-page.js");

    /** Rolling windows of the rank-IC chart, in IC observations: about a month and a quarter of daily data. */
    static final int[] WINDOWS = {21, 63};

    private FactorPage() {
    }

    /**
     * What heads the page.
     *
     * @param title      the page's title
     * @param status     e.g. {@code Status accepted, Judge score 71.5}, or null
     * @param formula    the formula as written (or the signal's description)
     * @param hypothesis the idea in words, or null
     * @param data       what the data and settings are, for the reader
     * @param testNote   what the page says of the test split
     */
    public record Heading(String title, String status, String formula, String hypothesis, String data,
                          String testNote) {
    }

    /** A knowledge-base factor's page ({@code f} null: a formula given on the command line). */
    public static String html(FactorRecord f, FactorSheet sheet, List<FactorRecord> lineage, String data) {
        Evaluation ev = sheet.ev();
        String title = f == null ? "Factor " + sheet.report().hash() : "Factor #" + f.id() + (f.name() == null ? ""
                : ": " + f.name());
        String status = f == null ? null : "Status " + f.status().key() + (f.judgeScore() == null ? ""
                : String.format(Locale.ROOT, ", Judge score %.1f", f.judgeScore()));
        String test = "Test " + ev.splits().describe(ev.panel(), Split.TEST) + (f != null && f.test() != null
                ? ": figures as recorded when the test split was unsealed (no charts: they would unseal it again)."
                : ": sealed (quantagent eval --include-test unseals it).");
        HtmlPage page = start(new Heading(title, status, sheet.report().formula(), f == null ? null : f.hypothesis(),
                data, test), sheet);
        if (f == null) {
            page.paragraph("meta", "A formula given on the command line, not a knowledge-base record: no Judge "
                    + "feedback and no lineage.");
            return page.finish(data(sheet), CHARTS);
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
            l.row("#" + x.id(), x.status().key(), x.formula(), Cells.fixed(x.judgeScore() == null ? Double.NaN
                    : x.judgeScore(), 1), x.judgeFeedback() == null ? "" : x.judgeFeedback());
        }
        if (l.size() == 0) {
            page.paragraph("An original idea: no parent in the knowledge base.");
        } else {
            page.table(l);
        }
        return page.finish(data(sheet), CHARTS);
    }

    /** Any other sheet's page (a run's pool signal), with the heading given and extra tables after the sheet's. */
    public static String html(Heading heading, FactorSheet sheet, List<HtmlPage.Table> extra,
                              List<String> extraTitles) {
        HtmlPage page = start(heading, sheet);
        for (int i = 0; i < extra.size(); i++) {
            page.heading(2, extraTitles.get(i)).table(extra.get(i));
        }
        return page.finish(data(sheet), CHARTS);
    }

    /** The page up to the tables that depend on what the sheet is of. */
    private static HtmlPage start(Heading h, FactorSheet sheet) {
        Evaluation ev = sheet.ev();
        FactorReport report = sheet.report();
        List<Split> splits = sheet.splits();
        HtmlPage page = new HtmlPage(h.title()).heading(1, h.title());
        FactorSheet.Answer answer = sheet.answer();
        page.raw("<div class=\"answer answer-" + esc(answer.word()) + "\"><span class=\"label\">Is this a factor?"
                + "</span> " + esc(answer.text()) + "</div>\n");
        page.raw("<p>" + (h.status() == null ? "" : esc(h.status()) + " · ") + (report.hash().isEmpty()
                ? "Signal <code>" + esc(h.formula()) + "</code>" // combined values: no formula of its own
                : "Formula <code>" + esc(h.formula()) + "</code> · canonical <code>" + esc(report.canonical())
                + "</code> · hash <code>" + esc(report.hash()) + "</code>") + "</p>\n");
        if (h.hypothesis() != null && !h.hypothesis().isBlank()) {
            page.paragraph((report.hash().isEmpty() ? "" : "Hypothesis: ") + h.hypothesis());
        }
        page.table(keyFigures(sheet));
        StringBuilder ranges = new StringBuilder();
        for (Split s : splits) {
            ranges.append(ranges.length() == 0 ? "" : ", ").append(s.key()).append(' ')
                    .append(ev.splits().describe(ev.panel(), s));
        }
        page.paragraph("meta", "Data: " + h.data() + ". " + Cells.capitalised(ranges.toString())
                + (splits.contains(Split.TEST)
                ? "." : ": statistics recomputed now. " + h.testNote()));
        page.paragraph("meta", String.format(Locale.ROOT, "Label: return from the close %d period%s after the factor, "
                        + "held %d; costs %s bps per side; %d quantiles; %s. Holding periods of 1, 5, 10 and 20 bars "
                        + "use the forward return over that many bars, purged at the next split's start.",
                ev.config().delay(), ev.config().delay() == 1 ? "" : "s", ev.config().horizon(),
                Cells.setting(ev.config().costBps()), ev.config().quantiles(),
                ev.frequency().name().toLowerCase(Locale.ROOT)));

        page.charts()
                .chart("Cumulative return by quantile, relative to all assets (1 bar, before costs)", "q-cumulative");
        for (Split s : splits) {
            page.chart("Mean return by quantile, relative to all assets, per bar: " + s.key(), "q-returns-" + s.key());
        }
        page.chart("Rank IC by holding period (bars show the mean, the tooltip its t and p)", "horizon-ic")
                .chart("Quantile long-short Sharpe by holding period, after and before costs", "horizon-sharpe")
                .chart(String.format(Locale.ROOT, "Daily rank IC, with %d- and %d-period means", WINDOWS[0],
                        WINDOWS[1]), "ic")
                .chart("Cumulative rank IC", "cumulative-ic")
                .chart("Daily rank IC: distribution, with the normal of its mean and std", "ic-histogram")
                .chart("Daily rank IC: normal Q-Q plot", "ic-qq")
                .chart("Rank IC by year (dates in the year in brackets)", "years")
                .chart("Long-short: growth of 100 after costs (solid) and before (dashed), log scale", "long-short")
                .chart("Long-short turnover per rebalance (one-way)", "turnover")
                .chart(valuesCaption(sheet), "values");
        TearSheet.GroupBreakdown groups = sheet.sheets().get(splits.get(0)).groups();
        if (groups.grouping() != null) {
            page.chart("Rank IC within each " + groups.grouping() + " (its assets with a value, on average, in brackets)",
                    "groups");
        }
        page.endCharts();

        page.heading(2, "Rank IC by month").raw(monthlyHeatmap(sheet));
        page.heading(2, "Holding periods").paragraph("meta", FactorSheet.HOLDING_NOTE).table(horizons(sheet));
        page.heading(2, "Statistics").table(statistics(report, splits));
        page.heading(2, "Quantile returns").table(quantiles(sheet));
        page.heading(2, "Factor values by quantile").table(values(sheet));
        if (groups.grouping() != null) {
            page.heading(2, "Rank IC by " + groups.grouping()).table(groupTable(sheet));
        }
        page.heading(2, "Rank IC by year").table(years(report, splits));
        for (Split s : splits) {
            page.heading(3, "Regimes: " + s.key()).table(regimes(report.splits().get(s)));
        }
        return page;
    }

    private static String valuesCaption(FactorSheet sheet) {
        long outside = 0;
        long cells = 0;
        for (Split s : sheet.splits()) {
            outside += sheet.sheets().get(s).values().outside();
            cells += sheet.sheets().get(s).values().cells();
        }
        return String.format(Locale.ROOT, "Distribution of the factor's values, 1st to 99th percentile (%,d of %,d "
                + "values beyond, left out)", outside, cells);
    }

    // ---------------------------------------------------------------- tables

    /** The first screen's figures: what says whether it predicts, and whether it pays. */
    private static HtmlPage.Table keyFigures(FactorSheet sheet) {
        List<Split> splits = sheet.splits();
        List<String> head = new ArrayList<>(List.of(""));
        splits.forEach(s -> head.add(s.key()));
        HtmlPage.Table t = new HtmlPage.Table(head.toArray(String[]::new)).numeric(range(1, splits.size()));
        row(t, sheet, "rank IC (Newey-West t, p)", s -> {
            SplitStatistics st = sheet.report().splits().get(s);
            return stat(st.rankIc()) + String.format(Locale.ROOT, " (t %.2f, p %s)",
                    st.rankIcTstatNeweyWest(), p(dev.quantagent.evaluator.Significance.twoSided(
                            st.rankIcTstatNeweyWest())));
        });
        row(t, sheet, "days with a positive IC", s -> Cells.pct(sheet.report().splits().get(s)
                .icPositiveRatio()));
        row(t, sheet, "top minus bottom quantile, per bar (t)", s -> {
            TearSheet.Horizon h = sheet.sheets().get(s).horizons().get(0);
            return bps(h.spread()) + String.format(Locale.ROOT, " (%.2f)", h.spreadTstat());
        });
        row(t, sheet, "long-short Sharpe, net / gross", s -> {
            SplitStatistics st = sheet.report().splits().get(s);
            return stat(st.portfolio().sharpe()) + " / "
                    + stat(st.grossPortfolio().sharpe());
        });
        row(t, sheet, "long-short annual return, net / gross", s -> {
            SplitStatistics st = sheet.report().splits().get(s);
            return Cells.pct(st.portfolio().annualReturn()) + " / "
                    + Cells.pct(st.grossPortfolio().annualReturn());
        });
        row(t, sheet, "turnover per rebalance", s -> Cells.pct(sheet.report().splits().get(s).turnover()));
        row(t, sheet, "TopK excess a year, net / gross", s -> {
            Portfolios p = sheet.portfolios().get(s);
            if (p == null || p.topkDropout().excessNet() == null) {
                return "-";
            }
            return Cells.pct(p.topkDropout().excessNet().annualExcessReturn()) + " / "
                    + Cells.pct(p.topkDropout().excessGross().annualExcessReturn());
        });
        row(t, sheet, "coverage, dates", s -> {
            SplitStatistics st = sheet.report().splits().get(s);
            return Cells.pct(st.coverage()) + ", " + st.nDates();
        });
        return t;
    }

    private static void row(HtmlPage.Table t, FactorSheet sheet, String name,
                            java.util.function.Function<Split, String> cell) {
        List<String> cells = new ArrayList<>(List.of(name));
        for (Split s : sheet.splits()) {
            cells.add(cell.apply(s));
        }
        t.row(cells.toArray(String[]::new));
    }

    private static HtmlPage.Table horizons(FactorSheet sheet) {
        HtmlPage.Table t = new HtmlPage.Table("split", "held (bars)", "dates", "rank IC", "t", "p", "IC",
                "top - bottom per bar", "t", "p", "long-short Sharpe net", "gross", "annual return net", "gross",
                "turnover").numeric(range(1, 14));
        for (Split s : sheet.splits()) {
            TearSheet ts = sheet.sheets().get(s);
            Portfolios p = sheet.portfolios().get(s);
            for (int i = 0; i < ts.horizons().size(); i++) {
                TearSheet.Horizon h = ts.horizons().get(i);
                Book b = p == null ? null : p.longShortByHolding().get(i);
                t.row(s.key(), String.valueOf(h.bars()), String.valueOf(h.dates()),
                        stat(h.rankIc()), t2(h.rankIcTstat()), p(h.rankIcP()),
                        stat(h.ic()), bps(h.spread()), t2(h.spreadTstat()),
                        p(h.spreadP()),
                        b == null ? "-" : stat(b.net().sharpe()),
                        b == null ? "-" : stat(b.gross().sharpe()),
                        b == null ? "-" : Cells.pct(b.net().annualReturn()),
                        b == null ? "-" : Cells.pct(b.gross().annualReturn()),
                        b == null ? "-" : Cells.pct(b.turnover()));
            }
        }
        return t;
    }

    private static String t2(double v) {
        return v == v ? String.format(Locale.ROOT, "%.2f", v) : "-";
    }

    private static HtmlPage.Table statistics(FactorReport report, List<Split> splits) {
        List<String> head = new ArrayList<>(List.of("statistic"));
        splits.forEach(s -> head.add(s.key()));
        HtmlPage.Table t = new HtmlPage.Table(head.toArray(String[]::new)).numeric(range(1, splits.size()));
        for (FactorTables.Row row : FactorTables.ROWS) {
            List<String> cells = new ArrayList<>(List.of(row.name()));
            for (Split s : splits) {
                cells.add(Cells.cell(row.value().applyAsDouble(report.splits().get(s)), row.percent(),
                        row.name().equals("n_dates")));
            }
            t.row(cells.toArray(String[]::new));
        }
        return t;
    }

    private static HtmlPage.Table quantiles(FactorSheet sheet) {
        int q = sheet.sheets().get(sheet.splits().get(0)).quantiles();
        List<String> head = new ArrayList<>(List.of("split", "held (bars)", ""));
        for (int k = 0; k < q; k++) {
            head.add(quantileLabel(k, q));
        }
        HtmlPage.Table t = new HtmlPage.Table(head.toArray(String[]::new)).numeric(range(1, q + 2));
        for (Split s : sheet.splits()) {
            for (TearSheet.Horizon h : sheet.sheets().get(s).horizons()) {
                List<String> mean = new ArrayList<>(List.of(s.key(), String.valueOf(h.bars()), "mean per bar"));
                List<String> demeaned = new ArrayList<>(List.of(s.key(), String.valueOf(h.bars()),
                        "less all assets"));
                for (int k = 0; k < q; k++) {
                    mean.add(bps(h.meanByQuantile()[k]));
                    demeaned.add(bps(h.demeanedByQuantile()[k]));
                }
                t.row(mean.toArray(String[]::new));
                t.row(demeaned.toArray(String[]::new));
            }
        }
        return t;
    }

    private static HtmlPage.Table values(FactorSheet sheet) {
        HtmlPage.Table t = new HtmlPage.Table("split", "quantile", "min", "max", "mean", "std", "count", "share")
                .numeric(2, 3, 4, 5, 6, 7);
        for (Split s : sheet.splits()) {
            TearSheet.ValueDistribution d = sheet.sheets().get(s).values();
            long total = 0;
            for (TearSheet.QuantileValues v : d.quantiles()) {
                total += v.count();
            }
            for (TearSheet.QuantileValues v : d.quantiles()) {
                t.row(s.key(), quantileLabel(v.quantile() - 1, d.quantiles().size()), Cells.significant(v.min()),
                        Cells.significant(v.max()), Cells.significant(v.mean()), Cells.significant(v.std()),
                        String.format(Locale.ROOT, "%,d", v.count()), Cells.pct(total == 0 ? Double.NaN
                                : (double) v.count() / total));
            }
        }
        return t;
    }

    private static HtmlPage.Table groupTable(FactorSheet sheet) {
        List<Split> splits = sheet.splits();
        TearSheet.GroupBreakdown g = sheet.sheets().get(splits.get(0)).groups();
        List<String> head = new ArrayList<>(List.of(g.grouping(), "assets"));
        for (Split s : splits) {
            head.add(s.key() + " rank IC");
            head.add("t");
            head.add("dates");
        }
        HtmlPage.Table t = new HtmlPage.Table(head.toArray(String[]::new)).numeric(range(1, 1 + 3 * splits.size()));
        for (TearSheet.GroupIc x : g.groups()) {
            List<String> cells = new ArrayList<>(List.of(x.group(), String.format(Locale.ROOT, "%.0f", x.assets())));
            for (Split s : splits) {
                TearSheet.GroupIc y = FactorSheet.group(sheet.sheets().get(s), x.group());
                boolean none = y == null || y.dates() == 0;
                cells.add(none ? "-" : stat(y.rankIc()));
                cells.add(none ? "-" : t2(y.rankIcTstat()));
                cells.add(none ? "0" : String.valueOf(y.dates()));
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
                cells.add(y == null ? "-" : stat(y.rankIc()) + " (" + y.dates() + ")");
            }
            t.row(cells.toArray(String[]::new));
        }
        return t;
    }

    private static HtmlPage.Table regimes(SplitStatistics s) {
        HtmlPage.Table t = new HtmlPage.Table("regime", "share of time", "mean long-short return", "rank IC",
                "share of losses", "dates").numeric(1, 2, 3, 4, 5);
        for (SplitStatistics.RegimeStatistics g : s.regimes()) {
            t.row(g.regime(), Cells.pct(g.share()), Cells.pct(g.meanReturn()),
                    stat(g.rankIc()), Cells.pct(g.shareOfLosses()),
                    String.valueOf(g.dates()));
        }
        return t;
    }

    private static HtmlPage.Table recordedTest(Stats s) {
        return new HtmlPage.Table("statistic", "test (recorded)").numeric(1)
                .row("ic", stat(s.ic()))
                .row("rank_ic", stat(s.rankIc()))
                .row("icir", stat(s.icir()))
                .row("rank_icir", stat(s.rankIcir()))
                .row("ic_tstat", stat(s.icTstat()))
                .row("long_short (gross/period)", Cells.pct(s.longShort()))
                .row("annual_return", Cells.pct(s.annualReturn()))
                .row("sharpe", stat(s.sharpe()))
                .row("max_drawdown", Cells.pct(s.maxDrawdown()))
                .row("turnover", Cells.pct(s.turnover()))
                .row("coverage", Cells.pct(s.coverage()))
                .row("n_dates", String.valueOf(s.nDates()));
    }

    /** Years by months, one row per year and split, each cell tinted by its mean rank IC; thin months greyed. */
    private static String monthlyHeatmap(FactorSheet sheet) {
        double scale = 0;
        for (Split s : sheet.splits()) {
            for (TearSheet.MonthlyIc m : sheet.sheets().get(s).monthly()) {
                scale = Math.max(scale, Math.abs(m.rankIc()));
            }
        }
        StringBuilder sb = new StringBuilder("<table class=\"heatmap\">\n<thead><tr><th>year</th><th>split</th>");
        for (String m : List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")) {
            sb.append("<th>").append(m).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (Split s : sheet.splits()) {
            List<TearSheet.MonthlyIc> months = sheet.sheets().get(s).monthly();
            int i = 0;
            while (i < months.size()) {
                int year = months.get(i).year();
                TearSheet.MonthlyIc[] cells = new TearSheet.MonthlyIc[12];
                while (i < months.size() && months.get(i).year() == year) {
                    cells[months.get(i).month() - 1] = months.get(i);
                    i++;
                }
                sb.append("<tr><td>").append(year).append("</td><td>").append(s.key()).append("</td>");
                for (TearSheet.MonthlyIc c : cells) {
                    sb.append(c == null ? "<td class=\"num\"></td>" : HtmlPage.heatCell(c.rankIc(), scale,
                            String.format(Locale.ROOT, "%.3f", c.rankIc()), c.dates() + " dates",
                            c.dates() < MIN_MONTH_DATES));
                }
                sb.append("</tr>\n");
            }
        }
        return sb.append("</tbody>\n</table>\n<p class=\"meta\">Months with fewer than ").append(MIN_MONTH_DATES)
                .append(" dates are greyed; hover a cell for its dates.</p>\n").toString();
    }

    /** Fewest dates for a month's mean rank IC to be drawn in full colour. */
    static final int MIN_MONTH_DATES = 10;

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
     * The chart data. Time series run split after split on one axis, {@code ranges} telling which points are which
     * split; rolling means restart with each split (the purge gap breaks the series), while cumulative IC and
     * compounded returns carry on across splits. Returns and turnover are in percent, returns per bar in basis
     * points.
     */
    static ObjectNode data(FactorSheet sheet) {
        FactorReport report = sheet.report();
        List<Split> splits = sheet.splits();
        ObjectNode d = Json.object();
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
            ChartData.range(icRanges, s, at, x.rankIc().length);
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
        ic.set("time", ChartData.timeLabels(concat(icTimes)));

        ObjectNode book = d.putObject("book");
        ArrayNode bookRanges = book.putArray("ranges");
        ArrayNode growth = book.putArray("growth");
        ArrayNode grossGrowth = book.putArray("growth_gross");
        ArrayNode turnover = book.putArray("turnover");
        List<long[]> bookTimes = new ArrayList<>();
        double equity = 1;
        double gross = 1;
        at = 0;
        for (Split s : splits) {
            SplitStatistics.Series x = report.splits().get(s).series();
            bookTimes.add(x.rebalanceTime());
            ChartData.range(bookRanges, s, at, x.netReturn().length);
            at += x.netReturn().length;
            for (int i = 0; i < x.netReturn().length; i++) {
                equity *= 1 + x.netReturn()[i];
                gross *= 1 + x.grossReturn()[i];
                add(growth, 100 * equity);
                add(grossGrowth, 100 * gross);
                add(turnover, 100 * x.turnover()[i]);
            }
        }
        book.set("time", ChartData.timeLabels(concat(bookTimes)));

        ObjectNode years = d.putObject("years");
        ArrayNode labels = years.putArray("labels");
        TreeSet<Integer> all = allYears(report, splits);
        for (int y : all) {
            int dates = 0;
            for (Split s : splits) {
                SplitStatistics.YearlyRankIc yr = year(report.splits().get(s), y);
                dates += yr == null ? 0 : yr.dates();
            }
            labels.add(y + " (" + dates + ")");
        }
        for (Split s : splits) {
            ArrayNode v = years.putArray(s.key());
            for (int y : all) {
                SplitStatistics.YearlyRankIc yr = year(report.splits().get(s), y);
                add(v, yr == null ? Double.NaN : yr.rankIc());
            }
        }

        quantileCharts(sheet, d);
        horizonCharts(sheet, d);
        distributionCharts(sheet, d);
        TearSheet.GroupBreakdown g = sheet.sheets().get(splits.get(0)).groups();
        if (g.grouping() != null) {
            ObjectNode groups = d.putObject("groups");
            ArrayNode gl = groups.putArray("labels");
            g.groups().forEach(x -> gl.add(x.group() + String.format(Locale.ROOT, " (%.0f)", x.assets())));
            for (Split s : splits) {
                ArrayNode v = groups.putArray(s.key());
                for (TearSheet.GroupIc x : g.groups()) {
                    TearSheet.GroupIc y = FactorSheet.group(sheet.sheets().get(s), x.group());
                    add(v, y == null || y.dates() == 0 ? Double.NaN : y.rankIc());
                }
            }
        }
        return d;
    }

    /** Cumulative demeaned returns by quantile (compounded across splits), and mean returns by quantile and horizon. */
    private static void quantileCharts(FactorSheet sheet, ObjectNode d) {
        List<Split> splits = sheet.splits();
        int q = sheet.sheets().get(splits.get(0)).quantiles();
        ObjectNode qc = d.putObject("q_cumulative");
        ArrayNode ranges = qc.putArray("ranges");
        ArrayNode series = qc.putArray("quantiles");
        ArrayNode[] lines = new ArrayNode[q];
        for (int k = 0; k < q; k++) {
            lines[k] = series.addArray();
        }
        ArrayNode qLabels = qc.putArray("labels");
        for (int k = 0; k < q; k++) {
            qLabels.add(quantileLabel(k, q));
        }
        double[] carried = new double[q];
        java.util.Arrays.fill(carried, 1);
        List<long[]> times = new ArrayList<>();
        int at = 0;
        for (Split s : splits) {
            TearSheet.Cumulative c = sheet.sheets().get(s).cumulative();
            times.add(c.time());
            ChartData.range(ranges, s, at, c.time().length);
            at += c.time().length;
            double[] end = carried.clone();
            for (int k = 0; k < q; k++) {
                for (int i = 0; i < c.time().length; i++) {
                    double v = carried[k] * c.byQuantile()[k][i];
                    add(lines[k], 100 * (v - 1));
                    end[k] = v;
                }
            }
            carried = end;
        }
        qc.set("time", ChartData.timeLabels(concat(times)));

        ObjectNode qr = d.putObject("q_returns");
        ArrayNode held = qr.putArray("held");
        for (TearSheet.Horizon h : sheet.sheets().get(splits.get(0)).horizons()) {
            held.add(h.bars() + " bar" + (h.bars() == 1 ? "" : "s"));
        }
        qr.set("labels", qLabels.deepCopy());
        for (Split s : splits) {
            ArrayNode bySplit = qr.putArray(s.key());
            for (TearSheet.Horizon h : sheet.sheets().get(s).horizons()) {
                ArrayNode v = bySplit.addArray();
                for (double x : h.demeanedByQuantile()) {
                    add(v, 10_000 * x);
                }
            }
        }
    }

    /** Rank IC (with t and p) and the long-short's Sharpe, net and gross, by holding period. */
    private static void horizonCharts(FactorSheet sheet, ObjectNode d) {
        ObjectNode hz = d.putObject("horizons");
        ArrayNode labels = hz.putArray("labels");
        List<Split> splits = sheet.splits();
        for (TearSheet.Horizon h : sheet.sheets().get(splits.get(0)).horizons()) {
            labels.add(h.bars() + " bar" + (h.bars() == 1 ? "" : "s"));
        }
        for (Split s : splits) {
            ObjectNode x = hz.putObject(s.key());
            ArrayNode ic = x.putArray("rank_ic");
            ArrayNode t = x.putArray("t");
            ArrayNode p = x.putArray("p");
            for (TearSheet.Horizon h : sheet.sheets().get(s).horizons()) {
                add(ic, h.rankIc());
                add(t, h.rankIcTstat());
                add(p, h.rankIcP());
            }
            ArrayNode net = x.putArray("sharpe_net");
            ArrayNode gross = x.putArray("sharpe_gross");
            Portfolios pf = sheet.portfolios().get(s);
            if (pf != null) {
                for (Book b : pf.longShortByHolding()) {
                    add(net, b.net().sharpe());
                    add(gross, b.gross().sharpe());
                }
            }
        }
    }

    /** Densities of the daily rank IC and of the factor's values, the normal fit and the Q-Q points, per split. */
    private static void distributionCharts(FactorSheet sheet, ObjectNode d) {
        ObjectNode hist = d.putObject("ic_histogram");
        ObjectNode qq = d.putObject("ic_qq");
        ObjectNode values = d.putObject("values");
        for (Split s : sheet.splits()) {
            TearSheet.IcDistribution ic = sheet.sheets().get(s).icDistribution();
            ObjectNode h = hist.putObject(s.key());
            h.set("density", density(ic.edges(), ic.counts()));
            ArrayNode normal = h.putArray("normal");
            if (ic.std() > 0) {
                double lo = ic.edges()[0];
                double hi = ic.edges()[ic.edges().length - 1];
                for (int i = 0; i <= 60; i++) {
                    double x = lo + (hi - lo) * i / 60;
                    double z = (x - ic.mean()) / ic.std();
                    ObjectNode pt = normal.addObject();
                    pt.put("x", x);
                    pt.put("y", Math.exp(-0.5 * z * z) / (ic.std() * Math.sqrt(2 * Math.PI)));
                }
            }
            ArrayNode points = qq.putArray(s.key());
            for (int i = 0; i < ic.observed().length; i++) {
                ObjectNode pt = points.addObject();
                pt.put("x", ic.theoretical()[i]);
                pt.put("y", ic.observed()[i]);
            }
            TearSheet.ValueDistribution v = sheet.sheets().get(s).values();
            values.set(s.key(), density(v.edges(), v.counts()));
        }
    }

    /** A histogram as a density (counts over total times bin width) at the bins' edges, for a stepped line. */
    private static ArrayNode density(double[] edges, int[] counts) {
        ArrayNode out = Json.array();
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        for (int b = 0; b < counts.length; b++) {
            double width = edges[b + 1] - edges[b];
            double y = total == 0 || !(width > 0) ? 0 : counts[b] / (total * width);
            ObjectNode pt = out.addObject();
            pt.put("x", edges[b]);
            pt.put("y", y);
            if (b == counts.length - 1) {
                ObjectNode end = out.addObject();
                end.put("x", edges[b + 1]);
                end.put("y", y);
            }
        }
        return out;
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
}
