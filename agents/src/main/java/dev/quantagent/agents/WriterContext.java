package dev.quantagent.agents;

import java.util.List;

/**
 * What a Writer knows when it writes: the data's fields and frequency, and what the knowledge base retrieved at the
 * round's start (see {@link MiningRun}).
 *
 * @param fields    fields the formulas may use (data columns and derived ones such as {@code returns})
 * @param frequency the data's bar frequency as reports name it
 * @param successes formulas of accepted factors: the run's best first, then those of any run on the same data near
 *                  the round's theme
 * @param failures  formulas of instructive failures, with their reasons: the run's latest first, then those of any
 *                  run on the same data near the round's theme
 */
public record WriterContext(List<String> fields, String frequency, List<String> successes, List<String> failures) {

    public WriterContext {
        fields = List.copyOf(fields);
        successes = List.copyOf(successes);
        failures = List.copyOf(failures);
    }
}
