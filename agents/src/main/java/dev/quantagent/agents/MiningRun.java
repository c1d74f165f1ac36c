package dev.quantagent.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Filter;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.Stats;
import dev.quantagent.knowledge.Status;
import dev.quantagent.knowledge.Usage;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Subtrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One mining run, as in QuantAgent (Wang et al. 2024). The inner loop: the Writer drafts a factor, the evaluator
 * backtests it on train and valid, the Judge scores it, and the Writer refines it until it passes or the steps run
 * out. The outer loop: every outcome (accepted, rejected, invalid) goes to the knowledge base, and the accepted pool
 * is what later ideas build on and are checked against for novelty.
 *
 * <p>Resumable and reproducible: each candidate's Writer is seeded from (seed, round, candidate) and sees only the
 * pool, which is rebuilt from the knowledge base, and the run's state is saved after every candidate. A run resumed
 * after a crash or Ctrl-C redoes the interrupted candidate from its start and produces the same factors as an
 * uninterrupted run. Test statistics are computed once, at the end, for the accepted pool.
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
     * @param bestRankIc  best valid rank IC in the pool (NaN if empty)
     * @param elapsed     time spent in this process
     * @param tokens      LLM tokens used so far (0 offline)
     * @param cost        their cost in US dollars
     */
    public record Snapshot(int round, int candidate, int total, long trials, long accepted, long invalid,
                           double bestRankIc, Duration elapsed, long tokens, double cost) {
    }

    /** An accepted factor with its statistics. */
    public record PoolEntry(long id, Draft draft, Factor factor, FactorReport report, Verdict verdict) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double CORRELATION_CHECK = 0.5;

    private final String runId;
    private final Evaluation evaluation;
    private final KnowledgeBase kb;
    private final String datasetKey;
    private final MiningConfig config;
    private final RuleJudge judge;
    private final List<String> fields;
    private final List<String> library;
    private final Evaluation.Workspace ws;
    private final List<PoolEntry> pool = new ArrayList<>();
    private final Map<Long, double[]> poolValues = new HashMap<>();
    private final Map<Long, Map<String, Integer>> poolSubtrees = new HashMap<>();
    private final Writer llm;
    private LlmJudge llmJudge;
    private LlmSettings judgeSettings;
    private Novelty lastNovelty = Novelty.NONE;
    private final java.util.Deque<String> recentFailures = new java.util.ArrayDeque<>();
    private long trials;
    private long invalid;
    private long tokens;
    private double cost;
    private long lastRecordId;
    private int nextCandidate;

    private MiningRun(String runId, Evaluation evaluation, KnowledgeBase kb, String datasetKey, MiningConfig config,
                      Writer llm) {
        this.runId = runId;
        this.llm = llm;
        this.evaluation = evaluation;
        this.kb = kb;
        this.datasetKey = datasetKey;
        this.config = config;
        this.judge = new RuleJudge(config.policy());
        this.fields = fieldsOf(evaluation);
        this.library = OfflineWriter.buildingBlocks(evaluation.sandbox(), fields);
        this.ws = evaluation.workspace();
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
        r.save("running", Instant.now(), null);
        return r;
    }

    /**
     * Continues a run from its last completed candidate. The evaluation must be over the same data (checked by the
     * data key) with the same settings; the mining settings come from the knowledge base.
     */
    public static MiningRun resume(String runId, Evaluation evaluation, KnowledgeBase kb, String datasetKey) {
        return resume(runId, evaluation, kb, datasetKey, null);
    }

    /** Resumes with the LLM Writer, or the offline one when {@code llm} is null. */
    public static MiningRun resume(String runId, Evaluation evaluation, KnowledgeBase kb, String datasetKey,
                                   Writer llm) {
        RunRecord rec = kb.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId
                + " in the knowledge base at " + kb.location()));
        if (!datasetKey.equals(rec.dataKey())) {
            throw new IllegalArgumentException("run " + runId + " mined other data (key " + rec.dataKey()
                    + "); resume it with the same --data");
        }
        JsonNode state = readJson(rec.stateJson());
        MiningRun r = new MiningRun(runId, evaluation, kb, datasetKey, configOf(readJson(rec.configJson())), llm);
        r.nextCandidate = state.path("next_candidate").asInt(0);
        r.trials = state.path("trials").asLong(0);
        r.invalid = state.path("invalid").asLong(0);
        r.tokens = state.path("tokens").asLong(0);
        r.cost = state.path("cost").asDouble(0);
        r.lastRecordId = state.path("last_record_id").asLong(0);
        kb.deleteRunFactorsAfter(runId, r.lastRecordId); // steps of the interrupted candidate
        for (FactorRecord f : kb.list(Filter.accepted().withRun(runId), KnowledgeBase.Sort.ID, Integer.MAX_VALUE)) {
            r.restore(f);
        }
        r.pool.sort((a, b) -> Long.compare(a.id(), b.id()));
        return r;
    }

    public String id() {
        return runId;
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

    public List<PoolEntry> pool() {
        return List.copyOf(pool);
    }

    public boolean finished() {
        return nextCandidate >= config.totalCandidates();
    }

    /**
     * Mines until all candidates are done or the time budget is spent.
     *
     * @return whether the run finished (false: stopped by the time budget, resumable)
     */
    public boolean mine(Listener listener) {
        long started = System.nanoTime();
        while (!finished()) {
            if (config.timeBudget() != null && System.nanoTime() - started > config.timeBudget().toNanos()) {
                save("paused", null, null);
                return false;
            }
            int k = nextCandidate;
            int round = k / config.candidatesPerRound() + 1;
            runCandidate(round, k);
            nextCandidate++;
            save("running", null, null);
            listener.candidateDone(new Snapshot(round, nextCandidate, config.totalCandidates(), trials, pool.size(),
                    invalid, bestRankIc(), Duration.ofNanos(System.nanoTime() - started), tokens, cost));
        }
        return true;
    }

    /**
     * The final report: the pool's statistics on the sealed test split. The only moment a run computes them; they
     * are stored with the factors.
     */
    public List<FactorReport> testPool() {
        Evaluation.SealedTest test = evaluation.unsealTest();
        List<FactorReport> out = new ArrayList<>();
        for (PoolEntry e : pool) {
            FactorReport r = test.evaluate(e.factor(), ws);
            kb.setTestStats(e.id(), Stats.of(r.splits().get(Split.TEST)));
            out.add(r);
        }
        save("finished", null, Instant.now());
        return out;
    }

    // ------------------------------------------------------------------------------------------- one candidate

    private void runCandidate(int round, int k) {
        long seed = config.seed() * 1_000_003L + k; // each candidate's own stream
        Writer writer = llm != null ? llm : new OfflineWriter(evaluation.sandbox(), seed, library, 0);
        WriterContext context = new WriterContext(fields, evaluation.frequency().name(), successes(),
                List.copyOf(recentFailures));
        long t0 = System.nanoTime();
        Draft draft = write(() -> writer.draft(context));
        long writerMs = (System.nanoTime() - t0) / 1_000_000;
        Long parentId = null;
        for (int step = 1; step <= config.stepsPerFactor(); step++) {
            trials++;
            tokens += draft.promptTokens() + draft.completionTokens();
            if (llm instanceof LlmWriter w) {
                cost += w.settings().cost(draft.promptTokens(), draft.completionTokens());
            }
            long e0 = System.nanoTime();
            Factor factor = null;
            FactorReport report = null;
            Verdict verdict;
            String failure = null;
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
                String duplicateOf = duplicateOf(factor);
                if (duplicateOf != null) {
                    verdict = judgeDuplicate(duplicateOf);
                } else {
                    try {
                        double[] values = ws.values(factor);
                        report = evaluation.evaluate(factor, values, ws);
                        verdict = judge(factor, report, values);
                        if (llmJudge != null) {
                            long before = llmJudge.promptTokens() + llmJudge.completionTokens();
                            long inBefore = llmJudge.promptTokens();
                            verdict = llmJudge.judge(draft.formula(), draft.hypothesis(), report,
                                    factor.complexity(), lastNovelty);
                            long used = llmJudge.promptTokens() + llmJudge.completionTokens() - before;
                            long usedIn = llmJudge.promptTokens() - inBefore;
                            tokens += used;
                            cost += judgeSettings.cost(usedIn, used - usedIn);
                        }
                    } catch (FormulaException e) {
                        failure = e.getMessage();
                        verdict = judge.invalid(failure);
                    }
                }
            } else {
                verdict = judge.invalid(failure);
            }
            long evalMs = (System.nanoTime() - e0) / 1_000_000;
            if (failure != null) {
                invalid++;
            }
            long id = record(draft, factor, report, verdict, failure, parentId, round, step,
                    new Usage(writerMs, evalMs, 0, draft.promptTokens(), draft.completionTokens()));
            lastRecordId = id;
            if (verdict.accepted()) {
                admit(id, draft, factor, report, verdict);
                return;
            }
            parentId = id;
            rememberFailure(draft, verdict);
            if (step < config.stepsPerFactor()) {
                long w0 = System.nanoTime();
                Draft previous = draft;
                Verdict judged = verdict;
                draft = write(() -> writer.refine(previous, judged, context));
                writerMs = (System.nanoTime() - w0) / 1_000_000;
            }
        }
    }

    /** Asks the Writer; an LLM that fails for good becomes an empty draft, recorded as invalid with the reason. */
    private static Draft write(java.util.function.Supplier<Draft> ask) {
        try {
            return ask.get();
        } catch (LlmWriter.LlmFailure e) {
            return new Draft("llm-failure", "", "", "", null, e.promptTokens(), e.completionTokens(), e.getMessage());
        }
    }

    /** The last few failures, with their main reason, for the LLM Writer's prompt. */
    private void rememberFailure(Draft d, Verdict v) {
        if (d.formula().isEmpty()) {
            return;
        }
        String reason = v.feedback().isEmpty() ? "rejected" : v.feedback().get(0).message();
        recentFailures.addFirst(d.formula() + " (" + reason + ")");
        while (recentFailures.size() > 5) {
            recentFailures.removeLast();
        }
    }

    private Verdict judge(Factor factor, FactorReport report, double[] values) {
        Map<String, Integer> subtrees = Subtrees.of(factor);
        int overlap = 0;
        String overlapWith = null;
        for (PoolEntry e : pool) {
            int common = Subtrees.largestCommon(subtrees, poolSubtrees.get(e.id()));
            if (common > overlap) {
                overlap = common;
                overlapWith = "#" + e.id();
            }
        }
        lastNovelty = new Novelty(null, Double.NaN, null, overlap, overlapWith);
        Verdict first = judge.judge(report, factor.complexity(), lastNovelty);
        if (!first.accepted() || pool.isEmpty()) {
            return first;
        }
        // correlation with the pool costs a pass per pooled factor: only for candidates that pass everything else
        double max = 0;
        String with = null;
        for (PoolEntry e : pool) {
            double c = evaluation.factorCorrelation(values, poolValues.get(e.id()), Split.VALID, ws);
            if (c == c && Math.abs(c) > Math.abs(max)) {
                max = c;
                with = "#" + e.id();
            }
            if (Math.abs(max) > config.policy().maxCorrelation()) {
                break;
            }
        }
        lastNovelty = new Novelty(null, Math.abs(max) < CORRELATION_CHECK ? Double.NaN : max, with, overlap,
                overlapWith);
        return Math.abs(max) < CORRELATION_CHECK ? first : judge.judge(report, factor.complexity(), lastNovelty);
    }

    private Verdict judgeDuplicate(String of) {
        return new Verdict(false, 0, List.of(new Feedback(Feedback.Category.DUPLICATE, true,
                "It is the same factor as " + of + " (identical canonical form); propose a structurally different "
                        + "idea.")), "");
    }

    /** An earlier factor with the same canonical form on this data, from any run, or null. */
    private String duplicateOf(Factor f) {
        for (FactorRecord r : kb.byHash(f.hash())) {
            if (datasetKey.equals(r.datasetKey())) {
                return "#" + r.id();
            }
        }
        return null;
    }

    private long record(Draft d, Factor f, FactorReport report, Verdict v, String failure, Long parentId, int round,
                        int step, Usage usage) {
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
            b.stats(Stats.of(report.splits().get(Split.TRAIN)), Stats.of(report.splits().get(Split.VALID)), null);
        }
        return kb.insert(b.build());
    }

    private void admit(long id, Draft draft, Factor factor, FactorReport report, Verdict verdict) {
        pool.add(new PoolEntry(id, draft, factor, report, verdict));
        poolValues.put(id, ws.values(factor).clone());
        poolSubtrees.put(id, Subtrees.of(factor));
    }

    private void restore(FactorRecord f) {
        Factor factor = evaluation.sandbox().parse(f.formula());
        FactorReport report = evaluation.evaluate(factor, ws.values(factor), ws);
        Draft d = new Draft(f.name(), f.hypothesis(), f.formula(), "", null);
        Verdict v = judge.judge(report, factor.complexity(), Novelty.NONE);
        admit(f.id(), d, factor, report, v);
    }

    /** Accepted formulas, best valid rank IC first: what the next ideas build on. */
    private List<String> successes() {
        List<PoolEntry> sorted = new ArrayList<>(pool);
        sorted.sort((a, b) -> Double.compare(b.report().splits().get(Split.VALID).rankIc(),
                a.report().splits().get(Split.VALID).rankIc()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(10, sorted.size()); i++) {
            out.add(sorted.get(i).draft().formula());
        }
        return out;
    }

    private double bestRankIc() {
        double best = Double.NaN;
        for (PoolEntry e : pool) {
            double r = e.report().splits().get(Split.VALID).rankIc();
            if (!(r <= best)) {
                best = r;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------- state

    private void save(String status, Instant startedAt, Instant endedAt) {
        Optional<RunRecord> old = kb.run(runId);
        ObjectNode state = JSON.createObjectNode();
        state.put("next_candidate", nextCandidate);
        state.put("trials", trials);
        state.put("invalid", invalid);
        state.put("last_record_id", lastRecordId);
        state.put("tokens", tokens);
        state.put("cost", cost);
        var p = evaluation.panel();
        kb.saveRun(new RunRecord(runId, configJson(config), state.toString(), datasetKey, p.dateLabel(0),
                p.dateLabel(p.dateCount() - 1), p.assetCount(), splitsJson(), status,
                (double) nextCandidate / config.totalCandidates(), trials, pool.size(), invalid, tokens, cost,
                startedAt != null ? startedAt : old.map(RunRecord::startedAt).orElse(Instant.now()), endedAt));
    }

    private String splitsJson() {
        ObjectNode s = JSON.createObjectNode();
        var p = evaluation.panel();
        for (Split split : Split.values()) {
            s.put(split.key(), evaluation.splits().describe(p, split));
        }
        return s.toString();
    }

    static String configJson(MiningConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("rounds", c.rounds());
        o.put("candidates_per_round", c.candidatesPerRound());
        o.put("steps_per_factor", c.stepsPerFactor());
        o.put("seed", c.seed());
        if (c.timeBudget() != null) {
            o.put("time_budget_seconds", c.timeBudget().toSeconds());
        }
        JudgePolicy p = c.policy();
        ObjectNode j = o.putObject("judge");
        j.put("min_rank_ic", p.minRankIc());
        j.put("min_rank_icir", p.minRankIcir());
        j.put("min_sharpe", p.minSharpe());
        j.put("max_turnover", p.maxTurnover());
        j.put("min_coverage", p.minCoverage());
        j.put("max_correlation", p.maxCorrelation());
        j.put("max_overlap_share", p.maxOverlapShare());
        j.put("max_nodes", p.maxNodes());
        j.put("min_valid_over_train", p.minValidOverTrain());
        j.put("suspicious_rank_ic", p.suspiciousRankIc());
        return o.toString();
    }

    static MiningConfig configOf(JsonNode o) {
        JsonNode j = o.path("judge");
        JudgePolicy d = JudgePolicy.DEFAULT;
        JudgePolicy p = new JudgePolicy(j.path("min_rank_ic").asDouble(d.minRankIc()),
                j.path("min_rank_icir").asDouble(d.minRankIcir()), j.path("min_sharpe").asDouble(d.minSharpe()),
                j.path("max_turnover").asDouble(d.maxTurnover()), j.path("min_coverage").asDouble(d.minCoverage()),
                j.path("max_correlation").asDouble(d.maxCorrelation()),
                j.path("max_overlap_share").asDouble(d.maxOverlapShare()), j.path("max_nodes").asInt(d.maxNodes()),
                j.path("min_valid_over_train").asDouble(d.minValidOverTrain()),
                j.path("suspicious_rank_ic").asDouble(d.suspiciousRankIc()));
        Duration budget = o.has("time_budget_seconds") ? Duration.ofSeconds(o.get("time_budget_seconds").asLong())
                : null;
        return new MiningConfig(o.path("rounds").asInt(), o.path("candidates_per_round").asInt(),
                o.path("steps_per_factor").asInt(), o.path("seed").asLong(), budget, p);
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text == null ? "{}" : text);
        } catch (IOException e) {
            throw new UncheckedIOException("damaged run state in the knowledge base", e);
        }
    }

    private static List<String> fieldsOf(Evaluation ev) {
        List<String> f = new ArrayList<>(ev.panel().fieldNames());
        if (ev.panel().hasField("close") && !f.contains("returns")) {
            f.add("returns");
        }
        if (ev.panel().hasField("high") && ev.panel().hasField("low") && !f.contains("vwap")) {
            f.add("vwap");
        }
        return List.copyOf(f);
    }
}
