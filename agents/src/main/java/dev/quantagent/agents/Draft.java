package dev.quantagent.agents;

/**
 * A Writer's proposal.
 *
 * @param name              short identifier, e.g. {@code reversal-5d}
 * @param hypothesis        the economic idea in a sentence or two
 * @param formula           the factor in the language
 * @param expectedBehaviour what the Writer expects to see (sign of IC, turnover, regime)
 * @param parent            the formula it was refined from, or null for a fresh idea
 */
public record Draft(String name, String hypothesis, String formula, String expectedBehaviour, String parent) {
}
