package dev.quantagent.cli;

import static dev.quantagent.agents.html.HtmlPage.add;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.agents.html.HtmlPage;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.Stats;
import dev.quantagent.knowledge.Status;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report --run ID --format html}: a mining run's page. Counters, configuration and the accepted pool with
 * its valid and (for a finished run) test figures, as recorded; charts of the outcomes per round, the best valid
 * rank IC per round and in the pool so far, acceptance over the run and the pool's valid against test figures.
 */
final class RunHtml {

    private RunHtml() {
    }

    /**
     * @param factors  every factor the run tested, in id (testing) order
     * @param accepted the accepted pool, best valid rank IC first
     */
    static String html(RunRecord r, List<FactorRecord> factors, List<FactorRecord> accepted) throws IOException {
        String title = "Mining run " + r.id();
        HtmlPage page = new HtmlPage(title).heading(1, title);
        Map<Status, Integer> byStatus = new java.util.EnumMap<>(Status.class);
        for (FactorRecord f : factors) {
            byStatus.merge(f.status(), 1, Integer::sum);
        }
        page.raw(String.format(Locale.ROOT, "<p class=\"headline\">Status <b>%s</b> (%.0f%% done): %d factors "
                        + "tested, %d accepted, %d rejected, %d invalid.</p>%n", HtmlPage.esc(r.status()),
                100 * r.progress(), r.trials(), byStatus.getOrDefault(Status.ACCEPTED, 0),
                byStatus.getOrDefault(Status.REJECTED, 0), byStatus.getOrDefault(Status.INVALID, 0)));
        HtmlPage.Table counters = new HtmlPage.Table("counter", "value")
                .row("data", r.dataFrom() + " .. " + r.dataTo() + ", " + r.symbols() + " assets (key " + r.dataKey()
                        + ")")
                .row("started", r.startedAt() == null ? "-" : String.valueOf(r.startedAt()))
                .row("ended", r.endedAt() == null ? "-" : String.valueOf(r.endedAt()))
                .row("wall time", r.startedAt() == null || r.endedAt() == null ? "-"
                        : duration(Duration.between(r.startedAt(), r.endedAt())))
                .row("factors tested", String.valueOf(r.trials()))
                .row("accepted", String.valueOf(byStatus.getOrDefault(Status.ACCEPTED, 0)))
                .row("rejected", String.valueOf(byStatus.getOrDefault(Status.REJECTED, 0)))
                .row("invalid", String.valueOf(byStatus.getOrDefault(Status.INVALID, 0)))
                .row("LLM tokens", String.format(Locale.ROOT, "%,d", r.tokens()))
                .row("LLM cost", String.format(Locale.ROOT, "$%.4f", r.cost()));
        JsonNode splits = CheckCommand.Json.MAPPER.readTree(r.splitsJson() == null ? "{}" : r.splitsJson());
        for (Iterator<Map.Entry<String, JsonNode>> it = splits.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            counters.row(e.getKey() + " split", e.getValue().asText());
        }
        page.heading(2, "Counters").table(counters);

        page.charts().chart("Factors per round", "rounds").chart("Best valid rank IC", "best")
                .chart("Acceptance over the run", "acceptance");
        if (!accepted.isEmpty()) {
            page.chart("Pool: rank IC, valid and test", "pool-ic").chart("Pool: Sharpe after costs, valid and test",
                    "pool-sharpe");
        }
        page.endCharts();

        page.heading(2, "Accepted pool");
        if (!"finished".equals(r.status())) {
            page.paragraph("note", "The run has not finished: test statistics are computed only in its final report "
                    + "(quantagent mine --resume " + r.id() + ").");
        }
        HtmlPage.Table pool = new HtmlPage.Table("id", "name", "formula", "valid rank IC", "valid Sharpe",
                "test rank IC", "test Sharpe", "Judge score").numeric(0, 3, 4, 5, 6, 7).code(2);
        for (FactorRecord f : accepted) {
            pool.row("#" + f.id(), f.name() == null ? "" : f.name(), f.formula(), stat(f.valid(), true, 4),
                    stat(f.valid(), false, 2), stat(f.test(), true, 4), stat(f.test(), false, 2),
                    ReportCommand.num(f.judgeScore() == null ? Double.NaN : f.judgeScore(), 1));
        }
        if (pool.size() == 0) {
            page.paragraph("No factor was accepted.");
        } else {
            page.table(pool);
        }

        HtmlPage.Table config = new HtmlPage.Table("setting", "value").numeric(1);
        flatten("", CheckCommand.Json.MAPPER.readTree(r.configJson()), config);
        page.heading(2, "Configuration").table(config);
        return page.finish(data(factors, accepted), CHARTS);
    }

    private static String stat(Stats s, boolean rankIc, int decimals) {
        return ReportCommand.num(s == null ? Double.NaN : rankIc ? s.rankIc() : s.sharpe(), decimals);
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

    /** Per round: outcomes, the round's best valid rank IC and the pool's best so far; acceptance by trial. */
    static ObjectNode data(List<FactorRecord> factors, List<FactorRecord> accepted) {
        Map<Integer, int[]> counts = new TreeMap<>(); // accepted, rejected, invalid
        Map<Integer, Double> best = new TreeMap<>();
        Map<Integer, Double> bestAccepted = new TreeMap<>(); // the best that joined the pool in the round
        for (FactorRecord f : factors) {
            counts.computeIfAbsent(f.round(), k -> new int[3])[f.status().ordinal()]++;
            double ic = f.valid() == null ? Double.NaN : f.valid().rankIc();
            best.merge(f.round(), ic, RunHtml::max);
            if (f.status() == Status.ACCEPTED && f.valid() != null) {
                bestAccepted.merge(f.round(), ic, RunHtml::max);
            }
        }
        ObjectNode d = HtmlPage.object();
        ObjectNode rounds = d.putObject("rounds");
        ArrayNode labels = rounds.putArray("labels");
        ArrayNode acc = rounds.putArray("accepted");
        ArrayNode rej = rounds.putArray("rejected");
        ArrayNode inv = rounds.putArray("invalid");
        ArrayNode roundBest = rounds.putArray("best_valid_rank_ic");
        ArrayNode poolBest = rounds.putArray("pool_best_valid_rank_ic");
        double poolMax = Double.NaN;
        for (Map.Entry<Integer, int[]> e : counts.entrySet()) {
            labels.add("round " + e.getKey());
            acc.add(e.getValue()[Status.ACCEPTED.ordinal()]);
            rej.add(e.getValue()[Status.REJECTED.ordinal()]);
            inv.add(e.getValue()[Status.INVALID.ordinal()]);
            add(roundBest, best.get(e.getKey()));
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
        ArrayNode validIc = pool.putArray("valid_rank_ic");
        ArrayNode testIc = pool.putArray("test_rank_ic");
        ArrayNode validSharpe = pool.putArray("valid_sharpe");
        ArrayNode testSharpe = pool.putArray("test_sharpe");
        for (FactorRecord f : accepted) {
            ids.add("#" + f.id());
            add(validIc, f.valid() == null ? Double.NaN : f.valid().rankIc());
            add(testIc, f.test() == null ? Double.NaN : f.test().rankIc());
            add(validSharpe, f.valid() == null ? Double.NaN : f.valid().sharpe());
            add(testSharpe, f.test() == null ? Double.NaN : f.test().sharpe());
        }
        return d;
    }

    /** The larger, where NaN means none yet. */
    private static double max(double a, double b) {
        return a != a ? b : b != b ? a : Math.max(a, b);
    }

    /** Draws the charts from the JSON block; static text, so no user data is ever part of the code. */
    private static final String CHARTS = String.join("\n",
            "  var r = data.rounds, p = data.pool;",
            "  draw('rounds', { type: 'bar', data: { labels: r.labels, datasets: [",
            "    { label: 'accepted', data: r.accepted, backgroundColor: POS },",
            "    { label: 'rejected', data: r.rejected, backgroundColor: GREY },",
            "    { label: 'invalid', data: r.invalid, backgroundColor: NEG }] },",
            "    options: { scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } } });",
            "  draw('best', { type: 'line', data: { labels: r.labels, datasets: [",
            "    { label: 'best in the pool so far', data: r.pool_best_valid_rank_ic, borderColor: LINE,",
            "      pointRadius: 3 },",
            "    { label: 'best tested in the round', data: r.best_valid_rank_ic, borderColor: GREY, borderDash: [5, 4],",
            "      pointRadius: 3 }] } });",
            "  draw('acceptance', { type: 'line', data: { labels: data.acceptance.tested, datasets: [",
            "    { label: 'accepted so far', data: data.acceptance.accepted, borderColor: POS, pointRadius: 0,",
            "      stepped: true }] },",
            "    options: { scales: { x: { title: { display: true, text: 'factors tested' },",
            "      ticks: { maxTicksLimit: 12 } }, y: { ticks: { precision: 0 } } } } });",
            "  draw('pool-ic', { type: 'bar', data: { labels: p.labels, datasets: [",
            "    { label: 'valid', data: p.valid_rank_ic, backgroundColor: SPLIT.valid },",
            "    { label: 'test', data: p.test_rank_ic, backgroundColor: SPLIT.test }] } });",
            "  draw('pool-sharpe', { type: 'bar', data: { labels: p.labels, datasets: [",
            "    { label: 'valid', data: p.valid_sharpe, backgroundColor: SPLIT.valid },",
            "    { label: 'test', data: p.test_sharpe, backgroundColor: SPLIT.test }] } });",
            "");
}
