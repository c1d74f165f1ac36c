package dev.quantagent.cli;

import dev.quantagent.evaluator.EvaluationConfig;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import picocli.CommandLine.Option;

/**
 * The evaluation settings shared by eval, mine and report (a picocli mixin). An option left out keeps the setting it
 * is applied over: the defaults for a new evaluation, or what a run was mined with when it is resumed or reported on.
 */
final class EvaluationOptions {

    @Option(names = "--horizon", paramLabel = "H", description = "Holding periods of the label (default 1).")
    Integer horizon;

    @Option(names = "--delay", paramLabel = "0|1",
            description = "Periods from the factor to the trade: 1 trades at the next close (default), 0 at the same.")
    Integer delay;

    @Option(names = "--cost-bps", paramLabel = "BPS", description = "Cost per side in basis points (default 10).")
    Double costBps;

    @Option(names = "--quantiles", paramLabel = "Q", description = "Quantile buckets per date (default 5).")
    Integer quantiles;

    @Option(names = "--splits", paramLabel = "A,B",
            description = "Train and valid fractions (default 0.6,0.2) or the first days of valid and test "
                    + "(2016-01-01,2017-01-01).")
    String splits;

    @Option(names = "--annualization", paramLabel = "N",
            description = "Periods per year (default: inferred; 252 for equities, 365 for daily crypto).")
    Double annualization;

    /** Whether any of these options was given. */
    boolean given() {
        return horizon != null || delay != null || costBps != null || quantiles != null || splits != null
                || annualization != null;
    }

    /** The given options applied over {@code base}; a bad value is a user error naming its option. */
    EvaluationConfig over(EvaluationConfig base) {
        EvaluationConfig c = base;
        try {
            c = horizon != null ? c.withHorizon(horizon) : c;
            c = delay != null ? c.withDelay(delay) : c;
            c = costBps != null ? c.withCostBps(costBps) : c;
            c = quantiles != null ? c.withQuantiles(quantiles) : c;
            c = annualization != null ? c.withPeriodsPerYear(annualization) : c;
            if (splits != null) {
                String[] parts = splits.split(",");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("--splits takes two values, e.g. 0.6,0.2 or "
                            + "2016-01-01,2017-01-01");
                }
                if (parts[0].contains("-")) {
                    c = c.withSplitDates(LocalDate.parse(parts[0].trim()), LocalDate.parse(parts[1].trim()));
                } else {
                    c = c.withFractions(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
                }
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new QuantAgentCli.UserError("--splits: cannot read '" + splits + "' (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
        return c;
    }

    /** The settings in a line, as the options that give them. */
    static String describe(EvaluationConfig c) {
        String split = c.validFrom() != null ? c.validFrom() + "," + c.testFrom()
                : fraction(c.trainFraction()) + "," + fraction(c.validFraction());
        return String.format(Locale.ROOT, "--horizon %d --delay %d --cost-bps %s --quantiles %d --splits %s%s",
                c.horizon(), c.delay(), fraction(c.costBps()), c.quantiles(), split,
                c.periodsPerYear() == null ? "" : " --annualization " + fraction(c.periodsPerYear()));
    }

    private static String fraction(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
