package dev.quantagent.agents;

import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.sandbox.Factor;

import java.util.List;

/**
 * A Judge of the search: decides on a candidate from its train evidence. A run asks its {@link RuleJudge} first and
 * then, about what the rules accepted, an {@link LlmJudge} when it has one; each answers with its verdict and what
 * the verdict cost.
 */
public interface Judge {

    /**
     * The verdict on a candidate.
     *
     * @param before the verdict of the Judge asked before this one, or null when this one is the first
     */
    Judgement judge(Candidate candidate, Verdict before);

    /**
     * What a Judge is shown of one candidate.
     *
     * @param factor     the formula as written, parsed
     * @param hypothesis the Writer's hypothesis (may be empty)
     * @param report     its train statistics
     * @param novelty    how it relates to what is already known
     * @param bar        the evidence the search demands now
     * @param holding    the quantile long-short on train per holding period, or null when not computed
     */
    record Candidate(Factor factor, String hypothesis, FactorReport report, Novelty novelty, RuleJudge.Bar bar,
                     List<Book> holding) {
    }

    /**
     * A verdict and the model tokens it took (0 for the rules).
     *
     * @param promptTokens     tokens sent to a model
     * @param completionTokens tokens a model returned
     */
    record Judgement(Verdict verdict, long promptTokens, long completionTokens) {
    }
}
