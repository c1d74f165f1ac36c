package dev.quantagent.sandbox;

import dev.quantagent.sandbox.Expr.Call;
import dev.quantagent.sandbox.Expr.Field;
import dev.quantagent.sandbox.Expr.Group;
import dev.quantagent.sandbox.Expr.Num;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An independent, deliberately naive implementation of the language's semantics for tests: every window is
 * recomputed from scratch with textbook formulas, ranks are counted in O(n^2), EMA sums explicit weights, skewness
 * and kurtosis use k-statistics. No code is shared with the production kernels.
 */
final class ReferenceEvaluator {

    private final Panel p;
    private final int dates;
    private final int assets;

    ReferenceEvaluator(Panel panel) {
        this.p = panel;
        this.dates = panel.dateCount();
        this.assets = panel.assetCount();
    }

    private Function<Expr, double[]> children = this::eval;

    /**
     * Applies the reference semantics of one operator node to child values computed elsewhere (for per-operator
     * conformance: discrete operators such as rank amplify last-digit differences of their inputs into different
     * tie-breaking, so each operator is checked on identical inputs).
     */
    double[] applyTo(Call c, Function<Expr, double[]> childValues) {
        this.children = childValues;
        try {
            return eval(c);
        } finally {
            this.children = this::eval;
        }
    }

    /**
     * Every operator node of e against the reference, each given the production values of its children (discrete
     * operators such as rank amplify last-digit differences of their inputs into different tie-breaking, so each
     * node is checked on identical inputs), within a relative tolerance (see {@link Approx}).
     *
     * @return a line per node that differs, naming its operator and where
     */
    static List<String> nodesThatDiffer(Panel panel, Expr e, double relTol, String where) {
        FactorEvaluator evaluator = new Sandbox(Limits.DEFAULT).evaluator(panel);
        Map<Expr, double[]> production = new IdentityHashMap<>();
        Function<Expr, double[]> values = node -> production.computeIfAbsent(node,
                k -> evaluator.evaluate(new Factor("", k, "", "", new Complexity(0, 0, 0, 0), List.of(), 0)));
        List<String> differences = new ArrayList<>();
        checkNodes(new ReferenceEvaluator(panel), e, values, relTol, where, differences);
        return differences;
    }

    private static void checkNodes(ReferenceEvaluator reference, Expr e, Function<Expr, double[]> values,
                                   double relTol, String where, List<String> differences) {
        if (!(e instanceof Call c)) {
            return;
        }
        for (Expr a : c.args()) {
            checkNodes(reference, a, values, relTol, where, differences);
        }
        double[] expected = reference.applyTo(c, values);
        try {
            Approx.assertClose(expected, values.apply(c), relTol, c.op().name() + " in " + where);
        } catch (AssertionError failure) {
            differences.add(failure.getMessage());
        }
    }

    double[] eval(Expr e) {
        if (e instanceof Num n) {
            double[] v = new double[dates * assets];
            Arrays.fill(v, n.value());
            return v;
        }
        if (e instanceof Field f) {
            return field(f.name());
        }
        Call c = (Call) e;
        String op = c.op().name();
        switch (c.op().category()) {
            case ARITHMETIC, LOGIC -> {
                double[][] in = new double[c.args().size()][];
                for (int i = 0; i < in.length; i++) {
                    in[i] = c.arg(i) instanceof Num ? eval(c.arg(i)) : children.apply(c.arg(i));
                }
                double[] out = new double[dates * assets];
                for (int i = 0; i < out.length; i++) {
                    out[i] = clean(elementwise(op, in, i));
                }
                return out;
            }
            case TIME_SERIES -> {
                return timeSeries(c, op);
            }
            default -> {
                return crossSection(c, op);
            }
        }
    }

    private static double clean(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private double[] field(String name) {
        if (p.hasField(name)) {
            return p.column(name);
        }
        double[] close = p.column("close");
        double[] out = new double[dates * assets];
        if (name.equals("returns")) {
            for (int a = 0; a < assets; a++) {
                for (int t = 0; t < dates; t++) {
                    int i = a * dates + t;
                    out[i] = t == 0 || close[i - 1] == 0 ? Double.NaN : clean(close[i] / close[i - 1] - 1);
                }
            }
            return out;
        }
        if (name.equals("vwap")) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (p.column("high")[i] + p.column("low")[i] + close[i]) / 3;
            }
            return out;
        }
        int d = Integer.parseInt(name.substring(3));
        double[] vwap = field("vwap");
        double[] vol = p.column("volume");
        for (int a = 0; a < assets; a++) {
            for (int t = 0; t < dates; t++) {
                double s = 0;
                for (int k = t - d + 1; k <= t; k++) {
                    s += k < 0 ? Double.NaN : vol[a * dates + k] * vwap[a * dates + k];
                }
                out[a * dates + t] = s / d;
            }
        }
        return out;
    }

    private static double elementwise(String op, double[][] in, int i) {
        double a = in[0][i];
        double b = in.length > 1 ? in[1][i] : Double.NaN;
        boolean nan = Double.isNaN(a) || (in.length > 1 && Double.isNaN(b));
        return switch (op) {
            case "add" -> a + b;
            case "sub" -> a - b;
            case "mul" -> a * b;
            case "div" -> b == 0 ? Double.NaN : a / b;
            case "pow" -> Math.pow(a, b);
            case "neg" -> -a;
            case "abs" -> Math.abs(a);
            case "sign" -> Double.isNaN(a) ? a : (a > 0 ? 1 : a < 0 ? -1 : 0);
            case "log" -> a > 0 ? Math.log(a) : Double.NaN;
            case "sqrt" -> a >= 0 ? Math.sqrt(a) : Double.NaN;
            case "exp" -> Math.exp(a);
            case "signedpower" -> (a > 0 ? 1 : a < 0 ? -1 : a == 0 ? 0 : Double.NaN) * Math.pow(Math.abs(a), b);
            case "greater" -> nan ? Double.NaN : (a >= b ? a : b);
            case "less" -> nan ? Double.NaN : (a <= b ? a : b);
            case "gt" -> nan ? Double.NaN : a > b ? 1 : 0;
            case "ge" -> nan ? Double.NaN : a >= b ? 1 : 0;
            case "lt" -> nan ? Double.NaN : a < b ? 1 : 0;
            case "le" -> nan ? Double.NaN : a <= b ? 1 : 0;
            case "eq" -> nan ? Double.NaN : a == b ? 1 : 0;
            case "ne" -> nan ? Double.NaN : a != b ? 1 : 0;
            case "and" -> nan ? Double.NaN : (a != 0 && b != 0) ? 1 : 0;
            case "or" -> nan ? Double.NaN : (a != 0 || b != 0) ? 1 : 0;
            case "not" -> Double.isNaN(a) ? a : a == 0 ? 1 : 0;
            case "if" -> Double.isNaN(a) ? Double.NaN : a != 0 ? in[1][i] : in[2][i];
            default -> throw noReference(op);
        };
    }

    private static IllegalArgumentException noReference(String op) {
        return new IllegalArgumentException("the reference implementation has no operator " + op);
    }

    private double[] timeSeries(Call c, String op) {
        double[] x = children.apply(c.arg(0));
        boolean pair = op.equals("correlation") || op.equals("covariance") || op.equals("regbeta")
                || op.equals("regresi");
        double[] y = pair ? children.apply(c.arg(1)) : null;
        int d = (int) ((Num) c.arg(pair ? 2 : 1)).value();
        double q = op.equals("ts_quantile") ? ((Num) c.arg(2)).value() : 0;
        double[] out = new double[dates * assets];
        for (int a = 0; a < assets; a++) {
            for (int t = 0; t < dates; t++) {
                out[a * dates + t] = clean(tsCell(op, x, y, a, t, d, q));
            }
        }
        return out;
    }

    private double tsCell(String op, double[] x, double[] y, int a, int t, int d, double q) {
        int b = a * dates;
        switch (op) {
            case "delay":
                return t - d < 0 ? Double.NaN : x[b + t - d];
            case "delta":
                return t - d < 0 ? Double.NaN : x[b + t] - x[b + t - d];
            case "ts_count": {
                if (t < d - 1) {
                    return Double.NaN;
                }
                int n = 0;
                for (int k = t - d + 1; k <= t; k++) {
                    n += Double.isNaN(x[b + k]) ? 0 : 1;
                }
                return n;
            }
            case "ema": {
                if (Double.isNaN(x[b + t])) {
                    return Double.NaN;
                }
                double alpha = 2.0 / (d + 1);
                double num = 0;
                double den = 0;
                int seen = 0;
                for (int k = 0; k <= t; k++) {
                    if (!Double.isNaN(x[b + k])) {
                        double w = Math.pow(1 - alpha, t - k);
                        num += w * x[b + k];
                        den += w;
                        seen++;
                    }
                }
                return seen < d ? Double.NaN : num / den;
            }
            default:
                break;
        }
        if (t < d - 1) {
            return Double.NaN;
        }
        double[] w = Arrays.copyOfRange(x, b + t - d + 1, b + t + 1);
        double[] v = y == null ? null : Arrays.copyOfRange(y, b + t - d + 1, b + t + 1);
        for (int k = 0; k < d; k++) {
            if (Double.isNaN(w[k]) || (v != null && Double.isNaN(v[k]))) {
                return Double.NaN;
            }
        }
        double mean = Arrays.stream(w).sum() / d;
        double ss = 0;
        for (double u : w) {
            ss += (u - mean) * (u - mean);
        }
        boolean constant = Arrays.stream(w).allMatch(u -> u == w[0]);
        double var = constant ? 0 : ss / (d - 1);
        switch (op) {
            case "ts_sum":
                return Arrays.stream(w).sum();
            case "ts_mean":
                return mean;
            case "ts_var":
                return var;
            case "stddev":
                return Math.sqrt(var);
            case "ts_zscore":
                return var == 0 ? Double.NaN : (w[d - 1] - mean) / Math.sqrt(var);
            case "ts_min":
                return Arrays.stream(w).min().getAsDouble();
            case "ts_max":
                return Arrays.stream(w).max().getAsDouble();
            case "ts_argmax": {
                int best = 0;
                for (int k = 1; k < d; k++) {
                    if (w[k] > w[best]) {
                        best = k;
                    }
                }
                return best + 1;
            }
            case "ts_argmin": {
                int best = 0;
                for (int k = 1; k < d; k++) {
                    if (w[k] < w[best]) {
                        best = k;
                    }
                }
                return best + 1;
            }
            case "ts_rank":
                return averageRank(w, w[d - 1]) / d;
            case "ts_product": {
                double prod = 1;
                for (double u : w) {
                    prod *= u;
                }
                return prod;
            }
            case "ts_median":
            case "ts_quantile": {
                double[] s = w.clone();
                Arrays.sort(s);
                double pos = (op.equals("ts_median") ? 0.5 : q) * (d - 1);
                int lo = (int) pos;
                return lo + 1 < d ? s[lo] * (1 - (pos - lo)) + s[lo + 1] * (pos - lo) : s[lo];
            }
            case "ts_mad": {
                double s = 0;
                for (double u : w) {
                    s += Math.abs(u - mean);
                }
                return s / d;
            }
            case "ts_skew": {
                if (constant) {
                    return Double.NaN;
                }
                double m2 = 0;
                double m3 = 0;
                for (double u : w) {
                    m2 += Math.pow(u - mean, 2) / d;
                    m3 += Math.pow(u - mean, 3) / d;
                }
                double n = d;
                double k2 = n / (n - 1) * m2;
                double k3 = n * n / ((n - 1) * (n - 2)) * m3;
                return k3 / Math.pow(k2, 1.5);
            }
            case "ts_kurt": {
                if (constant) {
                    return Double.NaN;
                }
                double m2 = 0;
                double m4 = 0;
                for (double u : w) {
                    m2 += Math.pow(u - mean, 2) / d;
                    m4 += Math.pow(u - mean, 4) / d;
                }
                double n = d;
                double k2 = n / (n - 1) * m2;
                double k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3));
                return k4 / (k2 * k2);
            }
            case "decay_linear": {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += (k + 1) * w[k];
                }
                return s / (d * (d + 1) / 2.0);
            }
            case "ts_slope":
            case "ts_rsquare":
            case "ts_resi": {
                double[] time = new double[d];
                for (int k = 0; k < d; k++) {
                    time[k] = k;
                }
                return regression(op, w, time);
            }
            case "correlation": {
                boolean constY = Arrays.stream(v).allMatch(u -> u == v[0]);
                if (constant || constY) {
                    return Double.NaN;
                }
                return covariance(w, v) / Math.sqrt(covariance(w, w) * covariance(v, v));
            }
            case "covariance": {
                boolean constY = Arrays.stream(v).allMatch(u -> u == v[0]);
                return constant || constY ? 0 : covariance(w, v);
            }
            case "regbeta":
            case "regresi": {
                // regbeta(y, x): the first argument (w) regressed on the second (v)
                boolean constX = Arrays.stream(v).allMatch(u -> u == v[0]);
                if (constX) {
                    return Double.NaN;
                }
                return regression(op.equals("regbeta") ? "ts_slope" : "ts_resi", w, v);
            }
            default:
                throw noReference(op);
        }
    }

    private static double covariance(double[] u, double[] v) {
        double mu = Arrays.stream(u).average().getAsDouble();
        double mv = Arrays.stream(v).average().getAsDouble();
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            s += (u[k] - mu) * (v[k] - mv);
        }
        return s / (u.length - 1);
    }

    /** Least squares of yv on xv, by the normal equations on centred data. */
    private static double regression(String what, double[] yv, double[] xv) {
        int n = yv.length;
        double mx = Arrays.stream(xv).average().getAsDouble();
        double my = Arrays.stream(yv).average().getAsDouble();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int k = 0; k < n; k++) {
            sxy += (xv[k] - mx) * (yv[k] - my);
            sxx += (xv[k] - mx) * (xv[k] - mx);
            syy += (yv[k] - my) * (yv[k] - my);
        }
        boolean constY = Arrays.stream(yv).allMatch(u -> u == yv[0]);
        double slope = constY ? 0 : sxy / sxx;
        switch (what) {
            case "ts_slope":
                return slope;
            case "ts_rsquare":
                return constY ? Double.NaN : sxy * sxy / (sxx * syy);
            default:
                return constY ? 0 : yv[n - 1] - (my + slope * (xv[n - 1] - mx));
        }
    }

    /** 1-based average rank of v among values (ties averaged), by counting. */
    private static double averageRank(double[] values, double v) {
        int less = 0;
        int equal = 0;
        for (double u : values) {
            if (u < v) {
                less++;
            } else if (u == v) {
                equal++;
            }
        }
        return less + (equal + 1) / 2.0;
    }

    private double[] crossSection(Call c, String op) {
        double[] x = children.apply(c.arg(0));
        int[] group = new int[assets];
        if (c.arg(c.args().size() - 1) instanceof Group g) {
            for (int a = 0; a < assets; a++) {
                String label = p.groupOf(g.name(), a);
                group[a] = label == null ? -1 : label.hashCode();
            }
        }
        boolean grouped = c.op().category() == Op.Category.GROUP;
        double[] out = new double[dates * assets];
        for (int t = 0; t < dates; t++) {
            for (int a = 0; a < assets; a++) {
                int i = a * dates + t;
                if (grouped && group[a] == -1) {
                    out[i] = Double.NaN;
                    continue;
                }
                // peers: same date, present, and (for group operators) same group
                double[] peers = new double[assets];
                int n = 0;
                for (int o = 0; o < assets; o++) {
                    double v = x[o * dates + t];
                    if (!Double.isNaN(v) && (!grouped || group[o] == group[a])) {
                        peers[n++] = v;
                    }
                }
                double[] pv = Arrays.copyOf(peers, n);
                double mean = Arrays.stream(pv).average().orElse(Double.NaN);
                double sd = n > 1 ? Math.sqrt(Arrays.stream(pv).map(u -> (u - mean) * (u - mean)).sum() / (n - 1)) : 0;
                double v = x[i];
                out[i] = clean(switch (op) {
                    case "rank", "group_rank" -> Double.isNaN(v) ? Double.NaN : averageRank(pv, v) / n;
                    case "zscore", "group_zscore" -> sd > 0 ? (v - mean) / sd : Double.NaN;
                    case "scale" -> {
                        double s = Arrays.stream(pv).map(Math::abs).sum();
                        yield s > 0 ? ((Num) c.arg(1)).value() * v / s : Double.NaN;
                    }
                    case "indneutralize" -> v - mean;
                    default -> throw noReference(op);
                });
            }
        }
        return out;
    }
}
