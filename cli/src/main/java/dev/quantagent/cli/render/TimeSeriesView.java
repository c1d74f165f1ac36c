package dev.quantagent.cli.render;

import static dev.quantagent.cli.render.Json.put;

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
public final class TimeSeriesView {

    private TimeSeriesView() {
    }

    /** Why the evaluation is in time: one line. */
    public static String note(int medianCrossSection) {
        return String.format(Locale.ROOT, "evaluation: in time, on each asset's own forward return: the data has %d "
                        + "asset%s with a label on a median date, too few to rank across (cross-sectional statistics "
                        + "need %d); the factor's correlation with the next return over time (whole split and "
                        + "rolling), and positions it sizes (by its sign, by its z-score against its last %d bars) "
                        + "rebalanced every bar, after costs and against holding the asset",
                medianCrossSection, medianCrossSection == 1 ? "" : "s", TimeSeriesEvaluation.MIN_CROSS_SECTION,
                TimeSeriesEvaluation.Z_WINDOW);
    }

    /** A line of the per-split table (also the page's). */
    public record Row(String name, Function<TimeSeriesEvaluation.SplitResult, String> cell) {
    }

    public static final List<Row> ROWS = List.of(
            new Row("ic (in time)", s -> Cells.stat(s.ic())),
            new Row("ic_tstat_nw", s -> Cells.stat(s.icTstat())),
            new Row("ic_p_value (two-sided)", s -> Cells.p(dev.quantagent.evaluator.Significance.twoSided(
                    s.icTstat()))),
            new Row("rank_ic (in time)", s -> Cells.stat(s.rankIc())),
            new Row("rank_ic_tstat_nw", s -> Cells.stat(s.rankIcTstat())),
            new Row("rolling ic > 0 (share)", s -> Cells.pct(s.rollingPositive())),
            new Row("sign: annual_return net", s -> Cells.pct(s.sign().net().annualReturn())),
            new Row("sign: sharpe net / gross", s -> pair(s.sign(), false)),
            new Row("sign: max_drawdown net", s -> Cells.pct(s.sign().net().maxDrawdown())),
            new Row("sign: turnover per bar", s -> Cells.pct(s.sign().turnover())),
            new Row("sign: excess a year over holding, net", s -> Cells.pct(s.sign().excessNet()
                    .annualExcessReturn())),
            new Row("zscore: annual_return net", s -> Cells.pct(s.zscore().net().annualReturn())),
            new Row("zscore: sharpe net / gross", s -> pair(s.zscore(), false)),
            new Row("zscore: max_drawdown net", s -> Cells.pct(s.zscore().net().maxDrawdown())),
            new Row("zscore: turnover per bar", s -> Cells.pct(s.zscore().turnover())),
            new Row("buy and hold: annual_return", s -> Cells.pct(s.buyAndHold().annualReturn())),
            new Row("buy and hold: sharpe", s -> Cells.stat(s.buyAndHold().sharpe())),
            new Row("assets, dates", s -> s.assets() + ", " + s.dates()));

    private static String pair(Book b, boolean percent) {
        return Cells.cell(b.net().sharpe(), percent, false) + " / "
                + Cells.cell(b.gross().sharpe(), percent, false);
    }

    /** The splits evaluated, in order. */
    public static List<Split> splits(TimeSeriesEvaluation.Report r) {
        return FactorSheet.present(r.splits());
    }

    /** The per-split table, as eval prints its own. */
    public static String table(TimeSeriesEvaluation.Report r) {
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
                    sb.append(String.format(Locale.ROOT, " %s %s (t %.1f)", a.symbol(), Cells.stat(a.ic()),
                            a.icTstat()));
                }
                sb.append(System.lineSeparator());
            }
        }
        return sb.toString().stripTrailing();
    }

    /** "Is this a factor?" in time: its IC's sign and significance on every split, and whether a position pays. */
    public static FactorSheet.Answer answer(TimeSeriesEvaluation.Report r) {
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

    /** The evaluation as JSON: per split its figures, the two positions and buy and hold. */
    public static ObjectNode json(TimeSeriesEvaluation.Report r) {
        ObjectNode o = Json.object();
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
            j.set("sign_position", EvaluationJson.book(x.sign()));
            j.set("zscore_position", EvaluationJson.book(x.zscore()));
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
