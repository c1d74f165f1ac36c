package dev.quantagent.cli;

import static dev.quantagent.agents.html.HtmlPage.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.agents.JudgePolicy;
import dev.quantagent.agents.LlmJudge;
import dev.quantagent.agents.LlmSettings;
import dev.quantagent.agents.LlmWriter;
import dev.quantagent.agents.MiningConfig;
import dev.quantagent.agents.MiningRun;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.evaluator.data.DataException;
import dev.quantagent.knowledge.Embedder;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "mine", description = "Mine alpha factors: a Writer drafts formulas, the evaluator backtests them on "
        + "train and valid, a Judge critiques them, the Writer refines them; every outcome goes to the knowledge base. "
        + "With no arguments it mines the embedded synthetic market offline in about a minute.",
        footer = {"", "With --resume, give the same data and knowledge base as the run was started with (a "
                + "different data set is refused). The run keeps its own rounds, seed and evaluation settings: an "
                + "evaluation option left out keeps the run's value, not the default shown, and a search or evaluation "
                + "option that differs is refused. --time-budget sets this sitting's budget (default: the run's)."})
final class MineCommand implements Callable<Integer> {

    /** Exit code after Ctrl-C, as shells report a process stopped by SIGINT. */
    static final int INTERRUPTED = 130;

    private final Supplier<Embedder> embedders;
    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataOptions market;

    @Mixin
    private KbOption kb;

    @Option(names = "--writer", defaultValue = "offline", description = "offline (default) or llm.")
    private String writer;

    @Mixin
    private LlmOptions llmOptions;

    @Option(names = "--judge", defaultValue = "rules", description = "rules (default) or llm.")
    private String judge;

    @Option(names = "--rounds", defaultValue = "5", description = "Outer-loop rounds (default 5).")
    private int rounds;

    @Option(names = "--candidates-per-round", defaultValue = "20", description = "Ideas per round (default 20).")
    private int candidates;

    @Option(names = "--steps-per-factor", defaultValue = "4",
            description = "Draft + refinements per idea (default 4).")
    private int steps;

    @Option(names = "--time-budget", paramLabel = "DURATION",
            description = "Stop (resumably) after e.g. 90s, 30m or 2h.")
    private String timeBudget;

    @Option(names = "--seed", defaultValue = "42", description = "Seed; a seeded offline run is reproducible.")
    private long seed;

    @Option(names = "--resume", paramLabel = "RUN_ID", description = "Continue a run after a crash, Ctrl-C or "
            + "an exhausted time budget.")
    private String resume;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/RUN_ID).")
    private Path out;

    @Option(names = "--min-rank-ic", paramLabel = "X", description = "Judge: smallest valid rank IC to accept "
            + "(default 0.015).")
    private Double minRankIc;

    @Option(names = "--min-sharpe", paramLabel = "X", description = "Judge: smallest valid long-short Sharpe after "
            + "costs to accept (default: none; a negative Sharpe only lowers the score).")
    private Double minSharpe;

    @Option(names = "--max-correlation", paramLabel = "X", description = "Judge: largest |correlation| with an "
            + "accepted factor (default 0.7).")
    private Double maxCorrelation;

    @Option(names = "--threads", paramLabel = "N", description = "Candidates explored at once (default: the number "
            + "of cores). The results do not depend on it.")
    private Integer threads;

    @Option(names = "--retrieval-k", paramLabel = "K", defaultValue = "5", description = "Accepted factors, and "
            + "failures, the Writer retrieves from the knowledge base each round: any run on the same data, near the "
            + "round's theme (default 5; 0: only this run's own).")
    private int retrievalK;

    @Option(names = "--json", description = "Print the final summary as JSON.")
    private boolean json;

    @Mixin
    private EvaluationOptions evaluationOptions;

    /** @param env where the LLM settings fall back to ({@code OPENAI_API_KEY} ...) */
    MineCommand(Supplier<Embedder> embedders, Map<String, String> env) {
        this.embedders = embedders;
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!writer.equals("offline") && !writer.equals("llm")) {
            throw new QuantAgentCli.UserError("--writer " + writer + ": choose offline or llm");
        }
        if (!judge.equals("rules") && !judge.equals("llm")) {
            throw new QuantAgentCli.UserError("--judge " + judge + ": choose rules or llm");
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1 || n > 256) {
            throw new QuantAgentCli.UserError("--threads must be between 1 and 256, got " + n);
        }
        MiningConfig config;
        try {
            config = new MiningConfig(rounds, candidates, steps, seed, parseDuration(timeBudget), policy(),
                    retrievalK);
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
        if (resume != null) {
            try {
                RunRecord.checkId(resume); // it names the run folder
            } catch (IllegalArgumentException e) {
                throw new QuantAgentCli.UserError("--resume: " + e.getMessage());
            }
        }
        if (resume != null && !KnowledgeBase.exists(kb.location())) {
            // a resume with a mistyped --kb must not leave a new empty base behind
            throw new QuantAgentCli.UserError("--resume " + resume + ": no run " + resume + ": there is no knowledge "
                    + "base at " + kb.location().toAbsolutePath() + " (give the --kb the run was mined with)");
        }
        // installed only where the finally below removes it: a hook left behind would hold every exit for its grace
        Interruption interruption = Interruption.install(err);
        try (KnowledgeBase base = KnowledgeBase.open(kb.location(), embedders)) {
            int moved = market.fileUnderContentKey(base);
            if (moved > 0) {
                err.printf("knowledge base: %d factors and runs of this data were filed under the file's path; now "
                        + "under a digest of its contents, as new ones are%n", moved);
            }
            // a resumed run keeps the evaluation settings it was mined with, unless an option says otherwise
            // (then the resume is refused, naming the setting)
            Optional<RunRecord> started = resume == null ? Optional.empty() : base.run(resume);
            if (resume != null && started.isEmpty()) {
                throw new QuantAgentCli.UserError("--resume " + resume + ": no run " + resume + " in the knowledge base at "
                        + base.location() + " (quantagent kb --kb " + base.location() + " runs lists them)");
            }
            if (started.isPresent()) {
                checkResumable(started.get());
            }
            started.map(MiningRun::miningConfig).ifPresent(was -> checkSearchOptions(was, config));
            LlmWriter llm = null;
            LlmJudge llmJudge = null;
            LlmSettings settings = null;
            if (writer.equals("llm") || judge.equals("llm")) {
                settings = llmOptions.settings(env);
                var chatModel = LlmWriter.openAi(settings);
                LlmWriter.Sleeper sleep = d -> Thread.sleep(d.toMillis());
                // Ctrl-C ends a call in flight at once instead of waiting for the reply
                if (writer.equals("llm")) {
                    llm = new LlmWriter(chatModel, settings, new Sandbox(Limits.DEFAULT), sleep,
                            interruption::requested);
                }
                if (judge.equals("llm")) {
                    // judges after the run's own rule Judge
                    llmJudge = new LlmJudge(chatModel, settings, sleep, interruption::requested);
                }
            }
            EvaluationConfig mined = started.map(MiningRun::evaluationConfig).orElse(null);
            EvaluationConfig evalConfig = evaluationOptions.over(mined != null ? mined : EvaluationConfig.DEFAULT);
            Evaluation evaluation = market.prepare(evalConfig, new Sandbox(Limits.DEFAULT));
            Panel panel = evaluation.panel();
            String datasetKey = market.datasetKey(); // runs filed under the file's path were moved to it above
            MiningRun run;
            try {
                run = resume != null ? MiningRun.resume(resume, evaluation, base, datasetKey, llm)
                        : MiningRun.start(runId(base, LocalDateTime.now()), evaluation, base, datasetKey, config, llm);
            } catch (IllegalArgumentException e) {
                throw new QuantAgentCli.UserError(e.getMessage());
            }
            run.dataSource(market.source());
            err.printf(Locale.ROOT, "%s run %s on %s (%d dates x %d assets) with the %s; knowledge base %s%n",
                    resume != null ? "resuming" : "mining", run.id(), market.describe(), panel.dateCount(),
                    panel.assetCount(), llm != null ? llm.toString() : "offline writer", base.location());
            if (llmJudge != null) {
                run.withLlmJudge(llmJudge, settings);
            }
            if (resume != null && given("--time-budget")) {
                run.withTimeBudget(config.timeBudget()); // this sitting's; the run's own is kept otherwise
            }
            Progress progress = new Progress(err, System.console() != null);
            boolean finished = run.mine(progress::update, n, interruption::requested);
            progress.done();
            // a stop after the last idea still comes before the run's one look at the test split
            if (!finished || interruption.requested()) {
                err.printf("%s; continue with: quantagent mine --resume %s%s%n", interruption.requested()
                        ? "interrupted, the run is saved" : "time budget spent", run.id(), sameOptions());
                if (apiKeyGiven()) {
                    err.println("(the --api-key is not repeated above: give it again, or set OPENAI_API_KEY)");
                }
                return interruption.requested() ? INTERRUPTED : 0;
            }
            Path folder = out != null ? out : Path.of("runs", run.id());
            try {
                // before the pool's one look at the test split, which marks the run finished
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new QuantAgentCli.UserError("--out " + folder + ": cannot create: " + DataException.reason(e, folder));
            }
            List<String> keys = market.keys();
            // logged before the look: a log that cannot be written then stops the run short of its one look at the
            // test split, still resumable, instead of leaving a look nobody can count
            TestLooks.log(keys.get(0), run.pool().stream().map(MiningRun.PoolEntry::factor).toList(),
                    "mine " + run.id());
            List<FactorReport> test = run.testPool();
            try {
                writeFolder(folder, run, test, panel);
            } catch (IOException e) {
                throw new QuantAgentCli.UserError("--out " + folder + ": cannot write: " + DataException.reason(e, folder));
            }
            printSummary(o, run, test, folder);
            if (!json && !test.isEmpty()) {
                err.println(TestLooks.sentence(TestLooks.count(keys)));
            }
        } finally {
            interruption.done();
        }
        return 0;
    }

    /** A run can be resumed unless it finished (its sealed test was looked at) or another Writer is asked for. */
    private void checkResumable(RunRecord run) {
        if ("finished".equals(run.status())) {
            throw new QuantAgentCli.UserError("run " + resume + " finished" + (run.endedAt() != null ? " at "
                    + run.endedAt() : "") + "; there is nothing to resume (its report: quantagent report --run "
                    + resume + ")");
        }
        try {
            MiningRun.checkWriter(run, writer.equals("llm"));
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
    }

    /**
     * The options this command was given, less --resume and --time-budget: a resume needs the same data, knowledge
     * base, Writer and evaluation settings, or it is refused. An API key is not echoed to the terminal (and its logs).
     */
    private String sameOptions() {
        StringBuilder sb = new StringBuilder();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        // the parse result's arguments start with the command's own name, which the hint already says
        int first = !args.isEmpty() && args.get(0).equals(spec.name()) ? 1 : 0;
        for (int i = first; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--resume") || a.equals("--time-budget") || a.equals("--api-key")) {
                i++; // and its value
            } else if (!a.startsWith("--resume=") && !a.startsWith("--time-budget=") && !a.startsWith("--api-key=")) {
                sb.append(' ').append(a.matches("[\\w./:=,+@-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
            }
        }
        return sb.toString();
    }

    private boolean apiKeyGiven() {
        return spec.commandLine().getParseResult().originalArgs().stream()
                .anyMatch(a -> a.equals("--api-key") || a.startsWith("--api-key="));
    }

    /**
     * A resumed run keeps how it searches (what its factors and its sealed test look depend on): a search option
     * given with --resume must agree with the run's, or the resume is refused, naming the option and the run's value.
     */
    private void checkSearchOptions(MiningConfig started, MiningConfig asked) {
        JudgePolicy was = started.policy();
        JudgePolicy now = asked.policy();
        refuseIfChanged("--rounds", started.rounds(), asked.rounds());
        refuseIfChanged("--candidates-per-round", started.candidatesPerRound(), asked.candidatesPerRound());
        refuseIfChanged("--steps-per-factor", started.stepsPerFactor(), asked.stepsPerFactor());
        refuseIfChanged("--seed", started.seed(), asked.seed());
        refuseIfChanged("--retrieval-k", started.retrievalK(), asked.retrievalK());
        refuseIfChanged("--min-rank-ic", was.minRankIc(), now.minRankIc());
        refuseIfChanged("--max-correlation", was.maxCorrelation(), now.maxCorrelation());
        refuseIfChanged("--min-sharpe", was.sharpeIsHard() ? was.minSharpe() : "none",
                now.sharpeIsHard() ? now.minSharpe() : "none");
    }

    private void refuseIfChanged(String option, Object started, Object asked) {
        if (given(option) && !String.valueOf(started).equals(String.valueOf(asked))) {
            throw new QuantAgentCli.UserError("run " + resume + " was started with " + option + " " + started
                    + "; a resumed run keeps how it searches, so " + option + " " + asked + " is refused (leave it "
                    + "out, or start a new run)");
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private JudgePolicy policy() {
        JudgePolicy d = JudgePolicy.DEFAULT;
        // a threshold outside its scale would silently accept (or refuse) everything
        if (maxCorrelation != null && !(maxCorrelation > 0 && maxCorrelation <= 1)) {
            throw new QuantAgentCli.UserError("--max-correlation " + maxCorrelation + ": a correlation bound is "
                    + "above 0 and at most 1 (1 lets any duplicate signal in)");
        }
        if (minRankIc != null && !(minRankIc > -1 && minRankIc < 1)) {
            throw new QuantAgentCli.UserError("--min-rank-ic " + minRankIc + ": a rank IC lies between -1 and 1");
        }
        if (minSharpe != null && !Double.isFinite(minSharpe)) {
            throw new QuantAgentCli.UserError("--min-sharpe " + minSharpe + ": give a finite number");
        }
        return new JudgePolicy(minRankIc != null ? minRankIc : d.minRankIc(), d.minRankIcir(),
                minSharpe != null ? minSharpe : d.minSharpe(), d.maxTurnover(), d.minCoverage(),
                maxCorrelation != null ? maxCorrelation : d.maxCorrelation(), d.maxOverlapShare(), d.maxNodes(),
                d.minValidOverTrain(), d.suspiciousRankIc(), minSharpe != null);
    }

    /**
     * The start time to the second and this process's id, so that runs started in the same second by two processes
     * (on two knowledge bases, writing to one runs folder) never share an id; with a suffix when a run of this process
     * and second is already in the base.
     */
    static String runId(KnowledgeBase base, LocalDateTime startedAt) {
        return runId(base, startedAt, ProcessHandle.current().pid());
    }

    static String runId(KnowledgeBase base, LocalDateTime startedAt, long pid) {
        String id = "run-" + startedAt.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + pid;
        String free = id;
        for (int k = 2; base.run(free).isPresent(); k++) {
            free = id + "-" + k;
        }
        return free;
    }

    static Duration parseDuration(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                default:
                    break;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // fall through to the message
        }
        throw new QuantAgentCli.UserError("--time-budget: cannot read '" + s + "'; write e.g. 90s, 30m or 2h");
    }

    /** Live progress: one rewritten line on a terminal, a plain line at most every two seconds otherwise. */
    private static final class Progress {
        private final PrintWriter err;
        private final boolean terminal;
        private long lastPrinted;
        private String last = "";

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        void update(MiningRun.Snapshot s) {
            double secs = s.elapsed().toNanos() / 1e9;
            double rate = s.candidate() == 0 ? 0 : secs / s.candidate();
            last = String.format(Locale.ROOT, "round %d: %d/%d ideas, %d factors tested (%d invalid), %d accepted, "
                            + "best valid rank IC %s, %.0fs elapsed, ETA %.0fs", s.round(), s.candidate(), s.total(),
                    s.trials(), s.invalid(), s.accepted(), s.bestRankIc() == s.bestRankIc()
                            ? String.format(Locale.ROOT, "%.4f", s.bestRankIc()) : "-", secs,
                    rate * (s.total() - s.candidate()))
                    + (s.tokens() > 0 ? String.format(Locale.ROOT, ", %,d tokens ($%.4f)", s.tokens(), s.cost()) : "");
            long now = System.nanoTime();
            if (terminal) {
                err.print("\r" + last + "   ");
                err.flush();
            } else if (now - lastPrinted > 2_000_000_000L || s.candidate() == s.total()) {
                err.println(last);
                lastPrinted = now;
            }
        }

        void done() {
            if (terminal) {
                err.println();
            }
        }
    }

    private void writeFolder(Path folder, MiningRun run, List<FactorReport> test, Panel panel) throws IOException {
        List<MiningRun.PoolEntry> entries = run.pool();
        ArrayNode pool = CheckCommand.Json.MAPPER.createArrayNode();
        StringBuilder csv = new StringBuilder("id,name,formula,canonical,valid_rank_ic,valid_sharpe,test_rank_ic,"
                + "test_sharpe,score\n");
        for (int i = 0; i < test.size(); i++) {
            MiningRun.PoolEntry e = entries.get(i);
            ObjectNode f = EvalCommand.toJson(test.get(i));
            f.put("id", e.id());
            f.put("name", e.draft().name());
            f.put("hypothesis", e.draft().hypothesis());
            f.put("score", e.verdict().score());
            pool.add(f);
            SplitStatistics v = test.get(i).splits().get(Split.VALID);
            SplitStatistics t = test.get(i).splits().get(Split.TEST);
            csv.append(e.id()).append(',').append(quote(e.draft().name())).append(',')
                    .append(quote(e.draft().formula())).append(',').append(quote(e.factor().canonical())).append(',')
                    .append(v.rankIc()).append(',').append(v.portfolio().sharpe()).append(',').append(t.rankIc())
                    .append(',').append(t.portfolio().sharpe()).append(',').append(e.verdict().score()).append('\n');
        }
        Files.writeString(folder.resolve("pool.json"),
                CheckCommand.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(pool),
                StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("pool.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("summary.json"), CheckCommand.Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(summaryJson(run, test)), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("summary.md"), summaryMarkdown(run, test, panel), StandardCharsets.UTF_8);
    }

    static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private ObjectNode summaryJson(MiningRun run, List<FactorReport> test) {
        ObjectNode o = CheckCommand.Json.MAPPER.createObjectNode();
        o.put("run", run.id());
        o.put("data", market.describe());
        o.put("ideas", run.config().totalCandidates());
        List<MiningRun.PoolEntry> entries = run.pool();
        o.put("accepted", entries.size());
        ArrayNode f = o.putArray("pool");
        for (int i = 0; i < test.size(); i++) {
            ObjectNode x = f.addObject();
            x.put("id", entries.get(i).id());
            x.put("formula", entries.get(i).draft().formula());
            // an undefined statistic is null, as in eval's JSON
            put(x, "valid_rank_ic", test.get(i).splits().get(Split.VALID).rankIc());
            put(x, "test_rank_ic", test.get(i).splits().get(Split.TEST).rankIc());
        }
        return o;
    }

    private String summaryMarkdown(MiningRun run, List<FactorReport> test, Panel panel) {
        List<MiningRun.PoolEntry> entries = run.pool();
        StringBuilder sb = new StringBuilder();
        sb.append("# Mining run ").append(run.id()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "Data: %s (%d dates x %d assets). %d ideas in %d rounds, up to %d steps "
                        + "each; %d factors accepted. Seed %d.%n%n", market.describe(), panel.dateCount(),
                panel.assetCount(), run.config().totalCandidates(), run.config().rounds(),
                run.config().stepsPerFactor(), entries.size(), run.config().seed()));
        sb.append("Test statistics were computed once, for this report, on the sealed test split.\n\n");
        sb.append("| id | formula | valid rank IC | valid Sharpe | test rank IC | test Sharpe |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (int i = 0; i < test.size(); i++) {
            SplitStatistics v = test.get(i).splits().get(Split.VALID);
            SplitStatistics t = test.get(i).splits().get(Split.TEST);
            sb.append(String.format(Locale.ROOT, "| %d | `%s` | %.4f | %.2f | %.4f | %.2f |%n", entries.get(i).id(),
                    entries.get(i).draft().formula().replace("|", "\\|"), v.rankIc(), v.portfolio().sharpe(),
                    t.rankIc(), t.portfolio().sharpe()));
        }
        return sb.toString();
    }

    private void printSummary(PrintWriter o, MiningRun run, List<FactorReport> test, Path folder) throws IOException {
        if (json) {
            o.println(CheckCommand.Json.MAPPER.writeValueAsString(summaryJson(run, test)));
            return;
        }
        List<MiningRun.PoolEntry> entries = run.pool();
        o.printf(Locale.ROOT, "run %s: %d ideas, %d factors accepted (run folder: %s)%n", run.id(),
                run.config().totalCandidates(), entries.size(), folder);
        o.printf(Locale.ROOT, "  %-6s %-60s %9s %9s%n", "id", "formula", "valid RIC", "test RIC");
        for (int i = 0; i < test.size(); i++) {
            String f = entries.get(i).draft().formula();
            o.printf(Locale.ROOT, "  %-6d %-60s %9.4f %9.4f%n", entries.get(i).id(),
                    f.length() > 60 ? f.substring(0, 57) + "..." : f, test.get(i).splits().get(Split.VALID).rankIc(),
                    test.get(i).splits().get(Split.TEST).rankIc());
        }
    }
}
