package dev.quantagent.agents;

import dev.quantagent.agents.MiningRun.PoolEntry;
import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Subtrees;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run's accepted factors, and a candidate's novelty: duplicate, structural overlap, correlation of train ranks.
 */
final class AcceptedPool {

    /** Correlation with the pool below this is not reported to the Judge. */
    private static final double CORRELATION_CHECK = 0.5;

    private final Evaluation evaluation;
    private final KnowledgeBase kb;
    private final String datasetKey;
    private final RuleJudge judge;
    private final double maxCorrelation;
    private final List<PoolEntry> entries = new ArrayList<>();
    // read by explorers while the merge adds to them
    private final Map<Long, Evaluation.SplitRanks> trainRanks = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, Integer>> subtrees = new ConcurrentHashMap<>();

    AcceptedPool(Evaluation evaluation, KnowledgeBase kb, String datasetKey, RuleJudge judge, double maxCorrelation) {
        this.evaluation = evaluation;
        this.kb = kb;
        this.datasetKey = datasetKey;
        this.judge = judge;
        this.maxCorrelation = maxCorrelation;
    }

    /** The pool itself, in the order factors were accepted (the merge's thread only). */
    List<PoolEntry> entries() {
        return entries;
    }

    int size() {
        return entries.size();
    }

    /** The pool factor's ranks over train, as its redundancy checks use them. */
    Evaluation.SplitRanks trainRanks(long id) {
        return trainRanks.get(id);
    }

    /** Adds an accepted factor; its train ranks are computed from its values when not given. */
    void admit(long id, Draft draft, Factor factor, FactorReport report, Verdict verdict, double[] values,
               Evaluation.SplitRanks ranks, Evaluation.Workspace ws) {
        entries.add(new PoolEntry(id, draft, factor, report, verdict));
        trainRanks.put(id, ranks != null ? ranks : evaluation.splitRanks(values, Split.TRAIN, ws));
        subtrees.put(id, Subtrees.of(factor));
    }

    /** Adds a factor the run accepted in an earlier sitting, evaluated again. */
    void restore(FactorRecord f, Evaluation.Workspace ws) {
        Factor factor = evaluation.sandbox().parse(f.formula());
        double[] values = ws.values(factor).clone();
        FactorReport report = evaluation.evaluate(factor, values, ws);
        Draft d = new Draft(f.name(), f.hypothesis(), f.formula(), "", null);
        Verdict v = new Verdict(true, f.judgeScore() == null ? 0 : f.judgeScore(), List.of(), "");
        admit(f.id(), d, factor, report, v, values, null, ws);
    }

    /** The best train rank IC in the pool (NaN if empty). */
    double bestTrainRankIc() {
        double best = Double.NaN;
        for (PoolEntry e : entries) {
            double r = e.report().splits().get(Split.TRAIN).rankIc();
            if (!(r <= best)) {
                best = r;
            }
        }
        return best;
    }

    /** An earlier factor with the same canonical form on this data (record id in (after, upTo]), or null. */
    String duplicateOf(Factor f, long after, long upTo) {
        for (FactorRecord r : kb.byHash(f.hash())) {
            if (datasetKey.equals(r.datasetKey()) && r.id() > after && r.id() <= upTo) {
                return "#" + r.id();
            }
        }
        return null;
    }

    /**
     * The search's verdict with novelty against {@code known}: structural overlap always, correlation of train
     * ranks if it passes.
     */
    Verdict judge(Factor factor, FactorReport report, Evaluation.SplitRanks ranks, List<PoolEntry> known,
                  Evaluation.Workspace w, RuleJudge.Bar bar, List<Book> holding) {
        Map<String, Integer> own = Subtrees.of(factor);
        int overlap = 0;
        String overlapWith = null;
        for (PoolEntry e : known) {
            int common = Subtrees.largestCommon(own, subtrees.get(e.id()));
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
            double c = evaluation.factorCorrelation(ranks, trainRanks.get(e.id()), w);
            if (c == c && Math.abs(c) > Math.abs(max)) {
                max = c;
                with = "#" + e.id();
            }
            if (Math.abs(max) > maxCorrelation) {
                break;
            }
        }
        if (Math.abs(max) < CORRELATION_CHECK) {
            return first;
        }
        return judge.judgeTrain(report, factor, new Novelty(null, max, with, overlap, overlapWith), bar, holding);
    }
}
