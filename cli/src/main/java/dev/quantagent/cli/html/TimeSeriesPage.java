package dev.quantagent.cli.html;

import static dev.quantagent.cli.html.HtmlPage.esc;
import static dev.quantagent.cli.render.Json.add;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.cli.render.Cells;
import dev.quantagent.cli.render.ChartData;
import dev.quantagent.cli.render.FactorSheet;
import dev.quantagent.cli.render.Json;
import dev.quantagent.cli.render.TimeSeriesView;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.TimeSeriesEvaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The page of a factor evaluated in time ({@link TimeSeriesEvaluation}, data too thin to rank across), which
 * {@code report --format html} writes: the answer, the per-split table, the rolling IC and the positions' growth
 * against holding the asset.
 */
public final class TimeSeriesPage {

    /** Draws the charts from the JSON block; static text, so no user data is ever part of the code. */
    private static final String CHARTS = HtmlPage.resource("time-series-page.js");

    private TimeSeriesPage() {
    }

    /** The evaluation's page: the answer, the table, the rolling IC and the positions' growth against holding. */
    public static String html(String title, String formula, String data, TimeSeriesEvaluation.Report r, String note) {
        HtmlPage page = new HtmlPage(title).heading(1, title);
        FactorSheet.Answer a = TimeSeriesView.answer(r);
        page.raw("<div class=\"answer answer-" + esc(a.word())
                + "\"><span class=\"label\">Is this a factor?</span> " + esc(
                a.text()) + "</div>\n");
        page.raw("<p>Formula <code>" + esc(formula) + "</code> · canonical <code>"
                + esc(r.canonical()) + "</code> · hash <code>"
                + esc(r.hash()) + "</code></p>\n");
        page.paragraph("note", Cells.capitalised(note) + ".");
        List<Split> splits = TimeSeriesView.splits(r);
        List<String> head = new ArrayList<>(List.of(""));
        splits.forEach(s -> head.add(s.key()));
        int[] numeric = new int[splits.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = i + 1;
        }
        HtmlPage.Table t = new HtmlPage.Table(
                head.toArray(String[]::new)).numeric(numeric);
        for (TimeSeriesView.Row row : TimeSeriesView.ROWS) {
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

    /** Most points a chart of the page draws: longer series are thinned, every split's last point kept. */
    static final int POINTS = 2_000;

    private static ObjectNode chartData(TimeSeriesEvaluation.Report r) {
        ObjectNode d = Json.object();
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
        for (Split s : TimeSeriesView.splits(r)) {
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
        for (Split s : TimeSeriesView.splits(r)) {
            TimeSeriesEvaluation.SplitResult x = r.splits().get(s);
            int from = icTimes.size();
            for (int i = 0; i < x.rollingIc().length; i++) {
                if (i % icStep == 0 || i == x.rollingIc().length - 1) {
                    icTimes.add(x.rollingTime()[i]);
                    add(icValues, x.rollingIc()[i]);
                }
            }
            ChartData.range(icRanges, s, from, icTimes.size() - from);
            long[] time = x.sign().time();
            from = gTimes.size();
            for (int i = 0; i < time.length; i++) {
                gs *= 1 + x.sign().netReturn()[i];
                gz *= 1 + x.zscore().netReturn()[i];
                gh *= 1 + x.sign().benchmarkReturn()[i];
                if (i % gStep == 0 || i == time.length - 1) {
                    gTimes.add(time[i]);
                    add(sign, gs);
                    add(z, gz);
                    add(hold, gh);
                }
            }
            ChartData.range(gRanges, s, from, gTimes.size() - from);
        }
        ic.set("time", ChartData.timeLabels(icTimes.stream().mapToLong(Long::longValue)
                .toArray()));
        growth.set("time", ChartData.timeLabels(gTimes.stream().mapToLong(Long::longValue)
                .toArray()));
        return d;
    }
}
