package dev.quantagent.agents;

import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.PoolSignal;

/**
 * How a run concludes (see {@link Conclusion}): kept with the run, so that a resumed run concludes as it would have.
 *
 * @param poolMethod how the pool is combined, or null to keep the best of all methods on valid
 * @param baseline   {@code alpha101} or {@code alpha158} to put through the same selection, or null for none
 * @param books      the portfolios the pool signal drives
 */
public record FinishConfig(PoolSignal.Method poolMethod, String baseline, BookConfig books) {

    /** The best method on valid, no baseline, the default books. */
    public static final FinishConfig DEFAULT = new FinishConfig(null, null, BookConfig.DEFAULT);

    public FinishConfig {
        if (baseline != null && !baseline.equals("alpha101") && !baseline.equals("alpha158")) {
            throw new IllegalArgumentException("unknown baseline '" + baseline + "': choose alpha101 or alpha158");
        }
        if (books == null) {
            throw new IllegalArgumentException("give the books' settings");
        }
    }
}
