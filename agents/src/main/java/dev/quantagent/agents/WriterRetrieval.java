package dev.quantagent.agents;

import dev.quantagent.agents.MiningRun.PoolEntry;
import dev.quantagent.evaluator.Split;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Filter;
import dev.quantagent.knowledge.Hit;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the Writer is shown from the knowledge base at a round's start: the run's and any run's on this data.
 */
final class WriterRetrieval {

    /** This run's latest failures shown to the Writer. */
    private static final int RECENT_FAILURES = 5;
    /** This run's best accepted factors shown to the Writer. */
    private static final int BEST_ACCEPTED = 10;

    /**
     * What the Writer is shown for a round.
     *
     * @param successes accepted formulas to build on
     * @param failures  failed formulas, each with its main reason
     */
    record Shown(List<String> successes, List<String> failures) {
    }

    private final KnowledgeBase kb;
    private final String runId;
    private final String datasetKey;
    private final Sandbox sandbox;
    /** The classic building blocks a round's theme is picked from. */
    private final List<String> library;
    private final int k;
    private final long seed;

    WriterRetrieval(KnowledgeBase kb, String runId, String datasetKey, Sandbox sandbox, List<String> library,
                    MiningConfig config) {
        this.kb = kb;
        this.runId = runId;
        this.datasetKey = datasetKey;
        this.sandbox = sandbox;
        this.library = library;
        this.k = config.retrievalK();
        this.seed = config.seed();
    }

    /**
     * The Writer's context for a round, from the knowledge base as it stood at the round's start (factors up to
     * {@code upToRecordId}), so that a resumed run rebuilds it exactly. Successes: this run's best accepted factors
     * ({@code known}, the pool at the round's start), then the best accepted factors of any run on this data near the
     * round's theme. Failures: this run's latest, then those of any run on this data nearest the theme, each with its
     * main reason.
     */
    Shown forRound(int round, List<PoolEntry> known, long upToRecordId) {
        LinkedHashSet<String> successes = new LinkedHashSet<>(best(known));
        Map<String, String> failures = new LinkedHashMap<>(); // formula -> line for the prompt
        for (FactorRecord f : kb.list(Filter.failures().withRun(runId).upTo(upToRecordId),
                KnowledgeBase.Sort.ID_DESC, 10 * RECENT_FAILURES)) {
            if (failures.size() == RECENT_FAILURES) {
                break;
            }
            if (!f.formula().isEmpty()) {
                failures.putIfAbsent(f.formula(), failureLine(f));
            }
        }
        if (k > 0) {
            String theme = theme(round);
            for (Hit h : kb.bestNear(theme, k, datasetKey, upToRecordId)) {
                if (parses(h.factor().formula())) { // the Writer builds on it
                    successes.add(h.factor().formula());
                }
            }
            for (Hit h : kb.failuresNear(theme, k, datasetKey, upToRecordId)) {
                if (!h.factor().formula().isEmpty()) {
                    failures.putIfAbsent(h.factor().formula(), failureLine(h.factor()));
                }
            }
        }
        return new Shown(List.copyOf(successes), List.copyOf(failures.values()));
    }

    /** The round's theme, around which the knowledge base is searched: a classic building block, by seed and round. */
    private String theme(int round) {
        return library.get(new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * round)).nextInt(library.size()));
    }

    private boolean parses(String formula) {
        try {
            sandbox.parse(formula);
            return true;
        } catch (FormulaException e) {
            return false;
        }
    }

    /**
     * A failure for the Writer: the formula and its first reason (the Judge's, not the Writer's own note). A factor
     * the gate turned down is only said to have failed out of sample: its valid statistics stay out of the search.
     */
    private static String failureLine(FactorRecord f) {
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
    private static List<String> best(List<PoolEntry> known) {
        List<PoolEntry> sorted = new ArrayList<>(known);
        sorted.sort((a, b) -> Double.compare(b.report().splits().get(Split.TRAIN).rankIc(),
                a.report().splits().get(Split.TRAIN).rankIc()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(BEST_ACCEPTED, sorted.size()); i++) {
            out.add(sorted.get(i).draft().formula());
        }
        return out;
    }
}
