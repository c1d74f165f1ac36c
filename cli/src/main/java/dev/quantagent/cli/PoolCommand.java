package dev.quantagent.cli;

import static dev.quantagent.cli.render.Json.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.agents.MiningRun;
import dev.quantagent.agents.TestLooks;
import dev.quantagent.cli.render.Cells;
import dev.quantagent.cli.render.EvaluationJson;
import dev.quantagent.cli.render.FactorTables;
import dev.quantagent.cli.render.Json;
import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.PoolSignal;
import dev.quantagent.evaluator.Portfolios;
import dev.quantagent.evaluator.Split;
import dev.quantagent.knowledge.Embedder;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Filter;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pool", description = "Combine factors into one signal, fitted on train and chosen on valid (as a "
        + "mining run does at its end): a run's accepted factors (--run) or any formulas. Prints the weights, the "
        + "signal's statistics and its portfolios (the quantile long-short by holding period, the TopK-dropout book, "
        + "the buffered long-short) on train and valid, and on test only when asked.",
        footer = {"", "Each factor enters signed by its train rank IC. With --run, the run's data and evaluation "
                + "settings are used, and the signals read on valid are counted as looks at valid of that data in the "
                + "knowledge base."})
final class PoolCommand implements Callable<Integer> {

    private final Supplier<Embedder> embedders;

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataOptions market;

    @Mixin
    private KbOption kb;

    @Mixin
    private EvaluationOptions settings;

    @Mixin
    private BookOptions bookOptions;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "Combine this run's accepted factors.")
    private String run;

    @Option(names = "--method", defaultValue = "auto", paramLabel = "auto|equal|ic|ridge",
            description = "equal-weight signed z-scores, IC-weighted, a ridge regression fitted on train, or auto "
                    + "(default): the best of the three on valid.")
    private String method;

    @Option(names = "--include-test", description = "Also evaluate the signal on the sealed test split (counted and "
            + "logged).")
    private boolean includeTest;

    @Option(names = "--json", description = "Print JSON: the signal in the shape of a run summary's pool_signal.")
    private boolean json;

    @Parameters(paramLabel = "FORMULA", arity = "0..*", description = "Formulas to combine (instead of --run).")
    private List<String> formulas = new ArrayList<>();

    PoolCommand(Supplier<Embedder> embedders) {
        this.embedders = embedders;
    }

    @Override
    public Integer call() throws IOException {
        if ((run == null) == formulas.isEmpty()) {
            throw new QuantAgentCli.UserError("give either --run RUN_ID or formulas to combine, not both or neither");
        }
        PoolSignal.Method how = null;
        if (!method.equalsIgnoreCase("auto")) {
            try {
                how = PoolSignal.Method.of(method);
            } catch (IllegalArgumentException e) {
                throw new QuantAgentCli.UserError("--method " + method + ": choose auto, equal, ic or ridge");
            }
        }
        BookConfig books = bookOptions.over(BookConfig.DEFAULT);
        Sandbox sandbox = new Sandbox(Limits.DEFAULT);
        if (run == null) {
            List<Factor> factors = new ArrayList<>();
            for (String f : formulas) {
                factors.add(sandbox.parse(f)); // a bad formula is a bad input: nothing is combined
            }
            Evaluation ev = market.prepare(settings.over(EvaluationConfig.DEFAULT), sandbox);
            return combine(ev, factors, how, books, null, null);
        }
        try (KnowledgeBase base = KnowledgeBase.openExisting(kb.location(), embedders)) {
            RunRecord rec = base.run(run).orElseThrow(() -> new QuantAgentCli.UserError("--run " + run + ": no run "
                    + run + " in the knowledge base at " + base.location()));
            if (!market.isThisData(rec.dataKey())) {
                throw new QuantAgentCli.UserError("run " + run + " mined other data: " + MiningRun.dataOf(rec)
                        + "; pass that data with --data");
            }
            List<Factor> factors = new ArrayList<>();
            for (FactorRecord f : base.list(Filter.accepted().withRun(run), KnowledgeBase.Sort.ID, 10_000)) {
                try {
                    factors.add(sandbox.parse(f.formula()));
                } catch (FormulaException e) {
                    throw new QuantAgentCli.UserError("factor #" + f.id() + " of run " + run + " does not parse: "
                            + e.getMessage());
                }
            }
            if (factors.isEmpty()) {
                throw new QuantAgentCli.UserError("run " + run + " accepted no factor: there is nothing to combine");
            }
            EvaluationConfig mined = MiningRun.evaluationConfig(rec);
            Evaluation ev = market.prepare(settings.over(mined != null ? mined : EvaluationConfig.DEFAULT), sandbox);
            return combine(ev, factors, how, books, base, rec.dataKey());
        }
    }

    private int combine(Evaluation ev, List<Factor> factors, PoolSignal.Method how, BookConfig books,
                        KnowledgeBase base, String datasetKey) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Evaluation.Workspace ws = ev.workspace();
        List<PoolSignal.Member> members = new ArrayList<>();
        for (Factor f : factors) {
            double[] values = ws.values(f).clone();
            double ic = ev.evaluate(f, values, ws, Split.TRAIN).splits().get(Split.TRAIN).rankIc();
            members.add(new PoolSignal.Member(f.formula(), values, ic));
        }
        PoolSignal.Combination c = PoolSignal.combine(ev, members, how, ws);
        if (base != null) {
            base.addValidLooks(datasetKey, c.validLooks());
        }
        String label = "pool signal (" + c.describe() + ")";
        FactorReport report;
        Map<Split, Portfolios> portfolios;
        if (includeTest) {
            List<String> keys = market.keys();
            Home.testLooks().logEntries(keys.get(0), List.of(new TestLooks.Entry("", label)), "pool");
            Evaluation.TestLook look = ev.unsealTest().look(label, c.values(), ws, books);
            report = look.report();
            portfolios = look.portfolios();
        } else {
            report = ev.evaluate(label, c.values(), ws, Split.TRAIN, Split.VALID);
            portfolios = new EnumMap<>(Split.class);
            for (Split s : List.of(Split.TRAIN, Split.VALID)) {
                portfolios.put(s, ev.portfolios(c.values(), s, ws, books));
            }
        }
        if (json) {
            ObjectNode o = EvaluationJson.signal(label, c, report, portfolios);
            ArrayNode m = o.putArray("members");
            for (int i = 0; i < members.size(); i++) {
                ObjectNode x = m.addObject();
                x.put("formula", members.get(i).name());
                put(x, "train_rank_ic", members.get(i).trainRankIc());
                put(x, "weight", c.weights()[i]);
            }
            out.println(Json.line(o));
            return 0;
        }
        out.printf(Locale.ROOT, "%s, %d valid look%s%n", label, c.validLooks(), c.validLooks() == 1 ? "" : "s");
        out.print("  rank IC on valid by method:");
        c.validRankIcByMethod().forEach((k, v) -> out.print(" " + k.key() + " " + Cells.stat(v)));
        out.println();
        out.printf(Locale.ROOT, "  %-10s %-10s %s%n", "weight", "train RIC", "formula");
        for (int i = 0; i < members.size(); i++) {
            out.printf(Locale.ROOT, "  %-10s %-10s %s%n", String.format(Locale.ROOT, "%.4f", c.weights()[i]),
                    Cells.stat(members.get(i).trainRankIc()), members.get(i).name());
        }
        out.println(FactorTables.text(report));
        out.println(FactorTables.books(portfolios));
        if (includeTest) {
            out.println(Home.testLooks().sentence(Home.testLooks().count(market.keys())));
        }
        return 0;
    }
}
