package dev.quantagent.agents;

import dev.quantagent.agents.MiningRun.PoolEntry;
import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.Usage;
import dev.quantagent.llm.Cancelled;
import dev.quantagent.llm.LlmFailure;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One candidate's inner loop against its round's start: draft, train, Judges, refine, the gate's look at valid.
 */
final class CandidateLoop {

    /**
     * One step of a candidate's inner loop, as explored: what was written, what it scored. Nothing is recorded until
     * the merge.
     *
     * @param report train statistics, and valid ones when the step went to the gate
     * @param values the factor's values when accepted (kept for the pool), else null
     * @param ranks  its train ranks when accepted (for redundancy checks), else null
     * @param vector its embedding, made by the explorer (the merge only stores it)
     */
    record Step(Draft draft, Factor factor, FactorReport report, Verdict verdict, String failure,
                Usage usage, double[] values, Evaluation.SplitRanks ranks, long judgeIn, long judgeOut,
                float[] vector) {
    }

    private final Evaluation evaluation;
    private final KnowledgeBase kb;
    private final MiningConfig config;
    private final RuleJudge judge;
    private final AcceptedPool pool;
    /** The LLM Writer, or null for the offline one (one per candidate, seeded from it). */
    private final Writer llm;
    private final List<String> fields;
    private final List<String> library;
    private final List<Concepts.Concept> concepts;
    /** The LLM Judge after the rules, or null. */
    private volatile Judge llmJudge;

    CandidateLoop(Evaluation evaluation, KnowledgeBase kb, MiningConfig config, RuleJudge judge, AcceptedPool pool,
                  Writer llm, List<String> fields, List<String> library, List<Concepts.Concept> concepts) {
        this.evaluation = evaluation;
        this.kb = kb;
        this.config = config;
        this.judge = judge;
        this.pool = pool;
        this.llm = llm;
        this.fields = fields;
        this.library = library;
        this.concepts = concepts;
    }

    void llmJudge(Judge judge) {
        this.llmJudge = judge;
    }

    /**
     * The inner loop of candidate k, against the pool and the knowledge base as they were at the round's start;
     * dropped ({@link Cancelled}) before its next Writer or Judge call once {@code stop} turns true.
     */
    List<Step> explore(int k, RoundStart start, Evaluation.Workspace w, BooleanSupplier stop) {
        long seed = config.seed() * 1_000_003L + k; // each candidate's own stream
        Writer writer = llm != null ? llm : new OfflineWriter(evaluation.sandbox(), seed, library, concepts, k,
                evaluation.frequency().name());
        List<PoolEntry> known = start.known();
        WriterContext context = new WriterContext(fields, evaluation.frequency().name(), start.successes(),
                start.failures());
        List<Step> steps = new ArrayList<>();
        long t0 = System.nanoTime();
        checkStop(stop);
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
                String duplicateOf = pool.duplicateOf(factor, 0, start.recordId());
                if (duplicateOf != null) {
                    verdict = judge.duplicate(duplicateOf);
                } else {
                    try {
                        values = w.values(factor);
                        RuleJudge.Bar bar = start.searchBar(config, k, step);
                        report = evaluation.evaluate(factor, values, w, Split.TRAIN);
                        verdict = judge.judgeTrain(report, factor, Novelty.NONE, bar, null);
                        List<Book> holding = null;
                        if (verdict.accepted()) {
                            // what only a factor with evidence needs: its books by holding period, its redundancy
                            holding = evaluation.holdingPeriods(values, Split.TRAIN, w,
                                    BookConfig.HOLDING_PERIODS);
                            ranks = evaluation.splitRanks(values, Split.TRAIN, w);
                            verdict = pool.judge(factor, report, ranks, known, w, bar, holding);
                        }
                        Judge reviewer = llmJudge;
                        if (reviewer != null && verdict.accepted()) {
                            // only what the rules accept: the LLM Judge cannot overturn a rejection
                            checkStop(stop);
                            Judge.Judgement reviewed = reviewer.judge(new Judge.Candidate(factor,
                                    draft.hypothesis(), report, Novelty.NONE, bar, holding), verdict);
                            verdict = reviewed.verdict();
                            judgeIn = reviewed.promptTokens();
                            judgeOut = reviewed.completionTokens();
                        }
                        if (verdict.accepted()) {
                            // the gate: the idea's one look at valid, whatever it shows
                            gated = true;
                            report = withValid(report, factor, values, w);
                            Book validBook = null;
                            if (config.policy().requireNet()) {
                                validBook = evaluation.holdingPeriods(values, Split.VALID, w,
                                        RuleJudge.bestNet(holding).rebalanceEvery()).get(0);
                            }
                            verdict = judge.gate(report, start.gateBar(config, k), verdict, validBook);
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
            checkStop(stop);
            draft = write(() -> writer.refine(previous, judged, context));
            writerMs = (System.nanoTime() - w0) / 1_000_000;
        }
        return steps;
    }

    /** The train report with the factor's valid statistics added: the gate's look. */
    private FactorReport withValid(FactorReport report, Factor factor, double[] values, Evaluation.Workspace w) {
        Map<Split, SplitStatistics> both = new EnumMap<>(Split.class);
        both.putAll(report.splits());
        both.putAll(evaluation.evaluate(factor, values, w, Split.VALID).splits());
        return new FactorReport(report.formula(), report.canonical(), report.hash(), both);
    }

    /** Drops the candidate in hand when a stop was asked: its Writer and Judge calls can take minutes. */
    private static void checkStop(BooleanSupplier stop) {
        if (stop.getAsBoolean()) {
            throw new Cancelled();
        }
    }

    /** Asks the Writer; an LLM that fails for good becomes an empty draft, recorded as invalid with the reason. */
    private static Draft write(Supplier<Draft> ask) {
        try {
            return ask.get();
        } catch (LlmFailure e) {
            return new Draft("llm-failure", "", "", "", null, e.promptTokens(), e.completionTokens(), e.getMessage());
        }
    }
}
