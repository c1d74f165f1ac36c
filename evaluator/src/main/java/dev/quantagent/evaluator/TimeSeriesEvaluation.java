package dev.quantagent.evaluator;

import dev.quantagent.sandbox.CrossSectionalRanks;
import dev.quantagent.sandbox.Panel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A factor judged in time, for data whose cross-section is too thin to rank (one asset, or a few): on each asset, the
 * correlation of the factor with the asset's own forward return over the split's dates (the time-series IC, whole and
 * rolling), and two positions in the asset that the factor sizes and rebalances every bar, with costs: the factor's
 * sign (long, short or flat), and its z-score against its own trailing {@value #Z_WINDOW} bars, halved and clipped to
 * [-1, 1] (the chapter's normalised position, "Backtesting LLM Alphas"). Each bar's return is the position held from
 * the close the trade happens at (after the evaluation's delay) to the next, less the cost per side on the change of
 * position; it is set against holding the asset (buy and hold). With several assets each gets an equal share of the
 * capital, and the ICs are their mean.
 *
 * <p>The t-statistics are Newey-West with horizon - 1 lags on the products of the standardised factor and return
 * (whose mean is the correlation), as neighbouring labels overlap; the test split is sealed as in
 * {@link Evaluation}.
 */
public final class TimeSeriesEvaluation {

    /** A cross-section with fewer assets than this on a median date is evaluated in time. */
    public static final int MIN_CROSS_SECTION = 10;
    /** Bars of the factor's own history its z-score is taken against. */
    public static final int Z_WINDOW = 60;

    private TimeSeriesEvaluation() {
    }

    /**
     * One split.
     *
     * @param assets          assets with at least 3 dates of a factor value and a forward return
     * @param dates           dates with both, summed over the assets
     * @param ic              the correlation in time of factor and forward return: per date, the mean over the assets
     *                        of the product of the two, each standardised over the asset's dates in the split; the
     *                        mean of these (for one asset, its Pearson correlation)
     * @param icTstat         its Newey-West t
     * @param rankIc          the same for ranks in time (Spearman)
     * @param rankIcTstat     its Newey-West t
     * @param rollingWindow   bars of the rolling IC
     * @param rollingPositive share of the rolling windows with a positive IC
     * @param rollingTime     dates ending each rolling window
     * @param rollingIc       the correlation over each window (at least half of it with both), mean over the assets
     * @param sign            the sign-sized position, gross and net, against buy and hold
     * @param zscore          the z-score-sized position
     * @param buyAndHold      holding the assets, equal shares
     * @param byAsset         per asset: its time-series IC, t and dates
     */
    public record SplitResult(int assets, int dates, double ic, double icTstat, double rankIc, double rankIcTstat,
                              int rollingWindow, double rollingPositive, long[] rollingTime, double[] rollingIc,
                              Book sign, Book zscore, PortfolioMetrics buyAndHold, List<AssetIc> byAsset) {
    }

    /** One asset's time-series IC over a split. */
    public record AssetIc(String symbol, double ic, double icTstat, double rankIc, int dates) {
    }

    /** A factor's evaluation in time per split. */
    public record Report(String formula, String canonical, String hash, Map<Split, SplitResult> splits) {

        public Report {
            splits = Map.copyOf(splits);
        }
    }

    /** The assets with a label on a median date. */
    public static int medianCrossSection(Evaluation ev) {
        Panel p = ev.panel();
        int assets = p.assetCount();
        double[] labels = ev.labelsByDate();
        int[] counts = new int[p.dateCount()];
        int n = 0;
        for (int t = 0; t < p.dateCount(); t++) {
            int c = 0;
            for (int a = 0; a < assets; a++) {
                c += labels[t * assets + a] == labels[t * assets + a] ? 1 : 0;
            }
            if (c > 0) {
                counts[n++] = c;
            }
        }
        if (n == 0) {
            return 0;
        }
        int[] sorted = Arrays.copyOf(counts, n);
        Arrays.sort(sorted);
        return sorted[n / 2];
    }

    /** Whether a cross-section is too thin to rank, so that a factor is evaluated in time. */
    public static boolean thin(Evaluation ev) {
        return medianCrossSection(ev) < MIN_CROSS_SECTION;
    }

    /**
     * The factor in time on train and valid.
     *
     * @param values the factor's values, asset-major
     */
    public static Report evaluate(Evaluation ev, String formula, String canonical, String hash, double[] values) {
        return report(ev, formula, canonical, hash, values, Split.TRAIN, Split.VALID);
    }

    /** The factor in time on every split, test included, through the handle of an explicit unsealing. */
    public static Report evaluateWithTest(Evaluation ev, String formula, String canonical, String hash,
                                          double[] values, Evaluation.SealedTest unsealed) {
        if (unsealed == null) {
            throw new IllegalArgumentException("the test split is sealed");
        }
        return report(ev, formula, canonical, hash, values, Split.values());
    }

    private static Report report(Evaluation ev, String formula, String canonical, String hash, double[] values,
                                 Split... splits) {
        Map<Split, SplitResult> out = new EnumMap<>(Split.class);
        for (Split s : splits) {
            out.put(s, split(ev, values, s));
        }
        return new Report(formula, canonical, hash, out);
    }

    /** Rolling windows of the IC: about a quarter of a year of bars, at least 20. */
    static int rollingWindow(Evaluation ev) {
        return Math.max(20, (int) Math.round(ev.frequency().periodsPerYear() / 4));
    }

    private static SplitResult split(Evaluation ev, double[] values, Split split) {
        Panel p = ev.panel();
        int dates = p.dateCount();
        int assets = p.assetCount();
        double[] labels = ev.labelsByDate();
        double[] oneBar = ev.oneBarByDate();
        int from = ev.splits().from(split);
        int to = ev.splits().to(split);
        int n = to - from;
        int lags = ev.config().horizon() - 1;
        double cost = ev.config().costBps() / 10_000.0;
        double perYear = ev.frequency().periodsPerYear();
        int window = rollingWindow(ev);
        long[] time = new long[n];
        for (int t = from; t < to; t++) {
            time[t - from] = p.date(t);
        }

        // the IC: per date, the mean over the assets of the product of factor and return, each standardised over
        // the asset's own dates in the split (for one asset, the correlation's terms)
        double[] products = new double[n];
        double[] rankProducts = new double[n];
        int[] present = new int[n];
        double[] rollingSum = new double[n];
        int[] rollingCount = new int[n];
        List<AssetIc> byAsset = new ArrayList<>();
        int counted = 0;
        int dateSum = 0;
        for (int a = 0; a < assets; a++) {
            double[] f = new double[n];
            double[] y = new double[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                double fv = values[a * dates + from + i];
                double yv = labels[(from + i) * assets + a];
                boolean both = fv == fv && yv == yv;
                f[i] = both ? fv : Double.NaN;
                y[i] = both ? yv : Double.NaN;
                m += both ? 1 : 0;
            }
            double[] zf = standardised(f);
            double[] zy = standardised(y);
            double[] zrf = standardised(ranks(f));
            double[] zry = standardised(ranks(y));
            if (m < 3 || zf == null || zy == null) {
                continue;
            }
            counted++;
            dateSum += m;
            double[] own = new double[m];
            double[] ownRank = new double[m];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (f[i] == f[i]) {
                    products[i] += zf[i] * zy[i];
                    rankProducts[i] += zrf == null || zry == null ? 0 : zrf[i] * zry[i];
                    present[i]++;
                    own[k] = zf[i] * zy[i];
                    ownRank[k++] = zrf == null || zry == null ? Double.NaN : zrf[i] * zry[i];
                }
            }
            double ic = Evaluation.mean(own, m);
            byAsset.add(new AssetIc(p.symbol(a), ic, Evaluation.neweyWestTstat(own, m, ic, lags), Evaluation.mean(ownRank, m),
                    m));
            rolling(f, y, window, rollingSum, rollingCount);
        }
        double[] u = new double[n];
        double[] ur = new double[n];
        int nu = 0;
        for (int i = 0; i < n; i++) {
            if (present[i] > 0) {
                u[nu] = products[i] / present[i];
                ur[nu++] = rankProducts[i] / present[i];
            }
        }
        double ic = Evaluation.mean(u, nu);
        double rankIc = Evaluation.mean(ur, nu);
        int r = 0;
        int positive = 0;
        long[] rollingTime = new long[n];
        double[] rollingIc = new double[n];
        for (int i = 0; i < n; i++) {
            if (rollingCount[i] > 0) {
                rollingTime[r] = time[i];
                rollingIc[r] = rollingSum[i] / rollingCount[i];
                positive += rollingIc[r] > 0 ? 1 : 0;
                r++;
            }
        }

        // the positions, bar by bar over the split, each asset with an equal share of the capital
        double[] signNet = new double[n];
        double[] signGross = new double[n];
        double[] zNet = new double[n];
        double[] zGross = new double[n];
        double[] hold = new double[n];
        double signTraded = 0;
        double zTraded = 0;
        int held = 0;
        for (int a = 0; a < assets; a++) {
            boolean any = false;
            double signPrev = 0;
            double zPrev = 0;
            for (int t = from; t < to; t++) {
                double ret = oneBar[t * assets + a];
                double fv = values[a * dates + t];
                double sign = fv == fv ? Math.signum(fv) : 0;
                double z = zScore(values, a * dates, t, Z_WINDOW);
                double zPos = z == z ? Math.max(-1, Math.min(1, z / 2)) : 0;
                ret = ret == ret ? ret : 0; // no return on the bar: the position neither gains nor loses
                int i = t - from;
                signGross[i] += sign * ret;
                signNet[i] += sign * ret - cost * Math.abs(sign - signPrev);
                zGross[i] += zPos * ret;
                zNet[i] += zPos * ret - cost * Math.abs(zPos - zPrev);
                hold[i] += ret;
                signTraded += Math.abs(sign - signPrev);
                zTraded += Math.abs(zPos - zPrev);
                signPrev = sign;
                zPrev = zPos;
                any |= oneBar[t * assets + a] == oneBar[t * assets + a];
            }
            held += any ? 1 : 0;
        }
        if (held > 0) {
            for (int i = 0; i < n; i++) {
                signGross[i] /= held;
                signNet[i] /= held;
                zGross[i] /= held;
                zNet[i] /= held;
                hold[i] /= held;
            }
        }
        double bars = Math.max(1, (double) n * Math.max(1, held));
        Book sign = book("sign", "long when the factor is positive, short when negative, flat at zero; every bar",
                time, signGross, signNet, hold, signTraded / bars, perYear);
        Book zscore = book("zscore", String.format(Locale.ROOT, "the factor's z-score against its last %d bars, "
                + "halved and clipped to [-1, 1]; every bar", Z_WINDOW), time, zGross, zNet, hold, zTraded / bars,
                perYear);
        return new SplitResult(counted, dateSum, ic, Evaluation.neweyWestTstat(u, nu, ic, lags), rankIc,
                Evaluation.neweyWestTstat(ur, nu, rankIc, lags), window, r == 0 ? Double.NaN : (double) positive / r,
                Arrays.copyOf(rollingTime, r), Arrays.copyOf(rollingIc, r), sign, zscore,
                PortfolioMetrics.of(hold, 0, n, perYear), List.copyOf(byAsset));
    }

    /**
     * Adds, at each date ending a window of {@code window} dates, the correlation of x and y over the window's dates
     * where both are present (at least half the window), with running sums.
     */
    private static void rolling(double[] x, double[] y, int window, double[] sum, int[] count) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        int m = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == x[i]) {
                sx += x[i];
                sy += y[i];
                sxx += x[i] * x[i];
                syy += y[i] * y[i];
                sxy += x[i] * y[i];
                m++;
            }
            int out = i - window;
            if (out >= 0 && x[out] == x[out]) {
                sx -= x[out];
                sy -= y[out];
                sxx -= x[out] * x[out];
                syy -= y[out] * y[out];
                sxy -= x[out] * y[out];
                m--;
            }
            if (i + 1 >= window && 2 * m >= window) {
                double vx = sxx - sx * sx / m;
                double vy = syy - sy * sy / m;
                double c = vx > 0 && vy > 0 ? (sxy - sx * sy / m) / Math.sqrt(vx * vy) : Double.NaN;
                if (c == c) {
                    sum[i] += c;
                    count[i]++;
                }
            }
        }
    }

    /** (v - mean) / population std over the present values (NaN kept); null without spread. */
    private static double[] standardised(double[] v) {
        double sum = 0;
        int n = 0;
        for (double x : v) {
            if (x == x) {
                sum += x;
                n++;
            }
        }
        if (n < 2) {
            return null;
        }
        double mean = sum / n;
        double ss = 0;
        for (double x : v) {
            if (x == x) {
                ss += (x - mean) * (x - mean);
            }
        }
        double sd = Math.sqrt(ss / n);
        if (!(sd > 0)) {
            return null;
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - mean) / sd;
        }
        return out;
    }


    private static Book book(String kind, String description, long[] time, double[] gross, double[] net,
                             double[] hold, double turnover, double perYear) {
        int n = time.length;
        return new Book(kind, description, 1, PortfolioMetrics.of(gross, 0, n, perYear),
                PortfolioMetrics.of(net, 0, n, perYear), turnover, Book.Excess.of(gross, hold, n, perYear),
                Book.Excess.of(net, hold, n, perYear), time, gross, net, hold);
    }

    /** The z-score of x[base + t] against x[base + t - window + 1 .. base + t]; NaN with any of them missing. */
    static double zScore(double[] x, int base, int t, int window) {
        if (t + 1 < window) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = t - window + 1; i <= t; i++) {
            sum += x[base + i];
        }
        double mean = sum / window;
        double ss = 0;
        for (int i = t - window + 1; i <= t; i++) {
            ss += (x[base + i] - mean) * (x[base + i] - mean);
        }
        double sd = Math.sqrt(ss / (window - 1));
        return sd > 0 ? (x[base + t] - mean) / sd : Double.NaN; // NaN in the window: NaN
    }

    /** Percentile ranks of the present values of v, ties averaged (NaN kept). */
    private static double[] ranks(double[] v) {
        double[] r = v.clone();
        new CrossSectionalRanks(r.length).rankInPlace(r, 0, r.length);
        return r;
    }
}
