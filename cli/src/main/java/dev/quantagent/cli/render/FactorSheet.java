package dev.quantagent.cli.render;

import static dev.quantagent.cli.render.Cells.bps;
import static dev.quantagent.cli.render.Cells.p;
import static dev.quantagent.cli.render.Json.add;
import static dev.quantagent.cli.render.Json.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Portfolios;
import dev.quantagent.evaluator.Significance;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.evaluator.TearSheet;
import dev.quantagent.evaluator.TearSheets;
import dev.quantagent.sandbox.Factor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A factor's tear sheet as {@code report} shows it (md, json, html): eval's statistics per split, the
 * {@link TearSheet} of each split, the portfolios the factor drives, and one answer to "is this a factor?" read from
 * them. For a knowledge-base factor or a formula: train and valid; for a run's pool signal: train, valid and the test
 * split its run looked at once.
 *
 * @param ev         the evaluation (settings, splits, frequency)
 * @param report     eval's statistics per split
 * @param sheets     the tear sheet per split
 * @param portfolios the portfolios per split
 */
public record FactorSheet(Evaluation ev, FactorReport report, Map<Split, TearSheet> sheets,
                          Map<Split, Portfolios> portfolios) {

    /** Two-sided p-value below which a rank IC counts as evidence here (unadjusted: one factor, one test). */
    public static final double ALPHA = 0.05;
    /** Coverage below which a factor's statistics rest on too few assets to mean much. */
    public static final double MIN_COVERAGE = 0.5;
    /** Fewest dates with a rank IC for the statistics to mean anything. */
    public static final int MIN_DATES = 20;

    /** How the holding-period books differ from eval's long-short. */
    public static final String HOLDING_NOTE = "The long-short of each holding period is run bar by bar on one-bar "
            + "returns (positions drift with their names between rebalances, costs on the value traded: the books of "
            + "eval --books); eval's own long-short (the statistics table, the key figures) re-weights equally from "
            + "its labels at each rebalance, so held 1 bar the two differ a little.";

    public FactorSheet {
        sheets = Map.copyOf(sheets);
        portfolios = Map.copyOf(portfolios);
    }

    /** A factor's sheet on train and valid (the test split stays sealed). */
    public static FactorSheet of(Evaluation ev, Evaluation.Workspace ws, Factor factor, BookConfig books) {
        double[] values = ws.values(factor).clone();
        FactorReport report = ev.evaluate(factor, values, ws);
        Map<Split, TearSheet> sheets = new EnumMap<>(Split.class);
        Map<Split, Portfolios> portfolios = new EnumMap<>(Split.class);
        for (Split s : List.of(Split.TRAIN, Split.VALID)) {
            sheets.put(s, TearSheets.of(ev, values, s, report));
            portfolios.put(s, ev.portfolios(values, s, ws, books));
        }
        return new FactorSheet(ev, report, sheets, portfolios);
    }

    /** The sheet of values a run looked at once on test (its pool signal): train, valid and test. */
    public static FactorSheet ofLook(Evaluation ev, double[] values, Evaluation.SealedTest unsealed,
                                     Evaluation.TestLook look) {
        Map<Split, TearSheet> sheets = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            sheets.put(s, s == Split.TEST ? TearSheets.ofTest(ev, values, unsealed, look.report())
                    : TearSheets.of(ev, values, s, look.report()));
        }
        return new FactorSheet(ev, look.report(), sheets, look.portfolios());
    }

    /** The splits shown, in order. */
    public List<Split> splits() {
        return present(report.splits());
    }

    /** The splits a map holds, in split order. */
    public static List<Split> present(Map<Split, ?> bySplit) {
        List<Split> out = new ArrayList<>();
        for (Split s : Split.values()) {
            if (bySplit.containsKey(s)) {
                out.add(s);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- the answer

    /**
     * The answer to "is this a factor?", in a word ({@code yes}, {@code weak}, {@code no}, {@code degenerate} or
     * {@code short}: a split too short to tell) and
     * sentences with the figures behind it.
     */
    public record Answer(String word, String text) {
    }

    public Answer answer() {
        List<Split> splits = splits();
        for (Split s : splits) {
            SplitStatistics st = report.splits().get(s);
            int dates = ev.splits().to(s) - ev.splits().from(s);
            if (!(st.coverage() >= MIN_COVERAGE) || st.nDates() < MIN_DATES && dates >= 2 * MIN_DATES) {
                return new Answer("degenerate", String.format(Locale.ROOT, "Degenerate on %s: a rank IC on %d of its "
                        + "%d dates and values in %s of the cells with a label (needs %d dates and %.0f%%): it is "
                        + "missing, or the same for every asset, most of the time, so its statistics are noise "
                        + "whatever they say.", s.key(), st.nDates(), dates, Cells.pct(st.coverage()), MIN_DATES,
                        100 * MIN_COVERAGE));
            }
            if (st.nDates() < MIN_DATES) {
                return new Answer("short", String.format(Locale.ROOT, "Too short to tell: %s has %d dates with a rank "
                        + "IC (needs %d); give the splits more dates (--splits).", s.key(), st.nDates(), MIN_DATES));
            }
        }
        List<String> names = new ArrayList<>();
        double[] ic = new double[splits.size()];
        double[] t = new double[splits.size()];
        for (int i = 0; i < splits.size(); i++) {
            SplitStatistics st = report.splits().get(splits.get(i));
            names.add(splits.get(i).key());
            ic[i] = st.rankIc();
            t[i] = st.rankIcTstatNeweyWest();
        }
        StringBuilder text = new StringBuilder();
        String word = evidence(names, ic, t, "rank IC", "it ranks the assets' next returns", text);
        Split last = splits.get(splits.size() - 1);
        Portfolios p = portfolios.get(last);
        if (p != null) {
            Book best = null;
            for (Book b : p.longShortByHolding()) {
                if (best == null || nz(b.net().sharpe()) > nz(best.net().sharpe())) {
                    best = b;
                }
            }
            if (best != null) {
                text.append(String.format(Locale.ROOT, best.net().sharpe() > 0
                                ? " On %s its quantile long-short pays for its trading best held %d bar%s: Sharpe %.2f "
                                + "after costs, %.2f before."
                                : " On %s its quantile long-short loses after costs at every holding period (best held "
                                + "%d bar%s: Sharpe %.2f after costs, %.2f before).", last.key(), best.rebalanceEvery(),
                        best.rebalanceEvery() == 1 ? "" : "s", best.net().sharpe(), best.gross().sharpe()));
            }
        }
        return new Answer(word, text.toString());
    }

    /**
     * The word for a statistic's evidence across splits, its sentence appended to {@code text}: yes when it has one
     * sign and a two-sided p below {@link #ALPHA} on every split, weak with one sign but not significant everywhere,
     * no otherwise.
     *
     * @param what  the statistic, e.g. {@code rank IC}
     * @param claim what a positive one means, e.g. {@code it ranks the assets' next returns}
     */
    public static String evidence(List<String> splits, double[] value, double[] t, String what, String claim,
                           StringBuilder text) {
        double sign = Math.signum(value[0]);
        boolean sameSign = true;
        boolean allSignificant = true;
        boolean anySignificant = false;
        StringBuilder why = new StringBuilder();
        for (int i = 0; i < splits.size(); i++) {
            double p = Significance.twoSided(t[i]);
            boolean significant = p < ALPHA;
            sameSign &= Math.signum(value[i]) == sign && sign != 0;
            allSignificant &= significant;
            anySignificant |= significant;
            why.append(why.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %s %s (t %.2f, p %s)",
                    splits.get(i), what, Cells.stat(value[i]), t[i], p(p)));
        }
        String word;
        if (sameSign && allSignificant) {
            word = "yes";
            text.append("Yes: ").append(claim).append(' ').append(sign > 0 ? "in its direction" : "in reverse (use "
                    + "its negative)").append(" on every split, significantly");
        } else if (sameSign && anySignificant) {
            word = "weak";
            text.append("Weak: the same sign on every split, but not significant on all of them");
        } else if (!sameSign) {
            word = "no";
            text.append("No: the sign of its ").append(what).append(" changes between splits");
        } else {
            word = "no";
            text.append("No: not significant on any split");
        }
        text.append(" (").append(why).append("; p two-sided, Newey-West, not adjusted for other factors tried).");
        return word;
    }

    private static double nz(double v) {
        return v == v ? v : Double.NEGATIVE_INFINITY;
    }

    // ------------------------------------------------------------------------------------------- markdown

    /** The tear sheet's own tables, for a markdown report after eval's table. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        Answer a = answer();
        sb.append("**Is this a factor?** ").append(a.text()).append("\n\n");
        List<Split> splits = splits();
        sb.append("## Holding periods\n\nThe factor against the forward return over each holding period, returns per "
                + "bar, and the quantile long-short held that long, Sharpe after / before costs. ")
                .append(HOLDING_NOTE).append("\n\n| split | held | dates | rank IC | t | p | IC | top - bottom | t "
                + "| long-short Sharpe "
                + "net / gross | turnover |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Split s : splits) {
            TearSheet t = sheets.get(s);
            Portfolios p = portfolios.get(s);
            for (int i = 0; i < t.horizons().size(); i++) {
                TearSheet.Horizon h = t.horizons().get(i);
                Book b = p == null ? null : p.longShortByHolding().get(i);
                sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.2f | %s | %s | %s | %.2f | %s | %s |%n",
                        s.key(), h.bars(), h.dates(), Cells.stat(h.rankIc()), h.rankIcTstat(),
                        p(h.rankIcP()), Cells.stat(h.ic()), bps(h.spread()), h.spreadTstat(),
                        b == null ? "-" : Cells.stat(b.net().sharpe()) + " / "
                                + Cells.stat(b.gross().sharpe()),
                        b == null ? "-" : Cells.pct(b.turnover())));
            }
        }
        int q = sheets.get(splits.get(0)).quantiles();
        sb.append("\n## Returns by quantile\n\nMean forward return per bar less the mean of all assets with a value "
                + "(demeaned), by holding period.\n\n| split | held |");
        for (int k = 0; k < q; k++) {
            sb.append(" Q").append(k + 1).append(k == 0 ? " (bottom)" : k == q - 1 ? " (top)" : "").append(" |");
        }
        sb.append("\n|---|---|").append("---|".repeat(q)).append('\n');
        for (Split s : splits) {
            for (TearSheet.Horizon h : sheets.get(s).horizons()) {
                sb.append("| ").append(s.key()).append(" | ").append(h.bars()).append(" |");
                for (double v : h.demeanedByQuantile()) {
                    sb.append(' ').append(bps(v)).append(" |");
                }
                sb.append('\n');
            }
        }
        sb.append("\n## Factor values by quantile\n\n| split | quantile | min | max | mean | std | count | share |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Split s : splits) {
            TearSheet.ValueDistribution d = sheets.get(s).values();
            long total = 0;
            for (TearSheet.QuantileValues v : d.quantiles()) {
                total += v.count();
            }
            for (TearSheet.QuantileValues v : d.quantiles()) {
                sb.append(String.format(Locale.ROOT, "| %s | Q%d | %s | %s | %s | %s | %,d | %s |%n", s.key(),
                        v.quantile(), Cells.significant(v.min()), Cells.significant(v.max()),
                        Cells.significant(v.mean()), Cells.significant(v.std()), v.count(),
                        Cells.pct(total == 0 ? Double.NaN : (double) v.count() / total)));
            }
        }
        sb.append("\n## Daily rank IC\n\n| split | mean | std | skew | excess kurtosis | dates |\n|---|---|---|---|---|"
                + "---|\n");
        for (Split s : splits) {
            TearSheet.IcDistribution d = sheets.get(s).icDistribution();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d |%n", s.key(),
                    Cells.significant(d.mean()), Cells.significant(d.std()), Cells.significant(d.skew()),
                    Cells.significant(d.kurtosis()), report.splits().get(s).nDates()));
        }
        TearSheet.GroupBreakdown g = sheets.get(splits.get(0)).groups();
        if (g.grouping() != null) {
            sb.append("\n## Rank IC by ").append(g.grouping()).append("\n\nWithin each group's assets alone.\n\n| ")
                    .append(g.grouping()).append(" |");
            for (Split s : splits) {
                sb.append(' ').append(s.key()).append(" rank IC (t) |");
            }
            sb.append(" assets |\n|---|").append("---|".repeat(splits.size())).append("---|\n");
            for (TearSheet.GroupIc x : g.groups()) {
                sb.append("| ").append(x.group().replace("|", "\\|")).append(" |");
                for (Split s : splits) {
                    TearSheet.GroupIc y = group(sheets.get(s), x.group());
                    sb.append(' ').append(y == null || y.dates() == 0 ? "-" : Cells.stat(y.rankIc())
                            + String.format(Locale.ROOT, " (%.1f)", y.rankIcTstat())).append(" |");
                }
                sb.append(String.format(Locale.ROOT, " %.0f |%n", x.assets()));
            }
        }
        return sb.toString();
    }

    public static TearSheet.GroupIc group(TearSheet t, String name) {
        for (TearSheet.GroupIc g : t.groups().groups()) {
            if (g.group().equals(name)) {
                return g;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------- JSON

    /** eval's JSON of the factor, with the answer, the tear sheet and the portfolios per split. */
    public ObjectNode json() {
        ObjectNode o = EvaluationJson.of(report);
        Answer a = answer();
        ObjectNode answer = o.putObject("answer");
        answer.put("is_factor", a.word());
        answer.put("text", a.text());
        EvaluationJson.withBooks((ObjectNode) o.get("splits"), portfolios);
        for (Split s : splits()) {
            ((ObjectNode) o.get("splits").get(s.key())).set("tear_sheet", tearSheetJson(sheets.get(s)));
        }
        return o;
    }

    private static ObjectNode tearSheetJson(TearSheet t) {
        ObjectNode o = Json.object();
        ArrayNode horizons = o.putArray("holding_periods");
        for (TearSheet.Horizon h : t.horizons()) {
            ObjectNode x = horizons.addObject();
            x.put("bars", h.bars());
            x.put("dates", h.dates());
            put(x, "rank_ic", h.rankIc());
            put(x, "rank_ic_tstat_nw", h.rankIcTstat());
            put(x, "rank_ic_p_value", h.rankIcP());
            put(x, "ic", h.ic());
            array(x.putArray("mean_return_by_quantile"), h.meanByQuantile());
            array(x.putArray("demeaned_return_by_quantile"), h.demeanedByQuantile());
            put(x, "top_minus_bottom", h.spread());
            put(x, "top_minus_bottom_tstat_nw", h.spreadTstat());
            put(x, "top_minus_bottom_p_value", h.spreadP());
        }
        ArrayNode values = o.putArray("factor_values_by_quantile");
        for (TearSheet.QuantileValues v : t.values().quantiles()) {
            ObjectNode x = values.addObject();
            x.put("quantile", v.quantile());
            put(x, "min", v.min());
            put(x, "max", v.max());
            put(x, "mean", v.mean());
            put(x, "std", v.std());
            x.put("count", v.count());
        }
        TearSheet.IcDistribution d = t.icDistribution();
        ObjectNode ic = o.putObject("rank_ic_distribution");
        put(ic, "mean", d.mean());
        put(ic, "std", d.std());
        put(ic, "skew", d.skew());
        put(ic, "kurtosis", d.kurtosis());
        ObjectNode monthly = o.putObject("rank_ic_by_month");
        for (TearSheet.MonthlyIc m : t.monthly()) {
            put(monthly, String.format(Locale.ROOT, "%d-%02d", m.year(), m.month()), m.rankIc());
        }
        if (t.groups().grouping() != null) {
            ObjectNode g = o.putObject("rank_ic_by_group");
            g.put("grouping", t.groups().grouping());
            ArrayNode groups = g.putArray("groups");
            for (TearSheet.GroupIc x : t.groups().groups()) {
                ObjectNode y = groups.addObject();
                y.put("group", x.group());
                put(y, "rank_ic", x.rankIc());
                put(y, "rank_ic_tstat_nw", x.rankIcTstat());
                y.put("dates", x.dates());
                put(y, "assets", x.assets());
            }
        }
        return o;
    }

    private static void array(ArrayNode a, double[] v) {
        for (double x : v) {
            add(a, x);
        }
    }
}
