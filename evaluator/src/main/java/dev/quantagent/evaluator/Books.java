package dev.quantagent.evaluator;

import dev.quantagent.sandbox.CrossSectionalRanks;

import java.util.Arrays;
import java.util.Locale;

/**
 * Runs the portfolios of {@link Book} bar by bar over date-major factor values and one-bar returns. Positions are
 * values that drift with their assets' returns between rebalances (a book held 20 bars earns each name's compounded
 * return, as buying and holding it would); a rebalance trades each position to its target and pays the cost per side
 * on the value traded. Gross returns follow the positions; net returns are gross returns less the costs of the bar's
 * trades, each as a share of the book's value before trading (the convention of {@link Evaluation}'s long-short).
 * A name with no return on a bar keeps its value.
 */
final class Books {

    private final double[] factor;
    private final double[] returns;
    private final long[] time;
    private final int assets;
    private final double cost;
    private final double periodsPerYear;
    private final CrossSectionalRanks ranks;
    /** Said after a book's rebalance interval when it was chosen rather than given. */
    private String everyNote = "";

    /**
     * @param factor         date-major factor values (NaN missing)
     * @param returns        date-major one-bar returns of the trade each date's factor value leads to (NaN missing)
     * @param time           each date's epoch seconds
     * @param cost           cost per side as a fraction of the value traded
     * @param periodsPerYear bars a year
     */
    Books(double[] factor, double[] returns, long[] time, int assets, double cost, double periodsPerYear) {
        this.factor = factor;
        this.returns = returns;
        this.time = time;
        this.assets = assets;
        this.cost = cost;
        this.periodsPerYear = periodsPerYear;
        this.ranks = new CrossSectionalRanks(assets);
    }

    /** The bars of a book as they are run. */
    private final class Ledger {
        final long[] at;
        final double[] gross;
        final double[] net;
        final double[] market;
        int n;
        double turnoverSum;
        int turnoverCount;

        Ledger(int capacity) {
            at = new long[capacity];
            gross = new double[capacity];
            net = new double[capacity];
            market = new double[capacity];
        }

        void bar(int t, double grossReturn, double costShare) {
            at[n] = time[t];
            gross[n] = grossReturn;
            net[n] = grossReturn - costShare;
            market[n] = marketReturn(t);
            n++;
        }

        void turned(double share) {
            turnoverSum += share;
            turnoverCount++;
        }

        Book book(String kind, String description, int every, boolean longOnly) {
            return new Book(kind, description, every, PortfolioMetrics.of(gross, 0, n, periodsPerYear),
                    PortfolioMetrics.of(net, 0, n, periodsPerYear),
                    turnoverCount == 0 ? Double.NaN : turnoverSum / turnoverCount,
                    longOnly ? Book.Excess.of(gross, market, n, periodsPerYear) : null,
                    longOnly ? Book.Excess.of(net, market, n, periodsPerYear) : null, Arrays.copyOf(at, n),
                    Arrays.copyOf(gross, n), Arrays.copyOf(net, n), Arrays.copyOf(market, n));
        }
    }

    /** The books run from here on say that their rebalance interval was chosen, and how. */
    Books noting(String note) {
        this.everyNote = note;
        return this;
    }

    /** The equal-weight market's return over bar t: the mean one-bar return of the names that have one. */
    private double marketReturn(int t) {
        double sum = 0;
        int n = 0;
        int row = t * assets;
        for (int a = 0; a < assets; a++) {
            double y = returns[row + a];
            if (y == y) {
                sum += y;
                n++;
            }
        }
        return n == 0 ? 0.0 : sum / n;
    }

    /**
     * How a long-short book picks its names at a rebalance: given bar t's tradeable row of factor values (NaN where a
     * name has no value or no return), the held positions and the equity, it fills the long and short targets (values
     * summing to the equity per side) and says whether a book could be formed (else the old one is held).
     */
    private interface Picker {
        boolean pick(double[] row, int valid, double[] longs, double[] shorts, double equity, double[] targetLong,
                     double[] targetShort);
    }

    /** Runs a long-short book: picked every {@code every} bars, held in between, its positions drifting. */
    private Ledger longShort(int from, int to, int every, Picker picker) {
        Ledger ledger = new Ledger(to - from);
        double[] longs = new double[assets];
        double[] shorts = new double[assets];
        double[] targetLong = new double[assets];
        double[] targetShort = new double[assets];
        double[] row = new double[assets];
        boolean invested = false;
        double equity = 1; // the capital and the gains so far: what a rebalance spreads over each book
        for (int t = from; t < to; t++) {
            double costShare = 0;
            if ((t - from) % every == 0) {
                int valid = tradeableRow(t, row);
                if (picker.pick(row, valid, longs, shorts, equity, targetLong, targetShort)) {
                    costShare = trade(longs, shorts, targetLong, targetShort, equity, invested, ledger);
                    invested = true;
                }
            }
            if (invested) {
                double gain = drift(longs, t) - drift(shorts, t);
                ledger.bar(t, gain / equity, costShare);
                equity += gain;
            }
        }
        return ledger;
    }

    /**
     * The quantile long-short (top bucket long, bottom bucket short, equal weights, pandas' qcut buckets over the
     * names with a value and a return) formed every {@code every} bars and held in between.
     */
    Book quantileLongShort(int from, int to, int quantiles, int every) {
        double[] less = new double[assets];
        int[] bucketOfLess = new int[assets];
        int[] bucketsFor = {-1}; // the count the table was built for: it depends on nothing else
        Ledger ledger = longShort(from, to, every, (row, valid, longs, shorts, equity, targetLong, targetShort) -> {
            if (valid < quantiles) {
                return false;
            }
            ranks.rankInPlace(row, 0, assets, less);
            if (valid != bucketsFor[0]) {
                Evaluation.bucketOfPosition(bucketOfLess, valid, quantiles);
                bucketsFor[0] = valid;
            }
            int top = 0;
            int bottom = 0;
            for (int a = 0; a < assets; a++) {
                if (row[a] == row[a]) {
                    int k = bucketOfLess[(int) less[a]];
                    top += k == quantiles - 1 ? 1 : 0;
                    bottom += k == 0 ? 1 : 0;
                }
            }
            if (top == 0 || bottom == 0) {
                return false;
            }
            for (int a = 0; a < assets; a++) {
                int k = row[a] == row[a] ? bucketOfLess[(int) less[a]] : -1;
                targetLong[a] = k == quantiles - 1 ? equity / top : 0.0;
                targetShort[a] = k == 0 ? equity / bottom : 0.0;
            }
            return true;
        });
        return ledger.book("long_short", String.format(Locale.ROOT, "top %s long, bottom %s short, held %d bar%s",
                fraction(quantiles), fraction(quantiles), every, every == 1 ? "" : "s"), every, false);
    }

    /**
     * The quantile long-short with a buffer: a name enters the long book in the top quantile and stays until it falls
     * below the top {@code 1 + buffer} quantiles (the short book mirrors it), so names near the edge are not traded
     * back and forth. Each rebalance re-weights both books equally.
     */
    Book bufferedLongShort(int from, int to, int quantiles, int buffer, int every) {
        double enter = 1.0 / quantiles;
        double stay = Math.min(0.5, (1.0 + buffer) / quantiles); // a name is never both long and short
        Ledger ledger = longShort(from, to, every, (row, valid, longs, shorts, equity, targetLong, targetShort) -> {
            if (valid < quantiles) {
                return false;
            }
            ranks.rankInPlace(row, 0, assets); // percentiles in (0, 1], ties averaged
            int nLong = 0;
            int nShort = 0;
            for (int a = 0; a < assets; a++) {
                double p = row[a];
                boolean isLong = p == p && (p > 1 - enter || longs[a] > 0 && p > 1 - stay);
                boolean isShort = p == p && !isLong && (p <= enter || shorts[a] > 0 && p <= stay);
                targetLong[a] = isLong ? 1 : 0;
                targetShort[a] = isShort ? 1 : 0;
                nLong += isLong ? 1 : 0;
                nShort += isShort ? 1 : 0;
            }
            if (nLong == 0 || nShort == 0) {
                return false;
            }
            for (int a = 0; a < assets; a++) {
                targetLong[a] *= equity / nLong;
                targetShort[a] *= equity / nShort;
            }
            return true;
        });
        return ledger.book("buffered_long_short", String.format(Locale.ROOT, "enter the top and bottom %s, leave "
                + "beyond the top and bottom %s, every %s", fraction(quantiles), percent(stay), bars(every)), every,
                false);
    }

    /**
     * Qlib's TopkDropoutStrategy (its defaults: sell the worst-ranked held names, buy the best-ranked others): hold
     * {@code topk} names; at each rebalance rank the held names and the best {@code dropout + topk - held} others by
     * today's score, sell the held names among the last {@code dropout} of that ranking, and split the cash equally
     * over the best others, as many as keep the book at {@code topk}. Held names without a score rank last. Long
     * only, measured against the equal-weight market.
     */
    Book topkDropout(int from, int to, int topk, int dropout, int every) {
        Ledger ledger = new Ledger(to - from);
        double[] value = new double[assets];
        boolean[] held = new boolean[assets];
        double cash = 1;
        Integer[] order = new Integer[assets];
        double[] score = new double[assets];
        boolean[] today = new boolean[assets];
        int[] todayInOrder = new int[assets];
        boolean invested = false;
        for (int t = from; t < to; t++) {
            double equity = cash + sum(value);
            double costShare = 0;
            if ((t - from) % every == 0) {
                int candidates = tradeableRow(t, score); // only names that trade on the bar have a score
                if (candidates > 0) {
                    for (int a = 0; a < assets; a++) {
                        order[a] = a;
                    }
                    // best first, missing last, ties by index: a stable, deterministic order
                    Arrays.sort(order, (x, y) -> {
                        double sx = score[x];
                        double sy = score[y];
                        if (sx != sx || sy != sy) {
                            return sx != sx ? (sy != sy ? Integer.compare(x, y) : 1) : -1;
                        }
                        int c = Double.compare(sy, sx);
                        return c != 0 ? c : Integer.compare(x, y);
                    });
                    int heldCount = 0;
                    for (boolean h : held) {
                        heldCount += h ? 1 : 0;
                    }
                    // today: the best names not held, as many as could be needed
                    int wanted = Math.max(0, dropout + topk - heldCount);
                    Arrays.fill(today, false);
                    int nToday = 0;
                    for (int i = 0; i < assets && nToday < wanted; i++) {
                        int a = order[i];
                        if (!held[a] && score[a] == score[a]) {
                            today[a] = true;
                            todayInOrder[nToday++] = a;
                        }
                    }
                    // the combined ranking of held and today's names; the held among its last `dropout` are sold
                    int combined = heldCount + nToday;
                    int position = 0;
                    double sold = 0;
                    int nSold = 0;
                    for (int i = 0; i < assets; i++) {
                        int a = order[i];
                        if (!held[a] && !today[a]) {
                            continue;
                        }
                        if (held[a] && position >= combined - dropout) {
                            sold += value[a];
                            cash += value[a];
                            value[a] = 0;
                            held[a] = false;
                            nSold++;
                        }
                        position++;
                    }
                    int nBuy = Math.min(nToday, nSold + topk - heldCount);
                    double bought = 0;
                    if (nBuy > 0) {
                        double each = cash / nBuy;
                        for (int i = 0; i < nBuy; i++) {
                            int a = todayInOrder[i];
                            value[a] = each;
                            held[a] = true;
                        }
                        bought = cash;
                        cash = 0;
                    }
                    if (bought > 0 || sold > 0) {
                        costShare = cost * (bought + sold) / equity;
                        if (invested) {
                            ledger.turned((bought + sold) / 2 / equity);
                        }
                        invested = true;
                    }
                }
            }
            if (invested) {
                ledger.bar(t, drift(value, t) / equity, costShare);
            }
        }
        return ledger.book("topk_dropout", String.format(Locale.ROOT, "top %d, at most %d replaced per rebalance, "
                + "every %s, long only against the equal-weight market", topk, dropout, bars(every)), every, true);
    }

    /**
     * Trades both books to their targets; returns the bar's cost as a share of the book's value and counts the
     * turnover (each book's replaced share, averaged) unless it is the first purchase.
     */
    private double trade(double[] longs, double[] shorts, double[] targetLong, double[] targetShort, double equity,
                         boolean invested, Ledger ledger) {
        double longChange = 0;
        double shortChange = 0;
        for (int a = 0; a < assets; a++) {
            longChange += Math.abs(targetLong[a] - longs[a]);
            shortChange += Math.abs(targetShort[a] - shorts[a]);
            longs[a] = targetLong[a];
            shorts[a] = targetShort[a];
        }
        if (invested) {
            ledger.turned((longChange / 2 + shortChange / 2) / 2 / equity);
        }
        return cost * (longChange + shortChange) / equity;
    }

    /** Lets positions earn bar t's returns; returns their gain. */
    private double drift(double[] positions, int t) {
        int row = t * assets;
        double gain = 0;
        for (int a = 0; a < assets; a++) {
            double y = returns[row + a];
            if (positions[a] != 0 && y == y) {
                double g = positions[a] * y;
                gain += g;
                positions[a] += g;
            }
        }
        return gain;
    }

    /** Copies bar t's factor values where the name also has a return (NaN elsewhere); returns how many. */
    private int tradeableRow(int t, double[] row) {
        int base = t * assets;
        int n = 0;
        for (int a = 0; a < assets; a++) {
            double f = factor[base + a];
            boolean ok = f == f && returns[base + a] == returns[base + a];
            row[a] = ok ? f : Double.NaN;
            n += ok ? 1 : 0;
        }
        return n;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /** e.g. {@code 5 bars}, or {@code 5 bars (chosen on train)} for a rebalance the evaluation picked. */
    private String bars(int every) {
        return every + (every == 1 ? " bar" : " bars") + everyNote;
    }

    private static String fraction(int quantiles) {
        return quantiles == 5 ? "fifth" : quantiles == 10 ? "tenth" : quantiles == 4 ? "quarter" : "1/" + quantiles;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }
}
