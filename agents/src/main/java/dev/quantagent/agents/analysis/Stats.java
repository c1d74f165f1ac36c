package dev.quantagent.agents.analysis;

/**
 * The few distributions the analysis tests with: the standard normal (cumulative and inverse), the hypergeometric
 * upper tail (Fisher's exact test, one-sided) and the probabilistic Sharpe ratio. No library on the classpath has
 * them; each is a textbook algorithm, tested against values computed independently.
 */
final class Stats {

    private Stats() {
    }

    /**
     * Φ(x), the standard normal CDF, through the complementary error function (W. J. Cody's rational Chebyshev
     * approximations, as in his CALERF; relative error below 1e-15 in double).
     */
    static double normalCdf(double x) {
        if (x != x) {
            return Double.NaN;
        }
        return x < 0 ? 0.5 * erfc(-x / Math.sqrt(2)) : 1 - 0.5 * erfc(x / Math.sqrt(2));
    }

    private static final double[] A = {3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
        3.20937758913846947e03, 1.85777706184603153e-1};
    private static final double[] B = {2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
        2.84423683343917062e03};
    private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
        2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03,
        1.23033935479799725e03, 2.15311535474403846e-8};
    private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
        1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03,
        1.23033935480374942e03};
    private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
        1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2};
    private static final double[] Q = {2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
        6.05183413124413191e-2, 2.33520497626869185e-3};

    /** erfc(x) for x ≥ 0 (Cody). */
    static double erfc(double x) {
        double y = Math.abs(x);
        if (y <= 0.46875) {
            double z = y > 1.11e-16 ? y * y : 0;
            double num = A[4] * z;
            double den = z;
            for (int i = 0; i < 3; i++) {
                num = (num + A[i]) * z;
                den = (den + B[i]) * z;
            }
            double erf = x * (num + A[3]) / (den + B[3]);
            return 1 - erf;
        }
        double r;
        if (y <= 4) {
            double num = C[8] * y;
            double den = y;
            for (int i = 0; i < 7; i++) {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            r = (num + C[7]) / (den + D[7]);
        } else {
            if (y >= 26.64) {
                return 0;
            }
            double z = 1 / (y * y);
            double num = P[5] * z;
            double den = z;
            for (int i = 0; i < 4; i++) {
                num = (num + P[i]) * z;
                den = (den + Q[i]) * z;
            }
            r = z * (num + P[4]) / (den + Q[4]);
            r = (1 / Math.sqrt(Math.PI) - r) / y;
        }
        // exp(-y²) split as in Cody, to keep the relative error small in the tail
        double ysq = Math.floor(y * 16) / 16;
        double del = (y - ysq) * (y + ysq);
        return Math.exp(-ysq * ysq) * Math.exp(-del) * r;
    }

    /**
     * Φ⁻¹(p): Acklam's rational approximation (relative error 1.15e-9), refined by one Halley step on
     * {@link #normalCdf}, which brings it to about double precision.
     */
    static double normalInverse(double p) {
        if (!(p > 0 && p < 1)) {
            return p == 0 ? Double.NEGATIVE_INFINITY : p == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double x;
        if (p < 0.02425) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p <= 1 - 0.02425) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double e = normalCdf(x) - p;
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /** ln(n!) for n = 0 .. max, by summing logs (exact enough: the sums stay far below 2^53 ulps). */
    static double[] logFactorials(int max) {
        double[] f = new double[max + 1];
        for (int i = 1; i <= max; i++) {
            f[i] = f[i - 1] + Math.log(i);
        }
        return f;
    }

    /**
     * P(X ≥ k) for X hypergeometric: {@code n} draws without replacement from {@code total} items of which
     * {@code marked} are marked: the one-sided p-value of Fisher's exact test that a bucket of n trades holds at least
     * k of the losses by chance.
     *
     * @param lnFact {@link #logFactorials} up to at least {@code total}
     */
    static double hypergeometricUpperTail(int k, int total, int marked, int n, double[] lnFact) {
        int hi = Math.min(n, marked);
        int lo = Math.max(0, n - (total - marked));
        if (k <= lo) {
            return 1;
        }
        if (k > hi) {
            return 0;
        }
        double lnDenominator = lnChoose(total, n, lnFact);
        double p = 0;
        for (int x = k; x <= hi; x++) {
            p += Math.exp(lnChoose(marked, x, lnFact) + lnChoose(total - marked, n - x, lnFact) - lnDenominator);
        }
        return Math.min(1, p);
    }

    private static double lnChoose(int n, int k, double[] lnFact) {
        return lnFact[n] - lnFact[k] - lnFact[n - k];
    }

    /**
     * The probabilistic Sharpe ratio (Bailey and López de Prado, 2012): the probability that the true per-period
     * Sharpe ratio exceeds {@code benchmark}, given the observed one, the sample size and the returns' skewness and
     * kurtosis: Φ((SR − SR*) √(n − 1) / √(1 − γ₃ SR + (γ₄ − 1) / 4 SR²)). SR is per period (not annualised), from
     * the sample standard deviation; γ₃ and γ₄ are the sample skewness and (non-excess) kurtosis from the biased
     * moments, as scipy.stats computes them by default. NaN below 3 returns or for a constant series.
     */
    static double probabilisticSharpe(double[] returns, double benchmark) {
        int n = returns.length;
        if (n < 3) {
            return Double.NaN;
        }
        double mean = 0;
        for (double r : returns) {
            mean += r;
        }
        mean /= n;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (double r : returns) {
            double d = r - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        if (!(m2 > 0)) {
            return Double.NaN;
        }
        double sd = Math.sqrt(m2 * n / (n - 1));
        double sr = mean / sd;
        double skew = m3 / Math.pow(m2, 1.5);
        double kurt = m4 / (m2 * m2);
        double var = 1 - skew * sr + (kurt - 1) / 4 * sr * sr;
        if (!(var > 0)) {
            return Double.NaN;
        }
        return normalCdf((sr - benchmark) * Math.sqrt(n - 1) / Math.sqrt(var));
    }

    /**
     * The Sharpe ratio (per period) that the best of {@code trials} independent unskilled strategies would reach by
     * luck: the expected maximum of N standard normals, scaled by the standard error of the Sharpe estimate (the
     * deflated Sharpe ratio's threshold, Bailey and López de Prado 2014, with the trials' Sharpe variance taken as
     * the estimator's own variance {@code (1 + SR²/2) / (n − 1)}).
     */
    static double luckySharpe(int trials, double sharpePerPeriod, int n) {
        if (trials < 2 || n < 3) {
            return 0;
        }
        double euler = 0.5772156649015329;
        double sd = Math.sqrt((1 + sharpePerPeriod * sharpePerPeriod / 2) / (n - 1));
        double z = (1 - euler) * normalInverse(1 - 1.0 / trials) + euler * normalInverse(1 - 1 / (trials * Math.E));
        return sd * z;
    }
}
