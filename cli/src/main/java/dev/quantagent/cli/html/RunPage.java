package dev.quantagent.cli.html;

import static dev.quantagent.cli.html.HtmlPage.esc;
import static dev.quantagent.cli.render.Json.add;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.cli.render.Cells;
import dev.quantagent.cli.render.FactorSheet;
import dev.quantagent.cli.render.Json;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.Stats;
import dev.quantagent.knowledge.Status;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mining run's page, which {@code mine} writes into the run folder ({@code report.html}) and {@code report --run}
 * writes again from the knowledge base alone, the same page. A concluded run leads with its verdict and its pool
 * signal (train, valid and the one look at test; its TopK book after and before costs; the baseline beside it), then
 * charts of the signal, of each accepted factor's rank IC and of the pool's correlations, the planted alphas, the pool
 * with its evidence, the rounds and the configuration. A run that has not concluded shows what it has so far.
 */
public final class RunPage {

    /** Draws the charts from the JSON block; static text, so no user data is ever part of the code. */
    private static final String CHARTS = HtmlPage.resource("run-page.js");

    /** Share of cells with a value below which a factor is degenerate, and never drawn as a round's best. */
    static final double MIN_COVERAGE = FactorSheet.MIN_COVERAGE;

    private RunPage() {
    }

    /**
     * @param factors  every factor the run tested, in id (testing) order
     * @param accepted the accepted pool, best valid rank IC first
     * @param summary  the run's {@code summary.json} as it kept it, or null before its conclusion
     * @param figures  the series its charts draw, kept with it, or null
     */
    public static String html(RunRecord r, List<FactorRecord> factors, List<FactorRecord> accepted, JsonNode summary,
                       JsonNode figures) throws IOException {
        String title = "Mining run " + r.id();
        HtmlPage page = new HtmlPage(title).heading(1, title);
        Map<Status, Integer> byStatus = new java.util.EnumMap<>(Status.class);
        for (FactorRecord f : factors) {
            byStatus.merge(f.status(), 1, Integer::sum);
        }
        boolean concluded = summary != null && summary.has("verdict");
        if (concluded) {
            JsonNode v = summary.get("verdict");
            boolean significant = v.path("significant").asBoolean(false);
            page.raw("<div class=\"answer answer-" + (significant ? "yes" : "no") + "\"><span class=\"label\">Verdict"
                    + "</span> " + esc(v.path("text").asText()) + "</div>\n");
            page.raw(String.format(Locale.ROOT, "<p class=\"headline\">%d ideas, %,d factors tested by this run, %d "
                            + "accepted. On this data: %,d factors tried and %,d looks at valid in all runs; evidence "
                            + "adjusted with %s at %s. %s.</p>%n", summary.path("ideas").asInt(),
                    summary.path("run_trials").asLong(), summary.path("accepted").asInt(),
                    summary.path("trials").asLong(), summary.path("valid_looks").asLong(),
                    esc(summary.path("multiple_testing").path("adjustment").asText().toUpperCase(Locale.ROOT)),
                    esc(summary.path("multiple_testing").path("alpha").asText()),
                    esc(duration(Duration.ofMillis((long) (1000 * summary.path("elapsed_seconds").asDouble()))))
                            + " of mining and concluding"));
            JsonNode signal = mainSignal(summary);
            if (signal != null) {
                if (signal == summary.get("pool_signal")) {
                    page.raw("<p>The pool signal's tear sheet, as <code>report --factor</code> gives a factor's: "
                            + "<a href=\"pool-signal.html\">pool-signal.html</a> beside this page in the run folder."
                            + "</p>\n");
                } else {
                    page.paragraph("note", "No factor was accepted, so there is no pool signal; the baseline's "
                            + "signal is shown in its place.");
                }
                String label = signal.path("label").asText();
                JsonNode baseTest = signal == summary.get("pool_signal") ? summary.path("baseline").path("splits")
                        .path("test") : null;
                page.heading(2, label.isEmpty() ? label : Character.toUpperCase(label.charAt(0)) + label.substring(1))
                        .table(signalTable(signal.path("splits"), baseTest));
            }
        } else {
            page.raw(String.format(Locale.ROOT, "<p class=\"headline\">Status <b>%s</b> (%.0f%% done): %d factors "
                            + "tested, %d accepted, %d rejected, %d invalid.</p>%n", esc(r.status().key()),
                    100 * r.progress(), r.trials(), byStatus.getOrDefault(Status.ACCEPTED, 0),
                    byStatus.getOrDefault(Status.REJECTED, 0), byStatus.getOrDefault(Status.INVALID, 0)));
            page.paragraph("note", "The run has not concluded: its verdict, pool signal and test statistics come with "
                    + "its end (quantagent mine --resume " + r.id() + ").");
        }

        page.charts();
        if (concluded && figures != null && (figures.has("pool_signal") || figures.has("baseline"))) {
            boolean pool = figures.has("pool_signal");
            String what = pool ? "Pool signal" : "Baseline signal";
            boolean withBase = pool && figures.has("baseline");
            page.chart(what + ": cumulative rank IC" + (withBase ? " (baseline dashed)" : ""), "signal-ic")
                    .chart(what + ": TopK book's cumulative excess over the equal-weight market, after costs "
                            + "(solid) and before (dashed)" + (withBase ? "; baseline after costs in grey" : ""),
                            "signal-topk")
                    .chart(what + ": mean return by quantile per bar, per split", "signal-quantiles");
        }
        if (!accepted.isEmpty()) {
            page.chart("Accepted factors: rank IC on train, valid and test", "pool-ic")
                    .chart("Accepted factors: long-short Sharpe after costs, valid and test", "pool-sharpe");
        }
        page.chart("Factors per round", "rounds")
                .chart("Best rank IC per round: the best train rank IC tested (factors with values in at least half "
                        + "the cells), and the pool's best valid rank IC so far", "best")
                .chart("Acceptance over the run", "acceptance");
        page.endCharts();

        if (concluded && summary.path("pool_correlation").path("ids").size() > 0) {
            page.heading(2, "Correlation of the accepted factors").paragraph("meta", "Mean daily rank correlation of "
                    + "their values over train (a pair above the Judge's limit could not both be accepted).")
                    .raw(correlationHeatmap(summary.get("pool_correlation")));
        }
        if (concluded && summary.has("planted")) {
            page.heading(2, "Planted alphas").table(planted(summary.get("planted")));
        }
        page.heading(2, "Accepted pool");
        if (concluded && summary.path("pool").size() > 0) {
            page.table(poolTable(summary.get("pool"), accepted));
        } else if (!accepted.isEmpty()) {
            page.table(recordTable(accepted));
        } else {
            page.paragraph("No factor was accepted.");
        }
        if (concluded && summary.hasNonNull("baseline")) {
            page.heading(2, "Baseline: " + summary.get("baseline").path("library").asText())
                    .paragraph(baselineText(summary.get("baseline")));
        }

        HtmlPage.Table counters = new HtmlPage.Table("counter", "value")
                .row("data", r.dataFrom() + " .. " + r.dataTo() + ", " + r.symbols() + " assets (key " + r.dataKey()
                        + ")")
                .row("started", r.startedAt() == null ? "-" : String.valueOf(r.startedAt()))
                .row("factors tested", String.valueOf(r.trials()))
                .row("accepted", String.valueOf(byStatus.getOrDefault(Status.ACCEPTED, 0)))
                .row("rejected", String.valueOf(byStatus.getOrDefault(Status.REJECTED, 0)))
                .row("invalid", String.valueOf(byStatus.getOrDefault(Status.INVALID, 0)))
                .row("LLM tokens", String.format(Locale.ROOT, "%,d", r.tokens()))
                .row("LLM cost", String.format(Locale.ROOT, "$%.4f", r.cost()));
        JsonNode splits = Json.read(r.splitsJson() == null ? "{}" : r.splitsJson());
        for (Iterator<Map.Entry<String, JsonNode>> it = splits.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            counters.row(e.getKey() + " split", e.getValue().asText());
        }
        page.heading(2, "Counters").table(counters);
        HtmlPage.Table config = new HtmlPage.Table("setting", "value").numeric(1);
        flatten("", Json.read(r.configJson()), config);
        page.heading(2, "Configuration").table(config);
        return page.finish(data(factors, accepted, summary, figures), CHARTS);
    }

    // ---------------------------------------------------------------- tables

    private static final String[] SPLITS = {"train", "valid", "test"};

    /** The signal a concluded run shows: its pool signal, else its baseline's, else null. */
    private static JsonNode mainSignal(JsonNode summary) {
        if (summary.path("pool_signal").isObject()) {
            return summary.get("pool_signal");
        }
        return summary.path("baseline").path("splits").isObject() ? summary.get("baseline") : null;
    }

    /** A signal per split, and the baseline's test beside it (null: none). */
    private static HtmlPage.Table signalTable(JsonNode sig, JsonNode base) {
        boolean withBase = base != null && base.isObject();
        List<String> head = new ArrayList<>(List.of("", "train", "valid", "test"));
        if (withBase) {
            head.add("baseline, test");
        }
        HtmlPage.Table t = new HtmlPage.Table(head.toArray(String[]::new)).numeric(withBase ? new int[] {1, 2, 3, 4}
                : new int[] {1, 2, 3});
        row(t, "rank IC (Newey-West t)", sig, base, withBase, x -> num(x.path("rank_ic"), 4) + " ("
                + num(x.path("rank_ic_tstat_nw"), 2) + ")");
        row(t, "quantile long-short Sharpe, net / gross", sig, base, withBase, x -> num(x.path("sharpe"), 2) + " / "
                + num(x.path("sharpe_gross"), 2));
        row(t, "TopK excess a year, net / gross", sig, base, withBase, x -> pct(x.path("portfolio").path("net")
                .path("annual_excess_return")) + " / " + pct(x.path("portfolio").path("gross")
                .path("annual_excess_return")));
        row(t, "TopK information ratio, net", sig, base, withBase, x -> num(x.path("portfolio").path("net")
                .path("information_ratio"), 2));
        row(t, "TopK max drawdown of excess, net", sig, base, withBase, x -> pct(x.path("portfolio").path("net")
                .path("max_drawdown")));
        row(t, "TopK turnover per rebalance", sig, base, withBase, x -> pct(x.path("portfolio").path("turnover")));
        row(t, "buffered long-short Sharpe, net / gross", sig, base, withBase, x -> num(x.path("buffered_long_short")
                .path("net").path("sharpe"), 2) + " / " + num(x.path("buffered_long_short").path("gross")
                .path("sharpe"), 2));
        row(t, "coverage, dates", sig, base, withBase, x -> pct(x.path("coverage")) + ", " + x.path("n_dates")
                .asText("-"));
        return t;
    }

    private static void row(HtmlPage.Table t, String name, JsonNode splits, JsonNode base, boolean withBase,
                            java.util.function.Function<JsonNode, String> cell) {
        List<String> cells = new ArrayList<>(List.of(name));
        for (String s : SPLITS) {
            cells.add(cell.apply(splits.path(s)));
        }
        if (withBase) {
            cells.add(cell.apply(base));
        }
        t.row(cells.toArray(String[]::new));
    }

    private static HtmlPage.Table poolTable(JsonNode pool, List<FactorRecord> accepted) {
        // names are long and in kb list; the formula gets the room
        HtmlPage.Table t = new HtmlPage.Table("id", "formula", "train rank IC (t)", "valid rank IC (t)",
                "adjusted p", "valid Sharpe net / gross", "deflated Sharpe (probability)", "test rank IC (t)",
                "test Sharpe net / gross").numeric(0, 2, 3, 4, 5, 6, 7, 8).code(1);
        for (JsonNode x : pool) {
            t.row("#" + x.path("id").asText(), x.path("formula").asText(),
                    icT(x.path("train")), icT(x.path("valid")), Cells.p(dbl(x.path("adjusted_p_value")))
                            + (x.path("significant").asBoolean(true) ? "" : " (not significant)"),
                    num(x.path("valid").path("sharpe"), 2) + " / " + num(x.path("valid").path("sharpe_gross"), 2),
                    num(x.path("deflated_sharpe").path("probability"), 2), icT(x.path("test")),
                    num(x.path("test").path("sharpe"), 2) + " / " + num(x.path("test").path("sharpe_gross"), 2));
        }
        return t;
    }

    /** The pool as the knowledge base recorded it, for a run that has not concluded. */
    private static HtmlPage.Table recordTable(List<FactorRecord> accepted) {
        HtmlPage.Table pool = new HtmlPage.Table("id", "name", "formula", "train rank IC", "valid rank IC",
                "valid Sharpe", "Judge score").numeric(0, 3, 4, 5, 6).code(2);
        for (FactorRecord f : accepted) {
            pool.row("#" + f.id(), f.name() == null ? "" : f.name(), f.formula(), stat(f.train(), true, 4),
                    stat(f.valid(), true, 4), stat(f.valid(), false, 2),
                    Cells.fixed(f.judgeScore() == null ? Double.NaN : f.judgeScore(), 1));
        }
        return pool;
    }

    private static HtmlPage.Table planted(JsonNode planted) {
        HtmlPage.Table t = new HtmlPage.Table("planted alpha", "formula", "found", "closest pool factor",
                "correlation").numeric(4).code(1);
        for (JsonNode p : planted) {
            t.row(p.path("name").asText(), p.path("formula").asText(), p.path("found").asBoolean() ? "yes" : "no",
                    p.path("by").isNull() ? "-" : "#" + p.path("by").asText(), num(p.path("correlation"), 2));
        }
        return t;
    }

    private static String baselineText(JsonNode b) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d of %d formulas of %s computable on this "
                        + "data; %d passed the search's rules on train, %d the valid gate", b.path("evaluated").asInt(),
                b.path("formulas").asInt(), b.path("library").asText(), b.path("passed_train").asInt(),
                b.path("selected").size()));
        if (b.path("selected").size() == 0) {
            sb.append(" (so the baseline is the whole library, each formula signed by its train rank IC, equally "
                    + "weighted)");
        } else {
            List<String> names = new ArrayList<>();
            b.path("selected").forEach(x -> names.add(x.asText()));
            sb.append(": ").append(String.join("; ", names));
        }
        return sb.append('.').toString();
    }

    /** The pool's correlation matrix, each cell tinted by its size. */
    private static String correlationHeatmap(JsonNode corr) {
        JsonNode ids = corr.path("ids");
        StringBuilder sb = new StringBuilder("<table class=\"heatmap\">\n<thead><tr><th></th>");
        ids.forEach(id -> sb.append("<th>#").append(esc(id.asText())).append("</th>"));
        sb.append("</tr></thead>\n<tbody>\n");
        JsonNode m = corr.path("matrix");
        for (int i = 0; i < ids.size(); i++) {
            sb.append("<tr><th>#").append(esc(ids.get(i).asText())).append("</th>");
            for (int j = 0; j < ids.size(); j++) {
                double v = dbl(m.path(i).path(j));
                sb.append(HtmlPage.heatCell(v, 1.0, v == v ? String.format(Locale.ROOT, "%.2f", v) : "-",
                        "#" + ids.get(i).asText() + " and #" + ids.get(j).asText(), false));
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>\n").toString();
    }

    private static String icT(JsonNode split) {
        return num(split.path("rank_ic"), 4) + " (" + num(split.path("rank_ic_tstat_nw"), 1) + ")";
    }

    private static double dbl(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static String num(JsonNode n, int decimals) {
        return Cells.fixed(dbl(n), decimals);
    }

    private static String pct(JsonNode n) {
        return Cells.pct(dbl(n));
    }

    private static String stat(Stats s, boolean rankIc, int decimals) {
        return Cells.fixed(s == null ? Double.NaN : rankIc ? s.rankIc() : s.sharpe(), decimals);
    }

    private static String duration(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }

    /** Nested settings as dotted names: {@code judge.min_rank_ic}. */
    private static void flatten(String prefix, JsonNode n, HtmlPage.Table t) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), t);
            }
        } else {
            t.row(prefix, n.isTextual() ? n.asText() : n.toString());
        }
    }

    // ---------------------------------------------------------------- chart data

    /** Whether a factor's train statistics rest on enough cells and dates to be anyone's best. */
    static boolean degenerate(Stats s) {
        return s == null || !(s.coverage() >= MIN_COVERAGE) || s.nDates() < FactorSheet.MIN_DATES;
    }

    /**
     * Per round: outcomes, the best train rank IC among the factors that are not degenerate, and the pool's best
     * valid rank IC so far; acceptance by trial; per accepted factor its rank IC and Sharpe per split; the pool
     * signal's series and quantile returns.
     */
    static ObjectNode data(List<FactorRecord> factors, List<FactorRecord> accepted, JsonNode summary,
                           JsonNode figures) {
        Map<Integer, int[]> counts = new TreeMap<>(); // accepted, rejected, invalid
        Map<Integer, Double> best = new TreeMap<>();
        Map<Integer, Double> bestAccepted = new TreeMap<>(); // the best that joined the pool in the round
        for (FactorRecord f : factors) {
            counts.computeIfAbsent(f.round(), k -> new int[3])[f.status().ordinal()]++;
            if (!degenerate(f.train())) {
                best.merge(f.round(), f.train().rankIc(), RunPage::max);
            }
            if (f.status() == Status.ACCEPTED && f.valid() != null) {
                bestAccepted.merge(f.round(), f.valid().rankIc(), RunPage::max);
            }
        }
        ObjectNode d = Json.object();
        ObjectNode rounds = d.putObject("rounds");
        ArrayNode labels = rounds.putArray("labels");
        ArrayNode acc = rounds.putArray("accepted");
        ArrayNode rej = rounds.putArray("rejected");
        ArrayNode inv = rounds.putArray("invalid");
        ArrayNode roundBest = rounds.putArray("best_train_rank_ic");
        ArrayNode poolBest = rounds.putArray("pool_best_valid_rank_ic");
        double poolMax = Double.NaN;
        for (Map.Entry<Integer, int[]> e : counts.entrySet()) {
            labels.add("round " + e.getKey());
            acc.add(e.getValue()[Status.ACCEPTED.ordinal()]);
            rej.add(e.getValue()[Status.REJECTED.ordinal()]);
            inv.add(e.getValue()[Status.INVALID.ordinal()]);
            add(roundBest, best.getOrDefault(e.getKey(), Double.NaN));
            poolMax = max(poolMax, bestAccepted.getOrDefault(e.getKey(), Double.NaN));
            add(poolBest, poolMax);
        }
        ObjectNode acceptance = d.putObject("acceptance");
        ArrayNode tested = acceptance.putArray("tested");
        ArrayNode soFar = acceptance.putArray("accepted");
        int n = 0;
        int a = 0;
        for (FactorRecord f : factors) {
            n++;
            a += f.status() == Status.ACCEPTED ? 1 : 0;
            tested.add(n);
            soFar.add(a);
        }
        ObjectNode pool = d.putObject("pool");
        ArrayNode ids = pool.putArray("labels");
        ArrayNode trainIc = pool.putArray("train_rank_ic");
        ArrayNode validIc = pool.putArray("valid_rank_ic");
        ArrayNode testIc = pool.putArray("test_rank_ic");
        ArrayNode validSharpe = pool.putArray("valid_sharpe");
        ArrayNode testSharpe = pool.putArray("test_sharpe");
        for (FactorRecord f : accepted) {
            ids.add("#" + f.id());
            add(trainIc, f.train() == null ? Double.NaN : f.train().rankIc());
            add(validIc, f.valid() == null ? Double.NaN : f.valid().rankIc());
            add(testIc, f.test() == null ? Double.NaN : f.test().rankIc());
            add(validSharpe, f.valid() == null ? Double.NaN : f.valid().sharpe());
            add(testSharpe, f.test() == null ? Double.NaN : f.test().sharpe());
        }
        if (figures != null && (figures.has("pool_signal") || figures.has("baseline"))) {
            boolean hasPool = figures.has("pool_signal");
            d.set("signal", figures.get(hasPool ? "pool_signal" : "baseline"));
            if (hasPool && figures.has("baseline")) {
                d.set("baseline", figures.get("baseline"));
            }
            ObjectNode q = d.putObject("signal_quantiles");
            JsonNode splits = mainSignal(summary).path("splits");
            ArrayNode ql = q.putArray("labels");
            int k = splits.path("train").path("quantile_returns").size();
            for (int i = 0; i < k; i++) {
                ql.add("Q" + (i + 1) + (i == 0 ? " (bottom)" : i == k - 1 ? " (top)" : ""));
            }
            for (String s : SPLITS) {
                ArrayNode v = q.putArray(s);
                splits.path(s).path("quantile_returns").forEach(x -> add(v, 10_000 * dbl(x)));
            }
        }
        return d;
    }

    /** The larger, where NaN means none yet. */
    private static double max(double a, double b) {
        return a != a ? b : b != b ? a : Math.max(a, b);
    }
}
