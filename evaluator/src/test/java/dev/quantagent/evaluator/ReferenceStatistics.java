package dev.quantagent.evaluator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately plain re-implementation of the alphalens definitions for tests: per date, lists of the assets
 * with both values, Spearman from O(n^2) counted ranks, quantile edges from numpy-style linear-interpolated
 * percentiles of the sorted values (as pandas' qcut), portfolio weights rebuilt from scratch each rebalance.
 * Shares no code with {@link Evaluation}.
 */
final class ReferenceStatistics {

    double ic;
    double rankIc;
    double icir;
    double icTstat;
    /** Newey-West t-statistic, from the weighted sum over all pairs of dates at most horizon - 1 apart. */
    double icTstatNeweyWest;
    double rankIcTstatNeweyWest;
    /** Rank IC per date, in date order, for the folds. */
    List<Double> rankIcs;
    double[] quantileReturns;
    double longShort;
    List<Double> net = new ArrayList<>();
    double turnover;
    double autocorrelation;
    double coverage;
    int nDates;

    /** Newey-West t-statistic of a series' mean, from the weighted sum over all pairs at most h - 1 apart. */
    static double neweyWest(List<Double> v, int h) {
        int n = v.size();
        double m = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double longRun = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int gap = Math.abs(i - j);
                if (gap < h) {
                    longRun += (1.0 - gap / (double) h) * (v.get(i) - m) * (v.get(j) - m);
                }
            }
        }
        return m / Math.sqrt(longRun / n / (n - 1));
    }

    /** f and y are [date][asset] with NaN missing; evaluation over dates [from, to). */
    static ReferenceStatistics of(double[][] f, double[][] y, int from, int to, int q, int h, double costBps) {
        ReferenceStatistics r = new ReferenceStatistics();
        List<Double> ics = new ArrayList<>();
        List<Double> rics = new ArrayList<>();
        double[] qSum = new double[q];
        int[] qDates = new int[q];
        double lsSum = 0;
        int lsN = 0;
        double[] prevW = null;
        double toSum = 0;
        int toN = 0;
        double acSum = 0;
        int acN = 0;
        double[] prevRanks = null;
        long labelled = 0;
        long covered = 0;
        int assets = f[0].length;
        for (int t = from; t < to; t++) {
            List<Integer> both = new ArrayList<>();
            List<Integer> withF = new ArrayList<>();
            for (int a = 0; a < assets; a++) {
                if (!Double.isNaN(y[t][a])) {
                    labelled++;
                }
                if (!Double.isNaN(f[t][a])) {
                    withF.add(a);
                    if (!Double.isNaN(y[t][a])) {
                        both.add(a);
                    }
                }
            }
            covered += both.size();
            // autocorrelation of ranks over all assets with a factor value
            double[] ranksAll = new double[assets];
            Arrays.fill(ranksAll, Double.NaN);
            for (int a : withF) {
                ranksAll[a] = rank(f[t], withF, f[t][a]);
            }
            if (prevRanks != null && withF.size() >= 2) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int a = 0; a < assets; a++) {
                    if (!Double.isNaN(ranksAll[a]) && !Double.isNaN(prevRanks[a])) {
                        xs.add(ranksAll[a]);
                        ys.add(prevRanks[a]);
                    }
                }
                double c = corr(xs, ys);
                if (!Double.isNaN(c)) {
                    acSum += c;
                    acN++;
                }
            }
            prevRanks = withF.size() >= 2 ? ranksAll : null;
            boolean rebalance = (t - from) % h == 0;
            if (both.size() < 2) {
                if (rebalance && prevW != null) {
                    r.net.add(held(prevW, y[t]));
                }
                continue;
            }
            List<Double> fx = new ArrayList<>();
            List<Double> yx = new ArrayList<>();
            List<Double> fr = new ArrayList<>();
            List<Double> yr = new ArrayList<>();
            for (int a : both) {
                fx.add(f[t][a]);
                yx.add(y[t][a]);
                fr.add(rank(f[t], both, f[t][a]));
                yr.add(rank(y[t], both, y[t][a]));
            }
            double ic = corr(fx, yx);
            double ric = corr(fr, yr);
            if (!Double.isNaN(ic) && !Double.isNaN(ric)) {
                ics.add(ic);
                rics.add(ric);
            }
            if (both.size() < q) {
                if (rebalance && prevW != null) {
                    r.net.add(held(prevW, y[t]));
                }
                continue;
            }
            // qcut: edges at linear-interpolated percentiles; bin k = first edge >= value
            double[] sorted = fx.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = sorted.length;
            double[] edges = new double[q + 1];
            for (int k = 0; k <= q; k++) {
                double pos = (double) k * (n - 1) / q;
                int lo = (int) Math.floor(pos);
                int hi = Math.min(lo + 1, n - 1);
                edges[k] = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
            }
            int[] bin = new int[assets];
            Arrays.fill(bin, -1);
            double[] sum = new double[q];
            int[] cnt = new int[q];
            for (int a : both) {
                int k = 1;
                while (k < q && f[t][a] > edges[k]) {
                    k++;
                }
                bin[a] = k - 1;
                sum[k - 1] += y[t][a];
                cnt[k - 1]++;
            }
            for (int k = 0; k < q; k++) {
                if (cnt[k] > 0) {
                    qSum[k] += sum[k] / cnt[k];
                    qDates[k]++;
                }
            }
            if (cnt[0] == 0 || cnt[q - 1] == 0) {
                if (rebalance && prevW != null) {
                    r.net.add(held(prevW, y[t]));
                }
                continue;
            }
            double gross = sum[q - 1] / cnt[q - 1] - sum[0] / cnt[0];
            lsSum += gross;
            lsN++;
            if (!rebalance) {
                continue;
            }
            double[] w = new double[assets];
            for (int a = 0; a < assets; a++) {
                w[a] = bin[a] == q - 1 ? 1.0 / cnt[q - 1] : bin[a] == 0 ? -1.0 / cnt[0] : 0;
            }
            double traded = 0;
            double longBook = 0;
            double shortBook = 0;
            for (int a = 0; a < assets; a++) {
                double p = prevW == null ? 0 : prevW[a];
                traded += Math.abs(w[a] - p);
                longBook += Math.abs(Math.max(w[a], 0) - Math.max(p, 0));
                shortBook += Math.abs(Math.min(w[a], 0) - Math.min(p, 0));
            }
            if (prevW != null) {
                toSum += (longBook / 2 + shortBook / 2) / 2;
                toN++;
            }
            prevW = w;
            r.net.add(gross - costBps / 10_000 * traded);
        }
        r.nDates = ics.size();
        r.ic = ics.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        r.rankIc = rics.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double m = r.ic;
        double ss = ics.stream().mapToDouble(v -> (v - m) * (v - m)).sum();
        r.icir = m / Math.sqrt(ss / (ics.size() - 1));
        int n = ics.size();
        r.icTstat = m / Math.sqrt(ss / (n - 1) / n);
        double longRun = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int gap = Math.abs(i - j);
                if (gap < h) {
                    longRun += (1.0 - gap / (double) h) * (ics.get(i) - m) * (ics.get(j) - m);
                }
            }
        }
        r.icTstatNeweyWest = m / Math.sqrt(longRun / n / (n - 1));
        r.rankIcTstatNeweyWest = neweyWest(rics, h);
        r.rankIcs = rics;
        r.quantileReturns = new double[q];
        for (int k = 0; k < q; k++) {
            r.quantileReturns[k] = qSum[k] / qDates[k];
        }
        r.longShort = lsSum / lsN;
        r.turnover = toSum / toN;
        r.autocorrelation = acSum / acN;
        r.coverage = (double) covered / labelled;
        return r;
    }

    private static double held(double[] w, double[] y) {
        double s = 0;
        for (int a = 0; a < w.length; a++) {
            if (w[a] != 0 && !Double.isNaN(y[a])) {
                s += w[a] * y[a];
            }
        }
        return s;
    }

    /** Average 1-based rank of v among the values at the given assets, divided by their count. */
    private static double rank(double[] row, List<Integer> among, double v) {
        int less = 0;
        int equal = 0;
        for (int a : among) {
            if (row[a] < v) {
                less++;
            } else if (row[a] == v) {
                equal++;
            }
        }
        return (less + (equal + 1) / 2.0) / among.size();
    }

    private static double corr(List<Double> x, List<Double> y) {
        int n = x.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = x.stream().mapToDouble(Double::doubleValue).average().getAsDouble();
        double my = y.stream().mapToDouble(Double::doubleValue).average().getAsDouble();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x.get(i) - mx) * (y.get(i) - my);
            sxx += (x.get(i) - mx) * (x.get(i) - mx);
            syy += (y.get(i) - my) * (y.get(i) - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
    }
}
