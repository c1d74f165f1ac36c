package dev.quantagent.evaluator;

import org.apache.commons.statistics.distribution.NormalDistribution;

import java.util.Arrays;
import java.util.Locale;

/**
 * How much a statistic means after many tries. A t-statistic's p-value is read off the normal distribution (the
 * Newey-West t-statistics of daily rank ICs rest on hundreds of dates, where the normal and Student's t agree to the
 * second decimal). A search that tried m factors adjusts each p-value for the m - 1 others: Holm's step-down
 * adjustment bounds the chance of any false discovery (family-wise error), Benjamini, Hochberg and Yekutieli's the
 * expected share of false ones among the discoveries under any dependence between the tests (the adjustment Harvey,
 * Liu and Zhu apply to the factor zoo). Factors tried without a p-value of their own (an invalid formula) count in m
 * with p = 1.
 */
public final class Significance {

    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);
    private static final double EULER_GAMMA = 0.5772156649015329;

    private Significance() {
    }

    /** The multiple-testing adjustments on offer. */
    public enum Adjustment {
        /** Holm (1979): family-wise error under any dependence. */
        HOLM,
        /**
         * Benjamini-Hochberg (1995): false discovery rate for independent or positively dependent tests (PRDS,
         * Benjamini and Yekutieli 2001), as one-sided tests of positively correlated factors are.
         */
        BH,
        /** Benjamini-Hochberg-Yekutieli (2001): false discovery rate under any dependence. */
        BHY;

        /** As the command line and JSON name it: {@code holm}, {@code bhy}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The adjustment named {@code key}, case-insensitively. */
        public static Adjustment of(String key) {
            for (Adjustment a : values()) {
                if (a.key().equalsIgnoreCase(key.trim())) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown multiple-testing adjustment '" + key + "': choose bhy, bh or "
                    + "holm");
        }
    }

    /** P(|Z| >= |t|): the two-sided p-value of a t-statistic; 1 when it is undefined. */
    public static double twoSided(double t) {
        return t == t ? Math.min(1.0, 2 * NORMAL.survivalProbability(Math.abs(t))) : 1.0;
    }

    /** P(Z >= t): the one-sided p-value of a t-statistic in its expected direction; 1 when it is undefined. */
    public static double oneSided(double t) {
        return t == t ? NORMAL.survivalProbability(t) : 1.0;
    }

    /** The |t| a two-sided p-value needs: the (1 - p / 2) quantile of the normal distribution. */
    public static double tFor(double pTwoSided) {
        return NORMAL.inverseSurvivalProbability(pTwoSided / 2);
    }

    /** Adjusted p-values of {@code p} as members of a family of {@code m >= p.length} tests, in the order given. */
    public static double[] adjust(Adjustment how, double[] p, long m) {
        return switch (how) {
            case HOLM -> holm(p, m);
            case BH -> stepUp(p, m, 1.0);
            case BHY -> bhy(p, m);
        };
    }

    /**
     * Holm's step-down adjustment: the k-th smallest of m p-values becomes max over j <= k of (m - j + 1) p_(j),
     * capped at 1.
     */
    public static double[] holm(double[] p, long m) {
        checkFamily(p, m);
        Integer[] order = ascending(p);
        double[] out = new double[p.length];
        double running = 0;
        for (int k = 0; k < p.length; k++) {
            int i = order[k];
            running = Math.max(running, Math.min(1.0, (m - k) * valueOf(p[i])));
            out[i] = running;
        }
        return out;
    }

    /**
     * Benjamini-Hochberg-Yekutieli: the k-th smallest of m p-values becomes min over j >= k of
     * m c(m) p_(j) / j, capped at 1, with c(m) = 1 + 1/2 + ... + 1/m.
     */
    public static double[] bhy(double[] p, long m) {
        return stepUp(p, m, harmonic(m));
    }

    /** Benjamini-Hochberg's step-up adjustment with the dependence factor c (1 for BH, c(m) for BHY). */
    private static double[] stepUp(double[] p, long m, double c) {
        checkFamily(p, m);
        Integer[] order = ascending(p);
        double[] out = new double[p.length];
        double running = 1.0;
        for (int k = p.length - 1; k >= 0; k--) {
            int i = order[k];
            running = Math.min(running, Math.min(1.0, m * c * valueOf(p[i]) / (k + 1)));
            out[i] = running;
        }
        return out;
    }

    /**
     * The p-value a new test must reach to be a discovery now: Holm's first step, alpha / m, for the family-wise
     * adjustment; for BH and BHY, the threshold of the (d + 1)-th discovery, alpha (d + 1) / m and
     * alpha (d + 1) / (m c(m)), given d discoveries already made in the family. Both fall as m grows: the more was tried, the more evidence a factor needs.
     */
    public static double threshold(Adjustment how, double alpha, long m, long discoveries) {
        if (m < 1) {
            throw new IllegalArgumentException("a family has at least one test");
        }
        return switch (how) {
            case HOLM -> alpha / m;
            case BH -> alpha * (discoveries + 1) / m;
            case BHY -> alpha * (discoveries + 1) / (m * harmonic(m));
        };
    }

    /** c(m) = 1 + 1/2 + ... + 1/m, summed exactly up to a million and by its expansion beyond. */
    static double harmonic(long m) {
        if (m <= 1_000_000) {
            double s = 0;
            for (long i = m; i >= 1; i--) {
                s += 1.0 / i;
            }
            return s;
        }
        double x = m;
        return Math.log(x) + EULER_GAMMA + 1 / (2 * x) - 1 / (12 * x * x);
    }

    /**
     * The probabilistic Sharpe ratio (Bailey and Lopez de Prado 2012): the probability that the true Sharpe ratio
     * exceeds {@code benchmark}, given an observed per-period Sharpe ratio {@code sharpe} over n returns with the
     * given skewness and (non-excess) kurtosis: Phi((SR - SR*) sqrt(n - 1) / sqrt(1 - skew SR + (kurt - 1) / 4 SR^2)).
     */
    public static double probabilisticSharpe(double sharpe, double benchmark, int n, double skewness,
                                             double kurtosis) {
        if (n < 2 || !(sharpe == sharpe) || !(benchmark == benchmark)) {
            return Double.NaN;
        }
        double spread = 1 - skewness * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe;
        if (!(spread > 0)) {
            return Double.NaN;
        }
        return NORMAL.cumulativeProbability((sharpe - benchmark) * Math.sqrt(n - 1) / Math.sqrt(spread));
    }

    /**
     * The Sharpe ratio the best of {@code trials} strategies with no edge is expected to show when their per-period
     * Sharpe ratios vary with variance {@code variance} (the False Strategy theorem, Bailey and Lopez de Prado 2014):
     * sqrt(V) ((1 - g) Phi^-1(1 - 1/N) + g Phi^-1(1 - 1/(N e))), g the Euler-Mascheroni constant; 0 for one trial.
     */
    public static double expectedMaxSharpe(double variance, long trials) {
        if (trials <= 1 || !(variance > 0)) {
            return 0.0;
        }
        double n = trials;
        return Math.sqrt(variance) * ((1 - EULER_GAMMA) * NORMAL.inverseSurvivalProbability(1 / n)
                + EULER_GAMMA * NORMAL.inverseSurvivalProbability(1 / (n * Math.E)));
    }

    /**
     * The |t| the best of {@code trials} tries of noise is expected to reach: the expected maximum of that many
     * absolute standard normal draws, (1 - g) Phi^-1(1 - 1/(2N)) + g Phi^-1(1 - 1/(2N e)) (the False Strategy
     * theorem's approximation, for two-sided statistics); 0 for one trial. About 2.5 after 100 trials, 3.2 after
     * 1,000 and 3.8 after 10,000: a search's evidence must beat what luck alone would have shown it.
     */
    public static double expectedMaxAbsT(long trials) {
        if (trials <= 1) {
            return 0.0;
        }
        double n = 2.0 * trials;
        return (1 - EULER_GAMMA) * NORMAL.inverseSurvivalProbability(1 / n)
                + EULER_GAMMA * NORMAL.inverseSurvivalProbability(1 / (n * Math.E));
    }

    /** The mean and the second, third and fourth central moments (over n, as scipy's biased estimates) of v. */
    static double[] moments(double[] v) {
        int n = v.length;
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (double x : v) {
            double d = x - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        return new double[] {mean, m2 / n, m3 / n, m4 / n};
    }

    /**
     * The deflated Sharpe ratio of one return series chosen among {@code trials}: its probabilistic Sharpe ratio
     * against the Sharpe ratio the best of that many strategies without an edge would show.
     *
     * @param returns          the chosen strategy's returns per period (NaN skipped)
     * @param trials           strategies tried to find it
     * @param sharpeVariance   variance of the per-period Sharpe ratios across the trials
     * @param periodsPerYear   to state the Sharpe ratios annualised
     */
    public static Deflated deflatedSharpe(double[] returns, long trials, double sharpeVariance,
                                          double periodsPerYear) {
        Moments m = Moments.of(returns);
        if (m == null) {
            return new Deflated(Double.NaN, Double.NaN, Double.NaN, trials, count(returns));
        }
        double expectedMax = expectedMaxSharpe(sharpeVariance, trials);
        double annual = Math.sqrt(periodsPerYear);
        return new Deflated(probabilisticSharpe(m.sharpe, expectedMax, m.n, m.skewness, m.kurtosis),
                m.sharpe * annual, expectedMax * annual, trials, m.n);
    }

    /**
     * The probabilistic Sharpe ratio of per-period returns (NaN skipped) against a per-period benchmark Sharpe
     * ratio, from their Sharpe ratio (sample standard deviation) and their skewness and kurtosis (biased moments, as
     * scipy.stats computes them by default); NaN below 3 returns or for a constant series.
     */
    public static double probabilisticSharpe(double[] returns, double benchmark) {
        Moments m = Moments.of(returns);
        return m == null ? Double.NaN : probabilisticSharpe(m.sharpe, benchmark, m.n, m.skewness, m.kurtosis);
    }

    private static int count(double[] returns) {
        return (int) Arrays.stream(returns).filter(v -> v == v).count();
    }

    /** A return series' per-period Sharpe ratio, skewness and (non-excess) kurtosis. */
    private record Moments(int n, double sharpe, double skewness, double kurtosis) {

        /** The moments of the returns that are numbers, or null below 3 of them or for a constant series. */
        static Moments of(double[] returns) {
            double[] r = Arrays.stream(returns).filter(v -> v == v).toArray();
            int n = r.length;
            if (n < 3) {
                return null;
            }
            double[] m = moments(r);
            double mean = m[0];
            double m2 = m[1];
            double m3 = m[2];
            double m4 = m[3];
            double sd = Math.sqrt(m2 * n / (n - 1));
            if (!(sd > 0)) {
                return null;
            }
            return new Moments(n, mean / sd, m3 / Math.pow(m2, 1.5), m4 / (m2 * m2));
        }
    }

    /**
     * A deflated Sharpe ratio with what it was computed from.
     *
     * @param probability          the probability that the true Sharpe ratio is above what luck alone would give the
     *                             best of the trials (above 0.95: significant at 5%)
     * @param sharpe               the observed Sharpe ratio, annualised
     * @param expectedMaxSharpe    the best Sharpe ratio expected of that many trials without an edge, annualised
     * @param trials               trials it was deflated for
     * @param periods              returns it rests on
     */
    public record Deflated(double probability, double sharpe, double expectedMaxSharpe, long trials, int periods) {
    }

    private static void checkFamily(double[] p, long m) {
        if (m < p.length) {
            throw new IllegalArgumentException("a family of " + m + " tests cannot hold " + p.length + " p-values");
        }
    }

    private static double valueOf(double p) {
        return p == p ? p : 1.0;
    }

    private static Integer[] ascending(double[] p) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(valueOf(p[a]), valueOf(p[b])));
        return order;
    }
}
