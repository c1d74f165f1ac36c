package dev.quantagent.agents;

/**
 * What a Judge found, as a category the offline Writer acts on (high turnover: smooth; redundancy: change the
 * structure; negative IC: flip the sign) and a sentence an LLM Writer reads.
 *
 * @param category what kind of finding
 * @param hard     a hard rule: the factor cannot be accepted, whatever else is said about it
 * @param message  one sentence with the numbers behind it
 */
public record Feedback(Category category, boolean hard, String message) {

    /** Finding categories. */
    public enum Category {
        /** The formula does not parse or evaluate. */
        INVALID,
        /** Same canonical form as a factor already tried. */
        DUPLICATE,
        /** Suspiciously good: likely look-ahead or a data error. */
        LEAKAGE,
        /** Rank IC or its t-statistic on train below the bar. */
        WEAK_SIGNAL,
        /** Predicts well, but in the opposite direction: flip the sign. */
        NEGATIVE_IC,
        /** Trades too much for its edge. */
        HIGH_TURNOVER,
        /** Long-short loses money after costs. */
        COST_DRAG,
        /** Too few assets or dates have a value. */
        LOW_COVERAGE,
        /** Its values are highly correlated with an accepted factor. */
        REDUNDANT,
        /** Mostly a sub-tree of an accepted factor. */
        STRUCTURAL_COPY,
        /** More nodes or parameters than its signal justifies. */
        TOO_COMPLEX,
        /** Much better on train than on valid. */
        OVERFIT,
        /** Found on train, not confirmed on valid: the gate's verdict, which ends the idea. */
        OUT_OF_SAMPLE,
        /** The rank IC's sign does not hold throughout train. */
        UNSTABLE,
        /** Its values compare assets by their price or volume level (price units, a rank of a level). */
        SCALE_DEPENDENT,
        /** Nothing to fix. */
        GOOD
    }
}
