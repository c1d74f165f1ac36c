package dev.quantagent.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Filter;
import dev.quantagent.knowledge.Hit;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.RunStatus;
import dev.quantagent.knowledge.Status;
import dev.quantagent.knowledge.Usage;
import dev.quantagent.llm.Cancelled;
import dev.quantagent.llm.LlmFailure;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Subtrees;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One mining run, as in QuantAgent (Wang et al. 2024). The inner loop: the Writer drafts a factor, the evaluator
 * backtests it on train, the Judge scores it from train alone, and the Writer refines it until it passes or the
 * steps run out. A factor that passes is looked at on valid once, at the gate ({@link RuleJudge#gate}): accepted if
 * valid confirms it with the evidence the looks at valid on this data demand, rejected otherwise, and the idea ends
 * either way, so valid statistics never steer the search. The outer loop: every outcome (accepted, rejected, invalid) goes to the knowledge base, and each round's
 * Writer retrieves from it: the run's own best accepted factors and latest failures, and the best accepted factors
 * and nearest failures of any run on the same data around the round's theme (a classic building block picked by
 * seed and round). The accepted pool is what later ideas are checked against for novelty.
 *
 * <p>Resumable and reproducible: each candidate's Writer is seeded from (seed, round, candidate) and sees only what
 * the knowledge base held at its round's start (factors up to a saved id), and the run's state is saved after every
 * candidate. A run resumed after a crash or Ctrl-C redoes the interrupted candidate from its start and produces the
 * same factors as an uninterrupted run; it must be resumed with the evaluation settings and the kind of Writer it was
 * started with (both stored with the run). The bars a candidate's evidence must clear are fixed at its round's start
 * from the knowledge base's counts of trials and looks at valid on this data, plus the most the round's earlier
 * candidates could have added, so they do not depend on timing either. Test statistics are computed once, at the
 * end, by {@link #conclude}.
 */
public final class MiningRun {

    /** Receives progress; the command line prints it. */
    public interface Listener {
        void candidateDone(Snapshot s);
    }

    /**
     * Where a run stands.
     *
     * @param round       current round (1-based)
     * @param candidate   candidates finished in total
     * @param total       candidates planned
     * @param trials      factors tested (steps)
     * @param accepted    factors accepted
     * @param invalid     invalid formulas
     * @param bestRankIc  best train rank IC in the pool (NaN if empty)
     * @param elapsed     time spent in this process
     * @param tokens      LLM tokens used so far (0 offline)
     * @param cost        their cost in US dollars
     */
    public record Snapshot(int round, int candidate, int total, long trials, long accepted, long invalid,
                           double bestRankIc, Duration elapsed, long tokens, double cost) {
    }

    /** An accepted factor with its train and valid statistics. */
    public record PoolEntry(long id, Draft draft, Factor factor, FactorReport report, Verdict verdict) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double CORRELATION_CHECK = 0.5;
    /** This run's latest failures shown to the Writer. */
    private static final int RECENT_FAILURES = 5;

    private final String runId;
    private final Evaluation evaluation;
    private final KnowledgeBase kb;
    private final String datasetKey;
    private final MiningConfig config;
    /** This sitting's time budget: the run's own, or what a resume asked for. */
    private Duration sittingBudget;
    /** Where the run's data came from (a path, or the embedded market), for messages; null if not told. */
    private String dataSource;
    /** This sitting's stop signal (Ctrl-C), read by the explorers. */
    private volatile java.util.function.BooleanSupplier stop = () -> false;
    private final RuleJudge judge;
    private final List<String> fields;
    private final List<String> library;
    private final List<Concepts.Concept> concepts;
    private final Evaluation.Workspace ws;
    private final dev.quantagent.sandbox.SubexpressionCache cache;
    private final List<PoolEntry> pool = new ArrayList<>();
    private final Map<Long, Evaluation.SplitRanks> poolRanks = new java.util.concurrent.ConcurrentHashMap<>();
    // read by explorers while the merge adds to them
    private final Map<Long, Map<String, Integer>> poolSubtrees = new java.util.concurrent.ConcurrentHashMap<>();
    private final Writer llm;
    private Judge llmJudge;
    private LlmSettings judgeSettings;
    private int roundStartPool;
    /** The pool as it stood at the round's start: what the round's explorers check novelty against. */
    private volatile List<PoolEntry> roundKnown = List.of();
    /** The knowledge base's last factor id at the round's start: what the round's candidates may see. */
    private long roundStartRecordId;
    /** Trials, looks at valid and accepted factors on this data at the round's start. */
    private long roundStartTrials;
    private long roundStartLooks;
    private long roundStartAccepted;
    private List<String> roundSuccesses = List.of();
    private List<String> roundFailures = List.of();
    private Instant startedAt;
    private long trials;
    private long invalid;
    private long tokens;
    private double cost;
    private long lastRecordId;
    private int nextCandidate;
    /** Time spent mining in earlier sittings, and since this sitting's mining started (0 before). */
    private Duration earlierMining = Duration.ZERO;
    private long sittingStarted;
    /** The conclusion's looks at valid were counted, and its look at test announced: a resumed run repeats neither. */
    private boolean concludedLooks;
    /** Looks at valid the conclusion took that stored no factor (signals, a baseline): an import counts them again. */
    private long concludedExtraLooks;
    private boolean testLogged;
    /** The run's summary ({@code summary.json}) and its report's chart series, once concluded. */
    private JsonNode summary;
    private JsonNode figures;

    private MiningRun(String runId, Evaluation evaluation, KnowledgeBase kb, String datasetKey, MiningConfig config,
                      Writer llm) {
        this.runId = runId;
        this.llm = llm;
        this.evaluation = evaluation;
        this.kb = kb;
        this.datasetKey = datasetKey;
        this.config = config;
        this.sittingBudget = config.timeBudget();
        this.judge = new RuleJudge(config.policy());
        this.fields = dev.quantagent.sandbox.Sandbox.fields(evaluation.panel());
        this.library = OfflineWriter.buildingBlocks(evaluation.sandbox(), fields);
        this.concepts = OfflineWriter.concepts(evaluation.sandbox(), fields);
        // a quarter of the heap for sub-expression results shared by the run's formulas (refinements keep most of
        // their parent's sub-trees), at most 2 GB
        this.cache = new dev.quantagent.sandbox.SubexpressionCache(
                Math.min(2L << 30, Runtime.getRuntime().maxMemory() / 4));
        this.ws = evaluation.workspace(cache);
    }

    /** A new run with the offline Writer, registered in the knowledge base. */
    public static MiningRun start(String runId, Evaluation evaluation, KnowledgeBase kb, String datasetKey,
                                  MiningConfig config) {
        return start(runId, evaluation, kb, datasetKey, config, null);
    }

    /** A new run; {@code llm} is the LLM Writer, or null for the offline one. */
    public static MiningRun start(String runId, Evaluation evaluation, KnowledgeBase kb, String datasetKey,
                                  MiningConfig config, Writer llm) {
        if (kb.run(runId).isPresent()) {
            throw new IllegalArgumentException("run " + runId + " already exists; use --resume " + runId);
        }
        MiningRun r = new MiningRun(runId, evaluation, kb, datasetKey, config, llm);
        r.startedAt = Instant.now();
        r.save(RunStatus.RUNNING, null);
        return r;
    }

    /**
     * Continues a run from its last completed candidate. The evaluation must be over the same data (checked by the
     * data key) with the same settings (checked against those stored with the run), and the Writer of the same kind;
     * the mining settings come from the knowledge base.
     *
     * @throws IllegalArgumentException naming what differs, and what to pass
     */
    public static MiningRun resume(String runId, Evaluation evaluation, KnowledgeBase kb, String datasetKey) {
        return resume(runId, evaluation, kb, datasetKey, null);
    }

    /** Resumes with the LLM Writer, or the offline one when {@code llm} is null. */
    public static MiningRun resume(String runId, Evaluation evaluation, KnowledgeBase kb, String datasetKey,
                                   Writer llm) {
        RunRecord rec = kb.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId
                + " in the knowledge base at " + kb.location()));
        RunSettings stored = RunSettings.read(rec.configJson());
        if (!datasetKey.equals(rec.dataKey())) {
            throw new IllegalArgumentException("run " + runId + " mined other data: " + dataOf(rec) + "; resume it "
                    + "with that data (a copy or a moved file is fine; an edited one is other data)");
        }
        stored.checkWriter(runId, llm != null);
        stored.checkEvaluation(runId, evaluation.config());
        RunState state = RunState.read(rec.stateJson());
        MiningRun r = new MiningRun(runId, evaluation, kb, datasetKey, stored.miningConfig(), llm);
        r.dataSource = stored.data();
        r.startedAt = rec.startedAt() != null ? rec.startedAt() : Instant.now();
        r.nextCandidate = state.nextCandidate();
        r.trials = state.trials();
        r.invalid = state.invalid();
        r.tokens = state.tokens();
        r.cost = state.cost();
        r.lastRecordId = state.lastRecordId();
        r.earlierMining = Duration.ofMillis(state.miningMillis());
        r.concludedLooks = state.concludedLooks();
        r.concludedExtraLooks = state.extraValidLooks();
        r.summary = state.summary();
        r.figures = state.figures();
        r.testLogged = state.testLogged();
        r.roundStartRecordId = state.roundStartRecordId();
        int roundStartPool = state.roundStartPool();
        kb.deleteRunFactorsAfter(runId, r.lastRecordId); // steps of the interrupted candidate
        for (FactorRecord f : kb.list(Filter.accepted().withRun(runId), KnowledgeBase.Sort.ID, Integer.MAX_VALUE)) {
            r.restore(f);
        }
        r.pool.sort((a, b) -> Long.compare(a.id(), b.id()));
        r.roundStartPool = Math.min(roundStartPool, r.pool.size());
        r.roundKnown = List.copyOf(r.pool.subList(0, r.roundStartPool));
        if (!r.finished() && r.nextCandidate % r.config.candidatesPerRound() != 0) {
            // mid-round: as at the round's start
            r.roundStartTrials = state.roundStartTrials();
            r.roundStartLooks = state.roundStartLooks();
            r.roundStartAccepted = state.roundStartAccepted();
            r.retrieve(r.nextCandidate / r.config.candidatesPerRound() + 1);
        }
        return r;
    }

    public String id() {
        return runId;
    }

    /**
     * Mines this sitting for at most {@code budget} (null: until done) instead of the run's own budget: a resumed
     * run may be given more, or less, time than it was started with.
     */
    public MiningRun withTimeBudget(Duration budget) {
        if (budget != null && (budget.isNegative() || budget.isZero())) {
            throw new IllegalArgumentException("the time budget must be positive");
        }
        this.sittingBudget = budget;
        return this;
    }

    /** Adds the LLM Judge's critique (and veto) after the rules; null for rules only. */
    public MiningRun withLlmJudge(LlmJudge judge, LlmSettings settings) {
        this.llmJudge = judge;
        this.judgeSettings = settings;
        return this;
    }

    public MiningConfig config() {
        return config;
    }

    /** Factors this run has tested so far (every step, failures included). */
    public long testedFactors() {
        return trials;
    }

    public List<PoolEntry> pool() {
        return List.copyOf(pool);
    }

    public boolean finished() {
        return nextCandidate >= config.totalCandidates();
    }

    /**
     * Mines until all candidates are done or the time budget is spent, exploring up to {@code threads} candidates
     * at once. The result does not depend on the number of threads or their timing: every candidate of a round is
     * explored against the pool and the knowledge base as they stood at the round's start, and outcomes are recorded
     * in candidate order, where duplicates and redundancy among the round's own factors are settled.
     *
     * @return whether the run finished (false: stopped by the time budget, resumable)
     */
    public boolean mine(Listener listener) {
        return mine(listener, 1);
    }

    public boolean mine(Listener listener, int threads) {
        return mine(listener, threads, () -> false);
    }

    /**
     * As {@link #mine(Listener, int)}, stopping resumably (as for a spent time budget) soon after {@code stop} turns
     * true: Ctrl-C saves the run instead of leaving it half-written. Candidates whose exploration is under way are
     * dropped before their next Writer or Judge call (and an LLM call in flight ends with {@link Cancelled} if the
     * LLM Writer and Judge were given the same signal); the resumed run explores them again from their start.
     */
    public boolean mine(Listener listener, int threads, java.util.function.BooleanSupplier stop) {
        long started = System.nanoTime();
        sittingStarted = started;
        // explorers stop at their next Writer or Judge call once the user asks or the sitting's budget is spent
        java.util.concurrent.atomic.AtomicBoolean halted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.function.BooleanSupplier outOfTime = () -> sittingBudget != null
                && System.nanoTime() - started > sittingBudget.toNanos();
        this.stop = () -> halted.get() || stop.getAsBoolean();
        java.util.concurrent.ExecutorService executor = threads > 1
                ? java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "quantagent-miner");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        // the merge runs while explorers explore, so with a pool of explorers it keeps the run's own workspace and
        // each explorer has one of its own (a workspace's scratch arrays are one thread's)
        java.util.concurrent.BlockingQueue<Evaluation.Workspace> workspaces =
                new java.util.concurrent.ArrayBlockingQueue<>(Math.max(1, threads));
        if (executor == null) {
            workspaces.add(ws);
        } else {
            for (int i = 0; i < threads; i++) {
                workspaces.add(evaluation.workspace(cache));
            }
        }
        try {
            while (!finished()) {
                if (stop.getAsBoolean() || outOfTime.getAsBoolean()) {
                    save(RunStatus.PAUSED, null);
                    return false;
                }
                int round = nextCandidate / config.candidatesPerRound() + 1;
                if (nextCandidate % config.candidatesPerRound() == 0) {
                    roundStartPool = pool.size();
                    roundKnown = List.copyOf(pool);
                    roundStartRecordId = kb.lastId();
                    countsAtRoundStart();
                    retrieve(round);
                }
                // the rest of the round is explored at once, each candidate against the round's start, and merged in
                // candidate order as it comes in: no explorer waits for a slower one before taking the next
                int roundEnd = round * config.candidatesPerRound();
                List<java.util.concurrent.Callable<List<Step>>> tasks = new ArrayList<>();
                for (int k = nextCandidate; k < roundEnd; k++) {
                    int candidate = k;
                    tasks.add(() -> {
                        if (halted.get()) {
                            throw new Cancelled(); // not started before the stop: explored again on resume
                        }
                        Evaluation.Workspace w = workspaces.take();
                        try {
                            return explore(candidate, w);
                        } finally {
                            workspaces.add(w);
                        }
                    });
                }
                List<java.util.concurrent.Future<List<Step>>> futures = new ArrayList<>();
                if (executor != null) {
                    for (java.util.concurrent.Callable<List<Step>> t : tasks) {
                        futures.add(executor.submit(t));
                    }
                }
                boolean stopped = false;
                RuntimeException failure = null;
                for (int i = 0; i < tasks.size(); i++) {
                    List<Step> steps = null;
                    try {
                        steps = executor == null ? (stopped ? null : call(tasks.get(i))) : join(futures.get(i));
                    } catch (Cancelled e) {
                        stopped = true;
                    } catch (RuntimeException e) {
                        if (!stopped && failure == null) {
                            failure = e; // the first the run meets in candidate order
                        }
                        stopped = true;
                    }
                    // Every explorer is waited for, whatever happens to the others (after a stop each ends at its
                    // next call): one interrupted in a knowledge base read could close the database's file under it.
                    if (stopped || steps == null) {
                        halted.set(true);
                        continue;
                    }
                    merge(nextCandidate, round, steps);
                    nextCandidate++;
                    save(RunStatus.RUNNING, null);
                    listener.candidateDone(new Snapshot(round, nextCandidate, config.totalCandidates(), trials,
                            pool.size(), invalid, bestRankIc(), Duration.ofNanos(System.nanoTime() - started),
                            tokens, cost));
                    if (stop.getAsBoolean() || outOfTime.getAsBoolean()) {
                        // the rest of the round is explored again on resume, to the same result
                        halted.set(true);
                        stopped = true;
                    }
                }
                if (failure != null) {
                    throw failure;
                }
                if (stopped) {
                    save(RunStatus.PAUSED, null);
                    return false;
                }
            }
            if (stop.getAsBoolean()) {
                save(RunStatus.PAUSED, null); // every idea is in, but a stop still means no final report now
                return false;
            }
            return true;
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
            earlierMining = miningTime(); // the sitting's mining ends here; a conclusion is timed on its own
            sittingStarted = 0;
        }
    }

    private static List<Step> call(java.util.concurrent.Callable<List<Step>> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Step> join(java.util.concurrent.Future<List<Step>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The end of the run: the pool's evidence after every trial and look on this data, its combined signal, the
     * baseline, and the run's one look at the sealed test split (see {@link Conclusion}). Marks the run as
     * reporting: its test statistics are stored, and a crash before the caller's {@link #markFinished} leaves a run
     * whose report can be written again without another look.
     */
    public Conclusion conclude(Conclusion.Settings settings) {
        Conclusion c = Conclusion.of(this, settings);
        save(RunStatus.REPORTING, null);
        return c;
    }

    /** Records that the run's report was written: nothing is left to resume. */
    public void markFinished() {
        save(RunStatus.FINISHED, Instant.now());
    }

    // what the conclusion needs of the run

    Evaluation evaluation() {
        return evaluation;
    }

    KnowledgeBase kb() {
        return kb;
    }

    String datasetKey() {
        return datasetKey;
    }

    Evaluation.Workspace workspace() {
        return ws;
    }

    RuleJudge judge() {
        return judge;
    }

    long trials() {
        return trials;
    }

    Instant startedAt() {
        return startedAt;
    }

    /** Time spent mining over all sittings so far. */
    Duration miningTime() {
        return sittingStarted == 0 ? earlierMining : earlierMining.plusNanos(System.nanoTime() - sittingStarted);
    }

    /** The pool factor's ranks over train, as its redundancy checks use them. */
    Evaluation.SplitRanks trainRanks(long id) {
        return poolRanks.get(id);
    }

    boolean concludedBefore() {
        return concludedLooks;
    }

    void markConcludedLooks(long extraLooks) {
        concludedLooks = true;
        concludedExtraLooks = extraLooks;
        save(RunStatus.REPORTING, null);
    }

    /** Run state keys: what the run's report reads back ({@code report --run}) and what an import counts again. */
    public static final String SUMMARY = "summary";
    public static final String FIGURES = "report_figures";

    /**
     * Keeps the run's summary (the content of {@code summary.json}) and its report's chart series with the run, so
     * that {@code report --run} shows the conclusion {@code mine} wrote, from the knowledge base alone.
     */
    public void saveSummary(JsonNode summary, JsonNode figures) {
        this.summary = summary;
        this.figures = figures;
        save(RunStatus.REPORTING, null);
    }

    boolean testLogged() {
        return testLogged;
    }

    void markTestLogged() {
        testLogged = true;
        save(RunStatus.REPORTING, null);
    }

    // ------------------------------------------------------------------------------------------- one candidate

    /**
     * One step of a candidate's inner loop, as explored: what was written, what it scored. Nothing is recorded until
     * the merge.
     *
     * @param report train statistics, and valid ones when the step went to the gate
     * @param values the factor's values when accepted (kept for the pool), else null
     * @param ranks  its train ranks when accepted (for redundancy checks), else null
     * @param vector its embedding, made by the explorer (the merge only stores it)
     */
    private record Step(Draft draft, Factor factor, FactorReport report, Verdict verdict, String failure,
                        Usage usage, double[] values, Evaluation.SplitRanks ranks, long judgeIn, long judgeOut,
                        float[] vector) {
    }

    /** The knowledge base's counts on this data at a round's start, from which the round's bars are set. */
    private void countsAtRoundStart() {
        roundStartTrials = kb.trials(datasetKey);
        roundStartLooks = kb.validLooks(datasetKey);
        roundStartAccepted = kb.list(Filter.accepted().withDataset(datasetKey), KnowledgeBase.Sort.ID,
                Integer.MAX_VALUE).size();
    }

    /**
     * The bar of the search for candidate k: what the best of every trial on this data would reach by luck, the
     * trials counted as if each of the round's earlier candidates used all its steps (an upper bound that does not
     * depend on timing).
     */
    private RuleJudge.Bar searchBar(int k, int step) {
        int position = k % config.candidatesPerRound();
        return RuleJudge.Bar.search(roundStartTrials + (long) position * config.stepsPerFactor() + step);
    }

    /** The gate's bar for candidate k: every look at valid on this data, the round's earlier candidates' included. */
    private RuleJudge.Bar gateBar(int k) {
        int position = k % config.candidatesPerRound();
        return RuleJudge.Bar.of(config.policy(), roundStartLooks + position + 1, roundStartAccepted);
    }

    /** The inner loop of candidate k, against the pool and the knowledge base as they were at the round's start. */
    private List<Step> explore(int k, Evaluation.Workspace w) {
        long seed = config.seed() * 1_000_003L + k; // each candidate's own stream
        Writer writer = llm != null ? llm : new OfflineWriter(evaluation.sandbox(), seed, library, concepts, k,
                evaluation.frequency().name());
        List<PoolEntry> known = roundKnown;
        WriterContext context = new WriterContext(fields, evaluation.frequency().name(), roundSuccesses,
                roundFailures);
        List<Step> steps = new ArrayList<>();
        long t0 = System.nanoTime();
        checkStop();
        Draft draft = write(() -> writer.draft(context));
        long writerMs = (System.nanoTime() - t0) / 1_000_000;
        for (int step = 1; step <= config.stepsPerFactor(); step++) {
            long e0 = System.nanoTime();
            Factor factor = null;
            FactorReport report = null;
            Verdict verdict;
            String failure = null;
            double[] values = null;
            Evaluation.SplitRanks ranks = null;
            long judgeIn = 0;
            long judgeOut = 0;
            boolean gated = false;
            if (draft.formula().isEmpty()) {
                failure = "the Writer produced no formula: " + draft.writerNote();
            } else {
                try {
                    factor = evaluation.sandbox().parse(draft.formula());
                } catch (FormulaException e) {
                    failure = e.getMessage();
                }
            }
            if (factor != null) {
                String duplicateOf = duplicateOf(factor, 0, roundStartRecordId);
                if (duplicateOf != null) {
                    verdict = judge.duplicate(duplicateOf);
                } else {
                    try {
                        values = w.values(factor);
                        RuleJudge.Bar bar = searchBar(k, step);
                        report = evaluation.evaluate(factor, values, w, Split.TRAIN);
                        verdict = judge.judgeTrain(report, factor, Novelty.NONE, bar, null);
                        List<Book> holding = null;
                        if (verdict.accepted()) {
                            // what only a factor with evidence needs: its books by holding period, its redundancy
                            holding = evaluation.holdingPeriods(values, Split.TRAIN, w,
                                    BookConfig.HOLDING_PERIODS);
                            ranks = evaluation.splitRanks(values, Split.TRAIN, w);
                            verdict = judge(factor, report, ranks, known, w, bar, holding);
                        }
                        if (llmJudge != null && verdict.accepted()) {
                            // only what the rules accept: the LLM Judge cannot overturn a rejection
                            checkStop();
                            Judge.Judgement reviewed = llmJudge.judge(new Judge.Candidate(factor,
                                    draft.hypothesis(), report, Novelty.NONE, bar, holding), verdict);
                            verdict = reviewed.verdict();
                            judgeIn = reviewed.promptTokens();
                            judgeOut = reviewed.completionTokens();
                        }
                        if (verdict.accepted()) {
                            // the gate: the idea's one look at valid, whatever it shows
                            gated = true;
                            Map<Split, SplitStatistics> both = new EnumMap<>(Split.class);
                            both.putAll(report.splits());
                            both.putAll(evaluation.evaluate(factor, values, w, Split.VALID).splits());
                            report = new FactorReport(report.formula(), report.canonical(), report.hash(), both);
                            Book validBook = null;
                            if (config.policy().requireNet()) {
                                validBook = evaluation.holdingPeriods(values, Split.VALID, w,
                                        RuleJudge.bestNet(holding).rebalanceEvery()).get(0);
                            }
                            verdict = judge.gate(report, gateBar(k), verdict, validBook);
                        }
                        values = verdict.accepted() ? values.clone() : null;
                    } catch (FormulaException e) {
                        failure = e.getMessage();
                        verdict = judge.invalid(failure);
                    }
                }
            } else {
                verdict = judge.invalid(failure);
            }
            long evalMs = (System.nanoTime() - e0) / 1_000_000;
            float[] vector = kb.embed(FactorRecord.embeddingText(draft.name(), draft.hypothesis(),
                    factor == null ? null : factor.canonical(), draft.formula()));
            steps.add(new Step(draft, factor, report, verdict, failure, new Usage(writerMs, evalMs, 0,
                    draft.promptTokens(), draft.completionTokens()), values, verdict.accepted() ? ranks : null,
                    judgeIn, judgeOut, vector));
            if (gated || step == config.stepsPerFactor()) {
                break; // an idea that reached the gate ends there, accepted or not
            }
            long w0 = System.nanoTime();
            Draft previous = draft;
            Verdict judged = verdict;
            checkStop();
            draft = write(() -> writer.refine(previous, judged, context));
            writerMs = (System.nanoTime() - w0) / 1_000_000;
        }
        return steps;
    }

    /**
     * Records a candidate's steps in order. What the explorer could not know is settled here: a factor that another
     * candidate of the same round (merged earlier) already recorded is a duplicate, and an accepted factor too
     * correlated with, or structurally a copy of, one accepted earlier in the round is rejected.
     */
    private void merge(int k, int round, List<Step> steps) {
        Long parentId = null;
        int stepNo = 0;
        for (Step s : steps) {
            stepNo++;
            Verdict verdict = s.verdict();
            FactorReport report = s.report();
            if (s.factor() != null && s.failure() == null) {
                String dup = duplicateOf(s.factor(), roundStartRecordId, Long.MAX_VALUE);
                if (dup != null) {
                    verdict = judge.duplicate(dup);
                    report = null; // not evaluated as itself: nothing of it is recorded, valid looks included
                } else if (verdict.accepted() && pool.size() > roundStartPool) {
                    Verdict again = judge(s.factor(), s.report(), s.ranks(), pool.subList(roundStartPool,
                            pool.size()), ws, searchBar(k, stepNo), null);
                    if (!again.accepted()) {
                        verdict = again;
                    }
                }
            }
            trials++;
            if (s.failure() != null) {
                invalid++;
            }
            long draftTokens = s.draft().promptTokens() + s.draft().completionTokens();
            tokens += draftTokens + s.judgeIn() + s.judgeOut();
            if (llm instanceof LlmWriter lw) {
                cost += lw.settings().cost(s.draft().promptTokens(), s.draft().completionTokens());
            }
            if (judgeSettings != null) {
                cost += judgeSettings.cost(s.judgeIn(), s.judgeOut());
            }
            long id = record(s.draft(), s.factor(), report, verdict, s.failure(), parentId, round, stepNo,
                    s.usage(), s.vector());
            lastRecordId = id;
            if (verdict.accepted()) {
                admit(id, s.draft(), s.factor(), report, verdict, s.values(), s.ranks());
                return;
            }
            parentId = id;
        }
    }

    /** Drops the candidate in hand when a stop was asked: its Writer and Judge calls can take minutes. */
    private void checkStop() {
        if (stop.getAsBoolean()) {
            throw new Cancelled();
        }
    }

    /** Asks the Writer; an LLM that fails for good becomes an empty draft, recorded as invalid with the reason. */
    private static Draft write(java.util.function.Supplier<Draft> ask) {
        try {
            return ask.get();
        } catch (LlmFailure e) {
            return new Draft("llm-failure", "", "", "", null, e.promptTokens(), e.completionTokens(), e.getMessage());
        }
    }

    /**
     * The search's verdict with novelty against {@code known}: structural overlap always, correlation of train
     * ranks if it passes.
     */
    private Verdict judge(Factor factor, FactorReport report, Evaluation.SplitRanks ranks, List<PoolEntry> known,
                          Evaluation.Workspace w, RuleJudge.Bar bar, List<Book> holding) {
        Map<String, Integer> subtrees = Subtrees.of(factor);
        int overlap = 0;
        String overlapWith = null;
        for (PoolEntry e : known) {
            int common = Subtrees.largestCommon(subtrees, poolSubtrees.get(e.id()));
            if (common > overlap) {
                overlap = common;
                overlapWith = "#" + e.id();
            }
        }
        Verdict first = judge.judgeTrain(report, factor, new Novelty(null, Double.NaN, null, overlap,
                overlapWith), bar, holding);
        if (!first.accepted() || known.isEmpty()) {
            return first;
        }
        // correlation with the pool only for candidates that pass everything else
        double max = 0;
        String with = null;
        for (PoolEntry e : known) {
            double c = evaluation.factorCorrelation(ranks, poolRanks.get(e.id()), w);
            if (c == c && Math.abs(c) > Math.abs(max)) {
                max = c;
                with = "#" + e.id();
            }
            if (Math.abs(max) > config.policy().maxCorrelation()) {
                break;
            }
        }
        if (Math.abs(max) < CORRELATION_CHECK) {
            return first;
        }
        return judge.judgeTrain(report, factor, new Novelty(null, max, with, overlap, overlapWith), bar, holding);
    }

    /** An earlier factor with the same canonical form on this data (record id in (after, upTo]), or null. */
    private String duplicateOf(Factor f, long after, long upTo) {
        for (FactorRecord r : kb.byHash(f.hash())) {
            if (datasetKey.equals(r.datasetKey()) && r.id() > after && r.id() <= upTo) {
                return "#" + r.id();
            }
        }
        return null;
    }

    private long record(Draft d, Factor f, FactorReport report, Verdict v, String failure, Long parentId, int round,
                        int step, Usage usage, float[] vector) {
        FactorRecord.Builder b = f != null ? FactorRecord.builder(f) : FactorRecord.builder(d.formula());
        Status status = failure != null ? Status.INVALID : v.accepted() ? Status.ACCEPTED : Status.REJECTED;
        List<String> reasons = new ArrayList<>();
        if (!d.writerNote().isEmpty()) {
            reasons.add("writer: " + d.writerNote());
        }
        if (!v.accepted()) {
            for (Feedback fb : v.feedback()) {
                if (fb.hard()) {
                    reasons.add(fb.category().name().toLowerCase(java.util.Locale.ROOT) + ": " + fb.message());
                }
            }
        }
        b.name(d.name()).hypothesis(d.hypothesis()).parent(parentId).run(runId, round, step)
                .writer(llm != null ? "llm" : "offline", llm instanceof LlmWriter w ? w.settings().model() : null)
                .status(status, reasons).judge(v.score(), v.summary()).dataset(datasetKey)
                .usage(usage).createdAt(Instant.now());
        if (report != null) {
            SplitStatistics train = report.splits().get(Split.TRAIN);
            SplitStatistics valid = report.splits().get(Split.VALID); // only for a look at the gate
            b.stats(train == null ? null : StoredStats.of(train), valid == null ? null : StoredStats.of(valid), null);
        }
        FactorRecord r = b.build();
        return vector != null ? kb.insert(r, vector) : kb.insert(r);
    }

    private void admit(long id, Draft draft, Factor factor, FactorReport report, Verdict verdict, double[] values,
                       Evaluation.SplitRanks ranks) {
        pool.add(new PoolEntry(id, draft, factor, report, verdict));
        poolRanks.put(id, ranks != null ? ranks : evaluation.splitRanks(values, Split.TRAIN, ws));
        poolSubtrees.put(id, Subtrees.of(factor));
    }

    private void restore(FactorRecord f) {
        Factor factor = evaluation.sandbox().parse(f.formula());
        double[] values = ws.values(factor).clone();
        FactorReport report = evaluation.evaluate(factor, values, ws);
        Draft d = new Draft(f.name(), f.hypothesis(), f.formula(), "", null);
        Verdict v = new Verdict(true, f.judgeScore() == null ? 0 : f.judgeScore(), List.of(), "");
        admit(f.id(), d, factor, report, v, values, null);
    }


    /**
     * The Writer's context for a round, from the knowledge base as it stood at the round's start (factors up to
     * {@link #roundStartRecordId}), so that a resumed run rebuilds it exactly. Successes: this run's best accepted
     * factors, then the best accepted factors of any run on this data near the round's theme. Failures: this run's
     * latest, then those of any run on this data nearest the theme, each with its main reason.
     */
    private void retrieve(int round) {
        java.util.LinkedHashSet<String> successes = new java.util.LinkedHashSet<>(successes(pool.subList(0,
                roundStartPool)));
        Map<String, String> failures = new java.util.LinkedHashMap<>(); // formula -> line for the prompt
        for (FactorRecord f : kb.list(Filter.failures().withRun(runId).upTo(roundStartRecordId),
                KnowledgeBase.Sort.ID_DESC, 10 * RECENT_FAILURES)) {
            if (failures.size() == RECENT_FAILURES) {
                break;
            }
            if (!f.formula().isEmpty()) {
                failures.putIfAbsent(f.formula(), failureLine(f));
            }
        }
        int k = config.retrievalK();
        if (k > 0) {
            String theme = theme(round);
            for (Hit h : kb.bestNear(theme, k, datasetKey, roundStartRecordId)) {
                if (parses(h.factor().formula())) { // the Writer builds on it
                    successes.add(h.factor().formula());
                }
            }
            for (Hit h : kb.failuresNear(theme, k, datasetKey, roundStartRecordId)) {
                if (!h.factor().formula().isEmpty()) {
                    failures.putIfAbsent(h.factor().formula(), failureLine(h.factor()));
                }
            }
        }
        roundSuccesses = List.copyOf(successes);
        roundFailures = List.copyOf(failures.values());
    }

    /** The round's theme, around which the knowledge base is searched: a classic building block, by seed and round. */
    private String theme(int round) {
        return library.get(new java.util.SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * round))
                .nextInt(library.size()));
    }

    private boolean parses(String formula) {
        try {
            evaluation.sandbox().parse(formula);
            return true;
        } catch (FormulaException e) {
            return false;
        }
    }

    /**
     * A failure for the Writer: the formula and its first reason (the Judge's, not the Writer's own note). A factor
     * the gate turned down is only said to have failed out of sample: its valid statistics stay out of the search.
     */
    static String failureLine(FactorRecord f) {
        String reason = "rejected";
        for (String r : f.rejectionReasons()) {
            if (r.startsWith("out_of_sample: ")) {
                reason = "it passed on train but did not hold out of sample";
                break;
            }
            if (!r.startsWith("writer: ")) {
                reason = r.replaceFirst("^[a-z_]+: ", "");
                break;
            }
        }
        return f.formula() + " (" + reason + ")";
    }

    /** Accepted formulas, best train rank IC first: what the next ideas build on. */
    private static List<String> successes(List<PoolEntry> known) {
        List<PoolEntry> sorted = new ArrayList<>(known);
        sorted.sort((a, b) -> Double.compare(b.report().splits().get(Split.TRAIN).rankIc(),
                a.report().splits().get(Split.TRAIN).rankIc()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(10, sorted.size()); i++) {
            out.add(sorted.get(i).draft().formula());
        }
        return out;
    }

    private double bestRankIc() {
        double best = Double.NaN;
        for (PoolEntry e : pool) {
            double r = e.report().splits().get(Split.TRAIN).rankIc();
            if (!(r <= best)) {
                best = r;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------- state

    private void save(RunStatus status, Instant endedAt) {
        RunState state = new RunState(nextCandidate, trials, invalid, lastRecordId, roundStartRecordId,
                roundStartPool, roundStartTrials, roundStartLooks, roundStartAccepted, tokens, cost,
                miningTime().toMillis(), concludedLooks, concludedExtraLooks, summary, figures, testLogged);
        var p = evaluation.panel();
        kb.saveRun(new RunRecord(runId,
                RunSettings.of(config, llm != null, dataSource, evaluation.config()).json(), state.json(), datasetKey, p.dateLabel(0),
                p.dateLabel(p.dateCount() - 1), p.assetCount(), splitsJson(), status,
                (double) nextCandidate / config.totalCandidates(), trials, pool.size(), invalid, tokens, cost,
                startedAt, endedAt));
    }

    private String splitsJson() {
        ObjectNode s = JSON.createObjectNode();
        var p = evaluation.panel();
        for (Split split : Split.values()) {
            s.put(split.key(), evaluation.splits().describe(p, split));
        }
        return s.toString();
    }

    /**
     * The evaluation settings a run was mined with (what its factors' statistics mean), or null for a run stored
     * before they were.
     */
    public static dev.quantagent.evaluator.EvaluationConfig evaluationConfig(RunRecord rec) {
        return RunSettings.read(rec.configJson()).evaluationConfig();
    }

    /**
     * The data a run mined, as a person would recognise it: its symbols and dates, the file it was read from when
     * known, and its key.
     */
    public static String dataOf(RunRecord rec) {
        String source = RunSettings.read(rec.configJson()).data();
        return rec.symbols() + " symbols from " + rec.dataFrom() + " to " + rec.dataTo()
                + (source != null ? ", read from " + source : "") + " (data set key " + rec.dataKey() + ")";
    }

    /**
     * Records where the data came from (a file's path, or the embedded market), for later messages. Saved at once, as
     * it stands: an LLM run's first candidate can take minutes, and a crash meanwhile must not leave a run whose
     * refusal to resume on other data cannot say which file it mined.
     */
    public MiningRun dataSource(String source) {
        this.dataSource = source;
        kb.run(runId).ifPresent(r -> save(r.status(), r.endedAt()));
        return this;
    }

    /**
     * Refuses to resume a run with another kind of Writer than it was mined with; callers check before setting an
     * LLM up, so that an offline run resumed with {@code --writer llm} is not first asked for an API key.
     */
    public static void checkWriter(RunRecord rec, boolean llm) {
        RunSettings.read(rec.configJson()).checkWriter(rec.id(), llm);
    }

    /** How a run searches (rounds, seed, the Judge's thresholds ...), as it was started. */
    public static MiningConfig miningConfig(RunRecord rec) {
        return RunSettings.read(rec.configJson()).miningConfig();
    }
}
