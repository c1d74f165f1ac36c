package dev.quantagent.sandbox;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The wall-clock budget of one evaluation, plus an external cancel switch; kernels call {@link #check()} often. */
final class Deadline {

    private static final BooleanSupplier NEVER = () -> false;

    private final long deadlineNanos;
    private final Duration budget;
    private final BooleanSupplier cancelled;

    Deadline(Duration budget, BooleanSupplier cancelled) {
        this.budget = budget;
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
        this.cancelled = cancelled == null ? NEVER : cancelled;
    }

    static Deadline unlimited() {
        return new Deadline(Duration.ofDays(365), null);
    }

    void check() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new FormulaException(FormulaException.Kind.TIMEOUT, -1,
                    "evaluation exceeded its time budget of " + budget.toMillis() + " ms");
        }
        if (cancelled.getAsBoolean()) {
            throw new FormulaException(FormulaException.Kind.CANCELLED, -1, "evaluation was cancelled");
        }
    }
}
