package dev.quantagent.agents;

import dev.quantagent.agents.CandidateLoop.Step;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.Status;
import dev.quantagent.knowledge.Usage;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.sandbox.Factor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Outcomes into the knowledge base in candidate order, settling what explorers could not know, and the run's counts.
 */
final class CandidateRecorder {

    private final String runId;
    private final KnowledgeBase kb;
    private final String datasetKey;
    private final MiningConfig config;
    private final RuleJudge judge;
    private final AcceptedPool pool;
    /** The merge's own workspace (explorers have theirs). */
    private final Evaluation.Workspace ws;
    /** The LLM Writer, or null for the offline one. */
    private final Writer llm;
    /** The LLM Judge's prices, or null without one. */
    private LlmSettings judgeSettings;

    private int nextCandidate;
    private long trials;
    private long invalid;
    private long tokens;
    private double cost;
    private long lastRecordId;

    CandidateRecorder(String runId, KnowledgeBase kb, String datasetKey, MiningConfig config, RuleJudge judge,
                      AcceptedPool pool, Evaluation.Workspace ws, Writer llm) {
        this.runId = runId;
        this.kb = kb;
        this.datasetKey = datasetKey;
        this.config = config;
        this.judge = judge;
        this.pool = pool;
        this.ws = ws;
        this.llm = llm;
    }

    /** Continues the counts a saved run reached. */
    void restore(RunState state) {
        nextCandidate = state.nextCandidate();
        trials = state.trials();
        invalid = state.invalid();
        tokens = state.tokens();
        cost = state.cost();
        lastRecordId = state.lastRecordId();
    }

    void judgeSettings(LlmSettings settings) {
        this.judgeSettings = settings;
    }

    /** The first candidate not yet merged. */
    int nextCandidate() {
        return nextCandidate;
    }

    long trials() {
        return trials;
    }

    long invalid() {
        return invalid;
    }

    long tokens() {
        return tokens;
    }

    double cost() {
        return cost;
    }

    /** The last factor record merged (later ones are an interrupted candidate's). */
    long lastRecordId() {
        return lastRecordId;
    }

    /** Records the next candidate's steps, explored in {@code round} against its {@code start}. */
    void mergeNext(int round, RoundStart start, List<Step> steps) {
        merge(nextCandidate, round, start, steps);
        nextCandidate++;
    }

    /**
     * Records a candidate's steps in order. What the explorer could not know is settled here: a factor that another
     * candidate of the same round (merged earlier) already recorded is a duplicate, and an accepted factor too
     * correlated with, or structurally a copy of, one accepted earlier in the round is rejected.
     */
    private void merge(int k, int round, RoundStart start, List<Step> steps) {
        Long parentId = null;
        int stepNo = 0;
        for (Step s : steps) {
            stepNo++;
            Verdict verdict = s.verdict();
            FactorReport report = s.report();
            if (s.factor() != null && s.failure() == null) {
                String dup = pool.duplicateOf(s.factor(), start.recordId(), Long.MAX_VALUE);
                if (dup != null) {
                    verdict = judge.duplicate(dup);
                    report = null; // not evaluated as itself: nothing of it is recorded, valid looks included
                } else if (verdict.accepted() && pool.size() > start.poolSize()) {
                    Verdict again = pool.judge(s.factor(), s.report(), s.ranks(), pool.entries().subList(
                            start.poolSize(), pool.size()), ws, start.searchBar(config, k, stepNo), null);
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
                pool.admit(id, s.draft(), s.factor(), report, verdict, s.values(), s.ranks(), ws);
                return;
            }
            parentId = id;
        }
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
                    reasons.add(fb.category().name().toLowerCase(Locale.ROOT) + ": " + fb.message());
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
}
