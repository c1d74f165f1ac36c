package dev.quantagent.evaluator;

import dev.quantagent.sandbox.CrossSectionalRanks;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One signal from a pool of factors, fitted on train and chosen on valid; test is never read here. Each factor
 * enters as its cross-sectional z-score per date (clipped at +-3, so one extreme name cannot dominate a date), with
 * a missing value counting as the date's mean. The methods:
 * <ul>
 *   <li>{@link Method#EQUAL}: the mean of the z-scores, each signed by its factor's train rank IC;</li>
 *   <li>{@link Method#IC}: the z-scores weighted by their factors' train rank ICs;</li>
 *   <li>{@link Method#RIDGE}: a ridge regression of each date's centred label ranks (uniform scores, unit variance)
 *       on the z-scores, pooled over the train dates, its penalty chosen among {@link #PENALTIES} by the rank IC on
 *       valid.</li>
 * </ul>
 * {@link #combine} with no method fixed builds all three and keeps the one with the best valid rank IC; every
 * signal read on valid is counted in {@link Combination#validLooks()}.
 */
public final class PoolSignal {

    /** Ridge penalties tried, as multiples of the z-scores' unit variance. */
    static final double[] PENALTIES = {0, 0.01, 0.1, 1, 10, 100};
    private static final double CLIP = 3.0;

    private PoolSignal() {
    }

    /** How the pool is combined. */
    public enum Method {
        EQUAL, IC, RIDGE;

        /** As the command line and JSON name it. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The method named {@code key} ({@code equal}, {@code ic}, {@code ridge}), case-insensitively. */
        public static Method of(String key) {
            for (Method m : values()) {
                if (m.key().equalsIgnoreCase(key.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown pool method '" + key + "': choose equal, ic, ridge or auto");
        }
    }

    /**
     * A factor of the pool.
     *
     * @param name         how reports name it (an id or a formula)
     * @param values       its values, asset-major as the panel (NaN missing)
     * @param trainRankIc  its mean rank IC on train: its sign and, for {@link Method#IC}, its weight
     */
    public record Member(String name, double[] values, double trainRankIc) {
    }

    /**
     * The combined signal.
     *
     * @param method             how it was combined
     * @param values             its values, asset-major (NaN where no member has a value)
     * @param weights            each member's weight on its z-score, in member order
     * @param penalty            the ridge penalty chosen (NaN for the other methods)
     * @param validRankIcByMethod each method's rank IC on valid, as compared
     * @param validLooks         signals read on valid to build it (each method, each penalty)
     */
    public record Combination(Method method, double[] values, double[] weights, double penalty,
                              Map<Method, Double> validRankIcByMethod, int validLooks) {

        public Combination {
            // in the methods' order, so that every print of it reads the same
            EnumMap<Method, Double> ordered = new EnumMap<>(Method.class);
            ordered.putAll(validRankIcByMethod);
            validRankIcByMethod = Collections.unmodifiableMap(ordered);
        }

        /** e.g. {@code ridge over 12 factors (penalty 1)}. */
        public String describe() {
            return method.key() + " over " + weights.length + " factor" + (weights.length == 1 ? "" : "s")
                    + (method == Method.RIDGE ? " (penalty " + penalty + ")" : "");
        }
    }

    /**
     * Combines the pool with {@code method}, or with whichever of the three has the best valid rank IC when it is
     * null.
     *
     * @throws IllegalArgumentException if the pool is empty
     */
    public static Combination combine(Evaluation ev, List<Member> members, Method method, Evaluation.Workspace ws) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("the pool is empty: there is nothing to combine");
        }
        int assets = ev.panel().assetCount();
        int dates = ev.panel().dateCount();
        List<double[]> z = new ArrayList<>(members.size());
        for (Member m : members) {
            z.add(zScores(m.values(), assets, dates));
        }
        Map<Method, Double> validIc = new EnumMap<>(Method.class);
        int looks = 0;
        Combination best = null;
        double bestIc = Double.NEGATIVE_INFINITY;
        for (Method m : method == null ? List.of(Method.values()) : List.of(method)) {
            Combination c;
            if (m == Method.RIDGE) {
                c = ridge(ev, members, z, ws);
                looks += PENALTIES.length;
            } else {
                double[] w = new double[members.size()];
                for (int k = 0; k < w.length; k++) {
                    double ic = members.get(k).trainRankIc();
                    w[k] = !(ic == ic) ? 0 : m == Method.EQUAL ? Math.signum(ic) : ic;
                }
                c = new Combination(m, weighted(z, w, assets, dates), w, Double.NaN, Map.of(), 0);
                looks++;
            }
            double ic = validRankIc(ev, c.values(), ws);
            validIc.put(m, ic);
            if (best == null || ic > bestIc) {
                best = c;
                bestIc = ic;
            }
        }
        return new Combination(best.method(), best.values(), best.weights(), best.penalty(), validIc, looks);
    }

    private static double validRankIc(Evaluation ev, double[] values, Evaluation.Workspace ws) {
        double ic = ev.evaluate("pool signal", values, ws, Split.VALID).splits().get(Split.VALID).rankIc();
        return ic == ic ? ic : Double.NEGATIVE_INFINITY;
    }

    /** The ridge fit on train for each penalty; the penalty with the best valid rank IC wins. */
    private static Combination ridge(Evaluation ev, List<Member> members, List<double[]> z, Evaluation.Workspace ws) {
        int assets = ev.panel().assetCount();
        int dates = ev.panel().dateCount();
        int k = members.size();
        double[] labelT = ev.labelsByDate();
        double[] target = new double[assets];
        double[] xtx = new double[k * k];
        double[] xty = new double[k];
        double[] x = new double[k];
        long rows = 0;
        Splits splits = ev.splits();
        CrossSectionalRanks ranks = new CrossSectionalRanks(assets);
        for (int t = splits.from(Split.TRAIN); t < splits.to(Split.TRAIN); t++) {
            int row = t * assets;
            System.arraycopy(labelT, row, target, 0, assets);
            int labelled = 0;
            for (int a = 0; a < assets; a++) {
                labelled += target[a] == target[a] ? 1 : 0;
            }
            if (labelled < 3) {
                continue;
            }
            ranks.rankInPlace(target, 0, assets);
            double centre = (labelled + 1) / 2.0 / labelled; // the mean of percentile ranks
            double scale = Math.sqrt(12.0);                  // a uniform score of unit variance
            for (int a = 0; a < assets; a++) {
                if (target[a] != target[a]) {
                    continue;
                }
                boolean any = false;
                for (int j = 0; j < k; j++) {
                    double v = z.get(j)[row + a];
                    any |= v == v;
                    x[j] = v == v ? v : 0.0;
                }
                if (!any) {
                    continue;
                }
                double y = (target[a] - centre) * scale;
                for (int i = 0; i < k; i++) {
                    xty[i] += x[i] * y;
                    for (int j = 0; j <= i; j++) {
                        xtx[i * k + j] += x[i] * x[j];
                    }
                }
                rows++;
            }
        }
        if (rows == 0) {
            throw new IllegalArgumentException("no train date has a label and a value of the pool's factors");
        }
        Combination best = null;
        double bestIc = Double.NEGATIVE_INFINITY;
        for (double penalty : PENALTIES) {
            DMatrixRMaj a = new DMatrixRMaj(k, k);
            DMatrixRMaj b = new DMatrixRMaj(k, 1);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j <= i; j++) {
                    double v = xtx[i * k + j] / rows;
                    a.set(i, j, v);
                    a.set(j, i, v);
                }
                // a tiny floor keeps the system solvable when two factors are the same signal
                a.add(i, i, penalty + 1e-9);
                b.set(i, 0, xty[i] / rows);
            }
            LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(k);
            DMatrixRMaj beta = new DMatrixRMaj(k, 1);
            if (!solver.setA(a)) {
                continue;
            }
            solver.solve(b, beta);
            double[] w = new double[k];
            for (int i = 0; i < k; i++) {
                w[i] = beta.get(i, 0);
            }
            double[] values = weighted(z, w, assets, dates);
            double ic = validRankIc(ev, values, ws);
            if (best == null || ic > bestIc) {
                best = new Combination(Method.RIDGE, values, w, penalty, Map.of(), 0);
                bestIc = ic;
            }
        }
        if (best == null) {
            throw new IllegalStateException("the ridge system could not be solved for any penalty");
        }
        return best;
    }

    /** Sum of weight * z-score per cell, asset-major; NaN where no member has a value. */
    private static double[] weighted(List<double[]> z, double[] w, int assets, int dates) {
        double[] byDate = new double[assets * dates];
        boolean[] any = new boolean[byDate.length];
        double totalWeight = 0;
        for (double v : w) {
            totalWeight += Math.abs(v);
        }
        double norm = totalWeight > 0 ? totalWeight : 1;
        for (int k = 0; k < w.length; k++) {
            double[] zk = z.get(k);
            double wk = w[k] / norm;
            for (int i = 0; i < byDate.length; i++) {
                double v = zk[i];
                boolean has = v == v;
                byDate[i] += has ? wk * v : 0.0;
                any[i] |= has;
            }
        }
        for (int i = 0; i < byDate.length; i++) {
            if (!any[i]) {
                byDate[i] = Double.NaN;
            }
        }
        double[] out = new double[byDate.length];
        CrossSectionalRanks.transpose(byDate, out, dates, assets);
        return out;
    }

    /** Cross-sectional z-scores per date, clipped at +-3, date-major; NaN where the factor is missing. */
    static double[] zScores(double[] values, int assets, int dates) {
        double[] t = new double[values.length];
        CrossSectionalRanks.transpose(values, t, assets, dates);
        for (int d = 0; d < dates; d++) {
            int row = d * assets;
            double sum = 0;
            int n = 0;
            for (int a = 0; a < assets; a++) {
                double v = t[row + a];
                if (v == v) {
                    sum += v;
                    n++;
                }
            }
            double mean = n == 0 ? 0 : sum / n;
            double ss = 0;
            for (int a = 0; a < assets; a++) {
                double v = t[row + a];
                if (v == v) {
                    ss += (v - mean) * (v - mean);
                }
            }
            double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
            for (int a = 0; a < assets; a++) {
                double v = t[row + a];
                if (v == v) {
                    // a date where every name has the same value says nothing: it counts as the mean
                    t[row + a] = sd > 0 ? Math.max(-CLIP, Math.min(CLIP, (v - mean) / sd)) : 0.0;
                }
            }
        }
        return t;
    }
}
