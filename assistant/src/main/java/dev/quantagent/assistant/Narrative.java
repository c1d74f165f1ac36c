package dev.quantagent.assistant;

import java.util.List;

/**
 * What a language model wrote about one report, after its numbers were checked against the computed figures; or,
 * when no acceptable narrative came back, why the rule-based report stands alone.
 *
 * @param model      the model asked
 * @param summary    the model's summary, or null when its narrative was not used
 * @param deepenings per recommendation of the report, in its order: the model's deepening, or "" for none
 * @param fallback   why the narrative was not used, or null when it was
 * @param rejected   what was wrong with each reply that was sent back or discarded
 * @param replies    replies received
 * @param cost       in US dollars, from the settings' prices
 */
public record Narrative(String model, String summary, List<String> deepenings, String fallback, List<String> rejected,
                        int replies, long promptTokens, long completionTokens, double cost) {

    public Narrative {
        deepenings = List.copyOf(deepenings);
        rejected = List.copyOf(rejected);
    }

    /** True when the report carries the model's text. */
    public boolean used() {
        return fallback == null;
    }

    public long tokens() {
        return promptTokens + completionTokens;
    }
}
