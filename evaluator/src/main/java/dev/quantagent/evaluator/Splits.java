package dev.quantagent.evaluator;

import dev.quantagent.sandbox.Panel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Chronological train / valid / test date ranges, by index: train [0, validStart), valid [validStart, testStart),
 * test [testStart, dates). The last {@code purge} dates of train and valid are left out of their statistics, because
 * their labels are realised with prices from the next split (a label at t reads closes up to t + delay + horizon).
 *
 * @param validStart first date index of the valid split
 * @param testStart  first date index of the test split
 * @param dates      number of dates of the panel
 * @param purge      dates dropped at the end of train and valid (delay + horizon)
 */
public record Splits(int validStart, int testStart, int dates, int purge) {

    public Splits {
        if (validStart < 1 || testStart <= validStart || testStart >= dates) {
            throw new IllegalArgumentException("splits need non-empty train, valid and test ranges (train ends at "
                    + validStart + ", valid at " + testStart + ", of " + dates + " dates)");
        }
        if (purge >= validStart || purge >= testStart - validStart) {
            boolean train = purge >= validStart;
            throw new IllegalArgumentException("labels " + purge + " periods long (delay + horizon) leave no date of "
                    + (train ? "train (" + validStart : "valid (" + (testStart - validStart)) + " dates) to evaluate: "
                    + "the last " + purge + " dates of train and of valid are left out, since their labels need the "
                    + "next split's prices; use a shorter --horizon or longer splits");
        }
    }

    /** Splits by fractions of the dates, e.g. 0.6 and 0.2 (test gets the rest). */
    public static Splits byFraction(int dates, double train, double valid, int purge) {
        if (!(train > 0) || !(valid > 0) || train + valid >= 1.0) {
            throw new IllegalArgumentException("split fractions must be positive and leave a test split, got "
                    + train + ", " + valid);
        }
        return new Splits((int) Math.round(train * dates), (int) Math.round((train + valid) * dates), dates, purge);
    }

    /** Splits at the first dates on or after validFrom and testFrom. */
    public static Splits byDate(Panel panel, LocalDate validFrom, LocalDate testFrom, int purge) {
        return new Splits(firstOnOrAfter(panel, validFrom), firstOnOrAfter(panel, testFrom), panel.dateCount(), purge);
    }

    private static int firstOnOrAfter(Panel panel, LocalDate day) {
        long s = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        for (int t = 0; t < panel.dateCount(); t++) {
            if (panel.date(t) >= s) {
                return t;
            }
        }
        return panel.dateCount();
    }

    /** First date index whose statistics count for a split. */
    public int from(Split s) {
        return switch (s) {
            case TRAIN -> 0;
            case VALID -> validStart;
            case TEST -> testStart;
        };
    }

    /** One past the last date index whose statistics count (purged for train and valid). */
    public int to(Split s) {
        return switch (s) {
            case TRAIN -> Math.max(0, validStart - purge);
            case VALID -> Math.max(validStart, testStart - purge);
            case TEST -> dates;
        };
    }

    /** The split a date index belongs to (ignoring the purge). */
    public Split of(int t) {
        return t < validStart ? Split.TRAIN : t < testStart ? Split.VALID : Split.TEST;
    }

    /** e.g. {@code 2013-02-08 .. 2016-02-05} for reports. */
    public String describe(Panel panel, Split s) {
        int to = s == Split.TEST ? dates : from(s == Split.TRAIN ? Split.VALID : Split.TEST);
        return day(panel, from(s)) + " .. " + day(panel, to - 1);
    }

    private static String day(Panel panel, int t) {
        return Instant.ofEpochSecond(panel.date(t)).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
