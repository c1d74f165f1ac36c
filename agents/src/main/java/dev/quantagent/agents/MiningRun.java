package dev.quantagent.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Filter;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.RunStatus;
import dev.quantagent.llm.Cancelled;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Sandbox;
import dev.quantagent.sandbox.SubexpressionCache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One mining run, as in QuantAgent (Wang et al. 2024). The inner loop: the Writer drafts a factor, the evaluator
 * backtests it on train, the Judge scores it from train alone, and the Writer refines it until it passes or the
 * steps run out. A factor that passes is looked at on valid once, at the gate ({@link RuleJudge#gate}): accepted if
 * valid confirms it with the evidence the looks at valid on this data demand, rejected otherwise, and the idea ends
 * either way, so valid statistics never steer the search. The outer loop: every outcome (accepted, rejected,
 * invalid) goes to the knowledge base, and each round's Writer retrieves from it: the run's own best accepted factors
 * and latest failures, and the best accepted factors and nearest failures of any run on the same data around the
 * round's theme (a classic building block picked by seed and round). The accepted pool is what later ideas are
 * checked against for novelty.
 *
 * <p>Resumable and reproducible: each candidate's Writer is seeded from (seed, round, candidate) and sees only what
 * the knowledge base held at its round's start (factors up to a saved id), and the run's state is saved after every
 * candidate. A run resumed after a crash or Ctrl-C redoes the interrupted candidate from its start and produces the
 * same factors as an uninterrupted run; it must be resumed with the evaluation settings and the kind of Writer it was
 * started with (both stored with the run). The bars a candidate's evidence must clear are fixed at its round's start
 * from the knowledge base's counts of trials and looks at valid on this data, plus the most the round's earlier
 * candidates could have added, so they do not depend on timing either. Test statistics are computed once, at the
 * end, by {@link #conclude}.
 *
 * <p>A façade: the scheduling, the candidate loop, the merge, the pool's novelty, retrieval and the stored settings
 * and state are package-private parts, listed in the package's description.
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

    private final String runId;
    private final Evaluation evaluation;
    private final KnowledgeBase kb;
    private final String datasetKey;
    private final MiningConfig config;
    /** The LLM Writer, or null for the offline one. */
    private final Writer llm;
    private final RuleJudge judge;
    /** The run's own workspace: the merge's and the conclusion's. */
    private final Evaluation.Workspace ws;
    private final AcceptedPool pool;
    private final CandidateLoop candidates;
    private final CandidateRecorder recorder;
    private final RoundScheduler rounds;
    /** Where the run's data came from (a path, or the embedded market), for messages; null if not told. */
    private String dataSource;
    private Instant startedAt;
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
        this.judge = new RuleJudge(config.policy());
        List<String> fields = Sandbox.fields(evaluation.panel());
        List<String> library = OfflineWriter.buildingBlocks(evaluation.sandbox(), fields);
        List<Concepts.Concept> concepts = OfflineWriter.concepts(evaluation.sandbox(), fields);
        // a quarter of the heap for sub-expression results shared by the run's formulas (refinements keep most of
        // their parent's sub-trees), at most 2 GB
        SubexpressionCache cache = new SubexpressionCache(Math.min(2L << 30, Runtime.getRuntime().maxMemory() / 4));
        this.ws = evaluation.workspace(cache);
        this.pool = new AcceptedPool(evaluation, kb, datasetKey, judge, config.policy().maxCorrelation());
        this.candidates = new CandidateLoop(evaluation, kb, config, judge, pool, llm, fields, library, concepts);
        this.recorder = new CandidateRecorder(runId, kb, datasetKey, config, judge, pool, ws, llm);
        this.rounds = new RoundScheduler(config, evaluation, kb, datasetKey, pool,
                new WriterRetrieval(kb, runId, datasetKey, evaluation.sandbox(), library, config), candidates,
                recorder, ws, cache, status -> save(status, null));
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
        r.recorder.restore(state);
        r.concludedLooks = state.concludedLooks();
        r.concludedExtraLooks = state.extraValidLooks();
        r.summary = state.summary();
        r.figures = state.figures();
        r.testLogged = state.testLogged();
        kb.deleteRunFactorsAfter(runId, state.lastRecordId()); // steps of the interrupted candidate
        for (FactorRecord f : kb.list(Filter.accepted().withRun(runId), KnowledgeBase.Sort.ID, Integer.MAX_VALUE)) {
            r.pool.restore(f, r.ws);
        }
        r.rounds.resume(state);
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
        rounds.sittingBudget(budget);
        return this;
    }

    /** Adds the LLM Judge's critique (and veto) after the rules; null for rules only. */
    public MiningRun withLlmJudge(LlmJudge judge, LlmSettings settings) {
        candidates.llmJudge(judge);
        recorder.judgeSettings(settings);
        return this;
    }

    public MiningConfig config() {
        return config;
    }

    /** Factors this run has tested so far (every step, failures included). */
    public long testedFactors() {
        return recorder.trials();
    }

    public List<PoolEntry> pool() {
        return List.copyOf(pool.entries());
    }

    public boolean finished() {
        return rounds.finished();
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
    public boolean mine(Listener listener, int threads, BooleanSupplier stop) {
        return rounds.mine(listener, threads, stop);
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

    /** Time spent mining over all sittings so far. */
    Duration miningTime() {
        return rounds.miningTime();
    }

    /** The pool factor's ranks over train, as its redundancy checks use them. */
    Evaluation.SplitRanks trainRanks(long id) {
        return pool.trainRanks(id);
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

    // ------------------------------------------------------------------------------------------- state

    /** Saves the run's settings and state with its progress: what a resume continues from. */
    private void save(RunStatus status, Instant endedAt) {
        RoundStart round = rounds.roundStart();
        CandidateRecorder c = recorder;
        RunState state = new RunState(c.nextCandidate(), c.trials(), c.invalid(), c.lastRecordId(), round.recordId(),
                round.poolSize(), round.trials(), round.looks(), round.accepted(), c.tokens(), c.cost(),
                miningTime().toMillis(), concludedLooks, concludedExtraLooks, summary, figures, testLogged);
        String settings = RunSettings.of(config, llm != null, dataSource, evaluation.config()).json();
        var p = evaluation.panel();
        kb.saveRun(new RunRecord(runId, settings, state.json(), datasetKey, p.dateLabel(0),
                p.dateLabel(p.dateCount() - 1), p.assetCount(), splitsJson(), status,
                (double) c.nextCandidate() / config.totalCandidates(), c.trials(), pool.size(), c.invalid(),
                c.tokens(), c.cost(), startedAt, endedAt));
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
    public static EvaluationConfig evaluationConfig(RunRecord rec) {
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
