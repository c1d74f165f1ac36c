package dev.quantagent.agents;

import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.PoolSignal;
import dev.quantagent.evaluator.Significance;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.PublishedFormulas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The end of a mining run, in the order that keeps the test split sealed until the last step:
 * <ol>
 *   <li>each accepted factor's evidence after every look at valid on this data: its one-sided valid p-value adjusted
 *       over the whole family of looks (Holm or BHY), and the deflated Sharpe ratio of its valid long-short against
 *       the Sharpe ratios of every look;</li>
 *   <li>the pool signal ({@link PoolSignal}), fitted on train and chosen on valid, its looks at valid counted;</li>
 *   <li>the baseline when asked: a published library put through the same selection (the search's rules with the
 *       bar its size sets, redundancy, the valid gate adjusted for the library's looks) and the same
 *       combination;</li>
 *   <li>the planted alphas a pool factor correlates with (at least 0.7 in absolute value, over train), on the
 *       synthetic market;</li>
 *   <li>one look at the sealed test split for the pool's factors, the pool signal and the baseline's signal, each
 *       logged first ({@link TestLooks}), and a verdict on the pool signal's test rank IC.</li>
 * </ol>
 */
public final class Conclusion {

    /** Smallest |correlation| with a planted alpha for a pool factor to count as having found it. */
    public static final double FOUND_CORRELATION = 0.7;

    /**
     * How a run concludes.
     *
     * @param method         the pool's combination, or null to keep the best of all three on valid
     * @param books          the portfolios of the pool signal
     * @param baseline       {@code alpha101} or {@code alpha158}, or null for none
     * @param planted        formulas planted in the data, to look for in the pool (empty unless synthetic)
     * @param testLooks      the log each look at test is written to, before it is taken
     */
    public record Settings(PoolSignal.Method method, BookConfig books, String baseline, List<Planted> planted,
                           TestLooks testLooks) {

        public Settings {
            planted = List.copyOf(planted);
            Objects.requireNonNull(testLooks, "testLooks");
            if (baseline != null && !baseline.equals("alpha101") && !baseline.equals("alpha158")) {
                throw new IllegalArgumentException("unknown baseline '" + baseline + "': choose alpha101 or alpha158");
            }
        }
    }

    /** A formula planted in the data, by name. */
    public record Planted(String name, String formula) {
    }

    /**
     * An accepted factor at the end of the run.
     *
     * @param entry            the pool entry (train and valid statistics)
     * @param report           train, valid and test statistics
     * @param pValue           its valid rank IC's one-sided Newey-West p-value
     * @param adjustedPValue   that p-value adjusted over every look at valid on this data
     * @param significant      whether the adjusted p-value is within the policy's alpha
     * @param deflatedSharpe   its valid long-short (after costs) deflated for every look at valid on this data
     * @param portfolios       per split, the portfolios it drives: its long-short by holding period, gross and net
     */
    public record FactorResult(MiningRun.PoolEntry entry, FactorReport report, double pValue, double adjustedPValue,
                               boolean significant, Significance.Deflated deflatedSharpe,
                               Map<Split, dev.quantagent.evaluator.Portfolios> portfolios) {

        public FactorResult {
            portfolios = Map.copyOf(portfolios);
        }
    }

    /** A combined signal and the one look at test that saw it. */
    public record Signal(String label, PoolSignal.Combination combination, Evaluation.TestLook look) {
    }

    /**
     * A published library put through the run's selection.
     *
     * @param library    {@code alpha101} or {@code alpha158}
     * @param formulas   formulas in the library
     * @param evaluated  those the data can compute
     * @param passed     those whose train evidence passed (the looks at valid)
     * @param selected   those the valid gate accepted (the signal's members)
     * @param signal     their combined signal; with none selected, the whole evaluated library signed by train
     */
    public record Baseline(String library, int formulas, int evaluated, int passed, List<String> selected,
                           Signal signal) {
    }

    /** Whether a planted alpha was found: by which pool factor, at what correlation. */
    public record Found(String name, String formula, boolean found, Long by, double correlation) {
    }

    /** The run's verdict on its pool signal's test evidence, in one sentence or a few. */
    public record Verdict(boolean significant, String text) {
    }

    private final List<FactorResult> pool;
    private final Signal signal;
    private final Baseline baseline;
    private final List<Found> planted;
    private final long trials;
    private final long validLooks;
    private final Verdict verdict;
    private final JudgePolicy policy;
    private final Duration elapsed;

    private Conclusion(List<FactorResult> pool, Signal signal, Baseline baseline, List<Found> planted, long trials,
                       long validLooks, Verdict verdict, JudgePolicy policy, Duration elapsed) {
        this.pool = List.copyOf(pool);
        this.signal = signal;
        this.baseline = baseline;
        this.planted = List.copyOf(planted);
        this.trials = trials;
        this.validLooks = validLooks;
        this.verdict = verdict;
        this.policy = policy;
        this.elapsed = elapsed;
    }

    public List<FactorResult> pool() {
        return pool;
    }

    /** The pool signal, or null when nothing was accepted. */
    public Signal signal() {
        return signal;
    }

    /** The baseline, or null when none was asked for. */
    public Baseline baseline() {
        return baseline;
    }

    public List<Found> planted() {
        return planted;
    }

    /** Factors tried on this data, all runs, failures included. */
    public long trials() {
        return trials;
    }

    /** Looks at this data's valid split, all runs, combined signals and baselines included. */
    public long validLooks() {
        return validLooks;
    }

    public Verdict verdict() {
        return verdict;
    }

    public JudgePolicy policy() {
        return policy;
    }

    /** Time the run spent mining and concluding, over all its sittings. */
    public Duration elapsed() {
        return elapsed;
    }

    static Conclusion of(MiningRun run, Settings settings) {
        long t0 = System.nanoTime();
        Evaluation ev = run.evaluation();
        KnowledgeBase kb = run.kb();
        String key = run.datasetKey();
        Evaluation.Workspace ws = run.workspace();
        JudgePolicy policy = run.config().policy();
        boolean firstTime = !run.concludedBefore();

        List<MiningRun.PoolEntry> entries = run.pool();
        List<PoolSignal.Member> members = new ArrayList<>();
        for (MiningRun.PoolEntry e : entries) {
            members.add(new PoolSignal.Member("#" + e.id(), ws.values(e.factor()).clone(),
                    e.report().splits().get(Split.TRAIN).rankIc()));
        }
        PoolSignal.Combination combination = null;
        long extraLooks = 0; // looks at valid that store no factor
        if (!members.isEmpty()) {
            combination = PoolSignal.combine(ev, members, settings.method(), ws);
            extraLooks += combination.validLooks();
            if (firstTime) {
                kb.addValidLooks(key, combination.validLooks());
            }
        }
        Baseline baseline = null;
        PoolSignal.Combination baselineCombination = null;
        List<PoolSignal.Member> baselineMembers = List.of();
        String baselineLabel = null;
        if (settings.baseline() != null) {
            Selection sel = select(run, settings.baseline(), settings.method());
            baselineCombination = sel.combination();
            baselineMembers = sel.members();
            extraLooks += sel.validLooks();
            if (firstTime) {
                kb.addValidLooks(key, sel.validLooks());
            }
            baselineLabel = settings.baseline() + " baseline";
            baseline = new Baseline(settings.baseline(), sel.formulas(), sel.evaluated(), sel.passed(),
                    sel.selected(), null);
        }
        if (firstTime) {
            run.markConcludedLooks(extraLooks);
        }

        // each factor's evidence over the whole family of looks at valid, this run's signal looks included
        long family = kb.validLooks(key);
        List<KnowledgeBase.Look> looks = kb.looks(key);
        double[] p = new double[looks.size()];
        double[] sharpes = new double[looks.size()];
        Map<Long, Integer> index = new HashMap<>();
        double perPeriod = Math.sqrt(ev.frequency().periodsPerYear() / ev.config().horizon());
        for (int i = 0; i < looks.size(); i++) {
            KnowledgeBase.Look l = looks.get(i);
            p[i] = lookP(l.trainRankIc(), l.validTstat());
            sharpes[i] = l.validSharpe() / perPeriod;
            index.put(l.id(), i);
        }
        double[] adjusted = Significance.adjust(policy.adjustment(), p, Math.max(family, looks.size()));
        double sharpeVariance = variance(sharpes);

        List<Found> planted = new ArrayList<>();
        for (Planted pl : settings.planted()) {
            planted.add(find(run, pl, ws));
        }

        // the one look at test
        List<TestLooks.Entry> announced = new ArrayList<>();
        for (MiningRun.PoolEntry e : entries) {
            announced.add(new TestLooks.Entry(e.factor().hash(), e.factor().formula()));
        }
        String signalLabel = combination == null ? null : "pool signal (" + combination.describe() + ")";
        if (combination != null) {
            announced.add(new TestLooks.Entry("", signalLabel));
        }
        if (baselineCombination != null) {
            baselineLabel = baselineLabel + " (" + baselineCombination.describe() + ")";
            announced.add(new TestLooks.Entry("", baselineLabel));
        }
        if (!run.testLogged() && !announced.isEmpty()) {
            settings.testLooks().logEntries(run.datasetKey(), announced, "mine " + run.id());
            run.markTestLogged();
        }
        Evaluation.SealedTest test = ev.unsealTest();
        List<FactorResult> results = new ArrayList<>();
        for (MiningRun.PoolEntry e : entries) {
            Evaluation.TestLook look = test.look(e.factor(), ws.values(e.factor()).clone(), ws, settings.books());
            FactorReport r = look.report();
            kb.setTestStats(e.id(), StoredStats.of(r.splits().get(Split.TEST)));
            Integer i = index.get(e.id());
            double pv = i == null ? lookP(e.report().splits().get(Split.TRAIN).rankIc(),
                    e.report().splits().get(Split.VALID).rankIcTstatNeweyWest()) : p[i];
            double adj = i == null ? Math.min(1, pv * family) : adjusted[i];
            SplitStatistics valid = e.report().splits().get(Split.VALID);
            Significance.Deflated dsr = Significance.deflatedSharpe(valid.series().netReturn(),
                    Math.max(1, family), sharpeVariance, ev.frequency().periodsPerYear() / ev.config().horizon());
            results.add(new FactorResult(e, r, pv, adj, adj <= policy.alpha(), dsr, look.portfolios()));
        }
        Signal signal = combination == null ? null : new Signal(signalLabel, combination,
                test.look(signalLabel, combination.values(), ws, settings.books()));
        if (baseline != null) {
            Signal b = new Signal(baselineLabel, baselineCombination,
                    test.look(baselineLabel, baselineCombination.values(), ws, settings.books()));
            baseline = new Baseline(baseline.library(), baseline.formulas(), baseline.evaluated(), baseline.passed(),
                    baseline.selected(), b);
        }
        long trials = kb.trials(key);
        Duration elapsed = run.miningTime().plusNanos(System.nanoTime() - t0);
        Verdict verdict = verdict(results, signal, baseline, trials, family, policy);
        return new Conclusion(results, signal, baseline, planted, trials, family, verdict, policy, elapsed);
    }

    /** The one-sided p-value of a look: its valid t-statistic in the direction its train rank IC showed. */
    static double lookP(double trainRankIc, double validT) {
        if (!(trainRankIc == trainRankIc) || trainRankIc == 0) {
            return 1.0;
        }
        return Significance.oneSided(trainRankIc > 0 ? validT : -validT);
    }

    private static double variance(double[] v) {
        int n = 0;
        double sum = 0;
        for (double x : v) {
            if (x == x) {
                sum += x;
                n++;
            }
        }
        if (n < 2) {
            return 0;
        }
        double mean = sum / n;
        double ss = 0;
        for (double x : v) {
            if (x == x) {
                ss += (x - mean) * (x - mean);
            }
        }
        return ss / (n - 1);
    }

    /** The pool factor whose train values correlate most with a planted formula's. */
    private static Found find(MiningRun run, Planted planted, Evaluation.Workspace ws) {
        Evaluation ev = run.evaluation();
        Factor f;
        try {
            f = ev.sandbox().parse(planted.formula());
        } catch (FormulaException e) {
            return new Found(planted.name(), planted.formula(), false, null, Double.NaN);
        }
        Evaluation.SplitRanks ranks = ev.splitRanks(ws.values(f), Split.TRAIN, ws);
        Long by = null;
        double best = 0;
        for (MiningRun.PoolEntry e : run.pool()) {
            double c = ev.factorCorrelation(ranks, run.trainRanks(e.id()), ws);
            if (c == c && Math.abs(c) > Math.abs(best)) {
                best = c;
                by = e.id();
            }
        }
        boolean found = Math.abs(best) >= FOUND_CORRELATION;
        return new Found(planted.name(), planted.formula(), found, by, by == null ? Double.NaN : best);
    }

    /** A library's selection: its members, its combined signal, and what it took. */
    private record Selection(int formulas, int evaluated, int passed, List<String> selected,
                             List<PoolSignal.Member> members, PoolSignal.Combination combination, int validLooks) {
    }

    /**
     * Puts a published library through the run's selection: each formula the data can compute is judged on train by
     * the search's rules, with the bar that the library's size sets (it was written before these data, so its size is
     * its number of trials), signed by its train rank IC as the search would flip it; the survivors are looked at on
     * valid once, adjusted over those looks, and the ones that pass and are not redundant with an earlier one are
     * combined as the pool is.
     */
    private static Selection select(MiningRun run, String library, PoolSignal.Method method) {
        Evaluation ev = run.evaluation();
        Evaluation.Workspace ws = run.workspace();
        JudgePolicy policy = run.config().policy();
        RuleJudge judge = run.judge();
        List<PublishedFormulas.Formula> formulas = library.equals("alpha101") ? PublishedFormulas.alpha101()
                : PublishedFormulas.alpha158();
        record Candidate(String name, Factor factor, double[] values, FactorReport train) {
        }
        List<Candidate> all = new ArrayList<>();
        for (PublishedFormulas.Formula pf : formulas) {
            try {
                Factor f = ev.sandbox().parse(pf.formula());
                double[] values = ws.values(f).clone();
                FactorReport r = ev.evaluate(f, values, ws, Split.TRAIN);
                if (r.splits().get(Split.TRAIN).rankIc() < 0) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = -values[i];
                    }
                    r = ev.evaluate(f, values, ws, Split.TRAIN);
                }
                all.add(new Candidate(library + "#" + pf.name(), f, values, r));
            } catch (FormulaException | IllegalArgumentException e) {
                // a field or group the data lacks: not computable here
            }
        }
        // train: the search's rules, its bar set by the library's size
        RuleJudge.Bar bar = RuleJudge.Bar.search(formulas.size());
        List<Candidate> passed = new ArrayList<>();
        List<Evaluation.SplitRanks> passedRanks = new ArrayList<>();
        for (Candidate c : all) {
            if (!judge.judgeTrain(c.train(), c.factor(), Novelty.NONE, bar, null).accepted()) {
                continue;
            }
            Evaluation.SplitRanks ranks = ev.splitRanks(c.values(), Split.TRAIN, ws);
            boolean redundant = false;
            for (Evaluation.SplitRanks other : passedRanks) {
                double corr = ev.factorCorrelation(ranks, other, ws);
                redundant |= corr == corr && Math.abs(corr) > policy.maxCorrelation();
            }
            if (!redundant) {
                passed.add(c);
                passedRanks.add(ranks);
            }
        }
        // valid: one look each, adjusted over the library's looks
        double[] validP = new double[passed.size()];
        List<FactorReport> validReports = new ArrayList<>();
        for (int i = 0; i < passed.size(); i++) {
            FactorReport r = ev.evaluate(passed.get(i).factor(), passed.get(i).values(), ws, Split.VALID);
            validReports.add(r);
            validP[i] = Significance.oneSided(r.splits().get(Split.VALID).rankIcTstatNeweyWest());
        }
        double[] validAdjusted = Significance.adjust(policy.adjustment(), validP, Math.max(1, passed.size()));
        List<PoolSignal.Member> members = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < passed.size(); i++) {
            if (validAdjusted[i] <= policy.alpha()
                    && validReports.get(i).splits().get(Split.VALID).rankIc() > 0) {
                Candidate c = passed.get(i);
                members.add(new PoolSignal.Member(c.name(), c.values(), c.train().splits().get(Split.TRAIN).rankIc()));
                selected.add(c.name() + " " + c.factor().formula());
            }
        }
        int looks = passed.size();
        PoolSignal.Combination combination;
        if (!members.isEmpty()) {
            combination = PoolSignal.combine(ev, members, method, ws);
        } else {
            // nothing passed: the whole library, each signed by its train rank IC, equally weighted
            List<PoolSignal.Member> everything = new ArrayList<>();
            for (Candidate c : all) {
                everything.add(new PoolSignal.Member(c.name(), c.values(),
                        c.train().splits().get(Split.TRAIN).rankIc()));
            }
            if (everything.isEmpty()) {
                throw new IllegalArgumentException("the data cannot compute any formula of " + library
                        + ", so there is no baseline");
            }
            combination = PoolSignal.combine(ev, everything, PoolSignal.Method.EQUAL, ws);
        }
        return new Selection(formulas.size(), all.size(), passed.size(), selected, members, combination,
                looks + combination.validLooks());
    }

    private static Verdict verdict(List<FactorResult> pool, Signal signal, Baseline baseline, long trials,
                                   long looks, JudgePolicy policy) {
        String tried = String.format(Locale.ROOT, "after %,d factors tried and %,d looks at valid on this data",
                trials, looks);
        StringBuilder text = new StringBuilder();
        boolean significant = false;
        if (signal == null) {
            text.append("No factor passed the valid gate ").append(tried)
                    .append(": nothing the search found is distinguishable from noise.");
        } else {
            SplitStatistics t = signal.look().report().splits().get(Split.TEST);
            double tStat = t.rankIcTstatNeweyWest();
            double p = Significance.oneSided(tStat);
            significant = t.rankIc() > 0 && p <= policy.alpha();
            text.append(String.format(Locale.ROOT, "The %s is %s on the sealed test split %s: rank IC %.4f, "
                            + "Newey-West t %.2f (one-sided p %.2g).", signal.label(),
                    significant ? "significant" : "not distinguishable from noise", tried, t.rankIc(), tStat, p));
            dev.quantagent.evaluator.Book topk = signal.look().portfolios().get(Split.TEST).topkDropout();
            if (topk.excessNet() != null) {
                text.append(String.format(Locale.ROOT, " Its TopK book (%s) %s %.1f%% a year against the "
                                + "equal-weight market after costs (information ratio %.2f; %.1f%% before costs).",
                        topk.description(), topk.excessNet().annualExcessReturn() >= 0 ? "earns" : "loses",
                        100 * Math.abs(topk.excessNet().annualExcessReturn()), topk.excessNet().informationRatio(),
                        100 * topk.excessGross().annualExcessReturn()));
            }
            int positive = 0;
            for (FactorResult r : pool) {
                positive += r.report().splits().get(Split.TEST).rankIc() > 0 ? 1 : 0;
            }
            text.append(String.format(Locale.ROOT, " %d of %d accepted factor%s keep a positive test rank IC.",
                    positive, pool.size(), pool.size() == 1 ? "" : "s"));
        }
        if (baseline != null && baseline.signal() != null) {
            SplitStatistics b = baseline.signal().look().report().splits().get(Split.TEST);
            text.append(String.format(Locale.ROOT, " The %s baseline (%d of %d formulas selected the same way%s) "
                            + "has a test rank IC of %.4f (t %.2f)", baseline.library(), baseline.selected().size(),
                    baseline.evaluated(), baseline.selected().isEmpty() ? "; none passed, so the whole library "
                            + "signed by train" : "", b.rankIc(), b.rankIcTstatNeweyWest()));
            if (signal != null) {
                double mine = signal.look().report().splits().get(Split.TEST).rankIc();
                text.append(mine > b.rankIc() ? ": mining did better on test." : ": mining did not beat it on test.");
            } else {
                text.append('.');
            }
        }
        return new Verdict(significant, text.toString());
    }
}
