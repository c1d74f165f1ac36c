package dev.quantagent.agents;

/**
 * A Writer's proposal.
 *
 * @param name              short identifier, e.g. {@code reversal-5d}
 * @param hypothesis        the economic idea in a sentence or two
 * @param formula           the factor in the language
 * @param expectedBehaviour what the Writer expects to see (sign of IC, turnover, regime)
 * @param parent            the formula it was refined from, or null for a fresh idea
 * @param promptTokens      tokens the Writer sent to write it (0 offline)
 * @param completionTokens  tokens it received
 * @param writerNote        what went wrong while writing (malformed replies, retries), or empty
 */
public record Draft(String name, String hypothesis, String formula, String expectedBehaviour, String parent,
                    long promptTokens, long completionTokens, String writerNote) {

    /** A draft that cost no tokens (the offline Writer). */
    public Draft(String name, String hypothesis, String formula, String expectedBehaviour, String parent) {
        this(name, hypothesis, formula, expectedBehaviour, parent, 0, 0, "");
    }
}
