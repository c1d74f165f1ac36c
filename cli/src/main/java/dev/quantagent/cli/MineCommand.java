package dev.quantagent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.agents.Conclusion;
import dev.quantagent.agents.FinishConfig;
import dev.quantagent.agents.JudgePolicy;
import dev.quantagent.agents.LlmJudge;
import dev.quantagent.agents.LlmWriter;
import dev.quantagent.agents.MiningConfig;
import dev.quantagent.agents.MiningRun;
import dev.quantagent.cli.html.FactorPage;
import dev.quantagent.cli.html.HtmlPage;
import dev.quantagent.cli.html.RunPage;
import dev.quantagent.cli.render.Cells;
import dev.quantagent.cli.render.FactorSheet;
import dev.quantagent.cli.render.Json;
import dev.quantagent.cli.render.RunSummary;
import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.PoolSignal;
import dev.quantagent.evaluator.Significance;
import dev.quantagent.evaluator.data.AtomicFile;
import dev.quantagent.evaluator.data.DataException;
import dev.quantagent.evaluator.synth.SyntheticMarket;
import dev.quantagent.knowledge.Embedder;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.RunStatus;
import dev.quantagent.llm.LlmChat;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.llm.Refused;
import dev.quantagent.llm.Sleeper;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;
import dev.quantagent.sandbox.TerminalText;

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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "mine", description = "Mine alpha factors: a Writer drafts formulas, the evaluator backtests them on "
        + "train, a Judge critiques them, the Writer refines them; a factor that passes is looked at on valid once, "
        + "with evidence adjusted for every trial on the data; every outcome goes to the knowledge base. The accepted "
        + "pool is combined into one signal and tested once on the sealed test split, with a verdict. With no "
        + "arguments it mines the embedded synthetic market offline.",
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

    @Option(names = "--min-rank-ic", paramLabel = "X", description = "Judge: smallest train rank IC worth a look at "
            + "valid (default 0.01).")
    private Double minRankIc;

    @Option(names = "--alpha", paramLabel = "X", description = "Judge: error rate of the multiple-testing "
            + "adjustment (default 0.05).")
    private Double alpha;

    @Option(names = "--adjustment", paramLabel = "bhy|bh|holm", description = "Judge: how the valid gate's evidence "
            + "is adjusted for the looks at valid on the data: bhy (false discovery rate under any dependence, "
            + "default), bh (false discovery rate under positive dependence) or holm (family-wise).")
    private String adjustment;

    @Option(names = "--min-stable-folds", paramLabel = "N", description = "Judge: thirds of train that must show "
            + "the rank IC's sign (default 3, all).")
    private Integer minStableFolds;

    @Option(names = "--min-coverage", paramLabel = "X", description = "Judge: smallest share of labelled cells with a "
            + "value (default 0.6).")
    private Double minCoverage;

    @Option(names = "--max-turnover", paramLabel = "X", description = "Judge: mean one-way turnover above which "
            + "smoothing is asked for (default 0.7; a finding, not a rejection).")
    private Double maxTurnover;

    @Option(names = "--max-overlap-share", paramLabel = "X", description = "Judge: largest share of a factor's "
            + "nodes that may be a sub-tree of an accepted factor (default 0.8).")
    private Double maxOverlapShare;

    @Option(names = "--max-nodes", paramLabel = "N", description = "Judge: largest canonical node count (default 40).")
    private Integer maxNodes;

    @Option(names = "--suspicious-rank-ic", paramLabel = "X", description = "Judge: a mean rank IC above this is "
            + "treated as leakage (default 0.25).")
    private Double suspiciousRankIc;

    @Option(names = "--require-net", description = "Judge: accept only factors whose long-short earns money after "
            + "costs at some holding period (1, 5, 10, 20 bars) on train and at that holding period on valid.")
    private boolean requireNet;

    @Option(names = "--pool-method", paramLabel = "auto|equal|ic|ridge", description = "How the accepted pool is "
            + "combined into one signal: equal-weight signed z-scores, IC-weighted, a ridge regression fitted on "
            + "train, or auto (default): the best of the three on valid.")
    private String poolMethod;

    @Option(names = "--baseline", paramLabel = "alpha101|alpha158", description = "Also put a published library "
            + "through the same selection and combination, and compare it with the pool on test.")
    private String baseline;

    @Mixin
    private BookOptions bookOptions;

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
                    retrievalK, finish());
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
                var chatModel = LlmChat.openAi(settings);
                Sleeper sleep = d -> Thread.sleep(d.toMillis());
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
            String id = resume != null ? resume : runId(base, LocalDateTime.now());
            // the run folder is made and checked now, not after an hour of mining
            Path folder = (out != null ? out : Path.of("runs", id)).toAbsolutePath().normalize();
            checkWritable(folder);
            claim(folder, id);
            MiningRun run;
            try {
                run = resume != null ? MiningRun.resume(resume, evaluation, base, datasetKey, llm)
                        : MiningRun.start(id, evaluation, base, datasetKey, config, llm);
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
            boolean finished;
            try {
                finished = run.mine(progress::update, n, interruption::requested);
            } catch (Refused e) {
                progress.done();
                // every idea before the refusal is saved: with the key fixed the run continues where it stopped
                throw new QuantAgentCli.UserError(e.getMessage() + "; the run is saved: continue with quantagent mine "
                        + "--resume " + run.id() + sameOptions());
            }
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
            err.println("concluding: the pool signal" + (config(run).finish().baseline() != null ? ", the baseline"
                    : "") + ", the one look at the test split, the run's report and pages...");
            List<String> keys = market.keys();
            // each look is logged before it is taken: a log that cannot be written stops the run short of its one
            // look at the test split, still resumable, instead of leaving a look nobody can count
            Conclusion conclusion = run.conclude(new Conclusion.Settings(config(run).finish().poolMethod(),
                    config(run).finish().books(), config(run).finish().baseline(), planted(), Home.testLooks()));
            RunSummary summary = new RunSummary(run.id(), market.describe(), config(run), run.testedFactors(),
                    conclusion, poolCorrelation(evaluation, conclusion));
            ObjectNode summaryJson = summary.json();
            ObjectNode figures = summary.figures();
            // report --run reads the conclusion back from the knowledge base: the same page as report.html
            run.saveSummary(summaryJson, figures);
            try {
                writeFolder(folder, summary, summaryJson, panel);
                writePages(folder, base, run.id(), summaryJson, figures, evaluation, conclusion);
            } catch (IOException e) {
                throw new QuantAgentCli.UserError("--out " + folder + ": cannot write " + e.getMessage()
                        + "; the run is kept: quantagent mine --resume " + run.id() + " writes its report again "
                        + "without another look at the test split");
            }
            run.markFinished();
            if (json) {
                o.println(Json.line(summaryJson));
            } else {
                o.print(summary.terminal(folder.toString(), next(run.id(), folder, base, conclusion)));
                if (!conclusion.pool().isEmpty()) {
                    err.println(Home.testLooks().sentence(Home.testLooks().count(keys)));
                }
            }
        } finally {
            interruption.done();
        }
        return 0;
    }

    /** A run can be resumed unless it finished (its sealed test was looked at) or another Writer is asked for. */
    private void checkResumable(RunRecord run) {
        if (run.status() == RunStatus.FINISHED) { // "reporting": its report was not written yet, resume writes it
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
        refuseIfChanged("--alpha", was.alpha(), now.alpha());
        refuseIfChanged("--adjustment", was.adjustment().key(), now.adjustment().key());
        refuseIfChanged("--require-net", was.requireNet(), now.requireNet());
        refuseIfChanged("--min-stable-folds", was.minStableFolds(), now.minStableFolds());
        refuseIfChanged("--min-coverage", was.minCoverage(), now.minCoverage());
        refuseIfChanged("--max-turnover", was.maxTurnover(), now.maxTurnover());
        refuseIfChanged("--max-overlap-share", was.maxOverlapShare(), now.maxOverlapShare());
        refuseIfChanged("--max-nodes", was.maxNodes(), now.maxNodes());
        refuseIfChanged("--suspicious-rank-ic", was.suspiciousRankIc(), now.suspiciousRankIc());
        refuseIfChanged("--pool-method", started.finish().poolMethod() == null ? "auto"
                : started.finish().poolMethod().key(), asked.finish().poolMethod() == null ? "auto"
                : asked.finish().poolMethod().key());
        refuseIfChanged("--baseline", started.finish().baseline(), asked.finish().baseline());
        for (String book : List.of("--topk", "--dropout", "--rebalance-every", "--buffer")) {
            refuseIfChanged(book, started.finish().books(), asked.finish().books());
        }
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
        if (alpha != null && !(alpha > 0 && alpha < 1)) {
            throw new QuantAgentCli.UserError("--alpha " + alpha + ": an error rate lies strictly between 0 and 1");
        }
        Significance.Adjustment how = d.adjustment();
        if (adjustment != null) {
            try {
                how = Significance.Adjustment.of(adjustment);
            } catch (IllegalArgumentException e) {
                throw new QuantAgentCli.UserError("--adjustment " + adjustment + ": choose bhy, bh or holm");
            }
        }
        if (minStableFolds != null && (minStableFolds < 0 || minStableFolds > 3)) {
            throw new QuantAgentCli.UserError("--min-stable-folds " + minStableFolds + ": train has three thirds; give "
                    + "0 to 3");
        }
        if (minCoverage != null && !(minCoverage >= 0 && minCoverage <= 1)) {
            throw new QuantAgentCli.UserError("--min-coverage " + minCoverage + ": a share lies between 0 and 1");
        }
        for (var share : new Object[][] {{"--max-turnover", maxTurnover}, {"--max-overlap-share", maxOverlapShare},
            {"--suspicious-rank-ic", suspiciousRankIc}}) {
            Double v = (Double) share[1];
            if (v != null && !(v > 0 && v <= 1)) {
                throw new QuantAgentCli.UserError(share[0] + " " + v + ": give a share above 0 and at most 1");
            }
        }
        if (maxNodes != null && maxNodes < 1) {
            throw new QuantAgentCli.UserError("--max-nodes " + maxNodes + ": a formula has at least one node");
        }
        return new JudgePolicy(minRankIc != null ? minRankIc : d.minRankIc(), alpha != null ? alpha : d.alpha(), how,
                minStableFolds != null ? minStableFolds : d.minStableFolds(), requireNet,
                maxTurnover != null ? maxTurnover : d.maxTurnover(), minCoverage != null ? minCoverage : d.minCoverage(),
                maxCorrelation != null ? maxCorrelation : d.maxCorrelation(),
                maxOverlapShare != null ? maxOverlapShare : d.maxOverlapShare(),
                maxNodes != null ? maxNodes : d.maxNodes(), d.minValidOverTrain(),
                suspiciousRankIc != null ? suspiciousRankIc : d.suspiciousRankIc());
    }

    private FinishConfig finish() {
        PoolSignal.Method method = null;
        if (poolMethod != null && !poolMethod.equalsIgnoreCase("auto")) {
            try {
                method = PoolSignal.Method.of(poolMethod);
            } catch (IllegalArgumentException e) {
                throw new QuantAgentCli.UserError("--pool-method " + poolMethod + ": choose auto, equal, ic or ridge");
            }
        }
        String b = baseline == null ? null : baseline.toLowerCase(Locale.ROOT);
        if (b != null && !b.equals("alpha101") && !b.equals("alpha158")) {
            throw new QuantAgentCli.UserError("--baseline " + baseline + ": choose alpha101 or alpha158");
        }
        return new FinishConfig(method, b, bookOptions.over(BookConfig.DEFAULT));
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
        /** Ideas explored since the first before an estimate of the time left is shown. */
        private static final int MIN_IDEAS_FOR_ETA = 3;
        private long lastPrinted;
        private String last = "";
        private int firstCandidate = -1;
        private double firstSecs;

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        void update(MiningRun.Snapshot s) {
            double secs = s.elapsed().toNanos() / 1e9;
            // the rate since the first idea: the first pays for warming up (data, caches, the JIT) and made the
            // estimate several times too long
            if (firstCandidate < 0) {
                firstCandidate = s.candidate();
                firstSecs = secs;
            }
            int done = s.candidate() - firstCandidate;
            String eta = done < MIN_IDEAS_FOR_ETA ? "ETA after a few more ideas" : String.format(Locale.ROOT,
                    "ETA %.0fs", (secs - firstSecs) / done * (s.total() - s.candidate()));
            last = String.format(Locale.ROOT, "round %d: %d/%d ideas, %d factors tested (%d invalid), %d accepted, "
                            + "best train rank IC %s, %.0fs elapsed, %s", s.round(), s.candidate(), s.total(),
                    s.trials(), s.invalid(), s.accepted(), s.bestRankIc() == s.bestRankIc()
                            ? String.format(Locale.ROOT, "%.4f", s.bestRankIc()) : "-", secs, eta)
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

    /** The run's settings as stored with it (a resumed run concludes as it was started). */
    private static MiningConfig config(MiningRun run) {
        return run.config();
    }

    /** The planted alphas to look for: those of the embedded synthetic market, none for a data file. */
    private List<Conclusion.Planted> planted() {
        if (!market.isSynthetic()) {
            return List.of();
        }
        return SyntheticMarket.plantedAlphas().stream()
                .map(a -> new Conclusion.Planted(a.name(), a.formula())).toList();
    }

    /** Makes the run folder and checks that a file can be written in it, before any mining. */
    private static void checkWritable(Path folder) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new QuantAgentCli.UserError("--out " + folder + ": cannot write there: it is not a folder");
        }
        try {
            Files.createDirectories(folder);
            Path probe = Files.createTempFile(folder, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new QuantAgentCli.UserError("--out " + folder + ": cannot write there: "
                    + DataException.reason(e, folder));
        }
    }

    /**
     * Claims the run folder for this run with a marker made only if it is not there ({@code CREATE_NEW}, atomic):
     * two runs given the same folder (or whose ids collide, as two containers' processes numbered 1 can) cannot both
     * write their reports into it; a resumed run finds its own mark.
     */
    private static void claim(Path folder, String id) {
        Path marker = folder.resolve(".quantagent-run");
        try {
            Files.writeString(marker, id + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            String owner;
            try {
                owner = Files.readString(marker, StandardCharsets.UTF_8).trim();
            } catch (IOException read) {
                throw new QuantAgentCli.UserError("--out " + folder + ": cannot read its run mark " + marker + ": "
                        + DataException.reason(read, marker));
            }
            if (!owner.equals(id)) {
                throw new QuantAgentCli.UserError("--out " + folder + " holds run " + TerminalText.printable(owner)
                        + "; give another folder, or remove it first");
            }
        } catch (IOException e) {
            throw new QuantAgentCli.UserError("--out " + folder + ": cannot write there: "
                    + DataException.reason(e, folder));
        }
    }

    /** The run page, then the commands worth running next, with the paths this run used. */
    private List<String> next(String runId, Path folder, KnowledgeBase base, Conclusion c) {
        String kbOption = kb.given() ? " --kb " + base.location() : "";
        String dataOption = market.data == null ? "" : " --data " + market.data.toAbsolutePath();
        List<String> out = new java.util.ArrayList<>();
        out.add("open " + folder.resolve("report.html") + "   # the verdict" + (c.signal() == null ? ""
                : ", the pool signal") + (c.baseline() == null ? "" : ", the baseline") + (c.signal() == null ? ""
                : "; the signal's tear sheet: pool-signal.html"));
        if (!c.pool().isEmpty()) {
            long best = c.pool().get(0).entry().id();
            double bestIc = Double.NEGATIVE_INFINITY;
            for (Conclusion.FactorResult r : c.pool()) {
                double ic = r.report().splits().get(dev.quantagent.evaluator.Split.VALID).rankIc();
                if (ic > bestIc) {
                    bestIc = ic;
                    best = r.entry().id();
                }
            }
            out.add("quantagent report" + kbOption + dataOption + " --factor " + best + " --format html --out "
                    + folder.resolve("factor-" + best + ".html") + "   # the best factor's tear sheet");
        }
        out.add("quantagent kb" + kbOption + " list --run " + runId + " --status accepted");
        return out;
    }

    /** The pool's factors' mean daily rank correlations over train, in pool order. */
    private static double[][] poolCorrelation(Evaluation ev, Conclusion c) {
        Evaluation.Workspace ws = ev.workspace();
        List<Evaluation.SplitRanks> ranks = new java.util.ArrayList<>();
        for (Conclusion.FactorResult r : c.pool()) {
            ranks.add(ev.splitRanks(ws.values(r.entry().factor()), dev.quantagent.evaluator.Split.TRAIN, ws));
        }
        double[][] m = new double[ranks.size()][ranks.size()];
        for (int i = 0; i < m.length; i++) {
            m[i][i] = 1;
            for (int j = 0; j < i; j++) {
                m[i][j] = m[j][i] = ev.factorCorrelation(ranks.get(i), ranks.get(j), ws);
            }
        }
        return m;
    }

    /** Writes the run folder's files; a failure says which file and why ({@code pool.json: No space left...}). */
    private void writeFolder(Path folder, RunSummary summary, ObjectNode summaryJson, Panel panel) throws IOException {
        // every file is complete or absent (AtomicFile): a full disk leaves the run resumable, not half-reported
        writeFile(folder.resolve("pool.json"), Json.pretty(summary.poolJson()));
        writeFile(folder.resolve("pool.csv"), summary.poolCsv());
        writeFile(folder.resolve("summary.json"), Json.pretty(summaryJson));
        writeFile(folder.resolve("summary.md"), summary.markdown(String.format(Locale.ROOT,
                "%s (%d dates x %d assets)", market.describe(), panel.dateCount(), panel.assetCount())));
    }

    private static void writeFile(Path file, String text) throws IOException {
        try {
            AtomicFile.writeString(file, text);
        } catch (IOException e) {
            throw new IOException(file.getFileName() + ": " + DataException.reason(e, file), e);
        }
    }

    /**
     * The run page ({@code report.html}, as {@code report --run} gives it) and the pool signal's tear sheet
     * ({@code pool-signal.html}), from the run's one look at test.
     */
    private void writePages(Path folder, KnowledgeBase base, String runId, ObjectNode summaryJson, ObjectNode figures,
                            Evaluation ev, Conclusion c) throws IOException {
        RunRecord r = base.run(runId).orElseThrow();
        List<dev.quantagent.knowledge.FactorRecord> tested = base.list(dev.quantagent.knowledge.Filter.ANY
                .withRun(runId), KnowledgeBase.Sort.ID, Integer.MAX_VALUE);
        List<dev.quantagent.knowledge.FactorRecord> accepted = base.list(dev.quantagent.knowledge.Filter.accepted()
                .withRun(runId), KnowledgeBase.Sort.RANK_IC, Integer.MAX_VALUE);
        writeFile(folder.resolve("report.html"), RunPage.html(r, tested, accepted, summaryJson, figures));
        if (c.signal() != null) {
            Conclusion.Signal s = c.signal();
            FactorSheet sheet = FactorSheet.ofLook(ev, s.combination().values(), ev.unsealTest(), s.look());
            HtmlPage.Table members = new HtmlPage.Table("id", "formula", "weight on its z-score", "train rank IC")
                    .numeric(0, 2, 3).code(1);
            for (int i = 0; i < c.pool().size(); i++) {
                Conclusion.FactorResult f = c.pool().get(i);
                members.row("#" + f.entry().id(), f.entry().draft().formula(), Cells.fixed(
                        s.combination().weights()[i], 4), Cells.fixed(f.report().splits().get(
                        dev.quantagent.evaluator.Split.TRAIN).rankIc(), 4));
            }
            String title = "Pool signal of run " + runId;
            FactorPage.Heading heading = new FactorPage.Heading(title, null, s.label(), "The accepted factors "
                    + "combined into one signal, fitted on train and chosen on valid; test looked at once, at the "
                    + "run's end.", market.describe() + "; " + EvaluationOptions.describe(ev.config()), "");
            writeFile(folder.resolve("pool-signal.html"), FactorPage.html(heading, sheet,
                    List.of(members), List.of("Members")));
        }
    }
}
