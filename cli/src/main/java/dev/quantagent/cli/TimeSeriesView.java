package dev.quantagent.cli;

import static dev.quantagent.cli.html.HtmlPage.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.TimeSeriesEvaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** A factor's evaluation in time ({@link TimeSeriesEvaluation}) as {@code eval} and {@code report} show it. */
final class TimeSeriesView {

    private TimeSeriesView() {
    }

    /** Why the evaluation is in time: one line. */
    static String note(int medianCrossSection) {
        return String.format(Locale.ROOT, "evaluation: in time, on each asset's own forward return: the data has %d "
                        + "asset%s with a label on a median date, too few to rank across (cross-sectional statistics "
                        + "need %d); the factor's correlation with the next return over time (whole split and "
                        + "rolling), and positions it sizes (by its sign, by its z-score against its last %d bars) "
                        + "rebalanced every bar, after costs and against holding the asset",
                medianCrossSection, medianCrossSection == 1 ? "" : "s", TimeSeriesEvaluation.MIN_CROSS_SECTION,
                TimeSeriesEvaluation.Z_WINDOW);
    }

    private record Row(String name, Function<TimeSeriesEvaluation.SplitResult, String> cell) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("ic (in time)", s -> EvalCommand.cell(s.ic(), false, false)),
            new Row("ic_tstat_nw", s -> EvalCommand.cell(s.icTstat(), false, false)),
            new Row("ic_p_value (two-sided)", s -> FactorSheet.p(dev.quantagent.evaluator.Significance.twoSided(
                    s.icTstat()))),
            new Row("rank_ic (in time)", s -> EvalCommand.cell(s.rankIc(), false, false)),
            new Row("rank_ic_tstat_nw", s -> EvalCommand.cell(s.rankIcTstat(), false, false)),
            new Row("rolling ic > 0 (share)", s -> EvalCommand.cell(s.rollingPositive(), true, false)),
            new Row("sign: annual_return net", s -> EvalCommand.cell(s.sign().net().annualReturn(), true, false)),
            new Row("sign: sharpe net / gross", s -> pair(s.sign(), false)),
            new Row("sign: max_drawdown net", s -> EvalCommand.cell(s.sign().net().maxDrawdown(), true, false)),
            new Row("sign: turnover per bar", s -> EvalCommand.cell(s.sign().turnover(), true, false)),
            new Row("sign: excess a year over holding, net", s -> EvalCommand.cell(s.sign().excessNet()
                    .annualExcessReturn(), true, false)),
            new Row("zscore: annual_return net", s -> EvalCommand.cell(s.zscore().net().annualReturn(), true, false)),
            new Row("zscore: sharpe net / gross", s -> pair(s.zscore(), false)),
            new Row("zscore: max_drawdown net", s -> EvalCommand.cell(s.zscore().net().maxDrawdown(), true, false)),
            new Row("zscore: turnover per bar", s -> EvalCommand.cell(s.zscore().turnover(), true, false)),
            new Row("buy and hold: annual_return", s -> EvalCommand.cell(s.buyAndHold().annualReturn(), true, false)),
            new Row("buy and hold: sharpe", s -> EvalCommand.cell(s.buyAndHold().sharpe(), false, false)),
            new Row("assets, dates", s -> s.assets() + ", " + s.dates()));

    private static String pair(Book b, boolean percent) {
        return EvalCommand.cell(b.net().sharpe(), percent, false) + " / "
                + EvalCommand.cell(b.gross().sharpe(), percent, false);
    }

    private static List<Split> splits(TimeSeriesEvaluation.Report r) {
        return FactorSheet.present(r.splits());
    }

    /** The per-split table, as eval prints its own. */
    static String table(TimeSeriesEvaluation.Report r) {
        List<Split> splits = splits(r);
        StringBuilder sb = new StringBuilder();
        sb.append(System.lineSeparator()).append(r.formula()).append(System.lineSeparator());
        sb.append("canonical ").append(r.canonical()).append("  hash ").append(r.hash()).append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "  %-38s", ""));
        for (Split s : splits) {
            sb.append(String.format(Locale.ROOT, "%20s", s.key()));
        }
        sb.append(System.lineSeparator());
        for (Row row : ROWS) {
            sb.append(String.format(Locale.ROOT, "  %-38s", row.name()));
            for (Split s : splits) {
                sb.append(String.format(Locale.ROOT, "%20s", row.cell().apply(r.splits().get(s))));
            }
            sb.append(System.lineSeparator());
        }
        TimeSeriesEvaluation.SplitResult first = r.splits().get(splits.get(0));
        if (first.byAsset().size() > 1) {
            for (Split s : splits) {
                sb.append("  ").append(s.key()).append(" ic in time by asset:");
                for (TimeSeriesEvaluation.AssetIc a : r.splits().get(s).byAsset()) {
                    sb.append(String.format(Locale.ROOT, " %s %s (t %.1f)", a.symbol(), EvalCommand.cell(a.ic(), false,
                            false), a.icTstat()));
                }
                sb.append(System.lineSeparator());
            }
        }
        return sb.toString().stripTrailing();
    }

    /** "Is this a factor?" in time: its IC's sign and significance on every split, and whether a position pays. */
    static FactorSheet.Answer answer(TimeSeriesEvaluation.Report r) {
        List<Split> splits = splits(r);
        List<String> names = new ArrayList<>();
        double[] ic = new double[splits.size()];
        double[] t = new double[splits.size()];
        for (int i = 0; i < splits.size(); i++) {
            TimeSeriesEvaluation.SplitResult x = r.splits().get(splits.get(i));
            if (x.dates() < FactorSheet.MIN_DATES) {
                return new FactorSheet.Answer("short", String.format(Locale.ROOT, "Too short to tell: %s has %d "
                        + "dates with a value and a forward return (needs %d).", splits.get(i).key(), x.dates(),
                        FactorSheet.MIN_DATES));
            }
            names.add(splits.get(i).key());
            ic[i] = x.ic();
            t[i] = x.icTstat();
        }
        StringBuilder text = new StringBuilder();
        String word = FactorSheet.evidence(names, ic, t, "IC in time", "it times the asset's next return", text);
        TimeSeriesEvaluation.SplitResult last = r.splits().get(splits.get(splits.size() - 1));
        Book best = nz(last.sign().net().sharpe()) >= nz(last.zscore().net().sharpe()) ? last.sign() : last.zscore();
        text.append(String.format(Locale.ROOT, " On %s the better position (%s) has a Sharpe of %.2f after costs (%.2f "
                        + "before), against %.2f for holding the asset.", splits.get(splits.size() - 1).key(),
                best.kind().equals("sign") ? "by its sign" : "by its z-score", best.net().sharpe(),
                best.gross().sharpe(), last.buyAndHold().sharpe()));
        return new FactorSheet.Answer(word, text.toString());
    }

    private static double nz(double v) {
        return v == v ? v : Double.NEGATIVE_INFINITY;
    }

    /** The evaluation's page: the answer, the table, the rolling IC and the positions' growth against holding. */
    static String html(String title, String formula, String data, TimeSeriesEvaluation.Report r, String note) {
        dev.quantagent.cli.html.HtmlPage page = new dev.quantagent.cli.html.HtmlPage(title).heading(1, title);
        FactorSheet.Answer a = answer(r);
        page.raw("<div class=\"answer answer-" + dev.quantagent.cli.html.HtmlPage.esc(a.word())
                + "\"><span class=\"label\">Is this a factor?</span> " + dev.quantagent.cli.html.HtmlPage.esc(
                a.text()) + "</div>\n");
        page.raw("<p>Formula <code>" + dev.quantagent.cli.html.HtmlPage.esc(formula) + "</code> · canonical <code>"
                + dev.quantagent.cli.html.HtmlPage.esc(r.canonical()) + "</code> · hash <code>"
                + dev.quantagent.cli.html.HtmlPage.esc(r.hash()) + "</code></p>\n");
        page.paragraph("note", capitalised(note) + ".");
        List<Split> splits = splits(r);
        List<String> head = new ArrayList<>(List.of(""));
        splits.forEach(s -> head.add(s.key()));
        int[] numeric = new int[splits.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = i + 1;
        }
        dev.quantagent.cli.html.HtmlPage.Table t = new dev.quantagent.cli.html.HtmlPage.Table(
                head.toArray(String[]::new)).numeric(numeric);
        for (Row row : ROWS) {
            List<String> cells = new ArrayList<>(List.of(row.name()));
            splits.forEach(s -> cells.add(row.cell().apply(r.splits().get(s))));
            t.row(cells.toArray(String[]::new));
        }
        page.table(t);
        page.paragraph("meta", "Data: " + data + ".");
        TimeSeriesEvaluation.SplitResult first = r.splits().get(splits.get(0));
        page.charts().chart(String.format(Locale.ROOT, "IC in time over the last %d bars", first.rollingWindow()),
                "rolling-ic").chart("Growth of 100: positions after costs, and holding the asset (log scale)",
                "growth").endCharts();
        return page.finish(chartData(r), CHARTS);
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Most points a chart of the page draws: longer series are thinned, every split's last point kept. */
    static final int POINTS = 2_000;

    private static ObjectNode chartData(TimeSeriesEvaluation.Report r) {
        ObjectNode d = dev.quantagent.cli.html.HtmlPage.object();
        ObjectNode ic = d.putObject("rolling");
        ObjectNode growth = d.putObject("growth");
        ArrayNode icRanges = ic.putArray("ranges");
        ArrayNode icValues = ic.putArray("ic");
        ArrayNode gRanges = growth.putArray("ranges");
        ArrayNode sign = growth.putArray("sign");
        ArrayNode z = growth.putArray("zscore");
        ArrayNode hold = growth.putArray("hold");
        int icTotal = 0;
        int gTotal = 0;
        for (Split s : splits(r)) {
            icTotal += r.splits().get(s).rollingIc().length;
            gTotal += r.splits().get(s).sign().time().length;
        }
        int icStep = Math.max(1, (icTotal + POINTS - 1) / POINTS);
        int gStep = Math.max(1, (gTotal + POINTS - 1) / POINTS);
        List<Long> icTimes = new ArrayList<>();
        List<Long> gTimes = new ArrayList<>();
        double gs = 100;
        double gz = 100;
        double gh = 100;
        for (Split s : splits(r)) {
            TimeSeriesEvaluation.SplitResult x = r.splits().get(s);
            int from = icTimes.size();
            for (int i = 0; i < x.rollingIc().length; i++) {
                if (i % icStep == 0 || i == x.rollingIc().length - 1) {
                    icTimes.add(x.rollingTime()[i]);
                    dev.quantagent.cli.html.HtmlPage.add(icValues, x.rollingIc()[i]);
                }
            }
            FactorHtml.range(icRanges, s, from, icTimes.size() - from);
            long[] time = x.sign().time();
            from = gTimes.size();
            for (int i = 0; i < time.length; i++) {
                gs *= 1 + x.sign().netReturn()[i];
                gz *= 1 + x.zscore().netReturn()[i];
                gh *= 1 + x.sign().benchmarkReturn()[i];
                if (i % gStep == 0 || i == time.length - 1) {
                    gTimes.add(time[i]);
                    dev.quantagent.cli.html.HtmlPage.add(sign, gs);
                    dev.quantagent.cli.html.HtmlPage.add(z, gz);
                    dev.quantagent.cli.html.HtmlPage.add(hold, gh);
                }
            }
            FactorHtml.range(gRanges, s, from, gTimes.size() - from);
        }
        ic.set("time", dev.quantagent.cli.html.HtmlPage.timeLabels(icTimes.stream().mapToLong(Long::longValue)
                .toArray()));
        growth.set("time", dev.quantagent.cli.html.HtmlPage.timeLabels(gTimes.stream().mapToLong(Long::longValue)
                .toArray()));
        return d;
    }


    /** Draws the charts from the JSON block; static text, so no user data is ever part of the code. */
    private static final String CHARTS = String.join("\n",
            "  var TIME = { ticks: { maxTicksLimit: 12 } };",
            "  draw('rolling-ic', { type: 'line', data: { labels: data.rolling.time,",
            "    datasets: bySplit(data.rolling, 'ic', SPLIT) }, options: { scales: { x: TIME } },",
            "    plugins: [splitLines(data.rolling.ranges)] });",
            "  var g = data.growth;",
            "  draw('growth', { type: 'line', data: { labels: g.time, datasets: [",
            "    { label: 'by its sign', data: g.sign, borderColor: LINE, borderWidth: 1.2, pointRadius: 0 },",
            "    { label: 'by its z-score', data: g.zscore, borderColor: POS, borderWidth: 1.2, pointRadius: 0 },",
            "    { label: 'holding the asset', data: g.hold, borderColor: GREY, borderWidth: 1, pointRadius: 0 }] },",
            "    options: { scales: { x: TIME, y: Object.assign(unit(''), { type: 'logarithmic' }) } },",
            "    plugins: [splitLines(g.ranges)] });",
            "");

    /** The evaluation as JSON: per split its figures, the two positions and buy and hold. */
    static ObjectNode json(TimeSeriesEvaluation.Report r) {
        ObjectNode o = CheckCommand.Json.MAPPER.createObjectNode();
        for (Split s : splits(r)) {
            TimeSeriesEvaluation.SplitResult x = r.splits().get(s);
            ObjectNode j = o.putObject(s.key());
            put(j, "ic", x.ic());
            put(j, "ic_tstat_nw", x.icTstat());
            put(j, "rank_ic", x.rankIc());
            put(j, "rank_ic_tstat_nw", x.rankIcTstat());
            j.put("rolling_window", x.rollingWindow());
            put(j, "rolling_ic_positive_share", x.rollingPositive());
            j.put("assets", x.assets());
            j.put("dates", x.dates());
            j.set("sign_position", RunSummary.bookJson(x.sign()));
            j.set("zscore_position", RunSummary.bookJson(x.zscore()));
            ObjectNode hold = j.putObject("buy_and_hold");
            put(hold, "annual_return", x.buyAndHold().annualReturn());
            put(hold, "sharpe", x.buyAndHold().sharpe());
            put(hold, "max_drawdown", x.buyAndHold().maxDrawdown());
            ArrayNode assets = j.putArray("by_asset");
            for (TimeSeriesEvaluation.AssetIc a : x.byAsset()) {
                ObjectNode y = assets.addObject();
                y.put("symbol", a.symbol());
                put(y, "ic", a.ic());
                put(y, "ic_tstat_nw", a.icTstat());
                put(y, "rank_ic", a.rankIc());
                y.put("dates", a.dates());
            }
        }
        return o;
    }
}
