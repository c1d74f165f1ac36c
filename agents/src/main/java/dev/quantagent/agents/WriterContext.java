package dev.quantagent.agents;

import java.util.List;

/**
 * What a Writer knows when it writes: the data's fields and frequency, and what the knowledge base retrieved.
 *
 * @param fields    fields the formulas may use (data columns and derived ones such as {@code returns})
 * @param frequency the data's bar frequency as reports name it
 * @param successes formulas of accepted factors near the current idea, best first
 * @param failures  formulas of instructive failures, with their reasons
 */
public record WriterContext(List<String> fields, String frequency, List<String> successes, List<String> failures) {

    public WriterContext {
        fields = List.copyOf(fields);
        successes = List.copyOf(successes);
        failures = List.copyOf(failures);
    }
}
