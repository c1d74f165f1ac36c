package dev.quantagent.evaluator;

import dev.quantagent.sandbox.CrossSectionalRanks;
import dev.quantagent.sandbox.Panel;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Computes a factor's {@link TearSheet} on one split from its values (asset-major, as the panel). Forward returns over
 * h bars are the one-bar returns of the trade each date's value leads to, compounded, and only dates whose h-bar
 * return ends before the next split starts are used (the purge between splits, for every h). Quantile buckets are
 * pandas' qcut over the assets with a value and a forward return, as {@link Evaluation} forms them.
 */
public final class TearSheets {

    /** Most points of the Q-Q plot (evenly spaced among the sorted daily ICs). */
    static final int QQ_POINTS = 400;
    /** Bins of the factor values' histogram. */
    static final int VALUE_BINS = 40;
    /** Fewest assets of a group with a value and a label for its rank IC on a date. */
    static final int MIN_GROUP_ASSETS = 5;

    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    private TearSheets() {
    }

    /**
     * The tear sheet on train or valid.
     *
     * @param report the factor's statistics, for its daily rank IC on the split
     * @throws IllegalArgumentException for the test split (see {@link #ofTest})
     */
    public static TearSheet of(Evaluation ev, double[] values, Split split, FactorReport report) {
        if (split == Split.TEST) {
            throw new IllegalArgumentException("the test split is sealed; use ofTest with the handle unsealTest gave");
        }
        return compute(ev, values, split, report.splits().get(split));
    }

    /**
     * The tear sheet on test, for values already looked at there through {@code unsealed} (a run's one look at its
     * pool signal): it reads the same cells that look read.
     */
    public static TearSheet ofTest(Evaluation ev, double[] values, Evaluation.SealedTest unsealed,
                                   FactorReport report) {
        if (unsealed == null) {
            throw new IllegalArgumentException("the test split is sealed");
        }
        return compute(ev, values, Split.TEST, report.splits().get(Split.TEST));
    }

    private static TearSheet compute(Evaluation ev, double[] values, Split split, SplitStatistics stats) {
        Panel panel = ev.panel();
        int assets = panel.assetCount();
        int dates = panel.dateCount();
        double[] f = new double[values.length];
        CrossSectionalRanks.transpose(values, f, assets, dates);
        double[] oneBar = ev.oneBarByDate();
        Splits sp = ev.splits();
        int from = sp.from(split);
        int to = sp.to(split);
        int next = split == Split.TRAIN ? sp.validStart() : split == Split.VALID ? sp.testStart() : dates;
        int q = ev.config().quantiles();
        Work w = new Work(assets, q);

        List<TearSheet.Horizon> horizons = new ArrayList<>();
        for (int h : BookConfig.HOLDING_PERIODS) {
            int last = Math.min(to, next - ev.config().delay() - h);
            horizons.add(horizon(f, oneBar, assets, from, last, h, q, w));
        }
        return new TearSheet(split, q, List.copyOf(horizons), cumulative(f, oneBar, panel, from, to, q, w),
                values(f, ev.labelsByDate(), assets, from, to, q, w), icDistribution(stats.series().rankIc()),
                monthly(stats.series()), groups(f, ev.labelsByDate(), panel, from, to, ev.config().horizon()));
    }

    /** Scratch rows for one cross-section. */
    private static final class Work {
        final double[] x;
        final double[] y;
        final double[] xr;
        final double[] yr;
        final double[] less;
        final int[] bucketOfLess;
        final double[] sum;
        final int[] count;
        final CrossSectionalRanks ranks;

        Work(int assets, int q) {
            x = new double[assets];
            y = new double[assets];
            xr = new double[assets];
            yr = new double[assets];
            less = new double[assets];
            bucketOfLess = new int[assets];
            sum = new double[q];
            count = new int[q];
            ranks = new CrossSectionalRanks(assets);
        }

        /**
         * Keeps the pairs where both rows have a value (NaN elsewhere), ranks x with its qcut positions, and returns
         * how many pairs there are.
         */
        int pair(double[] fx, int fxRow, double[] target, int assets) {
            int n = 0;
            for (int a = 0; a < assets; a++) {
                boolean both = fx[fxRow + a] == fx[fxRow + a] && target[a] == target[a];
                x[a] = both ? fx[fxRow + a] : Double.NaN;
                y[a] = both ? target[a] : Double.NaN;
                n += both ? 1 : 0;
            }
            System.arraycopy(x, 0, xr, 0, assets);
            if (n > 0) {
                ranks.rankInPlace(xr, 0, assets, less);
            }
            return n;
        }

        /**
         * Bucket means of y by x's qcut bucket (after {@link #pair} with n >= q; NaN for an empty bucket) into out;
         * returns the mean of y over all n pairs (what demeaned returns are taken against).
         */
        double bucketMeans(int n, int q, int assets, double[] out) {
            Evaluation.bucketOfPosition(bucketOfLess, n, q);
            Arrays.fill(sum, 0);
            Arrays.fill(count, 0);
            for (int a = 0; a < assets; a++) {
                if (x[a] == x[a]) {
                    int k = bucketOfLess[(int) less[a]];
                    sum[k] += y[a];
                    count[k]++;
                }
            }
            double all = 0;
            for (int k = 0; k < q; k++) {
                out[k] = count[k] == 0 ? Double.NaN : sum[k] / count[k];
                all += sum[k];
            }
            return all / n;
        }
    }

    private static TearSheet.Horizon horizon(double[] f, double[] oneBar, int assets, int from, int last, int h,
                                             int q, Work w) {
        int n = Math.max(0, last - from);
        double[] rankIc = new double[n];
        double[] ic = new double[n];
        double[] spread = new double[n];
        double[] bucketSum = new double[q];
        double[] demeanedSum = new double[q];
        int[] bucketDates = new int[q];
        double[] fwd = new double[assets];
        double[] means = new double[q];
        int nIc = 0;
        int nSpread = 0;
        for (int t = from; t < last; t++) {
            for (int a = 0; a < assets; a++) {
                double g = 1;
                for (int k = 0; k < h; k++) {
                    g *= 1 + oneBar[(t + k) * assets + a]; // NaN anywhere: NaN
                }
                fwd[a] = g - 1;
            }
            int valid = w.pair(f, t * assets, fwd, assets);
            if (valid < 2) {
                continue;
            }
            System.arraycopy(w.y, 0, w.yr, 0, assets);
            w.ranks.rankInPlace(w.yr, 0, assets);
            double r = Evaluation.pearsonOfRanks(w.xr, 0, w.yr, 0, assets, valid);
            double p = Evaluation.pearson(w.x, 0, w.y, 0, assets);
            if (r == r && p == p) {
                rankIc[nIc] = r;
                ic[nIc] = p;
                nIc++;
            }
            if (valid < q) {
                continue;
            }
            double all = w.bucketMeans(valid, q, assets, means);
            for (int k = 0; k < q; k++) {
                if (means[k] == means[k]) {
                    bucketSum[k] += means[k];
                    demeanedSum[k] += means[k] - all;
                    bucketDates[k]++;
                }
            }
            if (means[q - 1] == means[q - 1] && means[0] == means[0]) {
                spread[nSpread++] = means[q - 1] - means[0];
            }
        }
        double[] mean = new double[q];
        double[] demeaned = new double[q];
        for (int k = 0; k < q; k++) {
            mean[k] = bucketDates[k] == 0 ? Double.NaN : perBar(bucketSum[k] / bucketDates[k], h);
            demeaned[k] = bucketDates[k] == 0 ? Double.NaN : perBar(demeanedSum[k] / bucketDates[k], h);
        }
        double icMean = Evaluation.mean(rankIc, nIc);
        double t = Evaluation.neweyWestTstat(rankIc, nIc, icMean, h - 1);
        double spreadMean = Evaluation.mean(spread, nSpread);
        double spreadT = Evaluation.neweyWestTstat(spread, nSpread, spreadMean, h - 1);
        return new TearSheet.Horizon(h, nIc, icMean, t, Significance.twoSided(t), Evaluation.mean(ic, nIc), mean,
                demeaned, perBar(spreadMean, h), spreadT, Significance.twoSided(spreadT));
    }

    /** An h-bar return as the rate per bar that compounds to it (alphalens' rate of return); NaN below -100%. */
    static double perBar(double r, int h) {
        if (h == 1) {
            return r;
        }
        return r > -1 ? Math.pow(1 + r, 1.0 / h) - 1 : Double.NaN;
    }

    private static TearSheet.Cumulative cumulative(double[] f, double[] oneBar, Panel panel, int from, int to, int q,
                                                   Work w) {
        int assets = panel.assetCount();
        long[] time = new long[to - from];
        double[][] byQuantile = new double[q][to - from];
        double[] spread = new double[to - from];
        double[] growth = new double[q];
        Arrays.fill(growth, 1);
        double spreadGrowth = 1;
        double[] means = new double[q];
        double[] r = new double[assets];
        int n = 0;
        for (int t = from; t < to; t++) {
            System.arraycopy(oneBar, t * assets, r, 0, assets);
            int valid = w.pair(f, t * assets, r, assets);
            if (valid < q) {
                continue;
            }
            double all = w.bucketMeans(valid, q, assets, means);
            for (int k = 0; k < q; k++) {
                growth[k] *= 1 + (means[k] == means[k] ? means[k] - all : 0);
                byQuantile[k][n] = growth[k];
            }
            if (means[q - 1] == means[q - 1] && means[0] == means[0]) {
                spreadGrowth *= 1 + means[q - 1] - means[0];
            }
            spread[n] = spreadGrowth;
            time[n] = panel.date(t);
            n++;
        }
        double[][] cut = new double[q][];
        for (int k = 0; k < q; k++) {
            cut[k] = Arrays.copyOf(byQuantile[k], n);
        }
        return new TearSheet.Cumulative(Arrays.copyOf(time, n), cut, Arrays.copyOf(spread, n));
    }

    private static TearSheet.ValueDistribution values(double[] f, double[] labels, int assets, int from, int to,
                                                      int q, Work w) {
        double[] mean = new double[q];
        double[] m2 = new double[q];
        double[] min = new double[q];
        double[] max = new double[q];
        long[] count = new long[q];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        double[] all = new double[(to - from) * assets];
        int cells = 0;
        double[] label = new double[assets];
        for (int t = from; t < to; t++) {
            System.arraycopy(labels, t * assets, label, 0, assets);
            int valid = w.pair(f, t * assets, label, assets);
            if (valid == 0) {
                continue;
            }
            boolean bucketed = valid >= q;
            if (bucketed) {
                Evaluation.bucketOfPosition(w.bucketOfLess, valid, q);
            }
            for (int a = 0; a < assets; a++) {
                double v = w.x[a];
                if (v != v) {
                    continue;
                }
                all[cells++] = v;
                if (bucketed) {
                    int k = w.bucketOfLess[(int) w.less[a]];
                    count[k]++;
                    double d = v - mean[k];
                    mean[k] += d / count[k];
                    m2[k] += d * (v - mean[k]);
                    min[k] = Math.min(min[k], v);
                    max[k] = Math.max(max[k], v);
                }
            }
        }
        List<TearSheet.QuantileValues> byQuantile = new ArrayList<>();
        for (int k = 0; k < q; k++) {
            byQuantile.add(new TearSheet.QuantileValues(k + 1, count[k] == 0 ? Double.NaN : min[k],
                    count[k] == 0 ? Double.NaN : max[k], count[k] == 0 ? Double.NaN : mean[k],
                    count[k] < 2 ? Double.NaN : Math.sqrt(m2[k] / (count[k] - 1)), count[k]));
        }
        double[] sorted = Arrays.copyOf(all, cells);
        Arrays.sort(sorted);
        double lo = cells == 0 ? 0 : percentile(sorted, 0.01);
        double hi = cells == 0 ? 0 : percentile(sorted, 0.99);
        if (!(hi > lo) && cells > 0) {
            lo = sorted[0];
            hi = sorted[cells - 1];
        }
        return histogram(sorted, lo, hi, cells == 0 || !(hi > lo) ? 1 : VALUE_BINS, byQuantile);
    }

    private static TearSheet.ValueDistribution histogram(double[] sorted, double lo, double hi, int bins,
                                                         List<TearSheet.QuantileValues> byQuantile) {
        int[] counts = new int[bins];
        long outside = count(sorted, lo, hi, counts);
        return new TearSheet.ValueDistribution(List.copyOf(byQuantile), edges(lo, hi, bins), counts, sorted.length,
                outside);
    }

    /** The edges of {@code bins} equal bins from lo to hi. */
    private static double[] edges(double lo, double hi, int bins) {
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = lo + (hi - lo) * b / bins;
        }
        return edges;
    }

    /** Adds each value in [lo, hi] to its bin of {@code counts} (equal bins, hi in the last); returns the others. */
    private static long count(double[] values, double lo, double hi, int[] counts) {
        int bins = counts.length;
        long outside = 0;
        for (double v : values) {
            if (v < lo || v > hi) {
                outside++;
                continue;
            }
            int b = hi > lo ? (int) Math.floor((v - lo) / (hi - lo) * bins) : 0;
            counts[Math.max(0, Math.min(bins - 1, b))]++;
        }
        return outside;
    }

    /** The p-quantile of sorted values, linearly interpolated (numpy's default). */
    static double percentile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        return i + 1 < sorted.length ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }

    static TearSheet.IcDistribution icDistribution(double[] ic) {
        int n = ic.length;
        double[] m = Significance.moments(ic);
        double mean = m[0];
        double var = m[1];
        double std = n < 2 ? Double.NaN : Math.sqrt(var * n / (n - 1));
        double skew = n < 3 || !(var > 0) ? Double.NaN : m[2] / Math.pow(var, 1.5);
        double kurt = n < 4 || !(var > 0) ? Double.NaN : m[3] / (var * var) - 3;
        double[] sorted = ic.clone();
        Arrays.sort(sorted);
        int bins = Math.max(5, Math.min(40, (int) Math.ceil(Math.sqrt(n))));
        double lo = n == 0 ? 0 : sorted[0];
        double hi = n == 0 ? 0 : sorted[n - 1];
        double[] edges = edges(lo, hi, bins);
        int[] counts = new int[bins];
        count(sorted, lo, hi, counts); // lo and hi are the extremes: none lies outside
        int points = Math.min(n, QQ_POINTS);
        double[] theoretical = new double[points];
        double[] observed = new double[points];
        for (int i = 0; i < points; i++) {
            int k = points == n ? i : (int) Math.round((double) i * (n - 1) / Math.max(1, points - 1));
            double position = (k + 0.5) / n;
            theoretical[i] = mean + (std == std ? std : 0) * NORMAL.inverseCumulativeProbability(position);
            observed[i] = sorted[k];
        }
        return new TearSheet.IcDistribution(mean, std, skew, kurt, edges, counts, theoretical, observed);
    }

    private static List<TearSheet.MonthlyIc> monthly(SplitStatistics.Series s) {
        Map<Integer, double[]> byMonth = new TreeMap<>(); // year * 100 + month -> sum, count
        for (int i = 0; i < s.rankIc().length; i++) {
            ZonedDateTime d = Instant.ofEpochSecond(s.icTime()[i]).atZone(ZoneOffset.UTC);
            double[] acc = byMonth.computeIfAbsent(d.getYear() * 100 + d.getMonthValue(), k -> new double[2]);
            acc[0] += s.rankIc()[i];
            acc[1]++;
        }
        List<TearSheet.MonthlyIc> out = new ArrayList<>();
        byMonth.forEach((k, acc) -> out.add(new TearSheet.MonthlyIc(k / 100, k % 100, acc[0] / acc[1],
                (int) acc[1])));
        return List.copyOf(out);
    }

    /** The grouping a breakdown uses: sector when the data has it, else the first there is, else null. */
    static String grouping(Panel panel) {
        if (panel.groupNames().contains("sector")) {
            return "sector";
        }
        return panel.groupNames().stream().sorted().findFirst().orElse(null);
    }

    private static TearSheet.GroupBreakdown groups(double[] f, double[] labels, Panel panel, int from, int to,
                                                   int horizon) {
        String grouping = grouping(panel);
        if (grouping == null) {
            return new TearSheet.GroupBreakdown(null, List.of());
        }
        int assets = panel.assetCount();
        Map<String, List<Integer>> members = new HashMap<>();
        for (int a = 0; a < assets; a++) {
            String g = panel.groupOf(grouping, a);
            if (g != null) {
                members.computeIfAbsent(g, k -> new ArrayList<>()).add(a);
            }
        }
        int largest = members.values().stream().mapToInt(List::size).max().orElse(0);
        CrossSectionalRanks ranks = new CrossSectionalRanks(Math.max(1, largest));
        double[] x = new double[largest];
        double[] y = new double[largest];
        List<TearSheet.GroupIc> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            List<Integer> m = e.getValue();
            double[] series = new double[to - from];
            int n = 0;
            long present = 0;
            for (int t = from; t < to; t++) {
                int valid = 0;
                for (int i = 0; i < m.size(); i++) {
                    int cell = t * assets + m.get(i);
                    boolean both = f[cell] == f[cell] && labels[cell] == labels[cell];
                    x[i] = both ? f[cell] : Double.NaN;
                    y[i] = both ? labels[cell] : Double.NaN;
                    valid += both ? 1 : 0;
                }
                if (valid < MIN_GROUP_ASSETS) {
                    continue;
                }
                ranks.rankInPlace(x, 0, m.size());
                ranks.rankInPlace(y, 0, m.size());
                double r = Evaluation.pearsonOfRanks(x, 0, y, 0, m.size(), valid);
                if (r == r) {
                    series[n++] = r;
                    present += valid;
                }
            }
            double mean = Evaluation.mean(series, n);
            out.add(new TearSheet.GroupIc(e.getKey(), mean, Evaluation.neweyWestTstat(series, n, mean, horizon - 1),
                    n, n == 0 ? 0 : (double) present / n));
        }
        out.sort((a, b) -> a.assets() != b.assets() ? Double.compare(b.assets(), a.assets())
                : a.group().compareTo(b.group()));
        return new TearSheet.GroupBreakdown(grouping, List.copyOf(out));
    }

}
