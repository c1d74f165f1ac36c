package dev.quantagent.evaluator.synth;

import dev.quantagent.sandbox.CrossSectionalRanks;
import dev.quantagent.sandbox.Panel;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The embedded default market: a seeded, documented multi-factor simulation of daily stock bars, with a few weak
 * alphas planted in it so that mining has something real to rediscover without any data file or network.
 *
 * <h2>Calendar, symbols, groups</h2>
 * Business days (Monday to Friday, no holidays) from {@link #START} (2015-01-02); the default 756 days are three
 * years. Symbols {@code SYN000}, {@code SYN001}, ... (zero-padded so that name order is index order). Every asset has
 * a {@code subindustry} (40 groups {@code SUB00..SUB39}, as balanced as the asset count allows, shuffled by the seed),
 * nested in an {@code industry} ({@code IND00..IND19}, industry = subindustry / 2) nested in a {@code sector}
 * ({@code SEC0..SEC7}, sector = industry * 8 / 20), so {@code IndNeutralize(x, IndClass.sector)} and friends work.
 *
 * <h2>Returns</h2>
 * The daily log return of asset i on day t is
 * <pre>
 *   r[i,t] = beta[i] * m[t] + g[i] * f[sector(i), t] + e[i,t] + p[i,t]
 * </pre>
 * <ul>
 *   <li>Market {@code m[t] = mu[t] + v[t] * sqrt(H[t]) * z[t]}: {@code z} Student-t with 5 degrees of freedom scaled
 *       to unit variance (fat tails) and clipped at 6 (at 10 for idiosyncratic draws); {@code H} a GARCH(1,1)
 *       variance {@code H[t+1] = w + 0.06 * H[t] z[t]^2 + 0.92 H[t]} around a 0.9% daily volatility (volatility
 *       clustering). Bull drift {@code mu = +0.0007} a day; in one bear stretch per block of 378 days (40 to 80 days
 *       long, starting 94 to 298 days into its block, placed by the seed) {@code mu = -0.0025} and {@code v = 1.5},
 *       otherwise {@code v = 1}. The default market's equal-weighted index ends about 20% up after drawdowns of up to
 *       about 20%.</li>
 *   <li>Sector factors {@code f}: independent Student-t(5) shocks of 0.6% daily volatility, scaled by the market's
 *       current relative volatility {@code sqrt(H[t]) / 0.009} (turbulence is market-wide); loading {@code g[i]} in
 *       [0.7, 1.3).</li>
 *   <li>Beta {@code beta[i]} uniform in [0.5, 1.5).</li>
 *   <li>Idiosyncratic {@code e[i,t] = sqrt(h[i,t]) * Student-t(5)}, with a per-asset GARCH(1,1) {@code h[i,t+1] =
 *       w[i] + a[i] e[i,t]^2 + b[i] h[i,t]}, {@code a} in [0.03, 0.07), persistence {@code a + b} in [0.94, 0.975),
 *       unconditional volatility {@code s[i]} log-uniform in [1%, 3%) a day.</li>
 *   <li>{@code p[i,t]}: the planted alphas below.</li>
 * </ul>
 *
 * <h2>Bars</h2>
 * {@code close[t] = close[t-1] * exp(r[t])} from a log-uniform start price in [10, 300). {@code open[t] = close[t-1]
 * * exp(0.3 * sd * N(0,1))}, an overnight gap, where {@code sd} is the asset's conditional daily volatility of the
 * day (market, sector and idiosyncratic parts). {@code high = max(open, close) * exp(sd * (0.05 + 0.3 X))} and
 * {@code low = min(open, close) * exp(-sd * (0.05 + 0.3 X'))} with {@code X, X'} standard exponential, so the
 * intraday range is proportional to volatility and {@code low < min(open, close) <= max(open, close) < high}.
 * {@code vwap = (high + low + close) / 3 + 0.05 (high - low) N(0,1)}, clamped into [low, high]. Volume (whole
 * shares): {@code log v[t] = L[i] + 0.8 (log v[t-1] - L[i]) + 0.3 (|r[t]| / S[i] - 0.8) + 0.2 N(0,1)}, an AR(1)
 * around an asset-specific level {@code L} (log-uniform 200k to 20M shares) that spikes on big moves ({@code S} is
 * the asset's unconditional total volatility). {@code cap = close * shares}, with a constant share count per asset
 * (daily turnover {@code exp(L) / shares} log-uniform in [0.2%, 2%)).
 *
 * <h2>Planted alphas</h2>
 * Each of {@link #plantedAlphas()} is a formula of the factor language computed on day t from simulated data up to
 * and including day t only. Its cross-sectional rank becomes a normal score {@code z} (centred, unit variance, ties
 * averaged) and {@code p[i,t+2] = s[i] * sum_k strength * lambda_k * z_k[i,t]}, demeaned across assets (so the
 * planted part moves no index): the log return from the close of t+1 to the close of t+2 (the return a factor
 * known at the close of t earns under the default label: trade at the next close, hold one day) loads on the
 * signal in units of the asset's own
 * idiosyncratic risk. No alpha is planted while a signal's window is not yet full. The strengths were chosen so that
 * each formula's mean daily rank IC against that return lands in 0.02 to 0.05 on the default market.
 *
 * <p>Generation is a pure function of the {@link Config}: every random draw comes from {@link SplittableRandom}s
 * seeded from the config's seed (no global state), and transcendental functions are {@link StrictMath}'s, so a seed
 * gives the same panel, bit for bit, on every JVM. Days are simulated in order and nothing looks ahead, so a market
 * of fewer days is exactly the start of a longer one with the same seed and asset count. The default market takes
 * about 40 ms to generate.
 */
public final class SyntheticMarket {

    /** The first date of every synthetic market. */
    public static final LocalDate START = LocalDate.of(2015, 1, 2);

    static final int SECTORS = 8;
    static final int INDUSTRIES = 20;
    static final int SUBINDUSTRIES = 40;

    // Market.
    private static final double MARKET_VOL = 0.009;
    private static final double MARKET_ARCH = 0.06;
    private static final double MARKET_GARCH = 0.92;
    private static final double BULL_DRIFT = 0.0007;
    private static final double BEAR_DRIFT = -0.0025;
    private static final double BEAR_VOL = 1.5;
    private static final int DAYS_PER_BEAR = 378;
    // Sectors.
    private static final double SECTOR_VOL = 0.006;
    // Student-t degrees of freedom, and the factor that scales a t draw to unit variance.
    private static final int DOF = 5;
    private static final double T_SCALE = Math.sqrt((DOF - 2.0) / DOF);
    // Clips of the unit-variance t draws (factor draws clip with probability ~6e-4, idiosyncratic ones ~5e-5).
    private static final double FACTOR_CLIP = 6;
    private static final double IDIO_CLIP = 10;
    // Bars.
    private static final double GAP = 0.3;
    private static final double RANGE_FLOOR = 0.05;
    private static final double RANGE = 0.3;
    private static final double VWAP_NOISE = 0.05;
    // Volume.
    private static final double VOLUME_PERSISTENCE = 0.8;
    private static final double VOLUME_LINK = 0.3;
    private static final double VOLUME_LINK_CENTRE = 0.8; // about E|t5| of a unit-variance draw, so the link is centred
    private static final double VOLUME_NOISE = 0.2;

    // Planted alphas: signal windows and loadings (lambda, in idiosyncratic sds per unit normal score).
    private static final int REVERSAL_WINDOW = 5;
    private static final int VOLUME_WINDOW = 20;
    private static final int VOL_WINDOW = 20;
    private static final double REVERSAL_LAMBDA = 0.05;
    private static final double PRICE_VOLUME_LAMBDA = 0.045;
    private static final double LOW_VOL_LAMBDA = 0.030;

    private static final List<PlantedAlpha> PLANTED = List.of(
            new PlantedAlpha("short-term reversal", "-ts_sum(returns, 5)", REVERSAL_LAMBDA, 0.035,
                    "the log return from the next close to the one after loses lambda * s[i] per unit normal score of the cross-sectional rank "
                            + "of the last 5 daily returns (losers of the week bounce, winners give back)"),
            new PlantedAlpha("volume-confirmed intraday momentum",
                    "(close - open) / (high - low) * volume / ts_mean(volume, 20)", PRICE_VOLUME_LAMBDA, 0.03,
                    "the log return from the next close to the one after gains lambda * s[i] per unit normal score of the rank of the day's "
                            + "open-to-close move as a share of its high-low range, times volume relative to its "
                            + "20-day mean (strong closes on heavy volume continue)"),
            new PlantedAlpha("low-volatility anomaly", "-stddev(returns, 20)", LOW_VOL_LAMBDA, 0.03,
                    "the log return from the next close to the one after gains lambda * s[i] per unit normal score of the rank of minus the "
                            + "20-day standard deviation of daily returns (calm stocks earn more)"));

    private SyntheticMarket() {
    }

    /**
     * What to simulate.
     *
     * @param assets number of assets, 1 to {@link #MAX_ASSETS}
     * @param days number of business days, 1 to {@link #MAX_DAYS}
     * @param seed the seed: same seed, same market
     * @param plantedStrength multiplier of every planted alpha's loading: 1 as documented, 0 for a market without
     *     planted alphas (a null model); 0 to 10
     */
    public record Config(int assets, int days, long seed, double plantedStrength) {

        public static final int MAX_ASSETS = 10_000;
        public static final int MAX_DAYS = 20_000;
        /** Most cells (assets x days) of one market: 7 fields of 20M cells take about 1.1 GB. */
        public static final long MAX_CELLS = 20_000_000L;

        /** 100 assets, 756 days (three years), seed 42, planted alphas at full strength. */
        public static final Config DEFAULT = new Config(100, 756, 42L);

        public Config {
            if (assets < 1 || assets > MAX_ASSETS) {
                throw new IllegalArgumentException("assets must be between 1 and " + MAX_ASSETS + ", got " + assets);
            }
            if (days < 1 || days > MAX_DAYS) {
                throw new IllegalArgumentException("days must be between 1 and " + MAX_DAYS + ", got " + days);
            }
            if ((long) assets * days > MAX_CELLS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%,d assets x %,d days is %,d cells, more than the %,d a synthetic market may have",
                        assets, days, (long) assets * days, MAX_CELLS));
            }
            if (!(plantedStrength >= 0 && plantedStrength <= 10)) {
                throw new IllegalArgumentException("planted strength must be between 0 and 10, got "
                        + plantedStrength);
            }
        }

        public Config(int assets, int days, long seed) {
            this(assets, days, seed, 1.0);
        }
    }

    /**
     * One planted alpha.
     *
     * @param name what it is
     * @param formula the factor-language formula whose values drive it (a miner can find exactly this)
     * @param lambda its loading: idiosyncratic standard deviations of the log return from close t+1 to t+2 per unit normal score
     * @param intendedIc the mean daily rank IC against the default label (close t+1 to t+2) it was tuned for on the default market
     * @param mechanism how it enters the returns, in words
     */
    public record PlantedAlpha(String name, String formula, double lambda, double intendedIc, String mechanism) {
    }

    /** The planted alphas, in the order their loadings are drawn into the returns. */
    public static List<PlantedAlpha> plantedAlphas() {
        return PLANTED;
    }

    /**
     * Simulates a market: fields {@code open high low close volume vwap cap}, groupings {@code sector industry
     * subindustry}.
     */
    public static Panel generate(Config config) {
        return new Simulation(config).run();
    }

    /** Symbol of asset a in a market of n assets: {@code SYN} and at least three digits, same width for all. */
    static String symbol(int a, int n) {
        int width = Math.max(3, Integer.toString(n - 1).length());
        StringBuilder s = new StringBuilder("SYN");
        String digits = Integer.toString(a);
        for (int i = digits.length(); i < width; i++) {
            s.append('0');
        }
        return s.append(digits).toString();
    }

    /** Business days from {@link #START} as epoch seconds (UTC midnight). */
    static long[] businessDays(int n) {
        long[] dates = new long[n];
        LocalDate d = START;
        for (int t = 0; t < n; t++) {
            while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
                d = d.plusDays(1);
            }
            dates[t] = d.toEpochDay() * 86_400L;
            d = d.plusDays(1);
        }
        return dates;
    }

    /**
     * Which days are in a bear stretch: one stretch of 40-80 days in every block of 378 days, starting at least 94
     * days into its block, placed by the seed. Blocks are fixed from the first day, so a shorter market has the same
     * regimes as a longer one up to its end.
     */
    static boolean[] bearDays(int days, SplittableRandom random) {
        boolean[] bear = new boolean[days];
        for (int block = 0; block < days; block += DAYS_PER_BEAR) {
            int length = 40 + random.nextInt(41);
            // Not at a block's very start: the first months give the signals their history.
            int earliest = block + DAYS_PER_BEAR / 4;
            int start = earliest + random.nextInt(block + DAYS_PER_BEAR - length - earliest + 1);
            Arrays.fill(bear, Math.min(start, days), Math.min(start + length, days), true);
        }
        return bear;
    }

    /** A seed for the random stream {@code stream} of a market seed (SplitMix64's finaliser, so streams differ). */
    static long streamSeed(long seed, long stream) {
        long z = seed + (stream + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Random draws of one stream; StrictMath only, so the numbers are the same on every JVM. */
    static final class Noise {
        private final SplittableRandom random;
        private double spare;
        private boolean hasSpare;

        Noise(long seed) {
            this.random = new SplittableRandom(seed);
        }

        double uniform() {
            return random.nextDouble();
        }

        int nextInt(int bound) {
            return random.nextInt(bound);
        }

        /** Standard normal (Marsaglia's polar method). */
        double gaussian() {
            if (hasSpare) {
                hasSpare = false;
                return spare;
            }
            double u;
            double v;
            double s;
            do {
                u = 2 * random.nextDouble() - 1;
                v = 2 * random.nextDouble() - 1;
                s = u * u + v * v;
            } while (s >= 1 || s == 0);
            double m = Math.sqrt(-2 * StrictMath.log(s) / s);
            spare = v * m;
            hasSpare = true;
            return u * m;
        }

        /** Standard exponential. */
        double exponential() {
            return -StrictMath.log(1 - random.nextDouble()); // 1 - [0, 1) is in (0, 1]: never log(0)
        }

        /**
         * Student-t with 5 degrees of freedom, scaled to unit variance ({@code N / sqrt(chi2_5 / 5)}), clipped to
         * {@code [-limit, limit]}: the tails stay fat, but a once-in-a-million draw cannot make a 15-sigma market day.
         */
        double studentT(double limit) {
            double g = gaussian();
            // chi2 with 5 dof = chi2 with 4 (twice the sum of two exponentials) + one squared normal
            double chi2 = 2 * (exponential() + exponential()) + g * g;
            double t = gaussian() / Math.sqrt(Math.max(chi2, 1e-12) / DOF) * T_SCALE;
            return Math.max(-limit, Math.min(limit, t));
        }

        /** Uniform in [lo, hi) on a log scale. */
        double logUniform(double lo, double hi) {
            return StrictMath.exp(StrictMath.log(lo) + uniform() * (StrictMath.log(hi) - StrictMath.log(lo)));
        }
    }

    /** One run: per-asset parameters and state in primitive arrays, fields filled day by day. */
    private static final class Simulation {
        private final int n;
        private final int days;
        private final double strength;
        private final long seed;

        // Parameters.
        private final double[] beta;
        private final double[] sectorLoading;
        private final double[] idioVol;
        private final double[] idioOmega;
        private final double[] idioArch;
        private final double[] idioGarch;
        private final double[] volumeLevel; // log shares
        private final double[] totalVol;
        private final double[] shares;
        private final int[] sector;
        private final int[] industry;
        private final int[] subindustry;
        private final boolean[] bear;

        // Fields, asset-major.
        private final double[] open;
        private final double[] high;
        private final double[] low;
        private final double[] close;
        private final double[] volume;
        private final double[] vwap;
        private final double[] cap;

        // Scratch for the planted signals.
        private final double[] signal;
        private final double[] score;
        private final double[] sorted;
        private final CrossSectionalRanks ranks;
        private final double[] planted;

        Simulation(Config c) {
            this.n = c.assets();
            this.days = c.days();
            this.strength = c.plantedStrength();
            this.seed = c.seed();
            beta = new double[n];
            sectorLoading = new double[n];
            idioVol = new double[n];
            idioOmega = new double[n];
            idioArch = new double[n];
            idioGarch = new double[n];
            volumeLevel = new double[n];
            totalVol = new double[n];
            shares = new double[n];
            sector = new int[n];
            industry = new int[n];
            subindustry = new int[n];
            int cells = n * days;
            open = new double[cells];
            high = new double[cells];
            low = new double[cells];
            close = new double[cells];
            volume = new double[cells];
            vwap = new double[cells];
            cap = new double[cells];
            signal = new double[n];
            score = new double[n];
            sorted = new double[n];
            ranks = new CrossSectionalRanks(n);
            planted = new double[n];
            bear = bearDays(days, new SplittableRandom(streamSeed(seed, 1)));
        }

        Panel run() {
            Noise params = new Noise(streamSeed(seed, 0));
            double[] startPrice = drawParameters(params);
            Noise market = new Noise(streamSeed(seed, 2));
            Noise sectors = new Noise(streamSeed(seed, 3));
            Noise[] noise = new Noise[n];
            for (int a = 0; a < n; a++) {
                noise[a] = new Noise(streamSeed(seed, 16 + (long) a)); // one stream per asset
            }

            double marketOmega = MARKET_VOL * MARKET_VOL * (1 - MARKET_ARCH - MARKET_GARCH);
            double marketVar = MARKET_VOL * MARKET_VOL;
            double[] idioVar = new double[n];
            double[] logVolume = new double[n];
            double[] sectorShock = new double[SECTORS];
            for (int a = 0; a < n; a++) {
                idioVar[a] = idioVol[a] * idioVol[a];
                logVolume[a] = volumeLevel[a];
            }

            for (int t = 0; t < days; t++) {
                double z = market.studentT(FACTOR_CLIP);
                double marketShock = Math.sqrt(marketVar) * z;
                double vol = bear[t] ? BEAR_VOL : 1.0;
                double m = (bear[t] ? BEAR_DRIFT : BULL_DRIFT) + vol * marketShock;
                double relative = Math.sqrt(marketVar) / MARKET_VOL;
                double sectorSd = SECTOR_VOL * relative;
                for (int s = 0; s < SECTORS; s++) {
                    sectorShock[s] = sectorSd * sectors.studentT(FACTOR_CLIP);
                }
                plant(t);

                for (int a = 0; a < n; a++) {
                    Noise rnd = noise[a];
                    int i = a * days + t;
                    double e = Math.sqrt(idioVar[a]) * rnd.studentT(IDIO_CLIP);
                    double r = beta[a] * m + sectorLoading[a] * sectorShock[sector[a]] + e + planted[a];
                    // The day's conditional volatility sets the gap and the range.
                    double b = beta[a] * vol;
                    double sd = Math.sqrt(b * b * marketVar + sectorLoading[a] * sectorLoading[a] * sectorSd * sectorSd
                            + idioVar[a]);
                    double previous = t == 0 ? startPrice[a] : close[i - 1];
                    double c = previous * StrictMath.exp(r);
                    double o = previous * StrictMath.exp(GAP * sd * rnd.gaussian());
                    double h = Math.max(o, c) * StrictMath.exp(sd * (RANGE_FLOOR + RANGE * rnd.exponential()));
                    double l = Math.min(o, c) * StrictMath.exp(-sd * (RANGE_FLOOR + RANGE * rnd.exponential()));
                    double w = (h + l + c) / 3 + VWAP_NOISE * (h - l) * rnd.gaussian();
                    logVolume[a] = volumeLevel[a] + VOLUME_PERSISTENCE * (logVolume[a] - volumeLevel[a])
                            + VOLUME_LINK * (Math.abs(r) / totalVol[a] - VOLUME_LINK_CENTRE)
                            + VOLUME_NOISE * rnd.gaussian();
                    open[i] = o;
                    high[i] = h;
                    low[i] = l;
                    close[i] = c;
                    vwap[i] = Math.min(h, Math.max(l, w));
                    volume[i] = Math.max(1, Math.rint(StrictMath.exp(logVolume[a])));
                    cap[i] = c * shares[a];
                    idioVar[a] = idioOmega[a] + idioArch[a] * e * e + idioGarch[a] * idioVar[a];
                }
                // The GARCH update sees the unscaled shock: a bear stretch is louder, not explosive.
                marketVar = marketOmega + MARKET_ARCH * marketShock * marketShock + MARKET_GARCH * marketVar;
            }

            String[] symbols = new String[n];
            String[] sectorLabel = new String[n];
            String[] industryLabel = new String[n];
            String[] subindustryLabel = new String[n];
            for (int a = 0; a < n; a++) {
                symbols[a] = symbol(a, n);
                sectorLabel[a] = "SEC" + sector[a];
                industryLabel[a] = String.format(Locale.ROOT, "IND%02d", industry[a]);
                subindustryLabel[a] = String.format(Locale.ROOT, "SUB%02d", subindustry[a]);
            }
            return Panel.builder(businessDays(days), symbols)
                    .field("open", open).field("high", high).field("low", low).field("close", close)
                    .field("volume", volume).field("vwap", vwap).field("cap", cap)
                    .grouping("sector", sectorLabel).grouping("industry", industryLabel)
                    .grouping("subindustry", subindustryLabel)
                    .build();
        }

        /** Draws every asset's constants; returns the start prices. */
        private double[] drawParameters(Noise rnd) {
            // Balanced subindustries, shuffled: with 100 assets every sector has 10 to 15 members.
            for (int a = 0; a < n; a++) {
                subindustry[a] = a % SUBINDUSTRIES;
            }
            for (int a = n - 1; a > 0; a--) {
                int j = rnd.nextInt(a + 1);
                int tmp = subindustry[a];
                subindustry[a] = subindustry[j];
                subindustry[j] = tmp;
            }
            double[] startPrice = new double[n];
            for (int a = 0; a < n; a++) {
                industry[a] = subindustry[a] / 2;
                sector[a] = industry[a] * SECTORS / INDUSTRIES;
                beta[a] = 0.5 + rnd.uniform();
                sectorLoading[a] = 0.7 + 0.6 * rnd.uniform();
                idioVol[a] = rnd.logUniform(0.01, 0.03);
                idioArch[a] = 0.03 + 0.04 * rnd.uniform();
                double persistence = 0.94 + 0.035 * rnd.uniform();
                idioGarch[a] = persistence - idioArch[a];
                idioOmega[a] = idioVol[a] * idioVol[a] * (1 - persistence);
                startPrice[a] = rnd.logUniform(10, 300);
                volumeLevel[a] = StrictMath.log(rnd.logUniform(2e5, 2e7));
                shares[a] = Math.rint(StrictMath.exp(volumeLevel[a]) / rnd.logUniform(0.002, 0.02));
                totalVol[a] = Math.sqrt(beta[a] * beta[a] * MARKET_VOL * MARKET_VOL
                        + sectorLoading[a] * sectorLoading[a] * SECTOR_VOL * SECTOR_VOL + idioVol[a] * idioVol[a]);
            }
            return startPrice;
        }

        /**
         * The planted part of day t's returns, from the signals of day t - 2: a factor known at the close of day d
         * trades at the close of d + 1 (QuantAgent's default label), so the return it can earn is the one from
         * close d + 1 to close d + 2. Only bars up to d are read, and they are all final by now.
         */
        private void plant(int t) {
            Arrays.fill(planted, 0);
            int d = t - 2;
            if (strength == 0 || d < 0) {
                return;
            }
            if (d >= REVERSAL_WINDOW) { // ts_sum(returns, 5) needs returns d-4..d, and returns[0] is missing
                for (int a = 0; a < n; a++) {
                    int base = a * days;
                    double sum = 0;
                    for (int j = d - REVERSAL_WINDOW + 1; j <= d; j++) {
                        sum += close[base + j] / close[base + j - 1] - 1;
                    }
                    signal[a] = -sum;
                }
                load(REVERSAL_LAMBDA);
            }
            if (d >= VOLUME_WINDOW - 1) {
                for (int a = 0; a < n; a++) {
                    int base = a * days;
                    double sum = 0;
                    for (int j = d - VOLUME_WINDOW + 1; j <= d; j++) {
                        sum += volume[base + j];
                    }
                    int i = base + d;
                    signal[a] = (close[i] - open[i]) / (high[i] - low[i]) * volume[i] / (sum / VOLUME_WINDOW);
                }
                load(PRICE_VOLUME_LAMBDA);
            }
            if (d >= VOL_WINDOW) {
                for (int a = 0; a < n; a++) {
                    int base = a * days;
                    double mean = 0;
                    for (int j = d - VOL_WINDOW + 1; j <= d; j++) {
                        mean += close[base + j] / close[base + j - 1] - 1;
                    }
                    mean /= VOL_WINDOW;
                    double ss = 0;
                    for (int j = d - VOL_WINDOW + 1; j <= d; j++) {
                        double x = close[base + j] / close[base + j - 1] - 1 - mean;
                        ss += x * x;
                    }
                    signal[a] = -Math.sqrt(ss / (VOL_WINDOW - 1));
                }
                load(LOW_VOL_LAMBDA);
            }
            // Demeaned: the planted part reorders assets, it does not move the market.
            double mean = 0;
            for (int a = 0; a < n; a++) {
                mean += planted[a];
            }
            mean /= n;
            for (int a = 0; a < n; a++) {
                planted[a] -= mean;
            }
        }

        /** Adds {@code strength * lambda * s[i] * z[i]}, z the normal score of the signal's cross-sectional rank. */
        private void load(double lambda) {
            normalScores(signal, score, sorted, n, ranks);
            for (int a = 0; a < n; a++) {
                planted[a] += strength * lambda * idioVol[a] * score[a];
            }
        }
    }

    /**
     * Cross-sectional ranks (1..n, ties averaged, the language's own ranking) turned into centred, unit-variance
     * scores: {@code (rank - (n+1)/2) / sqrt((n^2-1)/12)}. All zero for a single asset. {@code work} is scratch of
     * length n.
     */
    static void normalScores(double[] values, double[] out, double[] work, int n, CrossSectionalRanks ranks) {
        if (n < 2) {
            Arrays.fill(out, 0, n, 0);
            return;
        }
        System.arraycopy(values, 0, work, 0, n);
        ranks.rankInPlace(work, 0, n);
        double centre = (n + 1) / 2.0;
        double scale = Math.sqrt((n * (double) n - 1) / 12.0);
        for (int a = 0; a < n; a++) {
            out[a] = (work[a] * n - centre) / scale; // work[a] * n is the average 1-based rank
        }
    }
}
