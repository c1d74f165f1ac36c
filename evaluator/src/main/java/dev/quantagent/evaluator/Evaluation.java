package dev.quantagent.evaluator;

import dev.quantagent.sandbox.CrossSectionalRanks;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FactorEvaluator;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;
import dev.quantagent.sandbox.SubexpressionCache;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Factor evaluation over one panel: labels, splits, per-date label ranks and order, and market regimes are computed
 * once in {@link #prepare}, then each factor costs one pass over its dates. Definitions follow alphalens and Qlib:
 * per-date Pearson IC and Spearman rank IC over the assets that have both a factor value and a label; quantile
 * buckets as pandas' {@code qcut} (equal counts, ties kept together); a dollar-neutral long-short portfolio (top
 * bucket long, bottom bucket short, equal weights, rebalanced every horizon periods, costs charged on the notional
 * traded).
 *
 * <p>The test split is sealed: {@link #evaluate} reports train and valid only, and test statistics exist only
 * through {@link #unsealTest()}, whose every use is counted.
 *
 * <p>Thread-safe; each thread evaluates through its own {@link Workspace}.
 */
public final class Evaluation {

    private final Panel panel;
    private final EvaluationConfig config;
    private final Frequency frequency;
    private final Splits splits;
    private final Sandbox sandbox;
    private final int dates;
    private final int assets;
    private final double[] labelT;
    /** One-bar returns of the trade each date's factor leads to (the books run on them), date-major. */
    private final double[] oneBarT;
    private final long[] times;
    private final double[] labelRanksT;
    /** Per date, the assets that have a label in label order (ties adjacent): rank IC over a subset needs no sort. */
    private final int[] labelOrderT;
    private final int[] labelCount;
    private final int[] regime;
    private final int[] year;
    private final AtomicInteger testLooks = new AtomicInteger();

    private Evaluation(Panel panel, EvaluationConfig config, Sandbox sandbox) {
        this.panel = panel;
        this.config = config;
        this.sandbox = sandbox;
        this.dates = panel.dateCount();
        this.assets = panel.assetCount();
        Frequency inferred = Frequency.infer(panel);
        this.frequency = config.periodsPerYear() == null ? inferred
                : inferred.withPeriodsPerYear(config.periodsPerYear());
        int purge = config.delay() + config.horizon();
        this.splits = config.validFrom() != null
                ? Splits.byDate(panel, config.validFrom(), config.testFrom(), purge)
                : Splits.byFraction(dates, config.trainFraction(), config.validFraction(), purge);
        double[] labels = Labels.forwardReturns(panel, config.horizon(), config.delay());
        this.labelT = new double[labels.length];
        CrossSectionalRanks.transpose(labels, labelT, assets, dates);
        if (config.horizon() == 1) {
            this.oneBarT = labelT;
        } else {
            this.oneBarT = new double[labels.length];
            CrossSectionalRanks.transpose(Labels.forwardReturns(panel, 1, config.delay()), oneBarT, assets, dates);
        }
        this.times = new long[dates];
        for (int t = 0; t < dates; t++) {
            times[t] = panel.date(t);
        }
        this.labelRanksT = new double[labels.length];
        this.labelOrderT = new int[labels.length];
        this.labelCount = new int[dates];
        CrossSectionalRanks ranks = new CrossSectionalRanks(assets);
        double[] row = new double[assets];
        double[] less = new double[assets];
        int[] placed = new int[assets];
        for (int t = 0; t < dates; t++) {
            int base = t * assets;
            System.arraycopy(labelT, base, row, 0, assets);
            ranks.rankInPlace(row, 0, assets, less);
            System.arraycopy(row, 0, labelRanksT, base, assets);
            // a counting sort on the number of smaller labels: ties share it, and so a run of places
            Arrays.fill(placed, 0);
            int n = 0;
            for (int a = 0; a < assets; a++) {
                if (labelT[base + a] == labelT[base + a]) {
                    int first = (int) less[a];
                    labelOrderT[base + first + placed[first]++] = a;
                    n++;
                }
            }
            labelCount[t] = n;
        }
        this.regime = regimes(panel);
        this.year = new int[dates];
        for (int t = 0; t < dates; t++) {
            year[t] = Instant.ofEpochSecond(panel.date(t)).atOffset(ZoneOffset.UTC).getYear();
        }
    }

    /**
     * Prepares evaluation over a panel (it needs a {@code close} field for labels).
     *
     * @throws IllegalArgumentException if the panel has no close prices or the splits leave a split empty
     */
    public static Evaluation prepare(Panel panel, EvaluationConfig config) {
        return prepare(panel, config, new Sandbox(Limits.DEFAULT));
    }

    public static Evaluation prepare(Panel panel, EvaluationConfig config, Sandbox sandbox) {
        if (!panel.hasField("close")) {
            throw new IllegalArgumentException("evaluation needs a 'close' column for forward returns (the data has: "
                    + String.join(", ", panel.fieldNames()) + ")");
        }
        return new Evaluation(panel, config, sandbox);
    }

    public Panel panel() {
        return panel;
    }

    public EvaluationConfig config() {
        return config;
    }

    public Frequency frequency() {
        return frequency;
    }

    public Splits splits() {
        return splits;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /** The labels, date-major (each date's assets together): what a pool's combination is fitted to. */
    double[] labelsByDate() {
        return labelT;
    }

    /** The one-bar returns of the trade each date's factor leads to, date-major (what the books run on). */
    double[] oneBarByDate() {
        return oneBarT;
    }

    /** How many times test statistics were computed through this evaluation. */
    public int testLooks() {
        return testLooks.get();
    }

    /** Scratch space and a formula evaluator for one thread. */
    public Workspace workspace() {
        return new Workspace(null);
    }

    /**
     * A workspace whose evaluator reuses the sub-expression results in {@code cache}; workspaces of many threads may
     * share one cache (a mining run).
     */
    public Workspace workspace(SubexpressionCache cache) {
        return new Workspace(cache);
    }

    /** The search API: evaluates a factor on train and valid. There is no way to get test statistics from here. */
    public FactorReport evaluate(Factor factor, Workspace ws) {
        double[] values = ws.values(factor);
        return report(factor, values, ws, Split.TRAIN, Split.VALID);
    }

    /** The search API for values computed elsewhere (asset-major, NaN missing). */
    public FactorReport evaluate(Factor factor, double[] values, Workspace ws) {
        return report(factor, values, ws, Split.TRAIN, Split.VALID);
    }

    /**
     * The search API restricted to some of train and valid (a miner screens on valid first and computes train only
     * for factors that pass).
     *
     * @throws IllegalArgumentException if the test split is asked for
     */
    public FactorReport evaluate(Factor factor, double[] values, Workspace ws, Split... splitsWanted) {
        for (Split s : splitsWanted) {
            sealed(s);
        }
        return report(factor, values, ws, splitsWanted);
    }

    /**
     * Opens the sealed test split. Only an explicit user action (such as {@code eval --include-test}, or the final
     * report of a finished run) should call this; every evaluation through the returned handle is counted.
     */
    public SealedTest unsealTest() {
        return new SealedTest();
    }

    /** Access to test statistics; each use is counted in {@link #testLooks()}. */
    public final class SealedTest {
        private SealedTest() {
        }

        /** Train, valid and test statistics of a factor. */
        public FactorReport evaluate(Factor factor, Workspace ws) {
            testLooks.incrementAndGet();
            return report(factor, ws.values(factor), ws, Split.TRAIN, Split.VALID, Split.TEST);
        }

        /**
         * One look at values computed elsewhere (a combined signal): train, valid and test statistics, and the
         * portfolios the values drive on each split.
         *
         * @param name what the values are, as reports name them (it stands for the formula)
         */
        public TestLook look(String name, double[] values, Workspace ws, BookConfig books) {
            return look(name, name, "", values, ws, books);
        }

        /** One look at a factor's values (computed by the caller): its statistics and portfolios per split. */
        public TestLook look(Factor factor, double[] values, Workspace ws, BookConfig books) {
            return look(factor.formula(), factor.canonical(), factor.hash(), values, ws, books);
        }

        private TestLook look(String formula, String canonical, String hash, double[] values, Workspace ws,
                              BookConfig books) {
            testLooks.incrementAndGet();
            FactorReport report = report(formula, canonical, hash, values, ws, Split.TRAIN, Split.VALID, Split.TEST);
            Map<Split, Portfolios> p = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                p.put(s, portfoliosOf(values, s, ws, books));
            }
            return new TestLook(report, p);
        }
    }

    /** What one look at the test split saw: statistics and portfolios per split, test included. */
    public record TestLook(FactorReport report, Map<Split, Portfolios> portfolios) {

        public TestLook {
            portfolios = Map.copyOf(portfolios);
        }
    }

    /** The search API for values computed elsewhere that have no formula of their own (a combined signal). */
    public FactorReport evaluate(String name, double[] values, Workspace ws, Split... splitsWanted) {
        for (Split s : splitsWanted) {
            sealed(s);
        }
        return report(name, name, "", values, ws, splitsWanted);
    }

    /**
     * The quantile long-short of a factor (asset-major values) held for each of the given numbers of bars, before
     * and after costs, on train or valid: whether its edge pays for its trading at some holding period.
     */
    public List<Book> holdingPeriods(double[] values, Split split, Workspace ws, int... periods) {
        ws.enter();
        try {
            sealed(split);
            CrossSectionalRanks.transpose(values, ws.factorT, assets, dates);
            Books b = books(ws.factorT);
            List<Book> out = new ArrayList<>(periods.length);
            for (int h : periods) {
                out.add(b.quantileLongShort(splits.from(split), splits.to(split), config.quantiles(), h));
            }
            return out;
        } finally {
            ws.exit();
        }
    }

    /** Every portfolio a factor drives on train or valid: the quantile long-short per holding period and the books. */
    public Portfolios portfolios(double[] values, Split split, Workspace ws, BookConfig books) {
        sealed(split);
        return portfoliosOf(values, split, ws, books);
    }

    private Portfolios portfoliosOf(double[] values, Split split, Workspace ws, BookConfig c) {
        ws.enter();
        try {
            CrossSectionalRanks.transpose(values, ws.factorT, assets, dates);
            Books b = books(ws.factorT);
            int from = splits.from(split);
            int to = splits.to(split);
            List<Book> holding = new ArrayList<>();
            for (int h : BookConfig.HOLDING_PERIODS) {
                holding.add(b.quantileLongShort(from, to, config.quantiles(), h));
            }
            int topk = c.topkFor(assets);
            int dropout = c.dropoutFor(assets);
            if (c.rebalanceEvery() > 0) {
                return new Portfolios(holding, b.topkDropout(from, to, topk, dropout, c.rebalanceEvery()),
                        b.bufferedLongShort(from, to, config.quantiles(), c.buffer(), c.rebalanceEvery()));
            }
            // chosen on train, whichever split is asked for: the choice never reads valid or test
            int trainFrom = splits.from(Split.TRAIN);
            int trainTo = splits.to(Split.TRAIN);
            int topkEvery = bestOnTrain(every -> b.topkDropout(trainFrom, trainTo, topk, dropout, every).excessNet()
                    .informationRatio());
            int bufferedEvery = bestOnTrain(every -> b.bufferedLongShort(trainFrom, trainTo, config.quantiles(),
                    c.buffer(), every).net().sharpe());
            b.noting(" (of 1, 5, 10 or 20, the best after costs on train)");
            return new Portfolios(holding, b.topkDropout(from, to, topk, dropout, topkEvery),
                    b.bufferedLongShort(from, to, config.quantiles(), c.buffer(), bufferedEvery));
        } finally {
            ws.exit();
        }
    }

    /** The holding period whose book scores best (NaN never wins; the shortest when none scores). */
    private static int bestOnTrain(java.util.function.IntToDoubleFunction score) {
        int best = BookConfig.HOLDING_PERIODS[0];
        double top = Double.NEGATIVE_INFINITY;
        for (int every : BookConfig.HOLDING_PERIODS) {
            double v = score.applyAsDouble(every);
            if (v > top) {
                top = v;
                best = every;
            }
        }
        return best;
    }

    private Books books(double[] factorT) {
        return new Books(factorT, oneBarT, times, assets, config.costBps() / 10_000.0, frequency.periodsPerYear());
    }

    private static void sealed(Split split) {
        if (split == Split.TEST) {
            throw new IllegalArgumentException("the test split is sealed; use unsealTest()");
        }
    }

    /**
     * Mean over a split's dates of the cross-sectional Spearman correlation between two factors (asset-major
     * values), over the assets where both have a value: how redundant one factor is given the other.
     */
    public double factorCorrelation(double[] a, double[] b, Split split, Workspace ws) {
        ws.enter();
        try {
            if (split == Split.TEST) {
                throw new IllegalArgumentException("factor correlation on the test split is not part of the search API");
            }
            CrossSectionalRanks.transpose(a, ws.factorT, assets, dates);
            CrossSectionalRanks.transpose(b, ws.otherT, assets, dates);
            double sum = 0;
            int n = 0;
            for (int t = splits.from(split); t < splits.to(split); t++) {
                double c = commonRankCorrelation(ws.factorT, ws.otherT, t * assets, ws);
                if (c == c) {
                    sum += c;
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        } finally {
            ws.exit();
        }
    }

    /**
     * Spearman correlation of two date-major rows over the assets where both have a value (NaN with fewer than 3):
     * both ranked afresh over those assets only.
     */
    private double commonRankCorrelation(double[] x, double[] y, int row, Workspace ws) {
        int common = 0;
        for (int i = 0; i < assets; i++) {
            boolean both = x[row + i] == x[row + i] && y[row + i] == y[row + i];
            ws.rowA[i] = both ? x[row + i] : Double.NaN;
            ws.rowB[i] = both ? y[row + i] : Double.NaN;
            common += both ? 1 : 0;
        }
        if (common < 3) {
            return Double.NaN;
        }
        ws.ranks.rankInPlace(ws.rowA, 0, assets);
        ws.ranks.rankInPlace(ws.rowB, 0, assets);
        return pearson(ws.rowA, 0, ws.rowB, 0, assets);
    }

    /**
     * A factor's per-date ranks over one split, date-major, kept to correlate it with many others without ranking it
     * again each time (a mining pool checks every candidate against every accepted factor). Ranks are missing exactly
     * where the values are and keep their order and ties, so they stand in for the values too.
     */
    public static final class SplitRanks {
        private final Split split;
        private final double[] ranks;

        private SplitRanks(Split split, double[] ranks) {
            this.split = split;
            this.ranks = ranks;
        }
    }

    /** Ranks of a factor (asset-major values) over a split of the search API (train or valid). */
    public SplitRanks splitRanks(double[] values, Split split, Workspace ws) {
        ws.enter();
        try {
            if (split == Split.TEST) {
                throw new IllegalArgumentException("ranks on the test split are not part of the search API");
            }
            CrossSectionalRanks.transpose(values, ws.factorT, assets, dates);
            double[] r = Arrays.copyOfRange(ws.factorT, splits.from(split) * assets, splits.to(split) * assets);
            for (int row = 0; row < r.length; row += assets) {
                ws.ranks.rankInPlace(r, row, assets);
            }
            return new SplitRanks(split, r);
        } finally {
            ws.exit();
        }
    }

    /**
     * {@link #factorCorrelation(double[], double[], Split, Workspace)} from precomputed ranks, with the same result:
     * on dates where both factors have values for the same assets the stored ranks are correlated directly; on the
     * others the common assets are ranked afresh (re-ranking ranks gives what re-ranking the values would).
     */
    public double factorCorrelation(SplitRanks a, SplitRanks b, Workspace ws) {
        ws.enter();
        try {
            if (a.split != b.split) {
                throw new IllegalArgumentException("ranks of different splits");
            }
            double sum = 0;
            int n = 0;
            for (int row = 0; row < a.ranks.length; row += assets) {
                boolean same = true;
                int common = 0;
                for (int i = 0; i < assets; i++) {
                    boolean ha = a.ranks[row + i] == a.ranks[row + i];
                    boolean hb = b.ranks[row + i] == b.ranks[row + i];
                    same &= ha == hb;
                    common += ha && hb ? 1 : 0;
                }
                if (common < 3) {
                    continue;
                }
                double c = same ? pearson(a.ranks, row, b.ranks, row, assets)
                        : commonRankCorrelation(a.ranks, b.ranks, row, ws);
                if (c == c) {
                    sum += c;
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        } finally {
            ws.exit();
        }
    }

    // ------------------------------------------------------------------------------------------- the statistics

    private FactorReport report(Factor factor, double[] values, Workspace ws, Split... which) {
        return report(factor.formula(), factor.canonical(), factor.hash(), values, ws, which);
    }

    private FactorReport report(String formula, String canonical, String hash, double[] values, Workspace ws,
                                Split... which) {
        ws.enter();
        try {
            CrossSectionalRanks.transpose(values, ws.factorT, assets, dates);
            Map<Split, SplitStatistics> out = new EnumMap<>(Split.class);
            for (Split s : which) {
                out.put(s, statistics(ws, s));
            }
            return new FactorReport(formula, canonical, hash, out);
        } finally {
            ws.exit();
        }
    }

    private SplitStatistics statistics(Workspace ws, Split split) {
        int from = splits.from(split);
        int to = splits.to(split);
        int q = config.quantiles();
        int h = config.horizon();
        double cost = config.costBps() / 10_000.0;
        Tally s = new Tally(from, to, q, h);
        Arrays.fill(ws.previousLong, 0.0);
        Arrays.fill(ws.previousShort, 0.0);
        // One small method per step of a date, each compiled on its own: as one method of a hundred kilobytes of
        // machine code, C2 spent most of a short eval's CPU compiling it again and again (at each loop entry, after
        // each deoptimisation), up to a second each time.
        for (int t = from; t < to; t++) {
            int row = t * assets;
            int valid = scanDate(ws, row, s.havePreviousRanks);
            s.labelled += labelCount[t];
            s.covered += valid;
            int r = regime[t];
            if (r >= 0) {
                s.regimeDates[r]++;
                s.regimeKnown++;
            }
            autocorrelation(ws, s);
            boolean rebalance = (t - from) % h == 0;
            if (valid < 2) {
                hold(ws, s, t, row, rebalance, r);
                continue;
            }
            // IC on raw values, rank IC on ranks over the valid assets
            double ic = pearson(ws.factorT, row, labelT, row, assets);
            double rankIc = rankIc(ws, t, row, valid);
            if (ic == ic && rankIc == rankIc) {
                s.addIc(t, panel.date(t), ic, rankIc, year[t], r);
            }
            // quantile buckets as qcut: bucket k holds values up to the k-th edge; ties stay together
            if (valid < q || !buckets(ws, s, row, valid, q)) {
                hold(ws, s, t, row, rebalance, r);
                continue;
            }
            double gross = ws.bucketSum[q - 1] / ws.bucketCount[q - 1] - ws.bucketSum[0] / ws.bucketCount[0];
            s.lsSum += gross;
            s.lsDates++;
            if (rebalance) {
                rebalance(ws, s, t, q, gross, cost, r);
            }
        }
        return s.finish(h);
    }

    /**
     * Reads date row's factor values and labels into the workspace (rankF: the factor where both are present,
     * allRanks: the factor) and notes which assets have which; returns the count with both.
     */
    private int scanDate(Workspace ws, int row, boolean havePreviousRanks) {
        double[] f = ws.factorT;
        int valid = 0;
        int present = 0;
        boolean labelSetIsValidSet = true;
        boolean factorSetIsValidSet = true;
        boolean presentAsYesterday = havePreviousRanks;
        for (int a = 0; a < assets; a++) {
            double fv = f[row + a];
            double yv = labelT[row + a];
            boolean hasF = fv == fv;
            boolean hasY = yv == yv;
            present += hasF ? 1 : 0;
            presentAsYesterday &= hasF == (ws.previousRanks[a] == ws.previousRanks[a]);
            boolean both = hasF && hasY;
            valid += both ? 1 : 0;
            ws.rankF[a] = both ? fv : Double.NaN;
            labelSetIsValidSet &= hasF || !hasY;
            factorSetIsValidSet &= hasY || !hasF;
            ws.allRanks[a] = fv;
        }
        ws.present = present;
        ws.presentAsYesterday = presentAsYesterday;
        ws.labelSetIsValidSet = labelSetIsValidSet;
        ws.factorSetIsValidSet = factorSetIsValidSet;
        return valid;
    }

    /** Factor rank autocorrelation: ranks over every asset with a value, today against yesterday. */
    private void autocorrelation(Workspace ws, Tally s) {
        int present = ws.present;
        if (present < 2) {
            s.havePreviousRanks = false;
            return;
        }
        ws.ranks.rankInPlace(ws.allRanks, 0, assets, ws.lessAll);
        if (s.havePreviousRanks) {
            double c = ws.presentAsYesterday ? pearsonOfRanks(ws.allRanks, 0, ws.previousRanks, 0, assets, present)
                    : pearson(ws.allRanks, 0, ws.previousRanks, 0, assets);
            if (c == c) {
                s.autoSum += c;
                s.autoCount++;
            }
        }
        System.arraycopy(ws.allRanks, 0, ws.previousRanks, 0, assets);
        s.havePreviousRanks = true;
    }

    /** The rank IC of date t; leaves the factor's ranks in rankF and their counts of smaller values in less. */
    private double rankIc(Workspace ws, int t, int row, int valid) {
        if (ws.factorSetIsValidSet) {
            // every asset with a value also has a label: the ranks over all of them are the ones we need
            System.arraycopy(ws.allRanks, 0, ws.rankF, 0, assets);
            System.arraycopy(ws.lessAll, 0, ws.less, 0, assets);
        } else {
            ws.ranks.rankInPlace(ws.rankF, 0, assets, ws.less);
        }
        if (ws.labelSetIsValidSet) {
            return pearsonOfRanks(ws.rankF, 0, labelRanksT, row, assets, valid);
        }
        labelRanksWhere(t, ws.rankF, valid, ws.rankY);
        return pearsonOfRanks(ws.rankF, 0, ws.rankY, 0, assets, valid);
    }

    /**
     * Puts each valid asset of date row in its qcut bucket (ws.bucket, -1 for none) and adds each bucket's mean label
     * to the split's sums; returns whether both the top and the bottom bucket hold an asset.
     */
    private boolean buckets(Workspace ws, Tally s, int row, int valid, int q) {
        Arrays.fill(ws.bucketSum, 0, q, 0.0);
        Arrays.fill(ws.bucketCount, 0, q, 0);
        if (valid != ws.bucketsFor) { // the table depends on the count only, which rarely changes by date
            bucketOfPosition(ws.bucketOfLess, valid, q);
            ws.bucketsFor = valid;
        }
        for (int a = 0; a < assets; a++) {
            if (ws.rankF[a] != ws.rankF[a]) {
                ws.bucket[a] = -1;
                continue;
            }
            int k = ws.bucketOfLess[(int) ws.less[a]];
            ws.bucket[a] = k;
            ws.bucketSum[k] += labelT[row + a];
            ws.bucketCount[k]++;
        }
        for (int k = 0; k < q; k++) {
            if (ws.bucketCount[k] > 0) {
                s.bucketSum[k] += ws.bucketSum[k] / ws.bucketCount[k];
                s.bucketDates[k]++;
            }
        }
        return ws.bucketCount[q - 1] > 0 && ws.bucketCount[0] > 0;
    }

    /** A rebalance where no new book could be formed: the old one, if any, is held. */
    private void hold(Workspace ws, Tally s, int t, int row, boolean rebalance, int regime) {
        if (rebalance && s.invested) {
            double held = heldReturn(ws.previousLong, ws.previousShort, row);
            s.book.add(panel.date(t), held, held, Double.NaN, regime);
        }
    }

    /** Trades into the new long-short book of date t (top bucket long, bottom short) and books its period. */
    private void rebalance(Workspace ws, Tally s, int t, int q, double gross, double cost, int regime) {
        int top = ws.bucketCount[q - 1];
        int bottom = ws.bucketCount[0];
        double traded = 0;
        double longChange = 0;
        double shortChange = 0;
        // long and short books apart (an asset is never in both), weights looked up by bucket: no branches on
        // which bucket an asset fell in, which mispredict on every other asset. Bucket -1 (missing) is slot 0.
        Arrays.fill(ws.longOfBucket, 0, q + 1, 0.0);
        Arrays.fill(ws.shortOfBucket, 0, q + 1, 0.0);
        ws.longOfBucket[q] = 1.0 / top;
        ws.shortOfBucket[1] = 1.0 / bottom;
        for (int a = 0; a < assets; a++) {
            int slot = ws.bucket[a] + 1;
            double wl = ws.longOfBucket[slot];
            double wsh = ws.shortOfBucket[slot];
            double longTrade = Math.abs(wl - ws.previousLong[a]);
            double shortTrade = Math.abs(wsh - ws.previousShort[a]);
            traded += longTrade + shortTrade; // = |w - previous w| with w = long - short
            longChange += longTrade;
            shortChange += shortTrade;
            ws.previousLong[a] = wl;
            ws.previousShort[a] = wsh;
        }
        double turnover = Double.NaN; // the first book is bought, not turned over
        if (s.invested) {
            turnover = (longChange / 2 + shortChange / 2) / 2;
            s.turnoverSum += turnover;
            s.turnoverCount++;
        }
        s.invested = true;
        double ret = gross - cost * traded;
        s.book.add(panel.date(t), ret, gross, turnover, regime);
    }

    /** What one split's statistics add up over its dates. */
    private final class Tally {
        final int from;
        final int to;
        final int q;
        final double[] icSeries;
        final double[] rankIcSeries;
        final long[] icTime;
        final int[] icDate;
        int nIc;
        final double[] bucketSum;
        final int[] bucketDates;
        double lsSum;
        int lsDates;
        final LongShortLedger book;
        double turnoverSum;
        int turnoverCount;
        boolean invested;
        double autoSum;
        int autoCount;
        boolean havePreviousRanks;
        long labelled;
        long covered;
        final int firstYear;
        final double[] yearSum;
        final int[] yearCount;
        final double[] regimeIc = new double[4];
        final int[] regimeIcCount = new int[4];
        final int[] regimeDates = new int[4];
        int regimeKnown;

        Tally(int from, int to, int q, int h) {
            this.from = from;
            this.to = to;
            this.q = q;
            icSeries = new double[to - from];
            rankIcSeries = new double[to - from];
            icTime = new long[to - from];
            icDate = new int[to - from];
            bucketSum = new double[q];
            bucketDates = new int[q];
            book = new LongShortLedger((to - from) / h + 1);
            firstYear = year[from];
            yearSum = new double[year[to - 1] - firstYear + 1];
            yearCount = new int[yearSum.length];
        }

        void addIc(int t, long time, double ic, double rankIc, int y, int r) {
            icSeries[nIc] = ic;
            rankIcSeries[nIc] = rankIc;
            icTime[nIc] = time;
            icDate[nIc] = t;
            nIc++;
            yearSum[y - firstYear] += rankIc;
            yearCount[y - firstYear]++;
            if (r >= 0) {
                regimeIc[r] += rankIc;
                regimeIcCount[r]++;
            }
        }

        SplitStatistics finish(int h) {
            double icMean = mean(icSeries, nIc);
            double rankIcMean = mean(rankIcSeries, nIc);
            double icSd = sd(icSeries, nIc, icMean);
            double rankIcSd = sd(rankIcSeries, nIc, rankIcMean);
            int positive = 0;
            for (int i = 0; i < nIc; i++) {
                positive += icSeries[i] > 0 ? 1 : 0;
            }
            double[] quantileReturns = new double[q];
            for (int k = 0; k < q; k++) {
                quantileReturns[k] = bucketDates[k] == 0 ? Double.NaN : bucketSum[k] / bucketDates[k];
            }
            List<SplitStatistics.YearlyRankIc> years = new ArrayList<>();
            for (int y = 0; y < yearCount.length; y++) {
                if (yearCount[y] > 0) {
                    years.add(new SplitStatistics.YearlyRankIc(firstYear + y, yearSum[y] / yearCount[y], yearCount[y]));
                }
            }
            List<SplitStatistics.RegimeStatistics> regimes = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                regimes.add(new SplitStatistics.RegimeStatistics(Regimes.NAMES.get(k),
                        regimeKnown == 0 ? Double.NaN : (double) regimeDates[k] / regimeKnown,
                        book.regimeCount[k] == 0 ? Double.NaN : book.regimeReturn[k] / book.regimeCount[k],
                        regimeIcCount[k] == 0 ? Double.NaN : regimeIc[k] / regimeIcCount[k],
                        book.totalLoss > 0 ? book.regimeLoss[k] / book.totalLoss : Double.NaN, regimeDates[k]));
            }
            double periods = frequency.periodsPerYear() / h;
            PortfolioMetrics portfolio = PortfolioMetrics.of(book.returns, 0, book.n, periods);
            PortfolioMetrics grossPortfolio = PortfolioMetrics.of(book.gross, 0, book.n, periods);
            SplitStatistics.Series series = new SplitStatistics.Series(Arrays.copyOf(icTime, nIc),
                    Arrays.copyOf(icSeries, nIc), Arrays.copyOf(rankIcSeries, nIc), Arrays.copyOf(book.time, book.n),
                    Arrays.copyOf(book.returns, book.n), Arrays.copyOf(book.gross, book.n),
                    Arrays.copyOf(book.turnover, book.n));
            return new SplitStatistics(icMean, rankIcMean, icSd > 0 ? icMean / icSd : Double.NaN,
                    rankIcSd > 0 ? rankIcMean / rankIcSd : Double.NaN,
                    icSd > 0 ? icMean / (icSd / Math.sqrt(nIc)) : Double.NaN,
                    neweyWestTstat(icSeries, nIc, icMean, h - 1), neweyWestTstat(rankIcSeries, nIc, rankIcMean, h - 1),
                    nIc == 0 ? Double.NaN : (double) positive / nIc, quantileReturns,
                    lsDates == 0 ? Double.NaN : lsSum / lsDates, portfolio, grossPortfolio,
                    turnoverCount == 0 ? Double.NaN : turnoverSum / turnoverCount,
                    autoCount == 0 ? Double.NaN : autoSum / autoCount,
                    labelled == 0 ? Double.NaN : (double) covered / labelled, nIc, List.copyOf(years),
                    folds(rankIcSeries, icTime, icDate, nIc, from, to, h - 1), List.copyOf(regimes), series);
        }
    }

    /**
     * The rank IC of each of {@link SplitStatistics#FOLDS} consecutive equal parts of the dates [from, to). The last
     * delay + horizon dates of every part but the last are left out, as between the splits: their labels are
     * realised in the next part, and folds that share label periods are not independent checks.
     */
    private List<SplitStatistics.Fold> folds(double[] rankIc, long[] time, int[] date, int n, int from, int to,
                                             int lags) {
        int k = SplitStatistics.FOLDS;
        int purge = config.delay() + config.horizon();
        List<SplitStatistics.Fold> out = new ArrayList<>(k);
        int i = 0;
        for (int part = 0; part < k; part++) {
            int start = from + (int) ((long) (to - from) * part / k);
            int end = from + (int) ((long) (to - from) * (part + 1) / k);
            int counted = part == k - 1 ? end : Math.max(start, end - purge);
            while (i < n && date[i] < start) {
                i++;
            }
            int first = i;
            while (i < n && date[i] < counted) {
                i++;
            }
            int m = i - first;
            double[] values = Arrays.copyOfRange(rankIc, first, i);
            double mean = mean(values, m);
            out.add(new SplitStatistics.Fold(m == 0 ? 0 : time[first], m == 0 ? 0 : time[i - 1], mean,
                    neweyWestTstat(values, m, mean, lags), m));
        }
        return List.copyOf(out);
    }

    /**
     * Percentile ranks of date t's labels among the {@code valid} assets where {@code present} has a value (NaN
     * elsewhere), exactly as ranking those labels afresh would give them: read off the date's label order, where the
     * assets left out simply take no place. Ties share the average of their places, computed as the ranking does,
     * (first + 1 + end) / 2 / count, so that the bits agree. Most factors leave some labelled asset without a value
     * on most dates (a window still filling, a zero variance); a sort on each of them cost #3 (S&P 500 panel) 2 of
     * the 12.6 ms its statistics took.
     */
    void labelRanksWhere(int t, double[] present, int valid, double[] out) {
        Arrays.fill(out, Double.NaN);
        int base = t * assets;
        int end = base + labelCount[t];
        int before = 0; // places taken by earlier ties
        int i = base;
        while (i < end) {
            double label = labelT[base + labelOrderT[i]];
            int j = i;
            int taking = 0;
            do {
                int a = labelOrderT[j];
                taking += present[a] == present[a] ? 1 : 0;
                j++;
            } while (j < end && labelT[base + labelOrderT[j]] == label);
            double place = (2 * before + 1 + taking) / 2.0 / valid;
            for (int k = i; k < j; k++) {
                int a = labelOrderT[k];
                out[a] = present[a] == present[a] ? place : Double.NaN;
            }
            before += taking;
            i = j;
        }
    }

    /** The long-short book's return per rebalance after costs, with its date and turnover (NaN if none traded). */
    private static final class LongShortLedger {
        final long[] time;
        final double[] returns;
        final double[] gross;
        final double[] turnover;
        int n;
        // per regime: sum and count of period returns, and losses; every period counts, rebalanced or held, so the
        // regime figures add up to the portfolio's
        final double[] regimeReturn = new double[4];
        final int[] regimeCount = new int[4];
        final double[] regimeLoss = new double[4];
        double totalLoss;

        LongShortLedger(int capacity) {
            time = new long[capacity];
            returns = new double[capacity];
            gross = new double[capacity];
            turnover = new double[capacity];
        }

        /** @param regime the period's market regime, or -1 if unknown */
        void add(long date, double ret, double beforeCosts, double turned, int regime) {
            time[n] = date;
            returns[n] = ret;
            gross[n] = beforeCosts;
            turnover[n] = turned;
            n++;
            double loss = ret < 0 ? -ret : 0.0;
            totalLoss += loss;
            if (regime >= 0) {
                regimeReturn[regime] += ret;
                regimeCount[regime]++;
                regimeLoss[regime] += loss;
            }
        }
    }

    /**
     * The qcut bucket (0-based) of a value with {@code less} smaller values among n, for each less in [0, n):
     * max(1, (less * q + n - 2) / (n - 1)) - 1 in integer division, stepped with a running quotient and remainder
     * because one division per asset and date was a fifth of the statistics' time.
     */
    static void bucketOfPosition(int[] table, int n, int q) {
        int divisor = n - 1;
        int numerator = n - 2; // less = 0
        int quotient = numerator / divisor;
        int remainder = numerator - quotient * divisor;
        for (int less = 0; less < n; less++) {
            table[less] = Math.max(1, quotient) - 1;
            remainder += q;
            while (remainder >= divisor) {
                remainder -= divisor;
                quotient++;
            }
        }
    }

    /** Return of positions held over a period when no new portfolio could be formed (missing labels count 0). */
    private double heldReturn(double[] longWeights, double[] shortWeights, int row) {
        double r = 0;
        for (int a = 0; a < assets; a++) {
            double w = longWeights[a] - shortWeights[a];
            double y = labelT[row + a];
            if (w != 0 && y == y) {
                r += w * y;
            }
        }
        return r;
    }

    /**
     * Pearson correlation of x[xo..xo+n) and y[yo..yo+n) over positions where both are present; two passes (means
     * first) for accuracy. Even and odd positions sum in separate lanes: one chain of dependent additions would wait
     * an add latency per element, and this runs several times per date.
     */
    static double pearson(double[] x, int xo, double[] y, int yo, int n) {
        int m = 0;
        double sx0 = 0;
        double sx1 = 0;
        double sy0 = 0;
        double sy1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            double a0 = x[xo + i];
            double b0 = y[yo + i];
            double a1 = x[xo + i + 1];
            double b1 = y[yo + i + 1];
            if (a0 == a0 && b0 == b0) {
                m++;
                sx0 += a0;
                sy0 += b0;
            }
            if (a1 == a1 && b1 == b1) {
                m++;
                sx1 += a1;
                sy1 += b1;
            }
        }
        if (i < n && x[xo + i] == x[xo + i] && y[yo + i] == y[yo + i]) {
            m++;
            sx0 += x[xo + i];
            sy0 += y[yo + i];
        }
        if (m < 2) {
            return Double.NaN;
        }
        return centredCorrelation(x, xo, y, yo, n, (sx0 + sx1) / m, (sy0 + sy1) / m);
    }

    /**
     * {@link #pearson} of two rows of percentile ranks over the same m positions (missing at the same others): the
     * mean of either is known, (m + 1) / 2 / m, since average ranks of ties keep the sum of ranks, so one pass
     * suffices. Written as the rank of m ties is, so that a row of ties has no spread at all.
     */
    static double pearsonOfRanks(double[] x, int xo, double[] y, int yo, int n, int m) {
        if (m < 2) {
            return Double.NaN;
        }
        double mean = (m + 1) / 2.0 / m;
        return centredCorrelation(x, xo, y, yo, n, mean, mean);
    }

    /** The correlation from sums of products around the given means, over positions where both rows are present. */
    private static double centredCorrelation(double[] x, int xo, double[] y, int yo, int n, double mx, double my) {
        double sxy0 = 0;
        double sxx0 = 0;
        double syy0 = 0;
        double sxy1 = 0;
        double sxx1 = 0;
        double syy1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            double a0 = x[xo + i];
            double b0 = y[yo + i];
            double a1 = x[xo + i + 1];
            double b1 = y[yo + i + 1];
            // selects, not branches: a missing pair contributes nothing
            boolean both0 = a0 == a0 && b0 == b0;
            boolean both1 = a1 == a1 && b1 == b1;
            double da0 = both0 ? a0 - mx : 0.0;
            double db0 = both0 ? b0 - my : 0.0;
            double da1 = both1 ? a1 - mx : 0.0;
            double db1 = both1 ? b1 - my : 0.0;
            sxy0 += da0 * db0;
            sxx0 += da0 * da0;
            syy0 += db0 * db0;
            sxy1 += da1 * db1;
            sxx1 += da1 * da1;
            syy1 += db1 * db1;
        }
        if (i < n && x[xo + i] == x[xo + i] && y[yo + i] == y[yo + i]) {
            double da = x[xo + i] - mx;
            double db = y[yo + i] - my;
            sxy0 += da * db;
            sxx0 += da * da;
            syy0 += db * db;
        }
        double sxy = sxy0 + sxy1;
        double sxx = sxx0 + sxx1;
        double syy = syy0 + syy1;
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
    }

    /**
     * Mean of v[0..n) over its Newey-West standard error with {@code lags} lags: the long-run variance
     * S_0 + 2 sum_l (1 - l / (lags + 1)) S_l of the centred series (S_l = sum_t e_t e_(t-l)) over n (n - 1), as
     * statsmodels' HAC covariance of a regression on a constant with its small-sample correction. NaN without a
     * positive variance.
     */
    static double neweyWestTstat(double[] v, int n, double mean, int lags) {
        if (n < 2) {
            return Double.NaN;
        }
        int maxLag = Math.min(lags, n - 1);
        double longRun = 0;
        for (int l = 0; l <= maxLag; l++) {
            double s = 0;
            for (int t = l; t < n; t++) {
                s += (v[t] - mean) * (v[t - l] - mean);
            }
            longRun += l == 0 ? s : 2 * (1 - l / (lags + 1.0)) * s;
        }
        double variance = longRun / ((double) n * (n - 1));
        return variance > 0 ? mean / Math.sqrt(variance) : Double.NaN;
    }

    static double mean(double[] v, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += v[i];
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static double sd(double[] v, int n, double mean) {
        if (n < 2) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (v[i] - mean) * (v[i] - mean);
        }
        return Math.sqrt(s / (n - 1));
    }

    /**
     * Regime of each date ({@link Regimes}) from the equal-weight market: the mean of the assets' one-period returns,
     * undefined on the first date, so a date is classified once {@link Regimes#WINDOW} returns precede it.
     */
    private static int[] regimes(Panel panel) {
        int dates = panel.dateCount();
        double[] close = panel.column("close");
        double[] market = new double[dates];
        market[0] = Double.NaN;
        for (int t = 1; t < dates; t++) {
            double s = 0;
            int n = 0;
            for (int a = 0; a < panel.assetCount(); a++) {
                double p0 = close[a * dates + t - 1];
                double p1 = close[a * dates + t];
                if (p0 > 0 && p1 > 0) {
                    s += p1 / p0 - 1;
                    n++;
                }
            }
            market[t] = n == 0 ? Double.NaN : s / n;
        }
        return Regimes.classify(market, Regimes.WINDOW);
    }

    /** Per-thread scratch: transposed factor values, rank rows, the portfolio's previous weights. */
    public final class Workspace {
        private final FactorEvaluator evaluator;
        private final double[] values = new double[panel.cells()];
        final double[] factorT = new double[panel.cells()];
        final double[] otherT = new double[panel.cells()];
        final double[] rankF = new double[assets];
        final double[] rankY = new double[assets];
        final double[] allRanks = new double[assets];
        final double[] previousRanks = new double[assets];
        final double[] less = new double[assets];
        final double[] lessAll = new double[assets];
        final double[] rowA = new double[assets];
        final double[] rowB = new double[assets];
        final double[] previousLong = new double[assets];
        final double[] previousShort = new double[assets];
        final double[] longOfBucket = new double[config.quantiles() + 1];
        final double[] shortOfBucket = new double[config.quantiles() + 1];
        final int[] bucket = new int[assets];
        final int[] bucketOfLess = new int[assets];
        int bucketsFor = -1; // the number of valid assets bucketOfLess was built for
        // what scanDate saw on the date at hand
        int present;
        boolean presentAsYesterday;
        boolean labelSetIsValidSet;
        boolean factorSetIsValidSet;
        final double[] bucketSum = new double[config.quantiles()];
        final int[] bucketCount = new int[config.quantiles()];
        final CrossSectionalRanks ranks = new CrossSectionalRanks(assets);

        private final java.util.concurrent.atomic.AtomicReference<Thread> user =
                new java.util.concurrent.atomic.AtomicReference<>();
        private int depth; // calls of its thread in progress: only that thread changes it

        private Workspace(SubexpressionCache cache) {
            evaluator = sandbox.evaluator(panel, cache); // a null cache keeps nothing
        }

        /** Evaluates a factor's values into this workspace's buffer (valid until the next call). */
        public double[] values(Factor factor) {
            enter();
            try {
                evaluator.evaluate(factor, values, null);
                return values;
            } finally {
                exit();
            }
        }

        /**
         * Marks the workspace as in use by this thread: its scratch arrays are one thread's, and a second thread in
         * them would silently corrupt both results, so it is refused loudly instead.
         */
        void enter() {
            Thread me = Thread.currentThread();
            if (!user.compareAndSet(null, me) && user.get() != me) {
                throw new IllegalStateException("a workspace is one thread's at a time; give each thread its own "
                        + "(Evaluation.workspace())");
            }
            depth++;
        }

        void exit() {
            if (--depth == 0) {
                user.set(null);
            }
        }

        /** The sandbox evaluator of this workspace, for values kept beyond one call. */
        public FactorEvaluator evaluator() {
            return evaluator;
        }
    }
}
