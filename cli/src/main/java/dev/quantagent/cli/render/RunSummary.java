package dev.quantagent.cli.render;

import static dev.quantagent.cli.render.Cells.p;
import static dev.quantagent.cli.render.Cells.pct;
import static dev.quantagent.cli.render.Cells.stat;
import static dev.quantagent.cli.render.Json.add;
import static dev.quantagent.cli.render.Json.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.agents.Conclusion;
import dev.quantagent.agents.MiningConfig;
import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Portfolios;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end of a mining run as users read it: {@code summary.json} (the shape the checks read), {@code pool.json},
 * {@code pool.csv}, {@code summary.md} and the terminal's summary, all from one {@link Conclusion}.
 */
public final class RunSummary {

    private final String runId;
    private final String data;
    private final MiningConfig config;
    private final long runTrials;
    private final Conclusion c;
    private final double[][] correlation;

    /**
     * @param runTrials   factors this run tested (the conclusion's {@link Conclusion#trials()} counts all runs on the
     *                    data)
     * @param correlation the pool's factors' rank correlations over train, in pool order (null: not computed)
     */
    public RunSummary(String runId, String data, MiningConfig config, long runTrials, Conclusion c,
                      double[][] correlation) {
        this.runId = runId;
        this.data = data;
        this.config = config;
        this.runTrials = runTrials;
        this.c = c;
        this.correlation = correlation;
    }

    // ------------------------------------------------------------------------------------------- JSON

    public ObjectNode json() {
        ObjectNode o = Json.object();
        o.put("run", runId);
        o.put("data", data);
        o.put("ideas", config.totalCandidates());
        o.put("run_trials", runTrials);
        o.put("accepted", c.pool().size());
        o.put("trials", c.trials());
        o.put("valid_looks", c.validLooks());
        o.put("elapsed_seconds", Math.round(c.elapsed().toMillis() / 100.0) / 10.0);
        ObjectNode mt = o.putObject("multiple_testing");
        mt.put("adjustment", c.policy().adjustment().key());
        mt.put("alpha", c.policy().alpha());
        mt.put("family", c.validLooks());
        ArrayNode pool = o.putArray("pool");
        for (Conclusion.FactorResult r : c.pool()) {
            ObjectNode x = pool.addObject();
            x.put("id", r.entry().id());
            x.put("name", r.entry().draft().name());
            x.put("formula", r.entry().draft().formula());
            for (Split s : Split.values()) {
                SplitStatistics st = r.report().splits().get(s);
                ObjectNode y = x.putObject(s.key());
                put(y, "rank_ic", st.rankIc());
                put(y, "rank_ic_tstat_nw", st.rankIcTstatNeweyWest());
                put(y, "sharpe", st.portfolio().sharpe());
                put(y, "sharpe_gross", st.grossPortfolio().sharpe());
            }
            put(x, "p_value", r.pValue());
            put(x, "adjusted_p_value", r.adjustedPValue());
            x.put("significant", r.significant());
            x.set("deflated_sharpe", deflated(r));
        }
        o.set("pool_signal", c.signal() == null ? null : EvaluationJson.signal(c.signal()));
        if (c.baseline() != null) {
            Conclusion.Baseline b = c.baseline();
            ObjectNode x = b.signal() == null ? Json.object() : EvaluationJson.signal(b.signal());
            x.put("library", b.library());
            x.put("formulas", b.formulas());
            x.put("evaluated", b.evaluated());
            x.put("passed_train", b.passed());
            b.selected().forEach(x.putArray("selected")::add);
            o.set("baseline", x);
        } else {
            o.putNull("baseline");
        }
        if (correlation != null) {
            ObjectNode corr = o.putObject("pool_correlation");
            corr.put("split", "train");
            ArrayNode ids = corr.putArray("ids");
            c.pool().forEach(r -> ids.add(r.entry().id()));
            ArrayNode matrix = corr.putArray("matrix");
            for (double[] row : correlation) {
                ArrayNode m = matrix.addArray();
                for (double x : row) {
                    add(m, x);
                }
            }
        }
        ObjectNode v = o.putObject("verdict");
        v.put("significant", c.verdict().significant());
        v.put("text", c.verdict().text());
        if (!c.planted().isEmpty()) {
            ArrayNode planted = o.putArray("planted");
            for (Conclusion.Found f : c.planted()) {
                ObjectNode x = planted.addObject();
                x.put("name", f.name());
                x.put("formula", f.formula());
                x.put("found", f.found());
                if (f.by() == null) {
                    x.putNull("by");
                } else {
                    x.put("by", f.by());
                }
                put(x, "correlation", f.correlation());
            }
        }
        return o;
    }

    private static ObjectNode deflated(Conclusion.FactorResult r) {
        ObjectNode d = Json.object();
        put(d, "probability", r.deflatedSharpe().probability());
        put(d, "sharpe", r.deflatedSharpe().sharpe());
        put(d, "expected_max_sharpe", r.deflatedSharpe().expectedMaxSharpe());
        d.put("trials", r.deflatedSharpe().trials());
        d.put("periods", r.deflatedSharpe().periods());
        d.put("split", "valid");
        return d;
    }

    /** Most points of a series kept for the run page's charts (a chart shows no more). */
    static final int FIGURE_POINTS = 1_000;

    /**
     * What the run page charts beyond the summary: the daily rank IC of the pool signal (and the baseline's) summed
     * over train, valid and test, and its TopK book's excess return over the equal-weight market summed (Qlib's
     * "sum" mode, as its figures), after and before costs; at most {@value #FIGURE_POINTS} points each.
     */
    public ObjectNode figures() {
        ObjectNode o = Json.object();
        if (c.signal() != null) {
            o.set("pool_signal", signalFigures(c.signal()));
        }
        if (c.baseline() != null && c.baseline().signal() != null) {
            o.set("baseline", signalFigures(c.baseline().signal()));
        }
        return o;
    }

    private static ObjectNode signalFigures(Conclusion.Signal s) {
        ObjectNode o = Json.object();
        List<long[]> icTime = new ArrayList<>();
        List<double[]> ic = new ArrayList<>();
        List<long[]> bookTime = new ArrayList<>();
        List<double[]> net = new ArrayList<>();
        List<double[]> gross = new ArrayList<>();
        for (Split x : Split.values()) {
            SplitStatistics.Series series = s.look().report().splits().get(x).series();
            icTime.add(series.icTime());
            ic.add(series.rankIc());
            Book b = s.look().portfolios().get(x).topkDropout();
            bookTime.add(b.time());
            double[] n = new double[b.time().length];
            double[] g = new double[b.time().length];
            for (int i = 0; i < n.length; i++) {
                n[i] = b.netReturn()[i] - b.benchmarkReturn()[i];
                g[i] = b.grossReturn()[i] - b.benchmarkReturn()[i];
            }
            net.add(n);
            gross.add(g);
        }
        o.set("ic", cumulative(icTime, List.of(ic), List.of("cumulative"), 1));
        o.set("topk", cumulative(bookTime, List.of(net, gross), List.of("excess_net",
                "excess_gross"), 100));
        return o;
    }

    /**
     * Series summed over the splits in turn, thinned to {@link #FIGURE_POINTS}: {@code time} labels, each named
     * series, and {@code ranges} of the points of each split.
     */
    private static ObjectNode cumulative(List<long[]> times, List<List<double[]>> series,
                                         List<String> names, double scale) {
        int total = 0;
        for (long[] t : times) {
            total += t.length;
        }
        int step = Math.max(1, (total + FIGURE_POINTS - 1) / FIGURE_POINTS);
        ObjectNode o = Json.object();
        ArrayNode ranges = o.putArray("ranges");
        List<Long> kept = new ArrayList<>();
        ArrayNode[] out = new ArrayNode[names.size()];
        double[] sums = new double[names.size()];
        for (int k = 0; k < names.size(); k++) {
            out[k] = o.putArray(names.get(k));
        }
        int index = 0;
        for (int part = 0; part < times.size(); part++) {
            int from = kept.size();
            long[] t = times.get(part);
            for (int i = 0; i < t.length; i++, index++) {
                for (int k = 0; k < names.size(); k++) {
                    double v = series.get(k).get(part)[i];
                    sums[k] += v == v ? v : 0;
                }
                if (index % step == 0 || i == t.length - 1) {
                    kept.add(t[i]);
                    for (int k = 0; k < names.size(); k++) {
                        add(out[k], scale * sums[k]);
                    }
                }
            }
            ChartData.range(ranges, Split.values()[part], from, kept.size() - from);
        }
        long[] keptTimes = new long[kept.size()];
        for (int i = 0; i < keptTimes.length; i++) {
            keptTimes[i] = kept.get(i);
        }
        o.set("time", ChartData.timeLabels(keptTimes));
        return o;
    }

    /** pool.json: each accepted factor's full statistics on every split, with its evidence. */
    public ArrayNode poolJson() {
        ArrayNode pool = Json.array();
        for (Conclusion.FactorResult r : c.pool()) {
            ObjectNode f = EvaluationJson.of(r.report());
            f.set("splits", EvaluationJson.withBooks((ObjectNode) f.get("splits"), r.portfolios()));
            f.put("id", r.entry().id());
            f.put("name", r.entry().draft().name());
            f.put("hypothesis", r.entry().draft().hypothesis());
            f.put("score", r.entry().verdict().score());
            put(f, "p_value", r.pValue());
            put(f, "adjusted_p_value", r.adjustedPValue());
            f.put("adjustment", c.policy().adjustment().key());
            f.put("family", c.validLooks());
            f.put("significant", r.significant());
            f.set("deflated_sharpe", deflated(r));
            pool.add(f);
        }
        return pool;
    }

    public String poolCsv() {
        StringBuilder csv = new StringBuilder("id,name,formula,canonical,train_rank_ic,valid_rank_ic,"
                + "adjusted_p_value,valid_sharpe,valid_sharpe_gross,test_rank_ic,test_sharpe,test_sharpe_gross,"
                + "score\n");
        for (Conclusion.FactorResult r : c.pool()) {
            SplitStatistics tr = r.report().splits().get(Split.TRAIN);
            SplitStatistics v = r.report().splits().get(Split.VALID);
            SplitStatistics t = r.report().splits().get(Split.TEST);
            csv.append(r.entry().id()).append(',').append(Cells.csv(r.entry().draft().name())).append(',')
                    .append(Cells.csv(r.entry().draft().formula())).append(',')
                    .append(Cells.csv(r.entry().factor().canonical())).append(',')
                    .append(tr.rankIc()).append(',').append(v.rankIc()).append(',').append(r.adjustedPValue())
                    .append(',').append(v.portfolio().sharpe()).append(',').append(v.grossPortfolio().sharpe())
                    .append(',').append(t.rankIc()).append(',').append(t.portfolio().sharpe()).append(',')
                    .append(t.grossPortfolio().sharpe()).append(',').append(r.entry().verdict().score()).append('\n');
        }
        return csv.toString();
    }

    // ------------------------------------------------------------------------------------------- text

    public String markdown(String dataDetail) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Mining run ").append(runId).append("\n\n");
        sb.append("**Verdict.** ").append(c.verdict().text()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "Data: %s. %d ideas in %d rounds, up to %d steps each; this run tested "
                        + "%,d factors and accepted %d. On this data: %,d factors tried and %,d looks at valid in "
                        + "all runs. Evidence adjusted with %s at %.2f. Seed %d. %.0f s.%n%n", dataDetail,
                config.totalCandidates(), config.rounds(), config.stepsPerFactor(), runTrials, c.pool().size(),
                c.trials(), c.validLooks(), c.policy().adjustment().key().toUpperCase(Locale.ROOT),
                c.policy().alpha(), config.seed(), c.elapsed().toMillis() / 1000.0));
        sb.append("Protocol: the search saw train only; each idea was looked at on valid once, at the gate; test was "
                + "evaluated once, for this report.\n\n");
        sb.append("## Accepted factors\n\n");
        if (c.pool().isEmpty()) {
            sb.append("None.\n\n");
        } else {
            sb.append("| id | formula | train rank IC (t) | valid rank IC (t) | adjusted p | valid Sharpe net / gross "
                    + "| deflated Sharpe | test rank IC (t) | test Sharpe net / gross |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|\n");
            for (Conclusion.FactorResult r : c.pool()) {
                SplitStatistics tr = r.report().splits().get(Split.TRAIN);
                SplitStatistics v = r.report().splits().get(Split.VALID);
                SplitStatistics t = r.report().splits().get(Split.TEST);
                sb.append(String.format(Locale.ROOT, "| %d | `%s` | %s | %s | %s%s | %s / %s | %s | %s | %s / %s |%n",
                        r.entry().id(), r.entry().draft().formula().replace("|", "\\|"), icT(tr), icT(v),
                        p(r.adjustedPValue()), r.significant() ? "" : " (not significant)",
                        stat(v.portfolio().sharpe()),
                        stat(v.grossPortfolio().sharpe()),
                        stat(r.deflatedSharpe().probability()), icT(t),
                        stat(t.portfolio().sharpe()),
                        stat(t.grossPortfolio().sharpe())));
            }
            sb.append('\n');
        }
        if (!c.pool().isEmpty()) {
            sb.append("Each factor's long-short held 1, 5, 10 and 20 bars, Sharpe after / before costs (valid; test):\n\n");
            sb.append("| id | 1 bar | 5 bars | 10 bars | 20 bars |\n|---|---|---|---|---|\n");
            for (Conclusion.FactorResult r : c.pool()) {
                sb.append("| ").append(r.entry().id()).append(" |");
                List<Book> v = r.portfolios().get(Split.VALID).longShortByHolding();
                List<Book> t = r.portfolios().get(Split.TEST).longShortByHolding();
                for (int i = 0; i < v.size(); i++) {
                    sb.append(' ').append(sharpes(v.get(i))).append("; ").append(sharpes(t.get(i))).append(" |");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        if (c.signal() != null) {
            sb.append("## Pool signal\n\n").append(signalMarkdown(c.signal()));
        }
        if (c.baseline() != null) {
            Conclusion.Baseline b = c.baseline();
            sb.append("## Baseline: ").append(b.library()).append("\n\n");
            sb.append(String.format(Locale.ROOT, "%d of %d formulas computable on this data; %d passed the train "
                            + "selection, %d the valid gate%s.%n%n", b.evaluated(), b.formulas(), b.passed(),
                    b.selected().size(), b.selected().isEmpty() ? " (so the baseline is the whole library, each "
                            + "formula signed by its train rank IC)" : ""));
            if (b.signal() != null) {
                sb.append(signalMarkdown(b.signal()));
            }
        }
        if (!c.planted().isEmpty()) {
            sb.append("## Planted alphas\n\n| alpha | formula | found | by | correlation |\n|---|---|---|---|---|\n");
            for (Conclusion.Found f : c.planted()) {
                sb.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %s | %s |%n", f.name(), f.formula(),
                        f.found() ? "yes" : "no", f.by() == null ? "-" : "#" + f.by(),
                        stat(f.correlation())));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String signalMarkdown(Conclusion.Signal s) {
        StringBuilder sb = new StringBuilder();
        sb.append(s.label()).append(". Rank IC on valid by method:");
        s.combination().validRankIcByMethod().forEach((m, v) -> sb.append(' ').append(m.key()).append(' ')
                .append(stat(v)));
        sb.append(".\n\n| | train | valid | test |\n|---|---|---|---|\n");
        FactorReport r = s.look().report();
        row(sb, "rank IC (Newey-West t)", r, st -> icT(st));
        row(sb, "long-short Sharpe net / gross", r, st -> stat(st.portfolio().sharpe())
                + " / " + stat(st.grossPortfolio().sharpe()));
        Map<Split, Portfolios> p = s.look().portfolios();
        sb.append("| TopK excess return a year, net / gross |");
        for (Split x : Split.values()) {
            Book b = p.get(x).topkDropout();
            sb.append(' ').append(pct(b.excessNet().annualExcessReturn())).append(" / ")
                    .append(pct(b.excessGross().annualExcessReturn())).append(" |");
        }
        sb.append("\n| TopK information ratio, net |");
        for (Split x : Split.values()) {
            sb.append(' ').append(stat(p.get(x).topkDropout().excessNet().informationRatio())).append(" |");
        }
        sb.append("\n| TopK max drawdown of excess, net |");
        for (Split x : Split.values()) {
            sb.append(' ').append(pct(p.get(x).topkDropout().excessNet().maxDrawdown())).append(" |");
        }
        sb.append("\n| TopK turnover |");
        for (Split x : Split.values()) {
            sb.append(' ').append(pct(p.get(x).topkDropout().turnover())).append(" |");
        }
        sb.append("\n| buffered long-short Sharpe net / gross |");
        for (Split x : Split.values()) {
            Book b = p.get(x).bufferedLongShort();
            sb.append(' ').append(stat(b.net().sharpe())).append(" / ")
                    .append(stat(b.gross().sharpe())).append(" |");
        }
        sb.append("\n\nTopK book: ").append(p.get(Split.TEST).topkDropout().description()).append(".\n\n");
        return sb.toString();
    }

    private static String sharpes(Book b) {
        return stat(b.net().sharpe()) + " / " + stat(b.gross().sharpe());
    }

    private static void row(StringBuilder sb, String name, FactorReport r,
                            java.util.function.Function<SplitStatistics, String> cell) {
        sb.append("| ").append(name).append(" |");
        for (Split s : Split.values()) {
            sb.append(' ').append(cell.apply(r.splits().get(s))).append(" |");
        }
        sb.append('\n');
    }

    /**
     * The conclusion from a stored {@code summary.json} (what {@code report --run} reads back): the pool signal per
     * split with the baseline's test beside it, the planted alphas and the pool with its evidence, in markdown.
     */
    public static String signalMarkdown(com.fasterxml.jackson.databind.JsonNode summary) {
        StringBuilder sb = new StringBuilder();
        var sig = summary.path("pool_signal");
        var base = summary.path("baseline");
        if (sig.isObject()) {
            boolean withBase = base.isObject() && base.path("splits").isObject();
            String label = sig.path("label").asText();
            sb.append("## ").append(label.isEmpty() ? "Pool signal" : Character.toUpperCase(label.charAt(0))
                    + label.substring(1)).append("\n\n| | train | valid | test |")
                    .append(withBase ? " " + base.path("library").asText() + " baseline, test |" : "")
                    .append("\n|---|---|---|---|").append(withBase ? "---|" : "").append('\n');
            String[][] rows = {{"rank IC (Newey-West t)", "rank_ic", "rank_ic_tstat_nw"},
                    {"long-short Sharpe net / gross", "sharpe", "sharpe_gross"},
                    {"TopK excess return a year, net / gross", "portfolio.net.annual_excess_return",
                            "portfolio.gross.annual_excess_return"},
                    {"TopK information ratio, net", "portfolio.net.information_ratio", null}};
            for (String[] row : rows) {
                sb.append("| ").append(row[0]).append(" |");
                for (String split : new String[] {"train", "valid", "test"}) {
                    sb.append(' ').append(pair(sig.path("splits").path(split), row)).append(" |");
                }
                if (withBase) {
                    sb.append(' ').append(pair(base.path("splits").path("test"), row)).append(" |");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        if (summary.path("planted").isArray()) {
            sb.append("## Planted alphas\n\n| alpha | formula | found | by | correlation |\n|---|---|---|---|---|\n");
            for (var p : summary.get("planted")) {
                sb.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %s | %s |%n", p.path("name").asText(),
                        p.path("formula").asText(), p.path("found").asBoolean() ? "yes" : "no",
                        p.path("by").isNull() ? "-" : "#" + p.path("by").asText(),
                        stat(p.path("correlation").isNumber() ? p.get("correlation").asDouble()
                                : Double.NaN)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A cell of a row: one figure, or two as "net / gross"; percent for returns. */
    private static String pair(com.fasterxml.jackson.databind.JsonNode split, String[] row) {
        boolean percent = row[1].contains("return");
        String a = Cells.cell(at(split, row[1]), percent, false);
        if (row[2] == null) {
            return a;
        }
        return row[2].endsWith("tstat_nw") ? a + " (" + String.format(Locale.ROOT, "%.1f", at(split, row[2])) + ")"
                : a + " / " + Cells.cell(at(split, row[2]), percent, false);
    }

    private static double at(com.fasterxml.jackson.databind.JsonNode n, String path) {
        for (String k : path.split("\\.")) {
            n = n.path(k);
        }
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** The terminal's summary: counts, the pool, the signal, the baseline, the planted alphas, the verdict. */
    public String terminal(String folder, List<String> next) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "run %s: %d ideas, %,d factors tested, %d accepted (on this data: %,d "
                        + "tried, %,d looks at valid; evidence adjusted with %s)%n", runId, config.totalCandidates(),
                runTrials, c.pool().size(), c.trials(), c.validLooks(),
                c.policy().adjustment().key().toUpperCase(Locale.ROOT)));
        if (!c.pool().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "  %-6s %-48s %15s %15s %9s %15s%n", "id", "formula", "train RIC (t)",
                    "valid RIC (t)", "adj. p", "test RIC (t)"));
            for (Conclusion.FactorResult r : c.pool()) {
                String f = r.entry().draft().formula();
                sb.append(String.format(Locale.ROOT, "  %-6d %-48s %15s %15s %9s %15s%n", r.entry().id(),
                        f.length() > 48 ? f.substring(0, 45) + "..." : f, icT(r.report().splits().get(Split.TRAIN)),
                        icT(r.report().splits().get(Split.VALID)), p(r.adjustedPValue()),
                        icT(r.report().splits().get(Split.TEST))));
            }
        }
        if (c.signal() != null) {
            sb.append(signalLine(c.signal()));
        }
        if (c.baseline() != null && c.baseline().signal() != null) {
            sb.append(signalLine(c.baseline().signal()));
        }
        for (Conclusion.Found f : c.planted()) {
            sb.append(String.format(Locale.ROOT, "planted %-36s %s%n", f.name() + ":", f.found()
                    ? String.format(Locale.ROOT, "found by #%d (correlation %.2f)", f.by(), f.correlation())
                    : "not found" + (f.by() == null ? "" : String.format(Locale.ROOT, " (closest #%d, correlation "
                    + "%.2f)", f.by(), f.correlation()))));
        }
        sb.append("verdict: ").append(c.verdict().text()).append(System.lineSeparator());
        sb.append("run folder: ").append(folder).append(System.lineSeparator());
        if (!next.isEmpty()) {
            sb.append("next:").append(System.lineSeparator());
            for (String n : next) {
                sb.append("  ").append(n).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    private static String signalLine(Conclusion.Signal s) {
        FactorReport r = s.look().report();
        Book topk = s.look().portfolios().get(Split.TEST).topkDropout();
        return String.format(Locale.ROOT, "%s:%n  rank IC train %s, valid %s, test %s; TopK excess a year on test "
                        + "%s net, %s gross (information ratio %s net)%n", s.label(), icT(r.splits().get(Split.TRAIN)),
                icT(r.splits().get(Split.VALID)), icT(r.splits().get(Split.TEST)),
                pct(topk.excessNet().annualExcessReturn()), pct(topk.excessGross().annualExcessReturn()),
                stat(topk.excessNet().informationRatio()));
    }

    /** A rank IC with its Newey-West t, e.g. {@code 0.0213 (2.61)}. */
    private static String icT(SplitStatistics s) {
        return stat(s.rankIc()) + " (" + String.format(Locale.ROOT, "%.1f",
                s.rankIcTstatNeweyWest()) + ")";
    }
}
