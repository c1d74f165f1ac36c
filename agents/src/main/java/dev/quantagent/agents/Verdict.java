package dev.quantagent.agents;

import java.util.List;

/**
 * A Judge's decision about one factor.
 *
 * @param accepted whether it joins the pool
 * @param score    0..100, higher is better; comparable across factors of one run
 * @param feedback findings, hard rules first
 * @param critique optional prose from an LLM Judge (empty for the rule Judge)
 */
public record Verdict(boolean accepted, double score, List<Feedback> feedback, String critique) {

    public Verdict {
        feedback = List.copyOf(feedback);
    }

    /** The findings as one paragraph for a Writer's prompt. */
    public String summary() {
        StringBuilder sb = new StringBuilder(accepted ? "Accepted" : "Rejected");
        sb.append(String.format(java.util.Locale.ROOT, " (score %.1f).", score));
        for (Feedback f : feedback) {
            sb.append(' ').append(f.message());
        }
        if (critique != null && !critique.isBlank()) {
            sb.append(' ').append(critique);
        }
        return sb.toString();
    }

    /** Whether any finding has this category. */
    public boolean has(Feedback.Category c) {
        for (Feedback f : feedback) {
            if (f.category() == c) {
                return true;
            }
        }
        return false;
    }
}
