package dev.quantagent.sandbox;

import java.time.Duration;

/**
 * Hard limits that keep untrusted formulas (from an LLM or a stranger) cheap to reject and bounded to run. Every
 * limit is checked before any panel-sized work starts, except the time budget, which kernels check as they go.
 *
 * @param maxFormulaLength characters in the formula text
 * @param maxNodes         nodes of the syntax tree
 * @param maxDepth         nesting depth of the syntax tree
 * @param maxWindow        longest window or lag in rows (windows must also fit the panel)
 * @param maxMemoryBytes   estimated peak memory of intermediate results during evaluation
 * @param timeBudget       wall-clock budget for one evaluation
 */
public record Limits(int maxFormulaLength, int maxNodes, int maxDepth, int maxWindow, long maxMemoryBytes,
                     Duration timeBudget) {

    /** Generous for any published formula (Alpha101's longest has about 100 nodes), tight for abuse. */
    public static final Limits DEFAULT = new Limits(8_192, 1_000, 64, 5_000, 1L << 30, Duration.ofSeconds(30));

    public Limits {
        if (maxFormulaLength < 1 || maxNodes < 1 || maxDepth < 1 || maxWindow < 1 || maxMemoryBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (timeBudget == null || timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("time budget must be positive");
        }
    }

    public Limits withTimeBudget(Duration budget) {
        return new Limits(maxFormulaLength, maxNodes, maxDepth, maxWindow, maxMemoryBytes, budget);
    }

    public Limits withMaxMemoryBytes(long bytes) {
        return new Limits(maxFormulaLength, maxNodes, maxDepth, maxWindow, bytes, timeBudget);
    }
}
