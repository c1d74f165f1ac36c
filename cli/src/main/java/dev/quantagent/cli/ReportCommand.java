package dev.quantagent.cli;

import static dev.quantagent.cli.render.Json.put;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.agents.MiningRun;
import dev.quantagent.cli.html.FactorPage;
import dev.quantagent.cli.html.RunPage;
import dev.quantagent.cli.html.TimeSeriesPage;
import dev.quantagent.cli.render.Cells;
import dev.quantagent.cli.render.EvaluationJson;
import dev.quantagent.cli.render.FactorSheet;
import dev.quantagent.cli.render.FactorTables;
import dev.quantagent.cli.render.Json;
import dev.quantagent.cli.render.RunSummary;
import dev.quantagent.cli.render.TimeSeriesView;
import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.TimeSeriesEvaluation;
import dev.quantagent.knowledge.Embedder;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Filter;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.RunStatus;
import dev.quantagent.knowledge.Stats;
import dev.quantagent.knowledge.Status;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "report", description = "Report on a factor of the knowledge base (recomputed on its data: statistics "
        + "per split, decay by year, quantiles, regimes, lineage and the Judge's feedback), on any formula (--formula), "
        + "or on a mining run; html is one self-contained page with charts.",
        footer = {"", "With --factor, an evaluation option left out (--horizon, --delay, --cost-bps, --quantiles, "
                + "--splits, --annualization) keeps the value the factor's run was mined with, not the default shown; "
                + "the report names the settings it used."})
final class ReportCommand implements Callable<Integer> {

    private final Supplier<Embedder> embedders;

    @Spec
    private CommandSpec spec;

    static final class Target {
        @Option(names = "--factor", paramLabel = "ID", required = true, description = "A factor id.")
        Long factor;

        @Option(names = "--run", paramLabel = "RUN_ID", required = true, description = "A mining run id.")
        String run;

        @Option(names = "--formula", paramLabel = "FORMULA", required = true,
                description = "Any formula, as for eval (no knowledge base needed).")
        String formula;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    @Mixin
    private DataOptions market;

    @Mixin
    private KbOption kb;

    @Mixin
    private EvaluationOptions settings;

    @Option(names = "--format", defaultValue = "md", paramLabel = "md|json|html",
            description = "md (default), json or html (one self-contained page with charts).")
    private String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to a file instead of standard output.")
    private Path out;

    ReportCommand(Supplier<Embedder> embedders) {
        this.embedders = embedders;
    }

    @Override
    public Integer call() throws IOException {
        if (!format.equals("md") && !format.equals("json") && !format.equals("html")) {
            throw new QuantAgentCli.UserError("--format " + format + ": choose md, json or html");
        }
        if (target.run != null && settings.given()) {
            // a run report shows what was recorded; it recomputes nothing the settings could change
            throw new QuantAgentCli.UserError("--horizon, --delay, --cost-bps, --quantiles, --splits and "
                    + "--annualization go with --factor or --formula; a run report shows the statistics recorded with "
                    + "the run's own settings");
        }
        if (target.run != null && (market.data != null || market.groups != null)) {
            throw new QuantAgentCli.UserError("--data and --groups go with --factor or --formula; a run report reads "
                    + "only the knowledge base");
        }
        String text;
        if (target.formula != null) {
            text = formulaReport(target.formula);
        } else {
            try (KnowledgeBase base = KnowledgeBase.openExisting(kb.location(), embedders)) {
                text = target.factor != null ? factorReport(base, target.factor) : runReport(base, target.run);
            }
        }
        Output.write(spec, out, text);
        return 0;
    }

    /** A formula that is not in the knowledge base (what eval shows, as a page): statistics and charts, no lineage. */
    private String formulaReport(String formula) throws IOException {
        Sandbox sandbox = new Sandbox(Limits.DEFAULT);
        Factor factor;
        try {
            factor = sandbox.parse(formula);
        } catch (FormulaException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
        EvaluationConfig config = settings.over(EvaluationConfig.DEFAULT);
        String data = market.describe() + "; " + EvaluationOptions.describe(config);
        Evaluation ev = market.prepare(config, sandbox);
        if (TimeSeriesEvaluation.thin(ev)) {
            return inTime(ev, factor, "Factor " + factor.hash(), data);
        }
        FactorSheet sheet = FactorSheet.of(ev, Workspaces.of(ev, InOrder.threads()), factor,
                BookConfig.DEFAULT);
        FactorReport report = sheet.report();
        if (format.equals("html")) {
            return FactorPage.html(null, sheet, List.of(), data);
        }
        if (format.equals("json")) {
            return Json.pretty(sheet.json()) + "\n";
        }
        return "# Factor `" + formula + "`\n\nData: " + data + ". Train and valid; the test split stays "
                + "sealed (quantagent eval --include-test unseals it).\n\n```\n" + FactorTables.text(report)
                + "\n```\n\n" + sheet.markdown();
    }

    /**
     * The report of a factor on data too thin to rank across (one asset, or a few): its evaluation in time, and the
     * cross-section's statistics as they are in json.
     */
    private String inTime(Evaluation ev, Factor factor, String title, String data) throws IOException {
        Evaluation.Workspace ws = ev.workspace();
        double[] values = ws.values(factor).clone();
        TimeSeriesEvaluation.Report ts = TimeSeriesEvaluation.evaluate(ev, factor.formula(), factor.canonical(),
                factor.hash(), values);
        String note = TimeSeriesView.note(TimeSeriesEvaluation.medianCrossSection(ev));
        if (format.equals("html")) {
            return TimeSeriesPage.html(title, factor.formula(), data, ts, note);
        }
        if (format.equals("json")) {
            ObjectNode o = EvaluationJson.of(ev.evaluate(factor, values, ws));
            o.put("evaluation", "time_series");
            FactorSheet.Answer a = TimeSeriesView.answer(ts);
            ObjectNode answer = o.putObject("answer");
            answer.put("is_factor", a.word());
            answer.put("text", a.text());
            o.set("time_series", TimeSeriesView.json(ts));
            return Json.pretty(o) + "\n";
        }
        return "# " + title + "\n\nFormula `" + factor.formula() + "`. Data: " + data + ". Train and valid; the test "
                + "split stays sealed.\n\n**Is this a factor?** " + TimeSeriesView.answer(ts).text() + "\n\n"
                + Cells.capitalised(note) + ".\n\n```\n" + TimeSeriesView.table(ts) + "\n```\n";
    }

    private String factorReport(KnowledgeBase base, long id) throws IOException {
        FactorRecord f = base.get(id).orElseThrow(() -> new QuantAgentCli.UserError("no factor #" + id
                + " in the knowledge base at " + base.location()));
        if (f.datasetKey() != null && !market.isThisData(f.datasetKey())) {
            String was = f.runId() == null ? null : base.run(f.runId()).map(StoredRuns::readable)
                    .map(MiningRun::dataOf).orElse(null);
            throw new QuantAgentCli.UserError("factor #" + id + " was evaluated on other data: "
                    + (was != null ? was : "data set key " + f.datasetKey()) + "; pass that data with --data (a "
                    + "copy or a moved file is fine; an edited one is other data)");
        }
        Sandbox sandbox = new Sandbox(Limits.DEFAULT);
        Factor factor;
        try {
            factor = sandbox.parse(f.formula());
        } catch (FormulaException e) {
            throw new QuantAgentCli.UserError("factor #" + id + " is invalid (" + e.getMessage() + "); nothing to "
                    + "recompute: quantagent kb show " + id + " has what was recorded");
        }
        // the settings its run was mined with, so that the statistics recomputed now mean what the recorded ones did
        EvaluationConfig mined = f.runId() == null ? null
                : base.run(f.runId()).map(StoredRuns::readable).map(MiningRun::evaluationConfig).orElse(null);
        EvaluationConfig config = settings.over(mined != null ? mined : EvaluationConfig.DEFAULT);
        BookConfig books = f.runId() == null ? BookConfig.DEFAULT : base.run(f.runId()).map(StoredRuns::readable)
                .map(r -> MiningRun.miningConfig(r).finish().books()).orElse(BookConfig.DEFAULT);
        String data = market.describe() + "; " + EvaluationOptions.describe(config)
                + (mined != null && config.equals(mined) ? " (as mined in run " + f.runId() + ")"
                : mined == null && f.runId() != null ? " (run " + f.runId() + " is not in this knowledge base, so "
                + "these are the defaults and options given; its recorded statistics may have used other settings)"
                : "");
        Evaluation ev = market.prepare(config, sandbox);
        if (TimeSeriesEvaluation.thin(ev)) {
            return inTime(ev, factor, "Factor #" + f.id() + (f.name() == null ? "" : ": " + f.name()), data);
        }
        FactorSheet sheet = FactorSheet.of(ev, Workspaces.of(ev, InOrder.threads()), factor, books);
        FactorReport report = sheet.report();
        List<FactorRecord> lineage = base.lineage(id);
        if (format.equals("html")) {
            return FactorPage.html(f, sheet, lineage, data);
        }
        if (format.equals("json")) {
            ObjectNode o = sheet.json();
            o.put("id", f.id());
            o.put("name", f.name());
            o.put("hypothesis", f.hypothesis());
            o.put("status", f.status().key());
            o.put("settings", EvaluationOptions.describe(config));
            o.put("judge_feedback", f.judgeFeedback());
            if (f.test() != null) {
                o.set("stored_test", statsJson(f.test()));
            }
            ArrayNode l = o.putArray("lineage");
            lineage.forEach(x -> l.add(x.id()));
            return Json.pretty(o) + "\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# Factor #").append(f.id()).append(f.name() == null ? "" : ": " + f.name()).append("\n\n");
        sb.append("Formula `").append(f.formula()).append("`; status **").append(f.status().key()).append("**");
        if (f.judgeScore() != null) {
            sb.append(String.format(Locale.ROOT, ", Judge score %.1f", f.judgeScore()));
        }
        sb.append(".\n\n");
        if (f.hypothesis() != null && !f.hypothesis().isBlank()) {
            sb.append("Hypothesis: ").append(f.hypothesis()).append("\n\n");
        }
        sb.append("Data: ").append(data).append(". Statistics recomputed now on train and valid");
        sb.append(f.test() != null ? "; test statistics as recorded when the test split was unsealed.\n\n"
                : "; the test split stays sealed (quantagent eval --include-test unseals it).\n\n");
        sb.append("```\n").append(FactorTables.text(report)).append("\n```\n\n").append(sheet.markdown())
                .append('\n');
        if (f.test() != null) {
            sb.append(String.format(Locale.ROOT, "Recorded test statistics: rank IC %.4f, Sharpe %.2f, max drawdown "
                    + "%.1f%%, turnover %.0f%%.%n%n", f.test().rankIc(), f.test().sharpe(),
                    100 * f.test().maxDrawdown(), 100 * f.test().turnover()));
        }
        sb.append("## Lineage\n\n");
        for (FactorRecord x : lineage) {
            sb.append("- #").append(x.id()).append(" (").append(x.status().key()).append(") `").append(x.formula())
                    .append("`");
            if (x.judgeFeedback() != null) {
                sb.append(": ").append(x.judgeFeedback());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private String runReport(KnowledgeBase base, String runId) throws IOException {
        RunRecord r = base.run(runId).orElseThrow(() -> new QuantAgentCli.UserError("no run " + runId
                + " in the knowledge base at " + base.location()));
        List<FactorRecord> accepted = base.list(Filter.accepted().withRun(runId), KnowledgeBase.Sort.RANK_IC,
                Integer.MAX_VALUE);
        List<FactorRecord> tested = base.list(Filter.ANY.withRun(runId), KnowledgeBase.Sort.ID, Integer.MAX_VALUE);
        JsonNode state = r.stateJson() == null ? null : Json.read(r.stateJson());
        JsonNode summary = state == null ? null : state.get(MiningRun.SUMMARY);
        if (format.equals("html")) {
            return RunPage.html(r, tested, accepted, summary, state == null ? null : state.get(MiningRun.FIGURES));
        }
        Map<Status, Long> byStatus = new java.util.EnumMap<>(Status.class);
        for (FactorRecord x : tested) {
            byStatus.merge(x.status(), 1L, Long::sum);
        }
        if (format.equals("json")) {
            ObjectNode o = Json.object();
            o.put("run", r.id());
            o.put("status", r.status().key());
            o.put("data_key", r.dataKey());
            o.put("data_from", r.dataFrom());
            o.put("data_to", r.dataTo());
            o.put("progress", r.progress());
            o.put("trials", r.trials());
            o.put("accepted", r.accepted());
            o.put("invalid", r.invalid());
            o.put("tokens", r.tokens());
            o.put("cost", r.cost());
            o.set("config", Json.read(r.configJson()));
            o.set("summary", summary); // summary.json as the run wrote it, or null before its conclusion
            ArrayNode pool = o.putArray("pool");
            for (FactorRecord x : accepted) {
                ObjectNode p = pool.addObject();
                p.put("id", x.id());
                p.put("formula", x.formula());
                if (x.valid() != null) {
                    p.set("valid", statsJson(x.valid()));
                }
                if (x.test() != null) {
                    p.set("test", statsJson(x.test()));
                }
            }
            return Json.pretty(o) + "\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# Mining run ").append(r.id()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "Status **%s** (%.0f%% done); data %s .. %s, %d assets (key %s).%n%n",
                r.status().key(), 100 * r.progress(), r.dataFrom(), r.dataTo(), r.symbols(), r.dataKey()));
        sb.append(String.format(Locale.ROOT, "%d factors tested: %d accepted, %d rejected, %d invalid.", r.trials(),
                byStatus.getOrDefault(Status.ACCEPTED, 0L), byStatus.getOrDefault(Status.REJECTED, 0L),
                byStatus.getOrDefault(Status.INVALID, 0L)));
        if (r.tokens() > 0) {
            sb.append(String.format(Locale.ROOT, " %,d LLM tokens ($%.4f).", r.tokens(), r.cost()));
        }
        sb.append("\n\n");
        if (summary != null && summary.has("verdict")) {
            sb.append("**Verdict.** ").append(summary.get("verdict").path("text").asText()).append("\n\n");
            sb.append(RunSummary.signalMarkdown(summary));
        }
        sb.append("Configuration: `").append(r.configJson()).append("`\n\n");
        sb.append("| id | formula | valid rank IC | valid Sharpe | test rank IC | test Sharpe |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (FactorRecord x : accepted) {
            sb.append(String.format(Locale.ROOT, "| %d | `%s` | %s | %s | %s | %s |%n", x.id(),
                    x.formula().replace("|", "\\|"),
                    Cells.fixed(x.valid() == null ? Double.NaN : x.valid().rankIc(), 4),
                    Cells.fixed(x.valid() == null ? Double.NaN : x.valid().sharpe(), 2),
                    Cells.fixed(x.test() == null ? Double.NaN : x.test().rankIc(), 4),
                    Cells.fixed(x.test() == null ? Double.NaN : x.test().sharpe(), 2)));
        }
        if (r.status() != RunStatus.FINISHED) {
            sb.append("\nThe run has not finished: test statistics are computed only in its final report "
                    + "(quantagent mine --resume ").append(r.id()).append(").\n");
        }
        return sb.toString();
    }

    private static ObjectNode statsJson(Stats s) {
        ObjectNode o = Json.object();
        put(o, "ic", s.ic());
        put(o, "rank_ic", s.rankIc());
        put(o, "icir", s.icir());
        put(o, "rank_icir", s.rankIcir());
        put(o, "long_short", s.longShort());
        put(o, "annual_return", s.annualReturn());
        put(o, "sharpe", s.sharpe());
        put(o, "max_drawdown", s.maxDrawdown());
        put(o, "turnover", s.turnover());
        put(o, "coverage", s.coverage());
        o.put("n_dates", s.nDates());
        return o;
    }
}
